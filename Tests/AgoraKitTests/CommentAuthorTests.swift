import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// A comment's author is shown by the member's name wherever comments are shown: a post's
/// comments, search hits, a profile's comments; the source's name where no member matches.
@Suite("Comment authors by name")
struct CommentAuthorTests {
    static let content = CacheContent(
        members: [Member(id: "member-00047", name: "Marília Maciel")],
        posts: [Post(id: "p1", title: "Governance", body: "<p>Body</p>")],
        comments: [
            Comment(id: "c1", post: "p1", author: "member-00047", published: Date(timeIntervalSince1970: 1_000), body: "<p>A reply about routing</p>"),
            Comment(id: "c2", post: "p1", author: "gone-member", authorName: "Someone Gone", published: Date(timeIntervalSince1970: 2_000),
                    body: "<p>Another about routing</p>"),
            Comment(id: "c3", post: "p1", authorName: "A Guest", published: Date(timeIntervalSince1970: 3_000), body: "<p>Guest words</p>"),
        ])

    @Test(arguments: StoreKind.allCases)
    func every_view_of_comments_names_the_member(kind: StoreKind) throws {
        let (store, folder) = try makeStore(kind, Self.content)
        _ = folder
        let names = try store.post("p1").comments.map(\.comment.authorName)
        #expect(names == ["Marília Maciel", "Someone Gone", "A Guest"])
        let hits = try store.search("routing").comments
        #expect(Set(hits.compactMap(\.authorName)) == ["Marília Maciel", "Someone Gone"])
        #expect(try store.member("member-00047").comments.first?.comment.authorName == "Marília Maciel")
        // What is stored stays as the source gave it: an export carries no name it did not have.
        #expect(try store.exportContent().comments.first { $0.id == "c1" }?.authorName == nil)
    }
}

/// Dates go through files and caches without drifting: a file imported twice is unchanged the
/// second time, on either cache (dates of generated posts have fractions of a millisecond).
@Suite("Dates round trip")
struct DateRoundTripTests {
    @Test(arguments: StoreKind.allCases)
    func the_same_export_imported_twice_changes_nothing(kind: StoreKind) throws {
        let folder = TemporaryDirectory()
        let source = try SQLiteStore(path: folder.file("source.sqlite"))
        try SyntheticCommunity(posts: 60, members: 10, comments: 40, seed: 5).write(into: source, chunk: 30)
        try CacheFile(try source.exportContent()).write(to: folder.file("export.json"))
        let content = try CacheFile.read(path: folder.file("export.json")).content
        let (store, storeFolder) = try makeStore(kind, CacheContent())
        _ = storeFolder
        try store.importContent(content)
        let again = try store.importContent(try CacheFile.read(path: folder.file("export.json")).content)
        #expect(again.posts.updated == 0 && again.comments.updated == 0 && again.members.updated == 0, "\(again)")
        #expect(ISODate.string(Date(timeIntervalSince1970: 1_700_000_000.4185)) == "2023-11-14T22:13:20.419Z")
        #expect(ISODate.string(Date(timeIntervalSince1970: 1_700_000_000.9996)) == "2023-11-14T22:13:21.000Z")
    }
}

/// Search shows the newest matches first, says how many there are (exactly, or "1,000+"), and
/// pages through them; both caches alike.
@Suite("Search windows")
struct SearchWindowTests {
    /// Posts written oldest first here, so that the order they were added is not the order of
    /// their dates: 1,050 mention "routing", every third also "dns".
    static let content: CacheContent = {
        let posts = (0..<1_050).map { (i: Int) -> Post in
            let day = Double((i * 7_919) % 1_050)
            let title = "Routing note \(i)" + (i % 3 == 0 ? " dns" : "")
            return Post(id: Post.ID(String(format: "p%04d", i)), title: title, published: Date(timeIntervalSince1970: 1_300_000_000 + day * 86_400))
        }
        return CacheContent(posts: posts)
    }()

