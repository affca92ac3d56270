import AgoraKit
import Foundation

/// How far a forum's sync has got, for a progress line.
public struct ForumProgress: Sendable, Equatable {
    public var topics = 0
    public var topicsToRead = 0
    public var posts = 0
    public var members = 0
    public var requests = 0
    /// Seconds spent waiting as the forum asked (Retry-After).
    public var waited: TimeInterval = 0
}

/// What a forum's sync brought.
public struct ForumOutcome: Sendable {
    public var posts = ImportSummary.Counts()
    public var comments = ImportSummary.Counts()
    public var members = ImportSummary.Counts()
    public var requests = 0
    /// Hidden, deleted and whispered posts, and listed topics that are gone.
    public var leftOut = 0
    public var waited: TimeInterval = 0
    /// Topics that could not be read this time (they are read again next time).
    public var failedTopics: [String] = []
    /// Members whose profile could not be read (kept as the topic or directory gave them).
    public var profilesFailed = 0
    /// Records whose id came twice (a post moved to another topic keeps its id): the first kept.
    public var duplicates = 0
    /// Topics written in part, to be gone on with by the next sync.
    public var unfinishedTopics = 0
    public var source: Source
}

/// Progress told as it changes, one report at a time.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ForumProgress()
    private let report: (@Sendable (ForumProgress) -> Void)?

    init(report: (@Sendable (ForumProgress) -> Void)?) { self.report = report }

    func update(_ change: (inout ForumProgress) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        change(&value)
        report?(value)
    }
}

extension ImportSummary.Counts {
    mutating func add(_ other: ImportSummary.Counts) {
        added += other.added
        updated += other.updated
        unchanged += other.unchanged
    }
}
