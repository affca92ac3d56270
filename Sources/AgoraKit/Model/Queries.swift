import Foundation

/// Which posts a list shows.
public struct PostFilter: Hashable, Sendable {
    public var unreadOnly: Bool
    public var starredOnly: Bool
    public var author: Member.ID?
    /// A tag or the category, matched without regard to case or accents.
    public var tag: String?
    /// The author's country, by name or ISO code, matched without regard to case or accents.
    public var country: String?
    public var kind: Post.Kind?
    /// The source the posts came from (a feed, a forum, an archive).
    public var source: Source.ID?
    /// A forum's category, with `source`: the category's name exactly as the source gives it.
    public var category: String?

    public init(
        unreadOnly: Bool = false, starredOnly: Bool = false, author: Member.ID? = nil,
        tag: String? = nil, country: String? = nil, kind: Post.Kind? = nil,
        source: Source.ID? = nil, category: String? = nil
    ) {
        self.unreadOnly = unreadOnly
        self.starredOnly = starredOnly
        self.author = author
        self.tag = tag
        self.country = country
        self.kind = kind
        self.source = source
        self.category = category
    }

    public static let all = PostFilter()

    /// The filter in words, for messages and the journal.
    public var summary: String { summary() }

    /// "all posts", "unread posts by Xu Jing", "blog posts from Brazil": the author by name when
    /// the caller knows it, else by id.
    /// A source by its name when the caller knows it ("unread posts in Internet Governance
    /// Forum › Policy"), else by id.
    public func summary(authorName: String? = nil, sourceName: String? = nil) -> String {
        let words = phrase(authorName: authorName, sourceName: sourceName)
        return words == "posts" ? "all posts" : words
    }

    /// What "No ..." says when the filter leaves nothing: "No posts.", "No posts from Brazil.".
    public func nothing(authorName: String? = nil, sourceName: String? = nil) -> String {
        "No " + phrase(authorName: authorName, sourceName: sourceName) + "."
    }

    private func phrase(authorName: String?, sourceName: String?) -> String {
        var words: [String] = []
        if unreadOnly { words.append("unread") }
        if starredOnly { words.append("starred") }
        if let kind { words.append(kind.label + "s") } else { words.append("posts") }
        if let author { words.append("by \(authorName ?? author.rawValue)") }
        if let tag { words.append("tagged \(tag)") }
        if let country { words.append("from \(country)") }
        if let source {
            let name = sourceName ?? source.rawValue
            words.append("in " + (category.map { "\(name) › \($0)" } ?? name))
        } else if let category {
            words.append("in the category \(category)")
        }
        return words.joined(separator: " ")
    }
}

public enum PostSort: String, Hashable, Sendable, CaseIterable, Codable {
    /// `unread`: unread posts first, each part newest first. `activity`: by the latest reply
    /// (or the post's date when it has none), as forums list topics.
    case newest, oldest, views, comments, unread, activity

    /// "most viewed", for the status line.
    public var label: String {
        switch self {
        case .newest: "newest"
        case .oldest: "oldest"
        case .views: "most viewed"
        case .comments: "most commented"
        case .unread: "unread first"
        case .activity: "latest activity"
        }
    }
}

/// A window of posts: the rows on screen and a margin, never all of them.
public struct PostQuery: Hashable, Sendable {
    public var filter: PostFilter
    public var sort: PostSort
    public var offset: Int
    public var limit: Int

    public init(filter: PostFilter = .all, sort: PostSort = .newest, offset: Int = 0, limit: Int = 50) {
        self.filter = filter
        self.sort = sort
        self.offset = max(0, offset)
        self.limit = max(0, limit)
    }
}

public enum MemberSort: String, Hashable, Sendable, CaseIterable, Codable {
    /// `posts`: most posts first.
    case name, country, posts

    public var label: String {
        switch self {
        case .name: "by name"
        case .country: "by country"
        case .posts: "most posts"
        }
    }
}

/// A window of the roster.
public struct MemberQuery: Hashable, Sendable {
    /// A country by name or ISO code, matched without regard to case or accents.
    public var country: String?
    /// Typed to filter by name: each word begins a word of the member's name (folded).
    public var name: String?
    public var sort: MemberSort
    public var offset: Int
    public var limit: Int

