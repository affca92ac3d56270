import AgoraImport
import AgoraKit
import AgoraTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One cache in many hands, as a living community is read: the reader open (its own marks, and
/// `R` syncing on a second connection in the same process), `agora sync` against a feed on
/// 127.0.0.1 in a loop, `agora mark read`, `mark star` and `mute` loops, an import loop, and
/// some of those processes killed with SIGKILL at points drawn from a seeded generator. At the
/// end the SQLite cache passes `integrity_check`, every change whose command exited 0 (or whose
/// call returned) is there, and no process died of anything but the kills.
///
/// Every lane runs a fixed list of commands; `AGORA_STRESS_SECONDS` (scripts/stress.sh) makes
/// each lane go round its list until that many seconds have passed.
@Suite("one cache, many hands: all at once", .serialized)
struct ConcurrencyTests {
    /// A change a lane made, to be found at the end when it was reported done.
    enum Change: Hashable, CustomStringConvertible {
        case read(String), starred(String), muted(String)

        var description: String {
            switch self {
            case .read(let id): "\(id) read"
            case .starred(let id): "\(id) starred"
            case .muted(let id): "\(id) muted"
            }
        }
    }

    /// What happened, gathered from every lane.
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var done: Set<Change> = []
        private(set) var trapped: [String] = []
        private(set) var failed: [String] = []
        private(set) var kills = 0
        private(set) var commands = 0

        func record(_ arguments: [String], _ status: Process.TerminationReason, _ code: Int32, killed: Bool, stderr: String,
                    changes: [Change]) {
            lock.lock()
            defer { lock.unlock() }
            commands += 1
            if status == .uncaughtSignal {
                if killed && code == SIGKILL { kills += 1 } else { trapped.append("\(arguments.joined(separator: " ")): signal \(code)") }
            } else if code == 0 {
                done.formUnion(changes)
            } else if !stderr.contains("another process holds the cache locked") {
                // Waiting too long for the lock is said in words and is not a loss; anything else is a failure.
                failed.append("\(arguments.joined(separator: " ")): exit \(code): \(stderr)")
            }
        }

        func reader(_ changes: [Change]) {
            lock.lock()
            defer { lock.unlock() }
            done.formUnion(changes)
        }

        func readerFailed(_ text: String) {
            lock.lock()
            defer { lock.unlock() }
            failed.append("reader: \(text)")
        }
    }

    /// Runs `agora` with `arguments`; when `killAfter` is given, kills it with SIGKILL that many
    /// microseconds after it started (if it is still running).
    static func run(_ agora: AgoraBinary, _ arguments: [String], killAfter: UInt32?, changes: [Change], log: Log) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: AgoraBinary.path)
        process.arguments = arguments
        process.environment = agora.environment
        process.currentDirectoryURL = URL(fileURLWithPath: agora.home)
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            log.readerFailed("could not start agora: \(error)")
            return
        }
        var killed = false
        if let killAfter {
            usleep(killAfter)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed = true
            }
        }
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        log.record(arguments, process.terminationReason, process.terminationStatus, killed: killed, stderr: stderr, changes: changes)
    }

    /// Runs `body` on a thread of its own; `wait` on the group waits for it.
    static func thread(_ group: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
        group.enter()
        let thread = Thread {
            body()
            group.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The feed served on 127.0.0.1: 30 items, a new version at every request (so that every
    /// sync writes).
    final class Feed: @unchecked Sendable {
        private let served = Mutex(0)

        func respond(_ request: TestHTTPServer.Request) -> TestHTTPServer.Response {
            let version = served.withLock { count in
                count += 1
                return count
            }
            let items = (0..<30).map { i in
                "<item><guid>f\(i)</guid><title>Feed item \(i) v\(version)</title><link>http://example.org/f\(i)</link>"
                    + "<pubDate>Mon, 0\(1 + i % 9) Jul 2013 10:00:00 +0000</pubDate><description>Body \(i), version \(version)</description></item>"
            }
            return .init(headers: [("Content-Type", "application/rss+xml")], text: """
                <?xml version="1.0"?><rss version="2.0"><channel><title>Stress Feed</title><link>http://example.org/</link>
                \(items.joined())</channel></rss>
                """)
        }
    }

    @Test(arguments: ["cache.sqlite", "cache.json"])
    func many_writers_at_once_lose_nothing_and_damage_nothing(name: String) throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let feed = Feed()
        let server = try TestHTTPServer { feed.respond($0) }
        defer { server.stop() }
        let seconds = ProcessInfo.processInfo.environment["AGORA_STRESS_SECONDS"].flatMap(Double.init)
        let deadline = seconds.map { Date().addingTimeInterval($0) }
        var random = SystemRandomNumberGenerator.Seeded(name.hasSuffix("json") ? 20 : 21)

        // Given a cache with a generated community, a feed source and the feed's posts
        let cache = agora.file(name)
        let generated = agora.file("generated.json")
        #expect(try agora.run(["generate", "--posts", "120", "--members", "12", "--comments", "60", "--out", generated]).status == 0)
        #expect(try agora.run(["--cache", cache, "import", generated]).status == 0)
        #expect(try agora.run(["--cache", cache, "sources", "add", server.baseURL + "/feed.xml", "--kind", "feed"]).status == 0)
        #expect(try agora.run(["--cache", cache, "sync"]).status == 0)
        let importFile = agora.file("import.xml")
        let importItems = (0..<40).map { "<item><guid>i\($0)</guid><title>Imported \($0)</title><description>Imported body \($0)</description></item>" }
        try "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Import Feed</title>\(importItems.joined())</channel></rss>"
            .write(toFile: importFile, atomically: true, encoding: .utf8)

        let setUp = try Cache.openExisting(path: cache)
        let ids = try setUp.posts(PostQuery(limit: 1_000)).map(\.id.rawValue).sorted()
        let members = try setUp.members(MemberQuery(limit: 100)).map(\.id.rawValue).sorted()
        #expect(ids.count == 150 && members.count >= 12, "\(ids.count) posts, \(members.count) members")
        // Each lane its own posts (feed posts among them, which every sync writes again).
        let shuffled = ids.shuffled(using: &random)
        let (readIDs, starIDs, readerIDs) = (Array(shuffled[0..<30]), Array(shuffled[30..<60]), Array(shuffled[60..<90]))
        let muteIDs = Array(members.shuffled(using: &random).prefix(6))
        // Which commands are killed, and when, drawn now so that the lanes' threads draw nothing.
        func killPlan(_ count: Int, oneIn: UInt64) -> [UInt32?] {
            (0..<count).map { _ in random.next() % oneIn == 0 ? UInt32(random.next() % 200_000) : nil }
        }
        let plans = (read: killPlan(readIDs.count, oneIn: 6), star: killPlan(starIDs.count, oneIn: 6),
                     sync: killPlan(6, oneIn: 3), importing: killPlan(6, oneIn: 3))
        let log = Log()
        let group = DispatchGroup()
        let base = ["--cache", cache]

        /// A lane's commands, round after round until the deadline (once without one).
        func lane(_ commands: [(arguments: [String], kill: UInt32?, changes: [Change])]) {
            Self.thread(group) {
                repeat {
                    for command in commands {
                        Self.run(agora, base + command.arguments, killAfter: command.kill, changes: command.changes, log: log)
                    }
                } while deadline.map { Date() < $0 } ?? false
            }
        }

        // When every hand works on the cache at once
        lane(zip(readIDs, plans.read).map { (["mark", "read", $0], $1, [.read($0)]) })
        lane(zip(starIDs, plans.star).map { (["mark", "star", $0], $1, [.starred($0)]) })
        lane(muteIDs.map { (["mute", $0], nil, [.muted($0)]) })
        lane(plans.sync.map { (["sync"], $0, []) })
        lane(plans.importing.map { (["import", importFile], $0, []) })
        // The reader: its own store marks post after post, and R syncs on a second connection.
        Self.thread(group) {
            do {
                let reader = try Cache.openExisting(path: cache)
                repeat {
                    for (index, id) in readerIDs.enumerated() {
                        if index % 10 == 0 {
                            let store = try Cache.openExisting(path: cache)
                            _ = Sync(deadline: 60).run(try store.sources(), into: store)
                        }
                        try reader.setRead(true, posts: [Post.ID(id)])
                        log.reader([.read(id)])
                        _ = try reader.counts(.all)
                    }
                } while deadline.map { Date() < $0 } ?? false
            } catch {
                log.readerFailed("\(error)")
            }
        }
        group.wait()

        // Then the cache is whole, every change reported done is there, and nothing trapped
        if name.hasSuffix(".sqlite") {
            let queue = try DatabaseQueue(path: cache)
            #expect(try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") } == ["ok"])
            try queue.close()
            let store = try SQLiteStore(path: cache, create: false)
            #expect(try store.statistics() == store.recountedStatistics(), "kept totals agree with a recount")
            #expect(try store.sourceCounts() == store.recountedSourceCounts(), "kept counts by source agree with a recount")
        }
        let store = try Cache.openExisting(path: cache)
        let muted = try store.mutedMembers()
        var missing: [String] = []
        for change in log.done {
            switch change {
            case .read(let id): if try !store.post(Post.ID(id)).state.read { missing.append(change.description) }
            case .starred(let id): if try !store.post(Post.ID(id)).state.starred { missing.append(change.description) }
            case .muted(let id): if muted[Member.ID(id)] == nil { missing.append(change.description) }
            }
        }
        #expect(missing.isEmpty, "\(missing.count) changes reported done are missing: \(missing.sorted())")
        #expect(log.trapped.isEmpty, "\(log.trapped)")
        #expect(log.failed.isEmpty, "\(log.failed)")
        print("one cache, many hands (\(name)): \(log.commands) commands, \(log.kills) killed mid-way, \(log.done.count) changes reported done, all present")
        #expect(log.kills > 0, "some writers were killed mid-way")
        #expect(log.done.count >= readerIDs.count + muteIDs.count, "most changes went through (\(log.done.count) of \(log.commands) commands)")
    }
}
