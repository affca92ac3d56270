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
        #expect(throws: AgoraError.commentWithoutPost(comment: "c", post: "gone")) {
            try store.importContent(content)
        }
    }
}

/// The JSON cache shared by processes, and its file as the system keeps it.
@Suite("The JSON cache's file")
struct JSONCacheFileTests {
    static func content(_ n: Int) -> CacheContent {
        CacheContent(posts: (0..<n).map { Post(id: Post.ID("p\($0)"), title: "Post \($0)") })
    }

    @Test func two_writers_each_keep_what_the_other_wrote() throws {
        // Given two processes' views of one cache (two stores on one file)
        let directory = TemporaryDirectory()
        let path = directory.file("shared.json")
        try JSONStore(path: path).importContent(Self.content(200))
        let first = try JSONStore(path: path)
        let second = try JSONStore(path: path)
        // When each marks every other post, taking turns
        for i in stride(from: 0, to: 200, by: 2) {
            try first.setRead(true, posts: [Post.ID("p\(i)")])
            try second.setRead(true, posts: [Post.ID("p\(i + 1)")])
        }
        // Then no mark is lost, on disk or in either view
        #expect(try JSONStore(path: path).counts(.all).unread == 0)
        #expect(try first.counts(.all).unread == 0)
        #expect(try second.counts(.all).unread == 0)
    }

    @Test func writers_on_two_threads_take_turns_under_the_lock() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("busy.json")
        try JSONStore(path: path).importContent(Self.content(100))
        let stores = [try JSONStore(path: path), try JSONStore(path: path)]
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            for i in stride(from: half, to: 100, by: 2) { try? stores[half].setStarred(true, posts: [Post.ID("p\(i)")]) }
        }
        #expect(try JSONStore(path: path).statistics().starred == 100)
    }

    @Test func the_file_keeps_its_mode_a_read_only_one_is_not_replaced_and_a_link_is_written_through() throws {
        let directory = TemporaryDirectory()
        // A private cache stays private.
        let private_ = directory.file("private.json")
        try JSONStore(path: private_).importContent(Self.content(2))
        chmod(private_, 0o600)
        try JSONStore(path: private_).setRead(true, posts: ["p0"])
        #expect(try FileManager.default.attributesOfItem(atPath: private_)[.posixPermissions] as? Int == 0o600)
        // A read-only one is refused, and left as it was.
        let frozen = directory.file("frozen.json")
        try JSONStore(path: frozen).importContent(Self.content(2))
        chmod(frozen, 0o444)
        let before = FileManager.default.contents(atPath: frozen)
        #expect(throws: AgoraError.cannotSave(path: frozen, .mode)) {
            try JSONStore(path: frozen).setRead(true, posts: ["p0"])
        }
        #expect(FileManager.default.contents(atPath: frozen) == before)
        // A link stays a link; its target gets the change.
        let target = directory.file("real/target.json")
        try JSONStore(path: target).importContent(Self.content(2))
        let link = directory.file("link.json")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        try JSONStore(path: link).setRead(true, posts: ["p1"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try JSONStore(path: target).post("p1").state.read)
    }
}

@Suite("A cache in memory")
struct InMemoryCacheTests {
    @Test func it_checks_what_it_is_given_keeps_every_change_and_writes_no_file() throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.currentDirectoryPath)
        let store = try JSONStore(content: CacheContent(posts: [Post(id: "p\u{200B}1", title: "T\u{1B}[2J", published: Date(timeIntervalSince1970: 1e19))]))
        #expect(try store.post("p1").post.title == "T")
        #expect(try store.post("p1").post.published == nil)
        try store.setRead(true, posts: ["p1"])
        #expect(try store.counts(.all) == PostCounts(total: 1, unread: 0))
        #expect(try store.changedElsewhere() == false)
        #expect(!store.isReadOnly)
        #expect(try FileManager.default.contentsOfDirectory(atPath: FileManager.default.currentDirectoryPath) == before)
    }
}
