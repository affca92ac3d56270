import AgoraKit
import AgoraTUI
import AgoraTestSupport
import Foundation
import Testing
import TerminalCore

@Suite("TOML")
struct TOMLTests {
    @Test func values_tables_and_lines() throws {
        let document = try TOML.parse("""
            # a comment
            name = "Ágora \\u00e9 \\"q\\""   # trailing comment
            literal = 'C:\\path'
            count = 1_000
            hex = 0xff
            ratio = -0.5
            on = true
            list = [ "a",
                     'b', # comment inside
                   ]
            "quoted key" = 1
            [layout]
            posts-width = 40
            [a.b]
            c.d = { x = 1, y = [2, 3] }
            text = \"\"\"
            two
            lines\"\"\"
            """)
        let values = Dictionary(uniqueKeysWithValues: document.entries.map { ($0.dottedKey, $0) })
        #expect(values["name"]?.value == .string("Ágora é \"q\""))
        #expect(values["name"]?.line == 2)
        #expect(values["literal"]?.value == .string("C:\\path"))
        #expect(values["count"]?.value == .integer(1000))
        #expect(values["hex"]?.value == .integer(255))
        #expect(values["ratio"]?.value == .float(-0.5))
        #expect(values["on"]?.value == .bool(true))
        #expect(values["list"]?.value == .array([.string("a"), .string("b")]))
        #expect(values["quoted key"]?.value == .integer(1))
        #expect(values["layout.posts-width"]?.line == 13)
        #expect(values["a.b.c.d"]?.value == .table([
            TOML.Entry(key: ["x"], value: .integer(1), line: 15),
            TOML.Entry(key: ["y"], value: .array([.integer(2), .integer(3)]), line: 15),
        ]))
        #expect(values["a.b.text"]?.value == .string("two\nlines"))
        #expect(document.headers.map(\.line) == [12, 14])
    }

    @Test(arguments: [
        ("x = ", "1:5: expected a value, found the end of the file"),
        ("x = \n", "1:5: expected a value (a \"string\", a number, true/false, [an array] or {a table}), found the end of the line"),
        ("x = \"open", "1:10: unfinished string: no closing \" on this line"),
        ("x = 1\nx = 2", "2:1: 'x' is set twice"),
        ("[t]\n[t]", "2:1: table [t] is defined twice"),
        ("x = 1 2", "1:7: expected the end of the line, found '2'"),
        ("[[items]]", "1:2: arrays of tables ([[...]]) are not used in Agora's files"),
        ("x = 1979-05-27", "1:5: expected a value (a \"string\", a number, true/false, [an array] or {a table}), found '1979-05-27'"),
        ("x = \"\\q\"", "1:8: unknown escape '\\q' (a backslash is written \\\\)"),
        ("= 1", "1:1: expected a key, found '='"),
        ("x = [1, 2", "1:10: expected ',' or ']' in the array"),
    ])
    func syntax_errors_say_line_and_column(text: String, message: String) {
        #expect(throws: TOML.SyntaxError.self) { try TOML.parse(text) }
        do {
            _ = try TOML.parse(text)
        } catch {
            #expect(error.description == message)
        }
    }
}

@Suite("Config file")
struct ConfigTests {
    @Test func the_default_file_reads_back_as_the_defaults_with_no_warnings() {
        let config = Config(text: Config.defaultText, path: "config.toml")
        #expect(config.diagnostics.isEmpty, "\(config.diagnostics.map(\.description))")
        #expect(config.settings == ReaderSettings())
        #expect(config.theme == "default")
        #expect(config.settings.keymap == KeyMap.standard)
    }

    @Test func settings_apply() {
        let config = Config(text: """
            theme = "light"
            mark-read-on-open = false
            confirm-mark-all-read = false
            date-format = "%d %b %Y"
            browser = "lynx"
            [layout]
            posts-width = 30
            roster = false
            wide-from = 150
            stack-below = 70
            """, path: "c.toml")
        #expect(config.diagnostics.isEmpty)
        #expect(config.theme == "light")
        #expect(config.browser == "lynx")
        #expect(!config.settings.markReadOnOpen)
        #expect(!config.settings.confirmMarkAllRead)
        #expect(config.settings.dateFormat.string(Date(timeIntervalSince1970: 1_356_000_000)) == "20 Dec 2012")
        #expect(config.settings.layout.postsWidth == 30)
        #expect(!config.settings.layout.showRoster)
        #expect(config.settings.layout.wideFrom == 150)
        #expect(config.settings.layout.stackBelow == 70)
    }

