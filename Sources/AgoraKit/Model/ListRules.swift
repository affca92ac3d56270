import Foundation

// The rules that say which posts and members a list holds and in what order, written once. The
// JSON cache applies them to its values; the SQLite cache says the same in SQL, and a test holds
// the two to the same answers for every filter and order.

/// Which members a country names: those whose ISO code it is (in any case), and those whose
/// country, folded, is it. A filter and the roster take the whole name; search's `country:`
/// takes its start, as it is being typed.
public struct CountryRule: Hashable, Sendable {
    public enum Extent: Hashable, Sendable { case whole, start }

    /// The country's name folded (`Folding.key`), or the start of one.
    public let key: String
    /// The value upper-cased, for ISO codes.
    public let code: String
    public let extent: Extent

    /// A country as a person wrote it: "Brazil", "brazil", "BR".
    public init(_ value: String, extent: Extent = .whole) {
        self.init(key: Folding.key(value), code: value.uppercased(), extent: extent)
    }

    /// A value already folded (search folds its terms itself).
    public init(key: String, code: String, extent: Extent) {
        self.key = key
        self.code = code
        self.extent = extent
    }

    public func matches(country: String?, code memberCode: String?) -> Bool {
        if let memberCode, memberCode.uppercased() == code { return true }
        guard let country else { return false }
        let folded = Folding.key(country)
        return extent == .whole ? folded == key : folded.hasPrefix(key)
    }

    public func matches(_ member: Member) -> Bool { matches(country: member.country, code: member.countryCode) }
}

extension PostFilter {
    /// Whether a post is in the list this filter makes: by its reader state, its author (and the
    /// author's country), its kind, and its tags or category (folded).
    public func matches(_ post: Post, state: PostState, author: Member?) -> Bool {
        if unreadOnly && state.read { return false }
        if starredOnly && !state.starred { return false }
        if let wanted = self.author, post.author != wanted { return false }
        if let kind, post.kind != kind { return false }
        if let source, post.source != source { return false }
        if let category, post.category != category { return false }
        if let tag {
            let key = Folding.key(tag)
            if !(post.tags + [post.category].compactMap { $0 }).contains(where: { Folding.key($0) == key }) { return false }
        }
        if let country {
            guard let author, CountryRule(country).matches(author) else { return false }
        }
        return true
    }
}

/// What a post's place in an order depends on.
public struct PostOrderKey: Hashable, Sendable {
    /// Seconds since 1970 of `Post.sortDate`.
    public var date: Double
    public var views: Int?
    public var comments: Int
    public var read: Bool
    /// When it was added to the cache, first 0: ties go to the one added last.
    public var added: Int
    /// Seconds since 1970 of its latest reply, or of `date` when that is later.
    public var activity: Double

    public init(date: Double, views: Int?, comments: Int, read: Bool, added: Int, activity: Double? = nil) {
        self.activity = max(date, activity ?? date)
        self.date = date
        self.views = views
        self.comments = comments
        self.read = read
        self.added = added
    }
}

extension PostSort {
    /// Whether `a` comes before `b`. Every order is total: ties in its own key go to the newer
    /// post, then to the one added last.
    public func orders(_ a: PostOrderKey, before b: PostOrderKey) -> Bool {
        switch self {
        case .newest: (a.date, a.added) > (b.date, b.added)
        case .oldest: (a.date, a.added) < (b.date, b.added)
        case .views: (a.views ?? -1, a.date, a.added) > (b.views ?? -1, b.date, b.added)
        case .comments: (a.comments, a.date, a.added) > (b.comments, b.date, b.added)
        case .unread: (a.read ? 0 : 1, a.date, a.added) > (b.read ? 0 : 1, b.date, b.added)
        case .activity: (a.activity, a.added) > (b.activity, b.added)
        }
    }
}
