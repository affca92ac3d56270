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
        try downgrade(path: path, to: 1, undoing: ["ALTER TABLE member DROP COLUMN wall", "ALTER TABLE source DROP COLUMN retryAfter"])
    }

    /// Turns a new cache back into what the second schema wrote: search indexes of the text as
    /// it is, not folded (so "strasse" does not find Straße), version 2.
    static func downgradeToVersion2(path: String) throws {
        try downgrade(path: path, to: 2, undoing: [
            "INSERT INTO postSearch (postSearch) VALUES ('delete-all')",
            "INSERT INTO postSearch (rowid, title, body) SELECT p.rowid, p.title, b.html FROM post p JOIN postBody b ON b.post = p.rowid",
            "DELETE FROM memberSearch",
            "INSERT INTO memberSearch (rowid, name, country, location) SELECT rowid, name, country, location FROM member",
            "DROP INDEX comment_by_date",
            "DROP TABLE searchTerm",
        ])
    }

    /// Turns a new cache back into what the third schema wrote: no likes, no comment links, no
    /// forum options, version 3.
    static func downgradeToVersion3(path: String) throws {
        try downgradeToVersion4(path: path)
        try downgrade(path: path, to: 3, undoing: [
            "ALTER TABLE post DROP COLUMN likes", "ALTER TABLE comment DROP COLUMN link", "ALTER TABLE source DROP COLUMN forum",
            "ALTER TABLE source DROP COLUMN feedKey", "DROP TABLE commentDay",
        ])
    }

    /// Turns a new cache back into what the eighth schema wrote: members by name and by id
    /// through indexes that hold only the key.
    static func downgradeToVersion8(path: String) throws {
        try downgrade(path: path, to: 8, undoing: [
            "DROP INDEX member_name_by_id", "DROP INDEX member_by_name", "CREATE INDEX member_by_name ON member(nameKey, id)",
        ])
    }

    /// Turns a new cache back into what the seventh schema wrote: the search index always
    /// complete, no mark of how far it has got, FTS5's own merge setting.
    static func downgradeToVersion7(path: String) throws {
        try downgradeToVersion8(path: path)
        try downgrade(path: path, to: 7, undoing: [
            "DROP TABLE searchIndexed",
            "DELETE FROM postSearch_config WHERE k = 'automerge'", "DELETE FROM commentSearch_config WHERE k = 'automerge'",
        ])
    }

    /// Turns a new cache back into what the sixth schema wrote: no sync results as values.
    static func downgradeToVersion6(path: String) throws {
        try downgradeToVersion7(path: path)
        try downgrade(path: path, to: 6, undoing: ["ALTER TABLE source DROP COLUMN lastResult", "ALTER TABLE source DROP COLUMN list"])
    }

    /// Turns a new cache back into what the fifth schema wrote: no counts by source.
    static func downgradeToVersion5(path: String) throws {
        try downgradeToVersion6(path: path)
        try downgrade(path: path, to: 5, undoing: [
            "DROP TRIGGER postState_read_counted", "DROP TRIGGER postState_new_counted", "DROP TABLE sourceTotal",
            "DROP INDEX post_by_source", "DROP INDEX post_by_activity", "DROP INDEX postState_new", "DROP INDEX comment_unread",
            "ALTER TABLE post DROP COLUMN lastActivity", "ALTER TABLE postState DROP COLUMN newReplies",
            "ALTER TABLE source DROP COLUMN site", "ALTER TABLE source DROP COLUMN folder",
        ])
    }

    /// Turns a new cache back into what the fourth schema wrote: no comment count per member, no
    /// muted members.
    static func downgradeToVersion4(path: String) throws {
        try downgradeToVersion5(path: path)
        try downgrade(path: path, to: 4, undoing: [
            "DROP INDEX member_by_country_spelling", "DROP INDEX member_by_post_count", "DROP INDEX member_by_comment_count",
            "DROP INDEX member_by_joined", "ALTER TABLE member DROP COLUMN commentCount", "DROP TABLE muted",
        ])
    }

    /// Undoes what migration `v(version + 1)` made, forgets that it ran and sets the version.
    private static func downgrade(path: String, to version: Int, undoing statements: [String]) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            for sql in statements { try db.execute(sql: sql) }
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v\(version + 1)'")
            try db.execute(sql: "PRAGMA user_version = \(version)")
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
