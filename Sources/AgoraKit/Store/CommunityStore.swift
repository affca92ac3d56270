import Foundation

/// The one way into a community's data. Both caches (SQLite and a single JSON file) implement it
/// and pass the same behaviour suite.
///
/// Every list is a window (offset and limit): nothing here hands out "all posts".
public protocol CommunityStore: ImportPort {
    /// Where the cache lives, for messages.
    var location: String { get }
    /// Whether it can only be read (a read-only file or file system): writes are refused.
    var isReadOnly: Bool { get }
    /// Whether another process changed the cache since this was last asked (or since the store
    /// was opened): a reader left open shows what an `agora sync` from cron or an `agora mark`
    /// in another terminal wrote. Cheap: the reader asks whenever it is idle.
    func changedElsewhere() throws -> Bool

    func community() throws -> Community
    /// How much the cache holds.
    func statistics() throws -> Statistics

    // MARK: Posts
    func posts(_ query: PostQuery) throws -> [PostSummary]
    func counts(_ filter: PostFilter) throws -> PostCounts
    /// The nearest unread post after `id` in the list of all posts, newest first (forward:
    /// towards older posts), with its position in that list; from the start (or the end) when
    /// `id` is nil. Nil when there is none.
    func nextUnread(after id: Post.ID?, forward: Bool) throws -> (index: Int, post: PostSummary)?
    /// The nearest unread post in any list (a filter and an order), from a position of it, with
    /// its position. A default reads the list window by window; the plain list uses the index.
    func nextUnread(_ search: UnreadSearch) throws -> (index: Int, post: PostSummary)?
    /// One post with its body, its author and its comments (oldest first, threads kept).
    /// Throws `AgoraError.notFound` for an unknown id.
    func post(_ id: Post.ID) throws -> PostDetail

    // MARK: Members
    func members(_ query: MemberQuery) throws -> [MemberSummary]
    /// How many members a query's filters (country, name) leave, whatever its window.
    func memberCount(_ query: MemberQuery) throws -> Int
    /// How many members each country has, by the country's name as members have it.
    func memberCountries() throws -> [String: Int]
    /// One member with up to `limit` of their posts and comments, newest first.
    func member(_ id: Member.ID, limit: Int) throws -> MemberProfile

    // MARK: Reader state
    func setRead(_ read: Bool, posts: [Post.ID]) throws
    func setRead(_ read: Bool, comments: [Comment.ID]) throws
    func setStarred(_ starred: Bool, posts: [Post.ID]) throws
    /// Marks every post the filter shows as read and journals the change.
    /// Returns the journal entry; its token undoes exactly this change. When no post was unread,
    /// nothing is journaled and the entry's count (and token) is 0.
    func markAllRead(_ filter: PostFilter) throws -> JournalEntry
    /// Undoes a bulk change (the latest one not yet undone when `token` is nil). Posts changed
    /// one by one since then are left as they are.
    func undo(_ token: JournalEntry.Token?) throws -> UndoResult
    func journal() throws -> [JournalEntry]

    // MARK: Search
    /// Case- and accent-insensitive search of titles and bodies, comments and members.
    /// Matches newest first, `limit` of each kind from `offset`, with how many match in all.
    func search(_ query: SearchQuery, kinds: Set<SearchKind>, limit: Int, offset: Int) throws -> SearchResults
    /// As `search`, for a screen drawn as it is typed: where counting exactly would read every
    /// match of the words, a kind is counted only as far as the window needs (it is `atLeast`)
    /// and its exact count is left for `searchCounts`, asked once the frame is up.
    func quickSearch(_ query: SearchQuery, kinds: Set<SearchKind>, limit: Int, offset: Int) throws -> SearchResults
    /// How many of each kind match, exactly up to the cap.
    func searchCounts(_ query: SearchQuery, kinds: Set<SearchKind>) throws -> [SearchKind: Int]
    /// How far the search index has got: an import commits its content first and indexes it
    /// after, so a search finds what is indexed (complete for a cache searched without an index).
    func searchIndexProgress() throws -> SearchIndexProgress

    // MARK: Muted members
    /// The members whose posts and comments are hidden everywhere (lists, threads, search,
    /// counts), with when each was muted.
    func mutedMembers() throws -> [Member.ID: Date]
    /// Mutes or unmutes a member; muting one the cache does not have is an error.
    func setMuted(_ muted: Bool, member: Member.ID) throws

    // MARK: Content in and out
    /// Posts and unread posts by source and category (muted members' posts left out), from
    /// kept counts: the sources screen asks on every change.
    func sourceCounts() throws -> [SourceCount]
    /// Forgets a source: it is no longer synced. Its posts stay in the cache, with their state.
    /// Throws when there is no source with that id.
    func removeSource(_ id: Source.ID) throws
    /// Everything, for `agora export`.
    func exportContent() throws -> CacheContent

    /// The community at a glance (`agora stats`).
    func communityStats() throws -> CommunityStats
}

extension CommunityStore {
    public func member(_ id: Member.ID) throws -> MemberProfile { try member(id, limit: 100) }

    public func searchIndexProgress() throws -> SearchIndexProgress { .complete }

    public func communityStats() throws -> CommunityStats {
        let content = try exportContent()
        return CommunityStats.of(content, unread: { content.postStates[$0]?.read != true })
    }

    public func knownMembers(_ ids: [Member.ID]) throws -> Set<Member.ID> {
        Set(ids.filter { (try? member($0, limit: 0)) != nil })
    }

