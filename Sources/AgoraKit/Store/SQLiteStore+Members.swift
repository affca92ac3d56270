import Foundation
import GRDB

/// The community's statistics and the roster: windows, counts, profiles.
extension SQLiteStore {
    // MARK: - Members


    public func communityStats() throws -> CommunityStats {
        try read { db in
            var stats = CommunityStats()
            let totals = try Self.totals(db)
            (stats.posts, stats.comments, stats.members, stats.unread) = (totals.total, totals.comments, totals.members, totals.unread)
            // Posts and unread posts by month from the date indexes, in date order: a month's
            // end is worked out once and the dates up to it counted (5 ms for 100,000 posts, where
            // grouping by day in SQL took 45 ms).
            var months: [String: CommunityStats.Month] = [:]
            // By day too, for weeks, when the dated history is short enough to show weeks.
            let postSpan = try Row.fetchOne(db, sql: "SELECT min(sortDate) AS a, max(sortDate) AS b FROM post WHERE sortDate > 0")
            let commentSpan = try Row.fetchOne(db, sql: "SELECT min(day) AS a, max(day) AS b FROM commentDay WHERE comments > 0")
            let firstDays = [((try postSpan?.decode(Double?.self, forColumn: "a"))).map(CommunityStats.day), (try commentSpan?.decode(Int?.self, forColumn: "a"))].compactMap { $0 }
            let lastDays = [((try postSpan?.decode(Double?.self, forColumn: "b"))).map(CommunityStats.day), (try commentSpan?.decode(Int?.self, forColumn: "b"))].compactMap { $0 }
            let byWeek = (lastDays.max() ?? 0) - (firstDays.min() ?? 0) <= CommunityStats.weeksWithin
            var postDays: [Int: Int] = [:], unreadDays: [Int: Int] = [:], commentDays: [Int: Int] = [:]
            func byMonth(_ sql: String, days: inout [Int: Int], _ add: (inout CommunityStats.Month, Int) -> Void) throws {
                var current: (key: String, end: Double)?
                var count = 0
                func flush() { if let current, count > 0 { add(&months[current.key, default: CommunityStats.Month(month: current.key)], count) } }
                try db.eachDouble(sql) { date in
                    if byWeek { days[CommunityStats.day(date), default: 0] += 1 }
                    if current == nil || date >= current!.end {
                        flush()
                        let (key, end) = CommunityStats.monthAndEnd(date)
                        current = (key, end)
                        count = 0
                    }
                    count += 1
                    return true
                }
                flush()
            }
            try byMonth("SELECT sortDate FROM post WHERE sortDate > 0 ORDER BY sortDate", days: &postDays) { $0.posts += $1 }
            try byMonth("SELECT sortDate FROM postState WHERE isRead = 0 AND sortDate > 0 ORDER BY sortDate", days: &unreadDays) { $0.unread += $1 }
            for row in try Row.fetchAll(db, sql: "SELECT day AS d, comments AS n FROM commentDay WHERE comments > 0") {
                let key = CommunityStats.month(day: try row.decode(forColumn: "d"))
                months[key, default: CommunityStats.Month(month: key)].comments += (try row.decode(Int.self, forColumn: "n"))
                if byWeek { commentDays[(try row.decode(Int.self, forColumn: "d")), default: 0] += (try row.decode(Int.self, forColumn: "n")) }
            }
            stats.months = months.values.sorted { $0.month < $1.month }
            if byWeek { stats.weeks = CommunityStats.weekly(posts: postDays, unread: unreadDays, comments: commentDays) }
            let countries = try Row.fetchAll(db, sql: """
                SELECT min(country) AS c, count(*) AS n FROM member WHERE country IS NOT NULL AND country != '' GROUP BY countryKey
                """).map { (name: try $0.decode(String.self, forColumn: "c"), count: try $0.decode(Int.self, forColumn: "n")) }
            stats.setCountries(countries, top: 15)
            // The few without a country, through the country index, then their locations.
            stats.setLocations(try String.fetchAll(db, sql: """
                SELECT location FROM member WHERE (countryKey IS NULL OR countryKey = '') AND (country IS NULL OR country = '')
                AND location IS NOT NULL AND location != ''
                """), top: 15)
            func counts(_ sql: String) throws -> [CommunityStats.Count] {
                try Row.fetchAll(db, sql: sql).map {
                    CommunityStats.Count(id: try $0.decode(forColumn: "id"), name: try $0.decode(String?.self, forColumn: "name") ?? "",
                                         count: try $0.decode(Int?.self, forColumn: "n") ?? 0)
                }
            }
            // Counts kept per member on every write; muted members (and their posts) left out.
            let notMutedMember = SQLitePostQuery.notMuted("id")
            let notMutedPost = SQLitePostQuery.notMuted("author")
            stats.topPosters = try counts("""
                SELECT id, name, postCount AS n FROM member WHERE postCount > 0 AND \(notMutedMember) ORDER BY postCount DESC, id LIMIT 10
                """)
            stats.topCommenters = try counts("""
                SELECT id, name, commentCount AS n FROM member WHERE commentCount > 0 AND \(notMutedMember) ORDER BY commentCount DESC, id LIMIT 10
                """)
            stats.mostViewed = try counts("""
                SELECT id, title AS name, views AS n FROM post WHERE views IS NOT NULL AND \(notMutedPost) ORDER BY views DESC, id LIMIT 10
                """)
            stats.mostCommented = try counts("""
                SELECT id, title AS name, commentCount AS n FROM post WHERE commentCount > 0 AND \(notMutedPost)
                ORDER BY commentCount DESC, id LIMIT 10
                """)
            stats.newestMembers = try counts("""
                SELECT id, name, 0 AS n FROM member WHERE joined IS NOT NULL AND \(notMutedMember) ORDER BY joined DESC, id LIMIT 10
                """)
            return stats
        }
    }

