import AgoraKit
import TerminalCore

/// The community at a glance (`i`): who is in it, where they come from, when it was busy, who
/// writes most, and what is still unread. Every row can be chosen and opened: a month its posts,
/// a country its members, a member the profile, a post the post.
public struct GlanceState: Hashable, Sendable {
    /// Nil until the counts come back.
    public var stats: CommunityStats?
    /// The chosen row, an index into the document's targets.
    public var selected = 0
    /// The month the chart's cursor is on, an index into every month from the first to the last.
    public var month: Int?
    /// The first line shown.
    public var scroll = 0
    /// Where the reader was when it opened (Esc goes back there).
    public var origin: Place { get { from.place } set { from = PlaceBox(newValue) } }
    private var from: PlaceBox

    public init(origin: Place) { from = PlaceBox(origin) }
}

/// What a row of the screen opens.
public enum GlanceTarget: Hashable, Sendable {
    /// The chart: its month under the cursor.
    case chart
    case month(String)
    case country(String)
    /// A location typed by members who give no country: searched for.
    case location(String)
    case member(Member.ID)
    case post(Post.ID)
}

/// The screen as lines of styled text, made for a width: the view draws them, the state's
/// selection and scrolling count them.
public struct GlanceDocument: Sendable {
    public struct Span: Sendable {
        public var text: String
        public var role: Role
    }

    public struct Line: Sendable {
        public var spans: [Span]
        public var target: GlanceTarget?
    }

    public var lines: [Line] = []
    /// Every month (or week) from the first with posts or comments to the last, with its counts:
    /// the chart's periods. A week is named by its Monday (`2012-12-17`).
    public var months: [CommunityStats.Month] = []
    /// Whether the chart has a column a week (a short history that fits the width).
    public var byWeek = false
    /// How many months one column of the chart holds (1 when every month has a column).
    public var monthsPerColumn = 1

    /// The lines that can be chosen, in order: indexes into `lines`.
    public var targets: [Int] { lines.indices.filter { lines[$0].target != nil } }

    /// Vertical eighths, from empty to full; `#` and `.` where there is no UTF-8.
    static let blocks = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Every month between the first and the last, those without posts or comments as zeros.
    public static func filled(_ months: [CommunityStats.Month]) -> [CommunityStats.Month] { CommunityStats.filled(months) }

