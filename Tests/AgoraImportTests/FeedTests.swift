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

    /// Responses recorded from real Discourse forums (read where they are, never copied here).
    static let discourse: URL = root.deletingLastPathComponent().appendingPathComponent("discourse")
    /// Mailing-list archives (a pipermail month, a LISTSERV export).
    static let mail: URL = root.deletingLastPathComponent().appendingPathComponent("mail")

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
                #expect(error.path == url.path, "\(error)")
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
        #expect(content.posts.first?.id == "example-com-blog:http://example.com/blog/this_is_an_item.html",
                "the link, under the feed's key: its site's address, whatever the file is called")
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

    @Test func an_entry_keeps_its_first_hundred_categories() throws {
        let categories = (0..<300).map { "<category>c\($0)</category>" }.joined()
        let atom = (0..<300).map { "<category term=\"a\($0)\"/>" }.joined()
        let rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><title>I</title><guid>1</guid>\(categories)</item></channel></rss>"
        #expect(try FeedParser.parse(Data(rss.utf8), path: "x.xml").entries.first?.categories == (0..<100).map { "c\($0)" })
        let feed = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title><entry><id>1</id><title>I</title>\(atom)</entry></feed>"
        #expect(try FeedParser.parse(Data(feed.utf8), path: "x.xml").entries.first?.categories.count == Feed.maximumCategories)
        let tags = (0..<300).map { "\"j\($0)\"" }.joined(separator: ",")
        let json = "{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"J\", \"items\": [{\"id\": \"1\", \"content_text\": \"x\", \"tags\": [\(tags)]}]}"
        #expect(try FeedParser.parse(Data(json.utf8), path: "f.json").entries.first?.categories.count == Feed.maximumCategories)
    }

    @Test func a_json_feed_is_read_item_by_item_whatever_its_fields_hold() throws {
        // Brackets, braces, quotes and escapes inside strings; the items before the version.
        let json = #"""
            {"items": [{"id": "a]", "title": "One \"quoted\" {x} [y]", "content_text": "a\\b", "tags": ["t]", 3]},
                       {"id": 2, "content_html": "<p>}}]]</p>", "authors": [{"name": "Zoë"}]}, 7],
             "title": "JF ]", "version": "https://jsonfeed.org/version/1.1", "authors": [{"name": "Ana"}]}
            """#
        var seen: [Feed.Entry] = []
        let feed = try JSONFeedStream.parse(Data(json.utf8), path: "f.json") { seen.append($0) }
        #expect(feed.title == "JF ]")
        #expect(seen.map(\.id) == ["a]", "2"])
        #expect(seen[0].title == "One \"quoted\" {x} [y]")
        #expect(seen[0].categories == ["t]"])
        #expect(seen[0].author == "Ana" && seen[1].author == "Zoë")
        #expect(seen[1].content == "<p>}}]]</p>")
        #expect(try FeedParser.parse(Data(json.utf8), path: "f.json").entries == seen)
    }

    @Test func a_broken_json_feed_names_the_file() {
        for text in [#"{"version": "https://jsonfeed.org/version/1", "items": [{"id": "a"}, {"id": }]}"#,
                     #"{"version": "https://jsonfeed.org/version/1", "items": [{"id": "a""#,
                     #"{"title": "no version", "items": []}"#] {
            #expect { _ = try FeedParser.parse(Data(text.utf8), path: "bad.json") } throws: { error in
                guard case .badInput(let place, _)? = error as? AgoraError else { return false }
                return place.path == "bad.json"
            }
        }
    }

    @Test func a_date_with_a_combining_mark_is_no_date_rather_than_a_crash() throws {
        // Found by the fuzzer: DateFormatter stopped the program on this.
        #expect(FeedDate.parse("Mon, 24 Apr 2006 22:0\u{33F}33 GMT") == nil)
        let rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><title>I</title><guid>1</guid><pubDate>24 Apr 2006 22:0\u{33F}33 GMT</pubDate></item></channel></rss>"
        #expect(try FeedParser.parse(Data(rss.utf8), path: "x.xml").entries.first?.published == nil)
        #expect(FeedDate.parse("Mon, 24 Apr 2006 22:03:33 GMT") != nil)
    }

    @Test func broken_xml_names_the_line() {
        let rss = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n<item><title>unclosed</item>\n</channel></rss>"
        #expect {
            _ = try FeedParser.parse(Data(rss.utf8), path: "bad.xml")
        } throws: { error in
            guard case .badInput(let place, _)? = error as? AgoraError else { return false }
            return place.path == "bad.xml" && place.line == 3
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
        #expect(SourceKindTable.standard.recognise(Data(json.utf8))?.format == "feed")
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
        #expect(SourceKindTable.standard.recognise(Data(#"{"format": "agora-cache", "version": 1}"#.utf8))?.format == "agora-json")
        #expect(SourceKindTable.standard.recognise(Data("<?xml version=\"1.0\"?>\n<rss version=\"2.0\">".utf8))?.format == "feed")
        #expect(SourceKindTable.standard.recognise(Data("<feed xmlns=\"http://www.w3.org/2005/Atom\">".utf8))?.format == "feed")
        #expect(SourceKindTable.standard.recognise(Data("<rdf:RDF xmlns:rdf=\"x\">".utf8))?.format == "feed")
        #expect(SourceKindTable.standard.recognise(Data("hello".utf8)) == nil)
        #expect(SourceKindTable.standard.recognise(Data(#"{"items": []}"#.utf8)) == nil)
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

    /// The first item of each of these fixtures, as the file says it: title, link, date and
    /// author, and how many items the file has. Each title is checked to be in the file too.
    static let fixtureValues: [(file: String, items: Int, title: String, link: String?, date: String?, author: String?)] = [
        ("newsboat/test/data/atom10_1.xml", 3, "A gentle introduction to Atom testing", "http://example.com/atom_testing.html", "2008-12-30T20:04:15Z", "A Person"),
        ("newsboat/test/data/rss.xml", 8, "Teh Saxxi", "http://aksmoblog.blogspot.com/2006/12/teh-saxxi.html", "2006-12-20T21:42:06Z", "ak"),
        ("newsboat/test/data/rss10_1.xml", 1, "New Status Updates", "http://www.example.org/status/foo", "2008-12-30T07:20:00Z", nil),
        ("newsboat/test/data/rss20_1.xml", 1, "this is an item", "http://example.com/blog/this_is_an_item.html", "2008-12-12T01:36:10Z", "Andreas Krennmair"),
        ("newsboat/test/data/rss_091_with_bracket_author.xml", 3, "This one has an author name ending with a closing bracket", "http://example.com/test_1.html", nil, "Author name)"),
        ("newsboat/test/data/multiple_item_links.atom", 1, "Multiple links", "gemini://gemini.test.org/tests", "2022-05-13T05:18:02Z", nil),
        ("rome/rome-modules/src/test/resources/base/news-atom.xml", 1, "First man in Space", "http://provider-website.com/item1-info-page.html", "2003-12-13T12:29:29Z", "James Smith"),
        ("rome/rome-modules/src/test/resources/xml/custom-tags-example.xml", 1, "HR Analyst - Mountain View", "http://www.google.com/support/jobs/bin/topic.py?dep_id=1077&loc_id=116", "2005-10-13T18:30:02Z", nil),
        ("rome/rome-modules/src/test/resources/data/YouTube-MostPopular.rss", 9, "Charlie bit my finger - again !", "https://www.youtube.com/watch?v=_OBlgSz8sSM&feature=youtube_gdata", "2007-05-22T20:29:24Z", "HDCYT"),
        ("rome/rome-modules/src/test/resources/data/geo-rss-issue-27.rss", 10, "Moonwalk Away : Ear Candy", "http://thetorontonian.ca/2014/04/02/moonwalk-away-ear-candy/", "2014-04-02T20:48:31Z", "The Torontonian"),
        ("rome/rome-modules/src/test/resources/data/rss1.0-w3cgeo.xml", 3, "Pugerna", "http://www.tagzania.com/item/10679", "2006-02-21T21:16:00Z", "tagman"),
        ("rome/rome-modules/src/test/resources/org/rometools/feed/module/georss/usgs-gov-earthquakes-all-hour-atom.xml", 6, "M 2.1 - 27km SE of Campo, CA", "https://earthquake.usgs.gov/earthquakes/eventpage/ci38138255", "2018-11-19T21:45:04.398Z", nil),
        // No <link>: the guid is the permalink (isPermaLink is missing, so true).
        ("rome/rome-modules/src/test/resources/itunes/leshow.xml", 4, "le Show", "http://66.186.18.80/podcast/mp3/ls/ls050731le_Show.mp3",
         "2005-07-31T16:00:00Z", "Harry Shearer"),
        ("rome/rome-modules/src/test/resources/test2.xml", 10, "Lights in the Rain", "http://www.flickr.com/photos/kebernet/96349506/", "2006-02-06T16:59:39Z", "kebernet"),
        ("rome/rome-modules/src/test/resources/xml/lr.xml", 9, "China's Big Visit; Big Changes at the White House; Golly Gee, Gas Prices!", "http://www.kcrw.com/cgi-bin/db/kcrw.pl?show_code=lr&air_date=04/21/06&tmplt_type=Show", "2006-04-21T16:00:00Z", "R.Scheer, A.Huffington, M.Miller & T.Blankley"),
        ("rome/rome-modules/src/test/resources/xml/slashdot.xml", 10, "The Prisoner To Be Remade On U.K. TV", "http://rss.slashdot.org/Slashdot/slashdot?m=1961", "2005-11-20T00:43:00Z", "Zonk"),
        ("rome/rome-modules/src/test/resources/xml/totsp.xml", 1, "Meridian Mississippi Howard Johnsons", "http://www.screaming-penguin.com/main.php?storyid=5513", "2005-11-19T02:53:35Z", "Charlie \"atrox\" Collins"),
        ("rome/rome-modules/src/test/resources/xml/rsr.xml", 1, "La Wii", "http://www.rsr.ch/capsule", "2006-12-11T06:20:00Z", "Radio Suisse Romande"),
        ("rome/rome/src/test/resources/CDATATestFeed.xml", 1, "item1", "http://rtl-now.rtl.de/awz.php?container_id=26908&paytype=ppv&productdetail=1&na=1", "2009-08-05T05:30:00Z", nil),
        ("rome/rome/src/test/resources/atom_0.3_DC_Sy.xml", 2, "atom_0.3.feed.entry[0].title", "atom_0.3.feed.entry[0].link^href", "2000-01-02T01:00:00Z", "atom_0.3.feed.entry[0].author.name"),
        ("rome/rome/src/test/resources/atom_1.0.xml", 2, "atom_1.0.feed.entry[0].title", "http://example.com/blog/entry1", "2000-01-01T01:00:00Z", "atom_1.0.feed.entry[0].author.name"),
        ("rome/rome/src/test/resources/rss_0.94.xml", 2, "rss_0.94.channel.item[0].title", "rss_0.94.channel.item[0].link", "2001-01-01T00:00:00Z", "rss_0.94.channel.item[0].author"),
        ("rome/rome/src/test/resources/rss_1.0_DC_multi.xml", 2, "rss_1.0.item[0].title", "rss_1.0.item[0].link", "2001-01-01T00:00:00Z", "rss_1.0.item[0].dc:creator[0]"),
        ("rome/rome/src/test/resources/rss_2.0.xml", 2, "rss_2.0.channel.item[0].title", "rss_2.0.channel.item[0].link", "2001-01-01T00:00:00Z", "rss_2.0.channel.item[0].author"),
        ("rome/rome/src/test/resources/issue137-rss.xml", 1, "Single-Session Primary Schools", "http://feedproxy.google.com/~r/singapore-education/spotlight/~3/vnNsA4Hdk6U/", "2009-09-25T02:00:00Z", nil),
    ]

    @Test(.enabled(if: Fixtures.available, "the fixtures are not beside this checkout"))
    func titles_links_dates_and_authors_of_25_fixtures() throws {
        for expected in Self.fixtureValues {
            let url = Fixtures.root.appendingPathComponent(expected.file)
            let data = try Data(contentsOf: url)
            let raw = String(decoding: data, as: UTF8.self)
            let content = FeedImport.content(try FeedParser.parse(data, path: url.path), location: url.path)
            let post = try #require(content.posts.first, "\(expected.file)")
            #expect(content.posts.count == expected.items, "\(expected.file)")
            #expect(post.title == expected.title, "\(expected.file)")
            #expect(raw.contains(expected.title.prefix(20)) || raw.contains(FeedParser.escape(String(expected.title.prefix(20)))),
                    "\(expected.file): the expected title is not in the file")
            // A relative link in a file that gives no web address of its own stays as written:
            // never resolved against the file's own path.
            let wanted = expected.link
            #expect(post.link?.removingPercentEncoding == wanted, "\(expected.file)")
            #expect(post.published == expected.date.flatMap(ISODate.parse), "\(expected.file)")
            #expect(post.authorName == expected.author, "\(expected.file)")
        }
    }
}
