import AgoraApp
import AgoraKit
import AgoraTUI
import Foundation
import Testing
import TerminalCore

@Suite("Themes on screen")
struct ThemeScreenTests {
    /// One screen under three themes: the cells that carry meaning have the theme's styles,
    /// and a map of every cell's style is kept as a snapshot.
    @Test(arguments: ["default", "solarized-dark", "monochrome"])
    func one_screen_under_three_themes(name: String) throws {
        let theme = try BundledThemes.theme(name)
        let reader = try Harness(width: 120, height: 30, content: Hard.content)
        reader.press(.down, .enter)  // open the second post: the first stays unread
        #expect(reader.state.posts.total > 2)
        let frame = Screen.render(reader.state, theme: theme).buffer
        let text = frame.lines
        // The community's name.
        #expect(frame[1, 0].style == theme.style(.header))
        // The selected row (read now) in the post list, and an unread row below it.
        // Rows start under the border (y 1) and the column heads (y 2).
        let selectedRow = 3 + reader.state.posts.selected - reader.state.posts.top
        #expect(text[selectedRow].contains(try #require(reader.state.posts.selectedRow).title.prefix(10)))
        #expect(frame[5, selectedRow].style.attributes.isSuperset(of: theme.style(.listSelected).attributes))
        #expect(frame[5, selectedRow].style.background == theme.style(.listSelected).background)
        let unreadRow = 3 - reader.state.posts.top
        #expect(frame[1, unreadRow].symbol == "N")
        #expect(frame[5, unreadRow].style == theme.style(.listUnread))
        // The status line.
        #expect(frame[0, 29].style == theme.style(.statusBar))
        // The article's title, in the detail pane.
        let detailX = try #require(reader.state.layout.rects[.detail]).x + 1
        #expect(frame[detailX, 2].style == theme.style(.articleTitle))
        // An empty cell shows the body's background.
        #expect(frame[119, 0].style.background == theme.style(.body).background)
        try expectSnapshot(styleMap(frame), named: "theme-\(name)-styles-120x30")
    }

    @Test func T_switches_theme_at_run_time_and_says_which() throws {
        var settings = ReaderSettings()
        settings.themeNames = ["default", "light", "monochrome"]
        let reader = try Harness(width: 100, height: 30, settings: settings)
        reader.press(.character("T"))
        #expect(reader.state.settings.themeIndex == 1)
        #expect(reader.screen.contains("Theme: light"))
        reader.press(.character("T"), .character("T"))
        #expect(reader.state.settings.themeIndex == 0)
    }

    @Test func the_reader_loop_draws_with_the_theme_T_picks() throws {
        let harness = try Harness(width: 100, height: 30)
        let themes = [Theme.standard, try BundledThemes.theme("high-contrast")]
        let loop = Reader(store: harness.store, themes: themes, settings: ReaderSettings()) { $0 }
        var backend = TestBackend(width: 100, height: 30, events: [.key(.character("T"))])
        _ = loop.run(on: &backend, community: try harness.store.community(), idleMilliseconds: 0)
        let first = try #require(backend.frames.first)
        let last = try #require(backend.lastFrame)
        #expect(first[1, 0].style == Theme.standard.style(.header))
        #expect(last[1, 0].style == themes[1].style(.header))
        #expect(last[50, 10].style.background == .ansi(0) || last[50, 10].style.background == themes[1].style(.body).background)
    }
}
