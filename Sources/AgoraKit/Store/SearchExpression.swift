/// Turns what a person types into a full-text query that cannot fail: every word is quoted (so
/// `"`, `*`, `-`, `:` and FTS keywords such as NOT are only text), the last one matches as a
/// prefix while typing, and words with no letters or digits are dropped.
public enum SearchExpression {
    /// The words that count, in order; empty when nothing searchable was typed.
    public static func words(_ text: String) -> [String] {
        Sanitizer.line(text)
            .split(whereSeparator: \.isWhitespace)
            .map(String.init)
            .filter { $0.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil }) }
    }

    /// An FTS5 MATCH expression: all words, each a prefix.
    public static func fts(_ text: String) -> String? {
        let words = words(text)
        guard !words.isEmpty else { return nil }
        return words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"*" }
            .joined(separator: " ")
    }

    /// The same match done by hand, for the JSON cache: every word is a prefix of some word of
    /// the folded text.
    static func matches(words foldedWords: [String], in foldedText: String) -> Bool {
        let tokens = tokenize(foldedText)
        return foldedWords.allSatisfy { word in
            let parts = tokenize(word)
            guard !parts.isEmpty else { return true }
            // A word such as "d'ivoire" is a phrase of tokens: they must follow one another.
            return tokens.indices.contains { start in
                guard start + parts.count <= tokens.count else { return false }
                for (offset, part) in parts.enumerated() {
                    let token = tokens[start + offset]
                    let isLast = offset == parts.count - 1
                    if isLast ? !token.hasPrefix(part) : token != part { return false }
                }
                return true
            }
        }
    }

    /// Splits folded text into tokens as unicode61 does: runs of letters and digits.
    static func tokenize(_ text: String) -> [Substring] {
        text.split(whereSeparator: { ch in
            !ch.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil })
        })
    }
}

import Foundation
