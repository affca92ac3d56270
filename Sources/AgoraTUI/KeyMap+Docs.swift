/// docs/keys.md and the help screen, made from the tables.
extension KeyMap {
    /// docs/keys.md.
    public var markdown: String {
        var lines = [
            "# Keys",
            "",
            "Made from the reader's action tables (`Sources/AgoraTUI/KeyMap.swift`); a test fails when this file",
            "differs from them. These are the defaults: the `[keys]` tables of the config file change them",
            "(docs/config.md), and the help screen (`?`), the status line and every message that names a key",
            "show the keys in force.",
            "",
            "| keys | action | what it does | where |",
            "|---|---|---|---|",
        ]
        for b in bindings {
            let keys = b.keys.map { "`\($0.name)`" }.joined(separator: ", ")
            let panes = b.panes.isEmpty ? "everywhere" : Pane.allCases.filter(b.panes.contains).map(\.label).joined(separator: ", ")
            lines.append("| \(keys) | `\(b.command.rawValue)` | \(b.help) | \(panes) |")
        }
        for table in KeyTable.allCases where table != .reader {
            lines += ["", "## \(table.title) (after `\(label(table.opener ?? .help))`): `[\(table.configName)]`", ""]
            lines.append(table == .confirm ? "Any key not here cancels." : "Any other character is typed into the line.")
            lines += ["", "| keys | action | what it does |", "|---|---|---|"]
            for b in bindings(in: table) {
                let keys = b.keys.map { "`\($0.name)`" }.joined(separator: ", ")
                lines.append("| \(keys) | `\(b.command.rawValue)` | \(b.help) |")
            }
        }
        lines += [
            "",
            "C-c quits wherever the reader is, unless the config gives it to an action. After `o`, the",
            "link opens as soon as its number cannot grow (with 3 links, typing 2 opens link 2).",
            "",
            "Mouse: a click focuses a pane and selects the row under it; the wheel scrolls the pane under",
            "the pointer. Scrolling never marks anything read.",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// The help screen's lines: the reader's keys, then each line's and the question's.
    public func helpLines() -> [(keys: String, help: String)] {
        var out = bindings.map { (KeyMap.describe($0.keys), $0.help) }
        for table in KeyTable.allCases where table != .reader {
            out += [("", ""), ("", "\(table.title) (after \(label(table.opener ?? .help))):")]
            out += bindings(in: table).map { (KeyMap.describe($0.keys), $0.help) }
        }
        out += [("", ""), ("mouse", "click focuses and selects; the wheel scrolls and never marks read")]
        return out
    }
}
