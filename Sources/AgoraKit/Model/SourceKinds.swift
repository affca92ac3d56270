/// What each kind of source is and can do, in one place: the sources screen, `agora sources`
/// and sync ask the kind, not its name.
extension Source.Kind {
    public struct Traits: Hashable, Sendable {
        /// "feed", "forum": how a person names it.
        public var label: String
        /// Brought up to date by `agora sync` (and `R` in the reader).
        public var syncs: Bool
        /// Its posts fall into categories a reader may read one at a time (a forum's).
        public var hasCategories: Bool
        /// Replies keep arriving on old posts: a post's unread replies are news (a forum topic).
        public var repliesArrive: Bool
        /// The community's own record (its archive, the sample): a byline need not name it.
        public var isCommunitysOwn = false
    }

    public var traits: Traits {
        switch self {
        case .sample: Traits(label: "sample", syncs: false, hasCategories: false, repliesArrive: false, isCommunitysOwn: true)
        case .agoraJSON: Traits(label: "Agora file", syncs: false, hasCategories: false, repliesArrive: false)
        case .ningArchive: Traits(label: "Ning archive", syncs: false, hasCategories: false, repliesArrive: false, isCommunitysOwn: true)
        case .feed: Traits(label: "feed", syncs: true, hasCategories: false, repliesArrive: false)
        case .discourse: Traits(label: "forum", syncs: true, hasCategories: true, repliesArrive: true)
        }
    }

    public var label: String { traits.label }
    public var syncs: Bool { traits.syncs }
    public var hasCategories: Bool { traits.hasCategories }
}
