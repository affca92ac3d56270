@testable import AgoraImport
import AgoraKit
import Foundation
import Testing

/// The real feeds in shared/fixtures, beside the checkout.
enum Fixtures {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("shared/fixtures/feeds")
    }()

    static var available: Bool { FileManager.default.fileExists(atPath: root.path) }

    static func all() -> [URL] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { ["xml", "rss", "atom", "rdf"].contains($0.pathExtension.lowercased()) }
            .sorted { $0.path < $1.path }
    }

    static func newsboat(_ name: String) throws -> Feed {
        let url = root.appendingPathComponent("newsboat/test/data/\(name)")
        return try FeedParser.parse(try Data(contentsOf: url), path: url.path)
    }
}

func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

@Suite("Feeds")
struct FeedTests {
    @Test(.enabled(if: Fixtures.available, "the fixtures are not beside this checkout"))
    func every_fixture_parses_or_is_refused_with_a_clear_message() throws {
        let files = Fixtures.all()
        #expect(files.count > 150)
        var parsed = 0
        for url in files {
            let data = try Data(contentsOf: url)
            do {
                let feed = try FeedParser.parse(data, path: url.path)
                let content = FeedImport.content(feed, location: url.path)
                #expect(content.posts.count <= feed.entries.count)
                parsed += 1
            } catch let error as AgoraError {
                #expect(error.description.hasPrefix(url.path), "\(error)")
            }
        }
        #expect(parsed > 120, "only \(parsed) of \(files.count) fixtures read")
    }

    @Test(.enabled(if: Fixtures.available, "the fixtures are not beside this checkout"))
    func rss_2_items_have_their_title_link_author_and_date() throws {
        let feed = try Fixtures.newsboat("rss20_1.xml")
        #expect(feed.format == .rss)
        #expect(feed.title == "my weblog")
        let item = try #require(feed.entries.first)
        #expect(item.title == "this is an item")
        #expect(item.link == "http://example.com/blog/this_is_an_item.html")
        #expect(item.published == date("2008-12-12T01:36:10Z"))
        #expect(item.content == "oh well, this is the content.")
        let content = FeedImport.content(feed, location: "/x/rss20_1.xml")
        #expect(content.members.map(\.name) == ["Andreas Krennmair"], "the address is not kept")
        #expect(content.posts.first?.id == "rss20-1-xml:http://example.com/blog/this_is_an_item.html", "the link, under the feed's key")
        #expect(content.posts.first?.kind == .feedItem)
    }

    @Test(.enabled(if: Fixtures.available, "the fixtures are not beside this checkout"))
    func atom_entries_have_their_authors_links_and_dates() throws {
        let feed = try Fixtures.newsboat("atom10_1.xml")
        #expect(feed.format == .atom)
        #expect(feed.title == "test atom")
        #expect(feed.entries.count == 3)
        let first = feed.entries[0]
        #expect(first.title == "A gentle introduction to Atom testing")
        #expect(first.author == "A Person")
        #expect(first.link == "http://example.com/atom_testing.html")
        #expect(first.id == "tag:example.com,2008-12-30:/atom_testing")
        #expect(first.published == date("2008-12-30T20:04:15Z"))
        #expect(feed.entries[1].author == "A different Person")
    }

    @Test(.enabled(if: Fixtures.available, "the fixtures are not beside this checkout"))
    func rss_authors_keep_their_names_and_lose_their_addresses() throws {
        let feed = try Fixtures.newsboat("rss_091_with_bracket_author.xml")
        let names = FeedImport.content(feed, location: "x").posts.map(\.authorName)
        #expect(names.prefix(3) == ["Author name)", "Author", "Author (name)"])
    }

    @Test(.enabled(if: Fixtures.available, "the fixtures are not beside this checkout"))
    func items_without_titles_are_named_by_their_text() throws {
        let feed = try Fixtures.newsboat("items_without_titles.xml")
        let titles = FeedImport.content(feed, location: "x").posts.map(\.title)
        #expect(!titles.isEmpty)
        #expect(titles.allSatisfy { !$0.isEmpty })
    }

    @Test func html_entities_in_a_feed_do_not_stop_it() throws {
        let rss = """
            <?xml version="1.0"?><rss version="2.0"><channel><title>T&nbsp;&mdash;</title>
            <item><title>Caf&eacute; &amp; more</title><guid>1</guid><description>a&nbsp;b</description></item></channel></rss>
            """
        let feed = try FeedParser.parse(Data(rss.utf8), path: "x.xml")
        #expect(feed.title == "T\u{00A0}—")
        #expect(feed.entries.first?.title == "Café & more")
    }

