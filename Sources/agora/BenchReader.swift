import AgoraApp
import AgoraKit
import AgoraTUI
import ArgumentParser
import Foundation
import NcursesBackend
import TerminalCore

#if canImport(Glibc)
import Glibc
#endif

struct BenchReader: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reader",
        abstract: "Time the reader from a key to its frame on an existing cache (see docs/benchmarks.md).",
        discussion: """
            Replays a fixed walk through the reader (moving, paging, jumping to the end, opening \
            posts, stepping through comments, the roster, a profile, back) and times each key from \
            the event to the frame drawn by ncurses, on a screen that writes to /dev/null. Start-up \
            to the first frame is timed from outside by scripts/bench-reader.py.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Terminal width.") var width = 120
    @Option(help: "Terminal height.") var height = 40
    @Option(help: "Times to repeat the walk.") var rounds = 5

    func run() throws {
        let store = try Cache.openExisting(path: global.path)
        let backend = try NcursesBackend(headlessWidth: width, height: height)
        defer { backend.close() }
        let runner = EffectRunner(store: store)
        var state = AppState(width: width, height: height, community: try store.community())
        runner.settle(&state, state.start())
        var draw = Screen.render(state)
        backend.draw(draw.buffer, cursor: draw.cursor)

        var walk: [Key] = Array(repeating: .character("j"), count: 100) + Array(repeating: .character("k"), count: 50)
        walk += Array(repeating: .pageDown, count: 30) + [.character("G")] + Array(repeating: .pageUp, count: 10) + [.character("g")]
        walk += [.enter] + Array(repeating: .character("j"), count: 20) + Array(repeating: .character("]"), count: 20)
        walk += [.character("["), .character("a"), .character("j"), .enter, .escape, .escape, .character("n"), .character("n")]
        walk += [.tab, .tab] + Array(repeating: .character("j"), count: 30) + [.enter, .escape, .character("G"), .character("g")]
        walk += [.character("?"), .escape, .backTab, .backTab, .character("r"), .character("r"), .character("s"), .character("s")]

        var samples: [Double] = []
        var slowest: (Double, Key) = (0, .enter)
        var byKey: [String: [Double]] = [:]
        var phases = [0.0, 0.0, 0.0]
        var keyPhases: [String: [[Double]]] = [:]
        for _ in 0..<rounds {
            for key in walk {
                let started = DispatchTime.now()
                let writes = runner.settle(&state, state.handle(.key(key)), deferWrites: true)
                defer { runner.write(writes, into: &state) }  // as the reader does: after the frame
                let settled = DispatchTime.now()
                draw = Screen.render(state)
                let rendered = DispatchTime.now()
                backend.draw(draw.buffer, cursor: draw.cursor)
                let ms = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
                phases[0] += Double(settled.uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
                phases[1] += Double(rendered.uptimeNanoseconds - settled.uptimeNanoseconds) / 1e6
                phases[2] += Double(DispatchTime.now().uptimeNanoseconds - rendered.uptimeNanoseconds) / 1e6
                samples.append(ms)
                byKey[key.name, default: []].append(ms)
                keyPhases[key.name, default: []].append([
                    Double(settled.uptimeNanoseconds - started.uptimeNanoseconds) / 1e6,
                    Double(rendered.uptimeNanoseconds - settled.uptimeNanoseconds) / 1e6,
                    ms - Double(rendered.uptimeNanoseconds - started.uptimeNanoseconds) / 1e6,
                ])
                if ms > slowest.0 { slowest = (ms, key) }
            }
        }
        samples.sort()
        func percentile(_ p: Double) -> Double { samples[min(samples.count - 1, Int((p * Double(samples.count)).rounded(.up)) - 1)] }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let stats = try store.statistics()
        backend.close()
        Output.line("Reader at \(width)x\(height) on \(stats.posts) posts, \(stats.members) members: \(samples.count) keys")
        Output.line("| measure | value | target |")
        Output.line("|---|---:|---:|")
        Output.line("| key to frame, median | \(String(format: "%.2f", percentile(0.5))) ms | |")
        Output.line("| key to frame, p99 | \(String(format: "%.2f", percentile(0.99))) ms | 5 ms |")
        Output.line("| key to frame, slowest (\(slowest.1.name)) | \(String(format: "%.2f", slowest.0)) ms | |")
        Output.line("| peak RSS | \(usage.ru_maxrss / 1024) MiB | 50 MiB |")
        Output.line()
        Output.line("Slowest keys (median, worst): " + byKey.map { ($0.key, $0.value.sorted()) }
            .sorted { $0.1.last! > $1.1.last! }.prefix(6)
            .map { "\($0.0) \(String(format: "%.1f", $0.1[$0.1.count / 2]))/\(String(format: "%.1f", $0.1.last!)) ms" }
            .joined(separator: ", "))
        for name in ["Enter", "n", "a"] where keyPhases[name] != nil {
            let rows = keyPhases[name]!
            func median(_ i: Int) -> Double { rows.map { $0[i] }.sorted()[rows.count / 2] }
            Output.line(String(format: "%@: state and store %.2f ms, layout %.2f ms, ncurses %.2f ms (medians)", name, median(0), median(1), median(2)))
        }
        let total = phases.reduce(0, +)
        Output.line("Time spent: state and store \(Int(phases[0] * 100 / total))%, laying out the frame \(Int(phases[1] * 100 / total))%, ncurses \(Int(phases[2] * 100 / total))%")
        try threads()
        try glance(store)
    }

    /// The at-a-glance screen on this cache: `i` to its frame (the counts asked of the cache and
    /// the charts laid out), then `i` again to close it; 30 times.
    private func glance(_ store: any CommunityStore) throws {
        let runner = EffectRunner(store: store)
        var state = AppState(width: width, height: height, community: try store.community())
        runner.settle(&state, state.start())
        var open: [Double] = []
        for _ in 0..<31 {
            let started = DispatchTime.now()
            runner.settle(&state, state.handle(.key(.character("i"))))
            _ = Screen.render(state)
            open.append(Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6)
            runner.settle(&state, state.handle(.key(.character("i"))))
        }
        let sorted = open.dropFirst().sorted()  // the first warms up
        Output.line()
        Output.line("| the at-a-glance screen | median | worst of 30 | target |")
        Output.line("|---|---:|---:|---:|")
        Output.line("| i, to the frame | \(String(format: "%.2f", sorted[sorted.count / 2])) ms | \(String(format: "%.2f", sorted.last!)) ms | 50 ms |")
    }

    /// A post with 500 comments in 50 threads (each reply answering the one before), on a cache
    /// held in memory: opening it, and folding every thread, each to its frame.
    private func threads() throws {
        var comments: [AgoraKit.Comment] = []
        for thread in 0..<50 {
            for reply in 0..<10 {
                let id = "c-\(thread)-\(reply)"
                comments.append(AgoraKit.Comment(
                    id: AgoraKit.Comment.ID(id), post: "threads", parent: reply == 0 ? nil : AgoraKit.Comment.ID("c-\(thread)-\(reply - 1)"),
                    authorName: "Member \(reply)", published: Date(timeIntervalSince1970: 1_700_000_000 + Double(thread * 10 + reply) * 60),
                    body: "<p>Reply \(reply) in thread \(thread): a few words of text, as a comment has.</p>"))
            }
        }
        let post = Post(id: "threads", title: "A post with 500 comments", published: Date(timeIntervalSince1970: 1_700_000_000),
                        body: "<p>Body.</p>")
        let store = try JSONStore(content: CacheContent(community: Community(name: "Bench"), posts: [post], comments: comments))
        let runner = EffectRunner(store: store)
        var open: [Double] = [], fold: [Double] = []
        for _ in 0..<30 {
            var state = AppState(width: width, height: height, community: try store.community())
            runner.settle(&state, state.start())
            func timed(_ key: Key) -> Double {
                let started = DispatchTime.now()
                runner.settle(&state, state.handle(.key(key)))
                _ = Screen.render(state)
                return Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
            }
            open.append(timed(.enter))
            fold.append(timed(.character("Z")))
        }
        func row(_ name: String, _ values: [Double]) {
            let sorted = values.sorted()
            Output.line("| \(name) | \(String(format: "%.2f", sorted[sorted.count / 2])) ms | \(String(format: "%.2f", sorted.last!)) ms | 10 ms |")
        }
        Output.line()
        Output.line("| a post with 500 comments in 50 threads | median | worst of 30 | target |")
        Output.line("|---|---:|---:|---:|")
        row("open it, to the frame", open)
        row("fold every thread (Z), to the frame", fold)
    }
}
