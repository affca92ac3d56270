import AgoraKit
import TerminalCore

/// Where the panes go: the widths of the three-pane layout and the widths at which it changes.
public struct LayoutSettings: Hashable, Sendable {
    /// The post list's share of the width with three panes (percent).
    public var postsWidth = 36
    /// The roster's share of the width with three panes (percent; at least 26 columns).
    public var rosterWidth = 20
    /// Whether the wide layout shows the roster as a third pane (`m` shows it either way).
    public var showRoster = true
    /// Three panes from this many columns.
    public var wideFrom = 120
    /// Below this many columns, one pane at a time.
    public var stackBelow = 80

    public init() {}
}

extension DateFormat {
    /// The widest a date in this format gets, in columns (a long month and weekday).
    public var width: Int {
        DisplayWidth.of(string(secondsSince1970: 970_098_000))  // Wednesday, 2000-09-27 23:40
    }
}

/// Everything the config file changes in the reader, carried by its state.
public struct ReaderSettings: Hashable, Sendable {
    public var keymap = KeyMap.standard
    public var layout = LayoutSettings()
    public var markReadOnOpen = true
    public var confirmMarkAllRead = true
    public var dateFormat = DateFormat.standard
    /// The themes `T` cycles through, in order, and the one in use.
    public var themeNames: [String] = ["default"]
    public var themeIndex = 0
    /// Whether charts may use block characters; without a UTF-8 locale they are drawn in ASCII.
    public var unicodeCharts = true
    /// Sync every source in the background every this many minutes while the reader is open
    /// (0: never).
    public var syncInterval = 0
    /// Sync every source in the background as the reader opens (`agora --sync` says so too).
    public var syncOnStart = false

    public init() {}
}

/// The config file, read: the settings it gives, and a warning with its line for each thing in
/// it that is wrong. What is wrong is left at its default; the rest applies.
public struct Config: Sendable {
    public var settings = ReaderSettings()
    public var theme: String?
    /// Where `theme` was set, for a message about it.
    public var themeLine = 0
    public var browser: String?
    public var diagnostics: [Diagnostic] = []
    /// The file read, for messages.
    public var path = ""

    public init() {}

    private mutating func warn(_ line: Int, _ message: String) {
        diagnostics.append(Diagnostic(file: path, line: line, message: message))
    }

    private mutating func expected(_ entry: TOML.Entry, _ what: String) {
        warn(entry.line, "'\(entry.dottedKey)' should be \(what), not \(entry.value.kindName)")
    }

    private static let topKeys = ["theme", "mark-read-on-open", "confirm-mark-all-read", "date-format", "browser", "sync-on-start",
                                  "sync-interval"]
    private static let layoutKeys = ["posts-width", "roster-width", "roster", "wide-from", "stack-below"]

    /// The file is not TOML: nothing in it applies, every setting is at its default.
    public private(set) var ignoredWhole = false

    public init(text: String, path: String) {
        self.path = path
        let document: TOML.Document
        do {
            document = try TOML.parse(text)
        } catch {
            diagnostics.append(Diagnostic(file: path, line: error.line,
                                          message: "column \(error.column): \(error.message) (the whole file is ignored)"))
            ignoredWhole = true
            return
        }
        let tables = ["layout"] + KeyTable.allCases.map(\.configName)
        for header in document.headers where !tables.contains(header.path.joined(separator: ".")) {
            warn(header.line, "unknown table [\(header.path.joined(separator: "."))]; the config has [layout] and [keys]"
                 + " (and [keys.search], [keys.roster-filter], [keys.link], [keys.confirm] for what is typed there)")
        }
        var keyLines: [KeyTable: [Command: Int]] = [:]
        for entry in document.entries {
            let key = entry.key
            switch key.first {
            case "layout" where key.count == 2:
                layoutEntry(entry)
            case "keys" where key.count == 2:
                keyEntry(entry, table: .reader, action: key[1], lines: &keyLines)
            case "keys" where key.count == 3 && KeyTable(rawValue: key[1]).map { $0 != .reader } == true:
                keyEntry(entry, table: KeyTable(rawValue: key[1])!, action: key[2], lines: &keyLines)
            case "layout", "keys":
                warn(entry.line, "unknown key '\(entry.dottedKey)'")
            default:
                topEntry(entry)
            }
        }
    }

