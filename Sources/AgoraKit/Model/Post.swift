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

/// Where content came from: the embedded sample, a file, an archive, a feed.
public struct Source: Identifiable, Hashable, Sendable, Codable {
    public typealias ID = Identifier<Source>

    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case sample, agoraJSON = "agora-json", ningArchive = "ning-archive", feed
        /// A Discourse forum, read over its JSON API.
        case discourse
    }

    /// What a forum source is asked for, and how far its last sync got.
    public struct Forum: Hashable, Sendable, Codable {
        /// Only these categories (names or slugs, as given), or every one.
        public var categories: [String]?
        /// The first sync goes back no further than this...
        public var since: Date?
        /// ...and takes at most this many topics.
        public var maxTopics: Int?
        /// A file with the forum's key (mode 0600); only its path is kept, never the key.
        public var keyFile: String?
        /// Every topic active up to this time (its `bumped_at`) is in the cache: the next sync
        /// reads the latest list back to here and no further.
        public var syncedThrough: Date?
        /// When the member directory was last read (once a day at most).
        public var directoryRead: Date?
        /// The forum's categories, id to name, as last read.
        public var categoryNames: [String: String]?
        /// A sync that stopped before it was done (its deadline) had read every changed topic
        /// active after `readFrom` up to `readThrough`: the next one leaves those and goes on.
        public var readFrom: Date?
        public var readThrough: Date?
        /// Topics written in part (more posts than one sync reads of a topic): read on first.
        public var unfinished: [Int]?

        public init(categories: [String]? = nil, since: Date? = nil, maxTopics: Int? = nil, keyFile: String? = nil) {
            self.categories = categories
            self.since = since
            self.maxTopics = maxTopics
            self.keyFile = keyFile
        }
    }

    public var id: ID
    public var kind: Kind
    public var name: String
    /// A URL or a path, as the user gave it.
    public var location: String?
    public var etag: String?
    public var lastModified: String?
    public var lastSync: Date?
    public var lastStatus: String?
    /// The server asked not to be asked again before this (HTTP 429 or 503 with Retry-After).
    public var retryAfter: Date?
    /// A forum's options and sync state (nil for other sources).
    public var forum: Forum?
    /// The key a feed's ids carry (from what the feed says it is, or, for a feed first read
    /// before feeds were known by their identity, its location): kept so that ids never change.
    public var feedKey: String?
    /// The site a feed belongs to (its channel's link, an OPML list's `htmlUrl`).
    public var site: String?
    /// The folder an OPML list put it in: the sources screen groups by it.
    public var folder: String?

    /// The member a forum's profile address names (`https://forum.example.org/u/sam`, as a
    /// mention links it), when one of `sources` is that forum. Forum member ids are the
    /// source's id, `:u:` and the username in lower case.
    public static func member(linkedBy url: String, among sources: [Source]) -> Member.ID? {
        guard let (source, rest) = forumPath(url, under: "/u/", among: sources) else { return nil }
        let name = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let username = String(name).removingPercentEncoding, !username.isEmpty else { return nil }
        return Member.ID(source.id.rawValue + ":u:" + username.lowercased())
    }

    /// The forum among `sources` whose address, then `folder`, begins `url`; and the rest of it.
    private static func forumPath(_ url: String, under folder: String, among sources: [Source]) -> (Source, Substring)? {
        for source in sources where source.kind == .discourse {
            guard var base = source.location else { continue }
            while base.hasSuffix("/") { base.removeLast() }
            let prefix = base + folder
            guard url.lowercased().hasPrefix(prefix.lowercased()) else { continue }
            return (source, url.dropFirst(prefix.count))
        }
        return nil
    }

    /// A location as its identity: scheme and host in lower case, the port only when it is not
    /// the scheme's own, the path without a trailing slash; a file's path as it is. Two sources
    /// are one only when these are equal (never when their keys, slugs of them, are).
    public static func identity(ofLocation location: String) -> String {
        guard let url = URL(string: location), let origin = WebOrigin(url) else { return location }
        var path = url.path
        while path.hasSuffix("/") { path.removeLast() }
        let query = url.query.map { "?" + $0 } ?? ""
        return "\(origin.scheme)://\(origin.host)\(origin.isDefaultPort ? "" : ":\(origin.port)")\(path)\(query)"
    }

    /// The source of `kind` already at `location` (the same identity), among `sources`.
    public static func existing(_ kind: Kind, at location: String, among sources: [Source]) -> Source? {
        let identity = identity(ofLocation: location)
        return sources.first { $0.kind == kind && $0.location.map(Source.identity(ofLocation:)) == identity }
    }

    /// An id for a new source at `location`: `preferred` unless another source at another
    /// location has it, else `preferred` and a short digest of the location's identity.
    public static func newID(preferred: ID, location: String, among sources: [Source]) -> ID {
        let taken = Set(sources.map(\.id))
        guard taken.contains(preferred) else { return preferred }
        // FNV-1a of the identity: the same on every machine.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in identity(ofLocation: location).utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        var candidate = ID(preferred.rawValue + "-" + String(hash % 0x100_0000, radix: 16))
        var extra = 2
        while taken.contains(candidate) {
            candidate = ID(preferred.rawValue + "-" + String(hash % 0x100_0000, radix: 16) + "-\(extra)")
            extra += 1
        }
        return candidate
    }

    /// The topic a forum's topic address names (`https://forum.example.org/t/remote-hubs/101`,
    /// `.../t/101/3`), when one of `sources` is that forum: its post id in the cache.
    public static func post(linkedBy url: String, among sources: [Source]) -> Post.ID? {
        guard let (source, rest) = forumPath(url, under: "/t/", among: sources) else { return nil }
        let parts = rest.prefix { $0 != "?" && $0 != "#" }.split(separator: "/").map(String.init)
        // /t/SLUG/ID[/N] or /t/ID[/N]: the first number after /t/ or after the slug.
        guard let id = parts.first.flatMap({ Int($0) }) ?? (parts.count > 1 ? Int(parts[1]) : nil) else { return nil }
        return Post.ID(source.id.rawValue + ":t\(id)")
    }

    /// The key a location gives a source and, for a feed known by nothing better, its ids:
    /// `https://example.org/feed.xml` -> `example-org-feed-xml`, `/home/ana/rich.xml` -> `rich-xml`.
    public static func key(forLocation location: String) -> String {
        var key = location
        for prefix in ["https://", "http://", "file://"] where key.lowercased().hasPrefix(prefix) {
            key = String(key.dropFirst(prefix.count))
        }
        if key.hasPrefix("/") { key = (key as NSString).lastPathComponent }
        let slug = Folding.slug(key)
        return slug.isEmpty ? "feed" : slug
    }

    /// The address the reader gives a member of the cache (who commented, in an article):
    /// following it opens their profile. `agora:member/ID`.
    public static func memberLink(_ id: Member.ID) -> String {
        "agora:member/" + (id.rawValue.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id.rawValue)
    }

    /// The member a reader's own member address names.
    public static func member(fromLink url: String) -> Member.ID? {
        guard url.hasPrefix("agora:member/"), let id = String(url.dropFirst("agora:member/".count)).removingPercentEncoding,
              !id.isEmpty else { return nil }
        return Member.ID(id)
    }

    /// Brought up to date by `agora sync` (feeds and forums; imported files are not).
    public var isSynced: Bool { kind.syncs }

    public init(
        id: ID, kind: Kind, name: String, location: String? = nil, etag: String? = nil,
        lastModified: String? = nil, lastSync: Date? = nil, lastStatus: String? = nil, retryAfter: Date? = nil,
        forum: Forum? = nil, feedKey: String? = nil, site: String? = nil, folder: String? = nil
    ) {
        self.site = site
        self.folder = folder
        self.id = id
        self.kind = kind
        self.name = name
        self.location = location
        self.etag = etag
        self.lastModified = lastModified
        self.lastSync = lastSync
        self.lastStatus = lastStatus
        self.retryAfter = retryAfter
        self.forum = forum
        self.feedKey = feedKey
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
