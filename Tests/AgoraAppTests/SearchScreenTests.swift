import AgoraApp
import AgoraKit
import AgoraTUI
import AgoraTestSupport
import Foundation
import Synchronization
import Testing
import TerminalCore

/// A community for searching: names in several scripts, tags, countries.
enum Findable {
    static var content: CacheContent {
        let members = [
            Member(id: "marilia", name: "Marília Maciel", country: "Brazil", countryCode: "BR"),
            Member(id: "mueller", name: "Jürgen Müller", country: "Germany", countryCode: "DE"),
            Member(id: "xu", name: "Xu Jing", country: "China", countryCode: "CN"),
            Member(id: "ana", name: "Ana Souza", country: "Brazil", countryCode: "BR"),
        ]
        let day = { (n: Double) in Date(timeIntervalSince1970: 1_600_000_000 + n * 86_400) }
        var posts = [
            Post(id: "wcit", title: "Civil society at the WCIT", author: "xu", published: day(10), tags: ["WCIT"], views: 50,
                 body: "<p>First line.</p><p>The civil society met in Dubai.</p><p>Later, civil servants spoke.</p>"),
            Post(id: "strasse", title: "Netzpolitik auf der Straße", author: "mueller", published: day(9), category: "Policy", views: 5,
                 body: "<p>Über Datenschutz.</p>"),
            Post(id: "igf", title: "The IGF in Brazil", author: "marilia", published: day(8), category: "Policy", views: 500,
                 body: "<p>Marília reports on the IGF.</p>"),
        ]
        for i in 0..<20 {
            posts.append(Post(id: Post.ID("filler\(i)"), title: "Filler \(i)", author: "ana", published: day(Double(-i)), views: i,
                              body: "<p>Nothing to see \(i).</p>"))
        }
        return CacheContent(community: Community(name: "Findable"), members: members, posts: posts, comments: [
            Comment(id: "c1", post: "igf", author: "mueller", authorName: "Jürgen Müller", published: day(11),
                    body: "<p>Danke, Marília — civil society needs this.</p>"),
        ])
    }
}

@Suite("Search in the reader")
struct SearchScreenTests {
    @Test func slash_searches_as_you_type_grouped_by_kind() throws {
        let reader = try Harness(width: 120, height: 30, content: Findable.content)
        reader.press(.character("/"))
        #expect(reader.state.mode == .search)
        reader.type("civ")
        let results = try #require(reader.state.search?.results)
        #expect(results.posts.map(\.post.id.rawValue) == ["wcit"])
        #expect(results.comments.map(\.comment.rawValue) == ["c1"])
        reader.type("il soc")
        #expect(reader.state.search?.results.posts.map(\.post.id.rawValue) == ["wcit"])
        // Letters are the query here, not commands: j did not move anything.
        reader.type(" j")
        #expect(reader.state.search?.text == "civil soc j")
        reader.press(.backspace, .backspace)
        #expect(reader.state.search?.text == "civil soc")
        let screen = reader.screen
        #expect(screen.contains("/ civil soc"))
        #expect(screen.contains("Posts (1)"))
        #expect(screen.contains("Comments (1)"))
        #expect(screen.contains("Jürgen Müller on “The IGF in Brazil”"))
    }

    @Test func accents_and_members_and_the_query_language() throws {
        let reader = try Harness(width: 120, height: 30, content: Findable.content)
        reader.press(.character("/"))
        reader.type("marilia")
        #expect(reader.state.search?.results.members.map(\.id.rawValue) == ["marilia"])
        reader.press(.control("u"))
        reader.type("strasse")
        #expect(reader.state.search?.results.posts.map(\.post.id.rawValue) == ["strasse"])
        reader.press(.control("u"))
        reader.type("country:brazil")
        #expect(reader.state.search?.results.members.map(\.id.rawValue) == ["ana", "marilia"])
        reader.press(.control("u"))
        reader.type("nope:x \"unclosed")
        #expect(reader.screen.contains("! 'nope:' is not a search term"))
        #expect(reader.screen.contains("! a quote is not closed"))
    }

