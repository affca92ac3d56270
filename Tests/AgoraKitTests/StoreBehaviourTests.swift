@testable import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// One behaviour, two caches: every test here runs against SQLite and JSON alike.
@Suite("Store behaviour, both caches")
struct StoreBehaviourTests {
    @Test(arguments: StoreKind.allCases)
    func community_and_statistics_come_back_as_imported(kind: StoreKind) throws {
        let (store, _dir) = try makeStore(kind)
        _ = _dir
        #expect(try store.community() == Fixture.community)
        #expect(try store.statistics() == Statistics(posts: 6, unread: 6, starred: 0, members: 7, comments: 5))
        #expect(try store.sources().map(\.id) == ["test"])
    }

    @Test(arguments: StoreKind.allCases)
    func reader_state_is_stamped_with_the_clock_the_cache_is_given(kind: StoreKind) throws {
        // Given a cache whose clock stands at a known time
        let directory = TemporaryDirectory()
        let path = directory.file(kind.fileName)
        let now = Date(timeIntervalSince1970: 1_700_000_000.25)
        let store: any CommunityStore = kind == .json ? try JSONStore(path: path, clock: { now }) : try SQLiteStore(path: path, clock: { now })
        try store.importContent(Fixture.content)
        // When a post is read and all are marked read
        try store.setRead(true, posts: ["p1"])
        let entry = try store.markAllRead(.all)
        // Then both are stamped with that time, and read back so from the file
        #expect(try store.post("p1").state.readAt == now)
        #expect(entry.date == now)
        #expect(try reopen(kind, directory).post("p1").state.readAt == now)
        #expect(try reopen(kind, directory).journal().first?.date == now)
    }

    @Test(arguments: StoreKind.allCases)
    func windows_follow_each_sort_order(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        func ids(_ sort: PostSort, offset: Int = 0, limit: Int = 50) throws -> [String] {
            try store.posts(PostQuery(sort: sort, offset: offset, limit: limit)).map(\.id.rawValue)
        }
        // Undated posts sort as the oldest.
        #expect(try ids(.newest) == ["p2", "p6", "p3", "p5", "p1", "p4"])
        #expect(try ids(.oldest) == ["p4", "p1", "p5", "p3", "p6", "p2"])
        // Ties on views are broken by date, newest first; no views sorts last.
        #expect(try ids(.views) == ["p3", "p1", "p2", "p6", "p5", "p4"])
        #expect(try ids(.comments).prefix(2) == ["p1", "p2"])
        #expect(try ids(.newest, offset: 2, limit: 2) == ["p3", "p5"])
        #expect(try ids(.newest, offset: 6) == [])
    }

    @Test(arguments: StoreKind.allCases)
    func list_rows_carry_counts_and_no_body(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        let p1 = try #require(try store.posts(PostQuery(sort: .oldest, offset: 1, limit: 1)).first)
        #expect(p1.id == "p1")
        #expect(p1.commentCount == 4)
        #expect(p1.views == 146)
        #expect(p1.tags == ["ITU", "wcit"])
        #expect(p1.category == "Policy")
        #expect(p1.state == .unread)
        #expect(p1.authorName == "Xu Jing", "a list row names its author as the roster does")
    }

    @Test(arguments: StoreKind.allCases)
    func filters_narrow_windows_and_counts_alike(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        func ids(_ filter: PostFilter) throws -> Set<String> {
            let window = Set(try store.posts(PostQuery(filter: filter)).map(\.id.rawValue))
            #expect(try store.counts(filter).total == window.count, "count and window disagree for \(filter)")
            return window
        }
        #expect(try ids(PostFilter(author: "xu-jing")) == ["p1"])
        // Tags and categories match without regard to case or accents.
        #expect(try ids(PostFilter(tag: "itu")) == ["p1"])
        #expect(try ids(PostFilter(tag: "policy")) == ["p1"])
        #expect(try ids(PostFilter(tag: "NEUTRALITE")) == ["p2"])
        // Country by name (folded) or ISO code.
        #expect(try ids(PostFilter(country: "china")) == ["p1", "p5"])
        #expect(try ids(PostFilter(country: "CN")) == ["p1", "p5"])
        #expect(try ids(PostFilter(country: "cote d'ivoire")) == ["p6"])
        #expect(try ids(PostFilter(kind: .discussion)) == ["p2"])
        #expect(try ids(PostFilter(author: "nobody")) == [])

        try store.setRead(true, posts: ["p1", "p2"])
        try store.setStarred(true, posts: ["p3"])
        #expect(try ids(PostFilter(unreadOnly: true)) == ["p3", "p4", "p5", "p6"])
        #expect(try ids(PostFilter(starredOnly: true)) == ["p3"])
        #expect(try ids(PostFilter(unreadOnly: true, country: "china")) == ["p5"])
        #expect(try store.counts(PostFilter(country: "china")) == PostCounts(total: 2, unread: 1))
        #expect(try store.counts(.all) == PostCounts(total: 6, unread: 4))
    }

