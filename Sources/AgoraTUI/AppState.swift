import AgoraKit
import Foundation
import TerminalCore

/// What the reader shows in its detail pane.
public enum Detail: Hashable, Sendable {
    case none
    case article(ArticleView.State)
    case profile(ProfileView.State)
}

/// A place to come back to with Esc.
public struct Snapshot: Hashable, Sendable {
    var focus: Pane
    var detail: Detail
    var rosterInPlaceOfPosts: Bool
    /// The search screen, when that is where the reader was.
    var search: SearchState? = nil
}

/// The search screen: what is typed, what it found, which result is selected, and where the
/// reader was when `/` opened it (Esc goes back there).
public struct SearchState: Hashable, Sendable {
    public var text = ""
    public var results = SearchResults()
    /// The text the results are for.
    public var resultsFor = ""
    public var selected = 0
    public var origin: Origin

    /// Where the reader was when `/` opened search.
    public struct Origin: Hashable, Sendable {
        var focus: Pane
        var detail: Detail
        var rosterInPlaceOfPosts: Bool
    }

    public var query: SearchQuery { SearchQuery(text) }

    /// How many of each kind a search asks for: a screenful (posts and comments take two lines).
    public static func limit(height: Int) -> Int { max(5, (height - 4) / 2) }

    /// Posts, then comments, then members: the order the screen shows them and Up/Down walk.
    public enum Item: Hashable, Sendable {
        case post(SearchResults.PostHit)
        case comment(SearchResults.CommentHit)
        case member(MemberSummary)
    }

    public var items: [Item] {
        results.posts.map(Item.post) + results.comments.map(Item.comment) + results.members.map(Item.member)
    }
}

public enum Mode: Hashable, Sendable {
    case normal
    case help(scroll: Int)
    case confirmMarkAllRead
    /// Typing a link number after `o`.
    case link(String)
    /// Typing a search after `/`.
    case search
    /// Typing a name to filter the roster after `f`.
    case rosterFilter
}

/// Side effects, as values: the run loop does them against the store and answers with a
/// `Loaded`.
public enum Effect: Hashable, Sendable {
    case loadPosts(offset: Int, limit: Int, filter: PostFilter = .all, sort: PostSort = .newest)
    case loadMembers(offset: Int, limit: Int, name: String? = nil, sort: MemberSort = .name)
    /// How many members each country has, for the roster grouped by country.
    case loadCountries
    case search(String, limit: Int)
    case openPost(Post.ID)
    case openMember(Member.ID)
    case setRead(Post.ID, Bool)
    case setStarred(Post.ID, Bool)
    /// Comments seen on opening their post: they are no longer new next time.
    case markCommentsRead([Comment.ID])
    case markAllRead(PostFilter = .all)
    case undo
    /// Find the nearest unread post after this one in the list, forwards or backwards.
    case findUnread(after: Post.ID?, forward: Bool)
    /// The same in a filtered or re-sorted list: from this position, window by window.
    case findUnreadInList(from: Int, forward: Bool, filter: PostFilter, sort: PostSort)
    case openURL(String)
}

extension Effect {
    /// A write of reader state that the screen already shows.
    public var isStateWrite: Bool {
        switch self {
        case .setRead, .setStarred, .markCommentsRead: true
        default: false
        }
    }
}

/// What came back from an effect.
public enum Loaded: Hashable, Sendable {
    case posts(offset: Int, rows: [PostSummary], counts: PostCounts)
    case members(offset: Int, rows: [MemberSummary], total: Int)
    case countries([String: Int])
    case searchResults(for: String, SearchResults)
    case post(PostDetail)
    case member(MemberProfile)
    case markedAllRead(JournalEntry)
    case undone(UndoResult)
    case unreadFound(index: Int, post: PostSummary)
    case noUnread(forward: Bool)
    case message(String)
}

