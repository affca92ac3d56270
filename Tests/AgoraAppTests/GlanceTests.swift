import AgoraApp
import AgoraKit
import AgoraTUI
import Foundation
import Testing
import TerminalCore

/// The community at a glance (`i`): drawn into a buffer at three sizes, with and without UTF-8
/// and colour, and every kind of row opened with Enter and come back from with Esc.
@Suite("At a glance")
struct GlanceTests {
    /// A generated community small enough for a test: 16 years of posts and comments.
    static let generated: CacheContent = {
        let store = try! JSONStore(content: CacheContent())
        try! SyntheticCommunity(posts: 600, members: 80, comments: 900, seed: 4).write(into: store, chunk: 300)
        return try! store.exportContent()
    }()

    func glance(_ content: CacheContent, width: Int, height: Int, unicode: Bool = true) throws -> Harness {
        var settings = ReaderSettings()
        settings.unicodeCharts = unicode
        let reader = try Harness(width: width, height: height, content: content, settings: settings)
        reader.type("i")
        #expect(reader.state.mode == .glance)
        #expect(reader.state.glance?.stats != nil)
        return reader
    }

    @Test(arguments: [(120, 40), (80, 24), (40, 12)])
    func snapshots(width: Int, height: Int) throws {
        for (name, content) in [("sample", try SampleCommunity.content()), ("generated", Self.generated)] {
            for unicode in [true, false] {
                let reader = try glance(content, width: width, height: height, unicode: unicode)
                try expectSnapshot(reader.frame, named: "glance-\(name)-\(width)x\(height)\(unicode ? "" : "-ascii")")
                if !unicode {
                    // LANG=C: nothing but ASCII in the charts and bars (the box is the reader's own).
                    let inside = reader.frame.lines.dropFirst(2).dropLast(2).map { String($0.dropFirst().dropLast()) }
                    #expect(inside.allSatisfy { $0.unicodeScalars.allSatisfy { $0.isASCII || "…—·".unicodeScalars.contains($0) || $0.properties.isAlphabetic } },
                            "\(name) \(width)x\(height)")
                }
            }
        }
    }

    @Test func the_chart_has_a_column_a_month_years_marked_and_the_busiest_named() throws {
        let reader = try glance(Self.generated, width: 120, height: 40)
        let screen = reader.screen
        #expect(screen.contains("Activity by month"))
        #expect(screen.contains("2010") && screen.contains("2015"))
        #expect(screen.contains("Busiest months"))
        #expect(screen.contains("█"))
        let stats = try JSONStore(content: Self.generated).communityStats()
        let busiest = stats.months.max { ($0.posts + $0.comments, $1.month) < ($1.posts + $1.comments, $0.month) }!
        #expect(screen.contains(GlanceDocumentNames.monthName(busiest.month) + ": \(busiest.posts) posts"))
        // At 40 columns the months share columns, and it says so.
        let narrow = try glance(Self.generated, width: 40, height: 12)
        narrow.press(.pageDown)
        let all = GlanceDocument(community: narrow.state.community, stats: stats, width: 36, chartHeight: 2, unicode: true,
                                 cursor: nil, chartChosen: false)
        #expect(all.monthsPerColumn > 1)
        #expect(all.lines.contains { $0.spans.contains { $0.text.contains("months a column") } })
    }

    @Test func without_colour_the_chosen_row_is_still_seen() throws {
        let reader = try glance(Self.generated, width: 120, height: 40)
        let (frame, _) = Screen.render(reader.state, theme: Theme.standard.withoutColor)
        var sawReverse = false
        for y in 0..<frame.height {
            for x in 0..<frame.width {
                let style = frame[x, y].style
                #expect(style.foreground == .default && style.background == .default, "colour at \(x),\(y)")
                if y > 1, y < frame.height - 1, style.attributes.contains(.reverse) { sawReverse = true }
            }
        }
        #expect(sawReverse)
        try expectSnapshot(styleMap(frame), named: "glance-generated-no-color-styles-120x40")
        try expectSnapshot(styleMap(Screen.render(reader.state, theme: .standard).buffer), named: "glance-generated-styles-120x40")
        // With colour, the charts have their own roles' colours.
        let coloured = Screen.render(reader.state, theme: .standard).buffer
        let postsColour = Theme.standard.style(.chartPosts).foreground
        #expect(postsColour != .default)
        #expect((0..<coloured.height).contains { y in (0..<coloured.width).contains { coloured[$0, y].style.foreground == postsColour && coloured[$0, y].symbol == "█" } })
    }

    @Test func enter_opens_a_month_a_country_a_member_and_a_post_and_esc_comes_back() throws {
        let reader = try glance(Self.generated, width: 120, height: 40)
        // The first row is the chart, its cursor on the latest month; h moves it back a month.
        let months = GlanceDocumentNames.filled(reader.state.glance!.stats!.months)
        #expect(reader.state.glance?.month == months.count - 1)
        reader.type("h")
        #expect(reader.state.glance?.month == months.count - 2)
        #expect(reader.screen.contains(GlanceDocumentNames.monthName(months[months.count - 2].month) + ":"))
        reader.press(.enter)
        #expect(reader.state.mode == .search)
        #expect(reader.state.search?.text == "date:\(months[months.count - 2].month)")
        let found = try #require(reader.state.search?.results)
        #expect(found.posts.allSatisfy { CommunityStats.month($0.post.published!) == months[months.count - 2].month })
        reader.press(.escape)
        #expect(reader.state.mode == .glance)

        // Down to the first country: its members only, in the roster.
        while let doc = reader.state.glance, !reader.screen.contains("Members by country"), doc.selected < 50 { reader.type("j") }
        func chosen() -> GlanceTarget? {
            let doc = GlanceDocument(community: reader.state.community, stats: reader.state.glance!.stats!, width: 116,
                                     chartHeight: GlanceView.chartHeight(forHeight: 40), unicode: true, cursor: nil, chartChosen: false)
            return doc.lines[doc.targets[reader.state.glance!.selected]].target
        }
        var steps = 0
        while steps < 60, chosen().map({ if case .country = $0 { false } else { true } }) ?? true { reader.type("j"); steps += 1 }
        guard case .country(let country) = chosen() else { Issue.record("no country row"); return }
        reader.press(.enter)
        #expect(reader.state.mode == .normal)
        #expect(reader.state.focus == .roster)
        #expect(!reader.state.members.rows.isEmpty)
        #expect(reader.state.members.rows.allSatisfy { $0.country == country })
        #expect(reader.screen.contains("members from \(country)"))
        reader.press(.escape)
        #expect(reader.state.mode == .glance)

        while steps < 120, chosen().map({ if case .member = $0 { false } else { true } }) ?? true { reader.type("j"); steps += 1 }
        guard case .member(let member) = chosen() else { Issue.record("no member row"); return }
        reader.press(.enter)
        guard case .profile(let profile) = reader.state.detail else { Issue.record("no profile"); return }
        #expect(profile.profile.member.id == member)
        reader.press(.escape)
        #expect(reader.state.mode == .glance)

        while steps < 200, chosen().map({ if case .post = $0 { false } else { true } }) ?? true { reader.type("j"); steps += 1 }
        guard case .post(let post) = chosen() else { Issue.record("no post row"); return }
        reader.press(.enter)
        guard case .article(let article) = reader.state.detail else { Issue.record("no article"); return }
        #expect(article.id == post)
        reader.press(.escape)
        #expect(reader.state.mode == .glance)
        // i (or Esc) closes it, back where the reader was.
        reader.type("i")
        #expect(reader.state.mode == .normal)
        #expect(reader.state.glance == nil)
    }
}

