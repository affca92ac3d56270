import Foundation
import GRDB

/// Direct database access for tests that must make or inspect files the way another program
/// would.
enum TestSQLite {
    static func setUserVersion(path: String, _ version: Int) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = \(version)") }
        try queue.close()
    }

    /// Turns a new cache back into what the first schema wrote: no `wall` column, version 1.
    static func downgradeToVersion1(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ALTER TABLE member DROP COLUMN wall")
            try db.execute(sql: "ALTER TABLE source DROP COLUMN retryAfter")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v2'")
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        try queue.close()
    }

    /// Turns a new cache back into what the second schema wrote: search indexes of the text as
    /// it is, not folded (so "strasse" does not find Straße), version 2.
    static func downgradeToVersion2(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "INSERT INTO postSearch (postSearch) VALUES ('delete-all')")
            try db.execute(sql: "INSERT INTO postSearch (rowid, title, body) SELECT p.rowid, p.title, b.html FROM post p JOIN postBody b ON b.post = p.rowid")
            try db.execute(sql: "DELETE FROM memberSearch")
            try db.execute(sql: "INSERT INTO memberSearch (rowid, name, country, location) SELECT rowid, name, country, location FROM member")
            try db.execute(sql: "DROP INDEX comment_by_date")
            try db.execute(sql: "DROP TABLE searchTerm")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v3'")
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        try queue.close()
    }

    /// Turns a new cache back into what the third schema wrote: no likes, no comment links, no
    /// forum options, version 3.
    static func downgradeToVersion3(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ALTER TABLE post DROP COLUMN likes")
            try db.execute(sql: "ALTER TABLE comment DROP COLUMN link")
            try db.execute(sql: "ALTER TABLE source DROP COLUMN forum")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v4'")
            try db.execute(sql: "PRAGMA user_version = 3")
        }
        try queue.close()
    }

    static func userVersion(path: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { try Int.fetchOne($0, sql: "PRAGMA user_version") ?? 0 }
    }

    static func createForeign(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)") }
        try queue.close()
    }

    /// EXPLAIN QUERY PLAN details for each statement.
    static func queryPlans(path: String, _ statements: [(String, [(any DatabaseValueConvertible)?])]) throws -> [(String, [String])] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try statements.map { sql, arguments in
                (sql, try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(arguments))
                    .map { $0["detail"] as String })
            }
        }
    }
}
