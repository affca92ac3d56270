import TerminalCore

/// Where a binding applies.
public enum Pane: String, CaseIterable, Hashable, Sendable {
    case posts, detail, roster
}

/// Everything a person can ask the reader to do with a key. The raw values are the action
/// names of the config file's `[keys]` tables.
public enum Command: String, CaseIterable, Hashable, Sendable {
    case down = "down", up = "up", pageDown = "page-down", pageUp = "page-up", top = "top", bottom = "bottom"
    case nextPane = "next-pane", previousPane = "previous-pane", open = "open", back = "back"
    case quit = "quit", quitNow = "quit-now", toggleRead = "toggle-read", toggleStar = "toggle-star"
    case markAllRead = "mark-all-read", undo = "undo", nextUnread = "next-unread", previousUnread = "previous-unread"
    case author = "author", nextComment = "next-comment", previousComment = "previous-comment"
    case foldThread = "fold-thread", foldAll = "fold-all", toggleQuotes = "toggle-quotes"
    case openLink = "open-link", roster = "roster", search = "search", toggleUnreadOnly = "toggle-unread-only"
    case toggleStarredOnly = "toggle-starred-only", filterAuthor = "filter-author", filterCountry = "filter-country"
    case filterTag = "filter-tag", clearFilters = "clear-filters", cycleSort = "cycle-sort", filterRoster = "filter-roster"
    case cycleTheme = "cycle-theme", help = "help", sync = "sync", syncSource = "sync-source", glance = "glance"
    case toggleMute = "toggle-mute", sources = "sources"
    // While typing into a line, and in the confirmation.
    case erase = "erase", clearLine = "clear-line", yes = "yes"
}

/// The tables of bindings: the reader's own, and one for each line the reader types into or
/// question it asks, where letters are text (or an answer) and only the keys here do something
/// else. The config file's `[keys]` is the reader's table, `[keys.search]` and the like the others.
public enum KeyTable: String, CaseIterable, Hashable, Sendable {
    case reader
    case search
    case rosterFilter = "roster-filter"
    case link
    case confirm

    /// The config file's table: `keys`, `keys.search` ...
    public var configName: String { self == .reader ? "keys" : "keys." + rawValue }

    /// What the table is for, in help and docs.
    public var title: String {
        switch self {
        case .reader: "Reading"
        case .search: "Typing a search"
        case .rosterFilter: "Typing a name to filter the roster"
        case .link: "Typing a link's number"
        case .confirm: "Answering whether to mark all read"
        }
    }

    /// The reader's command that brings this table into force.
    public var opener: Command? {
        switch self {
        case .reader: nil
        case .search: .search
        case .rosterFilter: .filterRoster
        case .link: .openLink
        case .confirm: .markAllRead
        }
    }
}

/// Where keys are going now: a pane of the reader, the help screen, or a line or question
/// with a table of its own.
public enum KeyContext: Hashable, Sendable {
    case reader(Pane)
    /// The help screen scrolls with the reader's keys; any other key closes it.
    case help
    /// The at-a-glance screen: the reader's keys choose and open its rows.
    case glance
    /// The sources screen: the reader's keys choose, open and mark its rows.
    case sources
    case search, rosterFilter, link, confirm

    public var table: KeyTable {
        switch self {
        case .reader, .help, .glance, .sources: .reader
        case .search: .search
        case .rosterFilter: .rosterFilter
        case .link: .link
        case .confirm: .confirm
        }
    }

    /// The pane whose reader bindings apply.
    var pane: Pane {
        if case .reader(let pane) = self { return pane }
        return .posts
    }

    /// Whether a character no binding takes is text for the line.
    public var takesText: Bool {
        switch self {
        case .search, .rosterFilter, .link: true
        case .reader, .help, .glance, .sources, .confirm: false
        }
    }
}

/// What a sequence of keys typed so far means in a context.
public enum KeyMatch: Hashable, Sendable {
    case command(Command)
    /// The start of a longer binding: wait for the next key.
    case prefix
    case none
}

