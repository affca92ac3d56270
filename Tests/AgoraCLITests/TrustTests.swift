import AgoraKit
import Foundation
import Testing

/// What an attacker or an unlucky file can do to `agora`, run as a person runs it.
@Suite("agora against hostile input")
struct TrustTests {
    let agora = AgoraBinary()

    /// No escape sequence, control, C1 control, bidi control or invisible character.
    static func isSafe(_ text: String, allowing allowed: Set<UInt32> = [0x0A]) -> Bool {
        !text.unicodeScalars.contains { scalar in
            let v = scalar.value
            if allowed.contains(v) { return false }
            return v < 0x20 || (0x7F...0x9F).contains(v) || Sanitizer.isBidiControl(v) || Sanitizer.isInvisible(v)
        }
    }

    @Test func dates_that_overflow_are_left_out_and_every_later_command_works() throws {
        defer { agora.remove() }
        let file = agora.file("dates.json")
        try """
            {"format": "agora-cache", "version": 1,
             "posts": [{"id": "a", "title": "Far future", "published": 1e19},
                       {"id": "b", "title": "Far past", "published": -1e12, "updated": -1e300},
                       {"id": "c", "title": "Fine", "published": 1600000000}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        for cache in [agora.file("c.sqlite"), agora.file("c.json")] {
            let imported = try agora.run(["--cache", cache, "import", file])
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("dates: 3 outside 1970-9999 left out"))
            for command in [["list"], ["show", "a"], ["show", "b"], ["info"], ["export", agora.file("out.json")], ["list", "--sort", "oldest"]] {
                let result = try agora.run(["--cache", cache] + command)
                #expect(result.status == 0, "\(cache) \(command): \(result.stderr)")
            }
            #expect(try agora.run(["--cache", cache, "list"]).stdout.contains("Far future"))
        }
    }

    @Test func error_messages_quote_input_without_its_escape_sequences() throws {
        defer { agora.remove() }
        let hostile = "x\u{1B}]52;c;ZXZpbA==\u{07}\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{202E}y"
        try agora.run(["info"])
        let results = [
            try agora.run(["show", hostile]),
            try agora.run(["member", hostile]),
            try agora.run(["mark", "read", hostile]),
            try agora.run(["--theme", hostile]),
            try agora.run(["import", agora.file(hostile + ".json")]),
            try agora.run(["list", "--sort", hostile]),
            try agora.run(["list", "--author", hostile]),
        ]
        for result in results {
            #expect(result.status != 0)
            #expect(Self.isSafe(result.stderr), "\(result.stderr.debugDescription)")
            #expect(result.stderr.contains("xy") || result.stderr.contains("x y"), "the input is still named: \(result.stderr.debugDescription)")
        }
    }

    @Test func json_output_escapes_every_control_character() throws {
        defer { agora.remove() }
        let hostile = "q\u{1B}]0;t\u{07}\u{85}\u{202E}\u{200B}"
        for arguments in [["search", hostile, "--json"], ["list", "--json"], ["members", "--json"], ["sources", "--json"]] {
            let result = try agora.run(arguments)
            #expect(Self.isSafe(result.stdout), "\(arguments): \(result.stdout.debugDescription)")
            if result.status == 0 { #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil, "still JSON") }
        }
    }

    @Test func a_failed_import_into_a_new_cache_leaves_no_cache_behind() throws {
        defer { agora.remove() }
        let orphan = agora.file("orphan.json")
        try CacheFile(CacheContent(posts: [Post(id: "new", title: "New")], comments: [AgoraKit.Comment(id: "c", post: "missing")]))
            .write(to: orphan)
        for name in ["new.sqlite", "new.json"] {
            let cache = agora.file(name)
            let result = try agora.run(["--cache", cache, "import", orphan])
            #expect(result.status == 1)
            let left = try FileManager.default.contentsOfDirectory(atPath: agora.home).filter { $0.hasPrefix("new.") }
            #expect(left.isEmpty, "\(left)")
        }
    }

    @Test func imported_files_cannot_point_a_later_sync_at_local_files() throws {
        defer { agora.remove() }
        let cache = agora.file("c.sqlite")
        let file = agora.file("sources.json")
        try CacheFile(CacheContent(sources: [
            Source(id: "shadow", kind: .feed, name: "Shadow", location: "/etc/shadow"),
            Source(id: "passwd", kind: .feed, name: "Passwd", location: "file:///etc/passwd"),
            Source(id: "web", kind: .feed, name: "Web", location: "https://example.org/feed.xml"),
        ])).write(to: file)
        let imported = try agora.run(["--cache", cache, "import", file])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("2 sources with a local or non-web address left out"), "\(imported.stdout)")
        let opml = agora.file("list.opml")
        try """
            <?xml version="1.0"?><opml version="2.0"><body>
            <outline text="a" xmlUrl="/etc/shadow"/><outline text="b" xmlUrl="file:///etc/passwd"/>
            <outline text="c" xmlUrl="https://example.org/other.xml"/></body></opml>
            """.write(toFile: opml, atomically: true, encoding: .utf8)
        let listed = try agora.run(["--cache", cache, "import", opml])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("1 new source"))
        #expect(listed.stdout.contains("2 feeds with a local or non-web address left out"))
        let sources = try agora.json(["--cache", cache, "sources", "--json"]) as! [[String: Any]]
        #expect(Set(sources.compactMap { $0["location"] as? String }) == ["https://example.org/feed.xml", "https://example.org/other.xml"])
        // Added by a person on the command line, a local file is fine.
        let local = agora.file("local.xml")
        try "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>L</title></channel></rss>".write(toFile: local, atomically: true, encoding: .utf8)
        #expect(try agora.run(["--cache", cache, "sources", "add", local]).status == 0)
    }
}
