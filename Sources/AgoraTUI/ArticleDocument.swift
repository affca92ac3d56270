import AgoraKit
import TerminalCore

/// An open post laid out for a width: title, byline, body, links and threaded comments, as
/// lines, with where each comment starts (for `[` and `]`).
public struct ArticleDocument: Hashable, Sendable {
    public var detail: PostDetail
    public var links: [String]
    public var lines: [ArticleLine]
    /// The line each comment starts on, in the order of `detail.comments`.
    public var commentStarts: [Int]
    public var width: Int
    public var dateFormat: DateFormat
    /// Who may comment, shown where comments are (a community whose comments are members-only).
    public var commentPolicy: CommentPolicy?
    /// Comments whose replies are folded away: each shows its first line and how many replies
    /// (and new ones) it holds.
    public private(set) var folded: Set<Comment.ID>
    /// A mail's quoted text and signatures shown whole (`x`), not folded to a line each.
    public private(set) var quotesOpen = false
    /// Whether its quoted text folds at all (its source's kind says: a mailing list's does).
    public var foldsQuotes: Bool { detail.source?.kind.traits.foldsQuotes == true }
    /// Comments (by their place in `detail.comments`) inside a folded thread: not on screen.
    public private(set) var hidden: Set<Int> = []
    /// The members named on the who-commented line, in order, each where it is: `]` and `[`
    /// stop on each before the comments, and Enter (or `a`) opens the one chosen.
    public private(set) var commenterStops: [CommenterStop] = []

    public struct CommenterStop: Hashable, Sendable {
        public var line: Int
        public var member: Member.ID
        public var name: String
        /// The text on the line that is the name ("Marília Maciel (3)"), to mark when chosen.
        public var text: String
    }
    /// The body and each comment's body, parsed once: a new width only wraps them again.
    private let body: RichText
    private let commentBodies: [RichText]

    /// A community's word on who may comment, and where to join (a numbered link).
    public struct CommentPolicy: Hashable, Sendable {
        public var text: String
        public var join: Community.Link?

        public init(text: String, join: Community.Link?) {
            self.text = text
            self.join = join
        }
    }

    /// The article laid out; with `firstComments`, only its first comments parsed and laid
    /// out: what the first frame of a long thread shows, the rest laid out once it is up
    /// (`completed`).
    public init(_ detail: PostDetail, width: Int, dateFormat: DateFormat = .standard, commentPolicy: CommentPolicy? = nil,
                folded: Set<Comment.ID> = [], firstComments: Int? = nil) {
        let comments = firstComments.map { Array(detail.comments.prefix($0)) } ?? detail.comments
        self.init(detail, body: HTMLRenderer.render(detail.post.body),
                  commentBodies: Concurrently.map(comments) { HTMLRenderer.render($0.comment.body) }, width: width, dateFormat: dateFormat,
                  commentPolicy: commentPolicy, folded: folded)
    }

    /// Only the first comments are laid out (`init(firstComments:)`).
    public var isPartial: Bool { commentBodies.count < detail.comments.count }

    /// Every comment laid out: the rest of a partial article parsed, the same width and folds.
    public func completed() -> ArticleDocument {
        guard isPartial else { return self }
        let rest = Concurrently.map(Array(detail.comments.dropFirst(commentBodies.count))) { HTMLRenderer.render($0.comment.body) }
        return ArticleDocument(detail, body: body, commentBodies: commentBodies + rest, width: width, dateFormat: dateFormat,
                               commentPolicy: commentPolicy, folded: folded, quotesOpen: quotesOpen)
    }

    /// The same article laid out for another width.
    public func relaid(width: Int) -> ArticleDocument {
        ArticleDocument(detail, body: body, commentBodies: commentBodies, width: width, dateFormat: dateFormat, commentPolicy: commentPolicy,
                        folded: folded, quotesOpen: quotesOpen)
    }

