@testable import AgoraKit
import AgoraTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

/// One SQLite cache in many hands: the reader's own connection, a second connection in the same
/// process (the reader's background sync) and other `agora` processes, as they meet in real use.
@Suite("one cache, many hands", .serialized)
struct SharedCacheTests {
    let agora = AgoraBinary()

    func integrity(_ cache: String) throws -> [String] {
        let queue = try DatabaseQueue(path: cache, configuration: { var c = Configuration(); c.readonly = true; return c }())
        defer { try? queue.close() }
        return try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
    }

    func starredIDs(_ cache: String) throws -> Set<String> {
        let listed = try agora.run(["--cache", cache, "list", "--starred", "--json", "--limit", "1000"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        return Set(rows.compactMap { $0["id"] as? String })
    }

    @Test func a_second_connection_in_the_readers_process_leaves_the_first_ones_locks_alone() throws {
        defer { agora.remove() }
        // Given a cache, open in this process as the reader has it open
        let cache = agora.file("shared.sqlite")
        #expect(try agora.run(["generate", "--posts", "40", "--members", "5", "--comments", "0", "--out", cache]).status == 0)
        let reader = try SQLiteStore(path: cache, create: false)
        let ids = try reader.posts(PostQuery(limit: 40)).map(\.id)
        #expect(ids.count == 40)

        // When a second store opens it in the same process (as `R` does) and goes away again,
        do {
            let sync = try SQLiteStore(path: cache, create: false)
            #expect(OpenDatabases.connections(path: cache) == 2)
            try sync.setRead(true, posts: [ids[0]])
        }
        #expect(OpenDatabases.connections(path: cache) == 1)
        // and another process reads the cache and ends
        #expect(try agora.run(["--cache", cache, "list"]).status == 0)

        // Then the reader's write-ahead log is still the cache's, and what it marks is seen elsewhere
        #expect(FileManager.default.fileExists(atPath: cache + "-wal"), "the log the reader writes to was deleted under it")
        try reader.setStarred(true, posts: Array(ids[1...5]))
        #expect(try starredIDs(cache) == Set(ids[1...5].map(\.rawValue)))
        try reader.setStarred(true, posts: Array(ids[6...10]))
        #expect(try agora.run(["--cache", cache, "list"]).status == 0)
        try reader.setStarred(true, posts: Array(ids[11...15]))
        #expect(try starredIDs(cache) == Set(ids[1...15].map(\.rawValue)))
        #expect(try integrity(cache) == ["ok"])
    }

    func states(_ cache: String) throws -> [String: (read: Bool, starred: Bool)] {
        let listed = try agora.run(["--cache", cache, "list", "--json", "--limit", "1000"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        var states: [String: (read: Bool, starred: Bool)] = [:]
        for row in rows {
            if let id = row["id"] as? String { states[id] = (row["read"] as? Bool ?? false, row["starred"] as? Bool ?? false) }
        }
        return states
    }

    /// Runs each list of commands in a process after process, the lists side by side; answers
    /// each command's exit status.
    func sideBySide(_ lanes: [[[String]]]) -> [[Int32]] {
        let results = Mutex<[[Int32]]>(lanes.map { _ in [] })
        DispatchQueue.concurrentPerform(iterations: lanes.count) { lane in
            for arguments in lanes[lane] {
                let status = (try? agora.run(arguments).status) ?? -1
                results.withLock { $0[lane].append(status) }
            }
        }
        return results.withLock { $0 }
    }

    @Test(arguments: ["shared.json", "shared.sqlite"])
    func marks_made_side_by_side_in_two_processes_are_all_kept(name: String) throws {
        defer { agora.remove() }
        // Given 120 posts
        let cache = agora.file(name)
        #expect(try agora.run(["generate", "--posts", "120", "--members", "5", "--comments", "0", "--out", cache]).status == 0)
        let ids = try states(cache).keys.sorted()
        #expect(ids.count == 120)
        let (toRead, toStar) = (Array(ids[..<60]), Array(ids[60...]))

        // When one process marks 60 read one by one while another stars the other 60
        let statuses = sideBySide([toRead.map { ["--cache", cache, "mark", "read", $0] },
                                   toStar.map { ["--cache", cache, "mark", "star", $0] }])

        // Then every mark whose command said it was done is there
        let after = try states(cache)
        for (id, status) in zip(toRead, statuses[0]) where status == 0 { #expect(after[id]?.read == true, "\(id) marked read") }
        for (id, status) in zip(toStar, statuses[1]) where status == 0 { #expect(after[id]?.starred == true, "\(id) starred") }
        #expect(statuses.joined().allSatisfy { $0 == 0 }, "no writer gave up")
    }
}
