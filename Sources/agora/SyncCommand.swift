import AgoraImport
import AgoraKit
import ArgumentParser
import Foundation

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Bring feeds and forums up to date over HTTP(S): all of them, or the ones named.",
        discussion: """
            Up to four sources are fetched at once. Each asks only for what changed (ETag and \
            Last-Modified are kept per source; an answer of 304 costs nothing), accepts gzip, \
            follows at most five redirects and gives up after --timeout seconds; the whole sync \
            stops at --deadline. A feed is read as it arrives and refused past --max-size MiB, \
            sent or inflated. A server that answers 429 or 503 with Retry-After is left alone \
            until then (a day at most); --now asks anyway. Each source is \
            written in its own transaction: one that fails (DNS, HTTP 404 or 500, a timeout, a \
            broken feed) is reported and the others go on. Items that left the feed stay in the \
            cache. A Discourse forum is read politely: the latest topics back to the last sync, \
            only the posts the cache lacks, at most two requests at once and --rate a second; \
            a Retry-After up to ten minutes is waited out, a longer one stops that forum until \
            then. Exit status 1 when any source failed.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("Source ids to sync (default: every feed source).", valueName: "id")) var ids: [String] = []
    @Option(help: "Seconds a source may take before it is given up.") var timeout: Double = 30
    @Option(help: "Seconds the whole sync may take.") var deadline: Double = 600
    @Option(name: .customLong("max-size"), help: "The largest feed to take, in MiB (sent or inflated).") var maxSize: Int = Fetcher.defaultMaxBytes >> 20
    @Flag(help: "Fetch even the sources a server asked to wait (Retry-After).") var now = false
    @Option(help: "Requests a second to one forum (0: as fast as it answers).") var rate: Double = Pacing.defaultRate
    @Flag(help: "Print a JSON summary per source.") var json = false

    func validate() throws {
        if !(rate >= 0) || !rate.isFinite { throw ValidationError("--rate must be 0 or more") }
        if !(timeout > 0) { throw ValidationError("--timeout must be more than 0") }
        if !(deadline > 0) { throw ValidationError("--deadline must be more than 0") }
        if !(1...4_096).contains(maxSize) { throw ValidationError("--max-size must be from 1 to 4096 (MiB)") }
    }

    func run() throws {
        let store = try global.openForImport()
        let all = try store.sources().filter(\.isSynced)
        var chosen: [Source] = []
        for id in ids {
            guard let source = all.first(where: { $0.id.rawValue == id }) else {
                throw AgoraError.invalidArgument("no feed or forum with id '\(id)' (agora sources lists them)")
            }
            if !chosen.contains(source) { chosen.append(source) }
        }
        if ids.isEmpty { chosen = all }
        if chosen.isEmpty {
            if json { try Output.json([SyncReport]()) } else { Output.line("No feeds or forums to sync. Add one with `agora sources add URL`.") }
            return
        }
        let progress = Progress()
        var sync = Sync(fetcher: Fetcher(timeout: timeout, maxBytes: maxSize << 20), deadline: deadline, ignoreRetryAfter: now)
        sync.pacing = Pacing(rate: rate > 0 ? rate : nil)
        sync.forumProgress = { source, step in
            progress.status("\(source.name): \(step.topics)/\(step.topicsToRead) topics, \(step.posts) posts, \(step.members) members, "
                            + "\(step.requests) requests" + (step.waited > 0 ? ", waited \(Int(step.waited.rounded())) s" : ""))
        }
        sync.listProgress = { source, step in
            progress.status("\(source.name): \(step.months)/\(step.monthsToRead) months, \(step.messages) messages, \(step.requests) requests")
        }
        let reports = sync.run(chosen, into: store) { report in
            progress.line("\(report.status == .failed ? "!" : "·") \(report.name): \(report.summary)")
        }
        if json {
            try Output.json(reports)
        } else {
            var table = Table([.init(title: "SOURCE", maxWidth: 36), .init(title: "NEW", alignment: .right),
                               .init(title: "UPDATED", alignment: .right), .init(title: "STATUS", flexible: true)])
            for r in reports {
                table.add([r.source, String(r.added), String(r.updated),
                           r.status == .failed ? "failed: " + (r.error ?? "") : r.status == .notModified ? "not modified"
                            : r.status == .waiting ? (r.error ?? "waiting") : "ok"])
            }
            table.print(header: true)
        }
        if reports.contains(where: { $0.status == .failed }) { throw ExitCode(1) }
    }
}
