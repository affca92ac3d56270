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
}
