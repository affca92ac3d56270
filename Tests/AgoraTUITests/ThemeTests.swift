import AgoraKit
import AgoraTUI
import Foundation
import Testing
import TerminalCore

/// The package's Themes/ folder, read as the program reads it.
enum BundledThemes {
    static var folder: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Themes")
    }

    static func sources() throws -> [ThemeSource] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".toml") }.sorted().map {
            ThemeSource(name: String($0.dropLast(5)), path: "Themes/" + $0,
                        text: try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8), isUser: false)
        }
    }

    static func catalog() throws -> ThemeCatalog { ThemeCatalog(try sources()) }

    static func theme(_ name: String) throws -> Theme {
        try #require(try catalog().theme(named: name)).theme
    }
}

@Suite("Theme files")
struct ThemeFileTests {
    @Test func every_bundled_theme_loads_with_no_warnings() throws {
        let catalog = try BundledThemes.catalog()
        let expected = ["default", "light", "solarized-dark", "solarized-light", "high-contrast", "monochrome", "gruvbox-dark"]
        for name in expected {
            let (_, diagnostics) = try #require(catalog.theme(named: name), "no bundled theme \(name)")
            #expect(diagnostics.isEmpty, "\(name): \(diagnostics.map(\.description))")
        }
        #expect(Set(catalog.names) == Set(expected))
    }

    @Test func the_bundled_default_is_the_built_in_theme() throws {
        let file = try BundledThemes.theme("default")
        for role in Role.allCases {
            #expect(file.style(role) == Theme.standard.style(role), "\(role.name) differs between Themes/default.toml and Theme.standard")
        }
    }

