import AgoraKit
import Foundation
import Testing

@Suite("What a cache keeps when two writes bring one record")
struct MergeRuleTests {
    static let forum = Source(id: "discourse:f", kind: .discourse, name: "Forum", location: "https://forum.example.org")
    static let feed = Source(id: "feed:f-latest", kind: .feed, name: "Forum's latest", location: "https://forum.example.org/latest.rss")

    /// The topic as the forum's own sync reads it: views, likes, a whole body, its category.
    static let topic = Post(id: "discourse:f:t7", source: forum.id, kind: .discussion, title: "Remote hubs",
                            author: "discourse:f:u:ana", authorName: "Ana", published: Date(timeIntervalSince1970: 1_000),
                            category: "IGF", views: 120, likes: 4, body: "<p>The whole first post, with its links.</p>",
                            link: "https://forum.example.org/t/remote-hubs/7")
    /// The same topic in the forum's feed: a short body, a newer title, no views.
    static let item = Post(id: "discourse:f:t7", source: feed.id, kind: .feedItem, title: "Remote hubs (edited)",
                           author: "discourse:f:u:ana", authorName: "@ana", published: Date(timeIntervalSince1970: 1_000),
                           tags: ["hubs"], body: "<p>The whole first…</p>", link: "https://forum.example.org/t/remote-hubs/7")

    static func richness(_ id: Source.ID?) -> Int {
        [forum.id: Source.Kind.discourse, feed.id: .feed][id ?? ""]?.traits.richness ?? 0
    }

    @Test func the_richer_source_wins_field_by_field_whichever_came_first() {
        let feedOverForum = MergeRule.post(Self.item, over: Self.topic, richness: Self.richness)
        #expect(feedOverForum.source == Self.forum.id)
        #expect(feedOverForum.title == "Remote hubs" && feedOverForum.views == 120 && feedOverForum.body == Self.topic.body)
        // What the forum lacks, the feed fills.
        #expect(feedOverForum.tags == ["hubs"])

        let forumOverFeed = MergeRule.post(Self.topic, over: Self.item, richness: Self.richness)
        #expect(forumOverFeed.source == Self.forum.id && forumOverFeed.kind == .discussion)
        #expect(forumOverFeed.views == 120 && forumOverFeed.likes == 4 && forumOverFeed.authorName == "Ana")
        #expect(forumOverFeed.tags == ["hubs"])
    }

    @Test func from_the_same_source_the_write_is_the_post_as_it_now_is() {
        var edited = Self.topic
        edited.title = "Remote hubs, again"
        edited.views = nil
        #expect(MergeRule.post(edited, over: Self.topic, richness: Self.richness) == edited)
    }

    @Test func a_member_keeps_what_a_write_does_not_say() {
        let profile = Member(id: "discourse:f:u:ana", name: "Ana Lima", country: "Brazil", countryCode: "BR", location: "Recife, Brazil",
                             joined: Date(timeIntervalSince1970: 500), role: .moderator, bio: "<p>Hubs.</p>",
                             profile: [.init(question: "Username", answer: "@ana"), .init(question: "Posts", answer: "3")])
        // A feed's author is a name alone: it renames no one the cache knows better.
        let author = Member(id: profile.id, name: "@ana")
        #expect(MergeRule.member(author, over: profile) == profile)
        // A directory row: no biography, no location, a plain role, a newer count.
        let row = Member(id: profile.id, name: "Ana M. Lima", profile: [.init(question: "Username", answer: "@ana"), .init(question: "Posts", answer: "9")])
        let merged = MergeRule.member(row, over: profile)
        #expect(merged.name == "Ana M. Lima" && merged.bio == profile.bio && merged.location == profile.location && merged.role == .moderator)
        #expect(merged.profile.map(\.answer) == ["@ana", "9"])
        // A name alone over a name alone is the newer name.
        #expect(MergeRule.member(author, over: Member(id: profile.id, name: "ana")).name == "@ana")
    }

    @Test(arguments: StoreKind.allCases)
    func both_caches_keep_the_forums_topic_when_its_feed_brings_it_again(kind: StoreKind) throws {
        let (store, directory) = try makeStore(kind, CacheContent(sources: [Self.forum, Self.feed]))
        _ = directory
        try store.importContent(CacheContent(posts: [Self.topic]))
        let again = try store.importContent(CacheContent(posts: [Self.item]))
        #expect(again.posts.unchanged == 0 && again.posts.updated == 1, "the feed's tag fills a gap")
        let kept = try store.post(Self.topic.id).post
        #expect(kept.source == Self.forum.id && kept.views == 120 && kept.title == "Remote hubs" && kept.tags == ["hubs"])
        // Once more: nothing left to fill, nothing changes.
        #expect(try store.importContent(CacheContent(posts: [Self.item])).posts.unchanged == 1)
        // And the forum's own sync over the feed's takes the post back whole.
        var newer = Self.topic
        newer.views = 130
        try store.importContent(CacheContent(posts: [newer]))
        #expect(try store.post(Self.topic.id).post.views == 130)
    }

    @Test(arguments: StoreKind.allCases)
    func both_caches_let_the_forum_take_over_a_topic_its_feed_brought_first(kind: StoreKind) throws {
        let (store, directory) = try makeStore(kind, CacheContent(sources: [Self.forum, Self.feed], posts: [Self.item]))
        _ = directory
        try store.importContent(CacheContent(posts: [Self.topic]))
        let post = try store.post(Self.topic.id).post
        #expect(post.source == Self.forum.id && post.views == 120 && post.body == Self.topic.body && post.kind == .discussion)
        let counts = try store.sourceCounts()
        #expect(counts.first { $0.source == Self.forum.id }?.posts == 1)
        #expect(counts.first { $0.source == Self.feed.id }?.posts ?? 0 == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func both_caches_keep_a_profile_when_a_list_names_the_member_again(kind: StoreKind) throws {
        let profile = Member(id: "discourse:f:u:ana", name: "Ana Lima", location: "Recife", bio: "<p>Hubs.</p>")
        let (store, directory) = try makeStore(kind, CacheContent(members: [profile]))
        _ = directory
        let summary = try store.importContent(CacheContent(members: [Member(id: profile.id, name: "@ana")]))
        #expect(summary.members.unchanged == 1)
        #expect(try store.member(profile.id).member == profile)
    }
}
