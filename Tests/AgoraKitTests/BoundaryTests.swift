@testable import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// The one boundary where records come in: what it lets through, in both caches.
@Suite("What comes in, in both caches")
struct BoundaryTests {
    @Test(arguments: StoreKind.allCases)
    func dates_no_community_can_have_are_left_out_and_counted_and_everything_still_reads(kind: StoreKind) throws {
        // Given dates that overflow, that are before 1970 by eons, that are not numbers
        let (store, directory) = try makeStore(kind, CacheContent())
        let good = Date(timeIntervalSince1970: 1_600_000_000)
        let content = CacheContent(
            members: [Member(id: "ana", name: "Ana", joined: Date(timeIntervalSince1970: -1e12))],
            posts: [Post(id: "a", title: "A", author: "ana", published: Date(timeIntervalSince1970: 1e19),
                         updated: Date(timeIntervalSince1970: -1e300)),
                    Post(id: "b", title: "B", published: good)],
            comments: [Comment(id: "c", post: "a", published: Date(timeIntervalSince1970: .nan))],
            postStates: ["b": PostState(read: true, readAt: Date(timeIntervalSince1970: .infinity))])
        // When they are imported
        let summary = try store.importContent(content)
        // Then each is left out and counted; the records are kept without them
        #expect(summary.droppedDates == 5)
        #expect(summary.posts.added == 2)
        let a = try store.post("a")
        #expect(a.post.published == nil && a.post.updated == nil)
        #expect(a.comments.first?.comment.published == nil)
        #expect(try store.member("ana").member.joined == nil)
        #expect(try store.post("b").post.published == good)
        #expect(try store.post("b").state == PostState(read: true, readAt: nil))
        // and every later read works, and so does opening the cache again.
        #expect(try store.posts(PostQuery()).map(\.id) == ["b", "a"])
        #expect(try reopen(kind, directory).posts(PostQuery(sort: .oldest)).map(\.id) == ["a", "b"])
        #expect(DateFormat.standard.string(Date(timeIntervalSince1970: 1e19)) == "—")
    }

    @Test(arguments: StoreKind.allCases)
    func ids_and_every_reference_to_them_are_cleaned_alike(kind: StoreKind) throws {
        // Given ids with escape sequences, controls and invisible characters, and references
        // to them written the same way (a Ning contributorName, say)
        let (store, directory) = try makeStore(kind, CacheContent())
        _ = directory
        let content = CacheContent(
            sources: [Source(id: "feed\u{1B}[31m", kind: .feed, name: "Feed", etag: "\"e\u{07}1\"")],
            members: [Member(id: "ana\u{7F}\u{202E}", name: "Ana")],
            posts: [Post(id: "p\u{200B}1\u{9B}", source: "feed\u{1B}[31m", title: "One", author: "ana\u{7F}\u{202E}")],
            comments: [Comment(id: "c\u{0}1", post: "p\u{200B}1\u{9B}", author: "\u{200B}ana")])
        // When they are imported
        try store.importContent(content)
        // Then the records and the references meet on the clean ids
        let post = try store.post("p1")
        #expect(post.post.author == "ana")
        #expect(post.post.source == "feed")
        #expect(post.author?.name == "Ana")
        #expect(post.comments.map(\.comment.id) == ["c1"])
        #expect(post.comments.first?.comment.author == "ana")
        #expect(try store.member("ana").posts.map(\.id) == ["p1"])
        let source = try #require(try store.sources().first)
        #expect(source.id == "feed" && source.etag == "\"e1\"")
    }

    @Test(arguments: StoreKind.allCases)
    func a_reference_to_a_missing_post_is_named_clean_in_the_message(kind: StoreKind) throws {
        let (store, directory) = try makeStore(kind, CacheContent())
        _ = directory
        let content = CacheContent(comments: [Comment(id: "c", post: "gone\u{1B}]0;pwned\u{07}")])
        #expect(throws: AgoraError.invalidArgument("comment 'c' is on post 'gone', which is not in the cache")) {
            try store.importContent(content)
        }
    }
}