/// The whole reader as a value. `handle` and `receive` are pure: state in, state and effects out.
public struct AppState: Hashable, Sendable {
    public var width: Int
    public var height: Int
    public var community: Community
    public var posts = ListWindow<PostSummary>()
    public var unread = 0
    public var members = ListWindow<MemberSummary>()
    public var detail: Detail = .none
    public var focus: Pane = .posts
    public var rosterInPlaceOfPosts = false
    public var history: [Snapshot] = []
    public var mode: Mode = .normal
    public var message: String?
    public var quit = false
    /// What the config file set: keys, layout, dates, themes.
    public var settings: ReaderSettings
    /// The keys of a sequence typed so far ("g" of "g g").
    public var pendingKeys: [Key] = []
    /// Which posts the list shows, and in what order.
    public var postFilter = PostFilter.all
    /// The name of the member `postFilter.author` is, for the status line (their list may be empty).
    public var postFilterAuthorName: String?
    public var postSort = PostSort.newest
    /// The roster's order and the name typed to filter it.
    public var memberSort = MemberSort.name
    public var memberName = ""
    /// Members per country, for the roster grouped by country.
    public var countryCounts: [String: Int] = [:]
    /// The search screen, while it is open.
    public var search: SearchState?
    /// A result being opened: its words to mark, and the comment to go to.
    private var pendingMatch: PendingMatch?
    private struct PendingMatch: Hashable, Sendable {
        var post: Post.ID
        var comment: Comment.ID?
        var query: SearchQuery
    }

    public init(width: Int, height: Int, community: Community, settings: ReaderSettings = ReaderSettings()) {
        self.width = width
        self.height = height
        self.community = community
        self.settings = settings
    }

    public var keymap: KeyMap { settings.keymap }

    public var layout: Layout { Layout(width: width, height: height, state: self) }

    /// What to load first.
    public func start() -> [Effect] {
        let layout = self.layout
        // Just what the first frame shows, and a little: the first frame should not wait.
        return [postsEffect(offset: 0, limit: max(layout.postsRows, 20) + 20),
                membersEffect(offset: 0, limit: max(layout.rosterRows, 20) + 20)]
    }

    // MARK: - Events

    public mutating func handle(_ event: Event) -> [Effect] {
        let keymap = settings.keymap
        switch event {
        case .resize(let w, let h):
            width = w
            height = h
            relayout()
            return windowEffects()
        case .mouse(let mouse):
            return handleMouse(mouse)
        case .key(let key):
            message = nil
            switch mode {
            case .help(let scroll):
                return handleHelp(key, scroll: scroll, keymap: keymap)
            case .confirmMarkAllRead:
                mode = .normal
                if key == .character("y") || key == .character("Y") { return [.markAllRead(postFilter)] }
                message = "Nothing marked."
                return []
            case .link(let digits):
                return handleLink(key, digits: digits)
            case .search:
                return handleSearchKey(key)
            case .rosterFilter:
                return handleRosterFilterKey(key)
            case .normal:
                let typed = pendingKeys + [key]
                switch keymap.match(typed, in: focus) {
                case .command(let command):
                    pendingKeys = []
                    return perform(command)
                case .prefix:
                    pendingKeys = typed
                    return []
                case .none:
                    let hadPending = !pendingKeys.isEmpty
                    pendingKeys = []
                    // A key that does not go on from a half-typed sequence counts on its own.
                    if hadPending { return handle(event) }
                    if key == .control("c") { quit = true }
                    return []
                }
            }
        }
    }

