/// A key as the reader sees it, whatever terminal sent it.
public enum Key: Hashable, Sendable {
    case character(Character)
    case control(Character)  // Ctrl-a ... Ctrl-z, as the lower-case letter
    case enter, escape, backspace, tab, backTab, delete
    case up, down, left, right, pageUp, pageDown, home, end
    case function(Int)

    /// How the key is written in key tables and help: "j", "Enter", "C-d", "PgDn".
    public var name: String {
        switch self {
        case .character(" "): "Space"
        case .character(let c): String(c)
        case .control(let c): "C-\(c)"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .delete: "Del"
        case .up: "Up"
        case .down: "Down"
        case .left: "Left"
        case .right: "Right"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .function(let n): "F\(n)"
        }
    }
}

public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case press, wheelUp, wheelDown }

    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

public enum Event: Hashable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
}

/// Where frames go and events come from: ncurses in the program, a `TestBackend` in tests.
public protocol TerminalBackend {
    var size: (width: Int, height: Int) { get }
    /// Puts a frame on the screen, with the real cursor at `cursor` (screen readers follow it).
    mutating func draw(_ buffer: Buffer, cursor: (x: Int, y: Int)?)
    /// The next event; nil when `timeoutMilliseconds` passed (or a signal came) with none.
    mutating func nextEvent(timeoutMilliseconds: Int) -> Event?
    /// True when no event will ever come again (a test's script has run out).
    var isExhausted: Bool { get }
}

extension TerminalBackend {
    public var isExhausted: Bool { false }
}

/// A backend for tests: events are queued, frames are kept.
public struct TestBackend: TerminalBackend {
    public var size: (width: Int, height: Int)
    public var events: [Event]
    /// Work to do in an idle moment just before the event at that position (another process
    /// writing the cache, say): the backend runs it and answers "no event" once.
    public var idle: [Int: () -> Void] = [:]
    private var handed = 0
    public private(set) var frames: [Buffer] = []
    public private(set) var cursor: (x: Int, y: Int)?

    public init(width: Int, height: Int, events: [Event] = []) {
        size = (width, height)
        self.events = events
    }

    public var lastFrame: Buffer? { frames.last }

    public var isExhausted: Bool { events.isEmpty && idle.isEmpty }

    public mutating func draw(_ buffer: Buffer, cursor: (x: Int, y: Int)?) {
        frames.append(buffer)
        self.cursor = cursor
    }

    public mutating func nextEvent(timeoutMilliseconds: Int) -> Event? {
        if let work = idle.removeValue(forKey: handed) {
            work()
            return nil
        }
        guard !events.isEmpty else { return nil }
        handed += 1
        let event = events.removeFirst()
        if case .resize(let w, let h) = event { size = (w, h) }
        return event
    }
}
