import Foundation
import GRDB

/// Writes a batch of content into the SQLite cache, inside the caller's transaction.
///
/// Only content is written: reader state (`postState`, and the comment's isRead and readAt) is
/// merged from the batch's states, never overwritten by content. The kept totals are brought in
/// step before the transaction ends. The search index follows the content (`SearchIndexing`):
/// new posts and comments are left for it, and a post or comment it holds already that changes
/// has its words replaced here, so that the index never holds text a row no longer has.
struct SQLiteImport {
    let db: Database
    private(set) var summary = ImportSummary()
    private var touchedAuthors = Set<String>()
    private var touchedPosts = Set<String>()
    /// Pairs of source and category whose posts this import added, moved or left.
    private var touchedSources = Set<SourcePair>()
    private struct SourcePair: Hashable {
        var source: String?
        var category: String?
    }
    /// The words of what this import indexed (members, and rows the index held that changed).
    private let terms = Words()
    /// Posts and comments up to these rowids are in the search index; those after are not yet.
    private let indexed: SearchIndexing.Mark
    /// Comments per day, changed by this import: written once, at the end.
    private let days = DayCounts()

    private final class DayCounts {
        var delta: [Int64: Int] = [:]
    }

    private final class Words {
        var collector = TermCollector()

        /// Index text, its words noted on the way.
        func indexed(_ text: String) -> String {
            collector.add(text)
            return text
        }
    }

    init(db: Database) throws {
        self.db = db
        indexed = try SearchIndexing.mark(db)
    }

    func run(_ content: CacheContent) throws -> ImportSummary {
        var importer = self
        try importer.add(content)
        try importer.finish()
        return importer.summary
    }

    /// Writes one batch; `finish` must follow the last one.
    mutating func add(_ content: CacheContent) throws {
        let wordsBefore = terms.collector.found.count
        if let community = content.community {
            let json = String(decoding: try JSONEncoder().encode(community), as: UTF8.self)
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('community', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [json])
        }
        for source in content.sources { try upsert(source) }
        for member in content.members {
            try upsert(member, into: &summary.members)
            touchedAuthors.insert(member.id.rawValue)
        }
        let known = try existingPosts(content.posts)
        for post in content.posts {
            // The author it had counts too: a post that changed hands leaves their count.
            var movedFrom: SourcePair?
            if let previous = try upsert(post, isKnown: known.contains(post.id.rawValue), into: &summary.posts,
                                         movedFrom: &movedFrom) {
                touchedAuthors.insert(previous.rawValue)
            }
            if let movedFrom { touchedSources.insert(movedFrom) }
            if let author = post.author { touchedAuthors.insert(author.rawValue) }
            touchedSources.insert(SourcePair(source: post.source?.rawValue, category: post.category))
        }
        // Which comments are there already, and which of their posts: one query a few hundred
        // at a time, not two a comment.
        let knownComments = try existing("comment", content.comments.map(\.id.rawValue))
        let batchPosts = Set(content.posts.map(\.id.rawValue))
        let knownPosts = batchPosts.union(try existing("post", Set(content.comments.map(\.post.rawValue)).subtracting(batchPosts).sorted()))
        for comment in content.comments {
            guard knownPosts.contains(comment.post.rawValue) else {
                throw AgoraError.commentWithoutPost(comment: comment.id.rawValue, post: comment.post.rawValue)
            }
            // Its author's count, and the count of the author it had.
            if let previous = try upsert(comment, isKnown: knownComments.contains(comment.id.rawValue),
                                         into: &summary.comments) {
                touchedAuthors.insert(previous.rawValue)
            }
            if let author = comment.author { touchedAuthors.insert(author.rawValue) }
            touchedPosts.insert(comment.post.rawValue)
        }
        try mergeStates(content, into: &summary)
        // Muted in either stays muted, as read marks do; members the cache lacks are left out.
        for (member, since) in content.muted {
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM member WHERE id = ?"), arguments: [member.rawValue]) == true
            else {
                summary.mutesLeftOut += 1
                continue
            }
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO muted (member, since) VALUES (?, ?)")
                .execute(arguments: [member.rawValue, since.timeIntervalSince1970])
            summary.membersMuted += db.changesCount
        }
        // The words of what went into the search indexes, for finding the words a typed prefix
        // begins.
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO searchTerm (term) VALUES (?)")
        for word in Set(terms.collector.found[wordsBefore...]) {
            try insert.execute(arguments: [word])
        }
    }

