import AgoraKit
import TerminalCore

/// A problem in a theme or config file, where it is: "config.toml:12: ...".
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// One theme file, read: its roles as written (before fallbacks and `inherits`) and every
/// problem found, each with its line. A file with problems still gives what it could read.
public struct ThemeFile: Hashable, Sendable {
    public var name: String
    public var path: String
    public var description: String?
    public var inherits: String?
    public var specs: [Role: StyleSpec] = [:]
    public var diagnostics: [Diagnostic] = []
    /// False when the file is not TOML at all: nothing in it is used.
    public var isReadable = true

    public static let colorNames: [String: Color] = [
        "black": .ansi(0), "red": .ansi(1), "green": .ansi(2), "yellow": .ansi(3),
        "blue": .ansi(4), "magenta": .ansi(5), "cyan": .ansi(6), "white": .ansi(7),
        "bright-black": .ansi(8), "bright-red": .ansi(9), "bright-green": .ansi(10), "bright-yellow": .ansi(11),
        "bright-blue": .ansi(12), "bright-magenta": .ansi(13), "bright-cyan": .ansi(14), "bright-white": .ansi(15),
        "gray": .ansi(8), "grey": .ansi(8),
    ]

    public static let attributeNames: [(String, Attributes)] = [
        ("bold", .bold), ("dim", .dim), ("italic", .italic), ("underline", .underline), ("reverse", .reverse),
    ]

    public init(name: String, path: String, text: String) {
        self.name = name
        self.path = path
        let document: TOML.Document
        do {
            document = try TOML.parse(text)
        } catch {
            diagnostics.append(Diagnostic(file: path, line: error.line, message: "column \(error.column): \(error.message)"))
            isReadable = false
            return
        }
        var palette: [String: Color] = [:]
        // The palette first, wherever it is in the file: roles may use its names.
        for entry in document.entries where entry.key.first == "palette" {
            guard entry.key.count == 2 else {
                problem(entry.line, "palette entries are `name = \"#RRGGBB\"` (or a colour name or number)")
                continue
            }
            let name = entry.key[1]
            if Self.colorNames[name] != nil || name == "default" {
                problem(entry.line, "palette name '\(name)' is already a colour's name; choose another")
                continue
            }
            if let color = color(entry.value, palette: [:], line: entry.line) { palette[name] = color }
        }
        for header in document.headers where !["palette", "roles"].contains(header.path.joined(separator: ".")) {
            problem(header.line, "unknown table [\(header.path.joined(separator: "."))]; a theme has [palette] and [roles]")
        }
        for entry in document.entries {
            switch entry.key.first {
            case "palette":
                continue
            case "roles":
                guard entry.key.count >= 2 else { continue }
                let roleName = entry.key[1]
                guard let role = Role.named(roleName) else {
                    problem(entry.line, "unknown role '\(roleName)'\(Self.suggestion(roleName, Role.allCases.map(\.name)))")
                    continue
                }
                if entry.key.count == 2 {
                    if let spec = spec(entry.value, palette: palette, line: entry.line) { specs[role] = spec }
                } else {
                    // `[roles] link.fg = "blue"`: a dotted key sets one field.
                    var spec = specs[role] ?? StyleSpec()
                    field(entry.key.dropFirst(2).joined(separator: "."), entry.value, into: &spec, palette: palette, line: entry.line)
                    specs[role] = spec
                }
            default:
                let key = entry.dottedKey
                switch key {
                case "description":
                    if let s = entry.value.string { description = s } else { wrongType(entry, "a string") }
                case "inherits":
                    if let s = entry.value.string { inherits = s } else { wrongType(entry, "a theme's name as a string") }
                case "name":
                    if entry.value.string == nil { wrongType(entry, "a string") }
                default:
                    problem(entry.line, "unknown key '\(key)'; a theme has description, inherits, [palette] and [roles]")
                }
            }
        }
    }

    private mutating func problem(_ line: Int, _ message: String) {
        diagnostics.append(Diagnostic(file: path, line: line, message: message))
    }

    private mutating func wrongType(_ entry: TOML.Entry, _ expected: String) {
        problem(entry.line, "'\(entry.dottedKey)' should be \(expected), not \(entry.value.kindName)")
    }

    /// `"blue"` (the foreground only) or `{ fg = ..., bg = ..., attrs = [...] }`.
    private mutating func spec(_ value: TOML.Value, palette: [String: Color], line: Int) -> StyleSpec? {
        switch value {
        case .string, .integer:
            return color(value, palette: palette, line: line).map { StyleSpec(foreground: $0) }
        case .table(let entries):
            var spec = StyleSpec()
            for entry in entries { field(entry.dottedKey, entry.value, into: &spec, palette: palette, line: entry.line) }
            return spec
        default:
            problem(line, "a role is a colour (\"blue\") or { fg = ..., bg = ..., attrs = [...] }, not \(value.kindName)")
            return nil
        }
    }

    private mutating func field(_ key: String, _ value: TOML.Value, into spec: inout StyleSpec, palette: [String: Color], line: Int) {
        switch key {
        case "fg": spec.foreground = color(value, palette: palette, line: line) ?? spec.foreground
        case "bg": spec.background = color(value, palette: palette, line: line) ?? spec.background
        case "attrs":
            guard case .array(let items) = value else {
                problem(line, "attrs should be an array such as [\"bold\", \"underline\"], not \(value.kindName)")
                return
            }
            var attributes: Attributes = []
            for item in items {
                guard let word = item.string, let known = Self.attributeNames.first(where: { $0.0 == word }) else {
                    let shown = item.string.map { "'\($0)'" } ?? item.kindName
                    problem(line, "unknown attribute \(shown); use \(Self.attributeNames.map(\.0).joined(separator: ", "))")
                    continue
                }
                attributes.insert(known.1)
            }
            spec.attributes = attributes
        default:
            problem(line, "unknown field '\(key)' in a role; use fg, bg and attrs")
        }
    }

