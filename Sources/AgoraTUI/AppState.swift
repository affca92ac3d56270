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
}

public enum Mode: Hashable, Sendable {
    case normal
    case help(scroll: Int)
    case confirmMarkAllRead
    /// Typing a link number after `o`.
    case link(String)
}

/// Side effects, as values: the run loop does them against the store and answers with a
/// `Loaded`.
public enum Effect: Hashable, Sendable {
    case loadPosts(offset: Int, limit: Int)
    case loadMembers(offset: Int, limit: Int)
    case openPost(Post.ID)
    case openMember(Member.ID)
    case setRead(Post.ID, Bool)
    case setStarred(Post.ID, Bool)
    /// Comments seen on opening their post: they are no longer new next time.
    case markCommentsRead([Comment.ID])
    case markAllRead
    case undo
    /// Find the nearest unread post after this one in the list, forwards or backwards.
    case findUnread(after: Post.ID?, forward: Bool)
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
        return [.loadPosts(offset: 0, limit: max(layout.postsRows, 20) + 20),
                .loadMembers(offset: 0, limit: max(layout.rosterRows, 20) + 20)]
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
                if key == .character("y") || key == .character("Y") { return [.markAllRead] }
                message = "Nothing marked."
                return []
            case .link(let digits):
                return handleLink(key, digits: digits)
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
            guard settings.confirmMarkAllRead else { return [.markAllRead] }
            mode = .confirmMarkAllRead
            return []
        case .undo: return [.undo]
        case .nextUnread: return findUnread(forward: true)
        case .previousUnread: return findUnread(forward: false)
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
        if let w = posts.neededWindow(visible: layout.postsRows) { effects.append(.loadPosts(offset: w.offset, limit: w.limit)) }
        if let w = members.neededWindow(visible: layout.rosterRows) { effects.append(.loadMembers(offset: w.offset, limit: w.limit)) }
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
        history.append(Snapshot(focus: focus, detail: detail, rosterInPlaceOfPosts: rosterInPlaceOfPosts))
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
        // Past the rows loaded: ask the store, from the last row looked at.
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
            detail = .article(ArticleView.State(document: ArticleDocument(opened, width: layout.detailTextWidth,
                                                                          dateFormat: settings.dateFormat)))
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
        return [.loadPosts(offset: start, limit: layout.postsRows + 200)]
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
