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
            $BROWSER, m roster, ? help, q quits. The full list is in docs/keys.md and behind ?. \
            NO_COLOR set means no colour. Needs a terminal: in a pipe use agora list, agora show ...
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
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
        let reader = Reader(store: store, theme: noColor ? Theme.standard.withoutColor : .standard) { url in
            Browser.open(url, suspending: backend)
        }
        // For timing start-up from outside (docs/benchmarks.md): quit once the first frame is up.
        reader.run(on: &screen, community: community,
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
    /// Runs $BROWSER with the link as one argument: never through a shell.
    static func open(_ url: String, suspending backend: NcursesBackend) -> String {
        let environment = ProcessInfo.processInfo.environment
        guard let browser = environment["BROWSER"]?.split(separator: ":").first.map(String.init),
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
