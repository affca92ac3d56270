import Foundation

/// Links in HTML made absolute: `href` and `src` values relative to a base (a feed's xml:base or
/// address, a forum's address) become whole addresses, as a reader outside the page needs them.
/// Absolute addresses, fragments (`#top`) and other schemes (`mailto:`, `data:`) stay as they are.
enum HTMLLinks {
    static func absolute(_ html: String, base: URL) -> String {
        guard html.contains("href=") || html.contains("src=") else { return html }
        var out = html
        for attribute in ["href=\"", "src=\"", "href='", "src='"] where out.contains(attribute) {
            let quote = attribute.last!
            var result = ""
            var rest = Substring(out)
            while let range = rest.range(of: attribute) {
                result += rest[..<range.upperBound]
                rest = rest[range.upperBound...]
                guard let end = rest.firstIndex(of: quote) else { break }
                result += resolve(String(rest[..<end]), base: base)
                rest = rest[end...]
            }
            out = result + rest
        }
        return out
    }

    /// One address against a base; left as it is when it needs nothing or cannot be made whole.
    static func resolve(_ value: String, base: URL?) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard let base, !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return value }
        if let colon = trimmed.firstIndex(of: ":"), !trimmed[..<colon].contains("/"), !trimmed[..<colon].contains("?") {
            return value  // it has a scheme already
        }
        // HTML entities in attribute values (&amp;) stay as they are around the resolution.
        let decoded = trimmed.replacingOccurrences(of: "&amp;", with: "&")
        guard let url = URL(string: decoded, relativeTo: base)?.absoluteURL else { return value }
        let whole = url.absoluteString
        return decoded == trimmed ? whole : whole.replacingOccurrences(of: "&", with: "&amp;")
    }
}
