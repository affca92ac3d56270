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
        #expect(added.stdout.contains("Found a Discourse forum (A test forum). Added discourse:127-0-0-1-\(forum.server.port)."), "\(added.stdout)")
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

    @Test func two_forums_on_one_host_are_two_sources_and_each_keeps_its_own_key() throws {
        // Given two forums on 127.0.0.1, on two ports, the second asking for a key
        let first = try TestForum.generated(topics: 3, posts: 6, users: 3).start()
        defer { first.stop() }
        let secondForum = TestForum.generated(topics: 3, posts: 6, users: 3, seed: 9)
        secondForum.requiredKey = "second-forum-key"
        let second = try secondForum.start()
        defer { second.stop() }
        let agora = AgoraBinary()
        defer { agora.remove() }
        let cache = agora.file("c.sqlite")
        let key = agora.file("second.key")
        try "User-Api-Key: second-forum-key\n".write(toFile: key, atomically: true, encoding: .utf8)
        chmod(key, 0o600)

        // When both are added, the second with its key
        #expect(try agora.run(["--cache", cache, "sources", "add", first.baseURL]).status == 0)
        let added = try agora.run(["--cache", cache, "sources", "add", second.baseURL, "--api-key-file", key])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(!added.stdout.contains("already a source"), "\(added.stdout)")

        // Then there are two sources, the key is the second's alone, and each forum is mirrored
        let sources = try #require(try agora.json(["--cache", cache, "sources", "--json"]) as? [[String: Any]])
        #expect(sources.count == 2)
        let byLocation = Dictionary(uniqueKeysWithValues: sources.map { ($0["location"] as? String ?? "", $0) })
        #expect((byLocation[first.baseURL]?["forum"] as? [String: Any])?["keyFile"] == nil)
        #expect((byLocation[second.baseURL]?["forum"] as? [String: Any])?["keyFile"] as? String == key)
        #expect(try agora.run(["--cache", cache, "sync", "--rate", "0"]).status == 0)
        #expect(first.requests().allSatisfy { $0.headers["user-api-key"] == nil }, "the second forum's key went to the first")
        #expect(second.requests("/latest.json").contains { $0.headers["user-api-key"] == "second-forum-key" })
        #expect(try agora.run(["--cache", cache, "list", "--json", "--limit", "100"]).stdout.components(separatedBy: "\"id\" :").count - 1 == 6)
        // The same forum again is the same source.
        let again = try agora.run(["--cache", cache, "sources", "add", first.baseURL + "/"])
        #expect(again.stdout.contains("is already a source"), "\(again.stdout)")
    }

    @Test func sources_whose_addresses_slug_alike_get_ids_of_their_own() {
        let a = Source(id: "feed:forum-example-org-feed", kind: .feed, name: "A", location: "https://forum.example.org/feed")
        let id = Source.newID(preferred: "feed:forum-example-org-feed", location: "https://forum-example.org/feed", among: [a])
        #expect(id != a.id)
        #expect(id.rawValue.hasPrefix("feed:forum-example-org-feed-"))
        #expect(Source.newID(preferred: "feed:x", location: "https://x/", among: [a]) == "feed:x")
        #expect(Source.identity(ofLocation: "HTTPS://Forum.Example.org:443/t/") == Source.identity(ofLocation: "https://forum.example.org/t"))
        #expect(Source.identity(ofLocation: "http://127.0.0.1:8001/") != Source.identity(ofLocation: "http://127.0.0.1:8002/"))
    }

    @Test func a_shared_file_cannot_send_the_users_key_to_its_own_server() throws {
        // Given the user's forum, added with their key, and another server
        let own = TestForum.generated(topics: 3, posts: 6, users: 3)
        own.requiredKey = "users-own-key"
        _ = try own.start()
        defer { own.stop() }
        let stranger = try TestForum.generated(topics: 3, posts: 6, users: 3, seed: 3).start()
        defer { stranger.stop() }
        let agora = AgoraBinary()
        defer { agora.remove() }
        let cache = agora.file("c.sqlite")
        let key = agora.file("forum.key")
        try "User-Api-Key: users-own-key\n".write(toFile: key, atomically: true, encoding: .utf8)
        chmod(key, 0o600)
        #expect(try agora.run(["--cache", cache, "sources", "add", own.baseURL, "--api-key-file", key]).status == 0)
        let ownID = try #require((try agora.json(["--cache", cache, "sources", "--json"]) as? [[String: Any]])?.first?["id"] as? String)

        // When a file from elsewhere names the stranger's server with the user's key file, once
        // as a new source and once under the id of the user's own forum,
        func shared(_ id: String) throws -> String {
            let file = agora.file("shared-\(id.count).json")
            let json: [String: Any] = ["format": "agora-cache", "version": 1, "sources": [[
                "id": id, "kind": "discourse", "name": "Shared", "location": stranger.baseURL, "forum": ["keyFile": key],
            ]]]
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: file))
            return file
        }
        let imported = try agora.run(["--cache", cache, "import", try shared("discourse:elsewhere")])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("sources added (`agora sync` will fetch them): discourse:elsewhere (\(stranger.baseURL))"), "\(imported.stdout)")
        #expect(imported.stdout.contains("1 forum key file left out"), "\(imported.stdout)")
        let repoint = try agora.run(["--cache", cache, "import", try shared(ownID)])
        #expect(repoint.stdout.contains("1 source already in the cache kept as it is"), "\(repoint.stdout)")
        #expect(try agora.run(["--cache", cache, "sync", "--rate", "0"]).status == 0)
        // and when the shared file is opened as the cache itself,
        let asCache = try shared("discourse:opened")
        let opened = try agora.run(["--cache", asCache, "sync", "--rate", "0"])
        #expect(opened.status == 1)
        #expect(opened.stdout.contains("was not given for this forum on this machine"), "\(opened.stdout)\(opened.stderr)")

        // Then the key reached the user's own forum only
        #expect(stranger.requests().allSatisfy { $0.headers["user-api-key"] == nil }, "the user's key reached another server")
        #expect(own.requests("/latest.json").contains { $0.headers["user-api-key"] == "users-own-key" })
        let sources = try #require(try agora.json(["--cache", cache, "sources", "--json"]) as? [[String: Any]])
        #expect(sources.first { $0["id"] as? String == ownID }?["location"] as? String == own.baseURL, "the user's source was repointed")
    }

    @Test func an_unknown_category_is_said_when_the_forum_is_added() throws {
        let forum = try TestForum.generated(topics: 3, posts: 6, users: 3).start()
        defer { forum.stop() }
        let agora = AgoraBinary()
        defer { agora.remove() }
        let cache = agora.file("c.sqlite")
        let refused = try agora.run(["--cache", cache, "sources", "add", forum.baseURL, "--categories", "Policy,Nope"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("no category 'Nope' (the forum has: Announcements, Café, Capacity Building, Policy)"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cache), "a refused add leaves no cache behind")
        let added = try agora.run(["--cache", cache, "sources", "add", forum.baseURL, "--categories", "policy,cafe"])
        #expect(added.status == 0, "\(added.stderr)")
    }
}