    @Test(arguments: StoreKind.allCases)
    func the_next_unread_post_is_found_in_list_order_with_its_place(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        // Newest first: p2, p6, p3, p5, p1, p4.
        try store.setRead(true, posts: ["p6", "p3"])
        let first = try #require(try store.nextUnread(after: nil, forward: true))
        #expect(first.index == 0 && first.post.id == "p2")
        let next = try #require(try store.nextUnread(after: "p2", forward: true))
        #expect(next.index == 3 && next.post.id == "p5")
        let back = try #require(try store.nextUnread(after: "p5", forward: false))
        #expect(back.index == 0 && back.post.id == "p2")
        let last = try #require(try store.nextUnread(after: nil, forward: false))
        #expect(last.index == 5 && last.post.id == "p4")
        #expect(try store.nextUnread(after: "p4", forward: true) == nil)
        #expect(throws: AgoraError.postNotFound("zz")) { try store.nextUnread(after: "zz", forward: true) }
    }

    @Test(arguments: StoreKind.allCases)
    func an_open_post_has_its_body_author_and_threaded_comments(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        let detail = try store.post("p1")
        #expect(detail.post == Fixture.posts[0])
        #expect(detail.author?.name == "Xu Jing")
        #expect(detail.commentCount == 4)
        // Oldest first, answers right under what they answer.
        #expect(detail.comments.map(\.id.rawValue) == ["c1", "c3", "c4", "c2"])
        #expect(detail.comments.map(\.depth) == [0, 1, 2, 0])
        #expect(try store.post("p4").author == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func unknown_ids_are_errors_that_name_them(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        #expect(throws: AgoraError.postNotFound("nope")) { try store.post("nope") }
        #expect(throws: AgoraError.memberNotFound("nobody")) { try store.member("nobody") }
        #expect(throws: AgoraError.commentNotFound("c9")) { try store.setRead(true, comments: ["c9"]) }
        // One unknown id among known ones changes nothing.
        #expect(throws: AgoraError.postNotFound("nope")) { try store.setRead(true, posts: ["p1", "nope"]) }
        #expect(try store.counts(.all).unread == 6)
        #expect(throws: AgoraError.postNotFound("nope")) { try store.setStarred(true, posts: ["p2", "nope"]) }
        #expect(try store.counts(PostFilter(starredOnly: true)).total == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func the_roster_sorts_by_folded_name_and_by_country(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        let byName = try store.members(MemberQuery()).map(\.name)
        #expect(byName == ["Andrés Piazza", "Ivar Hartmann", "Marília Maciel", "Marilia Maciel", "Nnenna Nwakanma", "Xu Jing", "李明"])
        let byCountry = try store.members(MemberQuery(sort: .country)).map(\.id.rawValue)
        // Argentina, Brazil, China, Côte d'Ivoire, then members with no country.
        #expect(byCountry == ["andres", "marilia", "marilia-2", "xu-jing", "li-ming", "nnenna", "ivar"])
        #expect(try store.members(MemberQuery(country: "BRAZIL")).map(\.id.rawValue) == ["marilia", "marilia-2"])
        #expect(try store.members(MemberQuery(country: "ci")).map(\.id.rawValue) == ["nnenna"])
        #expect(try store.memberCount(country: nil) == 7)
        #expect(try store.memberCount(country: "China") == 2)
        #expect(try store.members(MemberQuery(offset: 5, limit: 1)).map(\.name) == ["Xu Jing"])
        let counts = Dictionary(uniqueKeysWithValues: try store.members(MemberQuery()).map { ($0.id.rawValue, $0.postCount) })
        #expect(counts["xu-jing"] == 1)
        #expect(counts["ivar"] == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func a_profile_has_the_members_posts_and_comments_newest_first(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        let profile = try store.member("marilia")
        #expect(profile.member == Fixture.members[0])
        #expect(profile.postCount == 1)
        #expect(profile.posts.map(\.id.rawValue) == ["p2"])
        #expect(profile.commentCount == 2)
        #expect(profile.comments.map(\.id.rawValue) == ["c4", "c1"])
        #expect(profile.comments.first?.postTitle == "WCIT is not about taking control")
        let limited = try store.member("marilia", limit: 1)
        #expect(limited.comments.count == 1)
        #expect(limited.commentCount == 2)
        #expect(try store.member("andres").member.profile == [.init(question: "Occupation", answer: "Engineer")])
    }

