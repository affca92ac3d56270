import TerminalCore

/// Where a binding applies.
public enum Pane: String, CaseIterable, Hashable, Sendable {
    case posts, detail, roster
}

/// Everything a person can ask the reader to do with a key. The raw values are the action
/// names of the config file's `[keys]` table.
public enum Command: String, CaseIterable, Hashable, Sendable {
    case down = "down", up = "up", pageDown = "page-down", pageUp = "page-up", top = "top", bottom = "bottom"
    case nextPane = "next-pane", previousPane = "previous-pane", open = "open", back = "back"
    case quit = "quit", quitNow = "quit-now", toggleRead = "toggle-read", toggleStar = "toggle-star"
    case markAllRead = "mark-all-read", undo = "undo", nextUnread = "next-unread", previousUnread = "previous-unread"
    case author = "author", nextComment = "next-comment", previousComment = "previous-comment"
    case openLink = "open-link", roster = "roster", search = "search", toggleUnreadOnly = "toggle-unread-only"
    case toggleStarredOnly = "toggle-starred-only", filterAuthor = "filter-author", filterCountry = "filter-country"
    case filterTag = "filter-tag", clearFilters = "clear-filters", cycleSort = "cycle-sort", filterRoster = "filter-roster"
    case cycleTheme = "cycle-theme", help = "help"
}

/// One or more keys pressed one after another: `g g`, or just `j`.
public struct KeySequence: Hashable, Sendable {
    public var keys: [Key]

    public init(_ keys: [Key]) { self.keys = keys }
    public init(_ key: Key) { keys = [key] }

    /// "g g", "C-d", "Down".
    public var name: String { keys.map(\.name).joined(separator: " ") }

    /// Whether this is the start of a longer sequence (`g` of `g g`).
    public func begins(_ longer: KeySequence) -> Bool {
        keys.count < longer.keys.count && Array(longer.keys.prefix(keys.count)) == keys
    }

    /// The same keys, or one the start of the other: in one pane, only one of them can be typed.
    public func clashes(with other: KeySequence) -> Bool { self == other || begins(other) || other.begins(self) }

    /// Reads "j", "Down", "C-d", "g g", "S-Tab", "F5", "Space"; says what is wrong otherwise.
    public static func parse(_ text: String) -> Result<KeySequence, KeyNameError> {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard !words.isEmpty else {
            return text.isEmpty ? .failure(KeyNameError(message: "an empty key name")) : .success(KeySequence(.character(" ")))
        }
        var keys: [Key] = []
        for word in words {
            guard let key = Key(name: word) else {
                return .failure(KeyNameError(message: "unknown key '\(word)' (keys are written j, J, Down, C-d, S-Tab, F5, Space, Enter, Esc, PgDn ...)"))
            }
            keys.append(key)
        }
        guard keys.count <= 4 else { return .failure(KeyNameError(message: "'\(text)' is too long: a sequence has at most 4 keys")) }
        return .success(KeySequence(keys))
    }
}

public struct KeyNameError: Error, Hashable, Sendable {
    public var message: String
}

extension Key {
    /// The key a name stands for, as key tables and the config file write it.
    public init?(name: String) {
        let aliases: [String: Key] = [
            "space": .character(" "), "enter": .enter, "return": .enter, "ret": .enter, "esc": .escape, "escape": .escape,
            "backspace": .backspace, "bs": .backspace, "tab": .tab, "s-tab": .backTab, "backtab": .backTab,
            "del": .delete, "delete": .delete, "up": .up, "down": .down, "left": .left, "right": .right,
            "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown, "pagedown": .pageDown, "home": .home, "end": .end,
        ]
        if name.count == 1, let c = name.first, !c.isWhitespace, !(c.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) {
            self = .character(c)
            return
        }
        if let key = aliases[name.lowercased()] {
            self = key
            return
        }
        let lower = name.lowercased()
        if lower.hasPrefix("c-"), name.count == 3, let c = lower.last, c.isASCII, c.isLetter {
            self = .control(c)
            return
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) {
            self = .function(n)
            return
        }
        return nil
    }
}