/// One line of an action table: the command, its keys, what it does, which table it is in,
/// where it applies in the reader (empty: everywhere), and the word the status line shows
/// beside its first key as a hint.
public struct Binding: Hashable, Sendable {
    public var command: Command
    public var keys: [KeySequence]
    public var help: String
    public var table: KeyTable
    public var panes: Set<Pane>
    public var hint: String?
    /// Shown as one hint with this command's keys: "j/k move".
    public var hintWith: Command?

    public init(_ command: Command, _ keys: [Key], _ help: String, table: KeyTable = .reader, panes: Set<Pane> = [],
                hint: String? = nil, hintWith: Command? = nil) {
        self.command = command
        self.keys = keys.map { KeySequence($0) }
        self.help = help
        self.table = table
        self.panes = panes
        self.hint = hint
        self.hintWith = hintWith
    }

    func applies(in context: KeyContext) -> Bool {
        guard table == context.table else { return false }
        return table != .reader || panes.isEmpty || panes.contains(context.pane)
    }

    /// Whether the two can be typed in one place: the same table, and a pane they share.
    func sharesPlace(with other: Binding) -> Bool {
        table == other.table && (panes.isEmpty || other.panes.isEmpty || !panes.isDisjoint(with: other.panes))
    }
}

/// The one table of key bindings: every key the reader takes, text entry included, goes
/// through it. The help screen, the status line, every message that names a key and
/// docs/keys.md come from it; the config file's `[keys]` tables change it.
public struct KeyMap: Hashable, Sendable {
    /// The reader's own table.
    public var bindings: [Binding]
    /// The tables of the lines and the question (search, roster filter, link number, confirm).
    public var lineBindings: [Binding]

    public init(bindings: [Binding], lineBindings: [Binding] = KeyMap.standardLineBindings) {
        self.bindings = bindings
        self.lineBindings = lineBindings
    }

