import TerminalCore

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

extension KeySequence {
    /// How messages and the status line write the keys: arrows as arrows ("↑", "↓"), the rest by name.
    public var label: String {
        keys.map { key in
            switch key {
            case .up: "↑"
            case .down: "↓"
            default: key.name
            }
        }.joined(separator: " ")
    }
}
