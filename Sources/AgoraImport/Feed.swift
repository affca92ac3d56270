import AgoraKit
import Foundation

/// A feed as it was read, before it becomes posts and members: RSS 0.9x/1.0/2.0, Atom 0.3/1.0
/// and JSON Feed 1.0/1.1 all come out as this.
public struct Feed: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public var id: String?
        public var title: String?
        public var link: String?
        public var author: String?
        public var published: Date?
        public var updated: Date?
        /// The full body, HTML.
        public var content: String?
        /// A summary or description, HTML.
        public var summary: String?
        public var categories: [String] = []

        public init() {}
    }

    public enum Format: String, Hashable, Sendable {
        case rss, rdf, atom, jsonFeed = "json-feed"
    }

    public var format: Format
    public var title: String?
    public var link: String?
    public var description: String?
    public var entries: [Entry]

    public init(format: Format, title: String? = nil, link: String? = nil, description: String? = nil, entries: [Entry] = []) {
        self.format = format
        self.title = title
        self.link = link
        self.description = description
        self.entries = entries
    }
}

/// Dates as feeds write them: RFC 822 in RSS (with the variants found in the wild), ISO 8601 in
/// Atom, Dublin Core and JSON Feed.
enum FeedDate {
    private static let rfc822Formats = [
        "d MMM yyyy HH:mm:ss Z", "d MMM yyyy HH:mm Z", "d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm zzz",
        "d MMM yy HH:mm:ss Z", "d MMM yy HH:mm:ss zzz", "d MMM yyyy HH:mm:ss", "d MMM yyyy",
    ]

    private static let formatters: [DateFormatter] = rfc822Formats.map { format in
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = format
        return formatter
    }

    static func parse(_ raw: String) -> Date? {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        if let iso = iso8601(text) { return iso }
        // Drop the day name ("Fri, ") and read the rest.
        var rest = Substring(text)
        if let comma = rest.firstIndex(of: ","), rest.distance(from: rest.startIndex, to: comma) <= 9 {
            rest = rest[rest.index(after: comma)...]
        }
        let cleaned = rest.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "  ", with: " ")
        for formatter in formatters {
            if let date = formatter.date(from: cleaned) { return date }
        }
        return nil
    }

    private static func iso8601(_ text: String) -> Date? {
        guard text.count >= 10, text.first?.isNumber == true, text.dropFirst(4).first == "-" else { return nil }
        return ISODate.parse(text)
    }
}
