import AgoraKit
import TerminalCore

/// An open article and the reader's place in it.
public struct ArticleModel: Hashable, Sendable {
    public var document: ArticleDocument
    public var scroll = 0
    /// The comment `[` and `]` last went to; `a` goes to its author.
    public var currentComment: Int?
    /// The member whose name on the who-commented line `[` and `]` last went to (then no
    /// comment is chosen): Enter and `a` open their profile. A member, not a place on the line,
    /// so that it stays right when the line changes (a member muted).
    public var chosenMember: Member.ID?

    /// Where the chosen name is on the who-commented line, if it is still there.
    public var chosenCommenter: Int? { chosenMember.flatMap { m in document.commenterStops.firstIndex { $0.member == m } } }
    /// The search it was opened from: its words are marked, n and N step through them.
    public var match: SearchQuery?
    /// The post had been read before it was opened: its unread replies came in since, and `n`
    /// goes through them (in a post not read before, every reply is unread and `n` goes on).
    public var readBefore = false

    /// The lines with a match, in order.
    public var matchLines: [Int] {
        guard let match else { return [] }
        return document.lines.indices.filter { index in
            !match.highlights(in: document.lines[index].pieces.map(\.text).joined()).isEmpty
        }
    }

    public init(document: ArticleDocument) { self.document = document }

    public var id: Post.ID { document.detail.post.id }

    /// The author `a` goes to: the chosen comment's, else the post's.
    var chosenAuthor: Member.ID? {
        if let name = chosenCommenter { return document.commenterStops[name].member }
        guard let comment = currentComment else { return document.detail.post.author }
        return document.detail.comments[comment].comment.author
    }

    /// The member the reader is looking at here: the chosen comment's author, else the post's.
    var memberInView: (id: Member.ID, name: String, country: String?)? {
        let detail = document.detail
        if let name = chosenCommenter {
            let stop = document.commenterStops[name]
            return (stop.member, stop.name, nil)
        }
        if let comment = currentComment, let author = detail.comments[comment].comment.author {
            return (author, detail.comments[comment].comment.authorName ?? author.rawValue, nil)
        }
        guard let author = detail.post.author else { return nil }
        return (author, detail.author?.name ?? author.rawValue, detail.author?.country)
    }

    /// Opened from search: its words are marked, and the reader starts at the comment found or
    /// the first line with a match.
    mutating func show(match query: SearchQuery, comment: Comment.ID?, visible: Int) {
        match = query
        let last = max(0, document.lines.count - visible)
        if let comment, let index = document.detail.comments.firstIndex(where: { $0.id == comment }) {
            currentComment = index
            scroll = max(0, min(document.commentStarts[index], last))
        } else if let line = matchLines.first {
            scroll = max(0, min(line - 2, last))
        }
    }

    /// The next (or previous) line with a match after the top line, round again at the end:
    /// its number among them and how many there are; nil when no line has one.
    mutating func stepMatch(_ step: Int, visible: Int) -> (number: Int, count: Int)? {
        let lines = matchLines
        guard !lines.isEmpty else { return nil }
        let anchor = scroll + 2
        let next = step > 0 ? (lines.first { $0 > anchor } ?? lines[0]) : (lines.last { $0 < anchor } ?? lines[lines.count - 1])
        scroll = max(0, min(next - 2, max(0, document.lines.count - visible)))
        return ((lines.firstIndex(of: next) ?? 0) + 1, lines.count)
    }

    mutating func scroll(by delta: Int, visible: Int) {
        let maxScroll = max(0, document.lines.count - visible)
        let (sum, overflow) = scroll.addingReportingOverflow(delta)
        scroll = overflow ? (delta > 0 ? maxScroll : 0) : max(0, min(maxScroll, sum))
        // Scrolling by hand leaves the comment (or name) that was chosen once it is off screen.
        if let current = currentComment {
            let line = document.commentStarts[current]
            if line < scroll || line >= scroll + visible { currentComment = nil }
        }
        if chosenMember != nil {
            let line = chosenCommenter.map { document.commenterStops[$0].line } ?? -1
            if line < scroll || line >= scroll + visible { chosenMember = nil }
        }
    }

    /// The replies that were new when the post was opened (not read before), in the order shown,
    /// folded ones and muted members' left out.
    var newReplies: [Int] {
        let comments = document.detail.comments
        return document.commentStarts.indices.filter {
            !document.hidden.contains($0) && !comments[$0].state.read && !document.detail.isMuted(comments[$0])
        }
    }

    /// `n` in a post: the next new reply after the chosen comment (or from the top of the
    /// screen). Its number among the new ones and how many there are; nil when none is below.
    mutating func stepToNew(visible: Int) -> (number: Int, count: Int)? {
        guard readBefore else { return nil }
        let starts = document.commentStarts
        let new = newReplies
        let from = currentComment.map { starts[$0] } ?? scroll - 1
        guard let next = new.first(where: { starts[$0] > from }) else { return nil }
        currentComment = next
        chosenMember = nil
        scroll = max(0, min(starts[next], max(0, document.lines.count - visible)))
        return ((new.firstIndex(of: next) ?? 0) + 1, new.count)
    }

