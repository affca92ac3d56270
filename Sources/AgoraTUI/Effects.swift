import AgoraKit

/// Side effects, as values: the program's loop does them against the store and answers with
/// `Action.loaded`.
public enum Effect: Hashable, Sendable {
    /// A window of the post list; the counts come apart (`countPosts`), when they can change.
    case loadPosts(offset: Int, limit: Int, filter: PostFilter = .all, sort: PostSort = .newest)
    /// How many posts (and unread) a filter shows: asked when the filter or the data changes.
    case countPosts(PostFilter)
    case loadMembers(offset: Int, limit: Int, name: String? = nil, country: String? = nil, sort: MemberSort = .name)
    /// How many members each country has, for the roster grouped by country.
    case loadCountries
    /// A search as it is typed (a quick one: see `CommunityStore.quickSearch`).
    case search(SearchQuery, limit: Int)
    /// The exact counts a quick search left for after the frame.
    case countSearch(SearchQuery)
    /// The community's counts, for the at-a-glance screen.
    case loadStats
    /// The sources and their counts, for the header, the post list's title and the sources screen.
    case loadSources
    case openPost(Post.ID)
    /// The open post again, after a sync or another process changed the cache.
    case reloadPost(Post.ID)
    case openMember(Member.ID)
    case setRead(Post.ID, Bool)
    case setStarred(Post.ID, Bool)
    /// Comments seen on opening their post: they are no longer new next time.
    case markCommentsRead([Comment.ID])
    case markAllRead(PostFilter = .all)
    case undo
    /// The nearest unread post from a position of the list on screen, forwards or backwards.
    case findUnread(UnreadSearch)
    case openURL(String)
    /// Mutes the member, or unmutes one who is muted.
    case toggleMute(Member.ID, name: String)
    /// Bring every source up to date (or only this one) in the background (the loop runs it
    /// on a thread of its own).
    case sync(Source.ID? = nil)
    /// The rest of a long thread laid out, once its first comments are on screen.
    case completeArticle(ArticleDocument)
}

extension Effect {
    /// A write of reader state that the screen already shows.
    public var isStateWrite: Bool {
        switch self {
        case .setRead, .setStarred, .markCommentsRead: true
        default: false
        }
    }

    /// Work outside the cache (a background sync, a link opened): done when asked.
    public var isOutsideTheStore: Bool {
        switch self {
        case .sync, .openURL: true
        default: false
        }
    }

    /// A read whose answer the frame need not wait for: done once the frame is up, as writes are
    /// (a search's exact counts; the sources, which only the header and the sources screen show,
    /// a frame later).
    public var isAfterFrame: Bool {
        switch self {
        case .countSearch, .loadSources, .completeArticle: true
        default: false
        }
    }
}

/// What came back from an effect.
public enum Loaded: Hashable, Sendable {
    /// Rows of the post list; counts when the effect asked for them.
    case posts(offset: Int, rows: [PostSummary], counts: PostCounts?)
    case postCounts(PostCounts)
    case members(offset: Int, rows: [MemberSummary], total: Int)
    case countries([String: Int])
    case searchResults(for: SearchQuery, SearchResults)
    case searchCounts(for: SearchQuery, [SearchKind: Int])
    case stats(CommunityStats)
    case sources([Source], [SourceCount])
    case muteChanged(Member.ID, name: String, muted: Bool)
    case post(PostDetail)
    /// The open post as the cache has it now (`reloadPost`).
    case postReloaded(PostDetail)
    /// A long thread with every comment laid out (`Effect.completeArticle`).
    case articleCompleted(ArticleDocument)
    case member(MemberProfile)
    /// A link that names a member of the cache (a forum's mention): their profile, opened as a
    /// jump from the article (Esc comes back).
    case linkedMember(MemberProfile)
    /// A topic of the cache that a link in a post named: opened here (Esc goes back).
    case linkedPost(PostDetail)
    case markedAllRead(JournalEntry)
    case undone(UndoResult)
    case unreadFound(index: Int, post: PostSummary)
    case noUnread(forward: Bool)
    case message(String)
    /// How a background sync is going, and how it ended.
    case syncProgress(SyncNews)
    case syncFinished(SyncNews)
}

/// What a background sync has done so far: sources done of all, posts new, sources failed.
public struct SyncNews: Hashable, Sendable {
    public var done: Int
    public var total: Int
    public var new: Int
    public var failed: Int
    /// New replies (a forum's).
    public var newReplies: Int
    /// How the source being synced is getting on, when it says ("forum: 12/40 topics").
    public var detail: String?

    public init(done: Int, total: Int, new: Int, failed: Int, newReplies: Int = 0, detail: String? = nil) {
        self.done = done
        self.total = total
        self.new = new
        self.failed = failed
        self.newReplies = newReplies
        self.detail = detail
    }
}
