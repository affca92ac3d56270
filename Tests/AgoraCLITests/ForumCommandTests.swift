import AgoraImport
import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// `agora sources add` and `agora sync` against the test forum, as a person runs them.
@Suite("Forums from the command line")
struct ForumCommandTests {
    @Test func sources_add_tells_a_forum_from_a_feed_and_sync_mirrors_it() throws {
        let forum = try TestForum.generated(topics: 35, posts: 120, users: 12).start()
        defer { forum.stop() }
        let agora = AgoraBinary()
        defer { agora.remove() }
        let cache = agora.file("c.sqlite")
        let added = try agora.run(["--cache", cache, "sources", "add", forum.baseURL, "--max-topics", "20"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("Found a Discourse forum (A test forum). Added discourse:127-0-0-1."))
        let sources = try #require(try agora.json(["--cache", cache, "sources", "--json"]) as? [[String: Any]])
        #expect(sources.first?["kind"] as? String == "discourse")
        #expect((sources.first?["forum"] as? [String: Any])?["maxTopics"] as? Int == 20)
        let synced = try #require(try agora.json(["--cache", cache, "sync", "--json", "--rate", "0"]) as? [[String: Any]])
        #expect(synced.first?["status"] as? String == "updated")
        #expect(synced.first?["added"] as? Int == 20)
        #expect((synced.first?["requests"] as? Int ?? 0) > 20)
        let again = try #require(try agora.json(["--cache", cache, "sync", "--json"]) as? [[String: Any]])
        #expect((again.first?["requests"] as? Int ?? 99) <= 3)
        // The same address as a feed, by the user's word.
        let feed = try agora.run(["--cache", cache, "sources", "add", forum.baseURL + "/latest.rss"])
        #expect(feed.stdout.contains("Not a Discourse forum: taken for a feed."), "\(feed.stdout)\(feed.stderr)")
        let forced = try agora.run(["--cache", cache, "sources", "add", "--kind", "feed", forum.baseURL + "/latest.rss"])
        #expect(forced.stdout.contains("is already a source"))
    }

    @Test func a_forum_that_needs_a_login_and_its_key_file() throws {
        let forum = TestForum.generated(topics: 4, posts: 8, users: 3)
        forum.requiredKey = "very-secret-4411"
        _ = try forum.start()
        defer { forum.stop() }
        let agora = AgoraBinary()
        defer { agora.remove() }
        let cache = agora.file("c.sqlite")
        let refused = try agora.run(["--cache", cache, "sources", "add", forum.baseURL])
        #expect(refused.status == 1)
        #expect(refused.stderr == "agora: \(forum.baseURL): a Discourse forum that needs a login; give a key with --api-key-file FILE\n")
        let key = agora.file("forum.key")
        try "User-Api-Key: very-secret-4411\n".write(toFile: key, atomically: true, encoding: .utf8)
        chmod(key, 0o640)
        let open = try agora.run(["--cache", cache, "sources", "add", forum.baseURL, "--api-key-file", key])
        #expect(open.status == 1)
        #expect(open.stderr.contains("a key file must be readable by you alone (its mode is 640; run `chmod 600 \(key)`)"))
        chmod(key, 0o600)
        var outputs = [refused, open]
        let added = try agora.run(["--cache", cache, "sources", "add", forum.baseURL, "--api-key-file", key])
        #expect(added.status == 0, "\(added.stderr)")
        let synced = try agora.run(["--cache", cache, "sync"])
        #expect(synced.status == 0, "\(synced.stderr)")
        outputs += [added, synced, try agora.run(["--cache", cache, "sources"]), try agora.run(["--cache", cache, "sources", "--json"]),
                    try agora.run(["--cache", cache, "list"])]
        for output in outputs { #expect(!(output.stdout + output.stderr).contains("very-secret"), "\(output.stdout)") }
        for name in try FileManager.default.contentsOfDirectory(atPath: agora.home) where name != "forum.key" {
            guard let bytes = FileManager.default.contents(atPath: agora.file(name)) else { continue }
            #expect(bytes.range(of: Data("very-secret-4411".utf8)) == nil, "\(name) holds the key")
        }
        #expect(forum.requests().contains { $0.headers["user-api-key"] == "very-secret-4411" })
    }

    @Test func forum_options_are_checked_before_anything_is_asked() throws {
        let agora = AgoraBinary()
        defer { agora.remove() }
        let bad = try agora.run(["sources", "add", "http://127.0.0.1:1", "--since", "last week"])
        #expect(bad.status == 64 || bad.status == 2)
        #expect(bad.stderr.contains("--since must be a day written YYYY-MM-DD, not 'last week'"))
        let notForum = try agora.run(["--cache", agora.file("c.sqlite"), "sources", "add", "--kind", "feed", "http://127.0.0.1:1/x.rss",
                                      "--categories", "a"])
        #expect(notForum.stderr.contains("is not a Discourse forum: --categories"))
    }
}