    @Test(arguments: StoreKind.allCases)
    func read_and_star_marks_stick_across_reopening(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        try store.setRead(true, comments: ["c1"])
        try store.setRead(true, posts: ["p2"])
        try store.setStarred(true, posts: ["p2"])
        var reopened = try reopen(kind, dir)
        #expect(try reopened.post("p2").state.read)
        #expect(try reopened.post("p2").state.readAt != nil)
        #expect(try reopened.post("p2").state.starred)
        let before = try reopened.post("p1")
        #expect(before.comments.first { $0.id == "c1" }?.state.read == true)
        #expect(before.comments.first { $0.id == "c2" }?.state.read == false)
        // Reading a post reads its replies; marking it unread again leaves them read.
        try reopened.setRead(true, posts: ["p1"])
        reopened = try reopen(kind, dir)
        let p1 = try reopened.post("p1")
        #expect(p1.state.read)
        #expect(p1.comments.allSatisfy { $0.state.read })
        try reopened.setRead(false, posts: ["p1"])
        #expect(try reopened.post("p1").comments.allSatisfy { $0.state.read })
        try reopened.setStarred(false, posts: ["p2"])
        try reopened.setRead(false, posts: ["p2"])
        #expect(try reopened.post("p1").state == .unread)
        #expect(try reopened.post("p2").state == .unread)
    }

    @Test(arguments: StoreKind.allCases)
    func mark_all_read_is_journaled_and_undo_restores_exactly_what_it_changed(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        try store.setRead(true, posts: ["p1"])  // read before: stays read after the undo
        let entry = try store.markAllRead(.all)
        #expect(entry.count == 5)
        #expect(try store.counts(.all).unread == 0)
        try store.setRead(false, posts: ["p2"])
        try store.setRead(true, posts: ["p2"])  // changed by hand since: left alone by the undo
        #expect(try store.journal().first?.token == entry.token)

        let result = try store.undo(nil)
        #expect(result.entry.token == entry.token)
        #expect(result.restored == 4)
        let unread = Set(try store.posts(PostQuery(filter: PostFilter(unreadOnly: true))).map(\.id.rawValue))
        #expect(unread == ["p3", "p4", "p5", "p6"])
        #expect(try store.journal().first?.undone == true)
        #expect(throws: AgoraError.nothingToUndo) { try store.undo(nil) }
        #expect(throws: AgoraError.self) { try store.undo(entry.token) }
    }

    @Test(arguments: StoreKind.allCases)
    func mark_all_read_with_a_filter_touches_only_what_it_shows(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        let entry = try store.markAllRead(PostFilter(country: "China"))
        #expect(entry.count == 2)
        #expect(entry.scope == "posts from China")
        #expect(Set(try store.posts(PostQuery(filter: PostFilter(unreadOnly: true))).map(\.id.rawValue)) == ["p2", "p3", "p4", "p6"])
        let nothing = try store.markAllRead(PostFilter(country: "China"))
        #expect(nothing.count == 0)
        #expect(try store.journal().count == 1, "a change of nothing is not journaled")
        let second = try store.markAllRead(.all)
        _ = try store.undo(entry.token)  // undo the older one: only its posts come back
        #expect(Set(try store.posts(PostQuery(filter: PostFilter(unreadOnly: true))).map(\.id.rawValue)) == ["p1", "p5"])
        _ = try store.undo(second.token)
        #expect(try store.counts(.all).unread == 6)
    }

    @Test(arguments: StoreKind.allCases)
    func search_folds_case_and_accents_across_posts_comments_and_members(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        let marilia = try store.search("marilia")
        #expect(Set(marilia.members.map(\.id.rawValue)) == ["marilia", "marilia-2"])
        #expect(marilia.posts.map(\.post.id.rawValue) == ["p2"])  // "Marília asks" in the body
        #expect(marilia.comments.map(\.comment.rawValue) == ["c3"])
        #expect(try store.search("MARÍLIA").members.count == 2)
        #expect(try store.search("xu").members.map(\.name) == ["Xu Jing"])
        #expect(try store.search("cote d'ivoire").members.map(\.id.rawValue) == ["nnenna"])
        #expect(try store.search("beijing").members.map(\.id.rawValue) == ["xu-jing"])
        // Every word must match; the last is a prefix.
        #expect(try store.search("civil soc").posts.map(\.post.id.rawValue) == ["p1"])
        #expect(try store.search("civil neutrality").posts.isEmpty)
        #expect(try store.search("neutrality", kinds: [.members], limit: 10).posts.isEmpty)
        #expect(try store.search("abidjan", kinds: [.comments], limit: 10).comments.map(\.postTitle) == ["WCIT is not about taking control"])
        #expect(try store.search("zero").comments.first?.snippet.contains("Zero rating") == true)
        #expect(try store.search("互联网").posts.map(\.post.id.rawValue) == ["p5"])
    }

