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
        /// Files that come with it: a podcast's audio, a statement's PDF (RSS `<enclosure>`,
        /// Atom `rel="enclosure"`, JSON Feed `attachments`).
        public var enclosures: [Enclosure] = []

        public init() {}
    }

    /// A file an entry carries: where, what type, how large (as the feed says; nil when it
    /// does not or says nonsense), and a title where the feed gives one.
    public struct Enclosure: Hashable, Sendable {
        public var url: String
        public var type: String?
        public var length: Int?
        public var title: String?

        public init(url: String, type: String? = nil, length: Int? = nil, title: String? = nil) {
            self.url = url
            self.type = type
            self.length = length
            self.title = title
        }

        /// The enclosures kept of one entry; the rest are left out.
        public static let maximum = 20
    }

    public enum Format: String, Hashable, Sendable {
        case rss, rdf, atom, jsonFeed = "json-feed"
    }

    /// The categories (tags) kept of one entry; the rest are left out (docs/limits.md).
    public static let maximumCategories = 100

    public var format: Format
    public var title: String?
    public var link: String?
    public var description: String?
    public var entries: [Entry]
    /// The feed's own id (Atom `id`) and address (`atom:link rel="self"`, JSON Feed `feed_url`).
    public var id: String?
    public var selfLink: String?

    /// What the feed says it is, whatever file or address it was read from: its id, else its own
    /// address, else its site's. Nil when it says none of these.
    public var identity: String? {
        [id, selfLink, link].compactMap { $0?.trimmed }.first { !$0.isEmpty }
    }

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
        if let iso = ISODate.common(raw) { return iso }
        let text = raw.trimmed
        // Feed dates are ASCII; anything else is no date (Foundation's DateFormatter stops the
        // program on a combining mark inside one: "22:0̿33").
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 < 0x80 }), text.utf8.count <= 64 else { return nil }
        if let fast = rfc822(text) { return fast }
        if let iso = iso8601(text) { return iso }
        return formatted(text)
    }

    /// The variants found in the wild, through DateFormatter.
    static func formatted(_ text: String) -> Date? {
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

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let zones = ["gmt": 0, "ut": 0, "utc": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
                                "mst": -420, "mdt": -360, "pst": -480, "pdt": -420]

    /// The common shape, read by hand: "[Day, ]d MMM yyyy HH:mm[:ss] (+hhmm|zone)". Anything
    /// else goes to the formatters (a hundred thousand DateFormatter calls take seconds).
    static func rfc822(_ text: String) -> Date? {
        var parts = text.split(separator: " ", omittingEmptySubsequences: true)
        if let first = parts.first, first.hasSuffix(",") { parts.removeFirst() }
        guard parts.count == 5, let day = Int(parts[0]), (1...31).contains(day),
              let month = months.firstIndex(of: parts[1].lowercased()), let year = Int(parts[2]), parts[2].count == 4 else { return nil }
        let clock = parts[3].split(separator: ":")
        guard clock.count == 2 || clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]),
              (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        let second = clock.count == 3 ? Int(clock[2]) : 0
        guard let second, (0...60).contains(second) else { return nil }
        let zone = parts[4]
        var offsetMinutes: Int
        if let sign = zone.first, sign == "+" || sign == "-", zone.count == 5, let value = Int(zone.dropFirst()) {
            offsetMinutes = (value / 100) * 60 + value % 100
            if sign == "-" { offsetMinutes = -offsetMinutes }
        } else if let known = zones[zone.lowercased()] {
            offsetMinutes = known
        } else {
            return nil
        }
        return CivilTime.date(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetMinutes: offsetMinutes)
    }

    private static func iso8601(_ text: String) -> Date? {
        guard text.count >= 10, text.first?.isNumber == true, text.dropFirst(4).first == "-" else { return nil }
        return ISODate.parse(text)
    }
}
