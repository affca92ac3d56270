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

    /// Filters on content (not on reader state).
    var hasContentFilter: Bool {
        filter.author != nil || filter.kind != nil || filter.tag != nil || filter.country != nil
    }

    func fromClause() -> String {
        drivenByState ? "FROM postState s JOIN post p ON p.rowid = s.post" : "FROM post p"
    }

    typealias Arguments = [(any DatabaseValueConvertible)?]

    func whereClause() -> (String, Arguments) {
        var terms: [String] = []
        var arguments: Arguments = []
        if filter.unreadOnly { terms.append("s.isRead = 0") }
        if filter.starredOnly { terms.append("s.isStarred = 1") }
        if let author = filter.author {
            terms.append("p.author = ?")
            arguments += [author.rawValue]
        }
        if let kind = filter.kind {
            terms.append("p.kind = ?")
            arguments += [kind.rawValue]
        }
        if let tag = filter.tag {
            terms.append("p.rowid IN (SELECT post FROM postTag WHERE tagKey = ?)")
            arguments += [Folding.key(tag)]
        }
        if let country = filter.country {
            terms.append("p.author IN (SELECT id FROM member WHERE countryKey = ? OR countryCode = ?)")
            arguments += [Folding.key(country), country.uppercased()]
        }
        return (terms.isEmpty ? "" : "WHERE " + terms.joined(separator: " AND "), arguments)
    }

    func orderClause(_ sort: PostSort) -> String {
        // Date orders come from whichever table drives the query; both hold the same sortDate.
        let date = drivenByState ? "s.sortDate" : "p.sortDate"
        let rowid = drivenByState ? "s.post" : "p.rowid"
        switch sort {
        case .newest: return "ORDER BY \(date) DESC, \(rowid) DESC"
        case .oldest: return "ORDER BY \(date) ASC, \(rowid) ASC"
        case .views: return "ORDER BY p.views DESC, p.sortDate DESC"
        case .comments: return "ORDER BY p.commentCount DESC, p.sortDate DESC"
        }
    }

    /// The SQL of a window's rowids, with its arguments but for LIMIT and OFFSET.
    func windowSQL(sort: PostSort) -> (String, Arguments) {
        let (whereSQL, arguments) = whereClause()
        return ("SELECT p.rowid \(fromClause()) \(whereSQL) \(orderClause(sort)) LIMIT ? OFFSET ?", arguments)
    }

    func countSQL() -> (String, Arguments) {
        let (whereSQL, arguments) = whereClause()
        return ("SELECT count(*) \(fromClause()) \(whereSQL)", arguments)
    }

    /// The rowids of a window, in order.
    func windowRowIDs(_ db: Database, sort: PostSort, offset: Int, limit: Int) throws -> [Int64] {
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
            SELECT p.rowid, \(SQLiteRows.summaryColumns) FROM post p JOIN postState s ON s.post = p.rowid
            WHERE p.rowid IN (\(placeholders))
            """, arguments: StatementArguments(rowids))
        var byRowID: [Int64: PostSummary] = [:]
        for row in rows { byRowID[row[0]] = SQLiteRows.summary(row, at: 1) }
        return rowids.compactMap { byRowID[$0] }
    }
}
