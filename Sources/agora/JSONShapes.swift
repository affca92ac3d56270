import AgoraKit
import Foundation

// The shapes `--json` prints. Field names here are a promise (docs/cli.md): they change only
// with a note in the docs, whatever the model inside does.

struct PostJSON: Encodable {
    var id: String
    var kind: String
    var title: String
    var author: String?
    var authorName: String?
    var published: Date?
    var views: Int?
    var comments: Int
    /// Replies that came in since the post was read.
    var newComments: Int
    var category: String?
    var tags: [String]
    var read: Bool
    var readAt: Date?
    var starred: Bool

    init(_ p: PostSummary) {
        newComments = p.newComments
        id = p.id.rawValue
        kind = p.kind.rawValue
        title = p.title
        author = p.author?.rawValue
        authorName = p.authorName
        published = p.published
        views = p.views
        comments = p.commentCount
        category = p.category
        tags = p.tags
        read = p.state.read
        readAt = p.state.readAt
        starred = p.state.starred
    }
}

struct CommentJSON: Encodable {
    var id: String
    var post: String
    var postTitle: String?
    var parent: String?
    var depth: Int
    var author: String?
    var authorName: String?
    var published: Date?
    var read: Bool
    var text: String
    /// A muted member's comment: in its place, with no author and no text.
    var hidden: Bool?

    init(_ item: CommentItem, hidden: Bool) {
        self.init(item)
        guard hidden else { return }
        author = nil
        authorName = nil
        text = ""
        self.hidden = true
    }

    init(_ item: CommentItem) {
        id = item.id.rawValue
        post = item.comment.post.rawValue
        postTitle = item.postTitle
        parent = item.comment.parent?.rawValue
        depth = item.depth
        author = item.comment.author?.rawValue
        authorName = item.comment.authorName
        published = item.comment.published
        read = item.state.read
        text = HTMLRenderer.render(item.comment.body).plainText
    }
}

struct MemberSummaryJSON: Encodable {
    var id: String
    var name: String
    var country: String?
    var countryCode: String?
    var role: String
    var posts: Int

    init(_ m: MemberSummary) {
        id = m.id.rawValue
        name = m.name
        country = m.country
        countryCode = m.countryCode
        role = m.role.rawValue
        posts = m.postCount
    }
}

struct ArticleJSON: Encodable {
    var post: PostJSON
    var link: String?
    var updated: Date?
    var likes: Int?
    var authorCountry: String?
    var text: String
    var links: [String]
    var html: String
    var comments: [CommentJSON]
    /// The source it came from: id, kind and name.
    var source: SourceRef?

    struct SourceRef: Encodable {
        var id: String
        var kind: String
        var name: String
    }

    init(_ detail: PostDetail) {
        let rich = HTMLRenderer.render(detail.post.body)
        post = PostJSON(PostSummary(
            id: detail.post.id, kind: detail.post.kind, title: detail.post.title, author: detail.post.author,
            authorName: detail.author?.name ?? detail.post.authorName, published: detail.post.published,
            views: detail.post.views, commentCount: detail.commentCount, category: detail.post.category,
            tags: detail.post.tags, state: detail.state))
        link = detail.post.link
        updated = detail.post.updated
        likes = detail.post.likes
        authorCountry = detail.author?.country
        text = rich.plainText
        links = rich.links
        html = detail.post.body
        comments = detail.comments.map { CommentJSON($0, hidden: detail.isMuted($0)) }
        source = detail.source.map { SourceRef(id: $0.id.rawValue, kind: $0.kind.rawValue, name: $0.name) }
    }
}

struct MemberJSON: Encodable {
    struct Answer: Encodable {
        var question: String
        var answer: String
    }

    var id: String
    var name: String
    var country: String?
    var countryCode: String?
    var location: String?
    var joined: Date?
    var role: String
    var state: String
    var bio: String?
    var profile: [Answer]
    var postCount: Int
    var commentCount: Int
    var posts: [PostJSON]
    var comments: [CommentJSON]
    var wall: [WallJSON]