    /// Brings the kept counts in step with everything written.
    mutating func finish() throws {
        let day = try db.cachedStatement(sql: """
            INSERT INTO commentDay (day, comments) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET comments = comments + excluded.comments
            """)
        for (key, delta) in days.delta where delta != 0 { try day.execute(arguments: [key, delta]) }
        days.delta.removeAll()
        try recount(posts: touchedPosts, authors: touchedAuthors)
        try recount(sources: touchedSources)
        try db.execute(sql: """
            UPDATE totals SET total = (SELECT count(*) FROM post),
                unread = (SELECT count(*) FROM postState WHERE isRead = 0),
                starred = (SELECT count(*) FROM postState WHERE isStarred = 1),
                members = (SELECT count(*) FROM member), comments = (SELECT count(*) FROM comment)
            WHERE id = 1
            """)
    }

    // MARK: Sources

    private func upsert(_ s: Source) throws {
        try db.cachedStatement(sql: """
            INSERT INTO source (id, kind, name, location, etag, lastModified, lastSync, lastStatus, retryAfter, forum, feedKey, site, folder,
                lastResult, list)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name = excluded.name, location = excluded.location,
                etag = excluded.etag, lastModified = excluded.lastModified, lastSync = excluded.lastSync,
                lastStatus = excluded.lastStatus, retryAfter = excluded.retryAfter, forum = excluded.forum,
                feedKey = coalesce(excluded.feedKey, source.feedKey), site = coalesce(excluded.site, source.site),
                folder = coalesce(excluded.folder, source.folder), lastResult = coalesce(excluded.lastResult, source.lastResult), list = excluded.list
            """).execute(arguments: [s.id.rawValue, s.kind.rawValue, s.name, s.location, s.etag, s.lastModified,
                                     s.lastSync?.timeIntervalSince1970, s.lastStatus, s.retryAfter?.timeIntervalSince1970,
                                     try s.forum.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }, s.feedKey,
                                     s.site, s.folder, try s.lastResult.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) },
                                     try s.list.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }])
    }

    // MARK: Members

    private func upsert(_ given: Member, into counts: inout ImportSummary.Counts) throws {
        let existing = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(SQLiteRows.memberColumns), m.rowid AS rowid FROM member m WHERE m.id = ?"),
            arguments: [given.id.rawValue])
        let old = try existing.map { try SQLiteRows.member($0) }
        let m = old.map { MergeRule.member(given, over: $0) } ?? given
        counts.count(existing: existing != nil, changed: old != m)
        if let old, old == m { return }
        let profile = m.profile.isEmpty ? nil : String(decoding: try JSONEncoder().encode(m.profile), as: UTF8.self)
        let wall = m.wall.isEmpty ? nil : String(decoding: try JSONEncoder().encode(m.wall), as: UTF8.self)
        let arguments: StatementArguments = [
            m.name, Folding.key(m.name), m.country, m.countryCode, m.country.map(Folding.key), m.location,
            m.joined?.timeIntervalSince1970, m.role.rawValue, m.state.rawValue, m.bio, profile, m.avatarPath, wall,
        ]
        let rowid: Int64
        if let existing {
            rowid = (try existing.decode(Int64.self, atIndex: 12))
            try db.cachedStatement(sql: """
                UPDATE member SET name = ?, nameKey = ?, country = ?, countryCode = ?, countryKey = ?, location = ?,
                    joined = ?, role = ?, state = ?, bio = ?, profile = ?, avatarPath = ?, wall = ? WHERE rowid = ?
                """).execute(arguments: arguments + [rowid])
            try db.cachedStatement(sql: "DELETE FROM memberSearch WHERE rowid = ?").execute(arguments: [rowid])
        } else {
            try db.cachedStatement(sql: """
                INSERT INTO member (name, nameKey, country, countryCode, countryKey, location, joined, role, state,
                    bio, profile, avatarPath, wall, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: arguments + [m.id.rawValue])
            rowid = db.lastInsertedRowID
        }
        try db.cachedStatement(sql: "INSERT INTO memberSearch (rowid, name, country, location) VALUES (?, ?, ?, ?)")
            .execute(arguments: [rowid, terms.indexed(SearchText.forIndex(m.name)), m.country.map { terms.indexed(SearchText.forIndex($0)) },
                                 m.location.map { terms.indexed(SearchText.forIndex($0)) }])
    }

    // MARK: Posts

    /// Returns the author the post had before, if it had one.
    /// Which of the batch's posts the cache has already, in one query per 500: a first import
    /// of 100,000 posts then reads no row it does not need.
    private func existingPosts(_ posts: [Post]) throws -> Set<String> { try existing("post", posts.map(\.id.rawValue)) }

    /// Which of these ids `table` has, a few hundred at a time.
    private func existing(_ table: String, _ ids: [String]) throws -> Set<String> { try db.presentIDs(in: table, ids) }

    private func upsert(_ given: Post, isKnown: Bool, into counts: inout ImportSummary.Counts,
                        movedFrom: inout SourcePair?) throws -> Member.ID? {
        let existing = isKnown ? try Row.fetchOne(db.cachedStatement(sql: """
            SELECT \(SQLiteRows.postColumns), p.rowid AS rowid FROM post p LEFT JOIN postBody b ON b.post = p.rowid WHERE p.id = ?
            """), arguments: [given.id.rawValue]) : nil
        let old = try existing.map { try SQLiteRows.post($0) }
        let p = try old.map { old in try MergeRule.post(given, over: old, richness: richness(of:)) } ?? given
        // The pair it was counted in, when it moves.
        if let old, old.source != p.source || old.category != p.category {
            movedFrom = SourcePair(source: old.source?.rawValue, category: old.category)
        }
        counts.count(existing: existing != nil, changed: old != p)
        if let old, old == p { return old.author }
        let arguments: StatementArguments = [
            p.source?.rawValue, p.kind.rawValue, p.title, p.author?.rawValue, p.authorName,
            p.published?.timeIntervalSince1970, p.updated?.timeIntervalSince1970, p.sortDate.timeIntervalSince1970,
            p.category, SQLiteRows.joinTags(p.tags), p.views, p.likes, p.link,
        ]
        let rowid: Int64
        if let existing {
            rowid = (try existing.decode(Int64.self, forColumn: "rowid"))
            try db.cachedStatement(sql: """
                UPDATE post SET source = ?, kind = ?, title = ?, author = ?, authorName = ?, published = ?, updated = ?,
                    sortDate = ?, category = ?, tags = ?, views = ?, likes = ?, link = ?, lastActivity = max(lastActivity, ?)
                WHERE rowid = ?
                """).execute(arguments: arguments + [p.sortDate.timeIntervalSince1970, rowid])
            // The search table keeps no text: removing a row takes the text it was made from.
            if rowid <= indexed.posts {
                try db.cachedStatement(sql: "INSERT INTO postSearch (postSearch, rowid, title, body) VALUES ('delete', ?, ?, ?)")
                    .execute(arguments: [rowid, SearchText.forIndex(old!.title), SearchText.forIndex(PlainText.fromHTML(old!.body))])
            }
            try db.cachedStatement(sql: "DELETE FROM postTag WHERE post = ?").execute(arguments: [rowid])
            try db.cachedStatement(sql: "UPDATE postBody SET html = ? WHERE post = ?").execute(arguments: [p.body, rowid])
            try db.cachedStatement(sql: "UPDATE postState SET sortDate = ? WHERE post = ?")
                .execute(arguments: [p.sortDate.timeIntervalSince1970, rowid])
        } else {
            try db.cachedStatement(sql: """
                INSERT INTO post (source, kind, title, author, authorName, published, updated, sortDate, category,
                    tags, views, likes, link, id, lastActivity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: arguments + [p.id.rawValue, p.sortDate.timeIntervalSince1970])
            rowid = db.lastInsertedRowID
            try db.cachedStatement(sql: "INSERT INTO postBody (post, html) VALUES (?, ?)").execute(arguments: [rowid, p.body])
            try db.cachedStatement(sql: "INSERT INTO postState (post, sortDate) VALUES (?, ?)")
                .execute(arguments: [rowid, p.sortDate.timeIntervalSince1970])
        }
        var tagKeys = Set(p.tags.map(Folding.key))
        if let category = p.category { tagKeys.insert(Folding.key(category)) }
        for key in tagKeys where !key.isEmpty {
            try db.cachedStatement(sql: "INSERT INTO postTag (tagKey, post) VALUES (?, ?)").execute(arguments: [key, rowid])
        }
        // A new post waits for the index (a later rowid than it holds); one it holds gets its new words.
        if rowid <= indexed.posts {
            try db.cachedStatement(sql: "INSERT INTO postSearch (rowid, title, body) VALUES (?, ?, ?)")
                .execute(arguments: [rowid, terms.indexed(SearchText.forIndex(p.title)), terms.indexed(SearchText.forIndex(PlainText.fromHTML(p.body)))])
        }
        return old?.author
    }

    /// How rich a source's kind is, for the merge rule (asked only when two sources bring one post).
    private func richness(of source: Source.ID?) throws -> Int {
        guard let source else { return 0 }
        let kind = try String.fetchOne(db.cachedStatement(sql: "SELECT kind FROM source WHERE id = ?"), arguments: [source.rawValue])
        return kind.map { Source.Kind($0).traits.richness } ?? 0
    }

    // MARK: Comments

    /// Returns the author the comment had before, when it had one.
    @discardableResult
    private func upsert(_ c: Comment, isKnown: Bool, into counts: inout ImportSummary.Counts) throws -> Member.ID? {
        let existing = isKnown ? try Row.fetchOne(db.cachedStatement(sql: """
            SELECT \(SQLiteRows.commentColumns), c.rowid AS rowid FROM comment c WHERE c.id = ?
            """), arguments: [c.id.rawValue]) : nil
        let old = try existing.map(SQLiteRows.comment)
        counts.count(existing: existing != nil, changed: old != c)
        if let old, old == c { return nil }
        // Comments by day, kept as they are written (agora stats reads these, not 300,000 rows).
        func day(_ date: Date?) -> Int64? { date.flatMap { $0.timeIntervalSince1970 > 0 ? Int64($0.timeIntervalSince1970 / 86_400) : nil } }
        let (was, now) = (existing == nil ? nil : day(old?.published), day(c.published))
        if was != now {
            if let was { days.delta[was, default: 0] -= 1 }
            if let now { days.delta[now, default: 0] += 1 }
        }
        let arguments: StatementArguments = [
            c.post.rawValue, c.parent?.rawValue, c.author?.rawValue, c.authorName, c.published?.timeIntervalSince1970,
            (c.published ?? Date(timeIntervalSince1970: 0)).timeIntervalSince1970, c.body, c.link,
        ]
        let rowid: Int64
        if let existing {
            rowid = (try existing.decode(Int64.self, forColumn: "rowid"))
            try db.cachedStatement(sql: """
                UPDATE comment SET post = ?, parent = ?, author = ?, authorName = ?, published = ?, sortDate = ?, body = ?, link = ?
                WHERE rowid = ?
                """).execute(arguments: arguments + [rowid])
            if rowid <= indexed.comments {
                try db.cachedStatement(sql: "INSERT INTO commentSearch (commentSearch, rowid, body) VALUES ('delete', ?, ?)")
                    .execute(arguments: [rowid, SearchText.forIndex(PlainText.fromHTML(old!.body))])
            }
        } else {
            try db.cachedStatement(sql: """
                INSERT INTO comment (post, parent, author, authorName, published, sortDate, body, link, id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: arguments + [c.id.rawValue])
            rowid = db.lastInsertedRowID
        }
        if rowid <= indexed.comments {
            try db.cachedStatement(sql: "INSERT INTO commentSearch (rowid, body) VALUES (?, ?)")
                .execute(arguments: [rowid, terms.indexed(SearchText.forIndex(PlainText.fromHTML(c.body)))])
        }
        return old?.author
    }

    // MARK: State and counts

    /// Read or starred in either the cache or the batch stays so: importing never unreads.
    private func mergeStates(_ content: CacheContent, into summary: inout ImportSummary) throws {
        for (id, state) in content.postStates where state != .unread {
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT \(SQLiteRows.stateColumns), p.rowid AS rowid FROM post p JOIN postState s ON s.post = p.rowid WHERE p.id = ?
                """), arguments: [id.rawValue]) else { continue }
            let current = try SQLiteRows.state(row, at: 0)
            let merged = current.merged(with: state)
            guard merged != current else { continue }
            if merged.read, !current.read { summary.postsMarkedRead += 1 }
            if merged.starred, !current.starred { summary.postsStarred += 1 }
            try db.cachedStatement(sql: "UPDATE postState SET isRead = ?, readAt = ?, isStarred = ? WHERE post = ?")
                .execute(arguments: [merged.read, merged.readAt?.timeIntervalSince1970, merged.starred, (try row.decode(Int64.self, forColumn: "rowid"))])
        }
        for (id, state) in content.commentStates where state.read {
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT isRead FROM comment WHERE id = ?"), arguments: [id.rawValue]) == false {
                summary.commentsMarkedRead += 1
            }
            try db.cachedStatement(sql: "UPDATE comment SET isRead = 1, readAt = coalesce(min(readAt, ?), readAt, ?) WHERE id = ?")
                .execute(arguments: [state.readAt?.timeIntervalSince1970, state.readAt?.timeIntervalSince1970, id.rawValue])
        }
    }

    /// Counts again the posts of each pair of source and category the import touched (from the
    /// index by source and category).
    private func recount(sources pairs: Set<SourcePair>) throws {
        let count = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO sourceTotal (source, category, posts, unread, newReplies)
            SELECT coalesce(?1, ''), coalesce(?2, ''), count(*), coalesce(sum(s.isRead = 0), 0), coalesce(sum(s.newReplies), 0)
            FROM post p JOIN postState s ON s.post = p.rowid WHERE p.source IS ?1 AND p.category IS ?2
            """)
        for pair in pairs { try count.execute(arguments: [pair.source, pair.category]) }
        try db.execute(sql: "DELETE FROM sourceTotal WHERE posts = 0")
    }

    /// Keeps the counts that lists sort by in step with what was written.
    private func recount(posts: Set<String>, authors: Set<String>) throws {
        // Its replies, its latest activity, and (once it has been read) the replies not read yet.
        let countComments = try db.cachedStatement(sql: """
            UPDATE post SET commentCount = (SELECT count(*) FROM comment WHERE comment.post = post.id),
                lastActivity = max(sortDate, coalesce((SELECT max(sortDate) FROM comment WHERE comment.post = post.id), 0))
            WHERE id = ?
            """)
        let countNew = try db.cachedStatement(sql: "UPDATE postState SET \(Schema.newRepliesCounted) WHERE post = (SELECT rowid FROM post WHERE id = ?)")
        for id in posts {
            try countComments.execute(arguments: [id])
            try countNew.execute(arguments: [id])
        }
        let countPosts = try db.cachedStatement(sql: """
            UPDATE member SET postCount = (SELECT count(*) FROM post WHERE post.author = member.id),
                commentCount = (SELECT count(*) FROM comment WHERE comment.author = member.id) WHERE id = ?
            """)
        for id in authors { try countPosts.execute(arguments: [id]) }
    }
}
