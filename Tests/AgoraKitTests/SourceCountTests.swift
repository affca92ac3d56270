@testable import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// Posts by source and category, as the sources screen and `agora sources` count them: kept in
/// step by every write (imports, marks, mark-all-read, undo), muted members left out, both
/// caches alike, and the same lists by source as the counts say.
@Suite("Counts by source")
struct SourceCountTests {
    /// Two feeds and a forum with two categories; one post from no source.
    static let content: CacheContent = {
        var posts: [Post] = []
        func post(_ id: String, _ source: String?, _ category: String? = nil, _ author: Member.ID? = nil, _ n: Int) -> Post {
            Post(id: Post.ID(id), source: source.map { Source.ID($0) }, kind: .blogPost, title: "Post \(id)", author: author,
                 published: Date(timeIntervalSince1970: 1_600_000_000 + Double(n) * 3600), category: category)
        }
        for n in 0..<5 { posts.append(post("a\(n)", "feed:a", n == 0 ? "News" : nil, nil, n)) }
        for n in 0..<3 { posts.append(post("b\(n)", "feed:b", nil, "bo", 10 + n)) }
        for n in 0..<4 { posts.append(post("f\(n)", "forum", n < 3 ? "Policy" : "Meta", n == 3 ? "bo" : "ana", 20 + n)) }
        posts.append(post("x0", nil, nil, nil, 30))
        return CacheContent(
            sources: [Source(id: "feed:a", kind: .feed, name: "Feed A", location: "https://a.example/feed"),
                      Source(id: "feed:b", kind: .feed, name: "Feed B", location: "https://b.example/feed"),
                      Source(id: "forum", kind: .discourse, name: "The Forum", location: "https://forum.example"),
                      Source(id: "empty", kind: .feed, name: "Empty", location: "https://e.example/feed")],
            members: [Member(id: "ana", name: "Ana"), Member(id: "bo", name: "Bo")], posts: posts)
    }()

