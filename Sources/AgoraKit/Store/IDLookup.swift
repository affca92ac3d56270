import GRDB

extension Database {
    /// Which of `ids` a table holds in its `id` column: `SELECT id ... WHERE id IN (...)` a
    /// slice at a time, each slice padded (with its own first id) to 16, 64 or 500 values, so
    /// that a handful of cached statements serve every call. Made anew for each slice's length,
    /// the statement's compiling cost as much as the lookups when a sync asked a batch's ids.
    func presentIDs(in table: String, _ ids: [String]) throws -> Set<String> {
        var found = Set<String>()
        var start = 0
        while start < ids.count {
            let slice = Array(ids[start..<min(ids.count, start + 500)])
            start += slice.count
            let size = slice.count <= 16 ? 16 : slice.count <= 64 ? 64 : 500
            let marks = Array(repeating: "?", count: size).joined(separator: ",")
            let statement = try cachedStatement(sql: "SELECT id FROM \(table) WHERE id IN (\(marks))")
            let padded = slice + Array(repeating: slice[0], count: size - slice.count)
            found.formUnion(try String.fetchAll(statement, arguments: StatementArguments(padded)))
        }
        return found
    }
}