    public static let standard = KeyMap(bindings: [
        Binding(.down, [.character("j"), .down], "Move down (scroll down in an article)", hint: "move", hintWith: .up),
        Binding(.up, [.character("k"), .up], "Move up (scroll up in an article)"),
        Binding(.pageDown, [.pageDown, .character(" "), .control("f")], "Page down"),
        Binding(.pageUp, [.pageUp, .character("b"), .control("b")], "Page up"),
        Binding(.top, [.character("g"), .home], "Go to the top"),
        Binding(.bottom, [.character("G"), .end], "Go to the bottom"),
        Binding(.nextPane, [.tab, .character("l"), .right], "Focus the next pane", hint: "pane"),
        Binding(.previousPane, [.backTab, .character("h"), .left], "Focus the previous pane"),
        Binding(.open, [.enter], "Open the post, member, profile entry, or the chosen commenter's profile", hint: "open"),
        Binding(.back, [.escape, .backspace], "Go back to where you were"),
        Binding(.quit, [.character("q")], "Go back, or quit at the top", hint: "back/quit"),
        Binding(.quitNow, [.character("Q")], "Quit"),
        Binding(.toggleRead, [.character("r")], "Mark the post read or unread", panes: [.posts, .detail], hint: "read"),
        Binding(.toggleStar, [.character("s")], "Star or unstar the post", panes: [.posts, .detail], hint: "star"),
        Binding(.markAllRead, [.character("A")], "Mark all posts read (asks first)", panes: [.posts]),
        Binding(.undo, [.character("u")], "Undo the last mark-all-read", panes: [.posts]),
        Binding(.nextUnread, [.character("n")], "Open the next unread post", panes: [.posts, .detail], hint: "next unread"),
        Binding(.previousUnread, [.character("N")], "Open the previous unread post", panes: [.posts, .detail]),
        Binding(.author, [.character("a")], "Go to the author (of the chosen comment, else the post)",
                panes: [.detail], hint: "author"),
        Binding(.nextComment, [.character("]")], "Go to the next comment (first each name of who commented)", panes: [.detail]),
        Binding(.previousComment, [.character("[")], "Go to the previous comment (or name of who commented)", panes: [.detail]),
        Binding(.foldThread, [.character("z")], "Fold or unfold the replies of the chosen comment (kept for the post)", panes: [.detail]),
        Binding(.foldAll, [.character("Z")], "Fold every thread to its first comment, or unfold them all", panes: [.detail]),
        Binding(.toggleQuotes, [.character("x")], "Show a mail's quoted text and signatures whole, or fold each to a line again",
                panes: [.detail]),
        Binding(.openLink, [.character("o")], "Open link N (typed next; 0: the post's own page), or a forum member's profile here",
                panes: [.posts, .detail], hint: "link"),
        Binding(.roster, [.character("m")], "Show the member roster (in place of the posts when narrow)"),
        Binding(.search, [.character("/")], "Search posts, comments and members as you type", hint: "search"),
        Binding(.toggleUnreadOnly, [.character("U")], "Show only unread posts, or all again"),
        Binding(.toggleStarredOnly, [.character("S")], "Show only starred posts, or all again"),
        Binding(.filterAuthor, [.character("P")], "Show only this member's posts (profile, post author, roster row)"),
        Binding(.filterCountry, [.character("C")], "Show only posts by members from this member's country"),
        Binding(.filterTag, [.character("#")], "Show only posts with this post's category (or first tag)", panes: [.detail]),
        Binding(.toggleMute, [.character("M")], "Mute the member in view: their posts and comments are hidden everywhere; again unmutes"),
        Binding(.clearFilters, [.character("X")], "Clear the filters of the post list and the roster"),
        Binding(.cycleSort, [.character("O")], "Sort the posts (newest, oldest, views, comments, unread first, latest activity) or the roster"),
        Binding(.filterRoster, [.character("f")], "Filter the roster by name as you type", panes: [.roster]),
        Binding(.cycleTheme, [.character("T")], "Switch to the next theme"),
        Binding(.sync, [.character("R")], "Bring every source up to date in the background, reading on"),
        Binding(.syncSource, [.control("r")], "Bring the open post's feed or forum up to date in the background"),
        Binding(.glance, [.character("i")], "The community at a glance: activity by month, countries, who writes most; each row opens"),
        Binding(.sources, [.character("F")], "Sources: every feed, forum and archive with its unread posts, to read or mark read one at a time"),
        Binding(.help, [.character("?"), .function(1)], "Show this help", hint: "help"),
    ])

    /// The lines' and the question's tables: what is not here is typed into the line (or, in
    /// the question, answers no).
    public static let standardLineBindings: [Binding] = [
        Binding(.open, [.enter], "Open the chosen result", table: .search),
        Binding(.back, [.escape], "Go back to where you were", table: .search),
        Binding(.down, [.down, .control("n"), .tab], "Choose the next result", table: .search),
        Binding(.up, [.up, .control("p"), .backTab], "Choose the previous result", table: .search),
        Binding(.pageDown, [.pageDown], "Half a screen of results down", table: .search),
        Binding(.pageUp, [.pageUp], "Half a screen of results up", table: .search),
        Binding(.erase, [.backspace, .delete], "Delete the last character", table: .search),
        Binding(.clearLine, [.control("u")], "Clear the line", table: .search),
        Binding(.open, [.enter], "Keep the filter", table: .rosterFilter),
        Binding(.back, [.escape], "Clear the filter", table: .rosterFilter),
        Binding(.down, [.down], "Move down the roster", table: .rosterFilter),
        Binding(.up, [.up], "Move up the roster", table: .rosterFilter),
        Binding(.pageDown, [.pageDown], "Page down", table: .rosterFilter),
        Binding(.pageUp, [.pageUp], "Page up", table: .rosterFilter),
        Binding(.erase, [.backspace, .delete], "Delete the last character", table: .rosterFilter),
        Binding(.clearLine, [.control("u")], "Clear the line", table: .rosterFilter),
        Binding(.open, [.enter], "Open the link with the number typed", table: .link),
        Binding(.back, [.escape], "Cancel", table: .link),
        Binding(.erase, [.backspace], "Delete the last digit (cancels when there is none)", table: .link),
        Binding(.yes, [.character("y"), .character("Y")], "Mark them read; any other key cancels", table: .confirm),
    ]

