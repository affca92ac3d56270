import AgoraKit
import AgoraTestSupport
import Foundation
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `agora` killed with SIGKILL in the middle of its biggest writes, at moments drawn from a
/// seeded generator: the cache is whole afterwards, its kept totals agree with a recount, and
/// the write happened entirely or not at all.
@Suite("agora killed mid-write", .serialized)
struct KillTests {
    let agora = AgoraBinary()

    /// Starts `agora`, waits until the cache's write-ahead log has grown past `bytes` (or the
    /// process has ended, or ten seconds passed), then kills it. Returns whether it was killed
    /// while still running.
    func kill(_ arguments: [String], cache: String, whenLogPasses bytes: Int) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: AgoraBinary.path)
        process.arguments = arguments
        process.environment = agora.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = DispatchTime.now() + 10
        var killed = false
        while process.isRunning, DispatchTime.now() < deadline {
            let log = (try? FileManager.default.attributesOfItem(atPath: cache + "-wal")[.size] as? Int) ?? 0
            let journal = (try? FileManager.default.attributesOfItem(atPath: cache + "-journal")[.size] as? Int) ?? 0
            if max(log, journal) > bytes {
                Glibc.kill(process.processIdentifier, SIGKILL)
                killed = true
                break
            }
            usleep(500)
        }
        process.waitUntilExit()
        return killed && process.terminationReason == .uncaughtSignal
    }

    func checkWhole(_ cache: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> SQLiteStore {
        let queue = try DatabaseQueue(path: cache)
        let integrity = try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        try queue.close()
        #expect(integrity == ["ok"], sourceLocation: sourceLocation)
        let store = try SQLiteStore(path: cache, create: false)
        #expect(try store.statistics() == store.recountedStatistics(), "kept totals agree with a recount", sourceLocation: sourceLocation)
        #expect(try store.sourceCounts() == store.recountedSourceCounts(), "kept counts by source agree with a recount", sourceLocation: sourceLocation)
        return store
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func mark_all_read_killed_at_any_moment_is_all_or_nothing(seed: UInt64) throws {
        defer { agora.remove() }
        var random = SystemRandomNumberGenerator.Seeded(seed)
        let cache = agora.file("kill.sqlite")
        #expect(try agora.run(["generate", "--posts", "5000", "--members", "200", "--comments", "500", "--out", cache]).status == 0)
        let before = try SQLiteStore(path: cache, create: false).statistics()
        var journalBefore = try SQLiteStore(path: cache, create: false).journal()
        var kills = 0
        defer { #expect(kills > 0, "at least one round was killed mid-write") }
        for round in 0..<3 {
            let threshold = Int(random.next() % 150_000) + 4_096
            let killed = try kill(["--cache", cache, "mark-all-read"], cache: cache, whenLogPasses: threshold)
            if killed { kills += 1 }
            let store = try checkWhole(cache)
            let stats = try store.statistics()
            let journal = try store.journal()
            if stats.unread == 0 {
                // It committed: the journal has the entry that undoes it.
                #expect(journal.count == journalBefore.count + 1 && journal.first?.count == before.unread, "round \(round)")
                _ = try store.undo(nil)
                #expect(try store.statistics().unread == before.unread)
            } else {
                // It did not: nothing changed, nothing journaled.
                #expect(stats.unread == before.unread, "round \(round), killed: \(killed)")
                #expect(journal == journalBefore)
            }
            journalBefore = try store.journal()
        }
    }

    @Test(arguments: [UInt64(4), 5])
    func an_import_killed_at_any_moment_is_all_or_nothing(seed: UInt64) throws {
        defer { agora.remove() }
        var random = SystemRandomNumberGenerator.Seeded(seed)
        let cache = agora.file("import.sqlite")
        try agora.run(["--cache", cache, "import", "--sample"])
        try agora.run(["--cache", cache, "mark", "star", "itu-secretary-general-wcit"])
        let feed = agora.file("feed.xml")
        var rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Big</title>"
        for i in 0..<6_000 {
            rss += "<item><guid>g\(i)</guid><title>Item \(i)</title><description>&lt;p&gt;Body \(i) of the item, some words to index.&lt;/p&gt;</description></item>"
        }
        rss += "</channel></rss>"
        try rss.write(toFile: feed, atomically: true, encoding: .utf8)
        var kills = 0
        defer { #expect(kills > 0, "at least one round was killed mid-write") }
        for round in 0..<3 {
            let threshold = Int(random.next() % 2_000_000) + 4_096
            if try kill(["--cache", cache, "import", feed], cache: cache, whenLogPasses: threshold) { kills += 1 }
            let store = try checkWhole(cache)
            let posts = try store.statistics().posts
            #expect(posts == 1 || posts == 6_001, "round \(round): \(posts) posts")
            #expect(try store.post("itu-secretary-general-wcit").state.starred, "reader state survives")
        }
    }
}