    @Test func matching_words_are_marked() throws {
        let reader = try Harness(width: 120, height: 30, content: Findable.content)
        reader.press(.character("/"))
        reader.type("dubai")
        let frame = reader.frame
        let mark = Theme.standard.style(.searchMatch)
        let row = try #require(frame.lines.firstIndex { $0.contains("Dubai") })
        let column = try #require(frame.lines[row].distance(of: "Dubai"))
        #expect(frame[column, row].style == mark)
        #expect(frame[column + 4, row].style == mark)
        #expect(frame[column + 6, row].style != mark)
    }

    @Test func enter_opens_esc_comes_back_to_the_results_then_to_where_search_started() throws {
        let reader = try Harness(width: 120, height: 30, content: Findable.content)
        reader.press(.down, .down)  // the third post selected, nothing open
        let before = reader.state
        reader.press(.character("/"))
        reader.type("civil")
        reader.press(.enter)
        guard case .article(let article) = reader.state.detail else { Issue.record("no article"); return }
        #expect(article.document.detail.post.id == "wcit")
        #expect(article.match != nil)
        #expect(reader.state.mode == .normal)
        reader.press(.escape)
        #expect(reader.state.mode == .search)
        #expect(reader.state.search?.text == "civil")
        reader.press(.escape)
        #expect(reader.state.mode == .normal)
        #expect(reader.state.search == nil)
        #expect(reader.state.detail == before.detail)
        #expect(reader.state.focus == before.focus)
        #expect(reader.state.posts.selected == before.posts.selected)
    }

    @Test func a_comment_result_opens_its_post_at_the_comment() throws {
        let reader = try Harness(width: 120, height: 30, content: Findable.content)
        reader.press(.character("/"))
        reader.type("danke")
        reader.press(.enter)
        guard case .article(let article) = reader.state.detail else { Issue.record("no article"); return }
        #expect(article.document.detail.post.id == "igf")
        #expect(article.currentComment == 0)
    }

    @Test func n_and_N_step_through_the_matches_in_the_article() throws {
        let reader = try Harness(width: 60, height: 14, content: Findable.content)
        reader.press(.character("/"))
        reader.type("civil")
        reader.press(.enter)
        guard case .article(let article) = reader.state.detail else { Issue.record("no article"); return }
        let lines = article.matchLines
        #expect(lines.count >= 3)  // the title, "civil society met", "civil servants"
        reader.press(.character("n"))
        #expect(reader.state.message?.hasPrefix("Match ") == true)
        let first = scroll(reader)
        reader.press(.character("n"))
        #expect(scroll(reader) >= first)
        reader.press(.character("N"))
        #expect(scroll(reader) <= first + 1)
        // Opened the usual way, n is next unread again.
        reader.press(.escape, .escape, .character("g"), .enter)
        guard case .article(let plain) = reader.state.detail else { Issue.record("no article"); return }
        #expect(plain.match == nil)
    }

    private func scroll(_ reader: Harness) -> Int {
        if case .article(let a) = reader.state.detail { return a.scroll }
        return -1
    }

    @Test(arguments: [(120, 30), (60, 16)])
    func search_screen_snapshots(width: Int, height: Int) throws {
        let reader = try Harness(width: width, height: height, content: Findable.content)
        reader.press(.character("/"))
        try expectSnapshot(reader.frame, named: "search-empty-\(width)x\(height)")
        reader.type("civil")
        try expectSnapshot(reader.frame, named: "search-civil-\(width)x\(height)")
        #expect(reader.cursor?.y == 2)
    }
}

@Suite("Filters and sorts in the reader")
struct ReaderFilterTests {
    @Test func unread_only_and_starred_only_toggle_and_the_counts_follow() throws {
        let reader = try Harness(width: 120, height: 30, content: Findable.content)
        let total = reader.state.posts.total
        reader.press(.enter, .escape)  // reads the first post
        reader.press(.character("U"))
        #expect(reader.state.postFilter.unreadOnly)
        #expect(reader.state.posts.total == total - 1)
        #expect(reader.screen.contains("unread only"))
        #expect(reader.screen.contains("Posts \(total - 1)/\(total - 1) unread (filtered)"))
        reader.press(.character("U"))
        #expect(reader.state.posts.total == total)
        reader.press(.character("s"), .character("S"))
        #expect(reader.state.posts.total == 1)
        reader.press(.character("X"))
        #expect(reader.state.postFilter == .all)
    }