/// What a sequence of keys typed so far means in a pane.
public enum KeyMatch: Hashable, Sendable {
    case command(Command)
    /// The start of a longer binding: wait for the next key.
    case prefix
    case none
}

/// One line of the action table: the command, its keys, what it does, where it applies
/// (empty: everywhere), and the word the status line shows beside its first key as a hint.
public struct Binding: Hashable, Sendable {
    public var command: Command
    public var keys: [KeySequence]
    public var help: String
    public var panes: Set<Pane>
    public var hint: String?
    /// Shown as one hint with this command's keys: "j/k move".
    public var hintWith: Command?

    public init(_ command: Command, _ keys: [Key], _ help: String, panes: Set<Pane> = [], hint: String? = nil,
                hintWith: Command? = nil) {
        self.command = command
        self.keys = keys.map { KeySequence($0) }
        self.help = help
        self.panes = panes
        self.hint = hint
        self.hintWith = hintWith
    }

    func applies(in pane: Pane) -> Bool { panes.isEmpty || panes.contains(pane) }

    /// Whether the two apply in some pane together.
    func sharesPane(with other: Binding) -> Bool { panes.isEmpty || other.panes.isEmpty || !panes.isDisjoint(with: other.panes) }
}

/// The one table of key bindings: the reader, the help screen, the status line hints and
/// docs/keys.md all come from it. The config file's `[keys]` changes the keys of its actions.
public struct KeyMap: Hashable, Sendable {
    public var bindings: [Binding]

    public init(bindings: [Binding]) { self.bindings = bindings }

    public static let standard = KeyMap(bindings: [
        Binding(.down, [.character("j"), .down], "Move down (scroll down in an article)", hint: "move", hintWith: .up),
        Binding(.up, [.character("k"), .up], "Move up (scroll up in an article)"),
        Binding(.pageDown, [.pageDown, .character(" "), .control("f")], "Page down"),
        Binding(.pageUp, [.pageUp, .character("b"), .control("b")], "Page up"),
        Binding(.top, [.character("g"), .home], "Go to the top"),
        Binding(.bottom, [.character("G"), .end], "Go to the bottom"),
        Binding(.nextPane, [.tab, .character("l"), .right], "Focus the next pane", hint: "pane"),
        Binding(.previousPane, [.backTab, .character("h"), .left], "Focus the previous pane"),
        Binding(.open, [.enter], "Open the post, member, or profile entry", hint: "open"),
        Binding(.back, [.escape, .backspace], "Go back to where you were"),
        Binding(.quit, [.character("q")], "Go back, or quit at the top", hint: "back/quit"),
        Binding(.quitNow, [.character("Q")], "Quit"),
        Binding(.toggleRead, [.character("r")], "Mark the post read or unread", panes: [.posts, .detail], hint: "read"),
        Binding(.toggleStar, [.character("s")], "Star or unstar the post", panes: [.posts, .detail], hint: "star"),
        Binding(.markAllRead, [.character("A")], "Mark all posts read (asks first)", panes: [.posts]),
        Binding(.undo, [.character("u")], "Undo the last mark-all-read", panes: [.posts]),
        Binding(.nextUnread, [.character("n")], "Open the next unread post", panes: [.posts, .detail], hint: "next unread"),
        Binding(.previousUnread, [.character("N")], "Open the previous unread post", panes: [.posts, .detail]),
        Binding(.author, [.character("a")], "Go to the author (of the comment at the top, after [ or ])",
                panes: [.detail], hint: "author"),
        Binding(.nextComment, [.character("]")], "Go to the next comment", panes: [.detail]),
        Binding(.previousComment, [.character("[")], "Go to the previous comment", panes: [.detail]),
        Binding(.openLink, [.character("o")], "Open link number N in the browser (o, then the number)",
                panes: [.detail], hint: "link"),
        Binding(.roster, [.character("m")], "Show the member roster (in place of the posts when narrow)"),
        Binding(.search, [.character("/")], "Search posts, comments and members as you type", hint: "search"),
        Binding(.toggleUnreadOnly, [.character("U")], "Show only unread posts, or all again"),
        Binding(.toggleStarredOnly, [.character("S")], "Show only starred posts, or all again"),
        Binding(.filterAuthor, [.character("P")], "Show only this member's posts (profile, post author, roster row)"),
        Binding(.filterCountry, [.character("C")], "Show only posts by members from this member's country"),
        Binding(.filterTag, [.character("#")], "Show only posts with this post's category (or first tag)", panes: [.detail]),
        Binding(.clearFilters, [.character("X")], "Clear the filters of the post list and the roster"),
        Binding(.cycleSort, [.character("O")], "Sort the posts (newest, oldest, views, comments, unread first) or the roster"),
        Binding(.filterRoster, [.character("f")], "Filter the roster by name as you type", panes: [.roster]),
        Binding(.cycleTheme, [.character("T")], "Switch to the next theme"),
        Binding(.help, [.character("?"), .function(1)], "Show this help", hint: "help"),
    ])