    /// The same article with other threads folded (nothing parsed again).
    public func refolded(_ folded: Set<Comment.ID>) -> ArticleDocument {
        ArticleDocument(detail, body: body, commentBodies: commentBodies, width: width, dateFormat: dateFormat, commentPolicy: commentPolicy,
                        folded: folded, quotesOpen: quotesOpen)
    }

    /// The same article with its quoted text and signatures shown whole, or folded again.
    public func requoted(open: Bool) -> ArticleDocument {
        ArticleDocument(detail, body: body, commentBodies: commentBodies, width: width, dateFormat: dateFormat, commentPolicy: commentPolicy,
                        folded: folded, quotesOpen: open)
    }

    /// The same article with a member muted or unmuted (nothing parsed again).
    public func muting(_ member: Member.ID, _ muted: Bool) -> ArticleDocument {
        var changed = detail
        if muted, detail.comments.contains(where: { $0.comment.author == member }) { changed.mutedAuthors.insert(member) }
        if !muted { changed.mutedAuthors.remove(member) }
        guard changed != detail else { return self }
        return ArticleDocument(changed, body: body, commentBodies: commentBodies, width: width, dateFormat: dateFormat,
                               commentPolicy: commentPolicy, folded: folded, quotesOpen: quotesOpen)
    }

    /// Text whose spaces do not break a line.
    static func unbroken(_ text: String) -> String { text.replacingOccurrences(of: " ", with: "\u{00A0}") }

    /// How many replies a comment holds (all depths), and how many of them are new.
    public func replies(of index: Int) -> (all: Int, new: Int) { Self.replies(in: detail.comments, of: index) }

    static func replies(in comments: [CommentItem], of index: Int) -> (all: Int, new: Int) {
        guard comments.indices.contains(index) else { return (0, 0) }
        var all = 0, new = 0
        var next = index + 1
        while next < comments.count, comments[next].depth > comments[index].depth {
            all += 1
            if !comments[next].state.read { new += 1 }
            next += 1
        }
        return (all, new)
    }

