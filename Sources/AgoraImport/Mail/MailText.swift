import Foundation
#if canImport(Glibc)
import Glibc
#endif

// Text work on the hot path of a mail import, done on UTF-8 bytes and on concrete types:
// Foundation's string methods go through NSString on Linux, and generic string code pays for
// its metadata at every call; a 100,000-message archive makes millions of these calls.

extension Substring {
    /// Without ASCII spaces and tabs at either end.
    var spacesTrimmed: String {
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) ?? first
        return String(self[first...last])
    }

    /// Runs of spaces and tabs as one space, none at either end.
    var collapsedSpaces: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        var space = false
        for piece in utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 }) {
            if space { out += " " }
            out += Substring(piece)
            space = true
        }
        return out
    }

    /// Only spaces and tabs (or nothing).
    var isBlankLine: Bool { utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }
}

extension String {
    /// Without spaces and single quotes at either end (a subject's decoration).
    var quotesTrimmed: String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x27 }) else { return "" }
        let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x27 }) ?? first
        return String(self[first...last])
    }

    var spacesTrimmed: String { Substring(self).spacesTrimmed }

    /// Whether the UTF-8 bytes of `needle` occur in it (on the bytes, not a generic search).
    func containsBytes(_ needle: String) -> Bool {
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { hay in
            needle.withUTF8 { n in
                guard let first = n.first else { return true }
                guard n.count <= hay.count else { return false }
                var i = 0
                let last = hay.count - n.count
                while i <= last {
                    if hay[i] == first {
                        var j = 1
                        while j < n.count, hay[i + j] == n[j] { j += 1 }
                        if j == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}

enum MailText {
    /// Lines, split at `\n` on the bytes.
    static func lines(_ text: String) -> [Substring] {
        var text = text
        var out: [Substring] = []
        // The offsets of the line feeds, found with memchr; then the lines as slices.
        let breaks: [Int] = text.withUTF8 { bytes in
            var found: [Int] = []
            guard let base = bytes.baseAddress else { return found }
            var from = 0
            while from < bytes.count, let hit = memchr(base + from, 0x0A, bytes.count - from) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                found.append(at)
                from = at + 1
            }
            return found
        }
        out.reserveCapacity(breaks.count + 1)
        let utf8 = text.utf8
        var start = utf8.startIndex
        var previous = 0
        for at in breaks {
            let end = utf8.index(start, offsetBy: at - previous)
            out.append(text[start..<end])
            start = utf8.index(after: end)
            previous = at + 1
        }
        out.append(text[start...])
        return out
    }
}
