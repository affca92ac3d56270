import AgoraKit
import TerminalCore

/// The post list: the window of rows loaded, the counts, and which posts it shows in what order.
public struct PostListModel: Hashable, Sendable {
    public var window = ListWindow<PostSummary>()
    public var unread = 0
    /// Posts of muted members the list leaves out.
    public var hidden = 0
    /// Which posts the list shows, and in what order.
    public var filter = PostFilter.all
    /// The name of the member `filter.author` is, for the status line (their list may be empty).
    public var authorName: String?
    /// The name of the source (and category) `filter.source` is, for the list's title.
    public var sourceName: String?
    public var sort = PostSort.newest

    public init() {}

    /// A window of this list.
    func load(offset: Int, limit: Int) -> Effect { .loadPosts(offset: offset, limit: limit, filter: filter, sort: sort) }

    /// The first rows and the counts: the list from its start.
    mutating func reset(visible: Int) -> [Effect] {
        window = ListWindow()
        return [load(offset: 0, limit: max(visible, 20) + 20), .countPosts(filter)]
    }

    /// The rows around what is on screen, again, and the counts: after a change to many posts.
    func reload(visible: Int) -> [Effect] {
        [load(offset: max(0, window.top - 100), limit: visible + 200), .countPosts(filter)]
    }

    /// The rows the screen needs and does not have, if any.
    func neededLoad(visible: Int) -> Effect? {
        window.neededWindow(visible: visible).map { load(offset: $0.offset, limit: $0.limit) }
    }

    mutating func receive(offset: Int, rows: [PostSummary], counts: PostCounts?, visible: Int) {
        window.offset = offset
        window.rows = rows
        if let counts { receive(counts, visible: visible) }
        window.select(window.selected, visible: visible)
    }

    mutating func receive(_ counts: PostCounts, visible: Int) {
        window.total = counts.total
        unread = counts.unread
        hidden = counts.hidden
        window.select(window.selected, visible: visible)
    }

    /// A loaded post's replies seen: none is new any more.
    mutating func repliesSeen(_ id: Post.ID) {
        for index in window.rows.indices where window.rows[index].id == id { window.rows[index].newComments = 0 }
    }

    /// Changes a loaded post's state.
    mutating func update(_ id: Post.ID, _ change: (inout PostState) -> Void) {
        for index in window.rows.indices where window.rows[index].id == id { change(&window.rows[index].state) }
    }

    /// Whether the filter picks posts by their reader state: a change of state changes the list.
    var dependsOnState: Bool { filter.unreadOnly || filter.starredOnly }

    /// Where the next unread post is: a loaded position, or the search to ask the store.
    enum UnreadPlace: Equatable {
        case loaded(Int)
        case none
        case ask(UnreadSearch)
    }

    /// The nearest unread post after `from` among the rows loaded, else what to ask the store.
    func nextUnread(from: Int, forward: Bool) -> UnreadPlace {
        let step = forward ? 1 : -1
        var index = from + step
        while let row = window.row(index) {
            if !row.state.read { return .loaded(index) }
            index += step
        }
        if index < 0 || index >= window.total { return .none }
        return .ask(UnreadSearch(filter: filter, sort: sort, from: index, after: window.row(index - step)?.id, forward: forward))
    }

    /// The position of a loaded post.
    func position(of id: Post.ID) -> Int? {
        window.rows.firstIndex { $0.id == id }.map { window.offset + $0 }
    }

    /// The filter and order in words, when they are not the plain list: for the status line.
    var summary: String {
        var parts: [String] = []
        if filter.unreadOnly { parts.append("unread only") }
        if filter.starredOnly { parts.append("starred only") }
        if let author = filter.author { parts.append("by " + (authorName ?? author.rawValue)) }
        if let country = filter.country { parts.append("from " + country) }
        if let tag = filter.tag { parts.append("#" + tag) }
        if sort != .newest { parts.append("sort: " + sort.label) }
        return Sanitizer.line(parts.joined(separator: " · "))
    }
}
