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

    /// Only spaces and tabs (or nothing).
    var isBlankLine: Bool { utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }
}

extension String {
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
        var out: [Substring] = []
        var start = text.utf8.startIndex
        var index = start
        let end = text.utf8.endIndex
        while index < end {
            if text.utf8[index] == 0x0A {
                out.append(text[start..<index])
                start = text.utf8.index(after: index)
            }
            index = text.utf8.index(after: index)
        }
        out.append(text[start..<end])
        return out
    }
}
