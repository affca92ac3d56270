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
    /// Members by country, most first (the top ones; `otherCountries` counts the rest).
    public var byCountry: [Count] = []
    public var otherCountries = 0
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

    /// Countries most first, then by name; the top ones kept, the rest counted together.
    public mutating func setCountries(_ counts: [(name: String, count: Int)], top: Int) {
        let sorted = counts.sorted { ($1.count, $0.name) < ($0.count, $1.name) }
        countries = sorted.count
        byCountry = sorted.prefix(top).map { Count(id: nil, name: $0.name, count: $0.count) }
        otherCountries = sorted.dropFirst(top).reduce(0) { $0 + $1.count }
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

    /// The month of a date ("2012-12", UTC) and the moment the next one begins.
    public static func monthAndEnd(_ date: Double) -> (String, Double) {
        var t = time_t(Int64(date.rounded(.down)))
        var parts = tm()
        gmtime_r(&t, &parts)
        let key = monthKey(Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1)
        var next = tm()
        next.tm_year = parts.tm_mon == 11 ? parts.tm_year + 1 : parts.tm_year
        next.tm_mon = parts.tm_mon == 11 ? 0 : parts.tm_mon + 1
        next.tm_mday = 1
        return (key, Double(timegm(&next)))
    }

    /// "2012-12" for a date, in UTC.
    public static func month(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return monthKey(Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1)
    }

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
        for comment in content.comments {
            commentsOn[comment.post, default: 0] += 1
            if let date = comment.published { months[month(date), default: Month(month: month(date))].comments += 1 }
        }
        for post in content.posts {
            let isUnread = unread(post.id)
            if isUnread { unreadCount += 1 }
            guard let date = post.published ?? post.updated else { continue }
            let key = month(date)
            months[key, default: Month(month: key)].posts += 1
            if isUnread { months[key, default: Month(month: key)].unread += 1 }
        }
        stats.unread = unreadCount
        stats.months = months.values.sorted { $0.month < $1.month }
        var byCountry: [String: (name: String, count: Int)] = [:]
        for member in content.members {
            guard let country = member.country, !country.isEmpty else { continue }
            // One country however it is written; named by the least of its spellings.
            let key = Folding.key(country)
            var entry = byCountry[key] ?? (country, 0)
            entry.count += 1
            if country < entry.name { entry.name = country }
            byCountry[key] = entry
        }
        stats.setCountries(byCountry.values.map { ($0.name, $0.count) }, top: topCountries)
        let names = Dictionary(content.members.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        func ranked(_ counts: [String: Int], name: (String) -> String) -> [Count] {
            Self.ranked(counts.map { Count(id: $0.key, name: name($0.key), count: $0.value) }, top: top)
        }
        var posted: [String: Int] = [:]
        for post in content.posts { if let author = post.author, names[author] != nil { posted[author.rawValue, default: 0] += 1 } }
        stats.topPosters = ranked(posted) { names[Member.ID($0)] ?? $0 }
        var commented: [String: Int] = [:]
        for comment in content.comments { if let author = comment.author, names[author] != nil { commented[author.rawValue, default: 0] += 1 } }
        stats.topCommenters = ranked(commented) { names[Member.ID($0)] ?? $0 }
        let titles = Dictionary(content.posts.map { ($0.id.rawValue, $0.title) }, uniquingKeysWith: { a, _ in a })
        stats.mostViewed = ranked(Dictionary(content.posts.compactMap { p in p.views.map { (p.id.rawValue, $0) } }, uniquingKeysWith: { a, _ in a })) {
            titles[$0] ?? $0
        }
        stats.mostCommented = ranked(Dictionary(commentsOn.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: { a, _ in a })) {
            titles[$0] ?? $0
        }
        stats.newestMembers = content.members.filter { $0.joined != nil }
            .sorted { ($0.joined!, $1.id.rawValue) > ($1.joined!, $0.id.rawValue) }
            .prefix(top).map { Count(id: $0.id.rawValue, name: $0.name, count: 0) }
        return stats
    }
}