    /// `action = ["key", ...]` in one of the `[keys]` tables.
    private mutating func keyEntry(_ entry: TOML.Entry, table: KeyTable, action: String, lines: inout [KeyTable: [Command: Int]]) {
        let known = KeyMap.standard.bindings(in: table).map(\.command.rawValue)
        guard let command = Command(rawValue: action), known.contains(action) else {
            let place = table == .reader ? "" : " in [\(table.configName)]"
            warn(entry.line, "unknown action '\(action)'\(place)\(ThemeFile.suggestion(action, known)) (docs/keys.md lists them)")
            return
        }
        let names: [String]
        switch entry.value {
        case .string(let one): names = [one]
        case .array(let items) where items.allSatisfy({ $0.string != nil }): names = items.compactMap(\.string)
        default:
            expected(entry, "a list of keys such as [\"j\", \"Down\", \"g g\", \"C-d\"]")
            return
        }
        var sequences: [KeySequence] = []
        for name in names {
            switch KeySequence.parse(name) {
            case .success(let sequence): sequences.append(sequence)
            case .failure(let error): warn(entry.line, "\(action): \(error.message)")
            }
        }
        lines[table, default: [:]][command] = entry.line
        bind(command, in: table, to: sequences, line: entry.line, lines: lines[table] ?? [:])
    }

    private mutating func topEntry(_ entry: TOML.Entry) {
        let key = entry.dottedKey
        switch key {
        case "theme":
            if let s = entry.value.string {
                theme = s
                themeLine = entry.line
            } else {
                expected(entry, "a theme's name as a string")
            }
        case "mark-read-on-open":
            if let b = entry.value.bool { settings.markReadOnOpen = b } else { expected(entry, "true or false") }
        case "confirm-mark-all-read":
            if let b = entry.value.bool { settings.confirmMarkAllRead = b } else { expected(entry, "true or false") }
        case "date-format":
            guard let s = entry.value.string else { return expected(entry, "a string such as \"%Y-%m-%d\"") }
            let format = DateFormat(pattern: s)
            if let unknown = format.unknownField {
                warn(entry.line, "date-format: unknown field \(unknown); use \(DateFormat.fields.map { "%\($0.0)" }.joined(separator: " "))")
            } else {
                settings.dateFormat = format
            }
        case "browser":
            if let s = entry.value.string { browser = s } else { expected(entry, "a command as a string, such as \"firefox\"") }
        case "sync-on-start":
            if let b = entry.value.bool { settings.syncOnStart = b } else { expected(entry, "true or false") }
        case "sync-interval":
            guard let n = entry.value.integer else { return expected(entry, "a whole number of minutes (0: never)") }
            guard (0...1440).contains(n) else { return warn(entry.line, "sync-interval = \(n) is out of range: 0-1440 minutes (0: never)") }
            settings.syncInterval = n
        default:
            warn(entry.line, "unknown key '\(key)'\(ThemeFile.suggestion(key, Self.topKeys + Self.layoutKeys.map { "layout." + $0 }))")
        }
    }

    private mutating func layoutEntry(_ entry: TOML.Entry) {
        let key = entry.key[1]
        func number(_ range: ClosedRange<Int>, _ what: String) -> Int? {
            var problem: String?
            defer { if let problem { diagnostics.append(Diagnostic(file: path, line: entry.line, message: problem)) } }
            guard let n = entry.value.integer else {
                problem = "'\(entry.dottedKey)' should be a whole number (\(what)), not \(entry.value.kindName)"
                return nil
            }
            guard range.contains(n) else {
                problem = "layout.\(key) = \(n) is out of range: \(range.lowerBound)-\(range.upperBound) (\(what))"
                return nil
            }
            return n
        }
        switch key {
        case "posts-width": if let n = number(15...70, "percent of the width") { settings.layout.postsWidth = n }
        case "roster-width": if let n = number(10...50, "percent of the width") { settings.layout.rosterWidth = n }
        case "wide-from": if let n = number(60...1000, "columns") { settings.layout.wideFrom = n }
        case "stack-below": if let n = number(30...1000, "columns") { settings.layout.stackBelow = n }
        case "roster":
            if let b = entry.value.bool { settings.layout.showRoster = b } else { expected(entry, "true or false") }
        default:
            warn(entry.line, "unknown key 'layout.\(key)'\(ThemeFile.suggestion(key, Self.layoutKeys)); [layout] has \(Self.layoutKeys.joined(separator: ", "))")
        }
        if settings.layout.postsWidth + settings.layout.rosterWidth > 85 {
            warn(entry.line, "layout: posts-width + roster-width leave the article under 15% of the width; using the defaults")
            settings.layout.postsWidth = LayoutSettings().postsWidth
            settings.layout.rosterWidth = LayoutSettings().rosterWidth
        }
        if settings.layout.stackBelow > settings.layout.wideFrom {
            warn(entry.line, "layout: stack-below (\(settings.layout.stackBelow)) is wider than wide-from (\(settings.layout.wideFrom)); using the defaults")
            settings.layout.stackBelow = LayoutSettings().stackBelow
            settings.layout.wideFrom = LayoutSettings().wideFrom
        }
    }

