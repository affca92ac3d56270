import Foundation

/// A short piece of text around the first word that matches, for search results.
enum Snippet {
    static func around(_ query: SearchQuery, in text: String, length: Int = 160) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard !words.isEmpty else { return "" }
        let wanted = query.terms.flatMap { $0.tokens }
        // Fold word by word until the first match: cheap, and most matches come early.
        let hit = wanted.isEmpty ? 0 : words.firstIndex { word in
            let folded = word.utf8.allSatisfy { $0 < 0x80 } ? word.lowercased() : SearchText.fold(String(word))
            return SearchText.tokens(folded).contains { token in wanted.contains { token.hasPrefix($0) } }
        } ?? 0
        var start = hit
        var before = 0
        while start > 0, before + words[start - 1].count < length / 3 {
            start -= 1
            before += words[start].count + 1
        }
        var pieces: [Substring] = []
        var used = 0
        var end = start
        while end < words.count, used + words[end].count <= length {
            pieces.append(words[end])
            used += words[end].count + 1
            end += 1
        }
        if pieces.isEmpty { pieces = [words[start].prefix(length)]; end = start + 1 }
        return (start > 0 ? "…" : "") + pieces.joined(separator: " ") + (end < words.count ? "…" : "")
    }
}

/// Gathers the distinct words of index text, as the index's tokenizer (unicode61) makes them,
/// in lower case. It reads bytes and hashes each word in place, so a word it has seen costs no
/// allocation: an import's 30 million words come down to the few thousand new ones in `found`.
public struct TermCollector {
    private var seen = HashSeen()
    private var isWordScalar: [UInt32: Bool] = [:]
    /// Words not seen before, in the order met.
    public private(set) var found: [String] = []

    public init() {}

    public mutating func add(_ text: String) {
        var copy = text
        copy.withUTF8 { bytes in
            var start = -1
            var hash: UInt64 = 0xcbf29ce484222325
            var i = 0
            func end(_ stop: Int) {
                guard start >= 0 else { return }
                if seen.insert(hash) {
                    found.append(String(decoding: bytes[start..<stop].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self))
                }
                start = -1
                hash = 0xcbf29ce484222325
            }
            while i < bytes.count {
                let b = bytes[i]
                var length = 1
                var word: Bool
                if b < 0x80 {
                    word = (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
                } else {
                    length = b >= 0xF0 ? 4 : (b >= 0xE0 ? 3 : (b >= 0xC0 ? 2 : 1))
                    length = min(length, bytes.count - i)
                    var value = UInt32(b) & (length == 4 ? 0x07 : (length == 3 ? 0x0F : 0x1F))
                    for k in 1..<max(1, length) { value = value << 6 | (UInt32(bytes[i + k]) & 0x3F) }
                    if let known = isWordScalar[value] {
                        word = known
                    } else {
                        let properties = Unicode.Scalar(value)?.properties
                        word = properties.map { $0.isAlphabetic || $0.numericType != nil } ?? false
                        isWordScalar[value] = word
                    }
                }
                if word {
                    if start < 0 { start = i }
                    for k in 0..<length {
                        var c = bytes[i + k]
                        if c >= 65 && c <= 90 { c += 32 }
                        hash = (hash ^ UInt64(c)) &* 0x100000001b3
                    }
                } else {
                    end(i)
                }
                i += length
            }
            end(bytes.count)
        }
    }
}

/// The hashes of the words seen, in a table of open addressing: the hash is already a word's
/// FNV-1a, so it is not hashed again (a `Set<UInt64>` hashed every one of an import's 30 million
/// words with SipHash: a sixth of the search text's making).
struct HashSeen {
    private var slots = [UInt64](repeating: 0, count: 1024)
    private var count = 0

    /// True when `hash` was not there before.
    mutating func insert(_ hash: UInt64) -> Bool {
        let key = hash == 0 ? 1 : hash  // 0 marks an empty slot
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: key ^ (key >> 32)) & mask
        while true {
            let slot = slots[index]
            if slot == key { return false }
            if slot == 0 { break }
            index = (index + 1) & mask
        }
        slots[index] = key
        count += 1
        if count * 2 > slots.count { grow() }
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for key in old where key != 0 {
            var index = Int(truncatingIfNeeded: key ^ (key >> 32)) & mask
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = key
        }
    }
}
