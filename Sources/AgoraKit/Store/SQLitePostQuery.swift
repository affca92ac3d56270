import GRDB

/// Builds the SQL for windows and counts of posts, so that each reads an index.
///
/// A window is fetched in two steps: first the rowids of the window, from an index alone (so
/// skipping 90,000 rows steps through a narrow index, not through wide rows), then those rows.
/// Lists filtered by reader state are driven from `postState`'s partial indexes.
struct SQLitePostQuery {
    var filter: PostFilter

    /// The list is driven by reader state: read `postState` first, in its date order.
    private var drivenByState: Bool { filter.unreadOnly || filter.starredOnly }

    /// Only read posts: the second part of an unread-first list.
    var readOnly = false

    /// Leave out the posts of muted members (set when there are any), but for a list of one
    /// member's posts, which is asked for by name.
    var hideMuted = false
    private var hidingMuted: Bool { hideMuted && filter.author == nil }
    /// A row whose author (in `column`) is not muted: posts, comments, the statistics' lists.
    static func notMuted(_ column: String = "p.author") -> String { "(\(column) IS NULL OR \(column) NOT IN (SELECT member FROM muted))" }

    static func anyMuted(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM muted)")) ?? false
    }

    /// Filters on content (not on reader state).
    var hasContentFilter: Bool {
        filter.author != nil || filter.kind != nil || filter.tag != nil || filter.country != nil || filter.source != nil
            || filter.category != nil
    }

    func fromClause() -> String {
        if drivenByState { return "FROM postState s JOIN post p ON p.rowid = s.post" }
        return readOnly ? "FROM post p JOIN postState s ON s.post = p.rowid" : "FROM post p"
    }

    typealias Arguments = [(any DatabaseValueConvertible)?]

    func whereClause() -> (String, Arguments) {
        var terms: [String] = []
        var arguments: Arguments = []
        if filter.unreadOnly { terms.append("s.isRead = 0") }
        if readOnly { terms.append("s.isRead = 1") }
        if filter.starredOnly { terms.append("s.isStarred = 1") }
        if let author = filter.author {
            terms.append("p.author = ?")
            arguments += [author.rawValue]
        }
        if let kind = filter.kind {
            terms.append("p.kind = ?")
            arguments += [kind.rawValue]
        }
        if let source = filter.source {
            terms.append("p.source = ?")
            arguments += [source.rawValue]
        }
        if let category = filter.category {
            terms.append("p.category = ?")
            arguments += [category]
        }
        if let tag = filter.tag {
            terms.append("p.rowid IN (SELECT post FROM postTag WHERE tagKey = ?)")
            arguments += [Folding.key(tag)]
        }
        if let country = filter.country {
            let (term, values) = CountryRule(country).sql()
            terms.append("p.author IN (SELECT id FROM member WHERE \(term))")
            arguments += values
        }
        if hidingMuted { terms.append(Self.notMuted()) }
        return (terms.isEmpty ? "" : "WHERE " + terms.joined(separator: " AND "), arguments)
    }

    /// Every order is total (it ends with the rowid), so that reading it backwards gives exactly
    /// the same rows in the opposite order.
    func orderClause(_ sort: PostSort, reversed: Bool = false) -> String {
        // Date orders come from whichever table drives the query; both hold the same sortDate.
        let date = drivenByState ? "s.sortDate" : "p.sortDate"
        let rowid = drivenByState ? "s.post" : "p.rowid"
        let keys: [String]
        var descending = true
        switch sort {
        case .unread:
            // Each part of an unread-first list is newest first (see windowRowIDs).
            keys = [date, rowid]
        case .newest: keys = [date, rowid]
        case .oldest: keys = [date, rowid]; descending = false
        case .views: keys = ["p.views", "p.sortDate", "p.rowid"]
        case .comments: keys = ["p.commentCount", "p.sortDate", "p.rowid"]
        case .activity: keys = ["p.lastActivity", "p.rowid"]
        }
        let direction = descending != reversed ? "DESC" : "ASC"
        return "ORDER BY " + keys.map { "\($0) \(direction)" }.joined(separator: ", ")
    }

    /// How many rows the filter shows, when that is known without counting (from the kept totals).
    /// Muted members' posts come off: few, counted from the author index.
    func knownCount(_ db: Database) throws -> Int? {
        let known: Int
        if let bySource = try sourceCount(db) {
            known = bySource
        } else {
            guard !hasContentFilter, !filter.starredOnly, !readOnly else { return nil }
            let totals = try SQLiteStore.totals(db)
            known = filter.unreadOnly ? totals.unread : totals.total
        }
        guard hidingMuted else { return known }
        var scope = SQLitePostQuery(filter: PostFilter(unreadOnly: filter.unreadOnly, source: filter.source, category: filter.category))
        scope.hideMuted = false
        let (whereSQL, arguments) = scope.whereClause()
        let muted = "p.author IN (SELECT member FROM muted)"
        let sql = "SELECT count(*) \(scope.fromClause()) " + (whereSQL.isEmpty ? "WHERE \(muted)" : "\(whereSQL) AND \(muted)")
        return known - (try Int.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) ?? 0)
    }

    /// How many posts of muted members the list leaves out: the same filter over their posts
    /// only, read from the author index.
    func hiddenCount(_ db: Database) throws -> Int {
        guard hidingMuted else { return 0 }
        var shown = self
        shown.hideMuted = false
        let (whereSQL, arguments) = shown.whereClause()
        let muted = "p.author IN (SELECT member FROM muted)"
        let sql = "SELECT count(*) \(fromClause()) " + (whereSQL.isEmpty ? "WHERE \(muted)" : "\(whereSQL) AND \(muted)")
        return try Int.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) ?? 0
    }

    /// The SQL of a window's rowids, with its arguments but for LIMIT and OFFSET.
    func windowSQL(sort: PostSort, reversed: Bool = false) -> (String, Arguments) {
        let (whereSQL, arguments) = whereClause()
        return ("SELECT p.rowid \(fromClause()) \(whereSQL) \(orderClause(sort, reversed: reversed)) LIMIT ? OFFSET ?", arguments)
    }

    func countSQL() -> (String, Arguments) {
        let (whereSQL, arguments) = whereClause()
        return ("SELECT count(*) \(fromClause()) \(whereSQL)", arguments)
    }

    /// The rowids of a window, in order. OFFSET steps through every row it skips, so a window in
    /// the second half of a list whose length is known is read from the other end.
    func windowRowIDs(_ db: Database, sort: PostSort, offset: Int, limit: Int) throws -> [Int64] {
        // Unread first: the unread posts newest first, then the read ones; a window may take
        // the end of one and the start of the other.
        if sort == .unread, !filter.unreadOnly, !readOnly {
            var unread = self
            unread.filter.unreadOnly = true
            let unreadCount = try unread.knownCount(db) ?? unread.count(db)
            var rowids: [Int64] = []
            if offset < unreadCount {
                rowids = try unread.windowRowIDs(db, sort: .newest, offset: offset, limit: min(limit, unreadCount - offset))
            }
            if rowids.count < limit {
                var read = self
                read.readOnly = true
                rowids += try read.windowRowIDs(db, sort: .newest, offset: max(0, offset - unreadCount), limit: limit - rowids.count)
            }
            return rowids
        }
        if offset > 1_000, let total = try knownCount(db), offset + limit > total / 2 {
            let end = min(total, offset + limit)
            guard end > offset else { return [] }
            let (sql, arguments) = windowSQL(sort: sort, reversed: true)
            let rowids = try Int64.fetchAll(db, sql: sql, arguments: StatementArguments(arguments + [end - offset, total - end]))
            return rowids.reversed()
        }
        let (sql, arguments) = windowSQL(sort: sort)
        return try Int64.fetchAll(db, sql: sql, arguments: StatementArguments(arguments + [limit, offset]))
    }

    func count(_ db: Database) throws -> Int {
        let (sql, arguments) = countSQL()
        return try Int.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) ?? 0
    }

    /// List rows for the given rowids, in the order given.
    static func summaries(_ db: Database, rowids: [Int64]) throws -> [PostSummary] {
        guard !rowids.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: rowids.count).joined(separator: ",")
        let rows = try Row.fetchAll(db, sql: """
            SELECT \(SQLiteRows.PostRowIDColumn.select), \(SQLiteRows.summaryColumns) FROM post p JOIN postState s ON s.post = p.rowid
            WHERE p.rowid IN (\(placeholders))
            """, arguments: StatementArguments(rowids))
        var byRowID: [Int64: PostSummary] = [:]
        for row in rows {
            byRowID[try Columns<SQLiteRows.PostRowIDColumn>(row).int64(.rowid)] = try SQLiteRows.summary(row, at: SQLiteRows.PostRowIDColumn.count)
        }
        return rowids.compactMap { byRowID[$0] }
    }
}

extension CountryRule {
    /// The rule as a term over the member table (`prefix` is its alias and a dot, or nothing):
    /// both forms read the index of folded country names.
    func sql(_ prefix: String = "") -> (String, SQLitePostQuery.Arguments) {
        switch extent {
        case .whole:
            return ("(\(prefix)countryKey = ? OR \(prefix)countryCode = ?)", [key, code])
        case .start:
            return ("((\(prefix)countryKey >= ? AND \(prefix)countryKey < ?) OR \(prefix)countryCode = ?)", [key, key + "\u{10FFFF}", code])
        }
    }
}
