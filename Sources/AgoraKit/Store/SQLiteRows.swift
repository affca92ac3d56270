import Foundation
import GRDB

// Rows by name, not by position: each record's columns are an enum whose cases list the
// SELECT's columns in order, so the SELECT list is made from the enum and the decoder reads a
// column by its case. A value the model has no case for (a post kind, a role written by a newer
// Agora) is an error that names the row, never a silent default.

/// The columns a decoder reads, in the order the SELECT lists them.
protocol ColumnSet: CaseIterable, RawRepresentable where RawValue == Int, AllCases: RandomAccessCollection {
    /// The column's expression in the SELECT.
    var sql: String { get }
}

extension ColumnSet {
    /// The SELECT list: every column, in order.
    static var select: String { allCases.map(\.sql).joined(separator: ", ") }
    static var count: Int { allCases.count }
}

/// A row read through a set of columns starting at `base`.
struct Columns<C: ColumnSet> {
    let row: Row
    let base: Int

    init(_ row: Row, at base: Int = 0) {
        self.row = row
        self.base = base
    }

    // Each reads through GRDB's throwing decode: a value of the wrong kind (a damaged file, a
    // column another program wrote) is an error that names the column, never a trap.
    func text(_ c: C) throws -> String { try optionalText(c) ?? "" }
    func optionalText(_ c: C) throws -> String? { try read(String.self, c, "text") }
    func int(_ c: C) throws -> Int { try optionalInt(c) ?? 0 }
    func int64(_ c: C) throws -> Int64 { try read(Int64.self, c, "a whole number") ?? 0 }
    func optionalInt(_ c: C) throws -> Int? { try read(Int.self, c, "a whole number") }
    func bool(_ c: C) throws -> Bool { try read(Bool.self, c, "true or false") ?? false }
    func date(_ c: C) throws -> Date? {
        try read(Double.self, c, "a date").map(Date.init(timeIntervalSince1970:))
    }

    /// GRDB's decoding error made one of ours, naming the column by its case: its text is never read.
    private func read<T: DatabaseValueConvertible>(_ type: T.Type, _ c: C, _ expected: String) throws -> T? {
        do {
            return try row.decode(T?.self, atIndex: base + c.rawValue)
        } catch is RowDecodingError {
            throw RowError.wrongType(column: String(describing: c), expected: expected, found: (row[base + c.rawValue] as DatabaseValue).storage.kind)
        }
    }

    /// A column of JSON the cache wrote (a profile's answers, a forum's options): nil when
    /// empty, an error naming the row when it is not what was written.
    func json<T: Decodable>(_ c: C, as type: T.Type, field: String, in record: String, id: String) throws -> T? {
        guard let text = try optionalText(c) else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw RowError.damaged(record: record, id: id, field: field)
        }
    }

    /// A value of an enum the model knows; an error naming the row when it is not one.
    func value<T: RawRepresentable>(_ c: C, of what: String, in record: String, id: String) throws -> T where T.RawValue == String {
        let raw = try text(c)
        guard let value = T(rawValue: raw) else { throw RowError.unknownValue(record: record, id: id, field: what, value: raw) }
        return value
    }
}

/// A row the model cannot take: the store names its cache's path (`AgoraError.badRow`).
typealias RowError = AgoraError.RowProblem
extension AgoraError.RowProblem: Error {}

extension DatabaseValue.Storage {
    /// The kind of value, in words.
    var kind: String {
        switch self {
        case .null: "nothing"
        case .int64: "a number"
        case .double: "a number"
        case .string: "text"
        case .blob: "binary data"
        }
    }
}

enum SQLiteRows {
    /// A post's content, body included: needs `LEFT JOIN postBody b ON b.post = p.rowid`.
    enum PostColumn: Int, ColumnSet {
        case id, source, kind, title, author, authorName, published, updated, category, tags, views, likes, link, body

        var sql: String { self == .body ? "b.html" : "p.\(self)" }
    }