    /// `default`, a colour name, a palette name, 0-255, or `#RRGGBB`.
    private mutating func color(_ value: TOML.Value, palette: [String: Color], line: Int) -> Color? {
        if let n = value.integer {
            guard (0...255).contains(n) else {
                problem(line, "colour \(n) is out of range: the palette has 0-255")
                return nil
            }
            return n < 16 ? .ansi(UInt8(n)) : .indexed(UInt8(n))
        }
        guard let text = value.string else {
            problem(line, "a colour is a name, 0-255 or \"#RRGGBB\", not \(value.kindName)")
            return nil
        }
        if let parsed = Self.parseColor(text) { return parsed }
        if let named = palette[text] { return named }
        if text.hasPrefix("#") {
            problem(line, "'\(text)' is not a colour: write #RRGGBB with six hex digits")
        } else {
            let names = ["default"] + Self.colorNames.keys.sorted() + palette.keys.sorted()
            problem(line, "unknown colour '\(text)'\(Self.suggestion(text, names)); use a name, 0-255 or \"#RRGGBB\"")
        }
        return nil
    }

    /// A colour written as text: `default`, a name, or `#RRGGBB`.
    public static func parseColor(_ text: String) -> Color? {
        if text == "default" { return .default }
        if let named = colorNames[text] { return named }
        if text.hasPrefix("#"), text.count == 7, let value = UInt32(text.dropFirst(), radix: 16),
           text.dropFirst().allSatisfy(\.isHexDigit) {
            return .rgb(UInt8(value >> 16), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF))
        }
        return nil
    }

    /// " (did you mean 'x'?)" when a known name is one or two edits away.
    static func suggestion(_ word: String, _ known: [String]) -> String {
        let best = known.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= 2, best.1 * 2 < word.count else { return "" }
        return " (did you mean '\(best.0)'?)"
    }

    /// Edits between two words, a swap of two neighbours counting as one ("bleu", "blue").
    static func editDistance(_ a: String, _ b: String) -> Int { EditDistance.between(a, b) }
}

/// A theme file as found: its name (the file name without .toml), where, and its text.
public struct ThemeSource: Hashable, Sendable {
    public var name: String
    public var path: String
    public var text: String
    /// From `$XDG_CONFIG_HOME/agora/themes/`: it wins over a bundled theme of the same name.
    public var isUser: Bool

    public init(name: String, path: String, text: String, isUser: Bool) {
        self.name = name
        self.path = path
        self.text = text
        self.isUser = isUser
    }
}

/// Every theme Agora can find, by name, with `inherits` resolved. A file is read as TOML only
/// when its theme is asked for: the reader starts with one theme and reads another when `T`
/// comes to it.
public struct ThemeCatalog: Sendable {
    public private(set) var sources: [String: ThemeSource] = [:]

    public init(_ found: [ThemeSource]) {
        // Bundled first, then the user's: a user theme replaces a bundled one of its name.
        for source in found.filter({ !$0.isUser }) + found.filter(\.isUser) {
            sources[source.name] = source
        }
        if sources["default"] == nil {
            sources["default"] = ThemeSource(name: "default", path: "(built in)", text: "", isUser: false)
        }
    }

    /// The theme file of that name, read.
    public func file(_ name: String) -> ThemeFile? {
        sources[name].map { ThemeFile(name: $0.name, path: $0.path, text: $0.text) }
    }

    /// Every theme file, read (for `agora themes`).
    public var files: [String: ThemeFile] {
        Dictionary(uniqueKeysWithValues: sources.keys.compactMap { name in file(name).map { (name, $0) } })
    }

    /// `default` first, then the rest by name.
    public var names: [String] {
        ["default"] + sources.keys.filter { $0 != "default" }.sorted()
    }

    /// The theme of that name with its `inherits` chain applied, and every problem on the way.
    /// Nil when there is no such theme.
    public func theme(named name: String) -> (theme: Theme, diagnostics: [Diagnostic])? {
        guard sources[name] != nil else { return nil }
        var diagnostics: [Diagnostic] = []
        var chain: [ThemeFile] = []
        var current: String? = name
        while let next = current {
            guard let file = file(next) else {
                let child = chain.last!
                diagnostics.append(Diagnostic(file: child.path, line: 0,
                                              message: "inherits '\(next)', which is not a theme (\(names.joined(separator: ", ")))"))
                break
            }
            if chain.contains(where: { $0.name == next }) {
                diagnostics.append(Diagnostic(file: file.path, line: 0,
                                              message: "inherits in a circle: \((chain.map(\.name) + [next]).joined(separator: " -> "))"))
                break
            }
            chain.append(file)
            diagnostics += file.diagnostics
            current = file.inherits
        }
        // The built-in default stands under a default.toml that cannot be read.
        if name == "default", let file = chain.first, file.specs.isEmpty, file.path == "(built in)" || !file.isReadable {
            return (Theme.standard, diagnostics)
        }
        var specs: [Role: StyleSpec] = [:]
        for file in chain.reversed() {
            for (role, spec) in file.specs {
                let under = specs[role] ?? StyleSpec()
                specs[role] = StyleSpec(foreground: spec.foreground ?? under.foreground,
                                        background: spec.background ?? under.background,
                                        attributes: spec.attributes ?? under.attributes)
            }
        }
        return (Theme(name: name, specs: specs), diagnostics)
    }
}
