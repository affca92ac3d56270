/// A small TOML reader for theme and config files. It keeps the line of every key, so that each
/// problem in a file can be reported as `file:line`. It reads what those files need: comments,
/// `[tables]` (dotted), bare, quoted and dotted keys, basic and literal strings (one line or
/// `"""`/`'''` multi-line), integers, floats, booleans, arrays and inline tables. Arrays of
/// tables and dates are refused with a message, not misread.
public enum TOML {
    public indirect enum Value: Hashable, Sendable {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        case array([Value])
        case table([Entry])

        /// "a string", "an array" ... for messages that say what was expected.
        public var kindName: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer"
            case .float: "a number"
            case .bool: "true or false"
            case .array: "an array"
            case .table: "a table"
            }
        }
    }

    /// `key = value` with where it was written. In an inline table `key` is the dotted key
    /// inside it; at the top level, the full path from the root (table header included).
    public struct Entry: Hashable, Sendable {
        public var key: [String]
        public var value: Value
        public var line: Int

        public init(key: [String], value: Value, line: Int) {
            self.key = key
            self.value = value
            self.line = line
        }

        public var dottedKey: String { key.joined(separator: ".") }
    }

    /// A `[table]` header and its line.
    public struct Header: Hashable, Sendable {
        public var path: [String]
        public var line: Int
    }

    public struct Document: Hashable, Sendable {
        public var entries: [Entry] = []
        public var headers: [Header] = []
    }

    public struct SyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { "\(line):\(column): \(message)" }
    }

    public static func parse(_ text: String) throws(SyntaxError) -> Document {
        var parser = Parser(Array(text.unicodeScalars))
        return try parser.document()
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        var line = 1
        var lineStart = 0

        init(_ s: [Unicode.Scalar]) { self.s = s }

        var column: Int { i - lineStart + 1 }
        var atEnd: Bool { i >= s.count }
        var current: Unicode.Scalar? { i < s.count ? s[i] : nil }

        func fail(_ message: String) -> SyntaxError { SyntaxError(line: line, column: column, message: message) }

        mutating func advance() {
            if s[i] == "\n" {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }

        mutating func skipSpaces() {
            while let c = current, c == " " || c == "\t" { i += 1 }
        }

        /// Spaces, then a comment, then the end of the line (or of the file).
        mutating func endOfLine() throws(SyntaxError) {
            skipSpaces()
            if current == "#" { while let c = current, c != "\n" { i += 1 } }
            if current == "\r" { i += 1 }
            guard let c = current else { return }
            guard c == "\n" else { throw fail("expected the end of the line, found '\(Self.show(c))'") }
            advance()
        }

        /// Blank lines, comments and newlines inside arrays.
        mutating func skipBlank() {
            while let c = current {
                if c == " " || c == "\t" || c == "\r" { i += 1 } else if c == "\n" { advance() } else if c == "#" {
                    while let c = current, c != "\n" { i += 1 }
                } else { return }
            }
        }

        static func show(_ c: Unicode.Scalar) -> String {
            c.value < 0x20 || c.value == 0x7F ? "U+\(String(c.value, radix: 16, uppercase: true))" : String(c)
        }

        mutating func document() throws(SyntaxError) -> Document {
            var document = Document()
            var table: [String] = []
            var seen = Set<[String]>()
            var definedTables = Set<[String]>()
            while true {
                skipBlank()
                guard let c = current else { break }
                if c == "[" {
                    let headerLine = line
                    i += 1
                    if current == "[" { throw fail("arrays of tables ([[...]]) are not used in Agora's files") }
                    skipSpaces()
                    table = try key()
                    skipSpaces()
                    guard current == "]" else { throw fail("expected ']' to close the table name") }
                    i += 1
                    if !definedTables.insert(table).inserted {
                        throw SyntaxError(line: headerLine, column: 1, message: "table [\(table.joined(separator: "."))] is defined twice")
                    }
                    document.headers.append(Header(path: table, line: headerLine))
                    try endOfLine()
                } else {
                    var entry = try keyValue()
                    entry.key = table + entry.key
                    if !seen.insert(entry.key).inserted {
                        throw SyntaxError(line: entry.line, column: 1, message: "'\(entry.dottedKey)' is set twice")
                    }
                    document.entries.append(entry)
                    try endOfLine()
                }
            }
            return document
        }

        /// `key = value`, with the line it starts on.
        mutating func keyValue() throws(SyntaxError) -> Entry {
            let entryLine = line
            let k = try key()
            skipSpaces()
            guard current == "=" else { throw fail("expected '=' after the key '\(k.joined(separator: "."))'") }
            i += 1
            skipSpaces()
            return Entry(key: k, value: try value(), line: entryLine)
        }

        /// A dotted key: `a`, `"a b".c`, `'x'`.
        mutating func key() throws(SyntaxError) -> [String] {
            var parts: [String] = []
            while true {
                skipSpaces()
                guard let c = current else { throw fail("expected a key, found the end of the file") }
                if c == "\"" {
                    i += 1
                    parts.append(try basicString())
                } else if c == "'" {
                    i += 1
                    parts.append(try literalString())
                } else {
                    var bare = ""
                    while let c = current, ("a"..."z").contains(c) || ("A"..."Z").contains(c)
                        || c == "_" || c == "-" || ("0"..."9").contains(c) {
                        bare.unicodeScalars.append(c)
                        i += 1
                    }
                    guard !bare.isEmpty else { throw fail("expected a key, found '\(Self.show(c))'") }
                    parts.append(bare)
                }
                skipSpaces()
                guard current == "." else { return parts }
                i += 1
            }
        }

        mutating func value() throws(SyntaxError) -> Value {
            guard let c = current else { throw fail("expected a value, found the end of the file") }
            switch c {
            case "\"", "'":
                // "basic" and 'literal' strings, each also in a """multi-line""" form.
                let literal = c == "'"
                if s.count >= i + 3, s[i + 1] == c, s[i + 2] == c {
                    i += 3
                    return .string(try multiLine(literal: literal))
                }
                i += 1
                return .string(try literal ? literalString() : basicString())
            case "[":
                i += 1
                var items: [Value] = []
                while true {
                    skipBlank()
                    if current == "]" { i += 1; return .array(items) }
                    items.append(try value())
                    skipBlank()
                    if current == "," { i += 1; continue }
                    guard current == "]" else { throw fail("expected ',' or ']' in the array") }
                    i += 1
                    return .array(items)
                }
            case "{":
                i += 1
                var entries: [Entry] = []
                skipSpaces()
                if current == "}" { i += 1; return .table(entries) }
                while true {
                    skipSpaces()
                    let entry = try keyValue()
                    if entries.contains(where: { $0.key == entry.key }) { throw fail("'\(entry.dottedKey)' is set twice") }
                    entries.append(entry)
                    skipSpaces()
                    if current == "," { i += 1; continue }
                    guard current == "}" else { throw fail("expected ',' or '}' in the inline table (it stays on one line)") }
                    i += 1
                    return .table(entries)
                }
            default:
                return try scalar()
            }
        }

        /// true, false, integers, floats; dates are refused.
        mutating func scalar() throws(SyntaxError) -> Value {
            let start = i
            let startColumn = column
            while let c = current, !(c == " " || c == "\t" || c == "\n" || c == "\r" || c == "," || c == "]" || c == "}" || c == "#") {
                i += 1
            }
            let word = String(String.UnicodeScalarView(s[start..<i]))
            if word == "true" { return .bool(true) }
            if word == "false" { return .bool(false) }
            let digits = word.replacingOccurrences(of: "_", with: "")
            if digits.hasPrefix("0x"), let n = Int(digits.dropFirst(2), radix: 16) { return .integer(n) }
            if let n = Int(digits) { return .integer(n) }
            if ["inf", "+inf", "-inf", "nan", "+nan", "-nan"].contains(digits) {
                return .float(digits.hasSuffix("nan") ? .nan : (digits.hasPrefix("-") ? -.infinity : .infinity))
            }
            if digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let x = Double(digits) { return .float(x) }
            let atLineEnd = current == nil || current == "\n" || current == "\r" || current == "#"
            let shown = !word.isEmpty ? "'\(word)'" : (atLineEnd ? "the end of the line" : "'\(Self.show(current!))'")
            throw SyntaxError(line: line, column: startColumn,
                              message: "expected a value (a \"string\", a number, true/false, [an array] or {a table}), found \(shown)")
        }

        mutating func escape() throws(SyntaxError) -> Unicode.Scalar {
            guard let c = current else { throw fail("unfinished escape at the end of the file") }
            i += 1
            switch c {
            case "n": return "\n"
            case "t": return "\t"
            case "r": return "\r"
            case "b": return "\u{08}"
            case "f": return "\u{0C}"
            case "e": return "\u{1B}"
            case "\"": return "\""
            case "\\": return "\\"
            case "u", "U":
                let count = c == "u" ? 4 : 8
                guard i + count <= s.count else { throw fail("\\\(c) needs \(count) hex digits") }
                let hex = String(String.UnicodeScalarView(s[i..<i + count]))
                guard let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                    throw fail("\\\(c)\(hex) is not a Unicode character")
                }
                i += count
                return scalar
            default:
                throw fail("unknown escape '\\\(Self.show(c))' (a backslash is written \\\\)")
            }
        }

        mutating func basicString() throws(SyntaxError) -> String {
            var out = String.UnicodeScalarView()
            while true {
                guard let c = current, c != "\n" else { throw fail("unfinished string: no closing \" on this line") }
                i += 1
                if c == "\"" { return String(out) }
                if c == "\\" { out.append(try escape()) } else { out.append(c) }
            }
        }

        mutating func literalString() throws(SyntaxError) -> String {
            var out = String.UnicodeScalarView()
            while true {
                guard let c = current, c != "\n" else { throw fail("unfinished string: no closing ' on this line") }
                i += 1
                if c == "'" { return String(out) }
                out.append(c)
            }
        }

        mutating func multiLine(literal: Bool) throws(SyntaxError) -> String {
            let quote: Unicode.Scalar = literal ? "'" : "\""
            var out = String.UnicodeScalarView()
            // A newline right after the opening quotes is not part of the string.
            if current == "\r" { i += 1 }
            if current == "\n" { advance() }
            while true {
                guard let c = current else { throw fail("unfinished multi-line string") }
                if c == quote, s.count >= i + 3, s[i + 1] == quote, s[i + 2] == quote {
                    i += 3
                    return String(out)
                }
                if !literal, c == "\\" {
                    i += 1
                    // A backslash at the end of a line joins it to the next, without the spaces.
                    if let next = current, next == "\n" || next == " " || next == "\t" || next == "\r" {
                        while let w = current, w == "\n" || w == " " || w == "\t" || w == "\r" { advance() }
                        continue
                    }
                    out.append(try escape())
                    continue
                }
                advance()
                out.append(c)
            }
        }
    }
}

extension TOML.Value {
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var integer: Int? { if case .integer(let n) = self { n } else { nil } }
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
}
