import AgoraKit
import Foundation
import GRDB
import Testing

/// The command line with a search index that follows the content.
@Suite("Search while the index is made")
struct SearchIndexCommandTests {
    static func feed(_ items: Range<Int>) -> String {
        let entries = items.map { "<item><title>Item \($0)</title><guid>i\($0)</guid><description>hello word\($0)x</description></item>" }
        return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>F</title><link>http://example.org/</link>\(entries.joined())</channel></rss>"
    }

    @Test func search_says_what_is_not_indexed_and_the_next_import_indexes_it() throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let cache = agora.file("c.sqlite"), first = agora.file("a.xml"), second = agora.file("b.xml")
        try Self.feed(0..<3).write(toFile: first, atomically: true, encoding: .utf8)
        try Self.feed(3..<4).write(toFile: second, atomically: true, encoding: .utf8)
        // The import says, in JSON, how long the content took and then the index.
        let json = try #require(try agora.json(["--cache", cache, "import", "--json", first]) as? [String: Any])
        let seconds = try #require(json["seconds"] as? [String: Double])
        #expect(seconds["content"].map { $0 >= 0 } == true && seconds["searchIndex"].map { $0 >= 0 } == true)
        #expect(try agora.run(["--cache", cache, "search", "hello"]).stdout.contains("Posts (3)"))
        // As a process stopped right after its content leaves the cache:
        let queue = try DatabaseQueue(path: cache)
        try queue.write { try $0.execute(sql: "INSERT INTO postSearch (postSearch) VALUES ('delete-all'); UPDATE searchIndexed SET upTo = 0") }
        try queue.close()
        let unindexed = try agora.run(["--cache", cache, "search", "hello"])
        #expect(unindexed.stderr.contains("indexing for search: 0 of 3 posts; what is not indexed yet is not searched"), "\(unindexed.stderr)")
        #expect(unindexed.stdout.contains("Nothing matches"))
        #expect(try agora.run(["--cache", cache, "list"]).stdout.contains("Item 2"), "the content is there")
        // The next import indexes what waited and its own.
        #expect(try agora.run(["--cache", cache, "import", second]).status == 0)
        let after = try agora.run(["--cache", cache, "search", "hello"])
        #expect(after.stdout.contains("Posts (4)") && after.stderr.isEmpty, "\(after.stdout)\(after.stderr)")
    }
}