    @Test func sort_cycles_and_shows_in_the_status_line() throws {
        let reader = try Harness(width: 120, height: 30, content: Findable.content)
        reader.press(.character("O"))
        #expect(reader.state.postSort == .oldest)
        reader.press(.character("O"))
        #expect(reader.state.postSort == .views)
        #expect(reader.state.posts.rows.first?.id == "igf")
        #expect(reader.screen.contains("sort: most viewed"))
        reader.press(.character("O"), .character("O"))
        #expect(reader.state.postSort == .unread)
        reader.press(.character("O"))
        #expect(reader.state.postSort == .activity)
        #expect(reader.screen.contains("sort: latest activity"))
        reader.press(.character("O"))
        #expect(reader.state.postSort == .newest)
    }

    @Test func from_a_profile_only_that_members_posts_then_their_country() throws {
        let reader = try Harness(width: 120, height: 30, content: Findable.content)
        reader.press(.character("m"))
        #expect(reader.state.focus == .roster)
        // The roster is by name: Ana Souza, Jürgen Müller, Marília Maciel, Xu Jing.
        reader.press(.down, .down, .enter)
        guard case .profile(let profile) = reader.state.detail else { Issue.record("no profile"); return }
        #expect(profile.profile.member.id == "marilia")
        reader.press(.character("P"))
        #expect(reader.state.postFilter.author == "marilia")
        #expect(reader.state.posts.rows.map(\.id.rawValue) == ["igf"])
        #expect(reader.screen.contains("by Marília Maciel"))
        reader.press(.character("X"))
        reader.press(.character("m"), .up, .up, .character("C"))  // Ana Souza's country, from the roster
        #expect(reader.state.postFilter.country == "Brazil")
        #expect(reader.state.posts.total == 21)
        #expect(reader.screen.contains("from Brazil"))
    }

    @Test func a_member_with_no_posts_is_named_in_the_status_line() throws {
        let reader = try Harness(width: 120, height: 30)
        reader.press(.character("m"), .character("G"), .enter, .character("P"))
        #expect(reader.state.posts.total == 0)
        #expect(reader.screen.contains("0/0 unread · by Xu Jing"))
    }

    @Test func the_tag_of_the_open_post() throws {
        let reader = try Harness(width: 120, height: 30, content: Findable.content)
        reader.press(.down, .enter, .character("#"))
        #expect(reader.state.postFilter.tag == "Policy")
        #expect(Set(reader.state.posts.rows.map(\.id.rawValue)) == ["strasse", "igf"])
    }

    @Test func next_unread_stays_in_the_filtered_list() throws {
        let reader = try Harness(width: 120, height: 8, content: Findable.content)
        reader.press(.character("C"))  // nothing open: a message, no filter
        #expect(reader.state.postFilter == .all)
        reader.press(.character("O"), .character("O"))  // most viewed: igf, wcit, filler19 ...
        reader.press(.character("n"))
        guard case .article(let article) = reader.state.detail else { Issue.record("no article"); return }
        #expect(article.document.detail.post.id == "wcit")
        // Deep in the list, past the rows loaded, it still finds the next in this order.
        reader.press(.character("n"), .character("n"), .character("n"))
        guard case .article(let later) = reader.state.detail else { Issue.record("no article"); return }
        #expect(later.document.detail.post.id == "filler17")
    }

