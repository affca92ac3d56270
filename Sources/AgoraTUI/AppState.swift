import AgoraKit
import TerminalCore

/// What the reader shows in its detail pane.
public enum Detail: Hashable, Sendable {
    case none
    case article(ArticleModel)
    case profile(ProfileModel)
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
    /// The community at a glance, after `i`.
    case glance
    /// Every source with its counts, after `F`.
    case sources
}

/// The whole reader as a value. `update` is pure: an action in, the state changed and the
/// effects to run out. Each part of the screen keeps its own model (the post list, the roster,
/// the detail pane, the search screen); this hands each action to the model it is for, keeps
/// the focus and the way back, and lays the panes out when the size or the panes change.
public struct AppState: Hashable, Sendable {
    public var width: Int { didSet { if width != oldValue { relayout() } } }
    public var height: Int { didSet { if height != oldValue { relayout() } } }
    public var community: Community
    public var postList = PostListModel()
    public var roster = RosterModel()
    /// Only whether there is one changes the layout (a narrow screen shows it in place of the list).
    public var detail: Detail = .none { didSet { if (oldValue == .none) != (detail == .none) { relayout() } } }
    public var focus: Pane = .posts { didSet { if focus != oldValue { relayout() } } }
    public var rosterInPlaceOfPosts = false { didSet { if rosterInPlaceOfPosts != oldValue { relayout() } } }
    public var history: [Place] = []
    public var mode: Mode = .normal
    public var message: String?
    /// What was wrong in the config or a theme, `file:line: what`, each: the help (`?`) lists
    /// them above the keys.
    public var problems: [String] = []
    /// The threads folded in each post, for as long as the reader runs.
    var foldedThreads: [Post.ID: Set<Comment.ID>] = [:]
    public var quit = false
    /// What the config file set: keys, layout, dates, themes.
    public var settings: ReaderSettings { didSet { relayout() } }
    /// Keys into actions, with the keys of a sequence typed so far.
    public var input = InputRouter()
    /// The search screen, while it is open.
    public var search: SearchState?
    /// The at-a-glance screen, while it is open.
    public var glance: GlanceState?
    /// The screen help was opened from (the at-a-glance or the sources screen), which it goes
    /// back to; the reader's panes otherwise.
    var helpReturnsTo: Mode = .normal
    /// When the reader last started a sync by itself (`sync-interval`), in seconds since it opened.
    var lastTimedSync = 0.0
    /// Whether the roster earns a pane of its own in the wide layout: it has members.
    public var rosterUseful = true { didSet { if rosterUseful != oldValue { relayout() } } }
    /// The sources screen, while it is open (kept while its question is asked).
    public var sourcesScreen: SourcesState?
    /// The cache's sources, as last read: the header counts them, the post list names the one
    /// it shows.
    public var sources: [Source] = []
    /// Where the panes are: made when the size, the settings or the panes shown change.
    public private(set) var layout: Layout
    /// A result being opened: its words to mark, and the comment to go to.
    var pendingMatch: PendingMatch?
    struct PendingMatch: Hashable, Sendable {
        var post: Post.ID
        var comment: Comment.ID?
        var query: SearchQuery
    }

    public init(width: Int, height: Int, community: Community, settings: ReaderSettings = ReaderSettings()) {
        self.width = width
        self.height = height
        self.community = community
        self.settings = settings
        layout = Layout(width: width, height: height, settings: settings.layout, focus: .posts,
                        rosterInPlaceOfPosts: false, hasDetail: false)
    }

    public var keymap: KeyMap { settings.keymap }

    // The parts the screens and tests read most.
    public var posts: ListWindow<PostSummary> { postList.window }
    public var unread: Int { postList.unread }
    public var members: ListWindow<MemberSummary> { roster.window }
    public var postFilter: PostFilter { postList.filter }
    public var postSort: PostSort { postList.sort }
    public var memberSort: MemberSort { roster.sort }
    public var memberName: String { roster.name }
    public var pendingKeys: [Key] { input.pending }

    /// What to load first.
    public mutating func start() -> [Effect] {
        // Just what the first frame shows, and a little: the first frame should not wait.
        postList.reset(visible: layout.postsRows) + roster.reset(visible: layout.rosterRows) + [.loadSources]
            + (settings.syncOnStart ? [.sync()] : [])
    }