    @Test(arguments: StoreKind.allCases)
    func newest_first_counted_and_paged(kind: StoreKind) throws {
        let (store, folder) = try makeStore(kind, Self.content)
        _ = folder
        let first = try store.search(SearchQuery("dns"), kinds: [.posts], limit: 20, offset: 0)
        #expect(first.totals[.posts] == 350)
        let dates = first.posts.map { $0.post.published! }
        #expect(dates == dates.sorted(by: >), "newest first")
        let newest = Self.content.posts.filter { $0.title.hasSuffix("dns") }.map(\.published!).max()
        #expect(dates.first == newest)
        let second = try store.search(SearchQuery("dns"), kinds: [.posts], limit: 20, offset: 20)
        #expect(second.posts.count == 20)
        #expect(Set(first.posts.map(\.post.id)).isDisjoint(with: second.posts.map(\.post.id)))
        #expect(second.posts.first!.post.published! <= dates.last!)
        let many = try store.search(SearchQuery("routing"), kinds: [.posts], limit: 10, offset: 0)
        #expect(many.totals[.posts] == SearchResults.countCap)
        #expect(SearchResults.countText(many.totals[.posts]!) == "1,000+")
        #expect(SearchResults.countText(350) == "350")
    }
}

/// Words with filters are newest first and counted exactly (or "1,000+") too, whichever way the
/// cache finds them: few filtered posts asked for the words, few matches of the words asked
/// for the filters, or both many.
@Suite("Search with filters")
struct FilteredSearchTests {
    /// 1,100 posts added oldest first by a different order than their dates: all say "routing",
    /// every third "dns"; Ana wrote the even ones, every fifth is tagged igf, every seventh comment
    /// mentions routing too.
    static let content: CacheContent = {
        let posts = (0..<1_100).map { (i: Int) -> Post in
            let day = Double((i * 7_919) % 1_100)
            return Post(id: Post.ID(String(format: "p%04d", i)), title: "Routing note \(i)" + (i % 3 == 0 ? " dns" : ""),
                        author: Member.ID(i % 2 == 0 ? "ana" : "bo"), published: Date(timeIntervalSince1970: 1_300_000_000 + day * 86_400),
                        tags: i % 5 == 0 ? ["IGF"] : [])
        }
        let comments = (0..<1_100).map { (i: Int) -> AgoraKit.Comment in
            let day = Double((i * 337) % 1_100)
            return AgoraKit.Comment(id: Comment.ID(String(format: "c%04d", i)), post: Post.ID("p0001"), author: Member.ID(i % 2 == 0 ? "ana" : "bo"),
                           published: Date(timeIntervalSince1970: 1_300_000_000 + day * 86_400),
                           body: i % 7 == 0 ? "routing again" : "routing")
        }
        let members = [Member(id: Member.ID("ana"), name: "Ana Lima", country: "Brazil"),
                       Member(id: Member.ID("bo"), name: "Bo Chen", country: "Kenya")]
        return CacheContent(members: members, posts: posts, comments: comments)
    }()

    static func expected(_ keep: (Int) -> Bool) -> [Post.ID] {
        content.posts.enumerated().filter { keep($0.offset) }.map(\.element).sorted { $0.sortDate > $1.sortDate }.map(\.id)
    }