    public func holders(of ids: [String]) throws -> [String: Holder] {
        guard !ids.isEmpty else { return [:] }
        let wanted = Set(ids)
        let content = try exportContent()
        var out: [String: Holder] = [:]
        for post in content.posts where wanted.contains(post.id.rawValue) { out[post.id.rawValue] = Holder(post: post.id, isComment: false) }
        for comment in content.comments where wanted.contains(comment.id.rawValue) {
            out[comment.id.rawValue] = Holder(post: comment.post, isComment: true)
        }
        return out
    }

    public func knownReplies(of post: Post.ID) throws -> [Comment.ID: String?] {
        guard let detail = try? self.post(post) else { return [:] }
        return Dictionary(detail.comments.map { ($0.comment.id, $0.comment.link) }, uniquingKeysWith: { a, _ in a })
    }

    public func memberCount(country: String?) throws -> Int { try memberCount(MemberQuery(country: country)) }

    public func quickSearch(_ query: SearchQuery, kinds: Set<SearchKind>, limit: Int, offset: Int) throws -> SearchResults {
        try search(query, kinds: kinds, limit: limit, offset: offset)
    }

    public func searchCounts(_ query: SearchQuery, kinds: Set<SearchKind>) throws -> [SearchKind: Int] {
        try search(query, kinds: kinds, limit: 0, offset: 0).totals
    }

    public func search(_ query: SearchQuery, kinds: Set<SearchKind>, limit: Int) throws -> SearchResults {
        try search(query, kinds: kinds, limit: limit, offset: 0)
    }

    public func search(_ text: String, limit: Int = 20) throws -> SearchResults {
        try search(SearchQuery(text), kinds: Set(SearchKind.allCases), limit: limit)
    }

    public func search(_ text: String, kinds: Set<SearchKind>, limit: Int) throws -> SearchResults {
        try search(SearchQuery(text), kinds: kinds, limit: limit)
    }

    public func nextUnread(_ search: UnreadSearch) throws -> (index: Int, post: PostSummary)? {
        if search.isPlainList { return try nextUnread(after: search.after, forward: search.forward) }
        // Window by window from that position, until an unread post or the end of the list.
        let total = try counts(search.filter).total
        let size = 500
        var start = search.from
        while start >= 0 && start < total {
            let offset = search.forward ? start : max(0, start - size + 1)
            let rows = try posts(PostQuery(filter: search.filter, sort: search.sort, offset: offset, limit: size))
            if rows.isEmpty { break }
            let positions = search.forward ? Array(max(start, offset)..<(offset + rows.count))
                : Array((offset...min(start, offset + rows.count - 1)).reversed())
            if let hit = positions.first(where: { !rows[$0 - offset].state.read }) { return (hit, rows[hit - offset]) }
            start = search.forward ? offset + size : offset - 1
        }
        return nil
    }
}

/// A whole community with its reader state: what a JSON cache file holds, what an import brings
/// and what an export writes.
public struct CacheContent: Sendable, Equatable {
    public var community: Community?
    public var sources: [Source]
    public var members: [Member]
    public var posts: [Post]
    public var comments: [Comment]
    public var postStates: [Post.ID: PostState]
    public var commentStates: [Comment.ID: CommentState]
    public var journal: [JournalEntry]
    /// Members whose posts and comments the reader has hidden, with when: reader state, merged
    /// on import like read marks (muted in either stays muted).
    public var muted: [Member.ID: Date]
    /// How many dates the check at the way in left out (see `ContentCheck`); not content.
    var droppedDates = 0

    public init(
        community: Community? = nil, sources: [Source] = [], members: [Member] = [],
        posts: [Post] = [], comments: [Comment] = [], postStates: [Post.ID: PostState] = [:],
        commentStates: [Comment.ID: CommentState] = [:], journal: [JournalEntry] = [], muted: [Member.ID: Date] = [:]
    ) {
        self.community = community
        self.sources = sources
        self.members = members
        self.posts = posts
        self.comments = comments
        self.postStates = postStates
        self.commentStates = commentStates
        self.journal = journal
        self.muted = muted
    }
}

public struct Statistics: Hashable, Sendable, Codable {
    public var posts: Int
    public var unread: Int
    public var starred: Int
    public var members: Int
    public var comments: Int

    public init(posts: Int, unread: Int, starred: Int, members: Int, comments: Int) {
        self.posts = posts
        self.unread = unread
        self.starred = starred
        self.members = members
        self.comments = comments
    }
}

/// How an import went, per kind of record.
public struct ImportSummary: Hashable, Sendable, Codable {
    public struct Counts: Hashable, Sendable, Codable {
        public var added = 0
        public var updated = 0
        public var unchanged = 0

        public init(added: Int = 0, updated: Int = 0, unchanged: Int = 0) {
            self.added = added
            self.updated = updated
            self.unchanged = unchanged
        }
    }

    public var members = Counts()
    public var posts = Counts()
    public var comments = Counts()
    /// Dates outside 1970-9999 (or not numbers at all) that were left out rather than stored.
    public var droppedDates = 0
    /// Reader state the import brought that the cache did not have: posts now read, posts now
    /// starred, comments now read (state is merged: nothing is ever made unread).
    public var postsMarkedRead = 0
    public var postsStarred = 0
    public var commentsMarkedRead = 0
    public var membersMuted = 0
    /// Muted members the import named that the cache does not have (left out).
    public var mutesLeftOut = 0

    public init(members: Counts = Counts(), posts: Counts = Counts(), comments: Counts = Counts()) {
        self.members = members
        self.posts = posts
        self.comments = comments
    }
}

extension ImportSummary.Counts {
    mutating func count(existing: Bool, changed: Bool) {
        if !existing { added += 1 } else if changed { updated += 1 } else { unchanged += 1 }
    }
}
