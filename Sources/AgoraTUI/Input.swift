import TerminalCore

/// What the reader is asked to do: a key turned into a command of the table in force, text
/// typed into a line, a key no table takes, a resize, a click, or what an effect brought back.
public enum Action: Hashable, Sendable {
    case command(Command)
    /// A character for the line being typed (a search, a name, a link's number).
    case insert(Character)
    /// A key no binding takes where keys go now: it cancels a question, closes the help.
    case unbound(Key)
    case resize(width: Int, height: Int)
    case mouse(MouseEvent)
    case loaded(Loaded)
    /// The cache changed under the reader (another process wrote it): load again what is shown.
    case refresh
    /// Time passes: this many seconds since the reader opened (a clock the loop keeps).
    case tick(seconds: Double)
}

/// The one way keys come in: an event, the context keys go to, and the key table in force
/// make actions. It keeps the keys of a sequence typed so far ("g" of "g g").
public struct InputRouter: Hashable, Sendable {
    public private(set) var pending: [Key] = []

    public init() {}

    public mutating func route(_ event: Event, in context: KeyContext, keymap: KeyMap) -> [Action] {
        switch event {
        case .resize(let width, let height): return [.resize(width: width, height: height)]
        case .mouse(let mouse): return [.mouse(mouse)]
        case .key(let key): return route(key, in: context, keymap: keymap)
        }
    }

    private mutating func route(_ key: Key, in context: KeyContext, keymap: KeyMap) -> [Action] {
        let typed = pending + [key]
        switch keymap.match(typed, in: context) {
        case .command(let command):
            pending = []
            return [.command(command)]
        case .prefix:
            pending = typed
            return []
        case .none:
            // A key that does not go on from a half-typed sequence counts on its own.
            if !pending.isEmpty {
                pending = []
                return route(key, in: context, keymap: keymap)
            }
            // C-c quits wherever the reader is, unless the config gave it to an action.
            if key == .control("c") { return [.command(.quitNow)] }
            if context.takesText, case .character(let c) = key { return [.insert(c)] }
            return [.unbound(key)]
        }
    }
}
