import AgoraKit
import Foundation
import Testing

@Suite("agora themes and agora config")
struct AppearanceCommandTests {
    let agora = AgoraBinary()

    @Test func themes_lists_the_bundled_themes_with_the_colours_they_need() throws {
        defer { agora.remove() }
        let result = try agora.run(["themes"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        let needs = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { (String($0[0]), $0[1...2].joined(separator: " ")) })
        #expect(needs["default"] == "16 colours")
        #expect(needs["light"] == "8 colours")
        #expect(needs["monochrome"] == "no colour")
        #expect(needs["gruvbox-dark"] == "truecolor (#RRGGBB)")
        #expect(needs["high-contrast"] == "16 colours")
        #expect(needs["solarized-dark"] != nil && needs["solarized-light"] != nil)
        #expect(result.stderr.isEmpty)
    }

    @Test func a_theme_of_ones_own_is_listed_and_replaces_a_bundled_one() throws {
        defer { agora.remove() }
        let folder = agora.file(".config/agora/themes")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "description = \"mine\"\ninherits = \"default\"\n[roles]\nheader = \"#ff0000\"\n"
            .write(toFile: folder + "/light.toml", atomically: true, encoding: .utf8)
        let result = try agora.run(["themes"])
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("light ") })
        #expect(line.contains("truecolor"))
        #expect(line.contains(folder + "/light.toml"))
        #expect(line.contains("mine"))
        // XDG_CONFIG_HOME moves it.
        let moved = try agora.run(["themes"], environment: ["XDG_CONFIG_HOME": agora.file("elsewhere")])
        #expect(try #require(moved.stdout.split(separator: "\n").first { $0.hasPrefix("light ") }).contains("8 colours"))
    }

    @Test func themes_check_reports_every_problem_with_file_and_line() throws {
        defer { agora.remove() }
        let file = agora.file("mine.toml")
        try """
            inherits = "default"
            [roles]
            header = { fg = "bleu" }
            list-selectd = "red"
            link = { fg = 256 }
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try agora.run(["themes", "check", file])
        #expect(result.status == 1)
        #expect(result.stdout == """
            \(file):3: unknown colour 'bleu' (did you mean 'blue'?); use a name, 0-255 or "#RRGGBB"
            \(file):4: unknown role 'list-selectd' (did you mean 'list-selected'?)
            \(file):5: colour 256 is out of range: the palette has 0-255

            """)
        #expect(result.stderr == "agora: \(file): 3 problems\n")
        let good = try agora.run(["themes", "check", "solarized-light"])
        #expect(good.status == 0)
        #expect(good.stdout.hasSuffix("solarized-light.toml: no problems; needs truecolor (#RRGGBB)\n"))
        let missing = try agora.run(["themes", "check", agora.file("nope.toml")])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("agora: no theme file at \(agora.file("nope.toml")), and no theme of that name (default, "))
    }

    @Test func config_default_prints_a_file_that_reads_back_with_no_problems() throws {
        defer { agora.remove() }
        let printed = try agora.run(["config", "--default"])
        #expect(printed.status == 0)
        #expect(printed.stdout.contains("[keys]\n"))
        #expect(printed.stdout.contains("cycle-theme = [\"T\"]"))
        let folder = agora.file(".config/agora")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try printed.stdout.write(toFile: folder + "/config.toml", atomically: true, encoding: .utf8)
        let checked = try agora.run(["config"])
        #expect(checked.status == 0)
        #expect(checked.stdout == "\(folder)/config.toml: no problems\n")
    }

    @Test func config_reports_mistakes_with_lines_and_no_file_is_fine() throws {
        defer { agora.remove() }
        let none = try agora.run(["config"])
        #expect(none.status == 0)
        #expect(none.stdout.hasPrefix("No config file at \(agora.file(".config/agora/config.toml"))"))
        let file = agora.file("c.toml")
        try "theme = \"nope\"\n[layout]\nposts-width = \"wide\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try agora.run(["config", "--config", file])
        #expect(result.status == 1)
        #expect(result.stdout == """
            \(file):3: 'layout.posts-width' should be a whole number (percent of the width), not a string
            \(file):1: theme 'nope' is not a theme (agora themes lists them)

            """)
        #expect(result.stderr == "agora: \(file): 2 problems; the rest applies\n")
        let missing = try agora.run(["--config", agora.file("missing.toml")])
        #expect(missing.status == 1)
        #expect(missing.stderr == "agora: no config file at \(agora.file("missing.toml"))\n")
    }

    @Test func an_unknown_theme_is_refused_before_anything_else() throws {
        defer { agora.remove() }
        let result = try agora.run(["--theme", "nope"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("agora: no theme 'nope' (themes: default, gruvbox-dark, high-contrast, light, monochrome, solarized-dark, solarized-light)"))
        #expect(!FileManager.default.fileExists(atPath: agora.defaultCache))
    }
}

@Suite("Where the bundled themes are found")
struct ThemeDiscoveryTests {
    let agora = AgoraBinary()

    /// The program copied to `bin/agora` under a folder, with themes where an install puts them.
    func install(themesAt relative: String) throws -> String {
        let root = agora.file("prefix")
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        try fm.copyItem(atPath: AgoraBinary.path, toPath: root + "/bin/agora")
        try fm.createDirectory(atPath: root + "/" + relative, withIntermediateDirectories: true)
        try "description = \"the installed copy\"\n[roles]\nheader = \"red\"\n"
            .write(toFile: root + "/" + relative + "/default.toml", atomically: true, encoding: .utf8)
        return root
    }

    @Test func in_the_share_folder_beside_bin() throws {
        defer { agora.remove() }
        let root = try install(themesAt: "share/agora/themes")
        let result = try agora.run(["themes"], executable: root + "/bin/agora")
        #expect(result.status == 0)
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("default ") })
        #expect(line.contains(root + "/share/agora/themes/default.toml"))
        #expect(line.contains("the installed copy"))
    }

    @Test func next_to_the_program() throws {
        defer { agora.remove() }
        let root = try install(themesAt: "bin/Themes")
        let result = try agora.run(["themes"], executable: root + "/bin/agora")
        #expect(try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("default ") })
            .contains(root + "/bin/Themes/default.toml"))
    }

    @Test func a_copied_binary_has_every_bundled_theme_built_in() throws {
        defer { agora.remove() }
        let root = agora.file("bare")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: AgoraBinary.path, toPath: root + "/agora")
        let result = try agora.run(["themes"], executable: root + "/agora")
        #expect(result.status == 0)
        let listed = result.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: " ")[0]) }
        #expect(listed == ["default", "gruvbox-dark", "high-contrast", "light", "monochrome", "solarized-dark", "solarized-light"])
        #expect(result.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.contains("(built in)") })
        let checked = try agora.run(["themes", "check", "solarized-dark"], executable: root + "/agora")
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        // A file of the same name in the user's folder replaces the built-in one.
        let mine = agora.file("config/agora/themes/light.toml")
        try FileManager.default.createDirectory(atPath: (mine as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "description = \"my light\"\n".write(toFile: mine, atomically: true, encoding: .utf8)
        let mixed = try agora.run(["themes"], environment: ["XDG_CONFIG_HOME": agora.file("config")], executable: root + "/agora")
        #expect(mixed.stdout.split(separator: "\n").first { $0.hasPrefix("light ") }?.contains(mine) == true, "\(mixed.stdout)")
    }
}

@Suite("agora search and the list's new orders")
struct SearchCommandTests {
    let agora = AgoraBinary()

    @Test func the_query_language_on_the_command_line() throws {
        defer { agora.remove() }
        let country = try agora.run(["search", "country:roman"])
        #expect(country.status == 0)
        #expect(country.stdout.contains("Members (4)\n"))
        #expect(country.stdout.contains("Adela Danciu"))
        #expect(country.stdout.split(separator: "\n").filter { $0.contains("Romania") }.count == 4)
        let phrase = try agora.run(["search", "\"civil society\" itu"])
        #expect(phrase.stdout.contains("itu-secretary-general-wcit"))
        let wrongOrder = try agora.run(["search", "\"society civil\""])
        #expect(wrongOrder.stdout.hasPrefix("Nothing matches"))
        let unknown = try agora.run(["search", "foo:bar", "marilia"])
        #expect(unknown.status == 0)
        #expect(unknown.stderr == "agora: 'foo:' is not a search term; use author:, country:, tag:, date:, is:unread or is:starred\n")
        #expect(unknown.stdout.contains("Marília Maciel"))
        let json = try #require(try agora.json(["search", "is:nope", "xu", "--json"]) as? [String: Any])
        #expect(json["problems"] as? [String] == ["is:nope is not known; use is:unread or is:starred"])
        #expect((json["members"] as? [[String: Any]])?.first?["name"] as? String == "Xu Jing")
        for hostile in ["\"", "*", "-", "NEAR(", "a:", "\u{1B}[2J"] {
            #expect(try agora.run(["search", hostile]).status == 0, "search \(hostile)")
        }
    }

    @Test func list_sorts_unread_first_and_members_by_posts() throws {
        defer { agora.remove() }
        let source = agora.file("c.json")
        let day = { (n: Double) in Date(timeIntervalSince1970: 1_600_000_000 + n * 86_400) }
        try CacheFile(CacheContent(
            members: [Member(id: "a", name: "Ann"), Member(id: "b", name: "Bob")],
            posts: [Post(id: "old", title: "Old", author: "b", published: day(1)), Post(id: "mid", title: "Mid", author: "b", published: day(2)),
                    Post(id: "new", title: "New", author: "a", published: day(3))],
            postStates: [Post.ID("new"): PostState(read: true)])).write(to: source)
        let list = try agora.run(["--cache", source, "list", "--sort", "unread"])
        let ids = list.stdout.split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").first { ["old", "mid", "new"].contains(String($0)) } }
        #expect(ids == ["mid", "old", "new"])
        let members = try agora.run(["--cache", source, "members", "--sort", "posts"])
        #expect(members.stdout.split(separator: "\n").dropFirst().first?.hasPrefix("Bob") == true)
    }
}