    /// Where keys go now.
    public var context: KeyContext {
        switch mode {
        case .normal: .reader(focus)
        case .help: .help
        case .confirmMarkAllRead: .confirm
        case .link: .link
        case .search: .search
        case .rosterFilter: .rosterFilter
        case .glance: .glance
        case .sources: sourcesScreen?.confirming == true ? .confirm : .sources
        }
    }

    private mutating func relayout() {
        layout = Layout(width: width, height: height, settings: settings.layout, focus: focus,
                        rosterInPlaceOfPosts: rosterInPlaceOfPosts, hasDetail: detail != .none, rosterUseful: rosterUseful)
    }

    // MARK: - Events and actions

    /// An event from the terminal, through the key table in force.
    public mutating func handle(_ event: Event) -> [Effect] {
        if case .key = event { message = nil }
        var effects: [Effect] = []
        for action in input.route(event, in: context, keymap: settings.keymap) { effects += update(action) }
        return effects
    }

    /// What came back from an effect.
    public mutating func receive(_ loaded: Loaded) -> [Effect] { update(.loaded(loaded)) }

    public mutating func update(_ action: Action) -> [Effect] {
        switch action {
        case .resize(let w, let h):
            width = w
            height = h
            fitToSize()
            return windowEffects()
        case .mouse(let mouse):
            return handleMouse(mouse)
        case .loaded(let loaded):
            return apply(loaded)
        case .tick(let seconds):
            // `sync-interval` minutes since the reader opened, or since the last it started.
            guard settings.syncInterval > 0, seconds - lastTimedSync >= Double(settings.syncInterval * 60) else { return [] }
            lastTimedSync = seconds
            return [.sync()]
        case .command(.quitNow):
            // Wherever the reader is (C-c comes here from every line and question too).
            quit = true
            return []
        case .refresh:
            // The rows on screen and their counts again, the selection kept where it is.
            var effects = postList.reload(visible: layout.postsRows)
            if roster.window.total > 0 {
                effects.append(roster.load(offset: roster.window.offset, limit: max(roster.window.rows.count, layout.rosterRows + 60)))
            }
            // The open post too: a sync may have brought it replies.
            if case .article(let article) = detail { effects.append(.reloadPost(article.id)) }
            // The sources' counts and how their syncs went.
            effects.append(.loadSources)
            // Search results from an index being made: what it holds now.
            if let search { effects += search.again() }
            return effects
        case .command, .insert, .unbound:
            switch mode {
            case .normal:
                guard case .command(let command) = action else { return [] }
                return perform(command)
            case .help(let scroll): return updateHelp(action, scroll: scroll)
            case .confirmMarkAllRead: return updateConfirm(action)
            case .link(let digits): return updateLink(action, digits: digits)
            case .search: return updateSearch(action)
            case .rosterFilter: return updateRosterFilter(action)
            case .glance: return updateGlance(action)
            case .sources: return updateSources(action)
            }
        }
    }

    // MARK: Windows and focus

    /// Loads for lists whose visible part is not loaded yet.
    func windowEffects() -> [Effect] {
        [postList.neededLoad(visible: layout.postsRows), roster.neededLoad(visible: layout.rosterRows)].compactMap { $0 }
    }

    mutating func cycleFocus(_ step: Int) {
        let panes = layout.panes
        guard !panes.isEmpty else { return }
        let index = panes.firstIndex(of: focus) ?? 0
        let next = panes[(index + step + panes.count) % panes.count]
        if layout.kind != .wide, next == .roster { rosterInPlaceOfPosts = true }
        if layout.kind != .wide, next == .posts { rosterInPlaceOfPosts = false }
        focus = next
    }

