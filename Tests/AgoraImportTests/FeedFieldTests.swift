@testable import AgoraImport
import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// Feed fields other readers' test suites check, one by one: written here as small feeds.
@Suite("Feeds, field by field")
struct FeedFieldTests {
    static func posts(_ xml: String, location: String = "https://example.org/feeds/main.xml") throws -> [Post] {
        let feed = try FeedParser.parse(Data(xml.utf8), path: location)
        return FeedImport.content(feed, location: location).posts
    }

    static func rss(_ items: String, channel: String = "") -> String {
        """
        <?xml version="1.0"?>
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
             xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title><link>https://example.org/</link>\(channel)
        \(items)
        </channel></rss>
        """
    }

    @Test(arguments: [
        ("jane@example.org (Jane Doe)", "Jane Doe"),
        ("Jane Doe (jane@example.org)", "Jane Doe"),
        ("Jane Doe <jane@example.org>", "Jane Doe"),
        ("\"Jane Doe\" <jane@example.org>", "Jane Doe"),
        ("jane@example.org", "jane"),
        ("Jane Doe", "Jane Doe"),
        ("Smith (the elder)", "Smith (the elder)"),
    ])
    func authors_keep_the_name_and_never_the_email(raw: String, name: String) throws {
        let escaped = raw.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        let posts = try Self.posts(Self.rss("<item><guid>a</guid><title>A</title><author>\(escaped)</author></item>"))
        #expect(posts.first?.authorName == name)
        #expect(posts.first?.authorName?.contains("@") == false)
    }

    @Test func fields_lose_the_spaces_around_them_of_every_kind_and_keep_those_inside() throws {
        let posts = try Self.posts(Self.rss("""
            <item><guid>g1</guid><title>&#160; Café, in\u{3000}full &#12288;</title><author>\t Jane Doe&#160;</author>\
            <category>\n x y\u{2003}</category><category>plain</category></item>
            """))
        #expect(posts.first?.title == "Café, in\u{3000}full")
        #expect(posts.first?.authorName == "Jane Doe")
        #expect(posts.first?.tags == ["x y", "plain"])
    }

    @Test func relative_links_are_resolved_against_xml_base_or_the_feeds_address() throws {
        let atom = """
            <?xml version="1.0"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.net/base/"><title>A</title><id>urn:a</id>
            <entry><id>urn:1</id><title>One</title><link href="posts/1.html"/>
              <content type="html">&lt;p&gt;See &lt;a href="../notes/2.html"&gt;notes&lt;/a&gt; and &lt;img src="/pic.png"&gt; and &lt;a href="#top"&gt;top&lt;/a&gt;&lt;/p&gt;</content></entry>
            <entry xml:base="https://other.example.com/x/"><id>urn:2</id><title>Two</title><link href="y.html"/></entry>
            </feed>
            """
        let posts = try Self.posts(atom)
        #expect(posts[0].link == "https://blog.example.net/base/posts/1.html")
        #expect(posts[0].body.contains("href=\"https://blog.example.net/notes/2.html\""))
        #expect(posts[0].body.contains("src=\"https://blog.example.net/pic.png\""))
        #expect(posts[0].body.contains("href=\"#top\""), "a fragment stays as it is")
        #expect(posts[1].link == "https://other.example.com/x/y.html")
        // No xml:base: the feed's own address.
        let plain = try Self.posts(Self.rss("<item><guid>a</guid><title>A</title><link>/2024/a.html</link><description>&lt;a href=\"b.html\"&gt;b&lt;/a&gt;</description></item>"))
        #expect(plain[0].link == "https://example.org/2024/a.html")
        #expect(plain[0].body.contains("href=\"https://example.org/feeds/b.html\""))
    }

