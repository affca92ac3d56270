import AgoraKit
import AgoraTUI
import Testing
import TerminalCore

/// A small community as values, and a reader driven by `handle`/`update` with every effect
/// answered from those values: no cache, no files, no terminal.
struct Values {
    static let members = [
        MemberSummary(id: "ana", name: "Ana Lima", country: "Brazil", countryCode: "BR", role: .member, postCount: 2),
        MemberSummary(id: "li", name: "Li Ming", country: "China", countryCode: "CN", role: .member, postCount: 2),
        MemberSummary(id: "zoe", name: "Zoë Berg", country: "Iceland", countryCode: "IS", role: .member, postCount: 1),
    ]

    static var posts: [PostSummary] {
        (0..<5).map { i in
            PostSummary(id: Post.ID("p\(i)"), kind: .blogPost, title: "Post number \(i)", author: members[i % 3].id,
                        authorName: members[i % 3].name, published: nil, views: i, commentCount: i == 0 ? 1 : 0,
                        category: "Policy", tags: [], state: PostState(read: i == 2))
        }
    }

    static func detail(_ id: Post.ID) -> PostDetail {
        let summary = posts.first { $0.id == id }!
        let post = Post(id: id, title: summary.title, author: summary.author, authorName: summary.authorName, category: "Policy",
                        body: "<p>Body of \(id.rawValue), see <a href=\"https://example.org/\(id.rawValue)\">this</a>.</p>")
        let comment = Comment(id: Comment.ID("c-\(id.rawValue)"), post: id, author: "zoe", authorName: "Zoë Berg", body: "<p>A comment.</p>")
        return PostDetail(post: post, state: summary.state, commentCount: 1, author: nil,
                          comments: [CommentItem(comment: comment, state: CommentState())])
    }

    /// What a store would answer, from the values above.
    static func answer(_ effect: Effect, read: Set<Post.ID>) -> Loaded? {
        var all = posts
        for i in all.indices where read.contains(all[i].id) { all[i].state.read = true }
        func shown(_ filter: PostFilter) -> [PostSummary] {
            all.filter { (!filter.unreadOnly || !$0.state.read) && (filter.author == nil || $0.author == filter.author) }
        }
        switch effect {
        case .loadPosts(let offset, let limit, let filter, _):
            let rows = shown(filter)
            return .posts(offset: offset, rows: Array(rows.dropFirst(offset).prefix(limit)), counts: nil)
        case .countPosts(let filter):
            let rows = shown(filter)
            return .postCounts(PostCounts(total: rows.count, unread: rows.filter { !$0.state.read }.count))
        case .loadMembers(let offset, let limit, let name, _, _):
            let rows = members.filter { name == nil || $0.name.lowercased().contains(name!.lowercased()) }
            return .members(offset: offset, rows: Array(rows.dropFirst(offset).prefix(limit)), total: rows.count)
        case .openPost(let id):
            var detail = detail(id)
            detail.state.read = read.contains(id) || detail.state.read
            return .post(detail)
        case .openMember(let id):
            let member = members.first { $0.id == id }!
            return .member(MemberProfile(member: Member(id: id, name: member.name, country: member.country), postCount: 1,
                                         commentCount: 0, posts: posts.filter { $0.author == id }, comments: []))
        case .search(let query, _):
            return .searchResults(for: query, SearchResults(posts: [.init(post: posts[0], snippet: "Body of p0")]))
        default:
            return nil
        }
    }
}

/// A reader as a value, and everything it asked for.
struct Driver {
    var state: AppState
    var effects: [Effect] = []
    var read: Set<Post.ID> = []

    init(width: Int = 120, height: Int = 40, settings: ReaderSettings = ReaderSettings()) {
        state = AppState(width: width, height: height, community: Community(name: "Values"), settings: settings)
        run(state.start())
    }

    mutating func run(_ new: [Effect]) {
        var pending = new
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            effects.append(effect)
            if case .setRead(let id, let value) = effect { if value { read.insert(id) } else { read.remove(id) } }
            if let loaded = Values.answer(effect, read: read) { pending += state.update(.loaded(loaded)) }
        }
    }

    mutating func press(_ keys: Key...) {
        for key in keys { run(state.handle(.key(key))) }
    }

    mutating func type(_ text: String) {
        for c in text { press(.character(c)) }
    }

    var screen: String { Screen.render(state).buffer.text }
    var statusLine: String { Screen.render(state).buffer.lines.last ?? "" }
}

