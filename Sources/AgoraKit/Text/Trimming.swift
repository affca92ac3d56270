import Foundation

extension String {
    /// The text without whitespace and newlines around it. Most text has none, and Foundation's
    /// `trimmingCharacters` copies through UTF-16 even then: that check comes first.
    public var trimmed: String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        if !first.properties.isWhitespace, !last.properties.isWhitespace { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Nil for an empty string, else the string.
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}
