import Foundation

/// What a person typed into search, parsed once: the words that count, folded for matching.
///
/// Every word must match. The last one matches as a prefix while it is being typed (no space
/// after it yet), so "civil soc" finds "civil society". As a full-text query every word is
/// quoted, so `"`, `*`, `-`, `:` and keywords such as NOT are only text and no input can make
/// the query fail; words with no letters or digits are dropped.
public struct SearchExpression: Hashable, Sendable {
    /// The words as typed (sanitised).
    public let words: [String]
    /// The same words folded (case, accents).
    public let folded: [String]
    /// The last word is still being typed.
    public let lastIsPrefix: Bool

    /// Nil when nothing searchable was typed.
    public init?(_ text: String) {
        let clean = Sanitizer.line(text)
        words = clean.split(whereSeparator: \.isWhitespace).map(String.init).filter { word in
            word.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        }
        guard !words.isEmpty else { return nil }
        folded = words.map(Folding.key)
        lastIsPrefix = !(clean.last?.isWhitespace ?? false)
    }

    /// An FTS5 MATCH expression.
    public var fts: String {
        words.enumerated().map { index, word in
            let quoted = "\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return index == words.count - 1 && lastIsPrefix ? quoted + "*" : quoted
        }.joined(separator: " ")
    }

    /// The same match done by hand on folded text, for the JSON cache: each word's tokens must
    /// follow one another in the text ("d'ivoire" is "d" then "ivoire").
    public func matches(folded text: String) -> Bool {
        let tokens = Self.tokenize(text)
        return folded.enumerated().allSatisfy { index, word in
            let parts = Self.tokenize(word)
            guard !parts.isEmpty else { return true }
            let prefix = index == folded.count - 1 && lastIsPrefix
            return tokens.indices.contains { start in
                guard start + parts.count <= tokens.count else { return false }
                for (offset, part) in parts.enumerated() {
                    let token = tokens[start + offset]
                    let last = offset == parts.count - 1
                    if last && prefix ? !token.hasPrefix(part) : token != part { return false }
                }
                return true
            }
        }
    }

    /// Tokens as unicode61 makes them: runs of letters and digits.
    static func tokenize<S: StringProtocol>(_ text: S) -> [Substring] {
        Substring(text).split(whereSeparator: { character in
            !character.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        })
    }

    /// Whether one word of text (folded) holds a token that one of the query's tokens begins.
    func touches(_ foldedWord: Substring) -> Bool {
        let tokens = Self.tokenize(foldedWord)
        return folded.contains { word in
            Self.tokenize(word).contains { part in tokens.contains { $0.hasPrefix(part) } }
        }
    }
}

/// A short piece of text around the first word that matches, for search results.
enum Snippet {
    static func around(_ expression: SearchExpression, in text: String, length: Int = 120) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard !words.isEmpty else { return "" }
        // Fold word by word until the first match: cheap, and most matches come early.
        let hit = words.firstIndex { word in
            let folded = word.utf8.allSatisfy { $0 < 0x80 } ? Substring(word.lowercased()) : Substring(Folding.key(String(word)))
            return expression.touches(folded)
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
