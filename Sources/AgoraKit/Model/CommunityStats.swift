import Foundation

/// The community at a glance: how many of everything, activity by month, members by country,
/// who writes most, what is read most, and what is still unread. Months are UTC, `2012-12`.
public struct CommunityStats: Hashable, Sendable, Codable {
    public struct Month: Hashable, Sendable, Codable {
        public var month: String
        public var posts: Int
        public var comments: Int
        public var unread: Int

        public init(month: String, posts: Int = 0, comments: Int = 0, unread: Int = 0) {
            self.month = month
            self.posts = posts
            self.comments = comments
            self.unread = unread
        }
    }

    /// A week (Monday to Sunday, UTC), named by its Monday: `2012-12-17`.
    public struct Week: Hashable, Sendable, Codable {
        public var week: String
        public var posts: Int
        public var comments: Int
        public var unread: Int

        public init(week: String, posts: Int = 0, comments: Int = 0, unread: Int = 0) {
            self.week = week
            self.posts = posts
            self.comments = comments
            self.unread = unread
        }
    }

    public struct Count: Hashable, Sendable, Codable {
        /// A member's or post's id, when the row is one.
        public var id: String?
        public var name: String
        public var count: Int

        public init(id: String?, name: String, count: Int) {
            self.id = id
            self.name = name
            self.count = count
        }
    }

    public var posts = 0
    public var comments = 0
    public var members = 0
    public var countries = 0
    public var unread = 0
    /// Every month with a dated post or comment, oldest first.
    public var months: [Month] = []
    /// Every week with a dated post or comment, oldest first, when the dated history is three
    /// years or shorter (where a column a week can fit a screen); empty otherwise.
    public var weeks: [Week] = []
    /// The longest history, in days, that is counted by week too.
    public static let weeksWithin = 3 * 366
    /// Members by country, most first (the top ones; `otherCountries` counts the rest).
    public var byCountry: [Count] = []
    public var otherCountries = 0
    /// Members who give a location but no country (a forum's members, as they typed it), by
    /// location, most first: the top ones, and how many more in `otherLocations`.
    public var byLocation: [Count] = []
    public var otherLocations = 0
    public var topPosters: [Count] = []
    public var topCommenters: [Count] = []
    public var mostViewed: [Count] = []
    public var mostCommented: [Count] = []
    /// Newest members first; `count` is unused (0).
    public var newestMembers: [Count] = []

    public init() {}

    /// Most first, then by id: the order both caches give.
    public static func ranked(_ rows: [Count], top: Int) -> [Count] {
        Array(rows.sorted { ($1.count, $0.id ?? "") < ($0.count, $1.id ?? "") }.prefix(top))
    }

    /// Names counted by their folded spelling (case and accents), each group named by the least
    /// of its spellings: how the JSON cache counts countries, and both caches locations.
    public static func tally(_ names: [String]) -> [(name: String, count: Int)] {
        var groups: [String: (name: String, count: Int)] = [:]
        for name in names where !name.isEmpty {
            let key = Folding.key(name)
            var entry = groups[key] ?? (name, 0)
            entry.count += 1
            if name < entry.name { entry.name = name }
            groups[key] = entry
        }
        return Array(groups.values)
    }

    /// Most first, then by name; the top ones kept, the rest counted together.
    static func topAndOthers(_ counts: [(name: String, count: Int)], top: Int) -> (top: [Count], others: Int) {
        let sorted = counts.sorted { ($1.count, $0.name) < ($0.count, $1.name) }
        return (sorted.prefix(top).map { Count(id: nil, name: $0.name, count: $0.count) }, sorted.dropFirst(top).reduce(0) { $0 + $1.count })
    }

