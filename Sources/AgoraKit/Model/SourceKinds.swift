import Foundation
import Synchronization

/// A kind of source is a value, not a case: its name as the cache stores it, and what it is and
/// can do (`Traits`). The kinds Agora knows are the table below; how each comes in (recognised,
/// read, synced) is its entry in AgoraImport's `SourceKindTable`. The reader, the CLI and sync
/// ask a kind's traits; nothing outside these two tables names a kind to decide what to do.
extension Source {
    public struct Kind: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The name the cache stores ("feed", "discourse").
        public let rawValue: String

        public init(_ rawValue: String) { self.rawValue = rawValue }

        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(rawValue)
        }

        public var description: String { rawValue }

        /// What this kind is and can do: from the table, or, for a kind this build does not
        /// know (a cache from a newer Agora), a source that is read and never synced.
        public var traits: Traits { Self.table.withLock { $0[rawValue] } ?? Traits(label: rawValue) }

        public var label: String { traits.label }
        public var syncs: Bool { traits.syncs }
        public var hasCategories: Bool { traits.hasCategories }
    }

    /// What a kind of source is and can do.
    public struct Traits: Hashable, Sendable {
        /// "feed", "forum": how a person names it.
        public var label: String
        /// Brought up to date by `agora sync` (and `R` in the reader).
        public var syncs = false
        /// Its posts fall into categories a reader may read one at a time (a forum's).
        public var hasCategories = false
        /// Replies keep arriving on old posts: a post's unread replies are news (a forum topic).
        public var repliesArrive = false
        /// The community's own record (its archive, the sample): a byline need not name it.
        public var isCommunitysOwn = false
        /// Its posts are commented on under the community's comment policy, which the article
        /// shows; a feed's or a forum's are commented where they came from, under theirs.
        public var takesCommentPolicy = false
        /// Its posts are mail: quoted text and signatures fold to a line in the article.
        public var foldsQuotes = false
        /// Synced only when it was added by its web address (a list's archive is; a list
        /// imported from a file is a record, not a subscription).
        public var syncsFromTheWebOnly = false
        /// An OPML list (`agora export --opml`) names it: a feed a reader subscribes to.
        public var listedInOPML = false
        /// When two sources bring the same post, the richer one's fields win (a forum's own
        /// topic over the same topic in the forum's feed: views, replies, the whole body).
        public var richness = 0
        /// How its ids are made, for a kind whose ids say where they come from.
        public var ids: IDRule?

        public init(label: String, syncs: Bool = false, hasCategories: Bool = false, repliesArrive: Bool = false,
                    isCommunitysOwn: Bool = false, takesCommentPolicy: Bool = false, listedInOPML: Bool = false, richness: Int = 0,
                    ids: IDRule? = nil, foldsQuotes: Bool = false, syncsFromTheWebOnly: Bool = false) {
            self.foldsQuotes = foldsQuotes
            self.syncsFromTheWebOnly = syncsFromTheWebOnly
            self.takesCommentPolicy = takesCommentPolicy
            self.label = label
            self.syncs = syncs
            self.hasCategories = hasCategories
            self.repliesArrive = repliesArrive
            self.isCommunitysOwn = isCommunitysOwn
            self.listedInOPML = listedInOPML
            self.richness = richness
            self.ids = ids
        }
    }

    /// How a kind's ids are made: the source's id is the prefix and a key (`discourse:KEY`); a
    /// topic, a reply and a member are the source's id and a mark (`:t57`, `:p83`, `:u:sam`),
    /// so that a second read updates in place. Where the kind's site has pages for them
    /// (`/t/...`, `/u/NAME`), a link to one is known for the post or member it is.
    public struct IDRule: Hashable, Sendable {
        public var sourcePrefix: String
        public var topicMark: String
        public var replyMark: String
        public var memberMark: String
        /// The site's folder of topic pages and of member pages.
        public var topicPages: String?
        public var memberPages: String?

        public init(sourcePrefix: String, topicMark: String = ":t", replyMark: String = ":p", memberMark: String = ":u:",
                    topicPages: String? = nil, memberPages: String? = nil) {
            self.sourcePrefix = sourcePrefix
            self.topicMark = topicMark
            self.replyMark = replyMark
            self.memberMark = memberMark
            self.topicPages = topicPages
            self.memberPages = memberPages
        }

        public func sourceID(key: String) -> Source.ID { Source.ID(sourcePrefix + key) }
        /// The key a source's id carries; nil for an id this rule did not make.
        public func key(of id: Source.ID) -> String? {
            id.rawValue.hasPrefix(sourcePrefix) ? String(id.rawValue.dropFirst(sourcePrefix.count)) : nil
        }
        public func topicID(_ n: Int, in source: Source.ID) -> Post.ID { topicID(key: String(n), in: source) }
        public func replyID(_ n: Int, in source: Source.ID) -> Comment.ID { replyID(key: String(n), in: source) }
        /// For ids that are not numbers (a Message-ID).
        public func topicID(key: String, in source: Source.ID) -> Post.ID { Post.ID(source.rawValue + topicMark + key) }
        public func replyID(key: String, in source: Source.ID) -> Comment.ID { Comment.ID(source.rawValue + replyMark + key) }
        /// Member names are compared in lower case, as the sites do.
        public func memberID(_ name: String, in source: Source.ID) -> Member.ID {
            Member.ID(source.rawValue + memberMark + name.lowercased())
        }
        /// The name in a member id this rule made for `source`.
        public func memberName(_ id: Member.ID, in source: Source.ID) -> String? {
            let prefix = source.rawValue + memberMark
            return id.rawValue.hasPrefix(prefix) ? String(id.rawValue.dropFirst(prefix.count)) : nil
        }
    }
}