    @Test func a_permalink_guid_is_the_link_when_there_is_none() throws {
        let posts = try Self.posts(Self.rss("""
            <item><title>A</title><guid>https://example.org/a</guid></item>
            <item><title>B</title><guid isPermaLink="true">https://example.org/b</guid></item>
            <item><title>C</title><guid isPermaLink="false">https://example.org/c</guid></item>
            <item><title>D</title><guid>https://example.org/d-guid</guid><link>https://example.org/d</link></item>
            <item><title>E</title><guid>not-a-url-42</guid></item>
            """))
        #expect(posts.map(\.link) == ["https://example.org/a", "https://example.org/b", nil, "https://example.org/d", nil])
    }

    @Test func every_kind_of_category_is_a_category() throws {
        let posts = try Self.posts(Self.rss("""
            <item><guid>a</guid><title>A</title><category>One</category><dc:subject>Two</dc:subject>
              <itunes:category text="Technology"/><itunes:keywords>dns, routing ,ipv6</itunes:keywords><media:category>Policy</media:category></item>
            """))
        #expect(posts[0].tags == ["One", "Two", "Technology", "dns", "routing", "ipv6", "Policy"])
        let atom = try Self.posts("""
            <?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id>
            <entry><id>urn:1</id><title>One</title><category term="ig-2024" label="Internet Governance 2024"/><category term="plain"/></entry></feed>
            """)
        #expect(atom[0].tags == ["Internet Governance 2024", "plain"])
    }

    @Test func a_title_with_markup_is_its_plain_text() throws {
        let posts = try Self.posts(Self.rss("""
            <item><guid>a</guid><title>&lt;b&gt;Bold&lt;/b&gt; &amp;amp; &lt;i title="attr text"&gt;brave&lt;/i&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title></item>
            <item><guid>b</guid><title><![CDATA[Cats <em>and</em> dogs]]></title></item>
            <item><guid>c</guid><title>AT&amp;T &lt; Verizon</title></item>
            """))
        #expect(posts[0].title == "Bold & brave")
        #expect(posts[1].title == "Cats and dogs")
        #expect(posts[2].title == "AT&T < Verizon")
    }

    @Test func angle_brackets_that_open_no_html_element_are_kept() throws {
        let posts = try Self.posts(Self.rss("""
            <item><guid>a</guid><title>Vec&lt;T&gt; vs Array&lt;Element&gt;</title></item>
            <item><guid>b</guid><title>Dictionary&lt;String, Int&gt; and &lt;b&gt;bold&lt;/b&gt;</title></item>
            <item><guid>c</guid><title><![CDATA[Option<&str> in <code>match</code>]]></title></item>
            <item><guid>d</guid><title>a &lt;-&gt; b, x &lt;br&gt; y</title></item>
            """))
        #expect(posts.map(\.title) == ["Vec<T> vs Array<Element>", "Dictionary<String, Int> and bold", "Option<&str> in match", "a <-> b, x y"])
    }

    @Test func a_feed_read_from_a_file_resolves_links_against_its_own_address_never_the_files() throws {
        let file = "/home/ana/Downloads/tools.xml"
        let withSelf = try Self.posts("""
            <?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>T</title>
            <link>https://example.org/</link><atom:link href="https://example.org/blog/feed.xml" rel="self"/>
            <item><guid>a</guid><title>A</title><link>/tools/</link><description>&lt;a href="img/x.png"&gt;x&lt;/a&gt;</description></item>
            </channel></rss>
            """, location: file)
        #expect(withSelf.first?.link == "https://example.org/tools/")
        #expect(withSelf.first?.body.contains("https://example.org/blog/img/x.png") == true, "\(withSelf.first?.body ?? "")")
        let channelOnly = try Self.posts(Self.rss("<item><guid>b</guid><title>B</title><link>tools/b</link></item>"), location: file)
        #expect(channelOnly.first?.link == "https://example.org/tools/b")
        let nothing = try Self.posts("""
            <?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
            <item><guid>c</guid><title>C</title><link>/tools/</link></item></channel></rss>
            """, location: file)
        #expect(nothing.first?.link == "/tools/", "never file:///tools/")
    }
}

