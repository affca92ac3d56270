import AgoraApp
import AgoraImport
import AgoraKit
import AgoraTUI
import ArgumentParser
import Foundation
import NcursesBackend
import TerminalCore

#if canImport(Glibc)
import Glibc
#endif

struct Read: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the reader: the post list, the article and the member roster (the default command).",
        discussion: """
            Keys: j/k move, Enter opens, Tab changes pane, Esc goes back, r read, s star, A mark \
            all read (u undoes), n next unread, a author, [ ] comments, o N opens link N in \
            $BROWSER, m roster, / search as you type, U unread only, S starred only, P this member's \
            posts, C their country, # this tag, X all again, O sort, f filter the roster by name, T next \
            theme, R sync every source in the background, F sources, i the community at a glance, M mute a member, ? help, q quits, C-c quits from anywhere. The full list is in docs/keys.md and \
            behind ?; the config file can change every key, those of the search line, the roster \
            filter, the link number and the mark-all-read question included (agora config --default).

            What another process writes to the cache while the reader is open (a sync, a mark in \
            another terminal) shows within half a second. F lists the sources with their unread \
            posts and new replies: Enter reads one, A marks one read. --sync (or sync-on-start in \
            the config) syncs every source as the reader opens, sync-interval every N minutes \
            while it is open.

            Links open in the config's browser, else $BROWSER, else xdg-open, as one argument and \
            never through a shell; only http, https and mailto links, never one that begins with -.

            Colours follow the terminal: a theme is brought down to the 256, 16 or 8 colours it has, \
            and NO_COLOR (any value) means none. Needs a terminal: in a pipe use agora list, agora show ...
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var appearance: AppearanceOptions
    @Flag(name: .customLong("sync"), help: "Sync every feed and forum in the background as the reader opens (config: sync-on-start).")
    var syncOnStart = false

    func run() throws {
        let config = try Appearance.config(path: appearance.config)
        let catalog = Appearance.catalog()
        var warnings = config.diagnostics
        var themeName = appearance.theme ?? config.theme ?? "default"
        if catalog.sources[themeName] == nil {
            let known = catalog.names.joined(separator: ", ")
            if appearance.theme != nil { throw AgoraError.invalidArgument("no theme '\(themeName)' (themes: \(known))") }
            warnings.append(Diagnostic(file: config.path, line: config.themeLine, message: "no theme '\(themeName)' (themes: \(known)); using default"))
            themeName = "default"
        }
        // The chosen theme first; T goes on through the others in order, each read when reached.
        let names = catalog.names
        let start = names.firstIndex(of: themeName) ?? 0
        let (firstTheme, diagnostics) = catalog.theme(named: themeName) ?? (Theme.standard, [])
        warnings += diagnostics
        for warning in warnings { Output.note(Output.safe(warning.description)) }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw AgoraError.invalidArgument(TerminalError.notATerminal.description)
        }
        let store = try global.open()
        let community = try store.community()
        let environment = ProcessInfo.processInfo.environment
        let noColor = environment["NO_COLOR"] != nil
        let backend: NcursesBackend
        do {
            backend = try NcursesBackend(noColor: noColor)
        } catch let error as TerminalError {
            throw AgoraError.invalidArgument(error.description)
        }
        defer { backend.close() }
        Signals.install()
        var screen = backend
        let depth = backend.colorDepth
        let browser = config.browser
        let shelf = ThemeShelf(names: Array(names[start...] + names[..<start]), first: firstTheme.reduced(to: depth)) { name in
            (catalog.theme(named: name)?.theme ?? .standard).reduced(to: depth)
        }
        var settings = config.settings
        // The terminal is set to UTF-8 for the text either way; charts keep to ASCII where the
        // locale says the terminal has no more.
        settings.unicodeCharts = TextLocale.isUTF8(environment)
        if syncOnStart { settings.syncOnStart = true }
        var reader = Reader(store: store, themes: shelf, settings: settings) { url in
            Browser.open(url, command: browser, suspending: backend)
        }
        reader.sync = BackgroundSync(job: BackgroundSyncJob.every(in: global.path))
        // For timing start-up from outside (docs/benchmarks.md): quit once the first frame is up.
        var startMessage: String?
        if store.isReadOnly {
            let why = ((store as? SQLiteStore)?.readOnlyReason ?? .file).description
            startMessage = "Reading only (\(why)): marks are not saved."
        }
        reader.run(on: &screen, community: community, message: startMessage, problems: warnings.map { Sanitizer.line($0.description) },
                   exitAfterFirstFrame: environment["AGORA_EXIT_AFTER_FIRST_FRAME"] != nil,
                   stop: { Signals.stop != 0 },
                   afterFirstFrame: { [path = global.path] in
                       // What an import left to index, made once the first frame is up: asked of this
                       // connection, the thread and its connection only when needed.
                       if !store.isReadOnly, (try? store.searchIndexProgress().isComplete) == false { SearchIndexCatchUp.start(in: path) }
                   })
    }
}

/// A search index an import left to be made after it (more than a step, docs/cli.md), or one
/// stopped after its content (a person pressed Ctrl-C, the machine went down): the reader makes
/// the rest once its first frame is up, on a connection and a thread of its own, a few hundred
/// posts or comments a transaction. Another process indexing
/// at the same time takes turns with it; quitting mid-step leaves that step undone, not half done.
enum SearchIndexCatchUp {
    static func start(in path: String) {
        let thread = Thread {
            guard let store = try? SQLiteStore(path: path, create: false) else { return }
            _ = try? store.indexForSearch(step: 500)
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// `R` in the reader: `agora sync` of every feed source, on its own connection to the cache.
enum BackgroundSyncJob {
    static func every(in path: String) -> BackgroundSync.Job {
        { only, progress in
            guard let store = try? Cache.openExisting(path: path),
                  let sources = try? store.sources().filter({ $0.isSynced && (only == nil || $0.id == only) }), !sources.isEmpty else {
                return SyncNews(done: 0, total: 0, new: 0, failed: 0)
            }
            let tally = Tally(total: sources.count)
            var sync = Sync(deadline: 600)
            sync.forumProgress = { source, step in
                progress(tally.detail("\(source.name): \(step.topics)/\(step.topicsToRead) topics, \(step.requests) requests"))
            }
            sync.listProgress = { source, step in
                progress(tally.detail("\(source.name): \(step.months)/\(step.monthsToRead) months, \(step.requests) requests"))
            }
            _ = sync.run(sources, into: store) { report in progress(tally.add(report)) }
            return tally.news
        }
    }

    /// Sources done so far, from the sync's threads.
    private final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var value: SyncNews

        init(total: Int) { value = SyncNews(done: 0, total: total, new: 0, failed: 0) }

        func add(_ report: SyncReport) -> SyncNews {
            lock.lock()
            defer { lock.unlock() }
            value.done += 1
            value.detail = nil
            value.new += report.added
            value.newReplies += report.commentsAdded ?? 0
            if report.status == .failed { value.failed += 1 }
            return value
        }

        func detail(_ text: String) -> SyncNews {
            lock.lock()
            defer { lock.unlock() }
            value.detail = text
            return value
        }

        var news: SyncNews {
            lock.lock()
            defer { lock.unlock() }
            return value
        }
    }
}

/// SIGINT, SIGTERM and SIGHUP end the reader through its own loop, so the terminal is restored.
enum Signals {
    nonisolated(unsafe) static var stop: sig_atomic_t = 0

    static func install() {
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in Signals.stop = 1 }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0  // no SA_RESTART: a blocked read returns, and the loop sees the flag
            sigaction(signal, &action, nil)
        }
    }
}

/// Opening links.
enum Browser {
    /// Runs the config's browser, else $BROWSER, else xdg-open, with the link as one argument of
    /// its own: never through a shell, never a link that is not web or mail, never one that could
    /// be read as an option (see `Links`).
    static func open(_ url: String, command: String?, suspending backend: NcursesBackend) -> String {
        if let problem = Links.problem(url) { return "Not opened: \(problem). The link: \(url)" }
        let environment = ProcessInfo.processInfo.environment
        let configured = command ?? environment["BROWSER"]?.split(separator: ":").first.map(String.init)
        let browser = configured.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            ?? (executable("xdg-open", path: environment["PATH"]) != nil ? "xdg-open" : nil)
        guard let browser else { return "Set $BROWSER (or browser in the config) to open links. The link: \(url)" }
        let argv = Links.command(browser: browser, link: url)
        guard let program = executable(argv[0], path: environment["PATH"]) else { return "cannot run \(argv[0]): not found" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = Array(argv.dropFirst())
        var failure: String?
        backend.suspend {
            do {
                try process.run()
                process.waitUntilExit()
                if process.terminationStatus != 0 { failure = "\(argv[0]) exited with status \(process.terminationStatus)" }
            } catch {
                failure = "cannot run \(argv[0]): \(AgoraError.reason(of: error))"
            }
        }
        return failure ?? "Opened \(url)"
    }

    /// A program by path, or found on PATH, as the shell would find it (but with no shell).
    static func executable(_ name: String, path: String?) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