@Suite("The reader as values")
struct UpdateTests {
    @Test func the_communitys_comment_policy_is_shown_on_its_own_posts_not_a_feeds_or_a_forums() {
        var community = Community(name: "C")
        community.commentPolicy = "Members may comment."
        let state = AppState(width: 120, height: 40, community: community)
        func detail(_ kind: Source.Kind?) -> PostDetail {
            PostDetail(post: Post(id: "p", title: "P"), state: .unread, commentCount: 0, author: nil, comments: [],
                       source: kind.map { Source(id: "s", kind: $0, name: "S") })
        }
        #expect(state.commentPolicy(for: detail(.ningArchive))?.text == "Members may comment.")
        #expect(state.commentPolicy(for: detail(nil)) != nil)
        #expect(state.commentPolicy(for: detail(.feed)) == nil)
        #expect(state.commentPolicy(for: detail(.discourse)) == nil)
    }

    @Test func a_syncs_summary_is_brief_on_the_sources_screen() {
        #expect(SyncResult(outcome: .updated, added: 11, newReplies: 72).brief == "11 new, 72 new replies")
        #expect(SyncResult(outcome: .updated, updated: 2, newReplies: 1, changedReplies: 3).brief == "2 updated, 1 new reply, 3 changed")
        #expect(SyncResult(outcome: .updated).brief == "no change")
        #expect(SyncResult(outcome: .notModified).brief == "no change")
        #expect(SyncResult(outcome: .failed, reason: "HTTP 404, not found").brief == "failed: HTTP 404, not found")
    }

    @Test func counts_are_grouped_by_thousands_whatever_the_locale() {
        #expect([0, 7, 999, 1_000, 12_345, 1_234_567, -4_500].map(GlanceDocument.number) == ["0", "7", "999", "1,000", "12,345", "1,234,567", "-4,500"])
    }

    @Test func titles_have_room_at_80_columns_and_where_there_is_no_roster() {
        // 80x24, nothing open: the list has the whole width; its titles at least 40 columns.
        let medium = Layout(width: 80, height: 24)
        #expect(medium.panes == [.posts])
        #expect(PostListView.columnWidths(medium.content(of: .posts).width).title >= 40)
        // A post opened: the article beside the list, laid out for the width it has there.
        let open = Layout(width: 80, height: 24, hasDetail: true)
        #expect(open.panes == [.posts, .detail])
        #expect(medium.detailTextWidth == open.detailTextWidth)
        // 120 columns and no member at all (feeds that name no authors): no roster pane, its room the list's.
        let feeds = Layout(width: 120, height: 40, hasDetail: true, rosterUseful: false)
        #expect(feeds.panes == [.posts, .detail])
        #expect(PostListView.columnWidths(feeds.content(of: .posts).width).title >= 40)
        #expect(PostListView.columnWidths(Layout(width: 120, height: 40).content(of: .posts).width).title < 40, "with a roster, less")
    }

    @Test func sync_interval_syncs_every_so_many_minutes_of_the_readers_clock() {
        var settings = ReaderSettings()
        settings.syncInterval = 5
        var state = AppState(width: 120, height: 40, community: Community(name: "C"), settings: settings)
        #expect(!state.start().contains(.sync()), "not on start unless sync-on-start says so")
        #expect(state.update(.tick(seconds: 10)).isEmpty)
        #expect(state.update(.tick(seconds: 299.5)).isEmpty)
        #expect(state.update(.tick(seconds: 300)) == [.sync()])
        #expect(state.update(.tick(seconds: 310)).isEmpty, "counted from the last one")
        #expect(state.update(.tick(seconds: 599)).isEmpty)
        #expect(state.update(.tick(seconds: 601)) == [.sync()])
        // Off by default; sync-on-start syncs as it opens.
        var plain = AppState(width: 120, height: 40, community: Community(name: "C"))
        #expect(plain.update(.tick(seconds: 86_400)).isEmpty)
        settings = ReaderSettings()
        settings.syncOnStart = true
        var eager = AppState(width: 120, height: 40, community: Community(name: "C"), settings: settings)
        #expect(eager.start().last == .sync())
    }