    @Test(arguments: StoreKind.allCases)
    func what_people_type_into_search_never_breaks_it(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        for query in ["\"", "\"civil", "*", "civil*", "-", "- civil", ":", "title:civil", "NOT", "civil AND", "(", ")",
                      "OR OR", "^", "'", "", "   ", "c++", "{near}", "\u{1B}[2J"] {
            _ = try store.search(query)
        }
        // Query syntax is only text: NOT finds the word "not", a colon does not name a column.
        #expect(try store.search("NOT").posts.map(\.post.id.rawValue) == ["p1"])
        #expect(try store.search("title:civil").posts.isEmpty)
        #expect(try store.search("\"civil").posts.map(\.post.id.rawValue) == ["p1"])
    }

    @Test(arguments: StoreKind.allCases)
    func reimporting_is_idempotent_and_keeps_reader_state(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        try store.setRead(true, posts: ["p1"])
        try store.setStarred(true, posts: ["p1"])
        let again = try store.importContent(Fixture.content)
        #expect(again.posts == .init(added: 0, updated: 0, unchanged: 6))
        #expect(again.members == .init(added: 0, updated: 0, unchanged: 7))
        #expect(again.comments == .init(added: 0, updated: 0, unchanged: 5))

        var changed = Fixture.content
        changed.posts[0].title = "WCIT: a new title"
        changed.posts[0].body = "<p>Rewritten with the word kangaroo.</p>"
        changed.posts.append(Post(id: "p7", title: "New", published: day(9)))
        let summary = try store.importContent(changed)
        #expect(summary.posts == .init(added: 1, updated: 1, unchanged: 5))
        let p1 = try store.post("p1")
        #expect(p1.post.title == "WCIT: a new title")
        #expect(p1.state.read && p1.state.starred, "a changed title or body must not make a post unread")
        #expect(try store.statistics().posts == 7)
        // The search index follows the new text.
        #expect(try store.search("kangaroo").posts.map(\.post.id.rawValue) == ["p1"])
        #expect(try store.search("secretary").posts.isEmpty)
        #expect(try store.search("new title").posts.map(\.post.id.rawValue) == ["p1"])
    }

    @Test(arguments: StoreKind.allCases)
    func a_post_that_changes_author_moves_between_their_counts(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        var changed = Fixture.content
        changed.posts[0].author = "marilia"  // p1 was Xu Jing's
        try store.importContent(changed)
        let counts = Dictionary(uniqueKeysWithValues: try store.members(MemberQuery()).map { ($0.id.rawValue, $0.postCount) })
        #expect(counts["xu-jing"] == 0)
        #expect(counts["marilia"] == 2)
        #expect(try store.member("marilia").postCount == 2)
        #expect(try store.member("xu-jing").postCount == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func importing_merges_reader_state_without_unreading(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        try store.setRead(true, posts: ["p1"])
        var other = Fixture.content
        other.postStates = ["p1": .unread, "p2": PostState(read: true, readAt: day(7)), "p3": PostState(starred: true)]
        other.commentStates = ["c2": CommentState(read: true, readAt: day(8))]
        try store.importContent(other)
        #expect(try store.post("p1").state.read)
        #expect(try store.post("p2").state == PostState(read: true, readAt: day(7)))
        #expect(try store.post("p3").state.starred)
        #expect(try store.post("p1").comments.first { $0.id == "c2" }?.state.read == true)
    }

