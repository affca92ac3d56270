import AgoraKit
import Foundation

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

    /// The messages of a piece of an mbox; unless it is the `final` piece, the last message may
    /// go on in the next, so it is handed back as `rest`, to be read again with what follows.
    public static func split(_ data: Data, final: Bool) -> (messages: [Data], rest: Data) {
        data.withUnsafeBytes { raw -> ([Data], Data) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var starts: [(line: Int, body: Int)] = []
            var lineStart = 0
            var previousBlank = true
            let count = bytes.count
            while lineStart < count {
                var lineEnd = lineStart
                while lineEnd < count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                let next = min(count, lineEnd + 1)
                if previousBlank, lineEnd - lineStart >= 5, bytes[lineStart] == 0x46, bytes[lineStart + 1] == 0x72,
                   bytes[lineStart + 2] == 0x6F, bytes[lineStart + 3] == 0x6D, bytes[lineStart + 4] == 0x20,
                   next < count, isHeaderLine(bytes[next...]) {
                    starts.append((lineStart, next))
                }
                let length = lineEnd - lineStart - (lineEnd > lineStart && bytes[lineEnd - 1] == 0x0D ? 1 : 0)
                previousBlank = length == 0
                lineStart = next
            }
            var out: [Data] = []
            out.reserveCapacity(starts.count)
            let base = data.startIndex
            let complete = final ? starts.count : max(0, starts.count - 1)
            for index in 0..<complete {
                let start = starts[index]
                let end = index + 1 < starts.count ? starts[index + 1].line : count
                let message = UnsafeBufferPointer(rebasing: bytes[start.body..<end])
                // Most messages have no `>From ` line: a slice of the file, not a copy.
                out.append(hasQuotedFrom(message) ? unquoted(message) : data[(base + start.body)..<(base + end)])
            }
            // Not final: the last message found (or, with none found, all of it) waits for more.
            let restStart = final ? count : (starts.last?.line ?? 0)
            return (out, Data(data[(base + restStart)...]))
        }
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
    private static func unquoted(_ bytes: UnsafeBufferPointer<UInt8>) -> Data {
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