    /// Where `[` and `]` stop: each name on the who-commented line, then each comment on screen.
    private enum Stop: Equatable { case name(Int), comment(Int) }

    mutating func stepComment(_ step: Int, visible: Int) {
        let starts = document.commentStarts
        // Folded threads are stepped over: only the comments on screen are gone to.
        let stops = document.commenterStops.indices.map(Stop.name) + starts.indices.filter { !document.hidden.contains($0) }.map(Stop.comment)
        func line(_ stop: Stop) -> Int {
            switch stop {
            case .name(let i): document.commenterStops[i].line
            case .comment(let i): starts[i]
            }
        }
        let current: Stop? = chosenCommenter.map(Stop.name) ?? currentComment.map(Stop.comment)
        let next: Stop?
        if let current, let at = stops.firstIndex(of: current) {
            next = stops.indices.contains(at + step) ? stops[at + step] : nil
        } else if let current, step > 0, let after = stops.first(where: { line($0) > line(current) }) {
            // From a comment now inside a folded thread: the first stop after it.
            next = after
        } else if step > 0 {
            next = stops.first { line($0) > scroll } ?? stops.last
        } else {
            next = stops.last { line($0) < scroll }
        }
        guard let next else { return }
        switch next {
        case .name(let i): chosenMember = document.commenterStops[i].member; currentComment = nil
        case .comment(let i): currentComment = i; chosenMember = nil
        }
        let top = line(next)
        // A name is shown with the heading above it.
        scroll = max(0, min(top - (chosenCommenter == nil ? 0 : 2), max(0, document.lines.count - visible)))
    }

    /// The comment folding works on: the chosen one, else the first on screen.
    private func foldTarget() -> Int? {
        if let current = currentComment { return current }
        let starts = document.commentStarts
        return starts.indices.first { !document.hidden.contains($0) && starts[$0] >= scroll }
    }

    /// Folds the replies of the chosen comment (or, when it has none, of the comment it
    /// answers), or unfolds them. Returns what changed, in words, and the folds to keep.
    mutating func toggleFold(visible: Int) -> String {
        guard var index = foldTarget() else { return "No comments to fold." }
        let comments = document.detail.comments
        if document.replies(of: index).all == 0 {
            // A leaf: its thread is the one above it.
            guard let parent = comments[..<index].lastIndex(where: { $0.depth < comments[index].depth }) else {
                return "This comment has no replies to fold."
            }
            index = parent
        }
        var folded = document.folded
        let id = comments[index].id
        let replies = document.replies(of: index)
        let message: String
        if folded.contains(id) {
            folded.remove(id)
            message = "Unfolded \(replies.all) \(replies.all == 1 ? "reply" : "replies")."
        } else {
            folded.insert(id)
            message = "Folded \(replies.all) \(replies.all == 1 ? "reply" : "replies")."
        }
        refold(folded, at: index, visible: visible)
        return message
    }

    /// Every thread folded to its first comment, or (when they all are) every one unfolded.
    mutating func toggleFoldAll(visible: Int) -> String {
        let comments = document.detail.comments
        let roots = comments.indices.filter { comments[$0].depth == 0 && document.replies(of: $0).all > 0 }
        guard !roots.isEmpty else { return "No replies to fold." }
        let ids = Set(roots.map { comments[$0].id })
        let allFolded = ids.isSubset(of: document.folded)
        // The comments in view: at the chosen one's thread, else at the first comment.
        refold(allFolded ? [] : ids, at: currentComment.map { i in roots.last { $0 <= i } ?? i } ?? 0, visible: visible)
        return allFolded ? "Every thread unfolded." : "Folded \(roots.count) \(roots.count == 1 ? "thread" : "threads") to their first comments."
    }

    /// Quoted text and signatures shown whole or folded, the reader kept on the same comment.
    mutating func requote(open: Bool, visible: Int) {
        document = document.requoted(open: open)
        if let current = currentComment, document.commentStarts.indices.contains(current) {
            scroll = max(0, min(document.commentStarts[current], max(0, document.lines.count - visible)))
        } else {
            scroll = max(0, min(scroll, max(0, document.lines.count - visible)))
        }
    }

    private mutating func refold(_ folded: Set<Comment.ID>, at index: Int?, visible: Int) {
        document = document.refolded(folded)
        if let index {
            currentComment = index
            scroll = max(0, min(document.commentStarts[index], max(0, document.lines.count - visible)))
        } else {
            scroll = max(0, min(scroll, max(0, document.lines.count - visible)))
        }
    }

    /// Lays the article out for a new width, keeping the reader at the same place in it.
    mutating func relayout(width: Int, visible: Int) {
        guard width != document.width else {
            scroll = max(0, min(scroll, max(0, document.lines.count - visible)))
            return
        }
        let fraction = document.lines.isEmpty ? 0 : Double(scroll) / Double(document.lines.count)
        document = document.relaid(width: width)
        if let current = currentComment, document.commentStarts.indices.contains(current) {
            scroll = document.commentStarts[current]
        } else {
            scroll = Int((fraction * Double(document.lines.count)).rounded())
        }
        scroll = max(0, min(scroll, max(0, document.lines.count - visible)))
    }
}
