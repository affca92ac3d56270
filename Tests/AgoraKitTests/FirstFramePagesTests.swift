@testable import AgoraKit
import AgoraTestSupport
import Foundation
import GRDB
import GRDBSQLite
import Testing

/// What the reader's first frame asks of a cache just opened, counted in the pages SQLite reads
/// into its page cache (each one 8 KiB of the frame's memory): the same count on every run.
struct FirstFramePagesTests {
    static func pagesRead(_ store: SQLiteStore, _ body: () throws -> Void) throws -> Int32 {
        func misses() throws -> Int32 {
            try store.read { db in
                var current: Int32 = 0, highest: Int32 = 0
                sqlite3_db_status(db.sqliteConnection, SQLITE_DBSTATUS_CACHE_MISS, &current, &highest, 0)
                return current
            }
        }
        let before = try misses()
        try body()
        return try misses() - before
    }

    /// A generated community written to a new cache in `directory`, closed: its path.
    static func community(posts: Int, members: Int, in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("c.sqlite")
        try SyntheticCommunity(posts: posts, members: members, comments: 0).write(into: try SQLiteStore(path: path))
        return path
    }

    @Test func a_screen_of_posts_and_of_the_roster_reads_a_few_pages_not_a_member_row_each() throws {
        let directory = TemporaryDirectory()
        let store = try SQLiteStore(path: try Self.community(posts: 2_000, members: 6_000, in: directory))
        var posts: [PostSummary] = [], roster: [MemberSummary] = [], count = 0
        let pages = (posts: try Self.pagesRead(store) { posts = try store.posts(PostQuery(limit: 55)) },
                     roster: try Self.pagesRead(store) { roster = try store.members(MemberQuery(limit: 40)) },
                     count: try Self.pagesRead(store) { count = try store.memberCount(MemberQuery()) })
        // The authors' names come from the index of ids and names, the roster from the index of
        // names that holds what it shows, the count from the totals. Read from their rows, every
        // author and every member shown was a page of its own, and the count read a whole index.
        #expect(pages.posts < 45 && pages.roster < 5 && pages.count <= 1, "\(pages)")
        // And what they say is what the rows say.
        let members = Dictionary(uniqueKeysWithValues: try store.exportContent().members.map { ($0.id, $0) })
        #expect(posts.count == 55 && posts.allSatisfy { $0.author.flatMap { members[$0]?.name } == $0.authorName })
        let byName = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, country FROM member NOT INDEXED ORDER BY nameKey, id LIMIT 40")
        }
        #expect(roster.map(\.id.rawValue) == byName.map { $0["id"] as String })
        #expect(roster.map(\.name) == byName.map { $0["name"] as String })
        #expect(roster.map(\.country) == byName.map { $0["country"] as String? })
        #expect(count == 6_000)
    }

    @Test func a_cache_of_the_eighth_schema_gets_the_indexes() throws {
        let directory = TemporaryDirectory()
        let path = try Self.community(posts: 200, members: 300, in: directory)
        try TestSQLite.downgradeToVersion8(path: path)
        #expect(try TestSQLite.userVersion(path: path) == 8)
        let store = try SQLiteStore(path: path)
        #expect(try TestSQLite.userVersion(path: path) == Schema.version)
        let plan = try store.read { db in
            try (Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT \(SQLiteRows.memberName("'x'"))")
                + Row.fetchAll(db, sql: """
                    EXPLAIN QUERY PLAN SELECT \(SQLiteRows.memberSummaryColumns) FROM member m ORDER BY m.nameKey, m.id LIMIT 40
                    """)).map { $0["detail"] as String }
        }.joined(separator: "\n")
        #expect(plan.contains("COVERING INDEX member_name_by_id"), "\(plan)")
        #expect(plan.contains("COVERING INDEX member_by_name"), "\(plan)")
        #expect(try store.members(MemberQuery(limit: 5)).count == 5)
    }
}