    public mutating func perform(_ command: Command) -> [Effect] {
        let layout = self.layout
        switch command {
        case .down: return move(1)
        case .up: return move(-1)
        case .pageDown: return move(max(1, layout.rows(for: focus) - 1))
        case .pageUp: return move(-max(1, layout.rows(for: focus) - 1))
        case .top: return move(Int.min / 2)
        case .bottom: return move(Int.max / 2)
        case .nextPane: cycleFocus(1); return windowEffects()
        case .previousPane: cycleFocus(-1); return windowEffects()
        case .open: return open()
        case .back: return back(orQuit: false)
        case .quit: return back(orQuit: true)
        case .quitNow: quit = true; return []
        case .toggleRead: return toggleRead()
        case .toggleStar: return toggleStar()
        case .markAllRead:
            guard settings.confirmMarkAllRead else { return [.markAllRead(postFilter)] }
            mode = .confirmMarkAllRead
            return []
        case .undo: return [.undo]
        case .nextUnread: return stepMatch(1) ?? findUnread(forward: true)
        case .previousUnread: return stepMatch(-1) ?? findUnread(forward: false)
        case .author: return goToAuthor()
        case .nextComment: return stepComment(1)
        case .previousComment: return stepComment(-1)
        case .openLink:
            guard case .article(let article) = detail, !article.document.links.isEmpty else {
                message = "No links in this post."
                return []
            }
            mode = .link("")
            return []
        case .roster:
            if layout.kind == .wide {
                focus = .roster
            } else {
                rosterInPlaceOfPosts.toggle()
                focus = rosterInPlaceOfPosts ? .roster : .posts
            }
            return windowEffects()
        case .help:
            mode = .help(scroll: 0)
            return []
        case .search: return openSearch()
        case .toggleUnreadOnly:
            var filter = postFilter
            filter.unreadOnly.toggle()
            return setPostFilter(filter)
        case .toggleStarredOnly:
            var filter = postFilter
            filter.starredOnly.toggle()
            return setPostFilter(filter)
        case .filterAuthor: return filterByAuthor()
        case .filterCountry: return filterByCountry()
        case .filterTag: return filterByTag()
        case .clearFilters:
            guard postFilter != .all || !memberName.isEmpty else {
                message = "No filter to clear."
                return []
            }
            var effects: [Effect] = []
            if !memberName.isEmpty {
                memberName = ""
                effects += reloadMembers()
            }
            if postFilter != .all { effects += setPostFilter(.all) } else { message = "All members." }
            return effects
        case .cycleSort:
            if focus == .roster {
                let all = MemberSort.allCases
                memberSort = all[(all.firstIndex(of: memberSort)! + 1) % all.count]
                message = "Roster: \(memberSort.label)"
                return reloadMembers() + (memberSort == .country ? [.loadCountries] : [])
            }
            let all = PostSort.allCases
            postSort = all[(all.firstIndex(of: postSort)! + 1) % all.count]
            message = "Posts: \(postSort.label)"
            return resetPosts()
        case .filterRoster:
            focus = .roster
            if layout.kind != .wide { rosterInPlaceOfPosts = true }
            mode = .rosterFilter
            return windowEffects()
        case .cycleTheme:
            guard settings.themeNames.count > 1 else {
                message = "Only one theme: \(settings.themeNames.first ?? "default") (agora themes lists what there is)."
                return []
            }
            settings.themeIndex = (settings.themeIndex + 1) % settings.themeNames.count
            message = "Theme: \(settings.themeNames[settings.themeIndex])"
            return []
        }
    }

    // MARK: Moving

    private mutating func move(_ delta: Int) -> [Effect] {
        let layout = self.layout
        switch focus {
        case .posts:
            posts.select(clampAdd(posts.selected, delta), visible: layout.postsRows)
        case .roster:
            members.select(clampAdd(members.selected, delta), visible: layout.rosterRows)
        case .detail:
            switch detail {
            case .article(var article):
                article.scroll(by: delta, visible: layout.detailRows)
                detail = .article(article)
            case .profile(var profile):
                profile.select(clampAdd(profile.selected, delta), visible: layout.detailRows)
                detail = .profile(profile)
            case .none:
                break
            }
        }
        return windowEffects()
    }

