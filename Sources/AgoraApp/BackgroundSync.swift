import AgoraKit
import AgoraTUI
import Foundation

/// A sync of every source while the reader reads on: it runs on a thread of its own with its
/// own connection to the cache (so the reader's reads never wait on its writes), and the loop
/// asks it, whenever it is idle or has drawn a frame, what is new.
public final class BackgroundSync: @unchecked Sendable {
    /// Runs a sync of every source (or only the one given), telling `progress` as each source
    /// is done; answers how it went.
    public typealias Job = @Sendable (_ only: Source.ID?, _ progress: @escaping @Sendable (SyncNews) -> Void) -> SyncNews

    private let job: Job
    private let lock = NSLock()
    private var running = false
    private var latest: SyncNews?
    private var finished: SyncNews?

    public init(job: @escaping Job) { self.job = job }

    /// Starts a sync unless one is running; the words for the status line.
    func start(only source: Source.ID? = nil) -> String {
        lock.lock()
        defer { lock.unlock() }
        if running {
            return latest.map { "Already syncing: \($0.done) of \($0.total) sources done." } ?? "Already syncing."
        }
        running = true
        latest = nil
        finished = nil
        let thread = Thread { [self] in
            let result = job(source) { [self] news in
                lock.lock()
                latest = news
                lock.unlock()
            }
            lock.lock()
            finished = result
            running = false
            lock.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
        return "Syncing…"
    }

    private var reported: SyncNews?

    /// What has happened since last asked: the end, or progress; nil when nothing new.
    func news() -> Loaded? {
        lock.lock()
        defer { lock.unlock() }
        if let done = finished {
            // The end says it all: the progress before it is not told after it.
            finished = nil
            latest = nil
            reported = nil
            return .syncFinished(done)
        }
        guard let latest, latest != reported else { return nil }
        reported = latest
        return .syncProgress(latest)
    }
}
