import AgoraImport
import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// What the test server serves; the tests change it between syncs.
final class FeedSite: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(id: String, title: String)] = [("one", "First item"), ("two", "Second item")]
    private var version = 1
    static let lastModified = "Wed, 21 Oct 2015 07:28:00 GMT"

    func publish(_ items: [(String, String)]) {
        lock.lock()
        defer { lock.unlock() }
        self.items = items.map { (id: $0.0, title: $0.1) }
        version += 1
    }

    var etag: String {
        lock.lock()
        defer { lock.unlock() }
        return "\"v\(version)\""
    }

    func rss(title: String = "Test Feed") -> String {
        lock.lock()
        defer { lock.unlock() }
        let entries = items.enumerated().map { index, item in
            """
            <item><title>\(item.title)</title><guid isPermaLink="false">\(item.id)</guid>
            <link>http://example.org/\(item.id)</link><dc:creator>Marília Maciel</dc:creator>
            <pubDate>Mon, 0\(index + 1) Jul 2013 10:00:00 +0000</pubDate><description>&lt;p&gt;Body of \(item.id)&lt;/p&gt;</description></item>
            """
        }.joined(separator: "\n")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>\(title)</title>
            <link>http://example.org/\(Folding.slug(title))</link>\(entries)</channel></rss>
            """
    }

    func respond(_ request: TestHTTPServer.Request) -> TestHTTPServer.Response {
        let path = String(request.path.split(separator: "?", maxSplits: 1).first ?? "")
        switch path {
        case "/etag.xml":
            let tag = etag
            if request.headers["if-none-match"] == tag { return .init(status: 304, headers: [("ETag", tag)]) }
            return .init(headers: [("ETag", tag), ("Content-Type", "application/rss+xml")], text: rss(title: "ETag Feed"))
        case "/modified.xml":
            if request.headers["if-modified-since"] == Self.lastModified { return .init(status: 304) }
            return .init(headers: [("Last-Modified", Self.lastModified)], text: rss(title: "Modified Feed"))
        case "/gzip.xml":
            return .init(headers: [("Content-Encoding", "gzip")], body: Deflate.gzip(Data(rss(title: "Gzip Feed").utf8)))
        case "/missing.xml":
            return .init(status: 404, text: "not here")
        case "/error.xml":
            return .init(status: 500, text: "oops")
        case "/slow.xml":
            return .init(text: rss(title: "Slow Feed"), delay: 4)
        case "/broken.xml":
            return .init(text: "<?xml version=\"1.0\"?>\n<rss><channel><title>Broken</title>\n<item><title>x</item></channel></rss>")
        case "/busy.xml":
            return .init(status: 429, headers: [("Retry-After", "3600")], text: "slow down")
        case "/to-a-file.xml":
            return .init(status: 302, headers: [("Location", "file:///etc/passwd")])
        case "/far.xml":
            // A feed of its own at the end of the redirects: its posts are not etag.xml's, so
            // which of the two sources a sync writes first does not matter.
            return .init(text: rss(title: "Far Feed"))
        case "/paced.xml":
            return .init(text: rss(title: "Paced Feed"), delay: 0.4)
        default:
            // /hop/N/TARGET redirects N more times, then to TARGET.
            let parts = path.split(separator: "/")
            if parts.count >= 3, parts[0] == "hop", let n = Int(parts[1]) {
                let target = "/" + parts[2...].joined(separator: "/")
                return .init(status: n == 307 ? 307 : 302, headers: [("Location", n <= 1 ? target : "/hop/\(n - 1)\(target)")])
            }
            return .init(status: 404)
        }
    }
}

@Suite("Sync over HTTP", .serialized)
struct SyncTests {
    /// A test site served on 127.0.0.1 and an agora with a cache of its own, both cleaned up.
    func withSite(_ body: (FeedSite, TestHTTPServer, AgoraBinary, String) throws -> Void) throws {
        let site = FeedSite()
        let server = try TestHTTPServer { site.respond($0) }
        defer { server.stop() }
        let agora = AgoraBinary()
        defer { agora.remove() }
        try body(site, server, agora, agora.file("c.sqlite"))
    }

    @Test func sync_fetches_politely_and_one_failing_source_does_not_stop_the_others() throws {
        try withSite { site, server, agora, cache in
            let base = server.baseURL
            let urls = [
                "etag": base + "/etag.xml", "modified": base + "/modified.xml", "gzip": base + "/gzip.xml",
                "redirected": base + "/hop/5/far.xml", "loop": base + "/hop/6/etag.xml",
                "missing": base + "/missing.xml", "error": base + "/error.xml", "slow": base + "/slow.xml",
                "broken": base + "/broken.xml", "dns": "http://127.0.0.1:1/feed.xml",
                "to-a-file": base + "/to-a-file.xml", "busy": base + "/busy.xml",
            ]
            for (_, url) in urls.sorted(by: { $0.key < $1.key }) {
                let added = try agora.run(["--cache", cache, "sources", "add", url])
                #expect(added.status == 0, "\(url): \(added.stderr)")
        }
        let started = Date()
        let first = try agora.run(["--cache", cache, "sync", "--timeout", "3", "--json"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(first.status == 1, "a failed source makes the exit status 1")
        let reports = try JSONDecoder().decode([SyncReport].self, from: Data(first.stdout.utf8))
        let byURL = Dictionary(uniqueKeysWithValues: reports.map { ($0.location, $0) })
        func report(_ key: String) throws -> SyncReport { try #require(byURL[urls[key]!], "no report for \(key)") }

        #expect(try report("etag").status == .updated && report("etag").added == 2)
        #expect(try report("modified").status == .updated && report("modified").added == 2)
        #expect(try report("gzip").status == .updated && report("gzip").added == 2)
        #expect(try report("redirected").status == .updated, "five redirects are followed")
        #expect(try report("loop").error?.contains("more than 5 redirects") == true)
        #expect(try report("missing").error?.contains("HTTP 404") == true)
        let errorReport = try report("error")
        #expect(errorReport.error?.contains("HTTP 500") == true, "\(errorReport)")
        #expect(try report("slow").error?.contains("timed out") == true)
        #expect(try report("broken").error?.contains("broken.xml:3:") == true)
        #expect(try report("dns").status == .failed)
        #expect(try report("to-a-file").error?.contains("no usable Location") == true, "a redirect may not leave http(s)")
        #expect(try report("busy").error?.contains("HTTP 429") == true)
        #expect(try report("busy").error?.contains("the server asks to wait until") == true)
        #expect(elapsed < 12, "the slow source's timeout bounds the run (took \(elapsed) s)")

        // Polite: Agora says who it is and that it takes gzip.
        let first200 = try #require(server.requests.first { $0.path == "/etag.xml" })
        #expect(first200.headers["user-agent"]?.hasPrefix("Agora/") == true)
        #expect(first200.headers["accept-encoding"]?.contains("gzip") == true)

        // The sources list says how each went.
        let list = try agora.run(["--cache", cache, "sources"])
        #expect(list.stdout.contains("ETag Feed") && list.stdout.contains("failed: ") && list.stdout.contains("HTTP 404"))

        // Again: the validators are sent back and 304 costs nothing.
        try agora.run(["--cache", cache, "mark", "read", FeedImport.sourceKey("http://example.org/etag-feed") + ":one"])  // read state must survive a re-sync
        let count = server.requests.count
        let second = try agora.run(["--cache", cache, "sync", urlsID(urls["etag"]!), urlsID(urls["modified"]!), urlsID(urls["busy"]!), "--json"])
        #expect(second.status == 0, "\(second.stderr)")
        let again = try JSONDecoder().decode([SyncReport].self, from: Data(second.stdout.utf8))
        #expect(again.map(\.status) == [.notModified, .notModified, .waiting])
        // The busy server is not asked again before the hour it asked for.
        #expect(!server.requests[count...].contains { $0.path == "/busy.xml" })
        let conditional = server.requests[count...]
        #expect(conditional.contains { $0.path == "/etag.xml" && $0.headers["if-none-match"] == "\"v1\"" })
        #expect(conditional.contains { $0.path == "/modified.xml" && $0.headers["if-modified-since"] == FeedSite.lastModified })

        // The feed changes: one item leaves, one is new. The one that left stays in the cache.
        site.publish([("two", "Second item, edited"), ("three", "Third item")])
        let third = try agora.run(["--cache", cache, "sync", urlsID(urls["etag"]!), "--json"])
        let changed = try JSONDecoder().decode([SyncReport].self, from: Data(third.stdout.utf8))
        #expect(changed.first?.added == 1 && changed.first?.updated == 1)
        let rows = try agora.json(["--cache", cache, "list", "--json", "--limit", "100"]) as? [[String: Any]] ?? []
        // The feed is known by its site's address (its channel link).
        let key = FeedImport.sourceKey("http://example.org/etag-feed")
        let mine = rows.filter { ($0["id"] as? String)?.hasPrefix(key + ":") == true }
        #expect(Set(mine.compactMap { $0["id"] as? String }) == [key + ":one", key + ":two", key + ":three"])
        #expect(mine.first { $0["id"] as? String == key + ":one" }?["read"] as? Bool == true)
        #expect(mine.first { $0["id"] as? String == key + ":two" }?["title"] as? String == "Second item, edited")
        }
    }

    func urlsID(_ url: String) -> String { FeedImport.sourceID(url).rawValue }

    @Test func at_most_four_sources_are_fetched_at_once() throws {
        try withSite { _, server, agora, cache in
            for index in 0..<8 { try agora.run(["--cache", cache, "sources", "add", server.baseURL + "/paced.xml?n=\(index)"]) }
            let result = try agora.run(["--cache", cache, "sync"])
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            #expect(server.maxInFlight <= 4 && server.maxInFlight >= 2, "\(server.maxInFlight) at once")
        }
    }

    @Test func sources_add_remove_and_round_trip_through_opml() throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let cache = agora.file("c.sqlite")
        let feedFile = agora.file("local.xml")
        try FeedSite().rss(title: "Local &amp; &lt;Feed&gt;").write(toFile: feedFile, atomically: true, encoding: .utf8)
        #expect(try agora.run(["--cache", cache, "sources", "add", "https://example.org/feed.xml", "--name", "Example"]).status == 0)
        #expect(try agora.run(["--cache", cache, "sources", "add", feedFile]).status == 0)
        let bad = try agora.run(["--cache", cache, "sources", "add", "ftp://example.org/x"])
        #expect(bad.status == 1 && bad.stderr.contains("only http, https and files"))
        let missing = try agora.run(["--cache", cache, "sources", "add", agora.file("nope.xml")])
        #expect(missing.status == 1 && missing.stderr.contains("nope.xml"))

        // A local file syncs like any source.
        let sync = try agora.run(["--cache", cache, "sync", FeedImport.sourceID(feedFile).rawValue])
        #expect(sync.status == 0, "\(sync.stderr)")

        let opml = agora.file("feeds.opml")
        #expect(try agora.run(["--cache", cache, "export", "--opml", opml]).status == 0)
        let text = try String(contentsOfFile: opml, encoding: .utf8)
        #expect(text.contains("xmlUrl=\"https://example.org/feed.xml\"") && text.contains("text=\"Example\""))
        #expect(text.contains("Local &amp; &lt;Feed&gt;"))

        // Into a fresh cache: the web feeds become sources, with their names; the local file does
        // not (only a person adding it on the command line may point a source at a file).
        let other = agora.file("other.sqlite")
        let imported = try agora.run(["--cache", other, "import", opml])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("1 new source"))
        #expect(imported.stdout.contains("1 feed with a local or non-web address left out"))
        let sources = try agora.json(["--cache", other, "sources", "--json"]) as? [[String: Any]] ?? []
        #expect(Set(sources.compactMap { $0["name"] as? String }) == ["Example"])
        // Importing it again adds nothing.
        #expect(try agora.run(["--cache", other, "import", opml]).stdout.contains("0 new sources, 1 already known"))

        let id = FeedImport.sourceID("https://example.org/feed.xml").rawValue
        #expect(try agora.run(["--cache", other, "sources", "remove", id]).status == 0)
        let after = try agora.json(["--cache", other, "sources", "--json"]) as? [[String: Any]] ?? []
        #expect(after.isEmpty)
        let again = try agora.run(["--cache", other, "sources", "remove", id])
        #expect(again.status == 1 && again.stderr.contains("no source with id"))
    }
}

@Suite("agora import of a Ning archive")
struct NingImportCommandTests {
    @Test func json_summary_with_notes_and_nothing_on_stderr_when_it_is_not_a_terminal() throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let archive = agora.file("my-network")
        try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
        var members = Data(#"([{"contributorName":"a1","fullName":"Ren"#.utf8)
        members.append(0xE9)  // Windows-1252
        members.append(contentsOf: Array(#"","country":"FR"}{"contributorName":"b2","fullName":"Bo"}])"#.utf8))
        try members.write(to: URL(fileURLWithPath: archive + "/ning-members.json"))
        try #"([{"id":"1:BlogPost:2","title":"Two","contributorName":"a1","publishStatus":"draft"},{"id":"1:BlogPost:1","title":"One","contributorName":"b2","comments":[{"id":"1:Comment:9","contributorName":"a1","description":"Hi"}]}])"#
            .write(toFile: archive + "/ning-blogs.json", atomically: true, encoding: .utf8)
        let cache = agora.file("c.sqlite")
        let result = try agora.run(["--cache", cache, "import", archive, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "agora: created a new cache at \(cache)\n", "only the one note; no progress in a pipe")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["format"] as? String == "ning")
        #expect((json["posts"] as? [String: Int])?["added"] == 1)
        #expect((json["comments"] as? [String: Int])?["added"] == 1)
        #expect((json["members"] as? [String: Int])?["added"] == 2)
        let notes = json["notes"] as? [String] ?? []
        #expect(notes.contains("1 record was not UTF-8 and was read as Windows-1252"))
        #expect(notes.contains("1 draft left out (not published)"))
        // The cache is named after the archive, and the member's name came through.
        let info = try agora.run(["--cache", cache, "info"])
        #expect(info.stdout.hasPrefix("my-network"))
        #expect(try agora.run(["--cache", cache, "member", "a1"]).stdout.hasPrefix("René"))
        // Again: nothing new, nothing changed.
        let again = try agora.json(["--cache", cache, "import", archive, "--json"]) as? [String: Any]
        #expect((again?["posts"] as? [String: Int])?["unchanged"] == 1)
        #expect((again?["members"] as? [String: Int])?["updated"] == 0)
    }
}
