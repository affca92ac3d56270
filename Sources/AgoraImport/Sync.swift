import AgoraKit
import Foundation

/// How one source's sync went.
public struct SyncReport: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case updated, notModified = "not-modified", failed
        /// Not asked: the server said to wait (Retry-After) and the time has not come.
        case waiting
    }

    public var source: String
    public var name: String
    public var location: String
    public var status: Status
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    public var error: String?

    /// The words kept as the source's last status.
    public var summary: String {
        switch status {
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

    public init(fetcher: Fetcher = Fetcher(), concurrency: Int = 4, now: @escaping @Sendable () -> Date = Date.init) {
        self.fetcher = fetcher
        self.concurrency = max(1, concurrency)
        self.now = now
    }

    /// Syncs `sources` and returns a report for each, in the order given. `progress` hears each
    /// report as its source finishes (from any thread, one at a time).
    public func run(_ sources: [Source], into store: any CommunityStore,
                    progress: (@Sendable (SyncReport) -> Void)? = nil) -> [SyncReport] {
        let results = Results(count: sources.count)
        let slots = DispatchSemaphore(value: concurrency)
        let group = DispatchGroup()
        let queue = DispatchQueue(label: "agora.sync", attributes: .concurrent)
        for (index, source) in sources.enumerated() {
            slots.wait()
            group.enter()
            queue.async {
                defer {
                    slots.signal()
                    group.leave()
                }
                let report = sync(source, into: store)
                results.set(index, report, progress: progress)
            }
        }
        group.wait()
        return results.all
    }

    /// One source: fetch, parse, write; a failure is written as the source's last status.
    public func sync(_ source: Source, into store: any CommunityStore) -> SyncReport {
        let location = source.location ?? ""
        var report = SyncReport(source: source.id.rawValue, name: source.name, location: location, status: .failed)
        var updated = source
        if let until = source.retryAfter, until > now() {
            report.status = .waiting
            report.error = "waiting until \(Fetcher.clock(until)), as the server asked"
            return report
        }
        updated.retryAfter = nil
        updated.lastSync = now()
        do {
            guard !location.isEmpty else { throw AgoraError.invalidArgument("\(source.id): the source has no address") }
            switch try fetcher.fetch(location, etag: source.etag, lastModified: source.lastModified) {
            case .notModified:
                report.status = .notModified
                updated.lastStatus = report.summary
                try store.importContent(CacheContent(sources: [updated]))
            case .fetched(let data, let etag, let lastModified):
                let feed = try FeedParser.parse(data, path: location)
                var content = FeedImport.content(feed, location: location)
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
                updated.lastStatus = report.summary
                try store.importContent(CacheContent(sources: [updated]))
            }
        } catch {
            report.status = .failed
            report.error = (error as? AgoraError)?.description ?? String(describing: error)
            if let backOff = error as? Fetcher.BackOff { updated.retryAfter = backOff.until }
            updated.lastStatus = report.summary
            _ = try? store.importContent(CacheContent(sources: [updated]))
        }
        return report
    }
}

private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [SyncReport?]

    init(count: Int) { reports = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ report: SyncReport, progress: (@Sendable (SyncReport) -> Void)?) {
        lock.lock()
        defer { lock.unlock() }
        reports[index] = report
        progress?(report)
    }

    var all: [SyncReport] {
        lock.lock()
        defer { lock.unlock() }
        return reports.compactMap { $0 }
    }
}
