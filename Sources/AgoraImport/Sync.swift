import AgoraKit
import Foundation

/// How one source's sync went.
public struct SyncReport: Sendable, Codable, Equatable {
    /// How it ended: the same outcome the source keeps (`SyncResult`).
    public typealias Status = SyncResult.Outcome

    public var source: String
    public var name: String
    public var location: String
    public var status: Status
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    public var error: String?
    /// A forum's: replies new and changed, requests made, posts left out (hidden, deleted,
    /// whispered), seconds waited as the forum asked.
    public var commentsAdded: Int?
    public var commentsUpdated: Int?
    public var requests: Int?
    public var leftOut: Int?
    public var waited: Double?
    /// A forum's members whose profile could not be read.
    public var profilesFailed: Int?
    /// A forum's records whose id came twice (the first kept).
    public var duplicates: Int?

    /// The report kept with its source: in words (`agora sources`) and as values (the sources
    /// screen's brief column).
    public func record(in source: inout Source) {
        source.lastStatus = summary
        source.lastResult = result
    }

    /// The result as values.
    public var result: SyncResult {
        SyncResult(outcome: status, added: added, updated: updated, newReplies: commentsAdded ?? 0,
                          changedReplies: commentsUpdated ?? 0, reason: error)
    }

    /// The words kept as the source's last status.
    public var summary: String {
        switch status {
        case .updated where requests != nil:
            "\(added) new, \(updated) updated, \(unchanged) unchanged; \(commentsAdded ?? 0) new \((commentsAdded ?? 0) == 1 ? "reply" : "replies"), "
                + "\(commentsUpdated ?? 0) changed; \(requests ?? 0) \((requests ?? 0) == 1 ? "request" : "requests")" + ((leftOut ?? 0) > 0 ? "; \(leftOut ?? 0) left out" : "")
                + ((duplicates ?? 0) > 0 ? "; \(duplicates ?? 0) repeated \((duplicates ?? 0) == 1 ? "id" : "ids") skipped" : "")
                + ((profilesFailed ?? 0) > 0 ? "; \(profilesFailed ?? 0) \((profilesFailed ?? 0) == 1 ? "profile" : "profiles") could not be read" : "")
                + (error.map { "; " + $0 } ?? "")
        case .updated: "\(added) new, \(updated) updated, \(unchanged) unchanged"
        case .notModified: "not modified"
        case .failed: "failed: " + (error ?? "unknown error")
        case .waiting: error ?? "waiting"
        }
    }
}

/// Brings feed sources up to date: up to four at once, each in its own transaction, so one
/// failing source (DNS, 404, a broken feed) is reported and the others go on.
public struct Sync: Sendable {
    public var fetcher: Fetcher
    public var concurrency: Int
    /// The clock, for the sources' last-sync dates.
    public var now: @Sendable () -> Date
    /// Seconds the whole sync may take: a source not started by then is not fetched, and one
    /// still fetching is stopped.
    public var deadline: TimeInterval?
    /// Fetch even the sources a server asked to wait (`agora sync --now`).
    public var ignoreRetryAfter = false
    /// How a forum is asked (rate, requests at once); its clock and sleep, for tests.
    public var pacing = Pacing()
    /// A forum's progress as it goes, by source.
    public var forumProgress: (@Sendable (Source, ForumProgress) -> Void)?
    /// A mailing list's progress as it goes (its months), by source.
    public var listProgress: (@Sendable (Source, ListProgress) -> Void)?

    /// Which key files were given for which forums (the user's own, outside any cache).
    public var keyGrants = KeyGrants.standard()
    /// The kinds of source, and how each syncs.
    public var kinds = SourceKindTable.standard

    public init(fetcher: Fetcher = Fetcher(), concurrency: Int = 4, deadline: TimeInterval? = nil, ignoreRetryAfter: Bool = false,
                kinds: SourceKindTable = .standard, now: @escaping @Sendable () -> Date = Date.init) {
        self.kinds = kinds
        self.fetcher = fetcher
        self.concurrency = max(1, concurrency)
        self.deadline = deadline
        self.ignoreRetryAfter = ignoreRetryAfter
        self.now = now
    }

    /// Syncs `sources` and returns a report for each, in the order given. `progress` hears each
    /// report as its source finishes (from any thread, one at a time).
    public func run(_ sources: [Source], into store: any ImportPort,
                    progress: (@Sendable (SyncReport) -> Void)? = nil) -> [SyncReport] {
        let end = deadline.map { DispatchTime.now() + $0 }
        let this: Sync = {
            var copy = self
            if let end { copy.fetcher.deadline = end }
            return copy
        }()
        // Threads of their own, not the dispatch pool (Parallel): each waits on its fetch.
        let passed = Flag()
        let told = NSLock()
        return Parallel.map(sources, workers: concurrency) { source in
            let report: SyncReport
            if let end, DispatchTime.now() >= end || passed.isSet {
                report = SyncReport(source: source.id.rawValue, name: source.name, location: source.location ?? "",
                                    status: .failed, error: "not fetched: the sync's deadline passed")
            } else {
                let (done, stopped) = this.syncOne(source, into: store)
                report = done
                // One source stopped by the deadline means it has come, whatever the clock's rounding.
                if stopped { passed.set() }
            }
            told.lock()
            progress?(report)
            told.unlock()
            return report
        }
    }