    @Test func a_config_that_moves_open_back_search_and_yes_moves_them_on_every_screen() throws {
        let config = Config(text: """
            [keys]
            open = ["e"]
            back = ["z"]
            search = ["F2"]
            [keys.search]
            open = ["C-o"]
            back = ["C-g"]
            [keys.roster-filter]
            open = ["C-o"]
            back = ["C-g"]
            [keys.link]
            open = ["C-o"]
            back = ["C-g"]
            [keys.confirm]
            yes = ["v"]
            """, path: "c.toml")
        #expect(config.diagnostics.isEmpty, "\(config.diagnostics)")
        var reader = Driver(settings: config.settings)
        func noOldKeys(_ screen: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
            for old in ["Enter", "Esc", "/ search", "(y"] {
                #expect(!screen.contains(old), "\(name) names \(old)", sourceLocation: sourceLocation)
            }
        }
        // The list: the hint in the empty article pane and the status line's hints.
        #expect(reader.screen.contains("e opens the selected post."))
        #expect(reader.statusLine.contains("e open"))
        #expect(reader.statusLine.contains("F2 search"))
        noOldKeys(reader.screen, "the list")
        reader.press(.enter)
        #expect(reader.state.detail == .none, "Enter no longer opens")
        reader.press(.character("e"))
        guard case .article = reader.state.detail else { Issue.record("e did not open the post"); return }
        noOldKeys(reader.screen, "the article")
        reader.press(.escape)
        #expect(reader.state.focus == .detail, "Esc no longer goes back")
        reader.press(.character("z"))
        #expect(reader.state.focus == .posts)

        // The search screen: its help and status line name the search table's keys.
        reader.press(.character("/"))
        #expect(reader.state.mode == .normal, "/ no longer searches")
        reader.press(.function(2))
        #expect(reader.state.mode == .search)
        #expect(reader.screen.contains("↑/↓ (or C-n/C-p) choose, C-o opens, C-g goes back to where you were."))
        #expect(reader.statusLine.contains("C-o opens, C-g goes back"))
        noOldKeys(reader.screen, "the search screen")
        reader.type("post")
        #expect(reader.state.search?.text == "post")
        reader.press(.enter, .escape)
        #expect(reader.state.search?.text == "post", "Enter and Esc are not the search's keys now")
        reader.press(.control("o"))
        guard case .article(let found) = reader.state.detail else { Issue.record("C-o did not open the result"); return }
        #expect(found.id == "p0")
        reader.press(.character("z"))
        #expect(reader.state.mode == .search, "back from a result is the results again")
        reader.press(.control("g"))
        #expect(reader.state.mode == .normal)

        // The roster filter.
        reader.press(.character("m"), .character("f"))
        #expect(reader.state.mode == .rosterFilter)
        #expect(reader.statusLine.contains("C-o keeps it, C-g clears it"))
        noOldKeys(reader.screen, "the roster filter")
        reader.type("li")
        reader.press(.control("o"))
        #expect(reader.state.mode == .normal)
        #expect(reader.state.message == "Roster: names with \"li\"; X clears it.")
        reader.press(.character("X"))

        // A profile's heading.
        reader.press(.character("e"))
        #expect(reader.screen.contains("(e opens)"))
        noOldKeys(reader.screen, "a profile")
        reader.press(.character("z"), .tab)

        // The help screen lists every table with the keys in force.
        reader.press(.character("?"))
        let help = reader.screen
        #expect(help.contains("Help: keys (z closes)"))
        #expect(help.contains("e                Open the post, member, profile entry, or the chosen commenter's profile"))
        noOldKeys(help, "the help")
        // Page by page to the end: every page read.
        var end = ""
        for _ in 0..<6 {
            reader.press(.pageDown)
            end += reader.screen
        }
        #expect((help + end).contains("Typing a search (after F2):"))
        #expect(end.contains("C-o              Open the chosen result"))
        #expect(end.contains("C-g              Clear the filter"))
        #expect(end.contains("v                Mark them read; any other key cancels"))
        noOldKeys(end, "the end of the help")
        reader.press(.character("z"))
        #expect(reader.state.mode == .normal)

        // The confirmation names its yes, and only that key says yes.
        while reader.state.focus != .posts { reader.press(.tab) }
        reader.press(.character("A"))
        #expect(reader.statusLine.contains("Mark all 3 unread posts read? (v: yes, any other key: no)"))
        noOldKeys(reader.screen, "the confirmation")
        reader.press(.character("y"))
        #expect(reader.state.message == "Nothing marked.")
        reader.press(.character("A"), .character("v"))
        #expect(reader.effects.last == .markAllRead(.all))
    }

    @Test func in_a_line_letters_are_text_and_the_line_table_has_the_other_keys() {
        var reader = Driver()
        reader.press(.character("/"))
        reader.type("jkq?")
        #expect(reader.state.search?.text == "jkq?")
        #expect(!reader.state.quit)
        reader.press(.backspace, .control("u"))
        #expect(reader.state.search?.text == "")
        reader.press(.escape)
        #expect(reader.state.mode == .normal)
        reader.press(.enter, .character("o"))
        #expect(reader.state.mode == .link(""))
        reader.press(.character("x"))
        #expect(reader.state.mode == .normal, "a key that is not a digit cancels")
    }