    /// Locations (of members with no country), trimmed and tallied; the top ones kept.
    public mutating func setLocations(_ locations: [String], top: Int) {
        (byLocation, otherLocations) = Self.topAndOthers(Self.tally(locations.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }), top: top)
    }

    /// Countries most first, then by name; the top ones kept, the rest counted together.
    public mutating func setCountries(_ counts: [(name: String, count: Int)], top: Int) {
        countries = counts.count
        (byCountry, otherCountries) = Self.topAndOthers(counts, top: top)
    }

    /// Every month between the first and the last, the quiet ones as zeros.
    public static func filled(_ months: [CommunityStats.Month]) -> [CommunityStats.Month] {
        guard let first = months.first, let last = months.last,
              var year = Int(first.month.prefix(4)), var month = Int(first.month.suffix(2)) else { return months }
        let known = Dictionary(months.map { ($0.month, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [CommunityStats.Month] = []
        while out.count < 12 * 200 {
            let key = monthKey(year, month)
            out.append(known[key] ?? CommunityStats.Month(month: key))
            if key >= last.month { break }
            month += 1
            if month > 12 { month = 1; year += 1 }
        }
        return out
    }

    /// "2012-12": made by hand, as `String(format:)` costs a microsecond or more a call and
    /// the statistics make one for every day with comments.
    static func monthKey(_ year: Int, _ month: Int) -> String {
        var out = String(year)
        if year >= 0, year < 1000 { out = String(repeating: "0", count: 4 - out.count) + out }
        return out + (month < 10 ? "-0" : "-") + String(month)
    }

    /// A day (days since 1970-01-01) as `2012-12-17`, by the civil calendar's arithmetic.
    public static func dayKey(_ day: Int) -> String {
        let (y, m, d) = CivilDate.of(days: day)
        return monthKey(y, m) + (d < 10 ? "-0" : "-") + String(d)
    }

    /// The day number of `2012-12-17` (days since 1970-01-01), by the civil calendar's arithmetic.
    public static func dayNumber(_ key: String) -> Int? {
        let parts = key.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        return CivilDate.days(year: y, month: m, day: d)
    }

    /// Every week between the first and the last, the quiet ones as zeros.
    public static func filled(_ weeks: [Week]) -> [Week] {
        guard let first = weeks.first.flatMap({ dayNumber($0.week) }), let last = weeks.last.flatMap({ dayNumber($0.week) }),
              last >= first else { return weeks }
        let known = Dictionary(weeks.map { ($0.week, $0) }, uniquingKeysWith: { a, _ in a })
        return stride(from: first, through: last, by: 7).map { day in
            let key = dayKey(day)
            return known[key] ?? Week(week: key)
        }
    }

    /// The Monday of the week a day is in (1970-01-01 was a Thursday).
    public static func weekStart(_ day: Int) -> Int {
        let shifted = day + 3
        return (shifted >= 0 ? shifted / 7 : (shifted - 6) / 7) * 7 - 3
    }

    /// Weeks from counts by day, when the days span `weeksWithin` or less.
    public static func weekly(posts: [Int: Int], unread: [Int: Int], comments: [Int: Int]) -> [Week] {
        let days = Array(posts.keys) + Array(comments.keys)
        guard let first = days.min(), let last = days.max(), last - first <= weeksWithin else { return [] }
        var weeks: [Int: Week] = [:]
        func add(_ counts: [Int: Int], _ field: WritableKeyPath<Week, Int>) {
            for (day, n) in counts where n > 0 {
                let start = weekStart(day)
                weeks[start, default: Week(week: dayKey(start))][keyPath: field] += n
            }
        }
        add(posts, \.posts)
        add(unread, \.unread)
        add(comments, \.comments)
        return weeks.sorted { $0.key < $1.key }.map(\.value)
    }

    /// The day a date is in (days since 1970-01-01, UTC).
    public static func day(_ seconds: Double) -> Int { Int((seconds / 86_400).rounded(.down)) }

    /// The month of a date ("2012-12", UTC) and the moment the next one begins.
    public static func monthAndEnd(_ date: Double) -> (String, Double) {
        let (y, m, _) = CivilDate.of(days: day(date))
        let next = m == 12 ? CivilDate.days(year: y + 1, month: 1, day: 1) : CivilDate.days(year: y, month: m + 1, day: 1)
        return (monthKey(y, m), Double(next) * 86_400)
    }

    /// "2012-12" for a day (days since 1970-01-01).
    public static func month(day: Int) -> String {
        let (y, m, _) = CivilDate.of(days: day)
        return monthKey(y, m)
    }

    /// "2012-12" for a date, in UTC.
    public static func month(_ date: Date) -> String { month(day: day(date.timeIntervalSince1970)) }

    /// The statistics of any content, worked out in memory (the JSON cache's way; SQLite asks
    /// its indexes instead, and a test holds the two to each other).
    public static func of(_ content: CacheContent, unread: (Post.ID) -> Bool, top: Int = 10, countries topCountries: Int = 15) -> CommunityStats {
        var stats = CommunityStats()
        stats.posts = content.posts.count
        stats.comments = content.comments.count
        stats.members = content.members.count
        var months: [String: Month] = [:]
        var unreadCount = 0
        var commentsOn: [Post.ID: Int] = [:]
        var postDays: [Int: Int] = [:], unreadDays: [Int: Int] = [:], commentDays: [Int: Int] = [:]
        for comment in content.comments {
            commentsOn[comment.post, default: 0] += 1
            if let date = comment.published, date.timeIntervalSince1970 > 0 {
                months[month(date), default: Month(month: month(date))].comments += 1
                commentDays[day(date.timeIntervalSince1970), default: 0] += 1
            }
        }
        for post in content.posts {
            let isUnread = unread(post.id)
            if isUnread { unreadCount += 1 }
            guard let date = post.published ?? post.updated, date.timeIntervalSince1970 > 0 else { continue }
            let key = month(date)
            months[key, default: Month(month: key)].posts += 1
            if isUnread { months[key, default: Month(month: key)].unread += 1 }
            postDays[day(date.timeIntervalSince1970), default: 0] += 1
            if isUnread { unreadDays[day(date.timeIntervalSince1970), default: 0] += 1 }
        }
        stats.unread = unreadCount
        stats.months = months.values.sorted { $0.month < $1.month }
        stats.weeks = weekly(posts: postDays, unread: unreadDays, comments: commentDays)
        // One country however it is written; named by the least of its spellings.
        stats.setCountries(tally(content.members.compactMap(\.country)), top: topCountries)
        stats.setLocations(content.members.filter { ($0.country ?? "").isEmpty }.compactMap(\.location), top: topCountries)
        let names = Dictionary(content.members.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        func ranked(_ counts: [String: Int], name: (String) -> String) -> [Count] {
            Self.ranked(counts.map { Count(id: $0.key, name: name($0.key), count: $0.value) }, top: top)
        }
        // Muted members are left out of the lists, and their posts with them.
        let muted = Set(content.muted.keys)
        var posted: [String: Int] = [:]
        for post in content.posts { if let author = post.author, names[author] != nil, !muted.contains(author) { posted[author.rawValue, default: 0] += 1 } }
        stats.topPosters = ranked(posted) { names[Member.ID($0)] ?? $0 }
        var commented: [String: Int] = [:]
        for comment in content.comments {
            if let author = comment.author, names[author] != nil, !muted.contains(author) { commented[author.rawValue, default: 0] += 1 }
        }
        let shown = content.posts.filter { $0.author.map { !muted.contains($0) } ?? true }
        stats.topCommenters = ranked(commented) { names[Member.ID($0)] ?? $0 }
        let titles = Dictionary(content.posts.map { ($0.id.rawValue, $0.title) }, uniquingKeysWith: { a, _ in a })
        stats.mostViewed = ranked(Dictionary(shown.compactMap { p in p.views.map { (p.id.rawValue, $0) } }, uniquingKeysWith: { a, _ in a })) {
            titles[$0] ?? $0
        }
        let shownIDs = Set(shown.map(\.id))
        stats.mostCommented = ranked(Dictionary(commentsOn.filter { shownIDs.contains($0.key) }.map { ($0.key.rawValue, $0.value) },
                                                uniquingKeysWith: { a, _ in a })) {
            titles[$0] ?? $0
        }
        stats.newestMembers = content.members.filter { $0.joined != nil && !muted.contains($0.id) }
            .sorted { ($0.joined!, $1.id.rawValue) > ($1.joined!, $0.id.rawValue) }
            .prefix(top).map { Count(id: $0.id.rawValue, name: $0.name, count: 0) }
        return stats
    }
}
