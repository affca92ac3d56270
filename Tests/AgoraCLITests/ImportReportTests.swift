import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
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
        #expect(result.stdout == "agora \(AgoraKitVersion.string) (SQLite cache schema 9, JSON cache version 1)\n")
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

@Suite("agora stats")
struct StatsCommandTests {
    @Test func the_community_at_a_glance_in_text_and_json_with_ascii_bars_without_utf8() throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let cache = agora.file("g.sqlite")
        #expect(try agora.run(["generate", "--posts", "300", "--members", "40", "--comments", "500", "--out", cache]).status == 0)
        let text = try agora.run(["--cache", cache, "stats"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("300 posts (300 unread), 500 comments, 40 members from "))
        #expect(text.stdout.contains("By year") && text.stdout.contains("Busiest months: "))
        // The reader's chart, as text: a column a month or several, the years under it.
        #expect(text.stdout.contains("Activity by month") && text.stdout.contains("Posts (most in a column: "))
        #expect(text.stdout.contains("2010") && text.stdout.contains("2025"))
        #expect(text.stdout.contains("Members by country") && text.stdout.contains("Top posters"))
        #expect(text.stdout.contains("█"))
        let ascii = try agora.run(["--cache", cache, "stats"], environment: ["LANG": "C"])
        #expect(!ascii.stdout.contains("█") && !ascii.stdout.contains("▁") && ascii.stdout.contains("#"))
        // The community's own words: the sample's tagline, addresses (each once) and who may comment.
        let sample = agora.file("s.sqlite")
        #expect(try agora.run(["--cache", sample, "import", "--sample"]).status == 0)
        let about = try agora.run(["--cache", sample, "stats"]).stdout
        #expect(about.contains("Stay networked. Get informed."))
        #expect(about.components(separatedBy: "http://www.diplointernetgovernance.org\n").count == 2)
        #expect(about.contains("You need to be a member of Diplo Internet Governance Community to add comments!"))
        let json = try #require(try agora.json(["--cache", cache, "stats", "--json"]) as? [String: Any])
        #expect(json["posts"] as? Int == 300 && json["comments"] as? Int == 500)
        let months = try #require(json["months"] as? [[String: Any]])
        #expect(months.reduce(0) { $0 + ($1["posts"] as? Int ?? 0) } == 300)
        #expect((json["topPosters"] as? [[String: Any]])?.isEmpty == false)
    }