    @Test func themes_need_the_colours_they_use() throws {
        #expect(try BundledThemes.theme("monochrome").depth == .none)
        #expect(try BundledThemes.theme("default").depth == .sixteen)
        #expect(try BundledThemes.theme("gruvbox-dark").depth == .truecolor)
        #expect(try BundledThemes.theme("solarized-dark").depth == .truecolor)
        let gruvbox = try #require(try BundledThemes.sources().first { $0.name == "gruvbox-dark" })
        // Every colour in it is #RRGGBB.
        let values = gruvbox.text.split(separator: "\n").filter { $0.contains("fg =") || $0.contains("bg =") || $0.contains(" = \"") }
            .filter { !$0.hasPrefix("#") && !$0.hasPrefix("description") }
        for line in values {
            for match in line.matches(of: /"([^"]*)"/) where !["bold", "underline", "reverse", "dim", "italic"].contains(String(match.1)) {
                #expect(match.1.hasPrefix("#"), "gruvbox-dark uses \(match.1)")
            }
        }
    }

    @Test func a_role_left_out_takes_its_fallback_field_by_field() {
        let theme = Theme(name: "t", specs: [
            .body: StyleSpec(foreground: .white, background: .indexed(236)),
            .listNormal: StyleSpec(foreground: .green),
            .listUnread: StyleSpec(attributes: .bold),
        ])
        // listStarred -> listUnread -> listNormal -> body
        #expect(theme.style(.listStarred) == Style(foreground: .green, background: .indexed(236), attributes: .bold))
        // rosterCountry -> listMeta -> listNormal
        #expect(theme.style(.rosterCountry).foreground == .green)
        // link is underlined by no one here: it is the body's
        #expect(theme.style(.link) == Style(foreground: .white, background: .indexed(236)))
        for role in Role.allCases {
            var seen: Set<Role> = [role]
            var next = role.fallback
            while let r = next {
                #expect(seen.insert(r).inserted, "fallbacks of \(role) go round")
                next = r.fallback
            }
            #expect(role == .body || seen.contains(.body), "\(role) does not fall back to body")
        }
    }

    @Test func inherits_takes_the_parents_roles_and_overrides_them() throws {
        let parent = ThemeSource(name: "base", path: "base.toml", text: """
            [roles]
            link = { fg = "blue", attrs = ["underline"] }
            header = "red"
            """, isUser: false)
        let child = ThemeSource(name: "child", path: "child.toml", text: """
            inherits = "base"
            [roles]
            link = { fg = "#ff8800" }
            """, isUser: true)
        let (theme, diagnostics) = try #require(ThemeCatalog([parent, child]).theme(named: "child"))
        #expect(diagnostics.isEmpty)
        #expect(theme.style(.link) == Style(foreground: .rgb(255, 136, 0), attributes: .underline))
        #expect(theme.style(.header).foreground == .red)
        #expect(theme.style(.tagline).foreground == .red)  // tagline falls back to header
    }

    @Test func inherits_in_a_circle_or_of_nothing_is_reported() throws {
        let a = ThemeSource(name: "a", path: "a.toml", text: "inherits = \"b\"\n", isUser: true)
        let b = ThemeSource(name: "b", path: "b.toml", text: "inherits = \"a\"\n", isUser: true)
        let c = ThemeSource(name: "c", path: "c.toml", text: "inherits = \"nope\"\n", isUser: true)
        let catalog = ThemeCatalog([a, b, c])
        #expect(try #require(catalog.theme(named: "a")).diagnostics.map(\.message) == ["inherits in a circle: a -> b -> a"])
        #expect(try #require(catalog.theme(named: "c")).diagnostics.first?.message.hasPrefix("inherits 'nope', which is not a theme") == true)
    }

    @Test func a_user_theme_replaces_a_bundled_one_of_its_name() throws {
        let mine = ThemeSource(name: "light", path: "/home/me/.config/agora/themes/light.toml",
                               text: "[roles]\nheader = \"magenta\"\n", isUser: true)
        let catalog = ThemeCatalog(try BundledThemes.sources() + [mine])
        #expect(try #require(catalog.theme(named: "light")).theme.style(.header).foreground == .magenta)
        #expect(catalog.sources["light"]?.isUser == true)
    }

    @Test func every_problem_in_a_theme_file_has_its_line() {
        let text = """
            description = "broken on purpose"
            colour = "red"
            [palette]
            sea = "#0066cc"
            red = "#ff0000"
            [roles]
            header = { fg = "sea", attrs = ["bold", "blink"] }
            lnk = "blue"
            link = { fg = "#12345" }
            quote = { fg = 300 }
            code = { colour = "red" }
            byline = "purple"
            body = true
            [extra]
            """
        let file = ThemeFile(name: "broken", path: "broken.toml", text: text)
        let lines = file.diagnostics.map { "\($0.line): \($0.message)" }
        #expect(lines == [
            "5: palette name 'red' is already a colour's name; choose another",
            "14: unknown table [extra]; a theme has [palette] and [roles]",
            "2: unknown key 'colour'; a theme has description, inherits, [palette] and [roles]",
            "7: unknown attribute 'blink'; use bold, dim, italic, underline, reverse",
            "8: unknown role 'lnk' (did you mean 'link'?)",
            "9: '#12345' is not a colour: write #RRGGBB with six hex digits",
            "10: colour 300 is out of range: the palette has 0-255",
            "11: unknown field 'colour' in a role; use fg, bg and attrs",
            "12: unknown colour 'purple'; use a name, 0-255 or \"#RRGGBB\"",
            "13: a role is a colour (\"blue\") or { fg = ..., bg = ..., attrs = [...] }, not true or false",
        ], "\(lines)")
        // What could be read is used.
        #expect(file.specs[.header] == StyleSpec(foreground: .rgb(0, 0x66, 0xcc), attributes: .bold))
        #expect(file.diagnostics.allSatisfy { $0.file == "broken.toml" })
    }

    @Test func a_file_that_is_not_toml_says_where() {
        let file = ThemeFile(name: "x", path: "x.toml", text: "[roles]\nheader = { fg = \"red\"\n")
        #expect(!file.isReadable)
        #expect(file.diagnostics.map(\.description) == ["x.toml:2: column 22: expected ',' or '}' in the inline table (it stays on one line)"])
    }
}

