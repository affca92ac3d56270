import AgoraKit

/// A place to come back to: what had the focus, what the detail pane showed, whether the roster
/// stood in for the posts, and the search screen when that is where the reader was. History
/// (Esc) and the search screen's way back (where `/` was pressed) are both places.
public struct Place: Hashable, Sendable {
    public var focus: Pane
    public var detail: Detail
    public var rosterInPlaceOfPosts: Bool
    public var search: SearchState?
    /// The at-a-glance screen, when that is where the reader was.
    public var glance: GlanceState? = nil
}

/// A place held by a screen that a place can hold in turn (the search screen, the glance):
/// boxed, as a value cannot contain itself.
struct PlaceBox: Hashable, Sendable {
    private indirect enum Box: Hashable, Sendable { case place(Place) }
    private let box: Box
    init(_ place: Place) { box = .place(place) }
    var place: Place { switch box { case .place(let place): place } }
}

/// The search screen: what is typed, what it found, which result is selected, and where the
/// reader was when it opened (Esc goes back there).
public struct SearchState: Hashable, Sendable {
    /// What is typed, and the query it is: parsed once, when the text changes.
    public var text = "" { didSet { if text != oldValue { query = SearchQuery(text) } } }
    public private(set) var query = SearchQuery("")
    public var results = SearchResults()
    /// The text the results are for.
    public var resultsFor = ""
    public var selected = 0
    /// How many of each kind the results on hand asked for: more as the choice nears their end.
    public private(set) var limit = 0
    /// Where the reader was when search opened.
    public var origin: Place { get { from.place } set { from = PlaceBox(newValue) } }
    private var from: PlaceBox

    public init(origin: Place) { from = PlaceBox(origin) }

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

    /// Typing and choosing: a character goes into the query, erase and clear-line edit it, the
    /// movement commands choose a result. Returns the search to run when the query changed.
    mutating func update(_ action: Action, page: Int, limit: Int) -> [Effect] {
        let count = items.count
        let before = text
        switch action {
        case .insert(let c): text.append(c)
        case .command(.erase): if !text.isEmpty { text.removeLast() }
        case .command(.clearLine): text = ""
        case .command(.down):
            selected = min(max(0, count - 1), selected + 1)
            return more(page: page)
        case .command(.up): selected = max(0, selected - 1)
        case .command(.pageDown):
            selected = min(max(0, count - 1), selected + page)
            return more(page: page)
        case .command(.pageUp): selected = max(0, selected - page)
        default: break
        }
        guard text != before else { return [] }
        selected = 0
        let query = self.query
        if query.isEmpty {
            results = SearchResults(problems: query.problems)
            resultsFor = text
            return []
        }
        // Enough of each kind to fill the screen, not more: each one found costs a snippet.
        self.limit = limit
        return [.search(query, limit: limit)]
    }

    /// Near the end of what is on hand, with more to come: ask for more of each kind.
    private mutating func more(page: Int) -> [Effect] {
        let loaded = [SearchKind.posts: results.posts.count, .comments: results.comments.count, .members: results.members.count]
        let moreToCome = loaded.contains { kind, count in
            ((results.totals[kind] ?? 0) > count || results.atLeast.contains(kind)) && count >= limit
        }
        guard moreToCome, selected >= items.count - 3, limit < SearchResults.countCap, resultsFor == text else { return [] }
        limit = min(SearchResults.countCap, limit + max(page, 25) * 2)
        return [.search(query, limit: limit)]
    }

    /// A search already typed (a month chosen on the at-a-glance screen): the search to run.
    mutating func begin(with text: String, limit: Int) -> [Effect] {
        self.text = text
        self.limit = limit
        return query.isEmpty ? [] : [.search(query, limit: limit)]
    }

    /// The search again, when its results were found in an index still being made (another
    /// connection wrote since: it may have indexed more); nothing when they were complete.
    func again() -> [Effect] {
        guard results.indexing != nil, !query.isEmpty, resultsFor == text else { return [] }
        return [.search(query, limit: limit)]
    }

    /// Exact counts for the results on hand, when they are for what is typed now.
    mutating func receive(_ totals: [SearchKind: Int], for query: SearchQuery) {
        guard query == self.query, resultsFor == text else { return }
        for (kind, total) in totals where results.atLeast.contains(kind) {
            results.totals[kind] = total
            results.atLeast.remove(kind)
        }
    }

    /// Results for a query: kept when they are for what is typed now.
    mutating func receive(_ found: SearchResults, for query: SearchQuery) {
        guard query == self.query else { return }
        // More of the same: the choice stays on the result it was on.
        let chosen = items.indices.contains(selected) ? items[selected] : nil
        results = found
        resultsFor = text
        if let chosen, let index = items.firstIndex(of: chosen) { selected = index }
        selected = min(selected, max(0, items.count - 1))
    }
}