    static func post(_ row: Row, at base: Int = 0) throws -> Post {
        let c = Columns<PostColumn>(row, at: base)
        let id = try c.text(.id)
        return Post(
            id: Post.ID(id),
            source: try c.optionalText(.source).map { Source.ID($0) },
            kind: try c.value(.kind, of: "kind", in: "post", id: id),
            title: try c.text(.title),
            author: try c.optionalText(.author).map { Member.ID($0) },
            authorName: try c.optionalText(.authorName),
            published: try c.date(.published),
            updated: try c.date(.updated),
            category: try c.optionalText(.category),
            tags: splitTags(try c.optionalText(.tags)),
            views: try c.optionalInt(.views),
            likes: try c.optionalInt(.likes),
            body: try c.text(.body),
            link: try c.optionalText(.link))
    }

    /// A post's rowid, read before its other columns where a query needs it (a name lookup per
    /// row would cost more than the row).
    enum PostRowIDColumn: Int, ColumnSet {
        case rowid

        var sql: String { "p.rowid" }
    }

    /// A post's reader state: needs `JOIN postState s ON s.post = p.rowid`.
    enum StateColumn: Int, ColumnSet {
        case isRead, readAt, isStarred

        var sql: String { "s.\(self)" }
    }

    static func state(_ row: Row, at base: Int) throws -> PostState {
        let c = Columns<StateColumn>(row, at: base)
        return PostState(read: try c.bool(.isRead), readAt: try c.date(.readAt), starred: try c.bool(.isStarred))
    }

    /// The name of the member `id` is (SQL, NULL when none), read from the index of ids and
    /// names (schema 9). Asked as a range of one id: asked as an equality, SQLite takes the
    /// unique index of ids and reads each member's row from a page of its own (a screenful of
    /// posts by different authors was fifty pages of the first frame's memory).
    static func memberName(_ id: String) -> String {
        "(SELECT m.name FROM member m WHERE m.id >= \(id) AND m.id <= \(id))"
    }

    /// A list row: everything but the body, and the reader state.
    enum SummaryColumn: Int, ColumnSet {
        case id, kind, title, author, authorName, published, views, commentCount, category, tags, isRead, readAt, isStarred, newReplies

        var sql: String {
            switch self {
            // The member's name, where the author is a member, else the source's.
            case .authorName: "coalesce(\(SQLiteRows.memberName("p.author")), p.authorName)"
            case .isRead, .readAt, .isStarred, .newReplies: "s.\(self)"
            default: "p.\(self)"
            }
        }
    }

    static func summary(_ row: Row, at base: Int = 0) throws -> PostSummary {
        let c = Columns<SummaryColumn>(row, at: base)
        let id = try c.text(.id)
        return PostSummary(
            id: Post.ID(id),
            kind: try c.value(.kind, of: "kind", in: "post", id: id),
            title: try c.text(.title),
            author: try c.optionalText(.author).map { Member.ID($0) },
            authorName: try c.optionalText(.authorName),
            published: try c.date(.published),
            views: try c.optionalInt(.views),
            commentCount: try c.int(.commentCount),
            category: try c.optionalText(.category),
            tags: splitTags(try c.optionalText(.tags)),
            state: try state(row, at: base + SummaryColumn.isRead.rawValue),
            newComments: try c.int(.newReplies))
    }

    static func splitTags(_ joined: String?) -> [String] {
        guard let joined, !joined.isEmpty else { return [] }
        return joined.split(separator: "\u{1F}").map(String.init)
    }

    static func joinTags(_ tags: [String]) -> String { tags.joined(separator: "\u{1F}") }

    enum CommentColumn: Int, ColumnSet {
        case id, post, parent, author, authorName, published, body, link, isRead, readAt

        var sql: String { "c.\(self)" }
    }

    static func comment(_ row: Row) throws -> Comment {
        let c = Columns<CommentColumn>(row)
        return Comment(
            id: Comment.ID(try c.text(.id)),
            post: Post.ID(try c.text(.post)),
            parent: try c.optionalText(.parent).map { Comment.ID($0) },
            author: try c.optionalText(.author).map { Member.ID($0) },
            authorName: try c.optionalText(.authorName),
            published: try c.date(.published),
            body: try c.text(.body),
            link: try c.optionalText(.link))
    }