    /// "December 2012" for "2012-12"; "Week of 17 December 2012" for "2012-12-17".
    public static func monthName(_ key: String) -> String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        let parts = key.split(separator: "-")
        guard parts.count >= 2, let month = Int(parts[1]), (1...12).contains(month) else { return key }
        if parts.count == 3, let day = Int(parts[2]) { return "Week of \(day) \(names[month - 1]) \(parts[0])" }
        return "\(names[month - 1]) \(parts[0])"
    }

    /// The search a period opens: `date:2012-12`, or a week as `date:2012-12-17..2012-12-23`.
    public static func query(for key: String) -> String {
        guard key.split(separator: "-").count == 3, let day = CommunityStats.dayNumber(key) else { return "date:\(key)" }
        return "date:\(key)..\(CommunityStats.dayKey(day + 6))"
    }

    /// 12,345: thousands grouped with commas, whatever the locale.
    public static func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// The document for a community and its counts at a width. `chartHeight` rows a chart;
    /// `cursor`, the month the chart's cursor is on (highlighted when `chartChosen`).
    public init(community: Community, stats: CommunityStats, width: Int, chartHeight: Int, unicode: Bool,
                cursor: Int?, chartChosen: Bool) {
        let width = max(10, width)
        func line(_ spans: [Span], _ target: GlanceTarget? = nil) { lines.append(Line(spans: spans, target: target)) }
        func text(_ s: String, _ role: Role = .body, _ target: GlanceTarget? = nil) { line([Span(text: s, role: role)], target) }
        /// Text that may be longer than the width: wrapped, never cut.
        func wrapped(_ s: String, _ role: Role = .body) { for part in Wrap.lines(s, width: width) { text(part, role) } }
        func blank() { if lines.last.map({ !$0.spans.isEmpty }) == true { line([]) } }
        func plural(_ n: Int, _ one: String, _ many: String? = nil) -> String { "\(Self.number(n)) \(n == 1 ? one : many ?? one + "s")" }

        // The community: name, tagline, counts, where it is, who may comment.
        wrapped(Sanitizer.line(community.name), .articleTitle)
        if let tagline = community.tagline { wrapped(Sanitizer.line(tagline), .byline) }
        wrapped("\(plural(stats.posts, "post")) (\(Self.number(stats.unread)) unread) · \(plural(stats.comments, "comment")) · "
                + "\(plural(stats.members, "member")) from \(plural(stats.countries, "country", "countries"))")
        var seen = Set<String>()
        for address in community.addresses where seen.insert(address).inserted && seen.count <= 4 { text(Sanitizer.line(address), .link) }
        if let policy = community.commentPolicy { wrapped(Sanitizer.line(policy), .byline) }

        // Posts, comments and unread by month: one column a month, or several months a column
        // when they do not fit, with the years marked under them.
        // A column a week when every week fits, else a column a month (or several).
        let weeks = CommunityStats.filled(stats.weeks)
        if !weeks.isEmpty, weeks.count <= max(1, width - 1) {
            byWeek = true
            months = weeks.map { CommunityStats.Month(month: $0.week, posts: $0.posts, comments: $0.comments, unread: $0.unread) }
        } else {
            months = Self.filled(stats.months)
        }
        if months.isEmpty {
            blank()
            text("Activity by month", .heading)
            wrapped("No post or comment here has a date.", .listMeta)
        } else {
            let columns = max(1, width - 1)
            monthsPerColumn = max(1, (months.count + columns - 1) / columns)
            let k = monthsPerColumn
            let count = (months.count + k - 1) / k
            func column(_ value: (CommunityStats.Month) -> Int) -> [Int] {
                (0..<count).map { c in months[(c * k)..<min(months.count, (c + 1) * k)].reduce(0) { $0 + value($1) } }
            }
            let cursorColumn = cursor.map { min(count - 1, max(0, $0) / k) }
            blank()
            let chosen = cursor.map { months[min(months.count - 1, max(0, $0))] }
            text("Activity by \(byWeek ? "week" : "month")" + (k > 1 ? " (\(k) months a column)" : ""), .heading, .chart)
            func chart(_ title: String, _ values: [Int], role: Role, height: Int) {
                let most = values.max() ?? 0
                text("\(title) (most in a column: \(Self.number(most)))", .listMeta)
                for row in (0..<height).reversed() {
                    var spans: [Span] = []
                    var run = ""
                    func flush(_ r: Role) { if !run.isEmpty { spans.append(Span(text: run, role: r)); run = "" } }
                    for (c, value) in values.enumerated() {
                        let eighths = most == 0 ? 0 : (value * height * 8 + most - 1) / most
                        let here = max(0, min(8, eighths - row * 8))
                        let cell = unicode ? Self.blocks[here] : (here >= 4 ? "#" : here > 0 ? "." : " ")
                        if chartChosen, c == cursorColumn {
                            flush(role)
                            spans.append(Span(text: cell == " " ? (unicode ? "│" : "|") : cell, role: .listSelected))
                        } else {
                            run += cell
                        }
                    }
                    flush(role)
                    line(spans)
                }
            }
            chart("Posts", column(\.posts), role: .chartPosts, height: chartHeight)
            chart("Comments", column(\.comments), role: .chartComments, height: chartHeight)
            chart("Unread (your reading)", column(\.unread), role: .chartUnread, height: max(1, chartHeight / 2))
            // Years under their first column.
            var marks = ""
            for c in 0..<count {
                let first = months[c * k].month
                let year = String(first.prefix(4))
                let starts = c == 0 || String(months[(c - 1) * k].month.prefix(4)) != year
                if starts, marks.isEmpty || DisplayWidth.of(marks) < c {
                    marks += String(repeating: " ", count: c - DisplayWidth.of(marks)) + year
                }
            }
            text(String(marks.prefix(width)), .chartAxis)
            // The month under the cursor, always a line so that choosing the chart moves nothing.
            if let chosen {
                wrapped("\(chartChosen ? (unicode ? "▲ " : "^ ") : "")\(Self.monthName(chosen.month)): \(plural(chosen.posts, "post")), "
                        + "\(plural(chosen.comments, "comment")), \(Self.number(chosen.unread)) unread", .listMeta)
            }
            let busiest = stats.months.sorted { ($1.posts + $1.comments, $0.month) < ($0.posts + $0.comments, $1.month) }
                .prefix(3).filter { $0.posts + $0.comments > 0 }
            if !busiest.isEmpty {
                text("Busiest months", .heading)
                for m in busiest {
                    text("\(Self.monthName(m.month)): \(plural(m.posts, "post")), \(plural(m.comments, "comment"))", .body, .month(m.month))
                }
            }
        }

        // Rows with bars: a name, its count and a bar as long as the count is to the most.
        func bars(_ title: String, _ rows: [CommunityStats.Count], others: Int = 0, target: (CommunityStats.Count) -> GlanceTarget?) {
            guard !rows.isEmpty else { return }
            blank()
            text(title, .heading)
            let most = max(rows.map(\.count).max() ?? 1, others, 1)
            let countWidth = Self.number(most).count
            let nameWidth = min(max(8, (width - countWidth - 2) / 2), max(4, rows.map { DisplayWidth.of(Sanitizer.line($0.name)) }.max() ?? 4))
            let barWidth = max(0, width - nameWidth - countWidth - 3)
            func row(_ name: String, _ count: Int, _ target: GlanceTarget?) {
                let bar = Bars.horizontal(count, of: most, width: barWidth, unicode: unicode)
                line([Span(text: DisplayWidth.pad(DisplayWidth.truncate(Sanitizer.line(name), to: nameWidth), to: nameWidth) + " ", role: .body),
                      Span(text: String(repeating: " ", count: countWidth - Self.number(count).count) + Self.number(count) + " ", role: .listMeta),
                      Span(text: bar, role: .chartBar)], target)
            }
            for r in rows { row(r.name, r.count, target(r)) }
            if others > 0 { row("others", others, nil) }
        }
        bars("Members by country (\(plural(stats.countries, "country", "countries")))", stats.byCountry, others: stats.otherCountries) {
            .country($0.name)
        }
        bars("Members by location (those who give no country)", stats.byLocation, others: stats.otherLocations) { .location($0.name) }
        bars("Top posters", stats.topPosters) { $0.id.map { .member(Member.ID($0)) } }
        bars("Top commenters", stats.topCommenters) { $0.id.map { .member(Member.ID($0)) } }
        bars("Most viewed", stats.mostViewed) { $0.id.map { .post(Post.ID($0)) } }
        bars("Most commented", stats.mostCommented) { $0.id.map { .post(Post.ID($0)) } }
        if !stats.newestMembers.isEmpty {
            blank()
            text("Newest members", .heading)
            for m in stats.newestMembers { text(Sanitizer.line(m.name), .body, m.id.map { .member(Member.ID($0)) }) }
        }
    }
}