    @Test func the_roster_filters_by_name_and_groups_by_country() throws {
        let reader = try Harness(width: 200, height: 30, content: Findable.content)
        reader.press(.character("m"), .character("f"))
        #expect(reader.state.mode == .rosterFilter)
        reader.type("mü")
        #expect(reader.state.members.rows.map(\.id.rawValue) == ["mueller"])
        reader.press(.backspace, .backspace)
        reader.type("a")
        #expect(reader.state.members.rows.map(\.id.rawValue) == ["ana"])
        reader.press(.enter)
        #expect(reader.state.mode == .normal)
        #expect(reader.screen.contains("Members 1 · name: a"))
        reader.press(.character("X"))
        #expect(reader.state.members.total == 4)
        reader.press(.character("O"))
        #expect(reader.state.memberSort == .country)
        let screen = reader.screen
        #expect(screen.contains("Brazil (2)"))
        let countries = screen.components(separatedBy: "Brazil").count - screen.components(separatedBy: "IGF in Brazil").count
        #expect(countries == 1, "Brazil is written once for its group")
        reader.press(.character("O"))
        #expect(reader.state.memberSort == .posts)
        #expect(reader.state.members.rows.first?.id == "ana")
    }
}

extension String {
    /// The column where `needle` starts (display width of what comes before it).
    func distance(of needle: String) -> Int? {
        guard let range = range(of: needle) else { return nil }
        return DisplayWidth.of(String(self[..<range.lowerBound]))
    }
}

@Suite("Search scrolls on")
struct SearchScrollTests {
    @Test func the_results_go_on_past_a_screenful_newest_first_with_the_count_in_all() throws {
        let posts = (0..<300).map { i in
            Post(id: Post.ID(String(format: "p%03d", i)), title: "Routing note \(i)",
                 published: Date(timeIntervalSince1970: 1_300_000_000 + Double((i * 37) % 300) * 86_400))
        }
        let reader = try Harness(width: 100, height: 30, content: CacheContent(community: Community(name: "C"), posts: posts))
        reader.press(.character("/"))
        reader.type("routing")
        #expect(reader.screen.contains("Search: 300 found"), "\(reader.screen)")
        #expect(reader.screen.contains("Posts (300)"))
        let first = reader.state.search?.results.posts.count ?? 0
        #expect(first < 300, "a screenful first")
        for _ in 0..<120 { reader.press(.down) }
        let search = try #require(reader.state.search)
        #expect(search.selected == 120)
        #expect(search.results.posts.count > 120, "more came as the choice went down")
        let dates = search.results.posts.map { $0.post.published! }
        #expect(dates == dates.sorted(by: >), "newest first")
        guard case .post(let hit) = search.items[search.selected] else { Issue.record("not a post"); return }
        #expect(hit.post.id == search.results.posts[120].post.id)
        #expect(reader.screen.contains(hit.post.title), "the chosen result is on screen")
    }
}

/// Words with filters in a large cache: the frame shows the newest matches with "N+" at once,
/// and the exact count follows once it is drawn, as the run loop does it.
@Suite("Search counts after the frame")
struct SearchCountsAfterFrameTests {
    @Test func the_exact_count_comes_after_the_frame() throws {
        let folder = TemporaryDirectory()
        let store = try SQLiteStore(path: folder.file("c.sqlite"))
        let posts = (0..<1_100).map { (i: Int) -> Post in
            Post(id: Post.ID(String(format: "p%04d", i)), title: "Routing note \(i)", author: Member.ID(i % 2 == 0 ? "ana" : "bo"),
                 published: Date(timeIntervalSince1970: 1_300_000_000 + Double((i * 7_919) % 1_100) * 86_400))
        }
        try store.importContent(CacheContent(members: [Member(id: "ana", name: "Ana Lima", country: "Brazil"),
                                                       Member(id: "bo", name: "Bo Chen", country: "Kenya")], posts: posts))
        let newest = posts.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).sorted { $0.sortDate > $1.sortDate }.map(\.id)
        let runner = EffectRunner(store: store)
        var state = AppState(width: 100, height: 30, community: try store.community())
        runner.settle(&state, state.start())
        var afterFrame: [Effect] = []
        for key in "/country:brazil routing" { afterFrame = runner.settle(&state, state.handle(.key(.character(key))), deferWrites: true) }
        let query = try #require(state.search?.query)
        #expect(afterFrame == [.countSearch(query)])
        #expect(state.search?.results.atLeast == [.posts])
        #expect(state.search?.results.posts.map(\.post.id) == Array(newest.prefix(state.search!.results.posts.count)))
        let shown = state.search!.results.posts.count
        #expect(Screen.render(state).buffer.text.contains("Posts (\(shown)+)"))
        runner.write(afterFrame, into: &state)
        #expect(state.search?.results.totals[.posts] == 550)
        #expect(state.search?.results.atLeast.isEmpty == true)
        #expect(Screen.render(state).buffer.text.contains("Posts (550)"))
        // Counts for a query no longer typed are not taken.
        for key in "x" { runner.settle(&state, state.handle(.key(.character(key))), deferWrites: true) }
        _ = state.update(.loaded(.searchCounts(for: query, [.posts: 7])))
        #expect(state.search?.results.totals[.posts] != 7)
    }
}

