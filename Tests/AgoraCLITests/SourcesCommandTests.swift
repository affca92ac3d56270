import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// One source at a time from the command line: `sources` with its counts, `list --source`,
/// `mark read --source` (undone by `undo`), and wrong names refused with nothing changed.
@Suite("Sources from the command line")
struct SourcesCommandTests {
    let agora = AgoraBinary()

    /// A cache with two feeds and a forum of two categories, through an Agora JSON file.
    func cache() throws -> String {
        func post(_ id: String, _ source: String, _ category: String?, _ n: Int) -> Post {
            Post(id: Post.ID(id), source: Source.ID(source), kind: .blogPost, title: "Title \(id)",
                 published: Date(timeIntervalSince1970: 1_600_000_000 + Double(n) * 3600), category: category)
        }
        let content = CacheContent(
            sources: [Source(id: "feed:a", kind: .feed, name: "Feed A", location: "https://a.example/feed", lastStatus: "ok"),
                      Source(id: "feed:b", kind: .feed, name: "Feed B", location: "https://b.example/feed"),
                      Source(id: "forum", kind: .discourse, name: "The Forum", location: "https://forum.example")],
            posts: (0..<3).map { post("a\($0)", "feed:a", nil, $0) } + (0..<2).map { post("b\($0)", "feed:b", nil, 10 + $0) }
                + (0..<4).map { post("f\($0)", "forum", $0 < 3 ? "Policy" : "Meta", 20 + $0) })
        let file = agora.file("three.json")
        try CacheFile(content).write(to: file)
        let cache = agora.file("c.sqlite")
        let imported = try agora.run(["--cache", cache, "import", file])
        #expect(imported.status == 0, "\(imported.stderr)")
        return cache
    }

    @Test func sources_list_counts_and_a_forums_categories() throws {
        defer { agora.remove() }
        let cache = try cache()
        let table = try agora.run(["--cache", cache, "sources"]).stdout
        let lines = table.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.contains("feed:a feed Feed A 3 3 never ok"), "\(table)")
        #expect(lines.contains("forum discourse The Forum 4 4 never —"), "\(table)")
        #expect(lines.contains("› Meta 1 1"), "\(table)")
        #expect(lines.contains("› Policy 3 3"), "\(table)")
        let json = try #require(try agora.json(["--cache", cache, "sources", "--json"]) as? [[String: Any]])
        let forum = try #require(json.first { $0["id"] as? String == "forum" })
        #expect(forum["posts"] as? Int == 4 && forum["unread"] as? Int == 4)
        let categories = try #require(forum["categories"] as? [[String: Any]])
        #expect(categories.map { $0["name"] as? String } == ["Meta", "Policy"])
        #expect(categories.map { $0["unread"] as? Int } == [1, 3])
        #expect(json.first { $0["id"] as? String == "feed:a" }?["lastStatus"] as? String == "ok", "what the cache keeps is still there")
        #expect(json.first { $0["id"] as? String == "feed:a" }?["categories"] == nil, "a feed has no categories to list")
    }

    @Test func one_source_is_listed_marked_read_and_undone() throws {
        defer { agora.remove() }
        let cache = try cache()
        func ids(_ extra: [String]) throws -> [String] {
            (try agora.json(["--cache", cache, "list", "--json"] + extra) as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        #expect(try ids(["--source", "feed:b"]) == ["b1", "b0"])
        #expect(try ids(["--source", "forum", "--category", "Policy"]) == ["f2", "f1", "f0"])
        #expect(try agora.run(["--cache", cache, "list", "--source", "forum", "--category", "Meta"]).stdout.hasSuffix("1 post, 1 unread\n"))
        let marked = try agora.run(["--cache", cache, "mark", "read", "--source", "forum", "--category", "Policy"])
        #expect(marked.stdout == "Marked 3 posts of The Forum › Policy read (change 1). Undo with: agora undo\n", "\(marked.stderr)")
        #expect(try ids(["--unread"]).sorted() == ["a0", "a1", "a2", "b0", "b1", "f3"])
        let again = try agora.run(["--cache", cache, "mark", "read", "--source", "forum", "--category", "Policy"])
        #expect(again.stdout == "Nothing to mark: no unread posts in The Forum › Policy.\n")
        #expect(try agora.run(["--cache", cache, "undo"]).status == 0)
        #expect(try ids(["--unread", "--source", "forum"]).count == 4)
        // The whole source, then the whole cache's list of one source by mark-all-read.
        #expect(try agora.run(["--cache", cache, "mark", "read", "--source", "feed:a"]).stdout.hasPrefix("Marked 3 posts of Feed A read"))
        #expect(try ids(["--unread", "--source", "feed:a"]).isEmpty)
        #expect(try agora.run(["--cache", cache, "mark-all-read", "--source", "feed:b"]).status == 0)
        #expect(try ids(["--unread"]).sorted() == ["f0", "f1", "f2", "f3"])
    }

    @Test func an_opml_lists_folders_and_sites_are_kept_and_exported() throws {
        defer { agora.remove() }
        let list = agora.file("list.opml")
        try Data("""
            <opml version="2.0"><body><outline text="IG"><outline type="rss" text="IGF" xmlUrl="https://igf.example/rss"
            htmlUrl="https://igf.example/"/></outline></body></opml>
            """.utf8).write(to: URL(fileURLWithPath: list))
        let cache = agora.file("o.sqlite")
        #expect(try agora.run(["--cache", cache, "import", list]).status == 0)
        let sources = try #require(try agora.json(["--cache", cache, "sources", "--json"]) as? [[String: Any]])
        #expect(sources.first?["folder"] as? String == "IG")
        #expect(sources.first?["site"] as? String == "https://igf.example/")
        let out = agora.file("out.opml")
        #expect(try agora.run(["--cache", cache, "export", "--opml", out]).status == 0)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("<outline text=\"IG\" title=\"IG\">"))
        #expect(text.contains("htmlUrl=\"https://igf.example/\""))
    }

    @Test func a_wrong_source_or_a_category_alone_is_refused_and_nothing_changes() throws {
        defer { agora.remove() }
        let cache = try cache()
        let before = try agora.run(["--cache", cache, "sources", "--json"]).stdout
        for arguments in [["list", "--source", "nope"], ["mark", "read", "--source", "nope"], ["mark-all-read", "--source", "nope"]] {
            let result = try agora.run(["--cache", cache] + arguments)
            #expect(result.status != 0)
            #expect(result.stderr == "agora: no source with id 'nope' (agora sources lists them)\n", "\(arguments)")
        }
        for arguments in [["list", "--category", "Policy"], ["mark", "read", "--category", "Policy", "f0"]] {
            let result = try agora.run(["--cache", cache] + arguments)
            #expect(result.status != 0)
            #expect(result.stderr.hasPrefix("Error: --category needs --source") || result.stderr.contains("--category needs --source"), "\(result.stderr)")
        }
        let both = try agora.run(["--cache", cache, "mark", "read", "--source", "forum", "f0"])
        #expect(both.stderr.contains("name ids or --source, not both"))
        let star = try agora.run(["--cache", cache, "mark", "star", "--source", "forum"])
        #expect(star.stderr.contains("--source marks a source's posts read"))
        #expect(try agora.run(["--cache", cache, "sources", "--json"]).stdout == before)
    }
}
