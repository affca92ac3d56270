import AgoraApp
import AgoraKit
import AgoraTUI
import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

struct BenchStore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Time the queries the reader makes on a generated community (100,000 posts by default).",
        discussion: """
            Generates the community into --keep PATH (reused when it exists) or a temporary file, \
            then times each query --runs times and prints the median and the 99th percentile as a \
            Markdown table, with the targets. Build with -c release for numbers worth writing down.
            """)

    @Option(help: "Posts to generate.") var posts = 100_000
    @Option(help: "Members to generate.") var members = 20_000
    @Option(help: "Comments to generate.") var comments = 300_000
    @Option(help: "Times to run each query.") var runs = 200
    @Option(help: ArgumentHelp("Keep the generated cache here, and reuse it when it exists.", valueName: "path"))
    var keep: String?

    func validate() throws {
        guard posts >= 1, members >= 1, comments >= 0, runs >= 1 else {
            throw ValidationError("--posts, --members and --runs must be at least 1")
        }
    }

    struct Measure {
        var name: String
        var target: Double?
        var samples: [Double]

        var median: Double { percentile(0.5) }
        var p99: Double { percentile(0.99) }

        func percentile(_ p: Double) -> Double {
            let sorted = samples.sorted()
            let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
            return sorted[max(0, min(sorted.count - 1, rank))]
        }
    }

    func run() throws {
        let temporary = NSTemporaryDirectory() + "agora-bench-\(getpid()).sqlite"
        let path = keep ?? temporary
        defer {
            if keep == nil { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) } }
        }
        var generation: Double?
        if !FileManager.default.fileExists(atPath: path) {
            let started = DispatchTime.now()
            let (store, _) = try Cache.open(path: path)
            let progress = Progress()
            try SyntheticCommunity(posts: posts, members: members, comments: comments).write(into: store) { done, total in
                progress.bar("generating", done: done, total: total, unit: "posts")
            }
            progress.finish()
            generation = seconds(since: started)
        }

        let openStarted = DispatchTime.now()
        let store = try Cache.openExisting(path: path)
        let opening = seconds(since: openStarted) * 1000
        let stats = try store.statistics()
        let busy = SyntheticCommunity.postID(0)
        let deepOffset = max(0, min(90_000, stats.posts - 50))

        var results: [Measure] = []
        func time(_ name: String, target: Double?, runs: Int = self.runs, _ body: () throws -> Void) rethrows {
            for _ in 0..<3 { try body() }  // warm up
            var samples: [Double] = []
            samples.reserveCapacity(runs)
            for _ in 0..<runs {
                let started = DispatchTime.now()
                try body()
                samples.append(seconds(since: started) * 1000)
            }
            results.append(Measure(name: name, target: target, samples: samples))
        }

        try time("first window of 50 posts", target: 5) { _ = try store.posts(PostQuery(limit: 50)) }
        try time("window of 50 at offset \(deepOffset)", target: 5) { _ = try store.posts(PostQuery(offset: deepOffset, limit: 50)) }
        try time("first 50 unread posts", target: 5) { _ = try store.posts(PostQuery(filter: PostFilter(unreadOnly: true), limit: 50)) }
        try time("50 most viewed posts", target: 5) { _ = try store.posts(PostQuery(sort: .views, limit: 50)) }
        try time("unread count", target: 5) { _ = try store.counts(.all) }
        try time("open one post with \(SyntheticCommunity.busyPostComments) comments", target: 5) { _ = try store.post(busy) }
        try time("member window of 50 (by name)", target: 5) { _ = try store.members(MemberQuery(limit: 50)) }
        try time("member window of 50 at offset \(max(0, stats.members - 50))", target: 5) {
            _ = try store.members(MemberQuery(offset: max(0, stats.members - 50), limit: 50))
        }
        try time("community statistics (agora stats, the at-a-glance screen)", target: 50) { _ = try store.communityStats() }
        // The sources screen: F pressed, its counts read, the frame drawn.
        let sourceCount = try store.sources().count
        time("open the sources screen (\(sourceCount) sources)", target: 20) {
            var screen = AppState(width: 120, height: 40, community: Community(name: "C"))
            let runner = EffectRunner(store: store)
            runner.settle(&screen, screen.handle(.key(.character("F"))))
            _ = Screen.render(screen)
        }
        try time("search a common word (\(SyntheticCommunity.commonWord))", target: 30) { _ = try store.search(SyntheticCommunity.commonWord) }
        try time("search a rare word (\(SyntheticCommunity.rareWord))", target: 30) { _ = try store.search(SyntheticCommunity.rareWord) }
        try time("search two words as typed (\"internet gov\")", target: 30) { _ = try store.search("internet gov") }
        // Search as it is typed: every keystroke of 1- to 3-word queries is one search, as `/`
        // runs it (all kinds, 50 of each), and the search screen drawn with what it found.
        let typed = ["internet", "governance forum", "civil society participation", "quokka venue", "marilia",
                     "author:xu internet", "country:brazil policy", "\"digital divide\" island", "tag:igf access", "is:unread review"]
        var keystrokes: [Double] = []
        var frames: [Double] = []
        var counts: [Double] = []
        var slowest: [(Double, String)] = []
        var state = AppState(width: 120, height: 40, community: try store.community())
        let runner = EffectRunner(store: store)
        runner.settle(&state, state.start())
        for round in 0..<max(1, min(runs, 20)) {
            for query in typed {
                _ = state.handle(.key(.character("/")))
                for character in query {
                    // As the reader does: what the frame needs, the frame, then what waits for it
                    // (exact counts of words with filters).
                    let started = DispatchTime.now()
                    let effects = state.handle(.key(.character(character)))
                    let afterFrame = runner.settle(&state, effects, deferWrites: true)
                    let searched = seconds(since: started) * 1000
                    let drawn = DispatchTime.now()
                    _ = Screen.render(state)
                    let frame = seconds(since: drawn) * 1000
                    let counting = DispatchTime.now()
                    runner.write(afterFrame, into: &state)
                    if round > 0 {  // the first round warms up
                        keystrokes.append(searched)
                        slowest.append((searched, state.search?.text ?? ""))
                        frames.append(frame)
                        if !afterFrame.isEmpty { counts.append(seconds(since: counting) * 1000) }
                    }
                }
                _ = state.handle(.key(.escape))
            }
        }
        results.append(Measure(name: "search as typed: one keystroke (\(typed.count) queries, 1-3 words)", target: 30, samples: keystrokes))
        results.append(Measure(name: "search as typed: drawing the results screen", target: 5, samples: frames))
        results.append(Measure(name: "search as typed: exact counts after the frame (words with filters)", target: 50, samples: counts))
        // Mark all read and its undo, timed apart: each run marks every post, then undoes it.
        var markSamples: [Double] = []
        var undoSamples: [Double] = []
        for run in 0..<(min(runs, 20) + 2) {
            let marked = DispatchTime.now()
            let entry = try store.markAllRead(.all)
            let markTime = seconds(since: marked) * 1000
            let undone = DispatchTime.now()
            _ = try store.undo(entry.token)
            if run >= 2 {  // warm up
                markSamples.append(markTime)
                undoSamples.append(seconds(since: undone) * 1000)
            }
        }
        results.append(Measure(name: "mark all \(stats.posts) posts read", target: 300, samples: markSamples))
        results.append(Measure(name: "undo that", target: 300, samples: undoSamples))

        let size = ["", "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: path + $0)[.size] as? Int }.reduce(0, +)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)

        Output.line("Community: \(stats.posts) posts, \(stats.members) members, \(stats.comments) comments; \(runs) runs per query")
        if let generation { Output.line("Generated in \(String(format: "%.1f", generation)) s") }
        Output.line("Cache size: \(String(format: "%.1f", Double(size) / 1_048_576)) MiB; opened in \(String(format: "%.1f", opening)) ms; peak RSS \(usage.ru_maxrss / 1024) MiB")
        Output.line()
        Output.line("| query | median ms | p99 ms | target ms | |")
        Output.line("|---|---:|---:|---:|---|")
        for m in results {
            let verdict = m.target.map { m.p99 <= $0 ? "ok" : "over" } ?? ""
            Output.line("| \(m.name) | \(String(format: "%.2f", m.median)) | \(String(format: "%.2f", m.p99)) | \(m.target.map { String(format: "%.0f", $0) } ?? "") | \(verdict) |")
        }
        var seen = Set<String>()
        let worst = slowest.sorted { $0.0 > $1.0 }.filter { seen.insert($0.1).inserted }.prefix(8).map { String(format: "%.1f ms", $0.0) + " \"\($0.1)\"" }
        Output.line()
        Output.line("Slowest keystrokes: " + worst.joined(separator: ", "))
    }

    private func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
