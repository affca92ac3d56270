import Foundation
import AgoraKit
import Testing

@Suite("What an import says")
struct ImportReportTests {
    @Test func an_import_says_what_reading_state_it_merged() throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let first = agora.file("a.sqlite"), second = agora.file("b.sqlite")
        #expect(try agora.run(["generate", "--posts", "20", "--members", "5", "--comments", "10", "--out", first]).status == 0)
        let ids = try #require(try agora.json(["--cache", first, "list", "--json", "--limit", "3"]) as? [[String: Any]]).compactMap { $0["id"] as? String }
        try agora.run(["--cache", first, "export", agora.file("plain.json")])
        #expect(try agora.run(["--cache", second, "import", agora.file("plain.json")]).status == 0)
        try agora.run(["--cache", first, "mark", "read", ids[0], ids[1]])
        try agora.run(["--cache", first, "mark", "star", ids[2]])
        try agora.run(["--cache", first, "export", agora.file("marked.json")])
        let again = try agora.run(["--cache", second, "import", agora.file("marked.json")])
        #expect(again.stdout.contains("posts: 0 added, 0 updated, 20 unchanged"), "\(again.stdout)")
        #expect(again.stdout.contains("reading state merged: 2 posts marked read, 1 post starred"), "\(again.stdout)")
        let json = try #require(try agora.json(["--cache", second, "import", "--json", agora.file("marked.json")]) as? [String: Any])
        #expect(json["postsMarkedRead"] as? Int == 0, "merged already: nothing new")
    }
}

@Suite("Version")
struct VersionTests {
    @Test func the_version_names_the_cache_formats_it_writes() throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let result = try agora.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "agora \(AgoraKitVersion.string) (SQLite cache schema 4, JSON cache version 1)\n")
    }
}

@Suite("agora config on a file that is not TOML")
struct ConfigNotTOMLTests {
    @Test func it_says_the_whole_file_is_ignored() throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let file = agora.file("bad.toml")
        try "theme = \"light\"\n[keys\nhelp = [\"H\"]\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try agora.run(["config", "--config", file])
        #expect(result.status == 1)
        #expect(result.stdout.contains("bad.toml:2: column 6:"))
        #expect(result.stderr == "agora: \(file): not TOML, so the whole file is ignored: every setting is at its default\n")
        #expect(!result.stderr.contains("the rest applies"))
        let partly = agora.file("partly.toml")
        try "colour = \"blue\"\n".write(toFile: partly, atomically: true, encoding: .utf8)
        #expect(try agora.run(["config", "--config", partly]).stderr.contains("1 problem; the rest applies"))
    }
}