@Suite("Search in the reader while an import indexes")
struct SearchWhileIndexingTests {
    /// Results found while the index was being made are found again when another connection
    /// has indexed more: what the screen shows grows with the index, nothing typed.
    @Test func results_from_an_index_being_made_are_found_again_as_it_grows() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("c.sqlite")
        do {
            // An import that left its index (more than a step of 2).
            let importer = try SQLiteStore(path: path, indexStep: 2)
            importer.leavesLargeIndex.withLock { $0 = true }
            try importer.importBatches { write in try write(Findable.content) }
            #expect(try importer.searchIndexProgress().postsIndexed == 0)
        }
        let store = try SQLiteStore(path: path, create: false)
        let loop = Reader(store: store, theme: .standard) { $0 }
        // A resize to the same size after, so that the loop goes on past the idle moment.
        var backend = TestBackend(width: 120, height: 30, events: [.key(.character("/"))] + "nothing".map { .key(.character($0)) }
                                  + [.resize(width: 120, height: 30)])
        // Once all is typed, in an idle moment, another process makes the index.
        let made = Mutex<String>("not run")
        backend.idle[8] = {
            do { made.withLock { $0 = "ran" }; _ = try SQLiteStore(path: path, create: false).indexForSearch(); made.withLock { $0 = "made" } }
            catch { made.withLock { $0 = "\(error)" } }
        }
        let end = loop.run(on: &backend, community: try store.community())
        #expect(made.withLock { $0 } == "made")
        #expect(try store.searchIndexProgress().isComplete)
        let before = backend.frames.last { $0.text.contains("indexing for search") }
        #expect(before?.text.contains("indexing for search: 0 of 23 posts, 0 of 1 comments; the rest is not found yet") == true)
        #expect(end.search?.results.indexing == nil)
        #expect(end.search?.results.totals[.posts] == 20)
        #expect(backend.lastFrame?.text.contains("indexing for search") == false)
        #expect(backend.lastFrame?.text.contains("Posts (20)") == true, "\(backend.lastFrame?.text ?? "")")
    }

    /// A reader opened on a cache whose import has committed its content but not yet indexed it
    /// lists every post, and its search says how far the index has got and finds what is in it.
    @Test func the_search_screen_says_how_far_the_index_has_got() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("c.sqlite")
        let importer = try SQLiteStore(path: path)
        let seen = Mutex<[(screen: String, found: Int, listed: Int)]>([])
        importer.indexObserver.withLock {
            $0 = { (_: SearchIndexProgress) in
                guard let store = try? SQLiteStore(path: path, create: false),
                      let reader = try? Harness(width: 120, height: 30, store: store) else { return }
                let listed = (try? store.statistics().posts) ?? -1
                reader.press(.character("/"))
                reader.type("nothing")
                seen.withLock { $0.append((reader.screen, reader.state.search?.results.totals[.posts] ?? -1, listed)) }
            }
        }
        try importer.importBatches { write in
            try write(Findable.content)
        }
        let steps = seen.withLock { $0 }
        // Before the first step, after the posts' step and after the comments'.
        #expect(steps.map(\.listed) == [23, 23, 23])
        #expect(steps.map(\.found) == [0, 20, 20])
        #expect(steps.first?.screen.contains("indexing for search: 0 of 23 posts, 0 of 1 comments; the rest is not found yet") == true)
        #expect(steps.dropFirst().first?.screen.contains("indexing for search: 23 of 23 posts, 0 of 1 comments") == true)
        #expect(steps.last?.screen.contains("indexing for search") == false, "complete: nothing said")
    }
}
