import AgoraKit
import Foundation

/// `agora sources add ADDRESS`: each kind that can be added says how to ask an address whether
/// it is one, and how to make (or update) its source. The command asks the table.
extension SourceReader {
    /// What asking an address found.
    public enum Answer: Sendable, Equatable {
        /// It is one (with its title, when it says).
        case yes(title: String?)
        /// It is one, and it asks for a login that was not given.
        case needsLogin
        case no
    }

    /// What `agora sources add` asks of a kind.
    public struct Adding: Sendable {
        /// Asks an address whether it is one of these; nil for the kind an address is taken
        /// for when no other says it is theirs (a feed).
        public var asks: (@Sendable (_ address: String, _ key: ForumKey?) -> Answer)?
        /// Takes a forum's options (categories, a first sync's bounds, a key file).
        public var takesForumOptions: Bool
        /// Makes the source, or brings the one at the same address up to date with what was given.
        public var add: @Sendable (_ request: AddRequest, _ port: any ImportPort) throws -> AddOutcome
    }

    /// What a person gave `agora sources add`.
    public struct AddRequest: Sendable {
        /// An http(s) address, or a file's absolute path.
        public var location: String
        /// What to call it, when given.
        public var name: String?
        /// The kind was named (`--kind`), not found by asking.
        public var named: Bool
        /// What asking the address found (its title).
        public var title: String?
        /// A forum's options, when any were given.
        public var forum: Source.Forum?
        /// The key file's path and the key in it.
        public var keyPath: String?
        public var key: ForumKey?

        public init(location: String, name: String?, named: Bool, title: String? = nil, forum: Source.Forum? = nil,
                    keyPath: String? = nil, key: ForumKey? = nil) {
            self.location = location
            self.name = name
            self.named = named
            self.title = title
            self.forum = forum
            self.keyPath = keyPath
            self.key = key
        }

        public var isWeb: Bool { SourcePolicy.isWeb(location) }
    }

    /// What adding did: the source as written (nil when nothing was written), and what to say.
    public struct AddOutcome: Sendable {
        public var source: Source?
        /// A new source: a cache with no community yet takes its name.
        public var isNew: Bool
        public var message: String
    }
}

extension SourceKindTable {
    /// The readers that `agora sources add` can add, by format.
    public var addable: [SourceReader] { readers.filter { $0.adding != nil } }

    /// What an address is: the first kind that says it is theirs (or needs a login), else the
    /// kind that takes any address. Files are never asked.
    public func reader(forAddress address: String, key: ForumKey?) -> (SourceReader, SourceReader.Answer)? {
        if SourcePolicy.isWeb(address) {
            for reader in addable {
                guard let asks = reader.adding?.asks else { continue }
                let answer = asks(address, key)
                if answer != .no { return (reader, answer) }
            }
        }
        return addable.first { $0.adding?.asks == nil }.map { ($0, .no) }
    }
}

extension SourceReader.Adding {
    /// A source added again at its address: renamed when a new name is given, else left as it is.
    static func renamed(_ existing: Source, as name: String?, address: String, port: any ImportPort) throws -> SourceReader.AddOutcome {
        guard let name, name != existing.name else {
            return SourceReader.AddOutcome(source: nil, isNew: false, message: "\(address) is already a source (\(existing.id)).")
        }
        var renamed = existing
        renamed.name = name
        try port.importContent(CacheContent(sources: [renamed]))
        return SourceReader.AddOutcome(source: renamed, isNew: false, message: "Renamed \(existing.id) to \(name).")
    }

    /// A feed: any address or file; a source at the same address is renamed, or left.
    static let feed = SourceReader.Adding(asks: nil, takesForumOptions: false) { request, port in
        let sources = try port.sources()
        let same = Source.existing(.feed, at: request.location, among: sources)
        let id = same?.id ?? Source.newID(preferred: FeedImport.sourceID(request.location), location: request.location, among: sources)
        if let existing = same { return try renamed(existing, as: request.name, address: request.location, port: port) }
        let source = Source(id: id, kind: .feed, name: request.name ?? FeedImport.sourceKey(request.location), location: request.location)
        try port.importContent(CacheContent(sources: [source]))
        let found = request.isWeb && !request.named ? "Not a Discourse forum: taken for a feed. " : ""
        return SourceReader.AddOutcome(source: source, isNew: true, message: found + "Added \(id). Run `agora sync` to fetch it.")
    }

    /// A Discourse forum: asked by its `/about.json`, `/site.json` or its page's generator tag;
    /// its categories are checked before anything is written; given again, its options are
    /// replaced and how far its sync got is kept.
    static let discourse = SourceReader.Adding(
        asks: { address, key in
            switch ForumDetection.detect(address, key: key) {
            case .discourse(let title): .yes(title: title)
            case .discourseNeedsLogin: .needsLogin
            case .notDiscourse: .no
            }
        },
        takesForumOptions: true
    ) { request, port in
        guard request.isWeb else { throw AgoraError.invalidArgument("\(request.location): a forum is an http(s) address, not a file") }
        guard var site = Discourse.Site(request.location) else { throw AgoraError.invalidArgument("\(request.location): not a valid address") }
        var forum = request.forum ?? Source.Forum()
        // Categories the forum does not have are said now, before the cache is touched.
        try ForumSync.checkCategories(forum.categories ?? [], address: site.base.absoluteString, key: request.key)
        // The same forum is the same address (scheme, host, port, path); another forum whose
        // key would be the same gets one of its own.
        let sources = try port.sources()
        if let same = Source.existing(.discourse, at: site.base.absoluteString, among: sources) {
            site = Discourse.Site(source: same) ?? site
        } else {
            let id = Source.newID(preferred: site.sourceID, location: site.base.absoluteString, among: sources)
            site = Discourse.Site(site.base.absoluteString, key: Discourse.Site.key(of: id)) ?? site
        }
        if let keyPath = request.keyPath, let origin = Fetcher.origin(site.base) { try KeyGrants.standard().grant(origin: origin, keyFile: keyPath) }
        forum.keyFile = request.keyPath
        if var existing = sources.first(where: { $0.id == site.sourceID }) {
            // Options given again replace the old ones; how far the sync got is kept.
            if let old = existing.forum {
                forum.syncedThrough = old.syncedThrough
                forum.directoryRead = old.directoryRead
                forum.categoryNames = old.categoryNames
            }
            existing.forum = forum
            if let name = request.name { existing.name = name }
            try port.importContent(CacheContent(sources: [existing]))
            return SourceReader.AddOutcome(source: existing, isNew: false,
                                           message: "\(site.base.absoluteString) is already a source (\(site.sourceID)); its options are now as given.")
        }
        let source = Source(id: site.sourceID, kind: .discourse, name: request.name ?? request.title ?? site.key,
                            location: site.base.absoluteString, options: .forum(forum))
        try port.importContent(CacheContent(sources: [source]))
        let found = request.named ? "" : "Found a Discourse forum" + (request.title.map { " (\($0))" } ?? "") + ". "
        return SourceReader.AddOutcome(source: source, isNew: true, message: found + "Added \(site.sourceID). Run `agora sync` to mirror it.")
    }
}