    /// Every binding of every table.
    public var allBindings: [Binding] { bindings + lineBindings }

    /// The bindings of one table.
    public func bindings(in table: KeyTable) -> [Binding] { table == .reader ? bindings : lineBindings.filter { $0.table == table } }

    /// What the keys typed so far mean where keys go now: a command, the start of a longer
    /// sequence, or nothing.
    public func match(_ typed: [Key], in context: KeyContext) -> KeyMatch {
        var isPrefix = false
        for binding in (context.table == .reader ? bindings : lineBindings) where binding.applies(in: context) {
            for sequence in binding.keys {
                if sequence.keys == typed { return .command(binding.command) }
                if KeySequence(typed).begins(sequence) { isPrefix = true }
            }
        }
        return isPrefix ? .prefix : .none
    }

    /// What the keys typed so far mean in a pane of the reader.
    public func match(_ typed: [Key], in pane: Pane) -> KeyMatch { match(typed, in: .reader(pane)) }

    /// The command a single key means in a pane.
    public func command(for key: Key, in pane: Pane) -> Command? {
        if case .command(let command) = match([key], in: pane) { return command }
        return nil
    }

    /// A command's binding in a table; with no table, the reader's, else the first line's that has it.
    public func binding(_ command: Command, in table: KeyTable? = nil) -> Binding? {
        guard let table else { return allBindings.first { $0.command == command } }
        return bindings(in: table).first { $0.command == command }
    }

    /// The keys of a command in a table, in order.
    public func keys(_ command: Command, in table: KeyTable = .reader) -> [KeySequence] {
        binding(command, in: table)?.keys ?? []
    }

    /// The first key of a command, as help names it ("?" for help), if it has one.
    public func firstKey(_ command: Command, in table: KeyTable = .reader) -> String? { keys(command, in: table).first?.name }

    /// The key a message names for a command: its first key ("↓" for Down), or the action's
    /// name in brackets when the config left it no key.
    public func label(_ command: Command, in table: KeyTable = .reader) -> String {
        keys(command, in: table).first?.label ?? "<\(command.rawValue)>"
    }

    /// The same table with `command` on these keys.
    public func rebinding(_ command: Command, in table: KeyTable = .reader, to keys: [KeySequence]) -> KeyMap {
        var copy = self
        if table == .reader {
            if let index = copy.bindings.firstIndex(where: { $0.command == command }) { copy.bindings[index].keys = keys }
        } else if let index = copy.lineBindings.firstIndex(where: { $0.command == command && $0.table == table }) {
            copy.lineBindings[index].keys = keys
        }
        return copy
    }

    /// "j, Down" for help and docs.
    public static func describe(_ keys: [KeySequence]) -> String { keys.map(\.name).joined(separator: ", ") }

    /// The status line's hints for a pane: "j/k move", "Tab pane" ..., most useful first.
    public func hints(in pane: Pane) -> [String] {
        bindings.filter { $0.applies(in: .reader(pane)) }.compactMap { binding in
            guard let hint = binding.hint, let first = binding.keys.first else { return nil }
            if let other = binding.hintWith, let second = self.binding(other)?.keys.first {
                return "\(first.name)/\(second.name) \(hint)"
            }
            return "\(first.name) \(hint)"
        }
    }

    /// Two commands on one key where both can be typed, or a key that is the start of another
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
        let all = allBindings
        for (i, a) in all.enumerated() {
            for b in all[i...] where a.sharesPlace(with: b) {
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