    @Test func the_charts_as_one_svg_that_parses_with_every_name_escaped() throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let cache = agora.file("g.sqlite")
        #expect(try agora.run(["generate", "--posts", "300", "--members", "40", "--comments", "500", "--out", cache]).status == 0)
        // A member whose name and country are markup, and a control character.
        let hostile = agora.file("hostile.json")
        try #"""
            {"format": "agora-cache", "version": 1, "members": [
              {"id": "x1", "name": "<script>alert(1)</script> & \u0007Bell", "country": "Ruritania\"/><svg onload=1>"},
              {"id": "x2", "name": "Second", "country": "Ruritania\"/><svg onload=1>"}]}
            """#.write(toFile: hostile, atomically: true, encoding: .utf8)
        #expect(try agora.run(["--cache", cache, "import", hostile]).status == 0)
        let svg = agora.file("charts.svg")
        let run = try agora.run(["--cache", cache, "stats", "--svg", svg])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("wrote the charts to"))
        let data = try #require(FileManager.default.contents(atPath: svg))
        let parsed = SVGCounter(data: data)
        #expect(parsed.wellFormed, "\(parsed.error ?? "")")
        #expect(parsed.root == "svg")
        // A bar for each month with posts in the posts chart, and the countries' names as text.
        let json = try #require(try agora.json(["--cache", cache, "stats", "--json"]) as? [String: Any])
        let months = try #require(json["months"] as? [[String: Any]])
        #expect(parsed.monthBars >= months.filter { ($0["posts"] as? Int ?? 0) > 0 }.count)
        #expect(parsed.texts.contains { $0.contains("Ruritania\"/><svg onload=1>") })
        #expect(!parsed.elements.contains("script"))
        #expect(parsed.elements.filter { $0 == "svg" }.count == 1)
        // A file that cannot be written: a message that names it, nothing else.
        let bad = try agora.run(["--cache", cache, "stats", "--svg", "/nonexistent/dir/c.svg"])
        #expect(bad.status == 1 && bad.stderr.hasPrefix("agora: ") && bad.stderr.contains("/nonexistent/dir/c.svg"))
    }
}

/// Reads an SVG with Foundation's XML parser: whether it is well-formed, its elements, its text.
final class SVGCounter: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var texts: [String] = []
    var monthBars = 0
    var root: String?
    var error: String?
    var wellFormed = false
    private var current = ""

    init(data: Data) {
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        wellFormed = parser.parse()
        if !wellFormed { error = parser.parserError.map { "\($0)" } }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root == nil { root = name }
        elements.append(name)
        if name == "rect", attributes["class"] == "month" { monthBars += 1 }
        current = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(current) }
        current = ""
    }
}

@Suite("agora mute, unmute, muted")
struct MuteCommandTests {
    @Test func muting_from_the_command_line_hides_lists_threads_and_search_and_travels_with_an_export() throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let cache = agora.file("m.sqlite")
        #expect(try agora.run(["--cache", cache, "import", "--sample"]).status == 0)
        // The sample's post has no comments: one by a member, so that the thread shows the hiding.
        let extra = agora.file("extra.json")
        try #"""
            {"format": "agora-cache", "version": 1, "comments": [
              {"id": "c-m", "post": "itu-secretary-general-wcit", "author": "marilia-maciel", "body": "<p>Secret words</p>"},
              {"id": "c-x", "post": "itu-secretary-general-wcit", "authorName": "Guest", "body": "<p>Open words</p>"}]}
            """#.write(toFile: extra, atomically: true, encoding: .utf8)
        let id = "marilia-maciel"
        #expect(try agora.run(["--cache", cache, "import", extra]).status == 0)
        let bad = try agora.run(["--cache", cache, "mute", "nobody-here"])
        #expect(bad.status == 1 && bad.stderr.hasPrefix("agora: ") && bad.stderr.contains("nobody-here"))
        let mute = try agora.run(["--cache", cache, "mute", id])
        #expect(mute.status == 0 && mute.stdout.hasPrefix("Muted 1 member"), "\(mute.stderr)")
        let listed = try agora.run(["--cache", cache, "muted"])
        #expect(listed.stdout.contains(id) && listed.stdout.contains("MUTED SINCE"))
        let json = try #require(try agora.json(["--cache", cache, "muted", "--json"]) as? [[String: Any]])
        #expect(json.map { $0["id"] as? String } == [id])
        let shown = try agora.run(["--cache", cache, "show", "itu-secretary-general-wcit"])
        #expect(shown.stdout.contains("Comments (2, 1 hidden)"))
        #expect(shown.stdout.contains("1 hidden (a muted member's comment)"))
        #expect(!shown.stdout.contains("Secret words") && shown.stdout.contains("Open words"))
        let article = try #require(try agora.json(["--cache", cache, "show", "itu-secretary-general-wcit", "--json"]) as? [String: Any])
        let comments = try #require(article["comments"] as? [[String: Any]])
        #expect(comments.contains { $0["hidden"] as? Bool == true && ($0["text"] as? String) == "" && $0["author"] == nil })
        #expect(try agora.run(["--cache", cache, "search", "secret"]).stdout.contains("Secret words") == false)
        #expect(try agora.run(["--cache", cache, "search", "open"]).stdout.contains("Open words"))
        // Exported, and merged into another cache.
        let exported = agora.file("e.json")
        #expect(try agora.run(["--cache", cache, "export", exported]).status == 0)
        let other = agora.file("o.sqlite")
        #expect(try agora.run(["--cache", other, "import", "--sample"]).status == 0)
        let imported = try agora.run(["--cache", other, "import", exported])
        #expect(imported.stdout.contains("1 member muted"), "\(imported.stdout)")
        #expect(try agora.run(["--cache", other, "muted"]).stdout.contains(id))
        // Unmuting: only who is muted.
        #expect(try agora.run(["--cache", cache, "unmute", "nobody-here"]).stderr.contains("not muted: nobody-here"))
        #expect(try agora.run(["--cache", cache, "unmute", id]).stdout == "Unmuted 1 member.\n")
        #expect(try agora.run(["--cache", cache, "muted"]).stdout == "No muted members.\n")
    }
}