    @Test func control_c_quits_from_any_line_or_question() {
        for keys in [[Key](), [.character("/")], [.character("m"), .character("f")], [.character("A")], [.character("?")]] {
            var reader = Driver()
            for key in keys { reader.press(key) }
            reader.press(.control("c"))
            #expect(reader.state.quit, "after \(keys.map(\.name))")
        }
    }

    @Test func counts_are_asked_when_the_filter_or_the_data_changes_not_on_every_window() {
        var reader = Driver(width: 120, height: 24)
        #expect(reader.effects.filter { if case .countPosts = $0 { true } else { false } }.count == 1, "once at the start")
        reader.effects = []
        reader.press(.character("j"), .character("G"), .character("g"))
        #expect(!reader.effects.contains { if case .countPosts = $0 { true } else { false } })
        // Marking read in the plain list changes the unread count it already shows.
        reader.press(.character("r"))
        #expect(reader.state.unread == 3)
        #expect(!reader.effects.contains { if case .countPosts = $0 { true } else { false } })
        // In a list that picks posts by state, the list itself changes: count it again.
        reader.press(.character("U"))
        #expect(reader.effects.last == .countPosts(PostFilter(unreadOnly: true)))
        #expect(reader.state.posts.total == 3)
        reader.effects = []
        reader.press(.character("r"))
        #expect(reader.effects == [.setRead("p1", true), .countPosts(PostFilter(unreadOnly: true))])
        #expect(reader.state.posts.total == 2)
    }

    @Test func next_unread_past_the_rows_loaded_asks_the_store_for_that_list() {
        var state = AppState(width: 120, height: 40, community: .unnamed)
        var filter = PostFilter.all
        filter.author = "li"
        _ = state.update(.loaded(.posts(offset: 0, rows: [Values.posts[1]], counts: PostCounts(total: 50, unread: 50))))
        _ = state.update(.command(.filterAuthor))  // no member in view: a message, nothing else
        #expect(state.message?.hasPrefix("Open a profile, a post or a member first: P ") == true)
        var read = Values.posts[1]
        read.state.read = true
        _ = state.update(.loaded(.posts(offset: 0, rows: [read], counts: nil)))
        let effects = state.update(.command(.nextUnread))
        #expect(effects == [.findUnread(UnreadSearch(from: 1, after: "p1", forward: true))])
        _ = filter
    }

    @Test func an_article_laid_out_again_for_a_new_width_is_the_one_laid_out_at_that_width() {
        let detail = Values.detail("p0")
        let first = ArticleDocument(detail, width: 60)
        for width in [12, 45, 80, 60] {
            let again = first.relaid(width: width)
            #expect(again == ArticleDocument(detail, width: width))
            #expect(again.width == width)
        }
    }

    @Test func a_refresh_loads_again_what_is_shown_and_keeps_the_selection() {
        var reader = Driver()
        reader.press(.character("j"), .character("j"))
        reader.effects = []
        reader.run(reader.state.update(.refresh))
        #expect(reader.effects.contains(.countPosts(.all)))
        #expect(reader.effects.contains { if case .loadPosts = $0 { true } else { false } })
        #expect(reader.effects.contains { if case .loadMembers = $0 { true } else { false } })
        #expect(reader.state.posts.selected == 2)
    }

    @Test func the_layout_is_made_from_the_size_and_the_settings() {
        var settings = ReaderSettings()
        settings.layout.postsWidth = 50
        settings.layout.showRoster = false
        let layout = Layout(width: 130, height: 40, settings: settings.layout)
        #expect(layout.kind == .medium)
        #expect(layout.rects[.posts]?.width == 65)
        #expect(Layout(width: 130, height: 40, settings: settings.layout, rosterInPlaceOfPosts: true).panes == [.roster, .detail])
        #expect(Layout(width: 60, height: 40, focus: .detail, hasDetail: false).panes == [.posts, .roster])
        #expect(Layout(width: 29, height: 40).kind == .tooSmall)
        var state = AppState(width: 130, height: 40, community: .unnamed, settings: settings)
        #expect(state.layout == layout)
        _ = state.update(.resize(width: 200, height: 50))
        #expect(state.layout == Layout(width: 200, height: 50, settings: settings.layout))
    }
}
