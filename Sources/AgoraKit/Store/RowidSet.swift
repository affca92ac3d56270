import GRDB
import GRDBSQLite

/// A set of rowids as one bit each, for the rowids of one table (which SQLite hands out from 1
/// upward, so they are dense). Search gathers the matches of its words into one and checks the
/// rows a filter walks against it: at 100,000 posts that is 12 kB, filled and asked at the cost
/// of a shift, where a `Set<Int64>` hashes every one.
struct RowidSet {
    private var bits: [UInt64]
    private(set) var count = 0

    /// A set for rowids from 0 to `maxRowid`.
    init(maxRowid: Int64) {
        bits = Array(repeating: 0, count: Int(max(0, maxRowid) >> 6) + 1)
    }

    /// Adds a rowid; one past the end it was made for is left out (a row added since).
    mutating func insert(_ rowid: Int64) {
        let word = Int(rowid >> 6)
        guard rowid >= 0, word < bits.count else { return }
        let mask: UInt64 = 1 << UInt64(rowid & 63)
        if bits[word] & mask == 0 { bits[word] |= mask; count += 1 }
    }

    func contains(_ rowid: Int64) -> Bool {
        let word = Int(rowid >> 6)
        guard rowid >= 0, word < bits.count else { return false }
        return bits[word] & (1 << UInt64(rowid & 63)) != 0
    }
}

extension Database {
    /// Steps a query whose first column is a rowid, handing each to `body` until it returns false.
    /// GRDB's cursors decode each value through its own types; this reads the integer as SQLite
    /// gives it, which for the hundred thousand matches of a common word is the difference
    /// between 15 ms and 4 ms.
    func eachRowid(_ sql: String, arguments: StatementArguments = [], _ body: (Int64) throws -> Bool) throws {
        try eachRow(sql, arguments: arguments) { try body(sqlite3_column_int64($0, 0)) }
    }

    /// Steps a query whose first column is a number (a date), as `eachRowid` does.
    func eachDouble(_ sql: String, arguments: StatementArguments = [], _ body: (Double) throws -> Bool) throws {
        try eachRow(sql, arguments: arguments) { try body(sqlite3_column_double($0, 0)) }
    }

    private func eachRow(_ sql: String, arguments: StatementArguments, _ body: (OpaquePointer) throws -> Bool) throws {
        let statement = try makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let raw = statement.sqliteStatement
        defer { sqlite3_reset(raw) }
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqliteConnection)), sql: sql)
            }
            if try !body(raw) { return }
        }
    }
}
