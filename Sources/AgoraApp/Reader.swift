import AgoraKit
import AgoraTUI
import TerminalCore

/// The themes `T` cycles through, by name: the first ready, each other one made the first time
/// it is shown. A value: the loop keeps the ones it has made.
public struct ThemeShelf: Sendable {
    public let names: [String]
    private var made: [Int: Theme]
    private let make: @Sendable (String) -> Theme

    public init(names: [String], first: Theme, make: @escaping @Sendable (String) -> Theme) {
        self.names = names.isEmpty ? [first.name] : names
        made = [0: first]
        self.make = make
    }

    public init(_ themes: [Theme]) {
        let all = themes.isEmpty ? [Theme.standard] : themes
        self.init(names: all.map(\.name), first: all[0]) { name in all.first { $0.name == name } ?? all[0] }
    }

    public mutating func theme(_ index: Int) -> Theme {
        let i = min(max(0, index), names.count - 1)
        if let known = made[i] { return known }
        let theme = make(names[i])
        made[i] = theme
        return theme
    }
}

/// The reader's loop: draws a frame, writes what the frame already shows, waits for an event,
/// lets the state handle it and runs the effects it asks for against the store. The program runs
/// it on ncurses, tests on a `TestBackend`.
public struct Reader {
    public let runner: EffectRunner
    /// The themes `T` cycles through, ready for the terminal; the first is the one to start with.
    public let themes: ThemeShelf
    public let settings: ReaderSettings
    /// Runs a link's browser; answers the message to show.
    public let openURL: (String) -> String
    /// Syncs every source in the background (`R`), when the program gives a way to.
    public var sync: BackgroundSync?

    public init(store: any CommunityStore, theme: Theme, openURL: @escaping (String) -> String) {
        self.init(store: store, themes: ThemeShelf([theme]), settings: ReaderSettings(), openURL: openURL)
    }

    public init(store: any CommunityStore, themes: [Theme], settings: ReaderSettings, openURL: @escaping (String) -> String) {
        self.init(store: store, themes: ThemeShelf(themes), settings: settings, openURL: openURL)
    }

    public init(store: any CommunityStore, themes: ThemeShelf, settings: ReaderSettings, openURL: @escaping (String) -> String) {
        runner = EffectRunner(store: store)
        self.themes = themes
        var settings = settings
        settings.themeNames = themes.names
        settings.themeIndex = 0
        self.settings = settings
        self.openURL = openURL
    }

    /// Seconds on a clock that only goes forward (how long the reader has been open is read
    /// from it: `sync-interval`).
    public static func seconds() -> Double {
        let elapsed = origin.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    private static let origin = ContinuousClock.now

    /// Runs until the reader quits, `stop` says so, or (with `exitAfterFirstFrame`, for timing
    /// start-up) the first frame is up. A backend with no more events ends it too.
    /// `afterFirstFrame` is called once the first frame is up and what it shows is written: work
    /// the frame need not wait for (making a search index an import left) starts there.
    @discardableResult
    public func run<Backend: TerminalBackend>(
        on backend: inout Backend, community: Community, message: String? = nil, problems: [String] = [], exitAfterFirstFrame: Bool = false,
        stop: () -> Bool = { false }, idleMilliseconds: Int = 500,
        clock: () -> Double = Reader.seconds, afterFirstFrame: () -> Void = {}
    ) -> AppState {
        var firstFrameFollowed = false
        let opened = clock()
        let size = backend.size
        var state = AppState(width: size.width, height: size.height, community: community, settings: settings)
        state.problems = problems
        var themes = self.themes
        _ = try? runner.store.changedElsewhere()  // from here on, what others write is noticed
        let startSync = { (source: Source.ID?) in self.sync?.start(only: source) ?? "Syncing is not available here." }
        // Effects the frame need not wait for are handed back, to be done once it is drawn.
        func settle(_ state: inout AppState, _ effects: [Effect]) -> [Effect] {
            runner.settle(&state, effects, deferWrites: true, openURL: openURL, startSync: startSync)
        }
        var writes = settle(&state, state.start())
        if let message, state.message == nil { state.message = message }
        if !problems.isEmpty, state.message == nil {
            state.message = "\(problems.count) problem\(problems.count == 1 ? "" : "s") in the config or theme: \(state.keymap.label(.help)) lists them"
        }
        while true {
            let theme = themes.theme(state.settings.themeIndex)
            let (frame, cursor) = Screen.render(state, theme: theme)
            backend.draw(frame, cursor: cursor)
            // Leaving after this frame: only what it already shows is written (reads that waited
            // for it would only make another frame).
            if state.quit || stop() || exitAfterFirstFrame {
                let kept = writes.filter(\.isStateWrite)
                if !kept.isEmpty { runner.write(kept, into: &state, openURL: openURL) }
                return state
            }
            // The frame is up: now write what it already shows. A failure shows on the next one.
            if !writes.isEmpty {
                let message = state.message
                // Reads that waited for the writes (counts of a list that picks by state) change the frame too.
                let reads = writes.contains { !$0.isStateWrite }
                runner.write(writes, into: &state, openURL: openURL)
                writes = []
                if reads || state.message != message { continue }
            }
            if state.quit || stop() || exitAfterFirstFrame { return state }
            if !firstFrameFollowed {
                firstFrameFollowed = true
                afterFirstFrame()
            }
            // A background sync's progress, or its end: the rows it brought show as they come.
            if let news = sync?.news() {
                writes = settle(&state, state.update(.loaded(news)))
                continue
            }
            guard let event = backend.nextEvent(timeoutMilliseconds: idleMilliseconds) else {
                if backend.isExhausted { return state }
                // Idle: another process may have written the cache (a sync, a mark elsewhere).
                if (try? runner.store.changedElsewhere()) == true {
                    writes = settle(&state, state.update(.refresh))
                }
                writes += settle(&state, state.update(.tick(seconds: clock() - opened)))
                continue
            }
            writes = settle(&state, state.handle(event))
            writes += settle(&state, state.update(.tick(seconds: clock() - opened)))
        }
    }
}