    @Test(arguments: StoreKind.allCases)
    func newest_first_and_counted_whichever_way_they_are_found(kind: StoreKind) throws {
        let (store, folder) = try makeStore(kind, Self.content)
        _ = folder
        try store.setRead(true, posts: (0..<1_100).filter { $0 % 11 == 0 }.map { Self.content.posts[$0].id })
        let cases: [(String, (Int) -> Bool)] = [
            ("tag:igf routing", { $0 % 5 == 0 }),                   // 220 tagged: each asked for the words
            ("author:ana dns", { $0 % 2 == 0 && $0 % 3 == 0 }),     // 550 by Ana, 367 say dns
            ("country:brazil routing", { $0 % 2 == 0 }),            // 550 by Ana, every post says routing
            ("is:unread routing", { $0 % 11 != 0 }),                // 1,000 unread: the cap
            ("country:brazil date:2011 routing", { i in
                let date = Self.content.posts[i].sortDate
                return i % 2 == 0 && date >= ISODate.parse("2011-01-01T00:00:00Z")! && date < ISODate.parse("2012-01-01T00:00:00Z")!
            }),
        ]
        for (text, keep) in cases {
            let all = Self.expected(keep)
            for offset in [0, 20] {
                let found = try store.search(SearchQuery(text), kinds: [.posts], limit: 20, offset: offset)
                #expect(found.posts.map(\.post.id) == Array(all.dropFirst(offset).prefix(20)), "\(text) from \(offset)")
                #expect(found.totals[.posts] == min(all.count, SearchResults.countCap), "\(text)")
                #expect(found.atLeast.isEmpty, "\(text)")
            }
        }
        // Comments alike: Ana's comments that say "again" (few), and all of Ana's (many).
        for (text, keep) in [("author:ana again", { (i: Int) in i % 2 == 0 && i % 7 == 0 }), ("country:brazil routing", { (i: Int) in i % 2 == 0 })] {
            let all = Self.content.comments.enumerated().filter { keep($0.offset) }.map(\.element)
                .sorted { $0.published! > $1.published! }.map(\.id)
            let found = try store.search(SearchQuery(text), kinds: [.comments], limit: 20, offset: 20)
            #expect(found.comments.map(\.comment) == Array(all.dropFirst(20).prefix(20)), "\(text)")
            #expect(found.totals[.comments] == min(all.count, SearchResults.countCap), "\(text)")
        }
    }
}

/// A short history is counted by week as well as by month, both caches alike.
@Suite("Community statistics by week")
struct WeeklyStatsTests {
    @Test func a_year_of_posts_is_counted_by_week_in_both_caches() throws {
        let start = ISODate.parse("2012-01-02T10:00:00Z")!.timeIntervalSince1970  // a Monday
        let posts = (0..<120).map { i in
            Post(id: Post.ID(String(format: "p%03d", i)), title: "Note \(i)", published: Date(timeIntervalSince1970: start + Double(i * 3) * 86_400))
        }
        let comments = (0..<50).map { i in
            AgoraKit.Comment(id: AgoraKit.Comment.ID("c\(i)"), post: "p000", published: Date(timeIntervalSince1970: start + Double(i * 5) * 86_400), body: "x")
        }
        let folder = TemporaryDirectory()
        let sqlite = try SQLiteStore(path: folder.file("w.sqlite"))
        try sqlite.importContent(CacheContent(posts: posts, comments: comments))
        try sqlite.setRead(true, posts: ["p000", "p001"])
        let json = try JSONStore(content: try sqlite.exportContent())
        let a = try sqlite.communityStats()
        #expect(a == (try json.communityStats()))
        #expect(a.weeks.first?.week == "2012-01-02")
        #expect(a.weeks.reduce(0) { $0 + $1.posts } == 120)
        #expect(a.weeks.reduce(0) { $0 + $1.comments } == 50)
        #expect(a.weeks.reduce(0) { $0 + $1.unread } == 118)
        #expect(a.weeks.first?.posts == 3 && a.weeks.first?.unread == 1, "days 0, 3 and 6 of the first week; p000 and p001 read")
        #expect(CommunityStats.dayKey(CommunityStats.dayNumber("2012-12-17")!) == "2012-12-17")
        #expect(CommunityStats.weekStart(CommunityStats.dayNumber("2012-12-23")!) == CommunityStats.dayNumber("2012-12-17"))
        // Members who give a location and no country are counted by location, however written.
        try sqlite.importContent(CacheContent(members: [
            Member(id: "l1", name: "L1", location: "São Paulo"), Member(id: "l2", name: "L2", location: "sao paulo "),
            Member(id: "l3", name: "L3", location: "Nairobi"), Member(id: "l4", name: "L4", country: "Kenya", location: "Nairobi"),
        ]))
        let located = try sqlite.communityStats()
        #expect(located.byLocation == [CommunityStats.Count(id: nil, name: "São Paulo", count: 2), CommunityStats.Count(id: nil, name: "Nairobi", count: 1)])
        #expect(located == (try JSONStore(content: try sqlite.exportContent()).communityStats()))
        // Over three years: months only.
        let long = [Post(id: "old", title: "Old", published: ISODate.parse("2005-01-01T00:00:00Z"))]
        try sqlite.importContent(CacheContent(posts: long))
        #expect(try sqlite.communityStats().weeks.isEmpty)
        #expect(try JSONStore(content: try sqlite.exportContent()).communityStats().weeks.isEmpty)
    }
}