    public init(country: String? = nil, name: String? = nil, sort: MemberSort = .name, offset: Int = 0, limit: Int = 100) {
        self.country = country
        self.name = name.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        self.sort = sort
        self.offset = max(0, offset)
        self.limit = max(0, limit)
    }
}

public enum SearchKind: String, Hashable, Sendable, CaseIterable, Codable {
    case posts, comments, members
}

// MARK: - Results

/// A post as a list row: everything but the body.
public struct PostSummary: Identifiable, Hashable, Sendable, Codable {
    public var id: Post.ID
    public var kind: Post.Kind
    public var title: String
    public var author: Member.ID?
    /// The member's name where the author is a member, else the name the source gave.
    public var authorName: String?
    public var published: Date?
    public var views: Int?
    public var commentCount: Int
    public var category: String?
    public var tags: [String]
    public var state: PostState
    /// Replies not read yet on a post that has been read: what came in since (a forum topic's
    /// "3 new"). 0 for a post not read yet, whose replies are all news.
    public var newComments: Int

    public init(
        id: Post.ID, kind: Post.Kind, title: String, author: Member.ID?, authorName: String?,
        published: Date?, views: Int?, commentCount: Int, category: String?, tags: [String],
        state: PostState, newComments: Int = 0
    ) {
        self.newComments = newComments
        self.id = id
        self.kind = kind
        self.title = title
        self.author = author
        self.authorName = authorName
        self.published = published
        self.views = views
        self.commentCount = commentCount
        self.category = category
        self.tags = tags
        self.state = state
    }
}

public struct PostCounts: Hashable, Sendable, Codable {
    public var total: Int
    public var unread: Int
    /// Posts of muted members the filter would show otherwise (not in `total`).
    public var hidden: Int

    public init(total: Int, unread: Int, hidden: Int = 0) {
        self.total = total
        self.unread = unread
        self.hidden = hidden
    }
}

/// A comment with its reader state, for an open post or a profile.
public struct CommentItem: Identifiable, Hashable, Sendable, Codable {
    public var comment: Comment
    public var state: CommentState
    /// The title of the post it is on (for profiles).
    public var postTitle: String?
    /// How deep in its thread: 0 for a top-level comment, 1 for an answer to one, and so on.
    public var depth: Int
    public var id: Comment.ID { comment.id }

    public init(comment: Comment, state: CommentState, postTitle: String? = nil, depth: Int = 0) {
        self.comment = comment
        self.state = state
        self.postTitle = postTitle
        self.depth = depth
    }
}

/// One open post: its content, reader state, author and comments (oldest first, threads kept).
public struct PostDetail: Hashable, Sendable {
    public var post: Post
    public var state: PostState
    public var commentCount: Int
    public var author: Member?
    public var comments: [CommentItem]
    /// Those of the comments' authors the reader has muted: their comments are in `comments`
    /// (the threads keep their shape) and are shown as "1 hidden".
    public var mutedAuthors: Set<Member.ID>
    /// The source the post came from, when the cache names it: the byline says which.
    public var source: Source?

    public init(post: Post, state: PostState, commentCount: Int, author: Member?, comments: [CommentItem], mutedAuthors: Set<Member.ID> = [],
                source: Source? = nil) {
        self.post = post
        self.state = state
        self.commentCount = commentCount
        self.author = author
        self.comments = comments
        self.mutedAuthors = mutedAuthors
        self.source = source
    }

    /// Whether a comment is by a muted member.
    public func isMuted(_ item: CommentItem) -> Bool { item.comment.author.map(mutedAuthors.contains) ?? false }
}

/// A member as a roster row.
public struct MemberSummary: Identifiable, Hashable, Sendable, Codable {
    public var id: Member.ID
    public var name: String
    public var country: String?
    public var countryCode: String?
    public var role: Member.Role
    public var postCount: Int

    public init(id: Member.ID, name: String, country: String?, countryCode: String?, role: Member.Role, postCount: Int) {
        self.id = id
        self.name = name
        self.country = country
        self.countryCode = countryCode
        self.role = role
        self.postCount = postCount
    }
}

