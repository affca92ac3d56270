import AgoraKit
import Foundation
import Testing

/// Each bad input gives one clear line and exit 1, and changes no file.
@Suite("agora with bad input")
struct BadInputTests {
    let agora = AgoraBinary()

    private func expectOneLineError(_ result: AgoraBinary.Result, contains text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("agora: "), sourceLocation: sourceLocation)
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func a_file_that_is_not_a_database() throws {
        defer { agora.remove() }
        let path = agora.file("notes.sqlite")
        let original = Data("my notes\n".utf8)
        _ = FileManager.default.createFile(atPath: path, contents: original)
        let source = agora.file("source.json")
        try CacheFile(CacheContent(posts: [Post(id: "x", title: "X")])).write(to: source)
        for arguments in [["list"], ["mark-all-read"], ["import", source]] {
            expectOneLineError(try agora.run(["--cache", path] + arguments), contains: "\(path): not an Agora cache (not a SQLite database)")
        }
        #expect(FileManager.default.contents(atPath: path) == original)
    }

    @Test func a_truncated_or_invalid_json_cache_names_line_and_column() throws {
        defer { agora.remove() }
        let path = agora.file("cache.json")
        let broken = Data("{\n  \"format\": \"agora-cache\",\n  \"version\": 1,\n  \"posts\": [\n    {\"id\": \"a\", \"title\": \"x\"".utf8)
        _ = FileManager.default.createFile(atPath: path, contents: broken)
        expectOneLineError(try agora.run(["--cache", path, "list"]), contains: "\(path):5:")
        expectOneLineError(try agora.run(["--cache", path, "list"]), contains: "unexpected end of file")
        #expect(FileManager.default.contents(atPath: path) == broken)
    }