@Suite("Colour depth")
struct ColorDepthTests {
    @Test func truecolor_comes_down_to_256_then_16_then_8() {
        let orange = Color.rgb(0xfe, 0x80, 0x19)
        #expect(orange.reduced(to: .truecolor) == orange)
        #expect(orange.reduced(to: .indexed256) == .indexed(208))  // #ff8700
        #expect(orange.reduced(to: .sixteen) == .yellow)
        #expect(orange.reduced(to: .eight) == .yellow)
        #expect(orange.reduced(to: .none) == .default)
        // Greys go to the grey ramp, not the cube.
        #expect(Color.rgb(0x28, 0x28, 0x28).reduced(to: .indexed256) == .indexed(235))
        #expect(Color.rgb(0x80, 0x80, 0x80).reduced(to: .indexed256) == .indexed(244))
        // Pure colours land on themselves.
        #expect(Color.rgb(255, 0, 0).reduced(to: .indexed256) == .indexed(196))
        #expect(Color.rgb(255, 0, 0).reduced(to: .sixteen) == .ansi(9))
        #expect(Color.rgb(255, 0, 0).reduced(to: .eight) == .ansi(1))
        #expect(Color.rgb(0, 0, 0).reduced(to: .eight) == .ansi(0))
        #expect(Color.rgb(255, 255, 255).reduced(to: .sixteen) == .ansi(15))
        #expect(Color.rgb(255, 255, 255).reduced(to: .eight) == .ansi(7))
        // 256-palette entries to named ones.
        #expect(Color.indexed(21).reduced(to: .sixteen) == .blue)  // #0000ff is nearer #0000ee than #5c5cff
        #expect(Color.indexed(63).reduced(to: .sixteen) == .ansi(12))  // #5f5fff
        #expect(Color.indexed(28).reduced(to: .eight) == .ansi(2))  // #008700
        #expect(Color.indexed(9).reduced(to: .eight) == .ansi(1))
        // Bright names on 8 colours lose only the brightness; the terminal's own stays its own.
        #expect(Color.brightBlack.reduced(to: .eight) == .black)
        #expect(Color.cyan.reduced(to: .eight) == .cyan)
        #expect(Color.default.reduced(to: .eight) == .default)
    }

    @Test func a_terminal_reports_its_depth() {
        #expect(ColorDepth(colors: 0) == .none)
        #expect(ColorDepth(colors: 8) == .eight)
        #expect(ColorDepth(colors: 16) == .sixteen)
        #expect(ColorDepth(colors: 88) == .sixteen)
        #expect(ColorDepth(colors: 256) == .indexed256)
        #expect(ColorDepth(colors: 16_777_216) == .truecolor)
    }

    @Test func without_colour_every_role_keeps_what_matters_in_attributes() throws {
        for name in try BundledThemes.catalog().names {
            let theme = try BundledThemes.theme(name).withoutColor
            for role in Role.allCases {
                let style = theme.style(role)
                #expect(style.foreground == .default && style.background == .default, "\(name) \(role.name) has colour")
            }
            #expect(theme.style(.listSelected).attributes.contains(.reverse), "\(name): selection")
            #expect(theme.style(.listUnread).attributes.contains(.bold), "\(name): unread")
            #expect(theme.style(.link).attributes.contains(.underline), "\(name): links")
        }
    }

    @Test func below_what_a_theme_needs_its_selection_does_not_rest_on_colour() throws {
        // Solarized marks the selection with base02 on base03: both are black on 16 colours.
        let solarized = try BundledThemes.theme("solarized-dark")
        #expect(!solarized.style(.listSelected).attributes.contains(.reverse))
        let sixteen = solarized.reduced(to: .sixteen)
        #expect(sixteen.style(.listSelected).attributes.contains(.reverse))
        #expect(sixteen.style(.body).background == .ansi(0))
        // A theme within the terminal's colours is left as written.
        let standard = Theme.standard.reduced(to: .indexed256)
        #expect(standard == Theme.standard)
    }
}

