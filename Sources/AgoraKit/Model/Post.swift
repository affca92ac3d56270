import Foundation

/// A piece of content: a blog post, a discussion, a page, an event, a group, a photo, a video or
/// a feed item.
public struct Post: Identifiable, Hashable, Sendable, Codable {
    public typealias ID = Identifier<Post>

    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case blogPost = "blog-post"
        case discussion
        case page
        case event
        case group
        case photo
        case video
        case feedItem = "feed-item"

        /// How a person would name it.
        public var label: String {
            switch self {
            case .blogPost: "blog post"
            case .discussion: "discussion"
            case .page: "page"
            case .event: "event"
            case .group: "group"
            case .photo: "photo"
            case .video: "video"
            case .feedItem: "feed item"
            }
        }
    }

    public var id: ID
    public var source: Source.ID?
    public var kind: Kind
    public var title: String
    public var author: Member.ID?
    /// The author's name as the source gave it, kept even when no member matches.
    public var authorName: String?
    public var published: Date?
    public var updated: Date?
    public var category: String?
    public var tags: [String]
    /// View count, when the source has one.
    public var views: Int?
    /// Likes, when the source counts them (a forum's topic).
    public var likes: Int?
    /// The body as HTML.
    public var body: String
    public var link: String?

    public init(
        id: ID, source: Source.ID? = nil, kind: Kind = .blogPost, title: String,
        author: Member.ID? = nil, authorName: String? = nil, published: Date? = nil,
        updated: Date? = nil, category: String? = nil, tags: [String] = [], views: Int? = nil,
        likes: Int? = nil, body: String = "", link: String? = nil
    ) {
        self.id = id
        self.source = source
        self.kind = kind
        self.title = title
        self.author = author
        self.authorName = authorName
        self.published = published
        self.updated = updated
        self.category = category
        self.tags = tags
        self.views = views
        self.likes = likes
        self.body = body
        self.link = link
    }

    /// The date lists sort by: published, else updated, else the beginning of time.
    public var sortDate: Date { published ?? updated ?? Date(timeIntervalSince1970: 0) }
}

/// A comment on a post, threaded by its parent.
public struct Comment: Identifiable, Hashable, Sendable, Codable {
    public typealias ID = Identifier<Comment>

    public var id: ID
    public var post: Post.ID
    /// The comment this one answers; nil for a top-level comment.
    public var parent: Comment.ID?
    public var author: Member.ID?
    public var authorName: String?
    public var published: Date?
    /// The body as HTML.
    public var body: String
    /// The comment's own web address, when it has one (a forum's reply).
    public var link: String?

    public init(
        id: ID, post: Post.ID, parent: Comment.ID? = nil, author: Member.ID? = nil,
        authorName: String? = nil, published: Date? = nil, body: String = "", link: String? = nil
    ) {
        self.id = id
        self.post = post
        self.parent = parent
        self.author = author
        self.authorName = authorName
        self.published = published
        self.body = body
        self.link = link
    }
}


// Hand-written JSON may leave out what has an obvious default.
extension Post {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(ID.self, forKey: .id),
            source: try c.decodeIfPresent(Source.ID.self, forKey: .source),
            kind: try c.decodeIfPresent(Kind.self, forKey: .kind) ?? .blogPost,
            title: try c.decode(String.self, forKey: .title),
            author: try c.decodeIfPresent(Member.ID.self, forKey: .author),
            authorName: try c.decodeIfPresent(String.self, forKey: .authorName),
            published: try c.decodeIfPresent(Date.self, forKey: .published),
            updated: try c.decodeIfPresent(Date.self, forKey: .updated),
            category: try c.decodeIfPresent(String.self, forKey: .category),
            tags: try c.decodeIfPresent([String].self, forKey: .tags) ?? [],
            views: try c.decodeIfPresent(Int.self, forKey: .views),
            likes: try c.decodeIfPresent(Int.self, forKey: .likes),
            body: try c.decodeIfPresent(String.self, forKey: .body) ?? "",
            link: try c.decodeIfPresent(String.self, forKey: .link))
    }
}

// Hand-written JSON may leave out what has an obvious default.
extension Comment {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(ID.self, forKey: .id),
            post: try c.decode(Post.ID.self, forKey: .post),
            parent: try c.decodeIfPresent(Comment.ID.self, forKey: .parent),
            author: try c.decodeIfPresent(Member.ID.self, forKey: .author),
            authorName: try c.decodeIfPresent(String.self, forKey: .authorName),
            published: try c.decodeIfPresent(Date.self, forKey: .published),
            body: try c.decodeIfPresent(String.self, forKey: .body) ?? "",
            link: try c.decodeIfPresent(String.self, forKey: .link))
    }
}

/// An http(s) address's scheme, host (both in lower case) and port (the scheme's own when none is
/// written): what browsers compare, what a forum's key is bound to, what makes two sources one.
public struct WebOrigin: Hashable, Sendable {
    public var scheme: String
    public var host: String
    public var port: Int

    public init?(_ url: URL) {
        guard let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), let host = url.host?.lowercased(), !host.isEmpty
        else { return nil }
        self.scheme = scheme
        self.host = host
        port = url.port ?? (scheme == "https" ? 443 : 80)
    }

    public var isDefaultPort: Bool { port == (scheme == "https" ? 443 : 80) }

    /// `https://host:443`, as key grants are written.
    public var text: String { "\(scheme)://\(host):\(port)" }
}
