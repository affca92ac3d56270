import AgoraKit
import Foundation
import Testing

@Suite("agora on the command line")
struct CLITests {
    let agora = AgoraBinary()

    @Test func a_first_run_creates_the_cache_from_the_sample_and_says_so_once() throws {
        defer { agora.remove() }
        let first = try agora.run(["info"])
        #expect(first.status == 0)
        #expect(first.stdout.hasPrefix("Diplo Internet Governance Community\nStay networked. Get informed. Broadcast your projects.\n"))
        #expect(first.stdout.contains("Members   46"))
        #expect(first.stderr == "agora: no cache at \(agora.defaultCache); created it with the sample community (Diplo Internet Governance Community)\n")
        #expect(FileManager.default.fileExists(atPath: agora.defaultCache))
        let second = try agora.run(["info"])
        #expect(second.status == 0)
        #expect(second.stderr.isEmpty)
        #expect(second.stdout == first.stdout)
    }

    @Test func the_reader_in_a_pipe_says_it_needs_a_terminal() throws {
        defer { agora.remove() }
        let result = try agora.run([])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("agora: the reader needs a terminal"))
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: agora.defaultCache), "nothing is created for a reader that cannot run")
    }

    @Test func the_cache_can_be_chosen_by_option_or_environment() throws {
        defer { agora.remove() }
        for name in ["a.json", "b.sqlite", "c.sqlite"] {
            #expect(try agora.run(["--cache", agora.file(name), "import", "--sample"]).status == 0)
        }
        let viaOption = try agora.run(["--cache", agora.file("a.json"), "list"])
        #expect(viaOption.status == 0 && viaOption.stdout.contains("itu-secretary-general-wcit"))
        #expect(try agora.run(["list", "--cache=\(agora.file("b.sqlite"))"]).status == 0)
        #expect(try agora.run(["members"], environment: ["AGORA_CACHE": agora.file("c.sqlite")]).stdout.contains("Marília Maciel"))
        #expect(!FileManager.default.fileExists(atPath: agora.defaultCache))
    }

    @Test func a_mistyped_cache_path_is_an_error_not_a_new_cache() throws {
        defer { agora.remove() }
        let missing = agora.file("nonexistent/dir/x.sqlite")
        for arguments in [["--cache", missing, "list"], ["--cache", missing, "mark", "read", "p1"], ["--cache", missing, "info"]] {
            let result = try agora.run(arguments)
            #expect(result.status == 1)
            #expect(result.stderr == "agora: cannot read \(missing): no cache there; `agora --cache \(missing) import FILE` (or `import --sample`, `sources add URL`) creates one\n")
        }
        let viaEnvironment = try agora.run(["list"], environment: ["AGORA_CACHE": missing])
        #expect(viaEnvironment.status == 1)
        #expect(!FileManager.default.fileExists(atPath: agora.file("nonexistent")), "no folder made")
        // Commands that write make it, empty.
        let made = agora.file("new/feeds.sqlite")
        #expect(try agora.run(["--cache", made, "sources", "add", "--kind", "feed", "https://example.org/feed.xml"]).status == 0)
        #expect(try agora.run(["--cache", made, "list"]).stdout == "No posts.\n")
    }

    @Test func list_show_and_members_print_the_sample() throws {
        defer { agora.remove() }
        let list = try agora.run(["list"])
        #expect(list.status == 0)
        let rows = list.stdout.split(separator: "\n").map(String.init)
        #expect(rows[0].hasPrefix("    ID "))
        #expect(rows[1].hasPrefix("N   itu-secretary-general-wcit"))
        #expect(rows[1].contains("146"))
        #expect(rows[1].hasSuffix("ITU Secretary General to civil society representatives: WCIT is not about taking control of the internet"))
        #expect(rows.last == "1 post, 1 unread")

        let show = try agora.run(["show", "itu-secretary-general-wcit", "--width", "72"])
        #expect(show.status == 0)
        let lines = show.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.allSatisfy { displayWidth($0) <= 72 })
        #expect(lines.contains("blog post · 146 views · no comments · unread"))
        #expect(show.stdout.contains("In sum, he promised to discuss with his Chair"))
        #expect(show.stdout.hasSuffix("No comments.\n"))

        let members = try agora.run(["members", "--country", "brazil"])
        #expect(members.stdout.contains("Marília Maciel"))
        #expect(members.stdout.contains("Marilia Maciel"))
        #expect(members.stdout.hasSuffix("6 members from Brazil\n"))
        let member = try agora.run(["member", "virginia-ginger-paque"])
        #expect(member.stdout.hasPrefix("Virginia (Ginger) Paque\n"))
        #expect(member.stdout.contains("Country   Venezuela (VE)"))
    }

    @Test func marks_change_what_list_shows() throws {
        defer { agora.remove() }
        let id = "itu-secretary-general-wcit"
        #expect(try agora.run(["mark", "read", id]).stdout == "Marked 1 post read.\n")
        #expect(try agora.json(["list", "--unread", "--json"]) as? [Any] != nil)
        #expect((try agora.json(["list", "--unread", "--json"]) as! [Any]).isEmpty)
        try agora.run(["mark", "star", id])
        let starred = try agora.json(["list", "--starred", "--json"]) as! [[String: Any]]
        #expect(starred.first?["id"] as? String == id)
        #expect(starred.first?["read"] as? Bool == true)
        #expect(starred.first?["starred"] as? Bool == true)
        #expect(starred.first?["views"] as? Int == 146)
        try agora.run(["mark", "unread", id])
        try agora.run(["mark", "unstar", id])
        let all = try agora.json(["list", "--json"]) as! [[String: Any]]
        #expect(all.first?["read"] as? Bool == false)
        #expect(all.first?["starred"] as? Bool == false)
    }

    @Test func mark_all_read_then_undo_restores_the_unread_post() throws {
        defer { agora.remove() }
        let marked = try agora.run(["mark-all-read"])
        #expect(marked.stdout == "Marked 1 post read (change 1). Undo with: agora undo\n")
        #expect((try agora.json(["list", "--unread", "--json"]) as! [Any]).isEmpty)
        let undone = try agora.run(["undo"])
        #expect(undone.status == 0)
        #expect(undone.stdout.contains("1 post unread again"))
        #expect((try agora.json(["list", "--unread", "--json"]) as! [Any]).count == 1)
        let again = try agora.run(["undo"])
        #expect(again.status == 1)
        #expect(again.stderr == "agora: nothing to undo\n")
        let journal = try agora.json(["undo", "--list", "--json"]) as! [[String: Any]]
        #expect(journal.first?["undone"] as? Bool == true)
    }

    @Test func searching_marilia_finds_marilia_and_marília() throws {
        defer { agora.remove() }
        let result = try agora.json(["search", "marilia", "--json"]) as! [String: Any]
        let members = (result["members"] as! [[String: Any]]).map { $0["name"] as! String }
        #expect(Set(members) == ["Marília Maciel", "Marilia Maciel"])
        let human = try agora.run(["search", "MARÍLIA"])
        #expect(human.stdout.contains("Marília Maciel") && human.stdout.contains("Marilia Maciel"))
        let posts = try agora.json(["search", "multistakeholder", "--kind", "posts", "--json"]) as! [String: Any]
        #expect((posts["posts"] as! [Any]).count == 1)
        #expect((posts["members"] as! [Any]).isEmpty)
        #expect(try agora.run(["search", "zzzz"]).stdout == "Nothing matches \"zzzz\".\n")
    }

    @Test func every_listing_command_prints_json_that_parses() throws {
        defer { agora.remove() }
        let info = try agora.json(["info", "--json"]) as! [String: Any]
        #expect(info["name"] as? String == "Diplo Internet Governance Community")
        #expect(info["members"] as? Int == 46)
        let members = try agora.json(["members", "--json"]) as! [[String: Any]]
        #expect(members.count == 46)
        #expect(Set(members[0].keys) == ["id", "name", "country", "countryCode", "role", "posts"])
        let member = try agora.json(["member", "xu-jing", "--json"]) as! [String: Any]
        #expect(member["country"] as? String == "China")
        let show = try agora.json(["show", "itu-secretary-general-wcit", "--json"]) as! [String: Any]
        #expect((show["text"] as? String)?.contains("multistakeholderism") == true)
        #expect((show["post"] as? [String: Any])?["views"] as? Int == 146)
        #expect(try agora.json(["undo", "--list", "--json"]) is [Any])
        #expect(try agora.json(["search", "xu", "--json"]) is [String: Any])
        #expect(try agora.json(["mark-all-read", "--json"]) is [String: Any])
    }

    @Test func help_lists_every_command() throws {
        defer { agora.remove() }
        let help = try agora.run(["--help"])
        #expect(help.status == 0)
        for command in ["read", "info", "list", "show", "members", "member", "mark", "mark-all-read", "undo", "search",
                        "export", "import", "sources", "sync", "themes", "config", "generate", "bench"] {
            #expect(help.stdout.contains("  \(command) "), "--help does not list \(command)")
        }
        for option in ["--cache", "--theme", "--config", "NO_COLOR"] {
            #expect(help.stdout.contains(option), "--help does not mention \(option)")
        }
    }

    @Test func columns_line_up_by_display_width_with_accents_and_cjk() throws {
        defer { agora.remove() }
        let source = agora.file("wide.json")
        let content = CacheContent(
            members: [
                Member(id: "li", name: "李明 (Li Ming)", country: "China"),
                Member(id: "marilia", name: "Marília Maciel", country: "Brazil"),
                Member(id: "hanako", name: "佐藤 花子", country: "Japan"),
                Member(id: "zoe", name: "Zoë Ångström", country: "Sweden"),
            ],
            posts: [
                Post(id: "a", title: "中文标题 with a long tail", author: "li", published: Date(timeIntervalSince1970: 1_700_000_000), views: 5),
                Post(id: "b", title: "Olá", author: "marilia", published: Date(timeIntervalSince1970: 1_700_000_100), views: 12_345),
            ])
        try CacheFile(content).write(to: source)
        let cache = agora.file("c.sqlite")
        #expect(try agora.run(["--cache", cache, "import", source]).status == 0)
        let members = try agora.run(["--cache", cache, "members"]).stdout.split(separator: "\n").map(String.init)
        let countryColumns = Set(members.dropLast().compactMap { line in
            ["COUNTRY", "China", "Brazil", "Japan", "Sweden"].lazy.compactMap { column(of: $0, in: line) }.first
        })
        #expect(countryColumns.count == 1, "\(members)")
        let list = try agora.run(["--cache", cache, "list"]).stdout.split(separator: "\n").map(String.init)
        let titleColumns = Set(list.dropLast().compactMap { line in
            ["TITLE", "中文标题", "Olá"].lazy.compactMap { column(of: $0, in: line) }.first
        })
        #expect(titleColumns.count == 1, "\(list)")
        // The flexible column is cut to the terminal's width, by columns.
        let narrow = try agora.run(["--cache", cache, "list"], environment: ["COLUMNS": "60"]).stdout.split(separator: "\n")
        #expect(narrow.dropLast().allSatisfy { displayWidth(String($0)) <= 60 }, "\(narrow)")
        #expect(narrow.contains { $0.hasSuffix("…") })
    }

    @Test func nothing_from_content_reaches_the_terminal_raw() throws {
        defer { agora.remove() }
        let source = agora.file("hostile.json")
        // Written by hand, as an attacker would: raw escapes in every field.
        let esc = "\\u001b"
        let text = """
            {"format": "agora-cache", "version": 1,
             "community": {"name": "Evil\(esc)[2J", "tagline": "\(esc)]52;c;ZXZpbA==\\u0007x"},
             "members": [{"id": "m", "name": "Mal\(esc)[31mlory\\u202e", "country": "\\u009b2JLand"}],
             "posts": [{"id": "p", "title": "Title \(esc)[2J\(esc)]52;c;ZXZpbA==\\u0007 end", "author": "m",
                        "body": "<p>body \(esc)[?1049h text</p>"}],
             "comments": [{"id": "c", "post": "p", "authorName": "x\(esc)[1m", "body": "<p>c\(esc)]0;t\\u0007</p>"}]}
            """
        _ = FileManager.default.createFile(atPath: source, contents: Data(text.utf8))
        let cache = agora.file("hostile-cache.json")
        #expect(try agora.run(["--cache", cache, "import", source]).status == 0)
        for arguments in [["info"], ["list"], ["show", "p"], ["members"], ["member", "m"], ["search", "title"], ["search", "mallory"]] {
            for target in [cache, source] {
                let result = try agora.run(["--cache", target] + arguments)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                let output = result.stdout + result.stderr
                #expect(!output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x07 || $0.value == 0x202E },
                        "\(arguments) on \(target) printed a control character")
            }
        }
        #expect(try agora.run(["--cache", cache, "list"]).stdout.contains("Title  end"))
    }

    @Test func export_and_import_carry_reader_state() throws {
        defer { agora.remove() }
        try agora.run(["mark", "star", "itu-secretary-general-wcit"])
        let exported = agora.file("out/export.json")
        try FileManager.default.createDirectory(atPath: agora.file("out"), withIntermediateDirectories: true)
        let export = try agora.run(["export", exported])
        #expect(export.status == 0)
        #expect(export.stdout.contains("1 post, 46 members and 0 comments"))
        let other = agora.file("other.sqlite")
        let imported = try agora.run(["--cache", other, "import", exported])
        #expect(imported.status == 0)
        #expect(imported.stderr == "agora: created a new cache at \(other)\n")
        #expect(imported.stdout.contains("members: 46 added, 0 updated, 0 unchanged"))
        let starred = try agora.json(["--cache", other, "list", "--starred", "--json"]) as! [Any]
        #expect(starred.count == 1)
        let again = try agora.json(["--cache", other, "import", exported, "--json"]) as! [String: Any]
        #expect((again["posts"] as! [String: Int])["unchanged"] == 1)
        // The file works as a cache by itself too.
        #expect(try agora.run(["--cache", exported, "list", "--starred"]).stdout.contains("itu-secretary-general-wcit"))
        let onto = try agora.run(["--cache", exported, "export", exported])
        #expect(onto.status == 1)
        #expect(onto.stderr.contains("is the cache itself"))
    }

    @Test func generate_writes_a_synthetic_community_and_never_overwrites() throws {
        defer { agora.remove() }
        let out = agora.file("gen.sqlite")
        let result = try agora.run(["generate", "--posts", "40", "--members", "12", "--comments", "100", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let info = try agora.json(["--cache", out, "info", "--json"]) as! [String: Any]
        #expect(info["posts"] as? Int == 40)
        #expect(info["members"] as? Int == 12)
        #expect(info["comments"] as? Int == 100)
        #expect((info["name"] as? String)?.contains("Synthetic") == true)
        let before = FileManager.default.contents(atPath: out)
        let again = try agora.run(["generate", "--posts", "1", "--out", out])
        #expect(again.status == 1)
        #expect(again.stderr == "agora: \(out) already exists; remove it or choose another path\n")
        #expect(FileManager.default.contents(atPath: out) == before)
    }
}
