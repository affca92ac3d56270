import AgoraKit
import AgoraTUI
import ArgumentParser
import Foundation
import TerminalCore

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The community at a glance: counts, activity by year and month, members by country, who writes most.",
        discussion: """
            The community's name, tagline, addresses and who may comment; posts, comments and \
            unread by month (or week) as the reader's chart, by year and the busiest months; \
            members by country as bars (the top 15 and the others) or by location; top posters \
            and commenters, the most viewed and most commented posts, the newest members. Bars are block \
            characters, or # where the locale is not UTF-8. --json prints every month; --svg FILE \
            writes the charts as one SVG picture as well.
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false
    @Option(help: ArgumentHelp("Also write the charts as one SVG picture to this file, for sharing.", valueName: "file"))
    var svg: String?

    func run() throws {
        let store = try global.open()
        let stats = try store.communityStats()
        if let svg {
            let picture = StatsSVG.render(community: try store.community(), stats: stats)
            try AtomicFile.write(Data(picture.utf8), to: svg)
            if !json { Output.note("wrote the charts to \(Output.safe(svg))") }
        }
        if json {
            try Output.json(stats)
            return
        }
        let community = try store.community()
        Output.line(Output.safe(community.name))
        if let tagline = community.tagline { Output.line(Output.safe(tagline)) }
        Output.line("\(Output.plural(stats.posts, "post")) (\(stats.unread) unread), \(Output.plural(stats.comments, "comment")), "
                    + "\(Output.plural(stats.members, "member")) from \(Output.plural(stats.countries, "country", "countries"))")
        var seen = Set<String>()
        for address in community.addresses where seen.insert(address).inserted { Output.line(Output.safe(address)) }
        if let policy = community.commentPolicy { Output.line(Output.safe(policy)) }
        // The reader's chart of posts, comments and unread by month (or week), as text.
        let chart = GlanceDocument(community: community, stats: stats, width: min(Output.terminalWidth ?? 80, 120) - 1, chartHeight: 4,
                                   unicode: TextLocale.isUTF8(ProcessInfo.processInfo.environment), cursor: nil, chartChosen: false)
        if let start = chart.lines.firstIndex(where: { $0.target == .chart }),
           let end = chart.lines[start...].firstIndex(where: { $0.spans.first?.role == .chartAxis }) {
            Output.line()
            for line in chart.lines[start...end] { Output.line(line.spans.map(\.text).joined()) }
        }
        let years = Dictionary(grouping: stats.months) { String($0.month.prefix(4)) }
            .map { (year: $0.key, posts: $0.value.reduce(0) { $0 + $1.posts }, comments: $0.value.reduce(0) { $0 + $1.comments },
                    unread: $0.value.reduce(0) { $0 + $1.unread }) }
            .sorted { $0.year < $1.year }
        if !years.isEmpty {
            Output.line()
            Output.line("By year")
            let most = years.map { $0.posts + $0.comments }.max() ?? 1
            var table = Table([.init(title: "YEAR"), .init(title: "POSTS", alignment: .right), .init(title: "COMMENTS", alignment: .right),
                               .init(title: "UNREAD", alignment: .right), .init(title: "", flexible: true)])
            for y in years { table.add([y.year, String(y.posts), String(y.comments), String(y.unread), Self.bar(y.posts + y.comments, of: most)]) }
            table.print(header: true)
            let busiest = stats.months.sorted { ($1.posts + $1.comments, $0.month) < ($0.posts + $0.comments, $1.month) }.prefix(3)
            Output.line("Busiest months: " + busiest.map { "\($0.month) (\($0.posts) posts, \($0.comments) comments)" }.joined(separator: ", "))
        }
        func section(_ title: String, _ rows: [CommunityStats.Count], counted: Bool = true) {
            guard !rows.isEmpty else { return }
            Output.line()
            Output.line(title)
            let most = rows.map(\.count).max() ?? 1
            var table = Table(counted
                ? [.init(title: "", maxWidth: 40), .init(title: "", alignment: .right), .init(title: "", flexible: true)]
                : [.init(title: "", maxWidth: 40), .init(title: "", flexible: true)])
            for row in rows {
                table.add(counted ? [Output.safe(row.name), String(row.count), Self.bar(row.count, of: most)]
                                  : [Output.safe(row.name), Output.safe(row.id ?? "")])
            }
            table.print(header: false)
        }
        var countries = stats.byCountry
        if stats.otherCountries > 0 { countries.append(.init(id: nil, name: "others", count: stats.otherCountries)) }
        section("Members by country", countries)
        var locations = stats.byLocation
        if stats.otherLocations > 0 { locations.append(.init(id: nil, name: "others", count: stats.otherLocations)) }
        section("Members by location (those who give no country)", locations)
        section("Top posters", stats.topPosters)
        section("Top commenters", stats.topCommenters)
        section("Most viewed", stats.mostViewed)
        section("Most commented", stats.mostCommented)
        section("Newest members", stats.newestMembers, counted: false)
    }

    /// A bar of up to 24 cells for `value` out of `most`: eighths of a block, or # without UTF-8.
    static func bar(_ value: Int, of most: Int) -> String {
        Bars.horizontal(value, of: most, width: 24, unicode: TextLocale.isUTF8(ProcessInfo.processInfo.environment))
    }
}