    /// What the keys typed so far mean in a pane: a command, the start of a longer sequence,
    /// or nothing.
    public func match(_ typed: [Key], in pane: Pane) -> KeyMatch {
        var isPrefix = false
        for binding in bindings where binding.applies(in: pane) {
            for sequence in binding.keys {
                if sequence.keys == typed { return .command(binding.command) }
                if KeySequence(typed).begins(sequence) { isPrefix = true }
            }
        }
        return isPrefix ? .prefix : .none
    }

    /// The command a single key means in a pane.
    public func command(for key: Key, in pane: Pane) -> Command? {
        if case .command(let command) = match([key], in: pane) { return command }
        return nil
    }

    public func binding(_ command: Command) -> Binding? { bindings.first { $0.command == command } }

    /// The first key of a command, as help and messages name it ("?" for help), if it has one.
    public func firstKey(_ command: Command) -> String? { binding(command)?.keys.first?.name }

    /// The same table with `command` on these keys.
    public func rebinding(_ command: Command, to keys: [KeySequence]) -> KeyMap {
        var copy = self
        if let index = copy.bindings.firstIndex(where: { $0.command == command }) { copy.bindings[index].keys = keys }
        return copy
    }

    /// "j, Down" for help and docs.
    public static func describe(_ keys: [KeySequence]) -> String { keys.map(\.name).joined(separator: ", ") }

    /// The status line's hints for a pane: "j/k move", "Tab pane" ..., most useful first.
    public func hints(in pane: Pane) -> [String] {
        bindings.filter { $0.applies(in: pane) }.compactMap { binding in
            guard let hint = binding.hint, let first = binding.keys.first else { return nil }
            if let other = binding.hintWith, let second = self.binding(other)?.keys.first {
                return "\(first.name)/\(second.name) \(hint)"
            }
            return "\(first.name) \(hint)"
        }
    }

    /// Two commands on one key in a pane they share, or a key that is the start of another
    /// command's sequence there (the longer one could never be typed): what a conflict looks like.
    public struct Conflict: Hashable, Sendable, CustomStringConvertible {
        public var keys: KeySequence
        public var first: Command
        public var second: Command
        public var other: KeySequence?

        public var description: String {
            if let other {
                return "'\(keys.name)' (\(first.rawValue)) hides '\(other.name)' (\(second.rawValue)): the longer one can never be typed"
            }
            return "'\(keys.name)' is bound to both \(first.rawValue) and \(second.rawValue)"
        }
    }

    public var conflicts: [Conflict] {
        var out: [Conflict] = []
        for (i, a) in bindings.enumerated() {
            for b in bindings[i...] where a.sharesPane(with: b) {
                for x in a.keys {
                    for y in b.keys {
                        if a.command != b.command, x == y {
                            out.append(Conflict(keys: x, first: a.command, second: b.command))
                        } else if x.begins(y) {
                            out.append(Conflict(keys: x, first: a.command, second: b.command, other: y))
                        } else if y.begins(x) {
                            out.append(Conflict(keys: y, first: b.command, second: a.command, other: x))
                        }
                    }
                }
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
            "differs from it. These are the defaults: the `[keys]` table of the config file changes them",
            "(docs/config.md), and the help screen (`?`) and the status line show the keys in force.",
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