// MARK: The table of kinds

extension Source.IDRule {
    /// A feed's source is `feed:KEY`; its items' ids are its key and the item's own.
    public static let feed = Source.IDRule(sourcePrefix: "feed:")
    /// A forum's source is `discourse:KEY`; a topic `discourse:KEY:t57`, a reply `:p83`, a
    /// member `:u:sam`; its pages for them are `/t/...` and `/u/NAME`.
    public static let discourse = Source.IDRule(sourcePrefix: "discourse:", topicPages: "/t/", memberPages: "/u/")
    /// A mailing list's source is `list:KEY`; a thread and a message are the list's id and the
    /// message's Message-ID (`list:KEY:m:<id@host>`), a member `list:KEY:u:` and their address.
    public static let mailingList = Source.IDRule(sourcePrefix: "list:", topicMark: ":m:", replyMark: ":m:", memberMark: ":u:")
}

extension Source.Kind {
    public static let sample = Source.Kind("sample")
    public static let agoraJSON = Source.Kind("agora-json")
    public static let ningArchive = Source.Kind("ning-archive")
    public static let feed = Source.Kind("feed")
    public static let discourse = Source.Kind("discourse")
    public static let mailingList = Source.Kind("mailing-list")

    /// Every kind this build knows, with its traits.
    private static let table = Mutex<[String: Source.Traits]>([
        sample.rawValue: Source.Traits(label: "sample", isCommunitysOwn: true, takesCommentPolicy: true),
        agoraJSON.rawValue: Source.Traits(label: "Agora file", takesCommentPolicy: true),
        ningArchive.rawValue: Source.Traits(label: "Ning archive", isCommunitysOwn: true, takesCommentPolicy: true),
        feed.rawValue: Source.Traits(label: "feed", syncs: true, listedInOPML: true, richness: 1, ids: .feed),
        discourse.rawValue: Source.Traits(label: "forum", syncs: true, hasCategories: true, repliesArrive: true, richness: 2, ids: .discourse),
        mailingList.rawValue: Source.Traits(label: "mailing list", syncs: true, repliesArrive: true, richness: 1, ids: .mailingList,
                                            foldsQuotes: true, syncsFromTheWebOnly: true),
    ])

    /// The kinds known, by name.
    public static var known: [Source.Kind] { table.withLock { $0.keys.sorted().map(Source.Kind.init) } }

    /// Adds a kind to the table (one defined outside AgoraKit, with its reader in a
    /// `SourceKindTable`): its traits are what every source of it answers from then on.
    public static func define(_ kind: Source.Kind, _ traits: Source.Traits) {
        table.withLock { $0[kind.rawValue] = traits }
    }
}