/// The community at a glance: the SQLite cache's queries and the in-memory reckoning agree.
@Suite("Community statistics")
struct CommunityStatsTests {
    @Test func both_caches_count_the_same_community_alike() throws {
        let folder = TemporaryDirectory()
        let sqlite = try SQLiteStore(path: folder.file("c.sqlite"))
        try SyntheticCommunity(posts: 400, members: 60, comments: 900, seed: 9).write(into: sqlite, chunk: 100)
        let some = try sqlite.posts(PostQuery(limit: 7)).map(\.id)
        try sqlite.setRead(true, posts: some)
        let json = try JSONStore(content: try sqlite.exportContent())
        let a = try sqlite.communityStats()
        let b = try json.communityStats()
        #expect(a == b)
        // The comments counted by day as they are written stay right through an update that
        // moves a comment to another month.
        var moved = try sqlite.exportContent().comments[0]
        moved.published = ISODate.parse("2011-03-15T10:00:00Z")
        try sqlite.importContent(CacheContent(comments: [moved]))
        try json.importContent(CacheContent(comments: [moved]))
        #expect(try sqlite.communityStats() == json.communityStats())
        #expect(try sqlite.communityStats().months.first { $0.month == "2011-03" }.map { $0.comments > 0 } == true)
        // A comment that changes hands leaves its first author's count.
        var handedOver = try sqlite.exportContent().comments.first { $0.author != nil }!
        let first = handedOver.author!
        let second = try sqlite.members(MemberQuery(limit: 100)).first { $0.id != first }!.id
        handedOver.author = second
        let before = try sqlite.member(first, limit: 0).commentCount
        try sqlite.importContent(CacheContent(comments: [handedOver]))
        try json.importContent(CacheContent(comments: [handedOver]))
        #expect(try sqlite.communityStats() == json.communityStats())
        #expect(try sqlite.member(first, limit: 0).commentCount == before - 1)
        #expect(a.posts == 400 && a.comments == 900 && a.members == 60 && a.unread == 393)
        #expect(a.months.reduce(0) { $0 + $1.posts } == 400)
        #expect(a.months.reduce(0) { $0 + $1.unread } == 393)
        #expect(a.months.map(\.month) == a.months.map(\.month).sorted())
        let withoutCountry = try sqlite.members(MemberQuery(limit: 100)).filter { $0.country == nil }.count
        #expect(a.byCountry.count <= 15)
        #expect(a.byCountry.reduce(0) { $0 + $1.count } + a.otherCountries == 60 - withoutCountry)
        #expect(a.topPosters.first.map { top in a.topPosters.allSatisfy { $0.count <= top.count } } == true)
        #expect(a.mostViewed.count == 10)
        // A muted member leaves the lists (and their posts with them), in both caches alike.
        let top = try #require(a.topPosters.first?.id)
        try sqlite.setMuted(true, member: Member.ID(top))
        try json.setMuted(true, member: Member.ID(top))
        let muted = try sqlite.communityStats()
        #expect(muted == (try json.communityStats()))
        #expect(!muted.topPosters.contains { $0.id == top } && !muted.topCommenters.contains { $0.id == top })
    }
}