    /// After a resize or coming back to a place: every list and the article fitted to the panes,
    /// the reader kept at the same place.
    mutating func fitToSize() {
        // Growing from one pane to two: a roster that had the focus stays in view.
        if layout.kind == .medium, focus == .roster { rosterInPlaceOfPosts = true }
        // While the terminal is too small nothing is shown: keep every place as it was.
        guard layout.kind != .tooSmall else { return }
        postList.window.keepVisible(layout.postsRows)
        roster.window.keepVisible(layout.rosterRows)
        switch detail {
        case .article(var article):
            article.relayout(width: layout.detailTextWidth, visible: layout.detailRows)
            detail = .article(article)
        case .profile(var profile):
            profile.relayout(width: layout.detailTextWidth, visible: layout.detailRows)
            detail = .profile(profile)
        case .none:
            break
        }
        if !layout.panes.contains(focus), let first = layout.panes.first {
            // Narrow shows one pane: the focused one, so an open detail keeps it.
            if !(layout.kind == .narrow && focus == .detail && detail != .none) { focus = first }
        }
    }

    // MARK: Places

    var place: Place {
        Place(focus: focus, detail: detail, rosterInPlaceOfPosts: rosterInPlaceOfPosts, search: search, glance: mode == .glance ? glance : nil)
    }

    /// Keeps where the reader is, to come back to with Esc.
    /// Whether the article open is this post (its own address then goes to the browser).
    public func isShowing(_ id: Post.ID) -> Bool {
        if case .article(let article) = detail { return article.id == id }
        return false
    }

    mutating func remember(_ place: Place? = nil) {
        history.append(place ?? self.place)
        if history.count > 200 { history.removeFirst() }
    }

    /// Goes to a place: its panes and, when it was the search screen, that screen as it was.
    mutating func go(to place: Place) {
        focus = place.focus
        rosterInPlaceOfPosts = place.rosterInPlaceOfPosts
        detail = place.detail
        search = place.search
        glance = place.glance
        mode = place.search != nil ? .search : place.glance != nil ? .glance : .normal
        fitToSize()
    }

    mutating func back(orQuit: Bool) -> [Effect] {
        guard var last = history.popLast() else {
            if orQuit { quit = true }
            return []
        }
        // The article comes back as it was, but with the reader state it has now.
        if case .article(var article) = last.detail, let row = posts.rows.first(where: { $0.id == article.id }) {
            article.document.detail.state = row.state
            last.detail = .article(article)
        }
        go(to: last)
        return windowEffects()
    }

    // MARK: The line modes

    private mutating func updateHelp(_ action: Action, scroll: Int) -> [Effect] {
        let page = max(1, height - 4)
        let maxScroll = max(0, HelpView.lineCount(keymap, problems: problems) - page)
        let leave: Mode = switch helpReturnsTo {
        case .glance where glance != nil: .glance
        case .sources where sourcesScreen != nil: .sources
        default: .normal
        }
        guard case .command(let command) = action else {
            mode = leave
            return []
        }
        switch command {
        case .down: mode = .help(scroll: min(maxScroll, scroll + 1))
        case .up: mode = .help(scroll: max(0, scroll - 1))
        case .pageDown: mode = .help(scroll: min(maxScroll, scroll + page))
        case .pageUp: mode = .help(scroll: max(0, scroll - page))
        case .top: mode = .help(scroll: 0)
        case .bottom: mode = .help(scroll: maxScroll)
        default: mode = leave
        }
        return []
    }

    private mutating func updateConfirm(_ action: Action) -> [Effect] {
        mode = .normal
        switch action {
        case .command(.yes): return [.markAllRead(postFilter)]
        default: message = "Nothing marked."
        }
        return []
    }

    private mutating func updateRosterFilter(_ action: Action) -> [Effect] {
        switch action {
        case .command(.open):
            mode = .normal
            message = memberName.isEmpty ? nil : "Roster: names with \"\(memberName)\"; \(keymap.label(.clearFilters)) clears it."
            return []
        case .command(.back):
            mode = .normal
            guard !roster.name.isEmpty else { return [] }
            roster.name = ""
            return roster.reset(visible: layout.rosterRows)
        default:
            return roster.edit(action, visible: layout.rosterRows)
        }
    }

    private mutating func updateSearch(_ action: Action) -> [Effect] {
        guard var current = search else { mode = .normal; return [] }
        switch action {
        case .command(.back):
            go(to: current.origin)
            return windowEffects()
        case .command(.open):
            return openResult()
        default:
            let effects = current.update(action, page: max(1, layout.detailRows / 2), limit: SearchState.limit(height: height))
            search = current
            return effects
        }
    }
}