    struct WallJSON: Encodable {
        var id: String
        var author: String?
        var authorName: String?
        var published: Date?
        var text: String
    }

    init(_ profile: MemberProfile) {
        let m = profile.member
        id = m.id.rawValue
        name = m.name
        country = m.country
        countryCode = m.countryCode
        location = m.location
        joined = m.joined
        role = m.role.rawValue
        state = m.state.rawValue
        bio = m.bio.map { HTMLRenderer.render($0).plainText }
        self.profile = m.profile.map { Answer(question: $0.question, answer: HTMLRenderer.render($0.answer).plainText) }
        postCount = profile.postCount
        commentCount = profile.commentCount
        posts = profile.posts.map(PostJSON.init)
        comments = profile.comments.map(CommentJSON.init)
        wall = m.wall.map {
            WallJSON(id: $0.id.rawValue, author: $0.author?.rawValue, authorName: $0.authorName, published: $0.published,
                     text: HTMLRenderer.render($0.body).plainText)
        }
    }
}

struct SearchJSON: Encodable {
    struct PostHit: Encodable {
        var post: PostJSON
        var snippet: String
    }

    struct CommentHit: Encodable {
        var id: String
        var post: String
        var postTitle: String
        var authorName: String?
        var snippet: String
    }

    var query: String
    var posts: [PostHit]
    var comments: [CommentHit]
    var members: [MemberSummaryJSON]
    /// What in the query was not understood (and searched without).
    var problems: [String]
    /// How many of each kind match in all, up to 1,000 (1,000 means that many or more).
    var totals: [String: Int]

    init(query: String, _ results: SearchResults) {
        self.query = query
        problems = results.problems
        totals = Dictionary(uniqueKeysWithValues: results.totals.map { ($0.key.rawValue, $0.value) })
        posts = results.posts.map { PostHit(post: PostJSON($0.post), snippet: $0.snippet) }
        comments = results.comments.map {
            CommentHit(id: $0.comment.rawValue, post: $0.post.rawValue, postTitle: $0.postTitle,
                       authorName: $0.authorName, snippet: $0.snippet)
        }
        members = results.members.map(MemberSummaryJSON.init)
    }
}

struct JournalJSON: Encodable {
    var token: Int
    var action: String
    var date: Date
    var scope: String
    var count: Int
    var undone: Bool

    init(_ e: JournalEntry) {
        token = e.token
        action = e.action.rawValue
        date = e.date
        scope = e.scope
        count = e.count
        undone = e.undone
    }
}

struct InfoJSON: Encodable {
    var name: String
    var tagline: String?
    var url: String?
    var links: [Community.Link]
    var linksHeading: String?
    var commentPolicy: String?
    var join: Community.Link?
    var posts: Int
    var unread: Int
    var starred: Int
    var members: Int
    var comments: Int
    var cache: String
    var cacheKind: String

    init(community: Community, statistics: Statistics, cache: String) {
        name = community.name
        tagline = community.tagline
        url = community.url
        links = community.links
        linksHeading = community.linksHeading
        commentPolicy = community.commentPolicy
        join = community.join
        posts = statistics.posts
        unread = statistics.unread
        starred = statistics.starred
        members = statistics.members
        comments = statistics.comments
        self.cache = cache
        cacheKind = Cache.Kind(path: cache).rawValue
    }
}

/// A source as `agora sources --json` gives it: everything the cache keeps of it, and how many
/// posts it has, how many unread, by category where its kind has categories.
struct SourceJSON: Encodable {
    var source: Source
    var tally: SourceTally

    struct CategoryJSON: Encodable {
        var name: String
        var posts: Int
        var unread: Int
    }

    private enum Keys: String, CodingKey { case posts, unread, categories }

    func encode(to encoder: any Encoder) throws {
        try source.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(tally.posts, forKey: .posts)
        try c.encode(tally.unread, forKey: .unread)
        if source.kind.hasCategories {
            try c.encode(tally.categories.map { CategoryJSON(name: $0.category ?? "", posts: $0.posts, unread: $0.unread) }, forKey: .categories)
        }
    }
}
