import AgoraApp
import AgoraKit
import AgoraTUI
import Foundation
import Testing
import TerminalCore

@Suite("Keys from the config")
struct RebindingTests {
    @Test func rebinding_changes_the_key_and_the_help_and_the_hints() throws {
        let config = Config(text: """
            [keys]
            down = ["J", "Down"]
            up = ["K"]
            help = ["H"]
            """, path: "c.toml")
        #expect(config.diagnostics.isEmpty)
        let reader = try Harness(width: 120, height: 40, content: Hard.content, settings: config.settings)
        let before = reader.state.posts.selected
        reader.press(.character("j"))
        #expect(reader.state.posts.selected == before)
        reader.press(.character("J"))
        #expect(reader.state.posts.selected == before + 1)
        // The status line's hints name the keys in force.
        #expect(reader.screen.contains("J/K move"))
        #expect(reader.screen.contains("H help"))
        #expect(!reader.screen.contains("? help"))
        reader.press(.character("?"))
        #expect(reader.state.mode == .normal)
        reader.press(.character("H"))
        #expect(reader.state.mode == .help(scroll: 0))
        var help = reader.screen
        #expect(help.contains("J, Down          Move down"))
        // Further down the list: scroll to it with the rebound key.
        for _ in 0..<10 { reader.press(.character("J")) }
        help = reader.screen
        #expect(help.contains("H                Show this help"))
    }

    @Test func a_sequence_waits_for_its_next_key_and_shows_it() throws {
        let config = Config(text: "[keys]\ntop = [\"g g\"]\nbottom = [\"g e\", \"G\"]\n", path: "c.toml")
        #expect(config.diagnostics.isEmpty)
        let reader = try Harness(width: 120, height: 40, content: Hard.content, settings: config.settings)
        reader.press(.character("g"), .character("e"))
        #expect(reader.state.posts.selected == reader.state.posts.total - 1)
        reader.press(.character("g"))
        #expect(reader.state.pendingKeys == [.character("g")])
        #expect(reader.screen.contains("g …"))
        reader.press(.character("g"))
        #expect(reader.state.posts.selected == 0)
        #expect(reader.state.pendingKeys.isEmpty)
        // A key that does not go on from the sequence counts on its own.
        reader.press(.character("g"), .character("j"))
        #expect(reader.state.posts.selected == 1)
    }

    @Test func mark_read_on_open_and_confirm_can_be_turned_off() throws {
        var settings = ReaderSettings()
        settings.markReadOnOpen = false
        settings.confirmMarkAllRead = false
        let reader = try Harness(width: 120, height: 40, content: Hard.content, settings: settings)
        let unread = reader.state.unread
        reader.press(.enter)
        #expect(reader.state.unread == unread)
        #expect(try reader.store.post(try #require(reader.state.posts.selectedRow).id).state.read == false)
        reader.press(.escape, .character("A"))
        #expect(reader.state.mode == .normal)
        #expect(reader.state.unread == 0)
    }

    @Test func the_layout_follows_the_config() throws {
        var settings = ReaderSettings()
        settings.layout.showRoster = false
        settings.layout.postsWidth = 50
        let reader = try Harness(width: 130, height: 40, settings: settings)
        let layout = reader.state.layout
        #expect(layout.panes == [.posts, .detail])
        #expect(layout.rects[.posts]?.width == 65)
        settings = ReaderSettings()
        settings.layout.stackBelow = 100
        let narrow = try Harness(width: 90, height: 40, settings: settings)
        #expect(narrow.state.layout.kind == .narrow)
        settings.layout.wideFrom = 200
        let medium = try Harness(width: 150, height: 40, settings: settings)
        #expect(medium.state.layout.kind == .medium)
    }

    @Test func the_date_format_reaches_the_list_and_the_article() throws {
        var settings = ReaderSettings()
        settings.dateFormat = DateFormat(pattern: "%e %B %Y")
        let reader = try Harness(width: 160, height: 40, content: Hard.content, settings: settings)
        reader.press(.enter)
        let screen = reader.screen
        let published = try #require(reader.state.posts.selectedRow?.published)
        let text = settings.dateFormat.string(published)
        #expect(text.contains(" "))
        #expect(screen.components(separatedBy: text).count >= 3, "list and byline show \(text)")
    }
}
