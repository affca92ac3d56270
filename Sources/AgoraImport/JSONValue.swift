import Foundation

/// A JSON document as read from a forum's answers: objects keep their members in order as an
/// array (no dictionary is hashed for a post's sixty fields when a dozen are asked for), whole
/// numbers stay `Int`, and nothing is boxed in Foundation objects. JSONSerialization, which made
/// a dictionary of every object and an NSNumber of every number, and the casts out of `Any`
/// were a third of a forum's first sync (docs/architecture.md has the measurement).
///
/// The reading is RFC 8259's: one value, whitespace around it, no comments or bare words; a
/// control character in a string, a bad escape or a number out of the grammar is an error that
/// says where. A comma before a closing bracket is let pass, as Foundation's reader did. Bytes that are not UTF-8 are read as U+FFFD, as a lone
/// surrogate escape is. Nesting deeper than `maximumDepth` is an error, not a crash.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// How deep arrays and objects may nest.
    public static let maximumDepth = 512

    public struct SyntaxError: Error, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "\(reason) at byte \(offset)" }
    }

    public init(parsing data: Data) throws {
        self = try data.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
            return try reader.document()
        }
    }

    /// A member of an object (the last of that name, as JSONSerialization kept); nil for
    /// anything else or a name not there.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for member in members.reversed() where member.key == key { return member.value }
        return nil
    }

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var isObject: Bool { if case .object = self { true } else { false } }

    /// A whole number, also written as a whole double (`12.0`) or a string (`"12"`).
    public var int: Int? {
        switch self {
        case .int(let n): n
        case .double(let d): d.rounded() == d && abs(d) < 9.2e18 ? Int(d) : nil
        case .string(let s): Int(s)
        default: nil
        }
    }

    /// `true`, or a number other than 0 (as Foundation's bridging read them).
    public var isTrue: Bool {
        switch self {
        case .bool(let b): b
        case .int(let n): n != 0
        case .double(let d): d != 0
        default: false
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0
        var depth = 0

        func fail(_ reason: String) -> SyntaxError { SyntaxError(offset: at, reason: reason) }

        mutating func document() throws -> JSONValue {
            let value = try self.value()
            skipSpace()
            guard at == bytes.count else { throw fail("text after the JSON value") }
            return value
        }

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x0A, 0x0D, 0x09: at += 1
                default: return
                }
            }
        }

        mutating func value() throws -> JSONValue {
            skipSpace()
            guard at < bytes.count else { throw fail("the JSON ends where a value was expected") }
            switch bytes[at] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw fail("unexpected character")
            }
        }

        mutating func literal(_ word: StaticString) throws {
            let count = word.utf8CodeUnitCount
            guard at + count <= bytes.count else { throw fail("the JSON ends inside a word") }
            for i in 0..<count where bytes[at + i] != word.utf8Start[i] { throw fail("unexpected character") }
            at += count
        }

        mutating func enter() throws {
            depth += 1
            guard depth <= JSONValue.maximumDepth else { throw fail("nested more than \(JSONValue.maximumDepth) deep") }
        }

        mutating func object() throws -> JSONValue {
            var members: [(key: String, value: JSONValue)] = []
            try elements(closing: UInt8(ascii: "}"), inside: "an object") { reader in
                guard reader.at < reader.bytes.count, reader.bytes[reader.at] == UInt8(ascii: "\"") else {
                    throw reader.fail("an object's member name was expected")
                }
                let key = try reader.string()
                reader.skipSpace()
                guard reader.at < reader.bytes.count, reader.bytes[reader.at] == UInt8(ascii: ":") else { throw reader.fail("':' was expected") }
                reader.at += 1
                members.append((key: key, value: try reader.value()))
            }
            return .object(members)
        }

        mutating func array() throws -> JSONValue {
            var items: [JSONValue] = []
            try elements(closing: UInt8(ascii: "]"), inside: "an array") { reader in items.append(try reader.value()) }
            return .array(items)
        }

        /// An array's or an object's elements, from its opening bracket past its closing one,
        /// `element` reading each; a comma before the closing bracket is let pass.
        mutating func elements(closing: UInt8, inside: String, _ element: (inout Reader) throws -> Void) throws {
            try enter()
            at += 1
            while true {
                skipSpace()
                if at < bytes.count, bytes[at] == closing { break }
                try element(&self)
                skipSpace()
                guard at < bytes.count else { throw fail("the JSON ends inside \(inside)") }
                if bytes[at] == UInt8(ascii: ",") {
                    at += 1
                    continue
                }
                guard bytes[at] == closing else { throw fail("',' or '\(Character(Unicode.Scalar(closing)))' was expected") }
                break
            }
            at += 1
            depth -= 1
        }

        mutating func number() throws -> JSONValue {
            let start = at
            var negative = false
            if bytes[at] == UInt8(ascii: "-") { negative = true; at += 1 }
            guard at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") else { throw fail("a digit was expected") }
            var whole = 0
            var overflow = false
            if bytes[at] == UInt8(ascii: "0") {
                at += 1
            } else {
                while at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") {
                    let (times, o1) = whole.multipliedReportingOverflow(by: 10)
                    let (plus, o2) = times.addingReportingOverflow(Int(bytes[at] - UInt8(ascii: "0")))
                    overflow = overflow || o1 || o2
                    whole = plus
                    at += 1
                }
            }
            var fractional = false
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
                fractional = true
                at += 1
                guard at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") else { throw fail("a digit was expected after '.'") }
                while at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") { at += 1 }
            }
            if at < bytes.count, bytes[at] | 0x20 == UInt8(ascii: "e") {
                fractional = true
                at += 1
                if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
                guard at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") else { throw fail("a digit was expected in the exponent") }
                while at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") { at += 1 }
            }
            if !fractional, !overflow { return .int(negative ? -whole : whole) }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
            return .double(Double(text) ?? (negative ? -.infinity : .infinity))
        }

        /// A string, at its opening quote.
        mutating func string() throws -> String {
            at += 1
            let start = at
            // Most strings have no escapes: made from the bytes as they are.
            while at < bytes.count {
                let c = bytes[at]
                if c == UInt8(ascii: "\"") {
                    defer { at += 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
                }
                if c == UInt8(ascii: "\\") { break }
                guard c >= 0x20 else { throw fail("a control character inside a string") }
                at += 1
            }
            var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<at]))
            while at < bytes.count {
                let c = bytes[at]
                if c == UInt8(ascii: "\"") {
                    at += 1
                    return String(decoding: out, as: UTF8.self)
                }
                guard c >= 0x20 else { throw fail("a control character inside a string") }
                guard c == UInt8(ascii: "\\") else {
                    out.append(c)
                    at += 1
                    continue
                }
                at += 1
                guard at < bytes.count else { break }
                let escape = bytes[at]
                at += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate: with its low one, one scalar; alone, U+FFFD.
                        if at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") {
                            let mark = at
                            at += 2
                            let low = try hex4()
                            if (0xDC00..<0xE000).contains(low) {
                                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                scalar = 0xFFFD
                                at = mark
                            }
                        } else {
                            scalar = 0xFFFD
                        }
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        scalar = 0xFFFD
                    }
                    out.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
                default:
                    at -= 1
                    throw fail("a bad escape in a string")
                }
            }
            throw fail("the JSON ends inside a string")
        }

        mutating func hex4() throws -> UInt32 {
            guard at + 4 <= bytes.count else { throw fail("the JSON ends inside a \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[at]
                let digit: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
                default: throw fail("a bad \\u escape")
                }
                value = value << 4 | digit
                at += 1
            }
            return value
        }
    }
}
