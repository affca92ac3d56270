import TerminalCore

/// Where a binding applies.
public enum Pane: String, CaseIterable, Hashable, Sendable {
    case posts, detail, roster
}

/// Everything a person can ask the reader to do with a key.
public enum Command: String, CaseIterable, Hashable, Sendable {
    case down = "down", up = "up", pageDown = "page-down", pageUp = "page-up", top = "top", bottom = "bottom"
    case nextPane = "next-pane", previousPane = "previous-pane", open = "open", back = "back"
    case quit = "quit", quitNow = "quit-now", toggleRead = "toggle-read", toggleStar = "toggle-star"
    case markAllRead = "mark-all-read", undo = "undo", nextUnread = "next-unread", previousUnread = "previous-unread"
    case author = "author", nextComment = "next-comment", previousComment = "previous-comment"
    case openLink = "open-link", roster = "roster", help = "help"
}

/// One line of the action table: the command, its default keys, what it does, where it applies
/// (empty: everywhere), and whether the status line shows it as a hint.
public struct Binding: Hashable, Sendable {
    public var command: Command
    public var keys: [Key]
    public var help: String
    public var panes: Set<Pane>
    public var hint: String?

    public init(_ command: Command, _ keys: [Key], _ help: String, panes: Set<Pane> = [], hint: String? = nil) {
        self.command = command
        self.keys = keys
        self.help = help
        self.panes = panes
        self.hint = hint
    }
}

/// The one table of key bindings: the reader, the help screen, the status line hints and
/// docs/keys.md all come from it.
public struct KeyMap: Sendable {
    public var bindings: [Binding]

    public init(bindings: [Binding]) { self.bindings = bindings }

    public static let standard = KeyMap(bindings: [
        Binding(.down, [.character("j"), .down], "Move down (scroll down in an article)", hint: "j/k move"),
        Binding(.up, [.character("k"), .up], "Move up (scroll up in an article)"),
        Binding(.pageDown, [.pageDown, .character(" "), .control("f")], "Page down"),
        Binding(.pageUp, [.pageUp, .character("b"), .control("b")], "Page up"),
        Binding(.top, [.character("g"), .home], "Go to the top"),
        Binding(.bottom, [.character("G"), .end], "Go to the bottom"),
        Binding(.nextPane, [.tab, .character("l"), .right], "Focus the next pane", hint: "Tab pane"),
        Binding(.previousPane, [.backTab, .character("h"), .left], "Focus the previous pane"),
        Binding(.open, [.enter], "Open the post, member, or profile entry", hint: "Enter open"),
        Binding(.back, [.escape, .backspace], "Go back to where you were"),
        Binding(.quit, [.character("q")], "Go back, or quit at the top", hint: "q back/quit"),
        Binding(.quitNow, [.character("Q")], "Quit"),
        Binding(.toggleRead, [.character("r")], "Mark the post read or unread", panes: [.posts, .detail], hint: "r read"),
        Binding(.toggleStar, [.character("s")], "Star or unstar the post", panes: [.posts, .detail], hint: "s star"),
        Binding(.markAllRead, [.character("A")], "Mark all posts read (asks first)", panes: [.posts]),
        Binding(.undo, [.character("u")], "Undo the last mark-all-read", panes: [.posts]),
        Binding(.nextUnread, [.character("n")], "Open the next unread post", panes: [.posts, .detail], hint: "n next unread"),
        Binding(.previousUnread, [.character("N")], "Open the previous unread post", panes: [.posts, .detail]),
        Binding(.author, [.character("a")], "Go to the author (of the comment at the top, after [ or ])",
                panes: [.detail], hint: "a author"),
        Binding(.nextComment, [.character("]")], "Go to the next comment", panes: [.detail]),
        Binding(.previousComment, [.character("[")], "Go to the previous comment", panes: [.detail]),
        Binding(.openLink, [.character("o")], "Open link number N in $BROWSER (o, then the number)",
                panes: [.detail], hint: "o link"),
        Binding(.roster, [.character("m")], "Show the member roster (in place of the posts when narrow)"),
        Binding(.help, [.character("?"), .function(1)], "Show this help", hint: "? help"),
    ])

    /// The command a key means in a pane.
    public func command(for key: Key, in pane: Pane) -> Command? {
        bindings.first { $0.keys.contains(key) && ($0.panes.isEmpty || $0.panes.contains(pane)) }?.command
    }

    public func binding(_ command: Command) -> Binding? { bindings.first { $0.command == command } }

    /// "j, Down" for help and docs.
    public static func describe(_ keys: [Key]) -> String { keys.map(\.name).joined(separator: ", ") }

    /// Pairs of commands that share a key in some pane: what a conflict looks like.
    public var conflicts: [(Key, Command, Command)] {
        var out: [(Key, Command, Command)] = []
        for (i, a) in bindings.enumerated() {
            for b in bindings[(i + 1)...] {
                let sharedPanes = a.panes.isEmpty || b.panes.isEmpty || !a.panes.isDisjoint(with: b.panes)
                guard sharedPanes else { continue }
                for key in a.keys where b.keys.contains(key) { out.append((key, a.command, b.command)) }
            }
        }
        return out
    }

    /// docs/keys.md, made from the table.
    public var markdown: String {
        var lines = [
            "# Keys",
            "",
            "Made from the reader's action table (`Sources/AgoraTUI/KeyMap.swift`); a test fails when this file",
            "differs from it. Press `?` in the reader for the same list.",
            "",
            "| keys | action | what it does | where |",
            "|---|---|---|---|",
        ]
        for b in bindings {
            let keys = b.keys.map { "`\($0.name)`" }.joined(separator: ", ")
            let panes = b.panes.isEmpty ? "everywhere" : Pane.allCases.filter(b.panes.contains).map(\.label).joined(separator: ", ")
            lines.append("| \(keys) | `\(b.command.rawValue)` | \(b.help) | \(panes) |")
        }
        lines += [
            "",
            "In the confirmation for `A`, `y` marks everything read; any other key cancels. After `o`, type",
            "the link's number and Enter (or just the number when it cannot be longer); Esc cancels.",
            "",
            "Mouse: a click focuses a pane and selects the row under it; the wheel scrolls the pane under",
            "the pointer. Scrolling never marks anything read.",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}

extension Pane {
    public var label: String {
        switch self {
        case .posts: "post list"
        case .detail: "article and profile"
        case .roster: "roster"
        }
    }
}
