import Foundation

/// How many posts, and how many unread, one source holds in one of its categories (a forum's
/// category; nil where the posts have none). Muted members' posts are left out, as from every
/// count.
public struct SourceCount: Hashable, Sendable, Codable {
    /// Nil for posts that came from no source the cache names (a hand-written file).
    public var source: Source.ID?
    public var category: String?
    public var posts: Int
    public var unread: Int
    /// Replies not read yet on posts that have been read: what came in since.
    public var newReplies: Int

    public init(source: Source.ID?, category: String?, posts: Int, unread: Int, newReplies: Int = 0) {
        self.source = source
        self.category = category
        self.posts = posts
        self.unread = unread
        self.newReplies = newReplies
    }
}

/// A source with its counts, as the sources screen and `agora sources` show it: its
/// categories each with their own counts.
public struct SourceTally: Hashable, Sendable {
    /// Nil: the posts that came from no source the cache names.
    public var source: Source?
    public var posts: Int
    public var unread: Int
    public var newReplies: Int
    /// By name; only for kinds that have categories (forums).
    public var categories: [SourceCount]

    /// Every source of the cache with its counts, by name (a source with no posts
    /// shows with zeros), then a row for posts of no known source, if there are any.
    public static func tally(_ sources: [Source], counts: [SourceCount]) -> [SourceTally] {
        var bySource: [Source.ID?: [SourceCount]] = [:]
        for count in counts { bySource[count.source, default: []].append(count) }
        var out: [SourceTally] = []
        let known = Set(sources.map(\.id))
        // By folder (an OPML list's; those in none first), then by name as a person reads it:
        // case and accents aside.
        func key(_ s: Source) -> (Int, String, String, String) {
            (s.folder == nil ? 0 : 1, Folding.key(s.folder ?? ""), Folding.key(s.name), s.id.rawValue)
        }
        for source in sources.sorted(by: { key($0) < key($1) }) {
            let rows = bySource[source.id] ?? []
            let categories = source.kind.hasCategories
                ? rows.filter { $0.category != nil }.sorted { $0.category!.lowercased() < $1.category!.lowercased() } : []
            out.append(SourceTally(source: source, posts: rows.reduce(0) { $0 + $1.posts }, unread: rows.reduce(0) { $0 + $1.unread },
                                   newReplies: rows.reduce(0) { $0 + $1.newReplies }, categories: categories))
        }
        let others = counts.filter { $0.source.map { !known.contains($0) } ?? true }
        if !others.isEmpty {
            out.append(SourceTally(source: nil, posts: others.reduce(0) { $0 + $1.posts }, unread: others.reduce(0) { $0 + $1.unread },
                                   newReplies: others.reduce(0) { $0 + $1.newReplies }, categories: []))
        }
        return out
    }
}