    /// One source: fetch, parse, write; a failure is written as the source's last status.
    public func sync(_ source: Source, into store: any ImportPort) -> SyncReport {
        run([source], into: store).first ?? syncOne(source, into: store).report
    }

    /// The same, and whether the sync's deadline stopped it.
    func syncOne(_ source: Source, into store: any ImportPort) -> (report: SyncReport, stoppedByDeadline: Bool) {
        let location = source.location ?? ""
        var report = SyncReport(source: source.id.rawValue, name: source.name, location: location, status: .failed)
        var updated = source
        // A wait is never longer than a day from the last sync, whatever was stored.
        if !ignoreRetryAfter, let asked = source.retryAfter,
           case let until = min(asked, (source.lastSync ?? now()).addingTimeInterval(Fetcher.longestWait)), until > now() {
            report.status = .waiting
            report.error = "waiting until \(Fetcher.clock(until)), as the server asked"
            return (report, false)
        }
        updated.retryAfter = nil
        updated.lastSync = now()
        do {
            guard !location.isEmpty else { throw AgoraError.invalidArgument("\(source.id): the source has no address") }
            guard let syncing = kinds.syncer(for: source.kind) else {
                throw AgoraError.invalidArgument("\(source.id): a \(source.kind.label) is not synced")
            }
            let stopped = try syncing(self, source, &updated, &report, store)
            return (report, stopped)
        } catch {
            report.status = .failed
            report.error = AgoraError.words(for: error)
            if let backOff = error as? Fetcher.BackOff { updated.retryAfter = backOff.until }
            report.record(in: &updated)
            _ = try? store.importContent(CacheContent(sources: [updated]))
            return (report, error is Fetcher.DeadlineReached)
        }
    }
}

extension Sync {
    /// A forum: its latest topics since the last sync, their new replies, new members.
    func syncForum(_ source: Source, _ updated: inout Source, _ report: inout SyncReport, into store: any ImportPort) throws -> Bool {
        var forum = ForumSync(fetcher: fetcher, pacing: pacing, now: now)
        forum.keyGrants = keyGrants
        if let tell = forumProgress {
            forum.progress = { @Sendable progress in tell(source, progress) }
        }
        let outcome: ForumOutcome
        var stopped: Interrupted?
        do {
            outcome = try forum.sync(updated, into: store)
        } catch let interrupted as Interrupted {
            // What was read is in the cache; how far the sync got is kept with the source.
            outcome = interrupted.outcome
            stopped = interrupted
        }
        updated = outcome.source
        updated.lastStatus = source.lastStatus
        updated.lastSync = now()
        report.status = .updated
        report.added = outcome.posts.added
        report.updated = outcome.posts.updated
        report.unchanged = outcome.posts.unchanged
        report.commentsAdded = outcome.comments.added
        report.commentsUpdated = outcome.comments.updated
        report.requests = outcome.requests
        report.leftOut = outcome.leftOut
        report.waited = outcome.waited
        report.profilesFailed = outcome.profilesFailed
        report.duplicates = outcome.duplicates
        if !outcome.failedTopics.isEmpty {
            report.status = .failed
            report.error = "\(outcome.failedTopics.count) topics not read (they are asked again next time): "
                + outcome.failedTopics.prefix(3).joined(separator: "; ")
        }
        if outcome.unfinishedTopics > 0 {
            report.error = [report.error, "\(outcome.unfinishedTopics) long \(outcome.unfinishedTopics == 1 ? "topic" : "topics") written in part (the next sync goes on)"]
                .compactMap { $0 }.joined(separator: "; ")
        }
        if let stopped {
            report.status = .failed
            report.error = "\(stopped.description); what was read is kept and the next sync goes on from there"
            if let backOff = stopped.reason as? Fetcher.BackOff { updated.retryAfter = backOff.until }
            report.record(in: &updated)
            try store.importContent(CacheContent(sources: [updated]))
            return stopped.reason is Fetcher.DeadlineReached
        }
        report.record(in: &updated)
        try store.importContent(CacheContent(sources: [updated]))
        return false
    }

    /// A feed: fetched again when it has changed (conditional GET), its items written.
    func syncFeed(_ source: Source, _ updated: inout Source, _ report: inout SyncReport, into store: any ImportPort) throws -> Bool {
        let location = source.location ?? ""
        switch try fetcher.fetch(location, etag: source.etag, lastModified: source.lastModified) {
        case .notModified:
            report.status = .notModified
            report.record(in: &updated)
            try store.importContent(CacheContent(sources: [updated]))
        case .fetched(let data, let etag, let lastModified):
            let feed = try FeedParser.parse(data, path: location)
            var content = FeedImport.content(feed, location: location, key: FeedImport.keptKey(of: source))
            updated.feedKey = content.sources.first?.feedKey
            updated.site = content.sources.first?.site ?? updated.site
            updated.etag = etag
            updated.lastModified = lastModified
            if source.name == FeedImport.sourceKey(location) || source.name.isEmpty, let title = feed.title, !title.isEmpty {
                updated.name = title
            }
            content.sources = [updated]
            report.status = .updated
            let summary = try store.importContent(content)
            report.added = summary.posts.added
            report.updated = summary.posts.updated
            report.unchanged = summary.posts.unchanged
            report.name = updated.name
            // The status is written after the counts are known; a second, tiny write.
            report.record(in: &updated)
            try store.importContent(CacheContent(sources: [updated]))
        }
        return false
    }
}

/// Set once, read from any thread.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }

    func set() { lock.lock(); value = true; lock.unlock() }
}