extension GlanceTests {
    @Test func help_and_search_work_on_the_glance_and_come_back_to_it() throws {
        let reader = try glance(Self.generated, width: 120, height: 40)
        reader.type("j")
        let chosen = reader.state.glance?.selected
        // ? shows the help over the glance; any other key comes back to it, the row still chosen.
        reader.type("?")
        #expect(reader.state.mode == .help(scroll: 0))
        #expect(reader.screen.contains("Help: keys"))
        reader.press(.escape)
        #expect(reader.state.mode == .glance)
        #expect(reader.state.glance?.selected == chosen)
        // / searches from here, and Esc comes back here.
        reader.type("/")
        #expect(reader.state.mode == .search)
        reader.type("policy")
        #expect(reader.state.search?.text == "policy")
        reader.press(.escape)
        #expect(reader.state.mode == .glance)
        // Help opened from the panes still goes back to the panes.
        reader.type("i")
        #expect(reader.state.mode == .normal)
        reader.type("?")
        reader.press(.escape)
        #expect(reader.state.mode == .normal)
    }

    @Test func a_short_history_has_a_column_a_week_and_enter_searches_that_week() throws {
        let start = ISODate.parse("2012-01-02T10:00:00Z")!.timeIntervalSince1970
        let posts = (0..<60).map { i in
            Post(id: Post.ID(String(format: "p%03d", i)), title: "Note \(i)", published: Date(timeIntervalSince1970: start + Double(i * 4) * 86_400))
        }
        let reader = try glance(CacheContent(community: Community(name: "Young"), posts: posts), width: 120, height: 40)
        #expect(reader.screen.contains("Activity by week"))
        // The cursor on the last week; back one week, then Enter: the posts of that week.
        reader.type("h")
        let last = try #require(reader.state.glance?.stats?.weeks.last)
        let weeks = CommunityStats.filled(reader.state.glance!.stats!.weeks)
        let chosen = weeks[weeks.count - 2].week
        #expect(reader.screen.contains("Week of"))
        reader.press(.enter)
        let to = CommunityStats.dayKey(CommunityStats.dayNumber(chosen)! + 6)
        #expect(reader.state.search?.text == "date:\(chosen)..\(to)")
        let found = try #require(reader.state.search?.results.posts)
        #expect(!found.isEmpty)
        let from = Double(CommunityStats.dayNumber(chosen)!) * 86_400
        #expect(found.allSatisfy { (from..<(from + 7 * 86_400)).contains($0.post.published!.timeIntervalSince1970) })
        #expect(last.week > chosen)
    }
}

extension GlanceTests {
    @Test func members_who_give_only_a_location_are_counted_by_it_and_enter_finds_them() throws {
        let members = [Member(id: "a", name: "Ana", location: "Lagos"), Member(id: "b", name: "Bo", location: "Lagos"),
                       Member(id: "c", name: "Cy", location: "Accra")]
        let reader = try glance(CacheContent(community: Community(name: "Forum"), members: members), width: 100, height: 30)
        #expect(reader.screen.contains("Members by location (those who give no country)"))
        #expect(reader.screen.contains("Lagos"))
        // The first row that can be chosen is Lagos (no dated posts: no chart).
        reader.press(.enter)
        #expect(reader.state.mode == .search)
        #expect(reader.state.search?.text == "\"Lagos\"")
        #expect(Set(reader.state.search?.results.members.map(\.id.rawValue) ?? []) == ["a", "b"])
        reader.press(.escape)
        #expect(reader.state.mode == .glance)
    }
}

/// The document's helpers, named for the tests.
enum GlanceDocumentNames {
    static func monthName(_ key: String) -> String { GlanceDocument.monthName(key) }
    static func filled(_ months: [CommunityStats.Month]) -> [CommunityStats.Month] { GlanceDocument.filled(months) }
}