/// What feeds carry besides text: podcasts' audio, statements' PDFs. RSS `<enclosure>`, Atom
/// `rel="enclosure"` and JSON Feed `attachments` become a numbered list of links at the end of
/// the post, with each file's type and size.
@Suite("Enclosures and attachments")
struct EnclosureTests {
    @Test func rss_atom_and_json_feed_files_are_listed_with_type_and_size() throws {
        let rss = try FeedFieldTests.posts(FeedFieldTests.rss("""
            <item><guid>a</guid><title>Episode 12</title><description>&lt;p&gt;Notes&lt;/p&gt;</description>
            <enclosure url="https://example.org/ep12.mp3" length="12345678" type="audio/mpeg"/>
            <enclosure url="javascript:alert(1)" length="1" type="text/html"/>
            <enclosure url="files/statement%20final.pdf" length="not a number" type="application/pdf"/></item>
            """))
        let body = try #require(rss.first?.body)
        #expect(body.hasPrefix("<p>Notes</p><p>Attachments:</p><ul>"))
        #expect(body.contains("<li><a href=\"https://example.org/ep12.mp3\">ep12.mp3</a> (audio/mpeg, 12.3 MB)</li>"))
        #expect(body.contains("<li><a href=\"https://example.org/feeds/files/statement%20final.pdf\">statement final.pdf</a> (application/pdf)</li>"),
                "a relative address resolved against the feed's, a size that is no number left out")
        #expect(!body.contains("javascript"), "only http and https")

        let atom = try FeedParser.parse(Data("""
            <feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>e1</id><title>E</title>
            <link rel="alternate" href="https://example.org/e1"/>
            <link rel="enclosure" href="https://example.org/brief.pdf" type="application/pdf" length="480000" title="The brief"/>
            </entry></feed>
            """.utf8), path: "https://example.org/atom.xml")
        #expect(atom.entries.first?.enclosures == [Feed.Enclosure(url: "https://example.org/brief.pdf", type: "application/pdf", length: 480_000,
                                                                  title: "The brief")])
        #expect(atom.entries.first?.link == "https://example.org/e1", "the enclosure is not taken for the entry's own link")
        let atomBody = try #require(FeedImport.content(atom, location: "x").posts.first?.body)
        #expect(atomBody.contains("<a href=\"https://example.org/brief.pdf\">The brief</a> (application/pdf, 480 KB)"))

        let json = try FeedParser.parse(Data("""
            {"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [{"id": "1", "content_text": "Hi",
             "attachments": [{"url": "https://example.org/talk.m4a", "mime_type": "audio/x-m4a", "size_in_bytes": 900},
                             {"mime_type": "text/plain"}]}]}
            """.utf8), path: "https://example.org/feed.json")
        #expect(json.entries.first?.enclosures == [Feed.Enclosure(url: "https://example.org/talk.m4a", type: "audio/x-m4a", length: 900)])
        #expect(FeedImport.content(json, location: "x").posts.first?.body.contains("talk.m4a</a> (audio/x-m4a, 900 bytes)") == true)
    }

    @Test func the_article_numbers_them_as_links_and_numbers_pictures_too() throws {
        let body = "<p>See <img src=\"https://example.org/chart.png\" alt=\"A chart\"> and <img src=\"data:image/png;base64,xx\" alt=\"inline\">.</p>"
            + FeedImport.attachments([Feed.Enclosure(url: "https://example.org/ep.mp3", type: "audio/mpeg", length: 2_000_000)])
        let rendered = HTMLRenderer.render(body)
        #expect(rendered.links == ["https://example.org/chart.png", "https://example.org/ep.mp3"])
        #expect(rendered.plainText.contains("[image: A chart][1]"))
        #expect(rendered.plainText.contains("[image: inline]"), "a picture with no web address has no number")
        #expect(rendered.plainText.contains("ep.mp3[2] (audio/mpeg, 2.0 MB)"))
    }

    @Test func the_real_feeds_enclosures_are_read() throws {
        let root = Fixtures.root.appendingPathComponent("rome/rome/src/test/resources")
        let atom = try FeedParser.parse(try Data(contentsOf: root.appendingPathComponent("atom_1.0.xml")), path: "atom_1.0.xml")
        #expect(atom.entries.flatMap(\.enclosures).map(\.url) == ["http://example.com/blog/enclosure1.gif", "http://example.com/blog/enclosure2.gif"])
        #expect(atom.entries.first?.enclosures.first?.type == "image/gif")
        let rss = try FeedParser.parse(try Data(contentsOf: root.appendingPathComponent("rss_2.0.xml")), path: "rss_2.0.xml")
        #expect(rss.entries.map(\.enclosures.count) == [2, 2])
        #expect(rss.entries.first?.enclosures.first?.length == 100)
    }
}