    /// Puts a command on its keys. A key the file gives another action in a pane they share is
    /// a warning and stays with the action set first; a key that was only a default binding of
    /// another action moves to this one.
    private mutating func bind(_ command: Command, in table: KeyTable, to sequences: [KeySequence], line: Int, lines: [Command: Int]) {
        var keymap = settings.keymap.rebinding(command, in: table, to: [])
        guard let mine = keymap.binding(command, in: table) else { return }
        var all = keymap.allBindings
        var kept: [KeySequence] = []
        for sequence in sequences {
            var lost = false
            for index in all.indices where all[index].command != command || all[index].table != table {
                let other = all[index]
                guard other.sharesPlace(with: mine) else { continue }
                let clashes = other.keys.filter { $0.clashes(with: sequence) }
                guard !clashes.isEmpty else { continue }
                if let otherLine = lines[other.command], otherLine != line {
                    let clash = clashes[0]
                    let what = clash == sequence ? "is already bound to \(other.command.rawValue) (line \(otherLine))"
                        : "clashes with '\(clash.name)' of \(other.command.rawValue) (line \(otherLine)): one would hide the other"
                    warn(line, "\(command.rawValue): '\(sequence.name)' \(what); it stays there")
                    lost = true
                } else {
                    all[index].keys.removeAll { clashes.contains($0) }
                }
            }
            if !lost, !kept.contains(sequence) { kept.append(sequence) }
        }
        keymap.bindings = all.filter { $0.table == .reader }
        keymap.lineBindings = all.filter { $0.table != .reader }
        settings.keymap = keymap.rebinding(command, in: table, to: kept)
    }

    /// The config file as `agora config --default` prints it: every setting at its default,
    /// with what it does.
    public static var defaultText: String {
        var lines = [
            "# Agora's config file: $XDG_CONFIG_HOME/agora/config.toml (else ~/.config/agora/config.toml),",
            "# or any file given with --config. Every setting below is at its default; delete what you",
            "# do not change. A mistake is reported with its line and the rest still applies.",
            "",
            "# The theme: a file in Themes/ or $XDG_CONFIG_HOME/agora/themes/ (agora themes lists them).",
            "theme = \"default\"",
            "",
            "# Opening a post marks it read.",
            "mark-read-on-open = true",
            "",
            "# A (mark all read) asks first.",
            "confirm-mark-all-read = true",
            "",
            "# Dates in lists and bylines, in UTC. The fields:",
            "#   " + DateFormat.fields.prefix(6).map { "%\($0.0) \($0.1)" }.joined(separator: "; "),
            "#   " + DateFormat.fields.dropFirst(6).map { "%\($0.0) \($0.1)" }.joined(separator: "; "),
            "date-format = \"%Y-%m-%d\"",
            "",
            "# Sync every feed and forum in the background as the reader opens (as agora --sync does).",
            "sync-on-start = false",
            "",
            "# Sync every feed and forum in the background every this many minutes while the reader",
            "# is open; 0 never does.",
            "sync-interval = 0",
            "",
            "# The program that opens links, instead of $BROWSER; %s stands for the link (else it goes last).",
            "# It is run directly, never through a shell.",
            "# browser = \"firefox\"",
            "",
            "[layout]",
            "# With three panes: the post list's and the roster's share of the width, in percent.",
            "posts-width = 36",
            "roster-width = 20",
            "# Show the roster as a third pane on wide terminals (m shows it either way).",
            "roster = true",
            "# Three panes from this many columns; one pane at a time below stack-below.",
            "wide-from = 120",
            "stack-below = 80",
            "",
            "[keys]",
            "# action = [keys]: \"j\", \"J\", \"C-d\", \"Down\", \"PgDn\", \"Space\", \"Enter\", \"Esc\", \"S-Tab\", \"F1\",",
            "# and sequences such as \"g g\". A key set here leaves the action it had by default.",
        ]
        for table in KeyTable.allCases {
            if table != .reader {
                lines += ["", "[\(table.configName)]", "# \(table.title): \(table == .confirm ? "any key not here cancels" : "any other character is typed")."]
            }
            for binding in KeyMap.standard.bindings(in: table) {
                let keys = binding.keys.map { "\"\(Self.escaped($0.name))\"" }.joined(separator: ", ")
                let setting = "\(binding.command.rawValue) = [\(keys)]"
                lines.append(setting + String(repeating: " ", count: max(1, 44 - setting.count)) + "# " + binding.help)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escaped(_ s: String) -> String {
        s.reduce(into: "") { out, c in
            if c == "\\" || c == "\"" { out.append("\\") }
            out.append(c)
        }
    }
}