    static func commentItem(_ row: Row, postTitle: String? = nil) throws -> CommentItem {
        let c = Columns<CommentColumn>(row)
        return CommentItem(comment: try comment(row), state: CommentState(read: try c.bool(.isRead), readAt: try c.date(.readAt)), postTitle: postTitle)
    }

    enum MemberColumn: Int, ColumnSet {
        case id, name, country, countryCode, location, joined, role, state, bio, profile, avatarPath, wall

        var sql: String { "m.\(self)" }
    }

    static func member(_ row: Row) throws -> Member {
        let c = Columns<MemberColumn>(row)
        let id = try c.text(.id)
        return Member(
            id: Member.ID(id),
            name: try c.text(.name),
            country: try c.optionalText(.country),
            countryCode: try c.optionalText(.countryCode),
            location: try c.optionalText(.location),
            joined: try c.date(.joined),
            role: try c.value(.role, of: "role", in: "member", id: id),
            state: try c.value(.state, of: "state", in: "member", id: id),
            bio: try c.optionalText(.bio),
            profile: try c.json(.profile, as: [Member.ProfileAnswer].self, field: "profile", in: "member", id: id) ?? [],
            avatarPath: try c.optionalText(.avatarPath),
            wall: try c.json(.wall, as: [Member.WallComment].self, field: "wall", in: "member", id: id) ?? [])
    }

    enum MemberSummaryColumn: Int, ColumnSet {
        case id, name, country, countryCode, role, postCount

        var sql: String { "m.\(self)" }
    }

    static func memberSummary(_ row: Row) throws -> MemberSummary {
        let c = Columns<MemberSummaryColumn>(row)
        let id = try c.text(.id)
        return MemberSummary(
            id: Member.ID(id),
            name: try c.text(.name),
            country: try c.optionalText(.country),
            countryCode: try c.optionalText(.countryCode),
            role: try c.value(.role, of: "role", in: "member", id: id),
            postCount: try c.int(.postCount))
    }

    enum SourceColumn: Int, ColumnSet {
        case id, kind, name, location, etag, lastModified, lastSync, lastStatus, retryAfter, forum, feedKey, site, folder, lastResult, list

        var sql: String { "\(self)" }
    }

    static func source(_ row: Row) throws -> Source {
        let c = Columns<SourceColumn>(row)
        let id = try c.text(.id)
        return Source(
            id: Source.ID(id),
            kind: Source.Kind(try c.text(.kind)),
            name: try c.text(.name),
            location: try c.optionalText(.location),
            etag: try c.optionalText(.etag),
            lastModified: try c.optionalText(.lastModified),
            lastSync: try c.date(.lastSync),
            lastStatus: try c.optionalText(.lastStatus),
            retryAfter: try c.date(.retryAfter),
            options: try c.json(.forum, as: Source.Forum.self, field: "forum", in: "source", id: id).map(Source.Options.forum)
                ?? c.optionalText(.feedKey).map { .feed(key: $0) }
                ?? c.json(.list, as: Source.ListArchive.self, field: "list", in: "source", id: id).map(Source.Options.list) ?? .none,
            site: try c.optionalText(.site),
            folder: try c.optionalText(.folder),
            lastResult: try c.json(.lastResult, as: SyncResult.self, field: "lastResult", in: "source", id: id))
    }

    enum JournalColumn: Int, ColumnSet {
        case token, action, date, scope, count, undone

        var sql: String { "\(self)" }
    }

    static func journalEntry(_ row: Row) throws -> JournalEntry {
        let c = Columns<JournalColumn>(row)
        return JournalEntry(
            token: try c.int(.token),
            action: try c.value(.action, of: "action", in: "journal entry", id: String(try c.int(.token))),
            date: try c.date(.date) ?? Date(timeIntervalSince1970: 0),
            scope: try c.text(.scope),
            count: try c.int(.count),
            undone: try c.bool(.undone))
    }

    // The SELECT lists.
    static let postColumns = PostColumn.select
    static let stateColumns = StateColumn.select
    static let summaryColumns = SummaryColumn.select
    static let commentColumns = CommentColumn.select
    static let memberColumns = MemberColumn.select
    static let memberSummaryColumns = MemberSummaryColumn.select
    static let sourceColumns = SourceColumn.select
    static let journalColumns = JournalColumn.select
}