    static func counts(_ store: any CommunityStore) throws -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for c in try store.sourceCounts() { out["\(c.source?.rawValue ?? "-")/\(c.category ?? "-")"] = [c.posts, c.unread] }
        return out
    }

    @Test(arguments: StoreKind.allCases)
    func counts_follow_every_write(kind: StoreKind) throws {
        let (store, folder) = try makeStore(kind, Self.content)
        _ = folder
        #expect(try Self.counts(store) == ["feed:a/News": [1, 1], "feed:a/-": [4, 4], "feed:b/-": [3, 3],
                                           "forum/Policy": [3, 3], "forum/Meta": [1, 1], "-/-": [1, 1]])
        // One by one, then a source's posts all read, then undone.
        try store.setRead(true, posts: ["a1", "f0"])
        #expect(try Self.counts(store)["feed:a/-"] == [4, 3])
        #expect(try Self.counts(store)["forum/Policy"] == [3, 2])
        let entry = try store.markAllRead(PostFilter(source: "forum", category: "Policy"))
        #expect(entry.count == 2)
        #expect(entry.scope == "posts in forum › Policy")
        #expect(try Self.counts(store)["forum/Policy"] == [3, 0])
        #expect(try Self.counts(store)["forum/Meta"] == [1, 1], "the other category is left as it was")
        _ = try store.undo(entry.token)
        #expect(try Self.counts(store)["forum/Policy"] == [3, 2])
        // A post that moves to another category on a later import is counted where it is now.
        var moved = Self.content.posts.first { $0.id == "f1" }!
        moved.category = "Meta"
        try store.importContent(CacheContent(posts: [moved]))
        #expect(try Self.counts(store)["forum/Policy"] == [2, 1])
        #expect(try Self.counts(store)["forum/Meta"] == [2, 2])
        // New posts come in counted; the same import again changes nothing.
        var added = Self.content.posts.first { $0.id == "b0" }!
        added.id = "b9"
        try store.importContent(CacheContent(posts: [added], postStates: ["b9": PostState(read: true)]))
        try store.importContent(CacheContent(posts: [added]))
        #expect(try Self.counts(store)["feed:b/-"] == [4, 3])
        if let sqlite = store as? SQLiteStore {
            // The kept counts are the rows' counts.
            #expect(try sqlite.sourceCounts() == sqlite.recountedSourceCounts())
        }
        // Read back from the file.
        #expect(try Self.counts(reopen(kind, folder)) == Self.counts(store))
    }

    @Test(arguments: StoreKind.allCases)
    func lists_by_source_agree_with_the_counts(kind: StoreKind) throws {
        let (store, folder) = try makeStore(kind, Self.content)
        _ = folder
        try store.setRead(true, posts: ["a0", "f3"])
        for count in try store.sourceCounts() where count.source != nil {
            let filter = PostFilter(source: count.source, category: count.category)
            let all = try store.posts(PostQuery(filter: filter, limit: 100))
            let ids = Set(all.map(\.id.rawValue))
            if count.category == nil {
                // A source's list holds every category of it.
                #expect(ids.count == Self.content.posts.filter { $0.source == count.source }.count)
            } else {
                #expect(ids.count == count.posts)
            }
            #expect(try store.counts(filter).total == ids.count)
            var unread = filter
            unread.unreadOnly = true
            #expect(try store.counts(unread).total == all.filter { !$0.state.read }.count)
        }
        #expect(try store.posts(PostQuery(filter: PostFilter(source: "forum", category: "Meta"), limit: 10)).map(\.id) == ["f3"])
        #expect(try store.counts(PostFilter(source: "empty")) == PostCounts(total: 0, unread: 0))
    }

    @Test(arguments: StoreKind.allCases)
    func muted_members_posts_are_not_counted(kind: StoreKind) throws {
        let (store, folder) = try makeStore(kind, Self.content)
        _ = folder
        try store.setMuted(true, member: "bo")
        let counts = try Self.counts(store)
        #expect(counts["feed:b/-"] == nil, "every post of feed B is Bo's")
        #expect(counts["forum/Meta"] == nil)
        #expect(counts["forum/Policy"] == [3, 3])
        #expect(try store.counts(PostFilter(source: "forum")) == PostCounts(total: 3, unread: 3, hidden: 1))
        #expect(try store.counts(PostFilter(unreadOnly: true, source: "forum")).total == 3)
    }

    @Test(arguments: StoreKind.allCases)
    func replies_that_come_in_after_a_post_was_read_are_new_until_read(kind: StoreKind) throws {
        let (store, folder) = try makeStore(kind, Self.content)
        _ = folder
        func reply(_ id: String, on post: String, hour: Int) -> CacheContent {
            CacheContent(comments: [Comment(id: Comment.ID(id), post: Post.ID(post), authorName: "Sam",
                                            published: Date(timeIntervalSince1970: 1_600_000_000 + Double(hour) * 3600), body: "reply \(id)")])
        }
        func new(_ post: String) throws -> Int? {
            try store.posts(PostQuery(filter: PostFilter(source: "forum"), limit: 50)).first { $0.id.rawValue == post }?.newComments
        }
        func newInPolicy() throws -> Int? { try store.sourceCounts().first { $0.category == "Policy" }?.newReplies }
        // A reply on a topic read before is new; on a topic not read yet it is not counted apart.
        try store.importContent(reply("c0", on: "f0", hour: 40))
        try store.setRead(true, posts: ["f0"])
        #expect(try new("f0") == 0, "reading the topic read its reply")
        try store.importContent(reply("c1", on: "f0", hour: 41))
        try store.importContent(reply("c2", on: "f1", hour: 42))
        #expect(try new("f0") == 1)
        #expect(try new("f1") == 0)
        #expect(try newInPolicy() == 1)
        // Seen in the thread, it is not new any more.
        try store.setRead(true, comments: ["c1"])
        #expect(try new("f0") == 0)
        #expect(try newInPolicy() == 0)
        // Marking a source read catches up on its new replies too.
        try store.importContent(reply("c3", on: "f0", hour: 43))
        #expect(try newInPolicy() == 1)
        _ = try store.markAllRead(PostFilter(source: "forum"))
        #expect(try newInPolicy() == 0)
        #expect(try store.post("f1").comments.allSatisfy { $0.state.read }, "the replies of a topic marked read are read")
        // Latest activity: the topic with the latest reply first, whatever its own date.
        try store.importContent(reply("c4", on: "f1", hour: 50))
        let byActivity = try store.posts(PostQuery(filter: PostFilter(source: "forum"), sort: .activity, limit: 10)).map(\.id.rawValue)
        #expect(byActivity == ["f1", "f0", "f3", "f2"])
        #expect(try new("f1") == 1)
        if let sqlite = store as? SQLiteStore { #expect(try sqlite.sourceCounts() == sqlite.recountedSourceCounts()) }
        #expect(try reopen(kind, folder).sourceCounts() == store.sourceCounts())
    }

    @Test func a_cache_of_the_fifth_schema_is_counted_when_it_opens() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("old.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            try store.importContent(Self.content)
            try store.setRead(true, posts: ["a0", "f1"])
        }
        try TestSQLite.downgradeToVersion5(path: path)
        let store = try SQLiteStore(path: path)
        #expect(try TestSQLite.userVersion(path: path) == Schema.version)
        #expect(try Self.counts(store) == ["feed:a/News": [1, 0], "feed:a/-": [4, 4], "feed:b/-": [3, 3],
                                           "forum/Policy": [3, 2], "forum/Meta": [1, 1], "-/-": [1, 1]])
        try store.setRead(true, posts: ["b0"])
        #expect(try store.sourceCounts() == store.recountedSourceCounts())
    }

    @Test func a_tally_lists_every_source_with_a_forums_categories() throws {
        let tally = SourceTally.tally(Self.content.sources, counts: [
            SourceCount(source: "forum", category: "Policy", posts: 3, unread: 2),
            SourceCount(source: "forum", category: "meta", posts: 1, unread: 1),
            SourceCount(source: "feed:a", category: "News", posts: 1, unread: 0),
            SourceCount(source: "feed:a", category: nil, posts: 4, unread: 4),
            SourceCount(source: nil, category: nil, posts: 1, unread: 1),
            SourceCount(source: "gone", category: nil, posts: 2, unread: 0),
        ])
        // By name, case aside: Empty, Feed A, Feed B, The Forum; then posts of no known source.
        #expect(tally.map { $0.source?.id.rawValue ?? "-" } == ["empty", "feed:a", "feed:b", "forum", "-"])
        #expect(tally[1].posts == 5 && tally[1].unread == 4 && tally[1].categories.isEmpty, "a feed's categories are not listed")
        #expect(tally[3].categories.map(\.category) == ["meta", "Policy"])
        #expect(tally[3].posts == 4 && tally[3].unread == 3)
        #expect(tally[4].posts == 3, "posts of no source, and of a source removed, are one row")
    }
}