    @Test(arguments: StoreKind.allCases)
    func a_failed_import_changes_nothing(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        try store.setRead(true, posts: ["p1"])
        let before = try store.exportContent()
        var broken = Fixture.content
        broken.posts[1].title = "Changed before the failure"
        broken.comments.append(AgoraKit.Comment(id: "c9", post: "missing", body: "orphan"))
        #expect(throws: AgoraError.commentWithoutPost(comment: "c9", post: "missing")) {
            try store.importContent(broken)
        }
        #expect(try store.exportContent() == before)
        var duplicated = Fixture.content
        duplicated.posts.append(Fixture.posts[0])
        #expect(throws: AgoraError.repeatedID(kind: "post", id: "p1")) { try store.importContent(duplicated) }
        #expect(try store.exportContent() == before)
    }

    @Test(arguments: StoreKind.allCases)
    func content_is_sanitised_on_the_way_in(kind: StoreKind) throws {
        var hostile = Fixture.content
        hostile.posts[0].title = "Hello\u{1B}[2J\u{1B}]52;c;ZXZpbA==\u{07} world\u{202E}"
        hostile.members[0].name = "Marília\u{9B}31m Maciel"
        let (store, dir) = try makeStore(kind, hostile)
        _ = dir
        #expect(try store.post("p1").post.title == "Hello world")
        #expect(try store.member("marilia").member.name == "Marília Maciel")
    }

    @Test(arguments: StoreKind.allCases)
    func export_and_import_carry_a_community_between_caches(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        try store.setRead(true, posts: ["p1", "p3"])
        try store.setStarred(true, posts: ["p2"])
        try store.setRead(true, comments: ["c5"])
        let exported = try store.exportContent()
        let other: StoreKind = kind == .json ? .sqlite : .json
        let (copy, copyDir) = try makeStore(other, exported)
        _ = copyDir
        let back = try copy.exportContent()
        #expect(back.posts == exported.posts)
        #expect(back.members == exported.members)
        #expect(back.comments == exported.comments)
        #expect(back.postStates.mapValues(\.rounded) == exported.postStates.mapValues(\.rounded))
        #expect(back.commentStates.mapValues(\.rounded) == exported.commentStates.mapValues(\.rounded))
        #expect(back.community == exported.community)
        // And through the file format itself.
        let data = try CacheFile(exported).encoded()
        #expect(try CacheFile.decode(data, path: "x").content.posts == exported.posts)
    }
}

@Suite("Store behaviour at a larger size")
struct LargerStoreTests {
    /// The SQLite cache reads windows deep in a list from the other end; the JSON cache does not.
    /// Both must give the same rows.
    @Test func deep_windows_are_the_same_in_both_caches() throws {
        let dir = TemporaryDirectory()
        let sqlite = try SQLiteStore(path: dir.file("big.sqlite"))
        let json = try JSONStore(path: dir.file("big.json"))
        let community = SyntheticCommunity(posts: 2_500, members: 50, comments: 500, seed: 3)
        try community.write(into: sqlite, chunk: 2_500)
        try community.write(into: json, chunk: 2_500)
        _ = try sqlite.markAllRead(PostFilter(kind: .discussion))
        _ = try json.markAllRead(PostFilter(kind: .discussion))
        for filter in [PostFilter.all, PostFilter(unreadOnly: true)] {
            let total = try sqlite.counts(filter).total
            #expect(total == (try json.counts(filter).total))
            for sort in PostSort.allCases {
                for offset in [0, 1_001, 1_240, total - 300, total - 50, total - 10, total, total + 5] {
                    let query = PostQuery(filter: filter, sort: sort, offset: offset, limit: 50)
                    let a = try sqlite.posts(query).map(\.id)
                    let b = try json.posts(query).map(\.id)
                    #expect(a == b, "\(filter) \(sort) at \(offset)")
                    #expect(a.count == max(0, min(50, total - offset)))
                }
            }
        }
    }
}

@Suite("Search as it is typed")
struct SearchTypingTests {
    @Test(arguments: StoreKind.allCases)
    func only_the_last_word_is_a_prefix_and_only_while_typed(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind)
        _ = dir
        #expect(try store.search("civil soc").posts.map(\.post.id.rawValue) == ["p1"])
        #expect(try store.search("civ society").posts.isEmpty, "a word before the last must be whole")
        #expect(try store.search("civil").posts.map(\.post.id.rawValue) == ["p1"])
        #expect(try store.search("civ").posts.map(\.post.id.rawValue) == ["p1"])
        #expect(try store.search("civ ").posts.isEmpty, "a space ends the word")
        #expect(try store.search("marilia ").members.count == 2)
    }

    @Test func snippets_show_the_text_around_the_first_match() {
        let text = (1...60).map { "word\($0)" }.joined(separator: " ") + " Marília spoke here " + (61...90).map { "w\($0)" }.joined(separator: " ")
        let snippet = Snippet.around(SearchQuery("marilia"), in: text)
        #expect(snippet.hasPrefix("…"))
        #expect(snippet.contains("Marília spoke here"))
        #expect(snippet.hasSuffix("…"))
        #expect(snippet.count <= 165)
        #expect(Snippet.around(SearchQuery("absent"), in: "short text") == "short text")
    }
}
