import AgoraKit
import Foundation

/// Reads the records of one `ning-*.json` file as the Ning Network Archiver wrote it.
///
/// The files are not quite JSON: the array is wrapped in parentheses, commas between objects
/// are sometimes missing, and stray brackets appear between objects (`}]{`, `}[{`, `]]` at the
/// end). Rather than patch the text (which would also change strings that happen to contain
/// `}{`), the reader finds each top-level object by matching braces outside strings and skips
/// whatever punctuation lies between them. Each object is then decoded on its own, so an error
/// names the record, its line and column. Records whose bytes are not UTF-8 are read as
/// Windows-1252 and counted.
struct NingJSON {
    let path: String
    /// One dictionary per record, in file order.
    private(set) var records: [[String: Any]] = []
    /// The line each record starts on, for messages.
    private(set) var lines: [Int] = []
    /// How many records were not UTF-8 and were read as Windows-1252.
    private(set) var windows1252 = 0

    init(data: Data, path: String) throws {
        self.path = path
        let bytes = [UInt8](data)
        var i = 0
        // A byte-order mark, then the wrapper and the array's opening bracket.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        var line = 1
        var lineStart = 0
        func advanceLines(to end: Int, from start: Int) {
            var k = start
            while k < end {
                if bytes[k] == 0x0A { line += 1; lineStart = k + 1 }
                k += 1
            }
        }
        var scanned = i
        var index = 0
        while true {
            // Between records: whitespace, commas, brackets and the parentheses are skipped.
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D, 0x2C, 0x5B, 0x5D, 0x28, 0x29, 0x3B].contains(bytes[i]) { i += 1 }
            if i >= bytes.count { break }
            advanceLines(to: i, from: scanned)
            scanned = i
            guard bytes[i] == 0x7B else {
                let shown = String(decoding: bytes[i..<min(bytes.count, i + 12)], as: UTF8.self)
                throw AgoraError.badInput(.init(path: path, line: line, column: i - lineStart + 1),
                                          "not a Ning archive file: expected a record ({), found \"\(Sanitizer.line(shown))\"")
            }
            let start = i
            let startLine = line, startColumn = i - lineStart + 1
            var depth = 0
            var inString = false
            var escaped = false
            var end = -1
            while i < bytes.count {
                let b = bytes[i]
                if inString {
                    if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                } else if b == 0x22 {
                    inString = true
                } else if b == 0x7B || b == 0x5B {
                    depth += 1
                } else if b == 0x7D || b == 0x5D {
                    depth -= 1
                    if depth == 0 { end = i; break }
                }
                i += 1
            }
            index += 1
            guard end >= 0 else {
                throw AgoraError.badInput(.init(path: path, line: startLine, column: startColumn, record: index), "cut short (the file ends inside it)")
            }
            i = end + 1
            let slice = Data(bytes[start...end])
            var json = slice
            if String(data: slice, encoding: .utf8) == nil {
                guard let text = String(data: slice, encoding: .windowsCP1252) else {
                    throw AgoraError.badInput(.init(path: path, line: startLine, column: startColumn, record: index), "neither UTF-8 nor Windows-1252 text")
                }
                json = Data(text.utf8)
                windows1252 += 1
            }
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: json)
            } catch {
                if let problem = JSONSyntax.firstProblem(in: json) {
                    let column = problem.line == 1 ? startColumn + problem.column - 1 : problem.column
                    throw AgoraError.badInput(.init(path: path, line: startLine + problem.line - 1, column: column, record: index),
                                              "invalid JSON: \(problem.message)")
                }
                throw AgoraError.badInput(.init(path: path, line: startLine, column: startColumn, record: index), "invalid JSON")
            }
            guard let record = object as? [String: Any] else {
                throw AgoraError.badInput(.init(path: path, line: startLine, column: startColumn, record: index), "not an object")
            }
            records.append(record)
            lines.append(startLine)
        }
    }
}