/// Draws the at-a-glance screen in a box over the panes.
public enum GlanceView {
    /// Rows a chart takes at a terminal's height: more on a tall one, two at the least.
    public static func chartHeight(forHeight height: Int) -> Int { max(2, min(8, (height - 16) / 3)) }

    static func document(_ glance: GlanceState, community: Community, width: Int, height: Int, unicode: Bool) -> GlanceDocument? {
        guard let stats = glance.stats else { return nil }
        // The chart, when there is one, is the first row that can be chosen.
        return GlanceDocument(community: community, stats: stats, width: width - 4, chartHeight: chartHeight(forHeight: height),
                              unicode: unicode, cursor: glance.month, chartChosen: glance.selected == 0 && !stats.months.isEmpty)
    }

    static func draw(_ glance: GlanceState, community: Community, unicode: Bool, keys: KeyMap, in rect: Rect, theme: Theme, into buffer: inout Buffer) {
        buffer.fill(rect, style: theme.style(.body))
        drawBox(rect, title: "At a glance (\(keys.label(.open)) opens, \(keys.label(.back)) closes)", focused: true, theme: theme, into: &buffer)
        let area = rect.inset(1)
        guard let doc = document(glance, community: community, width: rect.width, height: rect.height + 2, unicode: unicode) else {
            buffer.put("Counting…", x: area.x + 1, y: area.y, maxWidth: area.width - 2, style: theme.style(.listMeta))
            return
        }
        let chosenLine = doc.targets.indices.contains(glance.selected) ? doc.targets[glance.selected] : nil
        for row in 0..<area.height {
            let index = glance.scroll + row
            guard index < doc.lines.count else { break }
            let line = doc.lines[index]
            var x = area.x + 1
            let selected = index == chosenLine
            if selected { buffer.fill(Rect(x: area.x, y: area.y + row, width: area.width, height: 1), style: theme.style(.listSelected)) }
            for span in line.spans {
                let left = area.x + area.width - 1 - x
                guard left > 0 else { break }
                let role = selected && span.role != .listSelected ? .listSelected : span.role
                // Cut with an ellipsis, so that it is seen to be cut.
                x += buffer.put(DisplayWidth.truncate(span.text, to: left), x: x, y: area.y + row, maxWidth: left, style: theme.style(role))
            }
        }
    }
}
