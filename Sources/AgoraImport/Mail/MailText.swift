import Foundation

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
        return haystack.withUTF8 { $0.firstIndex(ofBytes: Array(needle.utf8)) != nil }
    }
}

/// One copy of each value that repeats (a list's List-Id on each of its messages, a sender's
/// address on each of theirs), for the threads that read a piece of an archive at once: a
/// 100,000-message archive held 100,000 copies of a few hundred strings. Past `limit` values it
/// keeps no more; it goes with the piece it was made for.
final class OneCopy: @unchecked Sendable {
    private var copies: [String: String] = [:]
    private let lock = NSLock()
    private let limit: Int

    init(limit: Int = 4_096) { self.limit = limit }

    func once(_ value: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let copy = copies[value] { return copy }
        if copies.count < limit { copies[value] = value }
        return value
    }
}