    @Test func syncing_by_itself_is_set_and_its_mistakes_named() {
        let config = Config(text: "sync-on-start = true\nsync-interval = 15\n", path: "c.toml")
        #expect(config.diagnostics.isEmpty)
        #expect(config.settings.syncOnStart)
        #expect(config.settings.syncInterval == 15)
        let wrong = Config(text: "sync-interval = -5\nsync-on-start = 1\nsync-intervall = 3\n", path: "c.toml")
        #expect(wrong.diagnostics.map { "\($0.line): \($0.message)" } == [
            "1: sync-interval = -5 is out of range: 0-1440 minutes (0: never)",
            "2: 'sync-on-start' should be true or false, not an integer",
            "3: unknown key 'sync-intervall' (did you mean 'sync-interval'?)",
        ])
        #expect(wrong.settings.syncInterval == 0 && !wrong.settings.syncOnStart, "left at their defaults")
        let words = Config(text: "sync-interval = \"often\"\n", path: "c.toml")
        #expect(words.diagnostics.map(\.message) == ["'sync-interval' should be a whole number of minutes (0: never), not a string"])
    }

    @Test func every_mistake_is_a_warning_with_its_line_and_the_rest_applies() {
        let text = """
            theme = 3
            mark-read-on-opn = false
            date-format = "%Y %Q"
            confirm-mark-all-read = false
            [layout]
            posts-width = 90
            roster = "no"
            columns = 3
            [keys]
            down = ["J"]
            jump = ["x"]
            up = ["Ctrl-k"]
            top = 5
            [colours]
            """
        let config = Config(text: text, path: "/home/me/.config/agora/config.toml")
        let lines = config.diagnostics.map { "\($0.line): \($0.message)" }
        #expect(lines == [
            "14: unknown table [colours]; the config has [layout] and [keys] (and [keys.search], [keys.roster-filter], [keys.link], [keys.confirm] for what is typed there)",
            "1: 'theme' should be a theme's name as a string, not an integer",
            "2: unknown key 'mark-read-on-opn' (did you mean 'mark-read-on-open'?)",
            "3: date-format: unknown field %Q; use %Y %y %m %b %B %d %e %a %A %H %M %%",
            "6: layout.posts-width = 90 is out of range: 15-70 (percent of the width)",
            "7: 'layout.roster' should be true or false, not a string",
            "8: unknown key 'layout.columns'; [layout] has posts-width, roster-width, roster, wide-from, stack-below",
            "11: unknown action 'jump' (docs/keys.md lists them)",
            "12: up: unknown key 'Ctrl-k' (keys are written j, J, Down, C-d, S-Tab, F5, Space, Enter, Esc, PgDn ...)",
            "13: 'keys.top' should be a list of keys such as [\"j\", \"Down\", \"g g\", \"C-d\"], not an integer",
        ], "\(lines)")
        #expect(config.diagnostics.allSatisfy { $0.file == "/home/me/.config/agora/config.toml" })
        // What was right still applies.
        #expect(!config.settings.confirmMarkAllRead)
        #expect(config.settings.keymap.binding(.down)?.keys == [KeySequence(.character("J"))])
        #expect(config.settings.layout.postsWidth == 36)
        #expect(config.settings.dateFormat == .standard)
    }

    @Test func a_file_that_is_not_toml_is_one_warning_and_the_defaults() {
        let config = Config(text: "theme = \"light\"\n[keys\n", path: "c.toml")
        #expect(config.diagnostics.map(\.description) == ["c.toml:2: column 6: expected ']' to close the table name (the whole file is ignored)"])
        #expect(config.theme == nil)
        #expect(config.settings == ReaderSettings())
    }

    @Test func two_actions_on_one_key_in_one_pane_is_a_warning() {
        let config = Config(text: """
            [keys]
            toggle-read = ["x"]
            toggle-star = ["x"]
            author = ["z z"]
            next-comment = ["z"]
            """, path: "c.toml")
        #expect(config.diagnostics.map(\.description) == [
            "c.toml:3: toggle-star: 'x' is already bound to toggle-read (line 2); it stays there",
            "c.toml:5: next-comment: 'z' clashes with 'z z' of author (line 4): one would hide the other; it stays there",
        ])
        #expect(config.settings.keymap.command(for: .character("x"), in: .posts) == .toggleRead)
        #expect(config.settings.keymap.conflicts.isEmpty)
    }

    @Test func keys_in_different_panes_do_not_conflict() {
        // author is for the article, undo for the post list: one key can do both.
        let config = Config(text: "[keys]\nauthor = [\"u\"]\n", path: "c.toml")
        #expect(config.diagnostics.isEmpty)
        #expect(config.settings.keymap.command(for: .character("u"), in: .detail) == .author)
        #expect(config.settings.keymap.command(for: .character("u"), in: .posts) == .undo)
    }

    @Test func a_key_taken_from_a_default_binding_moves() {
        let config = Config(text: "[keys]\nnext-unread = [\"j\"]\n", path: "c.toml")
        #expect(config.diagnostics.isEmpty)
        #expect(config.settings.keymap.command(for: .character("j"), in: .posts) == .nextUnread)
        #expect(config.settings.keymap.binding(.down)?.keys == [KeySequence(.down)])
        #expect(config.settings.keymap.conflicts.isEmpty)
    }

    @Test(arguments: [
        ("j", [Key.character("j")]), ("J", [.character("J")]), ("C-d", [.control("d")]), ("Down", [.down]),
        ("g g", [.character("g"), .character("g")]), ("S-Tab", [.backTab]), ("F5", [.function(5)]), ("Space", [.character(" ")]),
        ("PgDn", [.pageDown]), ("pagedown", [.pageDown]), ("Esc", [.escape]), ("Enter", [.enter]), ("é", [.character("é")]),
    ])
    func key_names(name: String, keys: [Key]) throws {
        #expect(try KeySequence.parse(name).get() == KeySequence(keys))
        // Names read back as they are written in help.
        #expect(try KeySequence.parse(KeySequence(keys).name).get() == KeySequence(keys))
    }

    @Test func bad_key_names_are_refused() {
        for name in ["", "Ctrl-x", "M-x", "C-1", "F13", "g h i j k"] {
            guard case .failure = KeySequence.parse(name) else {
                Issue.record("\(name) was accepted")
                continue
            }
        }
    }

    @Test func date_formats() {
        let date = Date(timeIntervalSince1970: 1_356_010_200)  // Thursday 2012-12-20 13:30 UTC
        #expect(DateFormat(pattern: "%Y-%m-%d %H:%M").string(date) == "2012-12-20 13:30")
        #expect(DateFormat(pattern: "%a %e %B %y, 100%%").string(date) == "Thu 20 December 12, 100%")
        #expect(DateFormat(pattern: "%A").string(Date(timeIntervalSince1970: 0)) == "Thursday")
        #expect(DateFormat(pattern: "%Y-%m-%d").string(Date(timeIntervalSince1970: -86_400)) == "1969-12-31")
        #expect(DateFormat(pattern: "%d/%m/%Y").string(Date(timeIntervalSince1970: 951_782_400)) == "29/02/2000")
        #expect(DateFormat.standard.string(nil) == "—")
        // Against Foundation's, on many dates.
        var random = SystemRandomNumberGenerator.Seeded(7)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm EEE MMM"
        for _ in 0..<500 {
            let date = Date(timeIntervalSince1970: Double(Int64(random.next() % 4_000_000_000)) - 1_000_000_000)
            #expect(DateFormat(pattern: "%Y-%m-%d %H:%M %a %b").string(date) == formatter.string(from: date))
        }
    }
}


@Suite("Docs of themes and config")
struct AppearanceDocsTests {
    static func doc(_ name: String) throws -> String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return try String(contentsOf: url.appendingPathComponent("docs/" + name), encoding: .utf8)
    }

    @Test func docs_config_md_shows_the_default_file_as_agora_prints_it() throws {
        #expect(try Self.doc("config.md").contains("```toml\n" + Config.defaultText + "```"))
    }

    @Test func docs_themes_md_lists_every_role_with_its_fallback() throws {
        let doc = try Self.doc("themes.md")
        for role in Role.allCases {
            let fallback = role.fallback.map { "`\($0.name)`" } ?? "—"
            #expect(doc.contains("| `\(role.name)` | \(fallback) | \(role.summary) |"), "docs/themes.md lacks \(role.name)")
        }
        for name in ["default", "light", "solarized-dark", "solarized-light", "high-contrast", "monochrome", "gruvbox-dark"] {
            #expect(doc.contains("![\(name)](themes/\(name).svg)"))
            var url = URL(fileURLWithPath: #filePath)
            for _ in 0..<3 { url.deleteLastPathComponent() }
            #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("docs/themes/\(name).svg").path))
        }
    }
}