/// One member with a window of their posts and comments, newest first.
public struct MemberProfile: Hashable, Sendable {
    public var member: Member
    public var postCount: Int
    public var commentCount: Int
    public var posts: [PostSummary]
    public var comments: [CommentItem]
    /// Whether the reader muted this member (their profile still shows what they wrote).
    public var muted: Bool

    public init(member: Member, postCount: Int, commentCount: Int, posts: [PostSummary], comments: [CommentItem], muted: Bool = false) {
        self.member = member
        self.postCount = postCount
        self.commentCount = commentCount
        self.posts = posts
        self.comments = comments
        self.muted = muted
    }
}

/// What a search found, grouped by kind, best matches first.
public struct SearchResults: Hashable, Sendable {
    public struct PostHit: Hashable, Sendable, Codable {
        public var post: PostSummary
        public var snippet: String

        public init(post: PostSummary, snippet: String) {
            self.post = post
            self.snippet = snippet
        }
    }

    public struct CommentHit: Hashable, Sendable, Codable {
        public var comment: Comment.ID
        public var post: Post.ID
        public var postTitle: String
        public var authorName: String?
        public var snippet: String
    }

    public var posts: [PostHit]
    public var comments: [CommentHit]
    public var members: [MemberSummary]
    /// What in the query could not be understood (searched without it).
    public var problems: [String]
    /// How many of each kind match in all, counted up to `countCap` (a count at the cap means
    /// "that many or more").
    public var totals: [SearchKind: Int] = [:]
    /// Kinds whose total is only how many were counted ("at least", one more than the window):
    /// a quick search leaves the exact count of words with filters for after the frame, and a
    /// cache too large for a set of its rowids counts them no further.
    public var atLeast: Set<SearchKind> = []
    /// How far the search index has got, when an import has not finished making it: what is
    /// not indexed yet is not found.
    public var indexing: SearchIndexProgress?
    public static let countCap = 1_000

    /// "19", "21+", "1,000+": a kind's count as a person reads it.
    public func countText(_ kind: SearchKind, shown: Int) -> String {
        guard let total = totals[kind] else { return String(shown) }
        return atLeast.contains(kind) ? Self.countText(total - 1) + "+" : Self.countText(total)
    }

    /// How many match in all, every kind: "1,268", or "2,007+" when a kind reached the cap.
    public var totalText: String {
        let all = totals.map { atLeast.contains($0.key) ? $0.value - 1 : $0.value }.reduce(0, +)
        let capped = totals.values.contains { $0 >= Self.countCap } || !atLeast.isEmpty
        return all.grouped + (capped ? "+" : "")
    }

    /// "19", "1,000+".
    public static func countText(_ count: Int) -> String {
        count >= countCap ? "\(countCap.grouped)+" : count.grouped
    }

    public init(posts: [PostHit] = [], comments: [CommentHit] = [], members: [MemberSummary] = [], problems: [String] = []) {
        self.posts = posts
        self.comments = comments
        self.members = members
        self.problems = problems
    }

    public var isEmpty: Bool { posts.isEmpty && comments.isEmpty && members.isEmpty }
}

/// What an undo did.
public struct UndoResult: Hashable, Sendable {
    public var entry: JournalEntry
    /// Posts made unread again (those still as the bulk change left them).
    public var restored: Int
}

/// Where to look for the next unread post in a list: the list (its filter and order), the
/// first position not yet looked at, the post looked at last, and which way.
public struct UnreadSearch: Hashable, Sendable {
    public var filter: PostFilter
    public var sort: PostSort
    /// The first position of the list to look at.
    public var from: Int
    /// The post just before `from` in the direction of the search, when there is one.
    public var after: Post.ID?
    /// Forward is down the list.
    public var forward: Bool

    public init(filter: PostFilter = .all, sort: PostSort = .newest, from: Int, after: Post.ID?, forward: Bool) {
        self.filter = filter
        self.sort = sort
        self.from = from
        self.after = after
        self.forward = forward
    }

    /// The list of all posts, newest first: the one the caches keep an index of unread posts for.
    public var isPlainList: Bool { filter == .all && sort == .newest }
}

extension Int {
    /// "1,268": a count as a person reads it, whatever the locale.
    public var grouped: String { formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US"))) }
}
