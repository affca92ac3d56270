import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

@Suite("agora import of a mailing list's archive")
struct MailCommandTests {
    static func month(_ messages: [(id: String, parent: String?, subject: String, day: Int)]) -> String {
        messages.map { m in
            """
            From ana at example.org  Mon Mar \(m.day) 10:00:00 2014
            From: ana at example.org (Ana Lima)
            Date: Mon, \(m.day) Mar 2014 10:00:00 +0000
            Subject: [Gov] \(m.subject)
            Message-ID: <\(m.id)@example.org>
            \(m.parent.map { "In-Reply-To: <\($0)@example.org>\nReferences: <\($0)@example.org>\n" } ?? "")
            Text of \(m.id).

            """
        }.joined(separator: "\n")
    }

    /// Months given as several files are one list, the same one as their folder imported whole;
    /// anything but a list's file among them is refused before a cache is made.
    @Test func several_months_given_as_files_are_one_list_the_same_as_their_folder() throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let folder = agora.file("gov")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let march = folder + "/2014-March.txt", april = folder + "/2014-April.txt"
        try Data(Self.month([("a", nil, "Remote hubs", 3)]).utf8).write(to: URL(fileURLWithPath: march))
        try Data(Self.month([("b", "a", "Re: Remote hubs", 4), ("c", nil, "Agenda", 5)]).utf8).write(to: URL(fileURLWithPath: april))
        let cache = agora.file("c.sqlite")
        // A feed among them: refused, naming it, and no cache is made.
        let feed = agora.file("feed.xml")
        try "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>F</title></channel></rss>".write(toFile: feed, atomically: true, encoding: .utf8)
        let refused = try agora.run(["--cache", cache, "import", march, feed])
        #expect(refused.status != 0 && refused.stderr.contains("feed.xml: not a mailing list's file"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cache))
        let feedFirst = try agora.run(["--cache", cache, "import", feed, march])
        #expect(feedFirst.status != 0 && feedFirst.stderr.contains("several paths are one import only for a mailing list's files"), "\(feedFirst.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cache))
        let several = try agora.run(["--cache", cache, "import", march, april])
        #expect(several.status == 0, "\(several.stderr)")
        #expect(several.stdout.contains("and 1 more") && several.stdout.contains("posts: 2 added") && several.stdout.contains("comments: 1 added"),
                "\(several.stdout)")
        let posts = try #require(try agora.json(["--cache", cache, "list", "--json"]) as? [[String: Any]])
        #expect(posts.first { $0["title"] as? String == "Remote hubs" }?["comments"] as? Int == 1, "April's reply is on March's thread")
        // The folder imported whole is the same list: nothing new, one source.
        let whole = try agora.run(["--cache", cache, "import", folder])
        #expect(whole.stdout.contains("posts: 0 added, 0 updated, 2 unchanged"), "\(whole.stdout)")
        let sources = try #require(try agora.json(["--cache", cache, "sources", "--json"]) as? [[String: Any]])
        #expect(sources.count == 1)
    }

    @Test func a_folder_of_months_is_one_list_whose_threads_cross_months_and_gzip_is_read_by_content() throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let folder = agora.file("gov")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(Self.month([("a", nil, "Remote hubs", 3), ("b", "a", "Re: Remote hubs", 4)]).utf8)
            .write(to: URL(fileURLWithPath: folder + "/2014-March.txt"))
        // The next month, gzip'd, under a name that says nothing: a reply to March's thread.
        try Deflate.gzip(Data(Self.month([("c", "b", "Re: Remote hubs", 5), ("d", nil, "Agenda", 6)]).utf8))
            .write(to: URL(fileURLWithPath: folder + "/next"))
        let cache = agora.file("c.sqlite")
        let imported = try agora.run(["--cache", cache, "import", folder])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("posts: 2 added") && imported.stdout.contains("comments: 2 added") && imported.stdout.contains("members: 1 added"),
                "\(imported.stdout)")
        let posts = try #require(try agora.json(["--cache", cache, "list", "--json"]) as? [[String: Any]])
        #expect(posts.compactMap { $0["title"] as? String }.sorted() == ["Agenda", "Remote hubs"])
        #expect(posts.first { $0["title"] as? String == "Remote hubs" }?["comments"] as? Int == 2)
        let sources = try #require(try agora.json(["--cache", cache, "sources", "--json"]) as? [[String: Any]])
        #expect(sources.first?["kind"] as? String == "mailing-list" && sources.first?["name"] as? String == "Gov")
        // Again: the same messages are the same posts.
        let again = try agora.run(["--cache", cache, "import", folder])
        #expect(again.stdout.contains("posts: 0 added, 0 updated, 2 unchanged"), "\(again.stdout)")
        // --format names it.
        #expect(try agora.run(["--cache", agora.file("d.sqlite"), "import", "--format", "mbox", folder + "/next"]).status == 0)
    }

    @Test func a_maildirs_seen_and_flagged_and_an_mbox_status_become_read_and_starred() throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let maildir = agora.file("Maildir")
        for folder in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: maildir + "/" + folder, withIntermediateDirectories: true)
        }
        func message(_ id: String, _ parent: String?, _ subject: String) -> Data {
            Data(("From: Ana Lima <ana@example.org>\nDate: Mon, 3 Mar 2014 10:00:0\(id.count) +0000\nSubject: \(subject)\nMessage-ID: <\(id)@x>\n"
                + (parent.map { "In-Reply-To: <\($0)@x>\n" } ?? "") + "\nText.\n").utf8)
        }
        try message("a", nil, "Seen and flagged").write(to: URL(fileURLWithPath: maildir + "/cur/1.host:2,FS"))
        try message("b", nil, "Seen").write(to: URL(fileURLWithPath: maildir + "/cur/2.host:2,S"))
        try message("c", nil, "New").write(to: URL(fileURLWithPath: maildir + "/new/3.host"))
        try message("dd", "c", "Re: New").write(to: URL(fileURLWithPath: maildir + "/cur/4.host:2,FS"))
        let cache = agora.file("m.sqlite")
        let imported = try agora.run(["--cache", cache, "import", maildir])
        #expect(imported.status == 0, "\(imported.stderr)")
        let posts = try #require(try agora.json(["--cache", cache, "list", "--json"]) as? [[String: Any]])
        func post(_ title: String) -> [String: Any]? { posts.first { $0["title"] as? String == title } }
        #expect(post("Seen and flagged")?["read"] as? Bool == true && post("Seen and flagged")?["starred"] as? Bool == true)
        #expect(post("Seen")?["read"] as? Bool == true && post("Seen")?["starred"] as? Bool == false)
        // Unread in new/; its flagged reply stars the thread.
        #expect(post("New")?["read"] as? Bool == false && post("New")?["starred"] as? Bool == true)

        // An mbox says the same with Status (R) and X-Status (F).
        let mbox = agora.file("list.mbox")
        try Data("""
            From ana Mon Mar  3 10:00:00 2014
            From: ana@example.org
            Subject: Read one
            Message-ID: <r@x>
            Status: RO
            X-Status: F

            Text.

            From ana Mon Mar  3 10:00:00 2014
            From: ana@example.org
            Subject: Unread one
            Message-ID: <u@x>
            Status: O

            Text.

            """.utf8).write(to: URL(fileURLWithPath: mbox))
        let other = agora.file("o.sqlite")
        #expect(try agora.run(["--cache", other, "import", mbox]).status == 0)
        let listed = try #require(try agora.json(["--cache", other, "list", "--json"]) as? [[String: Any]])
        #expect(listed.first { $0["title"] as? String == "Read one" }?["read"] as? Bool == true)
        #expect(listed.first { $0["title"] as? String == "Read one" }?["starred"] as? Bool == true)
        #expect(listed.first { $0["title"] as? String == "Unread one" }?["read"] as? Bool == false)
    }
}
