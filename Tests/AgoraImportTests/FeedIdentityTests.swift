@testable import AgoraImport
import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// A feed is known by what it says it is, not by the file it came in: the same feed saved twice,
/// or read from a file and then from its address, makes the same posts and authors.
@Suite("Feed identity")
struct FeedIdentityTests {
    static func rss(selfLink: String? = "https://example.org/feed.xml", channelLink: String? = "https://example.org/") -> String {
        """
        <?xml version="1.0"?>
        <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Rich</title>
        \(channelLink.map { "<link>\($0)</link>" } ?? "")\(selfLink.map { "<atom:link rel=\"self\" href=\"\($0)\"/>" } ?? "")
        <item><guid>g1</guid><title>One</title><author>ana@example.org (Ana Neves)</author></item>
        <item><guid>g2</guid><title>Two</title><author>ana@example.org (Ana Neves)</author></item>
        </channel></rss>
        """
    }

    @Test func the_same_feed_in_two_files_is_one_set_of_posts() throws {
        let folder = TemporaryDirectory()
        let store = try SQLiteStore(path: folder.file("c.sqlite"))
        try FeedImport.importFile(folder.write("rich.xml", Self.rss()), into: store)
        let again = try FeedImport.importFile(folder.write("rich-copy.xml", Self.rss()), into: store)
        #expect(again.posts.added == 0, "the same two posts (now from the second file)")
        #expect(try store.statistics().posts == 2)
        #expect(try store.statistics().members == 1)
        #expect(try store.posts(PostQuery()).allSatisfy { $0.id.rawValue.hasPrefix("example-org-feed-xml:") })
    }

    @Test func a_feed_that_says_nothing_of_itself_is_known_by_its_file() throws {
        let folder = TemporaryDirectory()
        let store = try SQLiteStore(path: folder.file("c.sqlite"))
        try FeedImport.importFile(folder.write("a.xml", Self.rss(selfLink: nil, channelLink: nil)), into: store)
        try FeedImport.importFile(folder.write("b.xml", Self.rss(selfLink: nil, channelLink: nil)), into: store)
        #expect(try store.statistics().posts == 4, "two feeds, as far as anyone can tell")
        // The site's address is enough to know it by.
        let other = try SQLiteStore(path: folder.file("d.sqlite"))
        try FeedImport.importFile(folder.write("c.xml", Self.rss(selfLink: nil)), into: other)
        try FeedImport.importFile(folder.write("d.xml", Self.rss(selfLink: nil)), into: other)
        #expect(try other.statistics().posts == 2)
    }

    @Test func a_file_and_then_its_address_are_one_feed() throws {
        let body = Self.rss()
        let server = try TestHTTPServer { _ in .init(headers: [("Content-Type", "application/rss+xml")], text: body) }
        defer { server.stop() }
        let folder = TemporaryDirectory()
        let store = try SQLiteStore(path: folder.file("c.sqlite"))
        try FeedImport.importFile(folder.write("saved.xml", body), into: store)
        let source = Source(id: FeedImport.sourceID(server.baseURL + "/feed.xml"), kind: .feed, name: "x", location: server.baseURL + "/feed.xml")
        try store.importContent(CacheContent(sources: [source]))
        let report = Sync(fetcher: Fetcher(timeout: 10)).sync(source, into: store)
        #expect(report.status == .updated && report.added == 0, "\(report)")
        #expect(try store.statistics().posts == 2)
    }

    @Test func a_feed_read_before_keeps_the_ids_it_had() throws {
        let body = Self.rss()
        let server = try TestHTTPServer { _ in .init(text: body) }
        defer { server.stop() }
        let folder = TemporaryDirectory()
        let store = try SQLiteStore(path: folder.file("c.sqlite"))
        let location = server.baseURL + "/old.xml"
        // As an earlier Agora left it: synced, its posts keyed by its location, no key kept.
        let legacyKey = FeedImport.sourceKey(location)
        let old = Source(id: FeedImport.sourceID(location), kind: .feed, name: "Rich", location: location, lastSync: Date(timeIntervalSince1970: 1_700_000_000))
        try store.importContent(CacheContent(sources: [old], posts: [Post(id: Post.ID(legacyKey + ":g1"), source: old.id, kind: .feedItem, title: "One")]))
        let report = Sync(fetcher: Fetcher(timeout: 10)).sync(old, into: store)
        #expect(report.added == 1, "only g2 is new: g1 kept its id")
        #expect(try store.statistics().posts == 2)
        #expect(try store.sources().first { $0.id == old.id }?.feedKey == legacyKey)
    }
}