    public func knownMembers(_ ids: [Member.ID]) throws -> Set<Member.ID> {
        guard !ids.isEmpty else { return [] }
        return try read { db in
            Set(try db.presentIDs(in: "member", ids.map(\.rawValue)).map { Member.ID($0) })
        }
    }

    public func holders(of ids: [String]) throws -> [String: Holder] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var out: [String: Holder] = [:]
            for start in stride(from: 0, to: ids.count, by: 500) {
                let slice = Array(ids[start..<min(ids.count, start + 500)])
                let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
                for id in try String.fetchAll(db, sql: "SELECT id FROM post WHERE id IN (\(marks))", arguments: StatementArguments(slice)) {
                    out[id] = Holder(post: Post.ID(id), isComment: false)
                }
                for row in try Row.fetchAll(db, sql: "SELECT id, post FROM comment WHERE id IN (\(marks))", arguments: StatementArguments(slice)) {
                    out[try row.decode(String.self, atIndex: 0)] = Holder(post: Post.ID(try row.decode(String.self, atIndex: 1)), isComment: true)
                }
            }
            return out
        }
    }

    public func knownReplies(of post: Post.ID) throws -> [Comment.ID: String?] {
        try read { db in
            var out: [Comment.ID: String?] = [:]
            let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT id, link FROM comment WHERE post = ?"), arguments: [post.rawValue])
            while let row = try rows.next() { out[Comment.ID((try row.decode(String.self, atIndex: 0)))] = (try row.decode(String?.self, atIndex: 1)) }
            return out
        }
    }

    static func fetchMember(_ db: Database, id: Member.ID) throws -> Member? {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(SQLiteRows.memberColumns) FROM member m WHERE m.id = ?",
                                         arguments: [id.rawValue]) else { return nil }
        return try SQLiteRows.member(row)
    }


    /// FROM and WHERE of a roster query: its country, and its name through the index of names.
    private static func memberFilter(_ query: MemberQuery) -> (String, StatementArguments)? {
        var from = "member m"
        var terms: [String] = []
        var arguments = StatementArguments()
        if let name = query.name {
            guard let match = SearchQuery.ftsPrefix(SearchText.fold(name), column: "name") else { return nil }
            from = "memberSearch JOIN member m ON m.rowid = memberSearch.rowid"
            terms.append("memberSearch MATCH ?")
            arguments += [match]
        }
        if let country = query.country {
            let (term, values) = CountryRule(country).sql("m.")
            terms.append(term)
            arguments += StatementArguments(values)
        }
        return ("FROM \(from)" + (terms.isEmpty ? "" : " WHERE " + terms.joined(separator: " AND ")), arguments)
    }

    public func members(_ query: MemberQuery) throws -> [MemberSummary] {
        guard let (from, filterArguments) = Self.memberFilter(query) else { return [] }
        var sql = "SELECT \(SQLiteRows.memberSummaryColumns) \(from)"
        var arguments = filterArguments
        switch query.sort {
        case .name: sql += " ORDER BY m.nameKey, m.id"
        case .country: sql += " ORDER BY m.countryKey IS NULL, m.countryKey, m.nameKey, m.id"
        case .posts: sql += " ORDER BY m.postCount DESC, m.nameKey, m.id"
        }
        sql += " LIMIT ? OFFSET ?"
        arguments += [query.limit, query.offset]
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { try SQLiteRows.memberSummary($0) }
        }
    }

    public func memberCount(_ query: MemberQuery) throws -> Int {
        // The whole roster: the count every write keeps (count(*) read a whole index of members).
        if query.name == nil, query.country == nil { return try read { db in try Self.totals(db).members } }
        guard let (from, arguments) = Self.memberFilter(query) else { return 0 }
        return try read { db in try Int.fetchOne(db, sql: "SELECT count(*) \(from)", arguments: arguments) ?? 0 }
    }

    public func memberCountries() throws -> [String: Int] {
        try read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT min(country) AS country, count(*) AS members FROM member WHERE countryKey IS NOT NULL GROUP BY countryKey
                """) {
                out[(try row.decode(String.self, forColumn: "country"))] = (try row.decode(Int.self, forColumn: "members"))
            }
            return out
        }
    }

    public func member(_ id: Member.ID, limit: Int) throws -> MemberProfile {
        try read { db in
            guard let member = try Self.fetchMember(db, id: id) else { throw AgoraError.memberNotFound(id) }
            // Kept in the member's row by every import, as the roster shows it.
            let postCount = try Int.fetchOne(db, sql: "SELECT postCount FROM member WHERE id = ?", arguments: [id.rawValue]) ?? 0
            let commentCount = try Int.fetchOne(db, sql: "SELECT commentCount FROM member WHERE id = ?", arguments: [id.rawValue]) ?? 0
            let posts = try Row.fetchAll(db, sql: """
                SELECT \(SQLiteRows.summaryColumns) FROM post p JOIN postState s ON s.post = p.rowid
                WHERE p.author = ? ORDER BY p.sortDate DESC, p.rowid DESC LIMIT ?
                """, arguments: [id.rawValue, limit]).map { try SQLiteRows.summary($0) }
            let comments = try Row.fetchAll(db, sql: """
                SELECT \(SQLiteRows.commentColumns), p.title AS postTitle FROM comment c JOIN post p ON p.id = c.post
                WHERE c.author = ? ORDER BY c.sortDate DESC, c.rowid DESC LIMIT ?
                """, arguments: [id.rawValue, limit]).map { row in
                    // Every one is the member's own: by the member's name.
                    var item = try SQLiteRows.commentItem(row, postTitle: try row.decode(forColumn: "postTitle"))
                    item.comment.authorName = member.name
                    return item
                }
            let muted = try Bool.fetchOne(db, sql: "SELECT 1 FROM muted WHERE member = ?", arguments: [id.rawValue]) ?? false
            return MemberProfile(member: member, postCount: postCount, commentCount: commentCount,
                                 posts: posts, comments: comments, muted: muted)
        }
    }
}
