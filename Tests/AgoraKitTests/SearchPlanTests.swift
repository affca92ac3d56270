@testable import AgoraKit
import AgoraTestSupport
import Foundation
import GRDB
import GRDBSQLite
import Testing

/// How much work a search costs SQLite, counted in its virtual machine's steps (the progress
/// handler), which is the same on every run and every machine: a plan that reads every row
/// shows as a count a hundred times larger, whatever the clock says.
struct SearchPlanTests {
    /// Calls of the progress handler, one per 100 of SQLite's steps, while `body` runs.
    final class Steps: @unchecked Sendable { var count = 0 }

    static func steps(_ store: SQLiteStore, _ body: () throws -> Void) throws -> Int {
        let steps = Steps()
        let context = Unmanaged.passUnretained(steps).toOpaque()
        try store.read { db in
            sqlite3_progress_handler(db.sqliteConnection, 100, { context in
                Unmanaged<Steps>.fromOpaque(context!).takeUnretainedValue().count += 1
                return 0
            }, context)
        }
        defer { _ = try? store.read { db in sqlite3_progress_handler(db.sqliteConnection, 0, nil, nil) } }
        try body()
        return steps.count
    }

    @Test func unread_with_words_reads_the_few_unread_rows_not_every_row_by_date() throws {
        let directory = TemporaryDirectory()
        let store = try SQLiteStore(path: directory.file("c.sqlite"))
        try SyntheticCommunity(posts: 500, members: 200, comments: 12_000).write(into: store)
        let comments = try store.exportContent().comments.map(\.id)
        // Every comment read but three: the unread ones are few, the words match many.
        try store.setRead(true, comments: Array(comments.dropFirst(3)))
        let query = SearchQuery("is:unread the")
        var found: SearchResults?
        let cost = try Self.steps(store) { found = try store.search(query, kinds: [.comments], limit: 20, offset: 0) }
        // The three unread comments are all there is to check (one call here); asked together
        // with the order, SQLite walked all 12,000 comments by date (481 calls).
        #expect(cost < 50, "\(cost) hundreds of steps")
        let expected = try store.search(SearchQuery("the"), kinds: [.comments], limit: 20_000, offset: 0).comments
            .filter { Set(comments.prefix(3)).contains($0.comment) }
        #expect(found?.comments.map(\.comment) == expected.map(\.comment))
    }
}