    private func clampAdd(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? Int.max / 2 : 0) : sum
    }

    /// Loads for lists whose visible part is not loaded yet.
    func windowEffects() -> [Effect] {
        let layout = self.layout
        var effects: [Effect] = []
        if let w = posts.neededWindow(visible: layout.postsRows) { effects.append(postsEffect(offset: w.offset, limit: w.limit)) }
        if let w = members.neededWindow(visible: layout.rosterRows) { effects.append(membersEffect(offset: w.offset, limit: w.limit)) }
        return effects
    }

    private mutating func cycleFocus(_ step: Int) {
        let panes = layout.panes
        guard !panes.isEmpty else { return }
        let index = panes.firstIndex(of: focus) ?? 0
        focus = panes[(index + step + panes.count) % panes.count]
        if layout.kind != .wide, focus == .roster { rosterInPlaceOfPosts = true }
        if layout.kind != .wide, focus == .posts { rosterInPlaceOfPosts = false }
    }

    // MARK: Opening and going back

    private mutating func remember() {
        history.append(Snapshot(focus: focus, detail: detail, rosterInPlaceOfPosts: rosterInPlaceOfPosts, search: search))
        if history.count > 200 { history.removeFirst() }
    }

    private mutating func open() -> [Effect] {
        switch focus {
        case .posts:
            guard let post = posts.selectedRow else { return [] }
            remember()
            return [.openPost(post.id)]
        case .roster:
            guard let member = members.selectedRow else { return [] }
            remember()
            return [.openMember(member.id)]
        case .detail:
            guard case .profile(let profile) = detail, let item = profile.selectedItem else { return [] }
            guard let post = item.post else {
                message = "A comment on this member's wall: it is all here."
                return []
            }
            remember()
            return [.openPost(post)]
        }
    }

    private mutating func back(orQuit: Bool) -> [Effect] {
        guard let last = history.popLast() else {
            if orQuit { quit = true }
            return []
        }
        focus = last.focus
        rosterInPlaceOfPosts = last.rosterInPlaceOfPosts
        // Back from a result: the search screen again, as it was.
        if let saved = last.search {
            search = saved
            mode = .search
        }
        // The article comes back as it was, but with the reader state it has now.
        detail = last.detail
        if case .article(var article) = detail, let row = rowFor(article.document.detail.post.id) {
            article.document.detail.state = row.state
            detail = .article(article)
        }
        relayout()
        return windowEffects()
    }

    private func rowFor(_ id: Post.ID) -> PostSummary? { posts.rows.first { $0.id == id } }

    // MARK: Reader state

    private var currentPostID: Post.ID? {
        if focus == .detail, case .article(let article) = detail { return article.document.detail.post.id }
        if focus == .posts { return posts.selectedRow?.id }
        if case .article(let article) = detail { return article.document.detail.post.id }
        return nil
    }

    private var currentState: PostState? {
        if focus == .detail, case .article(let article) = detail { return article.document.detail.state }
        return posts.selectedRow?.state
    }

    private mutating func toggleRead() -> [Effect] {
        guard let id = currentPostID, let state = currentState else { return [] }
        setRead(id, !state.read)
        message = state.read ? "Marked unread." : "Marked read."
        return [.setRead(id, !state.read)]
    }

    private mutating func toggleStar() -> [Effect] {
        guard let id = currentPostID, let state = currentState else { return [] }
        updateState(id) { $0.starred = !state.starred }
        message = state.starred ? "Unstarred." : "Starred."
        return [.setStarred(id, !state.starred)]
    }

    /// Changes a post's read state everywhere it is shown, and the unread count.
    mutating func setRead(_ id: Post.ID, _ read: Bool) {
        var was: Bool?
        updateState(id) { state in
            if was == nil { was = state.read }
            state.read = read
        }
        if let was, was != read { unread += read ? -1 : 1 }
    }

    private mutating func updateState(_ id: Post.ID, _ change: (inout PostState) -> Void) {
        for index in posts.rows.indices where posts.rows[index].id == id { change(&posts.rows[index].state) }
        if case .article(var article) = detail, article.document.detail.post.id == id {
            change(&article.document.detail.state)
            detail = .article(article)
        }
    }

    // MARK: Unread, authors, comments, links

    private mutating func findUnread(forward: Bool) -> [Effect] {
        // Start after the post that is open (or selected) and look in the loaded rows first.
        var from = posts.selected
        if case .article(let article) = detail,
           let index = posts.rows.firstIndex(where: { $0.id == article.document.detail.post.id }) {
            from = posts.offset + index
        }
        let step = forward ? 1 : -1
        var index = from + step
        while let row = posts.row(index) {
            if !row.state.read {
                posts.select(index, visible: layout.postsRows)
                remember()
                return [.openPost(row.id)]
            }
            index += step
        }
        if index < 0 || index >= posts.total {
            message = forward ? "No unread posts below." : "No unread posts above."
            return []
        }
        // Past the rows loaded: ask the store, from the last row looked at. The store's own
        // search knows the plain list; a filtered or re-sorted one is read window by window.
        if postFilter != .all || postSort != .newest {
            return [.findUnreadInList(from: index, forward: forward, filter: postFilter, sort: postSort)]
        }
        return [.findUnread(after: posts.row(index - step)?.id, forward: forward)]
    }

    private mutating func goToAuthor() -> [Effect] {
        guard case .article(let article) = detail else { return [] }
        let author: Member.ID?
        if let comment = article.currentComment {
            author = article.document.detail.comments[comment].comment.author
        } else {
            author = article.document.detail.post.author
        }
        guard let author else {
            message = article.currentComment == nil ? "This post names no author." : "This comment's author is not a member."
            return []
        }
        remember()
        return [.openMember(author)]
    }

    private mutating func stepComment(_ step: Int) -> [Effect] {
        guard case .article(var article) = detail else { return [] }
        guard !article.document.commentStarts.isEmpty else {
            message = "No comments."
            return []
        }
        article.stepComment(step, visible: layout.detailRows)
        detail = .article(article)
        return []
    }

    private mutating func handleLink(_ key: Key, digits: String) -> [Effect] {
        guard case .article(let article) = detail else { mode = .normal; return [] }
        let count = article.document.links.count
        switch key {
        case .character(let c) where c.isASCII && c.isNumber:
            let typed = digits + String(c)
            guard let number = Int(typed), number >= 1, number <= count else {
                mode = .normal
                message = "No link \(typed): this post has \(count)."
                return []
            }
            if number * 10 > count {
                mode = .normal
                return [.openURL(article.document.links[number - 1])]
            }
            mode = .link(typed)
            return []
        case .enter:
            mode = .normal
            guard let number = Int(digits), number >= 1, number <= count else { return [] }
            return [.openURL(article.document.links[number - 1])]
        case .backspace where !digits.isEmpty:
            mode = .link(String(digits.dropLast()))
            return []
        default:
            mode = .normal
            return []
        }
    }

    private mutating func handleHelp(_ key: Key, scroll: Int, keymap: KeyMap) -> [Effect] {
        let page = max(1, height - 4)
        let maxScroll = max(0, HelpView.lineCount(keymap) - page)
        switch keymap.command(for: key, in: .posts) {
        case .down: mode = .help(scroll: min(maxScroll, scroll + 1))
        case .up: mode = .help(scroll: max(0, scroll - 1))
        case .pageDown: mode = .help(scroll: min(maxScroll, scroll + page))
        case .pageUp: mode = .help(scroll: max(0, scroll - page))
        case .top: mode = .help(scroll: 0)
        case .bottom: mode = .help(scroll: maxScroll)
        case .quitNow: quit = true
        default: mode = .normal
        }
        return []
    }

    // MARK: Search

    private mutating func openSearch() -> [Effect] {
        let origin = SearchState.Origin(focus: focus, detail: detail, rosterInPlaceOfPosts: rosterInPlaceOfPosts)
        search = SearchState(origin: origin)
        mode = .search
        return []
    }

    /// Typing goes into the query (so letters are letters here); arrows and C-n/C-p move
    /// through the results, Enter opens one, Esc goes back to where `/` was pressed.
    private mutating func handleSearchKey(_ key: Key) -> [Effect] {
        guard var current = search else { mode = .normal; return [] }
        let count = current.items.count
        let page = max(1, layout.rows(for: .detail) / 2)
        switch key {
        case .escape:
            let origin = current.origin
            search = nil
            mode = .normal
            focus = origin.focus
            detail = origin.detail
            rosterInPlaceOfPosts = origin.rosterInPlaceOfPosts
            relayout()
            return windowEffects()
        case .enter:
            return openResult()
        case .down, .control("n"), .tab:
            current.selected = min(max(0, count - 1), current.selected + 1)
        case .up, .control("p"), .backTab:
            current.selected = max(0, current.selected - 1)
        case .pageDown: current.selected = min(max(0, count - 1), current.selected + page)
        case .pageUp: current.selected = max(0, current.selected - page)
        case .control("c"):
            quit = true
            return []
        default:
            if Self.edit(&current.text, with: key) { current.selected = 0 }
        }
        let changed = current.text != search?.text
        search = current
        guard changed else { return [] }
        if current.query.isEmpty {
            search?.results = SearchResults(problems: current.query.problems)
            search?.resultsFor = current.text
            return []
        }
        // Enough of each kind to fill the screen, not more: each one found costs a snippet.
        return [.search(current.text, limit: SearchState.limit(height: height))]
    }

    private mutating func openResult() -> [Effect] {
        guard let current = search, current.items.indices.contains(current.selected) else { return [] }
        let item = current.items[current.selected]
        // Back from what opens comes back to these results.
        history.append(Snapshot(focus: focus, detail: detail, rosterInPlaceOfPosts: rosterInPlaceOfPosts, search: current))
        if history.count > 200 { history.removeFirst() }
        search = nil
        mode = .normal
        focus = current.origin.focus
        rosterInPlaceOfPosts = current.origin.rosterInPlaceOfPosts
        detail = current.origin.detail
        let query = current.query
        switch item {
        case .post(let hit):
            pendingMatch = PendingMatch(post: hit.post.id, comment: nil, query: query)
            return [.openPost(hit.post.id)]
        case .comment(let hit):
            pendingMatch = PendingMatch(post: hit.post, comment: hit.comment, query: query)
            return [.openPost(hit.post)]
        case .member(let member):
            return [.openMember(member.id)]
        }
    }

    /// n and N in an article opened from search: the next (or previous) line with a match.
    /// Nil when there is nothing to step through, so the keys keep their usual meaning.
    private mutating func stepMatch(_ step: Int) -> [Effect]? {
        guard focus == .detail, case .article(var article) = detail, article.match != nil else { return nil }
        let lines = article.matchLines
        guard !lines.isEmpty else {
            message = "No match in this post."
            return []
        }
        let visible = layout.detailRows
        // The match after (or before) the top line, and round again at the end.
        let anchor = article.scroll + 2
        let next = step > 0 ? (lines.first { $0 > anchor } ?? lines[0]) : (lines.last { $0 < anchor } ?? lines[lines.count - 1])
        article.scroll = max(0, min(next - 2, max(0, article.document.lines.count - visible)))
        let number = (lines.firstIndex(of: next) ?? 0) + 1
        detail = .article(article)
        message = "Match \(number) of \(lines.count) (lines with a match)"
        return []
    }

    // MARK: Filters and sorts

    /// The post list from its start, with the filter and sort in force.
    private mutating func resetPosts() -> [Effect] {
        posts = ListWindow()
        return [postsEffect(offset: 0, limit: max(layout.postsRows, 20) + 20)]
    }

    private mutating func reloadMembers() -> [Effect] {
        members = ListWindow()
        return [membersEffect(offset: 0, limit: max(layout.rosterRows, 20) + 20)]
    }

    private mutating func setPostFilter(_ filter: PostFilter) -> [Effect] {
        postFilter = filter
        // Show the list the filter changed.
        if layout.kind != .wide || focus == .roster {
            focus = .posts
            rosterInPlaceOfPosts = false
        }
        message = filter == .all ? "All posts." : "Showing " + filter.summary + "."
        return resetPosts()
    }

    /// The member the reader is looking at: an article's author, a profile, the roster's selection.
    private var memberInView: (id: Member.ID, name: String, country: String?)? {
        switch focus {
        case .roster:
            return members.selectedRow.map { ($0.id, $0.name, $0.country) }
        default:
            switch detail {
            case .article(let article):
                let detail = article.document.detail
                if let comment = article.currentComment, let author = detail.comments[comment].comment.author {
                    return (author, detail.comments[comment].comment.authorName ?? author.rawValue, nil)
                }
                guard let author = detail.post.author else { return nil }
                return (author, detail.author?.name ?? author.rawValue, detail.author?.country)
            case .profile(let profile):
                return (profile.profile.member.id, profile.profile.member.name, profile.profile.member.country)
            case .none:
                return nil
            }
        }
    }

    private mutating func filterByAuthor() -> [Effect] {
        guard let member = memberInView else {
            message = "Open a profile, a post or a member first: P shows that member's posts."
            return []
        }
        var filter = postFilter
        filter.author = member.id
        postFilterAuthorName = member.name
        let effects = setPostFilter(filter)
        message = "Showing the posts of \(member.name)."
        return effects
    }

    private mutating func filterByCountry() -> [Effect] {
        guard let member = memberInView else {
            message = "Open a profile, a post or a member first: C shows posts from that country."
            return []
        }
        guard let country = member.country else {
            message = "\(member.name) has no country."
            return []
        }
        var filter = postFilter
        filter.country = country
        return setPostFilter(filter)
    }

    private mutating func filterByTag() -> [Effect] {
        guard case .article(let article) = detail else {
            message = "Open a post first: # shows the posts with its category or first tag."
            return []
        }
        let post = article.document.detail.post
        guard let tag = post.category ?? post.tags.first else {
            message = "This post has no category or tag."
            return []
        }
        var filter = postFilter
        filter.tag = tag
        return setPostFilter(filter)
    }

    /// Typing into a line (a search, a name): a character goes in, Backspace takes the last
    /// back, C-u clears it. False for any other key.
    static func edit(_ text: inout String, with key: Key) -> Bool {
        switch key {
        case .character(let c): text.append(c)
        case .backspace, .delete: if !text.isEmpty { text.removeLast() }
        case .control("u"): text = ""
        default: return false
        }
        return true
    }

    /// Letters go into the name; Enter keeps the filter, Esc clears it.
    private mutating func handleRosterFilterKey(_ key: Key) -> [Effect] {
        let before = memberName
        switch key {
        case .enter:
            mode = .normal
            message = memberName.isEmpty ? nil : "Roster: names with \"\(memberName)\"; X clears it."
            return []
        case .escape:
            mode = .normal
            memberName = ""
        case .down, .up, .pageDown, .pageUp:
            let rows = layout.rosterRows
            let delta = key == .down ? 1 : key == .up ? -1 : key == .pageDown ? rows - 1 : -(rows - 1)
            members.select(clampAdd(members.selected, delta), visible: rows)
            return windowEffects()
        default:
            guard Self.edit(&memberName, with: key) else { return [] }
        }
        return memberName == before ? [] : reloadMembers()
    }

    // MARK: Mouse

    private mutating func handleMouse(_ mouse: MouseEvent) -> [Effect] {
        guard mode == .normal else { return [] }
        let layout = self.layout
        guard let pane = layout.pane(at: mouse.x, y: mouse.y) else { return [] }
        switch mouse.kind {
        case .press:
            focus = pane
            let content = layout.content(of: pane)
            let row = mouse.y - content.y
            guard row >= 0 else { return windowEffects() }
            switch pane {
            case .posts: posts.select(posts.top + row - PostListView.headerRows, visible: layout.postsRows)
            case .roster: members.select(members.top + row - RosterView.headerRows, visible: layout.rosterRows)
            case .detail:
                if case .profile(var profile) = detail, let index = profile.index(atRow: row) {
                    profile.select(index, visible: layout.detailRows)
                    detail = .profile(profile)
                }
            }
            return windowEffects()
        case .wheelUp, .wheelDown:
            // The wheel scrolls what is under it; it never opens or marks anything.
            let saved = focus
            focus = pane
            let effects = move(mouse.kind == .wheelUp ? -3 : 3)
            focus = saved
            return effects
        }
    }

    // MARK: - Results

    public mutating func receive(_ loaded: Loaded) -> [Effect] {
        let layout = self.layout
        switch loaded {
        case .posts(let offset, let rows, let counts):
            posts.offset = offset
            posts.rows = rows
            posts.total = counts.total
            unread = counts.unread
            posts.select(posts.selected, visible: layout.postsRows)
            return []
        case .countries(let counts):
            countryCounts = counts
            return []
        case .searchResults(let text, let results):
            guard var current = search, current.text == text else { return [] }
            current.results = results
            current.resultsFor = text
            current.selected = min(current.selected, max(0, current.items.count - 1))
            search = current
            return []
        case .members(let offset, let rows, let total):
            members.offset = offset
            members.rows = rows
            members.total = total
            members.select(members.selected, visible: layout.rosterRows)
            return []
        case .post(let post):
            var opened = post
            let wasRead = post.state.read
            let marks = settings.markReadOnOpen
            if marks { opened.state.read = true }
            var article = ArticleView.State(document: ArticleDocument(opened, width: layout.detailTextWidth,
                                                                      dateFormat: settings.dateFormat))
            // Opened from search: its words are marked, n and N go from one to the next.
            if let pending = pendingMatch, pending.post == post.post.id {
                article.match = pending.query
                if let comment = pending.comment, let index = post.comments.firstIndex(where: { $0.id == comment }) {
                    article.currentComment = index
                    article.scroll = max(0, min(article.document.commentStarts[index], max(0, article.document.lines.count - layout.detailRows)))
                } else if let line = article.matchLines.first {
                    article.scroll = max(0, min(line - 2, max(0, article.document.lines.count - layout.detailRows)))
                }
            }
            pendingMatch = nil
            detail = .article(article)
            focus = .detail
            if layout.kind == .narrow { rosterInPlaceOfPosts = false }
            var effects: [Effect] = []
            if !wasRead, marks {
                setRead(post.post.id, true)
                effects.append(.setRead(post.post.id, true))
            }
            // The markers show what is new this time; seen once, the comments are read.
            let unseen = post.comments.filter { !$0.state.read }.map(\.id)
            if !unseen.isEmpty { effects.append(.markCommentsRead(unseen)) }
            return effects
        case .member(let profile):
            detail = .profile(ProfileView.State(profile: profile, dateFormat: settings.dateFormat))
            focus = .detail
            return []
        case .markedAllRead(let entry):
            message = entry.count == 0 ? "Nothing was unread." : "Marked \(entry.count) post\(entry.count == 1 ? "" : "s") read. u undoes it."
            return reloadPosts()
        case .undone(let result):
            message = "Undid mark-all-read: \(result.restored) post\(result.restored == 1 ? "" : "s") unread again."
            return reloadPosts()
        case .unreadFound(let index, let post):
            posts.select(index, visible: layout.postsRows)
            remember()
            return [.openPost(post.id)] + windowEffects()
        case .noUnread(let forward):
            message = forward ? "No unread posts below." : "No unread posts above."
            return []
        case .message(let text):
            message = text
            return []
        }
    }

    private func reloadPosts() -> [Effect] {
        let layout = self.layout
        let start = max(0, posts.top - 100)
        return [postsEffect(offset: start, limit: layout.postsRows + 200)]
    }

    func postsEffect(offset: Int, limit: Int) -> Effect {
        .loadPosts(offset: offset, limit: limit, filter: postFilter, sort: postSort)
    }

    func membersEffect(offset: Int, limit: Int) -> Effect {
        .loadMembers(offset: offset, limit: limit, name: memberName.isEmpty ? nil : memberName, sort: memberSort)
    }

    /// After a resize: lay the article out again for its new width, keeping the reader's place.
    private mutating func relayout() {
        // Growing from one pane to two: a roster that had the focus stays in view.
        if self.layout.kind == .medium, focus == .roster { rosterInPlaceOfPosts = true }
        let layout = self.layout
        // While the terminal is too small nothing is shown: keep every place as it was.
        guard layout.kind != .tooSmall else { return }
        posts.keepVisible(layout.postsRows)
        members.keepVisible(layout.rosterRows)
        switch detail {
        case .article(var article):
            article.relayout(width: layout.detailTextWidth, visible: layout.detailRows)
            detail = .article(article)
        case .profile(var profile):
            profile.keepVisible(layout.detailRows)
            detail = .profile(profile)
        case .none:
            break
        }
        if !layout.panes.contains(focus), let first = layout.panes.first {
            if layout.kind == .narrow, focus == .detail, detail != .none {
                // Narrow shows one pane: the focused one, so keep it.
            } else {
                focus = first
            }
        }
    }
}
