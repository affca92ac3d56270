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

struct Read: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the reader: the post list, the article and the member roster (the default command).",
        discussion: """
            Keys: j/k move, Enter opens, Tab changes pane, Esc goes back, r read, s star, A mark \
            all read (u undoes), n next unread, a author, [ ] comments, o N opens link N in \
            $BROWSER, m roster, / search as you type, U unread only, S starred only, P this member's \
            posts, C their country, # this tag, X all again, O sort, f filter the roster by name, T next \
            theme, ? help, q quits, C-c quits from anywhere. The full list is in docs/keys.md and \
            behind ?; the config file can change every key, those of the search line, the roster \
            filter, the link number and the mark-all-read question included (agora config --default).

            Colours follow the terminal: a theme is brought down to the 256, 16 or 8 colours it has, \
            and NO_COLOR (any value) means none. Needs a terminal: in a pipe use agora list, agora show ...
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var appearance: AppearanceOptions

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
        let reader = Reader(store: store, themes: shelf, settings: config.settings) { url in
            Browser.open(url, command: browser, suspending: backend)
        }
        // For timing start-up from outside (docs/benchmarks.md): quit once the first frame is up.
        let startMessage = warnings.isEmpty ? nil
            : "\(Output.plural(warnings.count, "problem")) in the config or theme: agora config and agora themes check say where"
        reader.run(on: &screen, community: community, message: startMessage,
                   exitAfterFirstFrame: environment["AGORA_EXIT_AFTER_FIRST_FRAME"] != nil,
                   stop: { Signals.stop != 0 })
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
    /// Runs the config's browser, else $BROWSER, with the link as one argument: never through a shell.
    static func open(_ url: String, command: String?, suspending backend: NcursesBackend) -> String {
        let environment = ProcessInfo.processInfo.environment
        guard let browser = command ?? environment["BROWSER"]?.split(separator: ":").first.map(String.init),
              !browser.trimmingCharacters(in: .whitespaces).isEmpty
        else { return "Set $BROWSER to open links. The link: \(url)" }
        var argv = browser.split(separator: " ").map(String.init)
        if argv.contains(where: { $0.contains("%s") }) {
            argv = argv.map { $0.replacingOccurrences(of: "%s", with: url) }
        } else {
            argv.append(url)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0].hasPrefix("/") ? argv[0] : "/usr/bin/env")
        process.arguments = argv[0].hasPrefix("/") ? Array(argv.dropFirst()) : argv
        var failure: String?
        backend.suspend {
            do {
                try process.run()
                process.waitUntilExit()
                if process.terminationStatus != 0 { failure = "\(argv[0]) exited with status \(process.terminationStatus)" }
            } catch {
                failure = "cannot run \(argv[0]): \(error.localizedDescription)"
            }
        }
        return failure ?? "Opened \(url)"
    }
}
