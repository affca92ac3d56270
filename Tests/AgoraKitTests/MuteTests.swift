import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// Muting a member hides their posts and comments everywhere (lists, counts, threads, search,
/// next unread, mark all read), both caches alike; it is reader state, exported and merged.
@Suite("Muted members")
struct MuteTests {
    static let content = MuteFixture.content

    @Test(arguments: StoreKind.allCases)
    func a_muted_member_is_hidden_everywhere_but_their_own_list(kind: StoreKind) throws {
        let (store, folder) = try makeStore(kind, Self.content)
        _ = folder
        #expect(throws: AgoraError.memberNotFound("nobody")) { try store.setMuted(true, member: "nobody") }
        try store.setMuted(true, member: "ana")
        #expect(Set(try store.mutedMembers().keys) == ["ana"])
        // Lists and counts.
        #expect(try store.posts(PostQuery(limit: 50)).map(\.id.rawValue) == ["p9", "p8", "p7", "p6", "p5", "p4"])
        #expect(try store.counts(.all) == PostCounts(total: 6, unread: 6, hidden: 4))
        #expect(try store.counts(PostFilter(unreadOnly: true)) == PostCounts(total: 6, unread: 6, hidden: 4))
        #expect(try store.posts(PostQuery(offset: 4, limit: 50)).map(\.id.rawValue) == ["p5", "p4"])
        // Asked for by name: their own list is whole.
        #expect(try store.posts(PostQuery(filter: PostFilter(author: "ana"), limit: 50)).count == 4)
        // Threads: the comment stays in its place, marked as a muted member's.
        let detail = try store.post("p4")
        #expect(detail.mutedAuthors == ["ana"])
        #expect(detail.comments.filter(detail.isMuted).map(\.id.rawValue) == ["c1"])
        // Search: neither posts nor comments.
        let found = try store.search("routing", limit: 50)
        #expect(found.posts.map(\.post.id.rawValue).allSatisfy { !["p0", "p1", "p2", "p3"].contains($0) })
        #expect(found.totals[.posts] == 6)
        #expect(found.comments.map(\.comment.rawValue) == ["c2"])
        // Next unread passes over them, and mark all read leaves them as they were.
        try store.setRead(true, posts: ["p4", "p5", "p6", "p7", "p8", "p9"].map { Post.ID($0) })
        #expect(try store.nextUnread(UnreadSearch(from: 0, after: nil, forward: true)) == nil)
        try store.setRead(false, posts: ["p9"])
        #expect(try store.markAllRead(.all).count == 1)
        #expect(try store.post("p0").state.read == false)
        // The profile says so; unmuting brings everything back.
        #expect(try store.member("ana", limit: 10).muted)
        try store.setMuted(false, member: "ana")
        #expect(try store.counts(.all) == PostCounts(total: 10, unread: 4, hidden: 0))
        #expect(try store.post("p4").mutedAuthors.isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func muting_is_exported_and_merged_like_read_marks(kind: StoreKind) throws {
        let (store, folder) = try makeStore(kind, Self.content)
        _ = folder
        try store.setMuted(true, member: "bo")
        let exported = try store.exportContent()
        #expect(Set(exported.muted.keys) == ["bo"])
        // Through the file format and into a cache that has the members.
        let dir = TemporaryDirectory()
        try CacheFile(exported).write(to: dir.file("e.json"))
        let back = try CacheFile.read(path: dir.file("e.json")).content
        #expect(Set(back.muted.keys) == ["bo"])
        let (other, otherFolder) = try makeStore(kind, Self.content)
        _ = otherFolder
        let summary = try other.importContent(back)
        #expect(summary.membersMuted == 1)
        #expect(try other.counts(.all).total == 4)
        // Unmuted here, muted in the file: muted again, as a read post stays read.
        try other.setMuted(false, member: "bo")
        #expect(try other.importContent(back).membersMuted == 1)
        #expect(Set(try other.mutedMembers().keys) == ["bo"])
        // A muted member the cache lacks is left out.
        var stranger = back
        stranger.muted = ["nobody": Date(timeIntervalSince1970: 1_700_000_000)]
        #expect(try other.importContent(stranger).membersMuted == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func imported_mutes_are_cleaned_as_every_other_reference_and_the_rest_counted(kind: StoreKind) throws {
        let (store, folder) = try makeStore(kind, Self.content)
        _ = folder
        // An escape, a bidi mark and a zero-width space around ids the cache has; one it has not.
        var incoming = CacheContent()
        let since = Date(timeIntervalSince1970: 1_700_000_000)
        incoming.muted = [Member.ID("an\u{200B}a"): since, Member.ID("\u{202E}bo\u{1B}"): since, Member.ID("nobody"): since]
        let summary = try store.importContent(incoming)
        #expect(Set(try store.mutedMembers().keys) == ["ana", "bo"])
        #expect(summary.membersMuted == 2)
        #expect(summary.mutesLeftOut == 1)
    }
}