    @Test func a_cache_from_a_newer_agora() throws {
        defer { agora.remove() }
        let json = agora.file("newer.json")
        let text = Data(#"{"format": "agora-cache", "version": 9, "posts": []}"#.utf8)
        _ = FileManager.default.createFile(atPath: json, contents: text)
        expectOneLineError(try agora.run(["--cache", json, "list"]),
                           contains: "\(json): written by a newer Agora: schema 9; this build reads up to 1")
        #expect(FileManager.default.contents(atPath: json) == text)

        let sqlite = agora.file("newer.sqlite")
        _ = try SQLiteStore(path: sqlite)
        try TestDatabase.setUserVersion(path: sqlite, 99)
        let before = FileManager.default.contents(atPath: sqlite)
        expectOneLineError(try agora.run(["--cache", sqlite, "mark-all-read"]),
                           contains: "\(sqlite): written by a newer Agora: schema 99; this build reads up to 9")
        #expect(FileManager.default.contents(atPath: sqlite) == before)
    }

    @Test func unknown_post_and_member_ids() throws {
        defer { agora.remove() }
        try agora.run(["info"])  // the cache now exists
        let before = FileManager.default.contents(atPath: agora.defaultCache)
        expectOneLineError(try agora.run(["show", "no-such-post"]), contains: "no post with id 'no-such-post'")
        expectOneLineError(try agora.run(["member", "nobody"]), contains: "no member with id 'nobody'")
        expectOneLineError(try agora.run(["mark", "read", "itu-secretary-general-wcit", "nope"]), contains: "no post with id 'nope'")
        expectOneLineError(try agora.run(["list", "--author", "nobody"]), contains: "no member with id 'nobody'")
        // The known id in the same command was not marked either.
        #expect(FileManager.default.contents(atPath: agora.defaultCache) == before)
        #expect((try agora.json(["list", "--unread", "--json"]) as! [Any]).count == 1)
    }

    @Test func a_cache_folder_that_cannot_be_created() throws {
        defer { agora.remove() }
        let blocker = agora.file("a-file")
        _ = FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
        let result = try agora.run(["--cache", blocker + "/sub/agora.sqlite", "import", "--sample"])
        expectOneLineError(result, contains: "cannot create \(blocker)/sub/agora.sqlite")
        expectOneLineError(try agora.run(["--cache", agora.home, "list"]), contains: "cannot read \(agora.home): it is a folder")
        let xdg = try agora.run(["list"], environment: ["XDG_DATA_HOME": blocker])
        expectOneLineError(xdg, contains: "cannot create \(blocker)/agora/agora.sqlite")
    }

    @Test func a_broken_import_leaves_the_cache_byte_for_byte_unchanged() throws {
        defer { agora.remove() }
        for name in ["cache.sqlite", "cache.json"] {
            let cache = agora.file(name)
            #expect(try agora.run(["--cache", cache, "import", "--sample"]).status == 0)
            #expect(try agora.run(["--cache", cache, "mark", "star", "itu-secretary-general-wcit"]).status == 0)
            let before = FileManager.default.contents(atPath: cache)
            let orphan = agora.file("orphan.json")
            try CacheFile(CacheContent(
                posts: [Post(id: "new", title: "New")],
                comments: [AgoraKit.Comment(id: "c", post: "missing")])).write(to: orphan)
            expectOneLineError(try agora.run(["--cache", cache, "import", orphan]),
                               contains: "comment 'c' is on post 'missing', which is not in the cache")
            let garbage = agora.file("garbage.json")
            _ = FileManager.default.createFile(atPath: garbage, contents: Data("[1, 2,".utf8))
            expectOneLineError(try agora.run(["--cache", cache, "import", garbage]), contains: "\(garbage):1:")
            expectOneLineError(try agora.run(["--cache", cache, "import", agora.file("absent.json")]),
                               contains: "cannot read \(agora.file("absent.json")): no such file")
            expectOneLineError(try agora.run(["--cache", cache, "import", agora.home]), contains: "not something agora can import")
            // A Ning archive whose members are fine but whose third blog record is broken.
            let archive = agora.file("archive")
            try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
            try #"([{"contributorName":"n1","fullName":"New Member"}])"#.write(toFile: archive + "/ning-members.json", atomically: true, encoding: .utf8)
            try """
                ([{"id":"b:1","title":"One","contributorName":"n1"},
                {"id":"b:2","title":"Two","contributorName":"n1"}
                {"id":"b:3","title":"Three",,"contributorName":"n1"}])
                """.write(toFile: archive + "/ning-blogs.json", atomically: true, encoding: .utf8)
            expectOneLineError(try agora.run(["--cache", cache, "import", archive]),
                               contains: "\(archive)/ning-blogs.json:3:29: record 3: invalid JSON")
            // A zip cut short, a broken feed, a broken OPML file.
            let zip = agora.file("archive.zip")
            _ = FileManager.default.createFile(atPath: zip, contents: Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]))
            expectOneLineError(try agora.run(["--cache", cache, "import", zip]), contains: "\(zip): not a zip file this can read")
            let feed = agora.file("feed.xml")
            try "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n<item><title>x</item>".write(toFile: feed, atomically: true, encoding: .utf8)
            expectOneLineError(try agora.run(["--cache", cache, "import", feed]), contains: "\(feed):3:")
            let opml = agora.file("feeds.opml")
            try "<?xml version=\"1.0\"?>\n<opml><body><outline xmlUrl=\"http://a\">".write(toFile: opml, atomically: true, encoding: .utf8)
            expectOneLineError(try agora.run(["--cache", cache, "import", opml]), contains: "\(opml):")
            #expect(FileManager.default.contents(atPath: cache) == before, "\(name) changed")
        }
    }

    @Test func usage_errors_exit_2() throws {
        defer { agora.remove() }
        for arguments in [["list", "--sort", "sideways"], ["nonsense"], ["list", "--limit", "-1"], ["mark", "sideways", "x"],
                          ["search"], ["show"], ["list", "--bogus"]] {
            let result = try agora.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.hasPrefix("agora: "), "one error style: \(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Error:"), "\(arguments): \(result.stderr)")
        }
    }

    @Test func a_mistyped_command_is_named_with_the_one_meant() throws {
        defer { agora.remove() }
        for (typed, meant) in [("memebrs", "members"), ("lsit", "list"), ("sycn", "sync"), ("serach", "search"), ("improt", "import")] {
            let result = try agora.run([typed])
            #expect(result.status == 2)
            #expect(result.stderr == "agora: no command '\(typed)'; did you mean `\(meant)`? (agora --help lists the commands)\n")
        }
        let far = try agora.run(["xyzzy"])
        #expect(far.stderr == "agora: no command 'xyzzy' (agora --help lists the commands)\n")
        let help = try agora.run(["help", "bogus"])
        #expect(help.status == 2 && help.stdout.isEmpty)
        #expect(help.stderr == "agora: no command 'bogus' (agora --help lists the commands)\n")
        let known = try agora.run(["help", "list"])
        #expect(known.status == 0 && known.stdout.contains("USAGE: agora list"))
        // Options before the command still work, and commands that use no cache ignore it.
        #expect(try agora.run(["--cache", agora.file("x.sqlite"), "themes"]).status == 0)
    }

    @Test func errors_from_below_are_said_in_words() {
        let error = NSError(domain: NSCocoaErrorDomain, code: 513, userInfo: [
            NSFilePathErrorKey: "/srv/out.json", NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES)),
        ])
        #expect(AgoraError.words(for: error) == "/srv/out.json: Permission denied")
        #expect(AgoraError.words(for: NSError(domain: "Other", code: 7)) == "failed (Other 7)")
        #expect(AgoraError.words(for: NSError(domain: "Other", code: 8, userInfo: [NSLocalizedDescriptionKey: "the disk said no"])) == "the disk said no")
    }
}

import GRDB

enum TestDatabase {
    static func setUserVersion(path: String, _ version: Int) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = \(version)") }
        try queue.close()
    }
}
