import AgoraKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An mbox read as its messages: mboxo, mboxrd, mboxcl2, a pipermail month, a LISTSERV export,
/// gzip'd or not (../shared/formats/mail.md). A message starts at a `From ` line at the start of
/// the file or after a blank line, and only when the line after it reads as a header: a body
/// line "From here on..." that no one quoted does not split a message. `>From ` lines are
/// unquoted one level (mboxrd; mboxo's quoting is the same one level).
public enum Mbox {
    /// A LISTSERV notebook log's separator: a line of 73 `=`.
    static let listservRule = [UInt8](repeating: 0x3D, count: 73)

    /// Whether the first bytes are a LISTSERV notebook log (`LIST.LOG1403`): the rule, then headers.
    public static func looksLikeListservLog(_ head: Data) -> Bool {
        let bytes = [UInt8](head.prefix(4_096))
        guard bytes.starts(with: listservRule), let end = bytes.firstIndex(of: 0x0A) else { return false }
        return isHeaderLine(bytes[(end + 1)...])
    }

    /// A LISTSERV notebook log's messages: each after a line of 73 `=`.
    public static func listservMessages(_ data: Data) -> [Data] {
        let bytes = [UInt8](data)
        var out: [Data] = []
        var start: Int?
        var lineStart = 0
        while lineStart < bytes.count {
            var end = lineStart
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            var line = bytes[lineStart..<end]
            if line.last == 0x0D { line = line.dropLast() }
            if line.elementsEqual(listservRule) {
                if let start { out.append(Data(bytes[start..<lineStart])) }
                start = min(bytes.count, end + 1)
            }
            lineStart = end + 1
        }
        if let start, start < bytes.count { out.append(Data(bytes[start...])) }
        return out
    }

    /// Whether the first bytes look like an mbox: a `From ` line, then a header.
    public static func looksLikeMbox(_ head: Data) -> Bool {
        let bytes = [UInt8](head.prefix(4_096))
        guard bytes.starts(with: Array("From ".utf8)), let end = bytes.firstIndex(of: 0x0A) else { return false }
        return isHeaderLine(bytes[(end + 1)...])
    }

    /// The messages of an mbox, each as its bytes (envelope line left out, `>From ` unquoted).
    public static func messages(_ data: Data) -> [Data] { split(data, final: true).messages }

    /// Where a message is in a piece of an mbox: its bytes (after the envelope line) and whether
    /// a line of it is a quoted `>From ` (to be unquoted when it is read).
    public struct Located: Sendable, Equatable {
        public var start: Int
        public var end: Int
        public var quoted: Bool
    }

    /// The messages of a piece of an mbox; unless it is the `final` piece, the last message may
    /// go on in the next, so it is handed back as `rest`, to be read again with what follows.
    public static func split(_ data: Data, final: Bool) -> (messages: [Data], rest: Data) {
        let (located, restStart) = locate(data, final: final)
        let base = data.startIndex
        let messages = data.withUnsafeBytes { raw -> [Data] in
            let bytes = raw.bindMemory(to: UInt8.self)
            // Most messages have no `>From ` line: a slice of the file, not a copy.
            return located.map { $0.quoted ? unquoted(UnsafeBufferPointer(rebasing: bytes[$0.start..<$0.end])) : data[(base + $0.start)..<(base + $0.end)] }
        }
        return (messages, Data(data[(base + restStart)...]))
    }

    /// Where the messages of a piece of an mbox are (offsets from its start), and where the rest
    /// that waits for the next piece begins (the end, for the `final` piece).
    public static func locate(_ data: Data, final: Bool) -> (messages: [Located], restStart: Int) {
        data.withUnsafeBytes { raw -> ([Located], Int) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var starts: [(line: Int, body: Int)] = []
            var lineStart = 0
            var previousBlank = true
            let count = bytes.count
            while lineStart < count {
                let lineEnd = Self.lineEnd(bytes, from: lineStart)
                let next = min(count, lineEnd + 1)
                if previousBlank, lineEnd - lineStart >= 5, bytes[lineStart] == 0x46, bytes[lineStart + 1] == 0x72,
                   bytes[lineStart + 2] == 0x6F, bytes[lineStart + 3] == 0x6D, bytes[lineStart + 4] == 0x20,
                   next < count, isHeaderLine(UnsafeBufferPointer(rebasing: bytes[next...])) {
                    starts.append((lineStart, next))
                }
                let length = lineEnd - lineStart - (lineEnd > lineStart && bytes[lineEnd - 1] == 0x0D ? 1 : 0)
                previousBlank = length == 0
                lineStart = next
            }
            var out: [Located] = []
            out.reserveCapacity(starts.count)
            let complete = final ? starts.count : max(0, starts.count - 1)
            for index in 0..<complete {
                let start = starts[index]
                let end = index + 1 < starts.count ? starts[index + 1].line : count
                out.append(Located(start: start.body, end: end, quoted: hasQuotedFrom(UnsafeBufferPointer(rebasing: bytes[start.body..<end]))))
            }
            // Not final: the last message found (or, with none found, all of it) waits for more.
            return (out, final ? count : (starts.last?.line ?? 0))
        }
    }

    /// The index of the line feed that ends the line from `start` (the end, for a last line
    /// without one): memchr, not a loop a byte at a time.
    static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard start < bytes.count, let base = bytes.baseAddress else { return bytes.count }
        guard let found = memchr(base + start, 0x0A, bytes.count - start) else { return bytes.count }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// A header line: a name of printable characters without space, then a colon.
    static func isHeaderLine<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var length = 0
        for byte in bytes {
            if byte == 0x3A { return length > 0 }
            guard byte > 0x20, byte < 0x7F else { return false }
            length += 1
            if length > 76 { return false }
        }
        return false
    }

    /// Whether a line of it is `>From `, `>>From ` ...
    private static func hasQuotedFrom(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var atLineStart = true
        var i = 0
        while i < bytes.count {
            if atLineStart, bytes[i] == 0x3E {
                var j = i
                while j < bytes.count, bytes[j] == 0x3E { j += 1 }
                if j + 5 <= bytes.count, bytes[j] == 0x46, bytes[j + 1] == 0x72, bytes[j + 2] == 0x6F, bytes[j + 3] == 0x6D, bytes[j + 4] == 0x20 {
                    return true
                }
            }
            atLineStart = bytes[i] == 0x0A
            i += 1
        }
        return false
    }

    /// The message with one `>` taken off each `>…>From ` line.
    static func unquoted(_ bytes: UnsafeBufferPointer<UInt8>) -> Data {
        var out = Data()
        out.reserveCapacity(bytes.count)
        var lineStart = 0
        let count = bytes.count
        while lineStart < count {
            var i = lineStart
            while i < count, bytes[i] == 0x3E { i += 1 }
            let quoted = i > lineStart && i + 5 <= count && bytes[i] == 0x46 && bytes[i + 1] == 0x72 && bytes[i + 2] == 0x6F
                && bytes[i + 3] == 0x6D && bytes[i + 4] == 0x20
            var lineEnd = i
            while lineEnd < count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let next = min(count, lineEnd + 1)
            out.append(UnsafeBufferPointer(rebasing: bytes[(quoted ? lineStart + 1 : lineStart)..<next]))
            lineStart = next
        }
        return out
    }
}
