import Foundation
import GRDB

// Typed column access and the one decoder per record that every query shares. Each SELECT
// lists its columns in the order the decoder reads them (the *Columns strings below).

extension Row {
    func text(_ i: Int) -> String { self[i] ?? "" }
    func optionalText(_ i: Int) -> String? { self[i] }
    func int(_ i: Int) -> Int { self[i] ?? 0 }
    func optionalInt(_ i: Int) -> Int? { self[i] }
    func bool(_ i: Int) -> Bool { self[i] ?? false }
    func date(_ i: Int) -> Date? {
        let seconds: Double? = self[i]
        return seconds.map(Date.init(timeIntervalSince1970:))
    }
}

enum SQLiteRows {
    /// A post's content, body included: needs `LEFT JOIN postBody b ON b.post = p.rowid`.
    /// Reader state (`stateColumns`) needs `JOIN postState s ON s.post = p.rowid`.
    static let postColumns = """
        p.id, p.source, p.kind, p.title, p.author, p.authorName, p.published, p.updated,
        p.category, p.tags, p.views, p.link, b.html
        """
    static let postColumnCount = 13

    static func post(_ row: Row, at i: Int = 0) -> Post {
        Post(
            id: Post.ID(row.text(i)),
            source: row.optionalText(i + 1).map { Source.ID($0) },
            kind: Post.Kind(rawValue: row.text(i + 2)) ?? .blogPost,
            title: row.text(i + 3),
            author: row.optionalText(i + 4).map { Member.ID($0) },
            authorName: row.optionalText(i + 5),
            published: row.date(i + 6),
            updated: row.date(i + 7),
            category: row.optionalText(i + 8),
            tags: splitTags(row.optionalText(i + 9)),
            views: row.optionalInt(i + 10),
            body: row.text(i + 12),
            link: row.optionalText(i + 11))
    }

    static let stateColumns = "s.isRead, s.readAt, s.isStarred"

    static func state(_ row: Row, at i: Int) -> PostState {
        PostState(read: row.bool(i), readAt: row.date(i + 1), starred: row.bool(i + 2))
    }

    /// A list row: everything but the body.
    /// The author's name is the member's, where the author is a member, else the source's.
    static let summaryColumns = """
        p.id, p.kind, p.title, p.author,
        coalesce((SELECT m.name FROM member m WHERE m.id = p.author), p.authorName),
        p.published, p.views, p.commentCount,
        p.category, p.tags, s.isRead, s.readAt, s.isStarred
        """
    static let summaryColumnCount = 13

    static func summary(_ row: Row, at i: Int = 0) -> PostSummary {
        PostSummary(
            id: Post.ID(row.text(i)),
            kind: Post.Kind(rawValue: row.text(i + 1)) ?? .blogPost,
            title: row.text(i + 2),
            author: row.optionalText(i + 3).map { Member.ID($0) },
            authorName: row.optionalText(i + 4),
            published: row.date(i + 5),
            views: row.optionalInt(i + 6),
            commentCount: row.int(i + 7),
            category: row.optionalText(i + 8),
            tags: splitTags(row.optionalText(i + 9)),
            state: state(row, at: i + 10))
    }

    static func splitTags(_ joined: String?) -> [String] {
        guard let joined, !joined.isEmpty else { return [] }
        return joined.split(separator: "\u{1F}").map(String.init)
    }

    static func joinTags(_ tags: [String]) -> String { tags.joined(separator: "\u{1F}") }

    static let commentColumns = "c.id, c.post, c.parent, c.author, c.authorName, c.published, c.body, c.isRead, c.readAt"

    static func comment(_ row: Row) -> Comment {
        Comment(
            id: Comment.ID(row.text(0)),
            post: Post.ID(row.text(1)),
            parent: row.optionalText(2).map { Comment.ID($0) },
            author: row.optionalText(3).map { Member.ID($0) },
            authorName: row.optionalText(4),
            published: row.date(5),
            body: row.text(6))
    }

    static func commentItem(_ row: Row, postTitle: String? = nil) -> CommentItem {
        CommentItem(comment: comment(row), state: CommentState(read: row.bool(7), readAt: row.date(8)), postTitle: postTitle)
    }

    static let memberColumns = """
        m.id, m.name, m.country, m.countryCode, m.location, m.joined, m.role, m.state, m.bio,
        m.profile, m.avatarPath, m.wall
        """

    static func member(_ row: Row) -> Member {
        let profile = row.optionalText(9).flatMap {
            try? JSONDecoder().decode([Member.ProfileAnswer].self, from: Data($0.utf8))
        } ?? []
        return Member(
            id: Member.ID(row.text(0)),
            name: row.text(1),
            country: row.optionalText(2),
            countryCode: row.optionalText(3),
            location: row.optionalText(4),
            joined: row.date(5),
            role: Member.Role(rawValue: row.text(6)) ?? .member,
            state: Member.State(rawValue: row.text(7)) ?? .active,
            bio: row.optionalText(8),
            profile: profile,
            avatarPath: row.optionalText(10),
            wall: row.optionalText(11).flatMap { try? JSONDecoder().decode([Member.WallComment].self, from: Data($0.utf8)) } ?? [])
    }

    static let memberSummaryColumns = "m.id, m.name, m.country, m.countryCode, m.role, m.postCount"

    static func memberSummary(_ row: Row) -> MemberSummary {
        MemberSummary(
            id: Member.ID(row.text(0)),
            name: row.text(1),
            country: row.optionalText(2),
            countryCode: row.optionalText(3),
            role: Member.Role(rawValue: row.text(4)) ?? .member,
            postCount: row.int(5))
    }

    static let sourceColumns = "id, kind, name, location, etag, lastModified, lastSync, lastStatus, retryAfter"

    static func source(_ row: Row) -> Source {
        Source(
            id: Source.ID(row.text(0)),
            kind: Source.Kind(rawValue: row.text(1)) ?? .agoraJSON,
            name: row.text(2),
            location: row.optionalText(3),
            etag: row.optionalText(4),
            lastModified: row.optionalText(5),
            lastSync: row.date(6),
            lastStatus: row.optionalText(7),
            retryAfter: row.date(8))
    }

    static let journalColumns = "token, action, date, scope, count, undone"

    static func journalEntry(_ row: Row) -> JournalEntry {
        JournalEntry(
            token: row.int(0),
            action: JournalEntry.Action(rawValue: row.text(1)) ?? .markAllRead,
            date: row.date(2) ?? Date(timeIntervalSince1970: 0),
            scope: row.text(3),
            count: row.int(4),
            undone: row.bool(5))
    }
}