    private init(_ detail: PostDetail, body rich: RichText, commentBodies: [RichText], width: Int, dateFormat: DateFormat,
                 commentPolicy: CommentPolicy?, folded: Set<Comment.ID>, quotesOpen: Bool = false) {
        self.detail = detail
        self.quotesOpen = quotesOpen
        self.width = max(8, width)
        self.dateFormat = dateFormat
        self.commentPolicy = commentPolicy
        self.folded = folded
        body = rich
        self.commentBodies = commentBodies
        links = rich.links
        var lines: [ArticleLine] = []
        func line(_ text: String, _ role: ArticleStyle.Role, _ emphasis: RichText.Style = []) -> ArticleLine {
            ArticleLine([Wrap.Piece(text, ArticleStyle(role, emphasis))])
        }
        let w = self.width
        for row in Wrap.lines([Wrap.Piece(Sanitizer.line(detail.post.title), ArticleStyle(.title, .bold))], width: w) {
            lines.append(ArticleLine(row))
        }
        for row in Wrap.lines(Sanitizer.line(Self.byline(detail, dateFormat: dateFormat)), width: w) { lines.append(line(row, .byline)) }
        let tags = ([detail.post.category].compactMap { $0 } + detail.post.tags.map { "#" + $0 }).joined(separator: " ")
        if !tags.isEmpty {
            for row in Wrap.lines(Sanitizer.line(tags), width: w) { lines.append(line(row, .byline)) }
        }
        lines.append(ArticleLine([]))
        let folding = !quotesOpen && detail.source?.kind.traits.foldsQuotes == true
        lines += ArticleLayout.lines(rich, width: w, foldingQuotes: folding)
        if !rich.links.isEmpty {
            lines.append(ArticleLine([]))
            lines.append(line("Links", .section, .bold))
            lines += ArticleLayout.linkLines(rich.links, width: w)
        }
        lines.append(ArticleLine([]))
        var starts: [Int] = []
        if detail.comments.isEmpty {
            lines.append(line("No comments.", .section))
        } else {
            // Muted members' comments keep their place in the threads, as "1 hidden".
            let mutedCount = detail.comments.filter(detail.isMuted).count
            let shown = detail.comments.count - mutedCount
            lines.append(line("Comments (\(detail.comments.count)" + (mutedCount > 0 ? ", \(mutedCount) hidden)" : ")"), .section, .bold))
            // Who commented, most first; each member numbered, so that o and the number opens
            // their profile.
            var who: [(name: String, member: Member.ID?, count: Int)] = []
            var place: [String: Int] = [:]
            for item in detail.comments where (item.comment.authorName != "moderation" || item.comment.author != nil) && !detail.isMuted(item) {
                let name = item.comment.authorName ?? item.comment.author?.rawValue ?? "someone"
                let key = item.comment.author?.rawValue ?? "name:" + name
                if let at = place[key] { who[at].count += 1 } else {
                    place[key] = who.count
                    who.append((name, item.comment.author, 1))
                }
            }
            who.sort { ($1.count, $0.name) < ($0.count, $1.name) }
            if !who.isEmpty {
                let members = who.filter { $0.member != nil }.count
                var pieces = [Wrap.Piece(
                    "\(shown) \(shown == 1 ? "comment" : "comments") from "
                        + (members == who.count ? "\(members) \(members == 1 ? "member" : "members")" : "\(who.count) people") + ": ",
                    ArticleStyle(.byline))]
                for (index, person) in who.prefix(8).enumerated() {
                    if index > 0 { pieces.append(Wrap.Piece(", ", ArticleStyle(.byline))) }
                    // A name stays on one row (no-break spaces), so that it can be chosen there.
                    pieces.append(Wrap.Piece(Self.unbroken(Sanitizer.line(person.name) + " (\(person.count))"), ArticleStyle(.commentAuthor)))
                    if let member = person.member {
                        links.append(Source.memberLink(member))
                        pieces.append(Wrap.Piece("[\(links.count)]", ArticleStyle(.text, .linkNumber)))
                    }
                }
                if who.count > 8 { pieces.append(Wrap.Piece(" and \(who.count - 8) more", ArticleStyle(.byline))) }
                let first = lines.count
                // Wrapped with the names unbroken, shown with plain spaces.
                let rows = Wrap.lines(pieces, width: w).map { row in
                    row.map { Wrap.Piece($0.text.replacingOccurrences(of: "\u{00A0}", with: " "), $0.style) }
                }
                for row in rows { lines.append(ArticleLine(row)) }
                // Where each member's name landed, in order along the rows.
                var row = 0
                for person in who.prefix(8) {
                    guard let member = person.member else { continue }
                    let text = Sanitizer.line(person.name) + " (\(person.count))"
                    while row < rows.count, !rows[row].map(\.text).joined().contains(text) { row += 1 }
                    guard row < rows.count else { break }
                    commenterStops.append(CommenterStop(line: first + row, member: member, name: person.name, text: text))
                }
            }
            // Each comment's body laid out at its indent, on every core (a list's thread can be
            // hundreds of messages); the lines are then put in order.
            let laidOut = Concurrently.map(Array(zip(detail.comments, commentBodies))) { [detail] item, body -> [ArticleLine] in
                detail.isMuted(item) ? [] : ArticleLayout.lines(body, width: max(8, w - 2 * min(item.depth, 8)), foldingQuotes: folding)
            }
            var hidden = Set<Int>()
            var foldedDepth: Int?
            for (index, item) in detail.comments.prefix(commentBodies.count).enumerated() {
                // Inside a folded thread: not shown; `[` and `]` go to where the thread is.
                if let depth = foldedDepth, item.depth > depth {
                    hidden.insert(index)
                    starts.append(starts.last ?? lines.count)
                    continue
                }
                foldedDepth = nil
                lines.append(ArticleLine([]))
                starts.append(lines.count)
                let indent = String(repeating: "  ", count: min(item.depth, 8))
                if detail.isMuted(item) {
                    lines.append(ArticleLine([Wrap.Piece(indent, ArticleStyle(.text)),
                                              Wrap.Piece("1 hidden (a muted member's comment)", ArticleStyle(.commentMeta))]))
                    continue
                }
                let who = Sanitizer.line(item.comment.authorName ?? item.comment.author?.rawValue ?? "someone")
                var head: [Wrap.Piece<ArticleStyle>] = [Wrap.Piece(indent, ArticleStyle(.text))]
                if !item.state.read { head.append(Wrap.Piece("N ", ArticleStyle(.commentUnread, .bold))) }
                head.append(Wrap.Piece(who, ArticleStyle(.commentAuthor, .bold)))
                head.append(Wrap.Piece(" · " + dateFormat.string(item.comment.published), ArticleStyle(.commentMeta)))
                lines.append(ArticleLine(head))
                let isFolded = folded.contains(item.id) && Self.replies(in: detail.comments, of: index).all > 0
                var bodyLines = laidOut[index]
                if isFolded { bodyLines = Array(bodyLines.prefix(1)) }
                for body in bodyLines {
                    // A comment's own text has its own role; links, code and quotes in it keep theirs.
                    let pieces = body.pieces.map { piece in
                        piece.style.role == .text && piece.style.emphasis.isDisjoint(with: [.link, .code, .linkNumber])
                            ? Wrap.Piece(piece.text, ArticleStyle(.commentText, piece.style.emphasis)) : piece
                    }
                    lines.append(ArticleLine([Wrap.Piece(indent, ArticleStyle(.text))] + pieces))
                }
                if isFolded {
                    let (all, new) = Self.replies(in: detail.comments, of: index)
                    let text = "▸ \(all) \(all == 1 ? "reply" : "replies")" + (new > 0 ? ", \(new) new" : "")
                    lines.append(ArticleLine([Wrap.Piece(indent + "  ", ArticleStyle(.text)), Wrap.Piece(text, ArticleStyle(.commentMeta, .bold))]))
                    foldedDepth = item.depth
                }
            }
            self.hidden = hidden
            // A partial article: the rest follows once the first frame is up.
            if commentBodies.count < detail.comments.count {
                lines.append(ArticleLine([]))
                lines.append(line("\(detail.comments.count - commentBodies.count) more comments…", .commentMeta))
            }
        }
        if let policy = commentPolicy {
            lines.append(ArticleLine([]))
            for row in Wrap.lines(Sanitizer.line(policy.text), width: w) { lines.append(line(row, .byline)) }
            if let join = policy.join {
                var number = ""
                if let url = join.url {
                    links.append(url)
                    number = "[\(links.count)] "
                }
                for row in Wrap.lines(number + Sanitizer.line(join.title), width: w) { lines.append(line(row, .text, .link)) }
            }
        }
        self.lines = lines
        commentStarts = starts
    }

    /// "by Xu Jing (China) · 2012-12-20 · blog post · from Diplo feed · 146 views · 3 comments"
    public static func byline(_ detail: PostDetail, dateFormat: DateFormat = .standard) -> String {
        var parts: [String] = []
        if let author = detail.author {
            parts.append("by " + author.name + (author.country.map { " (\($0))" } ?? ""))
        } else if let name = detail.post.authorName {
            parts.append("by " + name)
        }
        if detail.post.published != nil { parts.append(dateFormat.string(detail.post.published)) }
        parts.append(detail.post.kind.label)
        // Where it came from, unless that is the community's own record.
        if let source = detail.source, !source.kind.traits.isCommunitysOwn {
            parts.append("from " + source.name + (detail.post.category.map { source.kind.hasCategories ? " › " + $0 : "" } ?? ""))
        }
        if let views = detail.post.views { parts.append("\(views) view" + (views == 1 ? "" : "s")) }
        if let likes = detail.post.likes, likes > 0 { parts.append("\(likes) like" + (likes == 1 ? "" : "s")) }
        parts.append(detail.commentCount == 0 ? "no comments" : "\(detail.commentCount) comment" + (detail.commentCount == 1 ? "" : "s"))
        return parts.joined(separator: " · ")
    }
}
