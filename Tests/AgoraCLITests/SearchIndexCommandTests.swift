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

    @Test func search_makes_what_the_index_lacks_first_and_says_how_far_it_is_where_it_cannot() throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let cache = agora.file("c.sqlite"), first = agora.file("a.xml"), second = agora.file("b.xml")
        try Self.feed(0..<3).write(toFile: first, atomically: true, encoding: .utf8)
        try Self.feed(3..<4).write(toFile: second, atomically: true, encoding: .utf8)
        // The import says, in JSON, how long the content took and then the index.
        let json = try #require(try agora.json(["--cache", cache, "import", "--json", first]) as? [String: Any])
        let seconds = try #require(json["seconds"] as? [String: Double])
        #expect(seconds["content"].map { $0 >= 0 } == true && seconds["searchIndex"].map { $0 >= 0 } == true)
        #expect(json["searchIndexLeft"] as? Int == 0)
        #expect(try agora.run(["--cache", cache, "search", "hello"]).stdout.contains("Posts (3)"))
        // As a process stopped right after its content leaves the cache, and a file it cannot write:
        try Self.forgetIndex(cache)
        chmod(cache, 0o444)
        let unindexed = try agora.run(["--cache", cache, "search", "hello"])
        #expect(unindexed.stderr.contains("indexing for search: 0 of 3 posts; what is not indexed yet is not searched"), "\(unindexed.stderr)")
        #expect(unindexed.stdout.contains("Nothing matches"))
        #expect(try agora.run(["--cache", cache, "list"]).stdout.contains("Item 2"), "the content is there")
        // One it can write: the search makes the index first, and finds everything.
        chmod(cache, 0o644)
        let search = try agora.run(["--cache", cache, "search", "hello"])
        #expect(search.stdout.contains("Posts (3)") && search.stderr.isEmpty, "\(search.stdout)\(search.stderr)")
        #expect(try SQLiteStore(path: cache, create: false).searchIndexProgress().isComplete)
        // The next import indexes what waited and its own.
        try Self.forgetIndex(cache)
        #expect(try agora.run(["--cache", cache, "import", second]).status == 0)
        #expect(try SQLiteStore(path: cache, create: false).searchIndexProgress().isComplete)
        #expect(try agora.run(["--cache", cache, "search", "hello"]).stdout.contains("Posts (4)"))
    }

    /// Past a step (5,000 posts and comments) an import returns with its content in the cache
    /// and leaves the index to whoever needs it first; --wait-for-index makes it before returning.
    @Test func a_large_import_returns_with_its_content_and_leaves_the_index_to_the_first_search() throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let step = agora.file("step.xml"), more = agora.file("more.xml")
        try Self.feed(0..<5_000).write(toFile: step, atomically: true, encoding: .utf8)
        try Self.feed(0..<5_001).write(toFile: more, atomically: true, encoding: .utf8)
        // A step: indexed before the import returns.
        let small = try #require(try agora.json(["--cache", agora.file("a.sqlite"), "import", "--json", step]) as? [String: Any])
        #expect(small["searchIndexLeft"] as? Int == 0)
        #expect(try SQLiteStore(path: agora.file("a.sqlite"), create: false).searchIndexProgress().isComplete)
        // One more: the content only, and it says so.
        let cache = agora.file("b.sqlite")
        let large = try agora.run(["--cache", cache, "import", more])
        #expect(large.status == 0)
        #expect(large.stdout.contains("posts: 5001 added"), "\(large.stdout)")
        #expect(large.stdout.contains("search index: 5,001 posts and comments still to index; the reader makes it as you read, `agora search` before it answers"),
                "\(large.stdout)")
        #expect(try SQLiteStore(path: cache, create: false).searchIndexProgress()
            == SearchIndexProgress(posts: 5_001, postsIndexed: 0, comments: 0, commentsIndexed: 0))
        #expect(try agora.run(["--cache", cache, "list", "--limit", "1"]).stdout.contains("Item 5000"), "the content is there")
        // The first search makes the index, and finds the last item.
        let search = try agora.run(["--cache", cache, "search", "word5000x"])
        #expect(search.stdout.contains("Posts (1)") && search.stdout.contains("Item 5000") && search.stderr.isEmpty, "\(search.stdout)\(search.stderr)")
        #expect(try SQLiteStore(path: cache, create: false).searchIndexProgress().isComplete)
        // --wait-for-index: all of it before returning, timed apart from the content.
        let waited = agora.file("c.sqlite")
        let json = try #require(try agora.json(["--cache", waited, "import", "--json", "--wait-for-index", more]) as? [String: Any])
        #expect(json["searchIndexLeft"] as? Int == 0)
        #expect((json["seconds"] as? [String: Double])?["searchIndex"] != nil)
        #expect(try SQLiteStore(path: waited, create: false).searchIndexProgress().isComplete)
        // Without it, in JSON: what was left, and no time for an index not made.
        let left = try #require(try agora.json(["--cache", agora.file("d.sqlite"), "import", "--json", more]) as? [String: Any])
        #expect(left["searchIndexLeft"] as? Int == 5_001)
        let seconds = try #require(left["seconds"] as? [String: Any])
        #expect(seconds["content"] is Double && seconds["searchIndex"] == nil, "\(seconds)")
    }

    /// Empties the index and its mark, as a process stopped right after its content commit leaves them.
    static func forgetIndex(_ cache: String) throws {
        let queue = try DatabaseQueue(path: cache)
        try queue.write { try $0.execute(sql: "INSERT INTO postSearch (postSearch) VALUES ('delete-all'); UPDATE searchIndexed SET upTo = 0") }
        try queue.close()
    }
}
