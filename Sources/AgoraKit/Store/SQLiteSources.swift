import GRDB

/// Posts by source and category, read from the kept `sourceTotal` (see Schema v6).
extension SQLiteStore {
    public func sourceCounts() throws -> [SourceCount] {
        try read { db in
            struct Pair: Hashable { var source: String, category: String }
            var counts: [Pair: (posts: Int, unread: Int, new: Int)] = [:]
            var order: [Pair] = []
            for row in try Row.fetchAll(db, sql: "SELECT source, category, posts, unread, newReplies FROM sourceTotal ORDER BY source, category") {
                let pair = Pair(source: try row.decode(forColumn: "source"), category: try row.decode(forColumn: "category"))
                counts[pair] = (try row.decode(forColumn: "posts"), try row.decode(forColumn: "unread"), try row.decode(forColumn: "newReplies"))
                order.append(pair)
            }
            // Muted members' posts come off: few, read from the index by author.
            if try SQLitePostQuery.anyMuted(db) {
                let muted = try Row.fetchAll(db, sql: """
                    SELECT coalesce(p.source, '') AS source, coalesce(p.category, '') AS category, count(*) AS posts,
                        sum(s.isRead = 0) AS unread, sum(s.newReplies) AS new
                    FROM post p JOIN postState s ON s.post = p.rowid WHERE p.author IN (SELECT member FROM muted) GROUP BY 1, 2
                    """)
                for row in muted {
                    let pair = Pair(source: try row.decode(forColumn: "source"), category: try row.decode(forColumn: "category"))
                    guard let kept = counts[pair] else { continue }
                    counts[pair] = (kept.posts - (try row.decode(Int.self, forColumn: "posts")),
                                    kept.unread - (try row.decode(Int.self, forColumn: "unread")), kept.new - (try row.decode(Int.self, forColumn: "new")))
                }
            }
            return order.compactMap { pair in
                guard let count = counts[pair], count.posts > 0 else { return nil }
                return SourceCount(source: pair.source.isEmpty ? nil : Source.ID(pair.source),
                                   category: pair.category.isEmpty ? nil : pair.category, posts: count.posts, unread: count.unread,
                                   newReplies: count.new)
            }
        }
    }

    /// Counts every pair of source and category from the rows, as `sourceCounts` should report
    /// them: a check of the kept counts.
    public func recountedSourceCounts() throws -> [SourceCount] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT coalesce(p.source, ''), coalesce(p.category, ''), count(*), sum(s.isRead = 0),
                    (SELECT count(*) FROM comment c JOIN post q ON q.id = c.post JOIN postState r ON r.post = q.rowid
                     WHERE r.isRead = 1 AND c.isRead = 0 AND q.source IS p.source AND q.category IS p.category
                        AND (q.author IS NULL OR q.author NOT IN (SELECT member FROM muted)))
                FROM post p JOIN postState s ON s.post = p.rowid WHERE \(SQLitePostQuery.notMuted()) GROUP BY 1, 2 ORDER BY 1, 2
                """).map { row in
                let source: String = try row.decode(atIndex: 0), category: String = try row.decode(atIndex: 1)
                return SourceCount(source: source.isEmpty ? nil : Source.ID(source), category: category.isEmpty ? nil : category,
                                   posts: try row.decode(atIndex: 2), unread: try row.decode(atIndex: 3), newReplies: try row.decode(atIndex: 4))
            }
        }
    }
}

extension SQLitePostQuery {
    /// A list of one source (or one of its categories), unread or not, counted from the kept
    /// counts; nil for any other filter.
    func sourceCount(_ db: Database) throws -> Int? {
        guard let source = filter.source, filter.author == nil, filter.kind == nil, filter.tag == nil, filter.country == nil,
              !filter.starredOnly, !readOnly else { return nil }
        let column = filter.unreadOnly ? "unread" : "posts"
        var sql = "SELECT coalesce(sum(\(column)), 0) FROM sourceTotal WHERE source = ?"
        var arguments: [String] = [source.rawValue]
        if let category = filter.category {
            sql += " AND category = ?"
            arguments.append(category)
        }
        return try Int.fetchOne(db, sql: sql, arguments: StatementArguments(arguments))
    }
}
