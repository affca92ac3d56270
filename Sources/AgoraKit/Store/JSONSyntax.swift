import Foundation

/// Finds where JSON first goes wrong, with its line and column, for error messages:
/// Foundation's decoder says only that the data "was not valid JSON". Runs only after a decode
/// has failed. Iterative, so deeply nested input cannot exhaust the stack.
public enum JSONSyntax {
    public struct Problem: Equatable, Sendable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    private enum Container { case object, array }
    private enum Expect { case value, valueOrClose, key, keyOrClose, colon, commaOrClose, end }

    public static func firstProblem(in data: Data) -> Problem? {
        let bytes = [UInt8](data)
        var i = 0
        var line = 1
        var column = 1
        var stack: [Container] = []
        var expect = Expect.value

        func problem(_ message: String) -> Problem { Problem(line: line, column: column, message: message) }
        func advance(_ count: Int = 1) {
            for _ in 0..<count where i < bytes.count {
                if bytes[i] == 0x0A { line += 1; column = 1 } else if bytes[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
        }
        func describe(_ byte: UInt8) -> String {
            byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02X", byte)
        }
        func afterValue() { expect = stack.isEmpty ? .end : .commaOrClose }

        // Skip a UTF-8 byte order mark.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        while true {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { advance() }
            guard i < bytes.count else {
                return expect == .end ? nil : problem(bytes.isEmpty ? "the file is empty" : "unexpected end of file")
            }
            let c = bytes[i]
            switch expect {
            case .end:
                return problem("unexpected \(describe(c)) after the end of the JSON")
            case .colon:
                guard c == UInt8(ascii: ":") else { return problem("expected ':' after a key, found \(describe(c))") }
                advance()
                expect = .value
            case .commaOrClose:
                let container = stack.last!
                if c == UInt8(ascii: ",") {
                    advance()
                    expect = container == .object ? .key : .value
                } else if (container == .object && c == UInt8(ascii: "}")) || (container == .array && c == UInt8(ascii: "]")) {
                    advance()
                    stack.removeLast()
                    afterValue()
                } else {
                    return problem("expected ',' or '\(container == .object ? "}" : "]")', found \(describe(c))")
                }
            case .key, .keyOrClose:
                if expect == .keyOrClose, c == UInt8(ascii: "}") {
                    advance()
                    stack.removeLast()
                    afterValue()
                } else if c == UInt8(ascii: "\"") {
                    if let error = string() { return error }
                    expect = .colon
                } else {
                    return problem("expected a key in double quotes, found \(describe(c))")
                }
            case .value, .valueOrClose:
                if expect == .valueOrClose, c == UInt8(ascii: "]") {
                    advance()
                    stack.removeLast()
                    afterValue()
                    continue
                }
                switch c {
                case UInt8(ascii: "{"):
                    advance()
                    stack.append(.object)
                    expect = .keyOrClose
                case UInt8(ascii: "["):
                    advance()
                    stack.append(.array)
                    expect = .valueOrClose
                case UInt8(ascii: "\""):
                    if let error = string() { return error }
                    afterValue()
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    let start = i
                    while i < bytes.count, "+-.eE0123456789".utf8.contains(bytes[i]) { advance() }
                    let text = String(decoding: bytes[start..<i], as: UTF8.self)
                    if Double(text) == nil { return problem("'\(text)' is not a number") }
                    afterValue()
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    let word = c == UInt8(ascii: "t") ? "true" : (c == UInt8(ascii: "f") ? "false" : "null")
                    guard bytes[i...].starts(with: Array(word.utf8)) else { return problem("unexpected \(describe(c))") }
                    advance(word.utf8.count)
                    afterValue()
                default:
                    return problem("expected a value, found \(describe(c))")
                }
            }
        }

        /// A string starting at the opening quote.
        func string() -> Problem? {
            advance()
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") { advance(); return nil }
                if c < 0x20 { return problem("a control character (\(describe(c))) inside a string") }
                if c == UInt8(ascii: "\\") { advance() }
                advance()
            }
            return problem("a string that never ends")
        }
    }
}
