import AgoraKit
import TerminalCore

/// An open profile: the member, the lines above their list, and the list of their posts,
/// comments and wall with the one selected.
public struct ProfileModel: Hashable, Sendable {
    public struct Item: Hashable, Sendable {
        public enum Kind: Hashable, Sendable { case post, comment, wall }

        /// The post it opens; nil for a comment on the member's wall, which is on no post.
        public var post: Post.ID?
        public var text: String
        /// The date, as the config's format writes it.
        public var date: String
        public var kind: Kind

        var marker: String {
            switch kind {
            case .post: "p"
            case .comment: "c"
            case .wall: "w"
            }
        }
    }

    public struct HeaderLine: Hashable, Sendable {
        public var text: String
        public var role: Role
    }

    public var profile: MemberProfile
    public var items: [Item]
    public var selected = 0
    public var top = 0
    /// Lines above the list of posts and comments, the bio wrapped to the pane's width.
    public private(set) var headerLines: [HeaderLine]
    private let dateFormat: DateFormat
    private let openKey: String

    /// `openKey` is the key that opens an entry, as the heading names it; `width`, the pane's,
    /// for the bio, which is shown whole.
    public init(profile: MemberProfile, dateFormat: DateFormat = .standard, openKey: String = "Enter", width: Int = 80) {
        self.profile = profile
        self.dateFormat = dateFormat
        self.openKey = openKey
        headerLines = Self.header(profile, dateFormat: dateFormat, openKey: openKey, width: width)
        items = profile.posts.map { Item(post: $0.id, text: $0.title, date: dateFormat.string($0.published), kind: .post) }
            + Self.threads(profile.comments).map { thread in
                Item(post: thread.post, text: (thread.count > 1 ? "\(thread.count) comments on " : "on ") + thread.title,
                     date: dateFormat.string(thread.newest.comment.published), kind: .comment)
            }
            + profile.member.wall.map { c in
                let text = Self.oneLine(HTMLRenderer.render(c.body).plainText)
                return Item(post: nil, text: (c.authorName ?? c.author?.rawValue ?? "someone") + ": " + text,
                            date: dateFormat.string(c.published), kind: .wall)
            }
    }

    public var selectedItem: Item? { items.indices.contains(selected) ? items[selected] : nil }

    /// The threads a member commented in, newest first, with how many of their comments each holds.
    static func threads(_ comments: [CommentItem]) -> [(post: Post.ID, title: String, count: Int, newest: CommentItem)] {
        var out: [(post: Post.ID, title: String, count: Int, newest: CommentItem)] = []
        var place: [Post.ID: Int] = [:]
        for item in comments {
            if let at = place[item.comment.post] {
                out[at].count += 1
            } else {
                place[item.comment.post] = out.count
                out.append((item.comment.post, item.postTitle ?? item.comment.post.rawValue, 1, item))
            }
        }
        return out
    }

    static func oneLine(_ text: String) -> String { String(text.map { $0 == "\n" ? " " : $0 }) }

    /// The bio wrapped again to a new width (after a resize).
    mutating func relayout(width: Int, visible: Int) {
        headerLines = Self.header(profile, dateFormat: dateFormat, openKey: openKey, width: width)
        keepVisible(visible)
    }

    static func header(_ profile: MemberProfile, dateFormat: DateFormat, openKey: String, width: Int) -> [HeaderLine] {
        let m = profile.member
        let hasItems = !profile.posts.isEmpty || !profile.comments.isEmpty || !m.wall.isEmpty
        var lines = [HeaderLine(text: m.name, role: .profileName)]
        var facts: [String] = []
        if let country = m.country { facts.append(country) }
        if let location = m.location { facts.append(location) }
        facts.append(m.role.rawValue + (m.state == .active ? "" : ", " + m.state.rawValue))
        if let joined = m.joined { facts.append("joined " + dateFormat.string(joined)) }
        lines.append(HeaderLine(text: facts.joined(separator: " · "), role: .profileLabel))
        lines.append(HeaderLine(text: plural(profile.postCount, "post") + " · " + plural(profile.commentCount, "comment"), role: .profileLabel))
        if profile.muted {
            lines.append(HeaderLine(text: "Muted: hidden everywhere but here.", role: .heading))
        }
        // What the profile says (a Ning profile's questions, a list member's addresses), each wrapped.
        for answer in m.profile where !answer.answer.isEmpty {
            let text = Sanitizer.line(answer.question) + ": " + Sanitizer.line(answer.answer)
            lines += Wrap.lines(text, width: max(8, width)).map { HeaderLine(text: $0, role: .profileLabel) }
        }
        if let bio = m.bio {
            // Whole, wrapped: paragraph by paragraph, a blank line between them.
            let paragraphs = HTMLRenderer.render(bio).plainText.components(separatedBy: "\n")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for (index, paragraph) in paragraphs.enumerated() {
                if index > 0 { lines.append(HeaderLine(text: "", role: .body)) }
                lines += Wrap.lines(paragraph, width: max(8, width)).map { HeaderLine(text: $0, role: .body) }
            }
        }
        lines.append(HeaderLine(text: "", role: .body))
        let heading = (m.wall.isEmpty ? "Posts and comments" : "Posts, comments and wall") + " (\(openKey) opens)"
        lines.append(HeaderLine(text: hasItems ? heading : "No posts or comments.", role: .heading))
        return lines
    }

    func listTop(visible: Int) -> Int { min(headerLines.count, max(0, visible - 3)) }

    mutating func select(_ index: Int, visible: Int) {
        selected = max(0, min(items.count - 1, index))
        keepVisible(visible)
    }

    mutating func keepVisible(_ visible: Int) {
        let rows = max(1, visible - listTop(visible: visible))
        if selected < top { top = selected }
        if selected >= top + rows { top = selected - rows + 1 }
        top = max(0, min(top, max(0, items.count - rows)))
    }

    func index(atRow row: Int) -> Int? {
        let first = headerLines.count
        let index = top + row - first
        return row >= first && items.indices.contains(index) ? index : nil
    }
}

/// "1 post", "3 comments".
func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }

func plural(_ count: Int, _ one: String, _ many: String) -> String { "\(count) \(count == 1 ? one : many)" }