    @Test func broken_xml_names_the_line() {
        let rss = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n<item><title>unclosed</item>\n</channel></rss>"
        #expect {
            _ = try FeedParser.parse(Data(rss.utf8), path: "bad.xml")
        } throws: { error in
            (error as? AgoraError)?.description.hasPrefix("bad.xml:") == true
        }
    }

    @Test func json_feed_items_become_posts() throws {
        let json = """
            {"version": "https://jsonfeed.org/version/1.1", "title": "JF", "authors": [{"name": "Ana Müller"}],
             "items": [{"id": "a1", "url": "https://e.org/a1", "title": "One", "content_text": "Line one\\nLine two",
                        "date_published": "2024-05-01T10:00:00+02:00", "tags": ["x"]},
                       {"id": 2, "content_html": "<p>No title here at all</p>"}]}
            """
        let feed = try FeedParser.parse(Data(json.utf8), path: "f.json")
        #expect(feed.format == .jsonFeed)
        let content = FeedImport.content(feed, location: "https://e.org/feed.json")
        #expect(content.posts.map(\.id.rawValue) == ["e-org-feed-json:a1", "e-org-feed-json:2"])
        #expect(content.posts[0].published == date("2024-05-01T08:00:00Z"))
        #expect(content.posts[0].body == "<p>Line one</p><p>Line two</p>")
        #expect(content.posts[0].authorName == "Ana Müller")
        #expect(content.posts[1].title == "No title here at all")
        #expect(content.sources.first?.id == "feed:e-org-feed-json")
        #expect(ImportFormat.detect(Data(json.utf8)) == .feed)
    }

    @Test func ning_feed_ids_meet_the_archives_content_ids() {
        var entry = Feed.Entry()
        entry.id = "tag:www.diplointernetgovernance.org,2012-12-20:2332551:BlogPost:50948"
        let content = FeedImport.content(Feed(format: .atom, entries: [entry]), location: "x")
        #expect(content.posts.first?.id == "2332551:BlogPost:50948")
    }

    @Test func a_feed_imported_again_keeps_reader_state_and_adds_nothing() throws {
        let dir = NSTemporaryDirectory() + "agora-feed-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteStore(path: dir + "/c.sqlite")
        var entry = Feed.Entry()
        entry.id = "g1"
        entry.title = "First"
        entry.author = "someone@example.org (Some One)"
        let feed = Feed(format: .rss, title: "F", entries: [entry])
        try store.importContent(FeedImport.content(feed, location: "https://e.org/rss"))
        try store.setRead(true, posts: ["e-org-rss:g1"])
        var changed = feed
        changed.entries[0].title = "First, edited"
        let summary = try store.importContent(FeedImport.content(changed, location: "https://e.org/rss"))
        #expect(summary.posts == .init(added: 0, updated: 1, unchanged: 0))
        #expect(summary.members == .init(added: 0, updated: 0, unchanged: 1))
        #expect(try store.post("e-org-rss:g1").state.read)
        #expect(try store.post("e-org-rss:g1").post.title == "First, edited")
    }

    @Test func detection_tells_caches_from_feeds_from_anything_else() {
        #expect(ImportFormat.detect(Data(#"{"format": "agora-cache", "version": 1}"#.utf8)) == .agoraJSON)
        #expect(ImportFormat.detect(Data("<?xml version=\"1.0\"?>\n<rss version=\"2.0\">".utf8)) == .feed)
        #expect(ImportFormat.detect(Data("<feed xmlns=\"http://www.w3.org/2005/Atom\">".utf8)) == .feed)
        #expect(ImportFormat.detect(Data("<rdf:RDF xmlns:rdf=\"x\">".utf8)) == .feed)
        #expect(ImportFormat.detect(Data("hello".utf8)) == nil)
        #expect(ImportFormat.detect(Data(#"{"items": []}"#.utf8)) == nil)
    }

    @Test func the_hand_read_rfc822_dates_agree_with_the_formatters() {
        var samples = ["Sun, 29 Nov 2020 12:00:00 +0000", "1 Jan 1970 00:00:00 GMT", "29 Feb 2024 23:59:59 -0930",
                       "Mon, 31 Dec 1969 23:00 +0100", "Tue, 01 Mar 2000 08:15:00 +0545", "Thu, 15 Aug 1991 04:05:06 -0000"]
        var random = SystemRandomNumberGenerator()
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        for _ in 0..<300 {
            let offset = Int.random(in: -720...840, using: &random)
            let zone = String(format: "%@%02d%02d", offset < 0 ? "-" : "+", abs(offset) / 60, abs(offset) % 60)
            samples.append(String(format: "%d %@ %d %02d:%02d:%02d ", Int.random(in: 1...28, using: &random),
                                  months.randomElement(using: &random)!, Int.random(in: 1900...2099, using: &random),
                                  Int.random(in: 0...23, using: &random), Int.random(in: 0...59, using: &random),
                                  Int.random(in: 0...59, using: &random)) + zone)
        }
        for sample in samples {
            let fast = FeedDate.rfc822(sample)
            #expect(fast != nil, "\(sample)")
            #expect(fast == FeedDate.formatted(sample), "\(sample)")
        }
        #expect(FeedDate.rfc822("31 Foo 2020 10:00:00 GMT") == nil)
        #expect(FeedDate.rfc822("2020-01-01T10:00:00Z") == nil)
        #expect(FeedDate.parse("2020-01-01T10:00:00Z") == Date(timeIntervalSince1970: 1_577_872_800))
    }
}
