import AgoraKit
import Foundation
import GRDB
import Testing

/// A row whose value is of the wrong kind (a damaged file, a row another program wrote) is an
/// error with a message naming the cache, never a trap that leaves a terminal in the reader's
/// screen mode.
@Suite("values of the wrong kind in a cache")
struct DamagedRowTests {
    let agora = AgoraBinary()

    /// A small cache with one column of one row set by hand to `value`.
    func damaged(_ sql: String) throws -> String {
        let cache = agora.file("damaged.sqlite")
        #expect(try agora.run(["generate", "--posts", "5", "--members", "3", "--comments", "4", "--out", cache]).status == 0)
        let queue = try DatabaseQueue(path: cache)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
        return cache
    }

    func expectMessage(_ result: AgoraBinary.Result, cache: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, "exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("agora: cannot read \(cache): "), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("the file may be damaged"), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "one line: \(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test func a_member_name_that_is_not_text() throws {
        defer { agora.remove() }
        let cache = try damaged("UPDATE member SET name = x'00ff10'")
        expectMessage(try agora.run(["--cache", cache, "members"]), cache: cache)
        expectMessage(try agora.run(["--cache", cache, "list"]), cache: cache)
    }

    @Test func a_date_that_is_not_a_number() throws {
        defer { agora.remove() }
        let cache = try damaged("UPDATE post SET published = 'yesterday'")
        expectMessage(try agora.run(["--cache", cache, "list"]), cache: cache)
    }

    @Test func a_comment_author_that_is_not_text() throws {
        defer { agora.remove() }
        let cache = try damaged("UPDATE comment SET authorName = x'ff'")
        let post = try #require(try agora.run(["--cache", cache, "list", "--sort", "comments", "--json"]).stdout
            .components(separatedBy: "\"id\" : \"").dropFirst().first?.prefix { $0 != "\"" })
        let shown = try agora.run(["--cache", cache, "show", String(post)])
        expectMessage(shown, cache: cache)
    }
}