/// OPML lists as other readers write them: folders of feeds, each feed with its site.
@Suite("OPML folders and sites")
struct OPMLFolderTests {
    static let list = """
        <?xml version="1.0"?>
        <opml version="2.0"><head><title>Mine</title></head><body>
          <outline type="rss" text="Loose" xmlUrl="https://loose.example/feed" htmlUrl="https://loose.example/"/>
          <outline text="Internet governance">
            <outline type="rss" text="IGF" xmlUrl="https://igf.example/rss" htmlUrl="https://igf.example/"/>
            <outline text="Regional">
              <outline type="rss" title="EuroDIG" xmlUrl="https://eurodig.example/feed"/>
            </outline>
          </outline>
        </body></opml>
        """

    @Test func folders_and_sites_are_read_and_written_back() throws {
        let feeds = try OPML.parse(Data(Self.list.utf8), path: "mine.opml")
        #expect(feeds == [
            OPML.Feed(url: "https://loose.example/feed", title: "Loose", site: "https://loose.example/", folder: nil),
            OPML.Feed(url: "https://igf.example/rss", title: "IGF", site: "https://igf.example/", folder: "Internet governance"),
            OPML.Feed(url: "https://eurodig.example/feed", title: "EuroDIG", site: nil, folder: "Regional"),
        ])
        let sources = feeds.map {
            Source(id: FeedImport.sourceID($0.url), kind: .feed, name: $0.title ?? "", location: $0.url, site: $0.site, folder: $0.folder)
        }
        let again = try OPML.parse(OPML.write(sources, title: "Mine"), path: "again.opml")
        #expect(again == feeds, "htmlUrl and the folders survive an export")
    }

    @Test func a_feeds_site_is_its_channels_link() throws {
        let feed = try FeedParser.parse(Data(FeedFieldTests.rss("<item><guid>a</guid><title>A</title></item>").utf8),
                                        path: "https://example.org/feeds/main.xml")
        #expect(FeedImport.content(feed, location: "https://example.org/feeds/main.xml").sources.first?.site == "https://example.org/")
    }
}

@Suite("Links made whole")
struct LinkResolutionTests {
    /// One address against a base, each form a body brings: what is whole or only a fragment
    /// stays, what is relative is made whole, entities around it kept.
    @Test func each_form_of_address_against_a_base() throws {
        let base = try #require(URL(string: "https://forum.example.org/t/topic/12"))
        let cases: [(String, String)] = [
            ("/u/ana", "https://forum.example.org/u/ana"),
            ("  /u/ana  ", "https://forum.example.org/u/ana"),
            ("../other/3", "https://forum.example.org/t/other/3"),
            ("page?a=1&amp;b=2", "https://forum.example.org/t/topic/page?a=1&amp;b=2"),
            ("//cdn.example.org/x.png", "https://cdn.example.org/x.png"),
            ("#reply-4", "#reply-4"),
            ("mailto:ana@example.org", "mailto:ana@example.org"),
            ("https://other.example.org/a", "https://other.example.org/a"),
            ("a/b:c", "https://forum.example.org/t/topic/a/b:c"),
            ("", ""),
            ("   ", "   "),
        ]
        for (given, whole) in cases {
            #expect(HTMLLinks.resolve(given, base: base) == whole, "\(given)")
        }
        #expect(HTMLLinks.resolve("/u/ana", base: nil) == "/u/ana")
    }

