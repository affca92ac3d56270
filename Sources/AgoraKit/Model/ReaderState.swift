import Foundation

/// What a reader did to a post. Kept apart from content, keyed by the post's stable id, so that
/// a re-import that changes a title or a body never makes a read post unread again.
public struct PostState: Hashable, Sendable, Codable {
    public var read: Bool
    public var readAt: Date?
    public var starred: Bool

    public init(read: Bool = false, readAt: Date? = nil, starred: Bool = false) {
        self.read = read
        self.readAt = readAt
        self.starred = starred
    }

    public static let unread = PostState()

    /// Merging two caches: read in either is read (the earlier time kept), starred in either is
    /// starred.
    public func merged(with other: PostState) -> PostState {
        let times = [readAt, other.readAt].compactMap { $0 }
        return PostState(
            read: read || other.read,
            readAt: (read || other.read) ? times.min() : nil,
            starred: starred || other.starred)
    }
}

/// What a reader did to a comment.
public struct CommentState: Hashable, Sendable, Codable {
    public var read: Bool
    public var readAt: Date?

    public init(read: Bool = false, readAt: Date? = nil) {
        self.read = read
        self.readAt = readAt
    }
}

/// One bulk change in the journal, so that it can be undone.
public struct JournalEntry: Hashable, Sendable, Codable {
    public typealias Token = Int

    public enum Action: String, Hashable, Sendable, Codable {
        case markAllRead = "mark-all-read"
    }

    public var token: Token
    public var action: Action
    public var date: Date
    /// What the change applied to, in words ("all posts", "unread posts by xu-jing").
    public var scope: String
    /// How many posts it changed.
    public var count: Int
    public var undone: Bool

    public init(
        token: Token, action: Action, date: Date, scope: String, count: Int, undone: Bool = false
    ) {
        self.token = token
        self.action = action
        self.date = date
        self.scope = scope
        self.count = count
        self.undone = undone
    }
}

/// The time reader state is stamped with: now, to the millisecond, so that it reads back the
/// same from either cache and from a JSON file.
public enum ReaderClock {
    public static func now() -> Date {
        Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}
