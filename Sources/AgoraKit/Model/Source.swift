import Foundation

/// Where content came from: the embedded sample, a file, an archive, a feed.
public struct Source: Identifiable, Hashable, Sendable, Codable {
    public typealias ID = Identifier<Source>

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
    /// The last sync's result as values (nil before the first sync, or in a cache from before
    /// they were kept).
    public var lastResult: SyncResult?
    /// The server asked not to be asked again before this (HTTP 429 or 503 with Retry-After).
    public var retryAfter: Date?
    /// What this kind of source is asked for and keeps between syncs: one value per kind.
    public var options: Options

    /// A source's options, by kind.
    public enum Options: Hashable, Sendable {
        /// Nothing beyond what every source has.
        case none
        /// A feed: the key its ids carry (from what the feed says it is, or, for a feed first
        /// read before feeds were known by their identity, its location), kept so that ids never change.
        case feed(key: String)
        /// A forum: what it is asked for, and how far its last sync got.
        case forum(Forum)
        /// A mailing list's web archive: the months read, each with its validators.
        case list(ListArchive)
    }

    /// A list archive's months (`2014-March.txt.gz`) as a sync left them: a month is read
    /// again only while it may still grow (the newest), and then with its validators.
    public struct ListArchive: Hashable, Sendable, Codable {
        public struct Month: Hashable, Sendable, Codable {
            public var etag: String?
            public var lastModified: String?
            /// Read whole when it could no longer grow (a newer month had begun).
            public var complete: Bool

            public init(etag: String? = nil, lastModified: String? = nil, complete: Bool = false) {
                self.etag = etag
                self.lastModified = lastModified
                self.complete = complete
            }
        }

        public var months: [String: Month]

        public init(months: [String: Month] = [:]) { self.months = months }
    }

    /// A list archive's state; setting it makes the options a list's.
    public var list: ListArchive? {
        get { if case .list(let list) = options { list } else { nil } }
        set { options = newValue.map(Options.list) ?? (list == nil ? options : .none) }
    }

    /// A forum's options; setting them makes the options a forum's.
    public var forum: Forum? {
        get { if case .forum(let forum) = options { forum } else { nil } }
        set { options = newValue.map(Options.forum) ?? (forum == nil ? options : .none) }
    }

    /// A feed's key; setting it makes the options a feed's.
    public var feedKey: String? {
        get { if case .feed(let key) = options { key } else { nil } }
        set {
            if case .forum = options { return }
            options = newValue.map { .feed(key: $0) } ?? .none
        }
    }
    /// The site a feed belongs to (its channel's link, an OPML list's `htmlUrl`).
    public var site: String?
    /// The folder an OPML list put it in: the sources screen groups by it.
    public var folder: String?

    /// The member a forum's profile address names (`https://forum.example.org/u/sam`, as a
    /// mention links it), when one of `sources` is that forum. Forum member ids are the
    /// source's id, `:u:` and the username in lower case.
    public static func member(linkedBy url: String, among sources: [Source]) -> Member.ID? {
        guard let (source, rules, rest) = sitePath(url, under: \.memberPages, among: sources) else { return nil }
        let name = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let username = String(name).removingPercentEncoding, !username.isEmpty else { return nil }
        return rules.memberID(username, in: source.id)
    }

    /// The source among `sources` whose kind has pages under `folder` and whose address, then
    /// that folder, begins `url`; its kind's id rule, and the rest of the address.
    private static func sitePath(_ url: String, under folder: KeyPath<IDRule, String?>,
                                 among sources: [Source]) -> (Source, IDRule, Substring)? {
        for source in sources {
            guard let rules = source.kind.traits.ids, let folder = rules[keyPath: folder], var base = source.location else { continue }
            while base.hasSuffix("/") { base.removeLast() }
            let prefix = base + folder
            guard url.lowercased().hasPrefix(prefix.lowercased()) else { continue }
            return (source, rules, url.dropFirst(prefix.count))
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
        guard let (source, rules, rest) = sitePath(url, under: \.topicPages, among: sources) else { return nil }
        let parts = rest.prefix { $0 != "?" && $0 != "#" }.split(separator: "/").map(String.init)
        // /t/SLUG/ID[/N] or /t/ID[/N]: the first number after /t/ or after the slug.
        guard let id = parts.first.flatMap({ Int($0) }) ?? (parts.count > 1 ? Int(parts[1]) : nil) else { return nil }
        return rules.topicID(id, in: source.id)
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
    public var isSynced: Bool {
        guard kind.syncs else { return false }
        guard kind.traits.syncsFromTheWebOnly else { return true }
        let scheme = location?.split(separator: ":", maxSplits: 1).first?.lowercased()
        return scheme == "http" || scheme == "https"
    }

    public init(
        id: ID, kind: Kind, name: String, location: String? = nil, etag: String? = nil,
        lastModified: String? = nil, lastSync: Date? = nil, lastStatus: String? = nil, retryAfter: Date? = nil,
        options: Options = .none, site: String? = nil, folder: String? = nil, lastResult: SyncResult? = nil
    ) {
        self.lastResult = lastResult
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
        self.options = options
    }
}

// The cache's JSON keeps a source's options under the names they have always had: `forum`
// for a forum's, `feedKey` for a feed's.
extension Source {
    enum CodingKeys: String, CodingKey {
        case id, kind, name, location, etag, lastModified, lastSync, lastStatus, retryAfter, forum, feedKey, site, folder, lastResult, list
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let options: Options = if let forum = try c.decodeIfPresent(Forum.self, forKey: .forum) {
            .forum(forum)
        } else if let key = try c.decodeIfPresent(String.self, forKey: .feedKey) {
            .feed(key: key)
        } else if let list = try c.decodeIfPresent(ListArchive.self, forKey: .list) {
            .list(list)
        } else {
            .none
        }
        self.init(id: try c.decode(ID.self, forKey: .id), kind: try c.decode(Kind.self, forKey: .kind), name: try c.decode(String.self, forKey: .name),
                  location: try c.decodeIfPresent(String.self, forKey: .location), etag: try c.decodeIfPresent(String.self, forKey: .etag),
                  lastModified: try c.decodeIfPresent(String.self, forKey: .lastModified), lastSync: try c.decodeIfPresent(Date.self, forKey: .lastSync),
                  lastStatus: try c.decodeIfPresent(String.self, forKey: .lastStatus), retryAfter: try c.decodeIfPresent(Date.self, forKey: .retryAfter),
                  options: options, site: try c.decodeIfPresent(String.self, forKey: .site), folder: try c.decodeIfPresent(String.self, forKey: .folder),
                  lastResult: try c.decodeIfPresent(SyncResult.self, forKey: .lastResult))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(location, forKey: .location)
        try c.encodeIfPresent(etag, forKey: .etag)
        try c.encodeIfPresent(lastModified, forKey: .lastModified)
        try c.encodeIfPresent(lastSync, forKey: .lastSync)
        try c.encodeIfPresent(lastStatus, forKey: .lastStatus)
        try c.encodeIfPresent(retryAfter, forKey: .retryAfter)
        try c.encodeIfPresent(forum, forKey: .forum)
        try c.encodeIfPresent(feedKey, forKey: .feedKey)
        try c.encodeIfPresent(site, forKey: .site)
        try c.encodeIfPresent(folder, forKey: .folder)
        try c.encodeIfPresent(lastResult, forKey: .lastResult)
        try c.encodeIfPresent(list, forKey: .list)
    }
}