    /// The links read by hand (from the root or the authority) come out as Foundation resolves
    /// them, and what the hand reading declines (dot segments, `%`, spaces, entities, relative
    /// paths) still goes to Foundation, in a whole body as for one address.
    @Test func the_hand_read_links_agree_with_foundation() throws {
        let bases = ["https://forum.example.org", "https://forum.example.org/", "http://127.0.0.1:8080/forum/", "https://Forum.Example.org:443/t/x/1?page=2#p3",
                     "https://user@host.example/a/b"]
        let pieces = ["/u/ana", "/t/slug-name/12/3", "/uploads/default/original/1X/abc.png", "//cdn.example.org/x.png", "//CDN.Example.ORG/",
                      "/a/./b", "/a/../b", "/.well-known/x", "/p?x=1;y=2#frag", "/search?q=a+b", "/%E4%B8%AD", "/a b", "/a&amp;b", "/", "//",
                      "/~me/(1)/it's,ok!*$=@:", "/a/.", "/a/..", "/x#y/../z", "/é", "rel/path", "?q=1"]
        var handled = 0
        for text in bases {
            let base = try #require(URL(string: text))
            let origin = try #require(HTMLLinks.Origin(base))
            for piece in pieces {
                let foundation = URL(string: piece, relativeTo: base)?.absoluteURL.absoluteString
                let byHand = Array(piece.utf8).withUnsafeBufferPointer { origin.resolve($0) }
                if let byHand {
                    handled += 1
                    #expect(byHand == foundation, "\(piece) against \(text)")
                }
                // Whole bodies: the same result whichever way each link went.
                let body = "<a href=\"\(piece)\">x</a><img src='\(piece)'>"
                let expected = HTMLLinks.resolve(piece, base: base)
                #expect(HTMLLinks.absolute(body, base: base) == "<a href=\"\(expected)\">x</a><img src='\(expected)'>", "\(piece) against \(text)")
            }
        }
        #expect(handled >= 40, "most of the forms are read by hand")
        // Bodies made of the pieces an attribute is made of, in every order: the links found are
        // the `href="…"` and `src='…'` a plain reading finds, however the pieces fall.
        let base = try #require(URL(string: "https://forum.example.org/t/1"))
        let parts = ["href=", "src=", "ref=", "xsrc=", "c=", "sr", "\"/a\"", "'/b'", "x", "=", "hre", "f=", "s", "rc=", "\"", "'", " ", "<a ", ">", "h", "\"http://x/y\"", "é"]
        var generator = SystemRandomNumberGenerator.Seeded(23)
        for _ in 0..<3_000 {
            let body = (0..<Int.random(in: 1...12, using: &generator)).map { _ in parts.randomElement(using: &generator)! }.joined()
            #expect(HTMLLinks.absolute(body, base: base) == Self.plainlyAbsolute(body, base: base), "\(body)")
        }
    }

    /// Links made absolute by the plainest reading: at every place, is `href=` or `src=` next,
    /// followed by a quoted value? (Nothing changes after a quote that never closes.)
    static func plainlyAbsolute(_ html: String, base: URL) -> String {
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        var i = 0
        func starts(_ word: String, at k: Int) -> Bool { Array(bytes[k...].prefix(word.utf8.count)) == Array(word.utf8) }
        while i < bytes.count {
            let name = starts("href=", at: i) ? 5 : starts("src=", at: i) ? 4 : 0
            let open = i + name
            guard name > 0, open < bytes.count, bytes[open] == UInt8(ascii: "\"") || bytes[open] == UInt8(ascii: "'") else {
                out.append(bytes[i])
                i += 1
                continue
            }
            // A quote never closed: the rest is its value, as a browser reads it.
            guard let close = bytes[(open + 1)...].firstIndex(of: bytes[open]) else {
                out += bytes[i...]
                break
            }
            out += bytes[i...open]
            out += Array(HTMLLinks.resolve(String(decoding: bytes[(open + 1)..<close], as: UTF8.self), base: base).utf8)
            out.append(bytes[close])
            i = close + 1
        }
        return String(decoding: out, as: UTF8.self)
        #expect(HTMLLinks.Origin(URL(string: "mailto:ana@example.org")!) == nil)
    }
}
