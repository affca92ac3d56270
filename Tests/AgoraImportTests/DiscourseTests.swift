@testable import AgoraImport
import AgoraKit
import Foundation
import Testing

/// Discourse's JSON as Agora's records: the recorded responses of real forums beside the
/// checkout, and a topic written here with what they lack (threads, a whisper, a small action).
@Suite("Discourse JSON")
struct DiscourseTests {
    static let folder: URL = Fixtures.discourse


    static func json(_ name: String) throws -> JSONValue {
        try JSONValue(parsing: Data(contentsOf: folder.appendingPathComponent(name)))
    }

    let site = Discourse.Site("https://meta.example.org/")!

    @Test
    func a_recorded_topic_becomes_a_post_with_its_replies_as_comments() throws {
        let topic = try #require(Discourse.topic(try Self.json("topic.json"), site: site, categories: [13: "Sandbox"]))
        #expect(topic.post.id == "discourse:meta-example-org:t57")
        #expect(topic.post.title == "THIS SITE IS A SANDBOX -- it is reset every day")
        #expect(topic.post.views == 268)
        #expect(topic.post.category == "Sandbox")
        #expect(topic.post.kind == .discussion)
        #expect(topic.post.author == "discourse:meta-example-org:u:samsaffron")
        #expect(topic.post.authorName == "Sam Saffron")
        #expect(topic.post.published == ISODate.parse("2013-02-04T20:26:25.977Z"))
        #expect(topic.post.link == "https://meta.example.org/t/this-site-is-a-sandbox-it-is-reset-every-day/57")
        #expect(!topic.post.body.isEmpty)
        #expect(topic.comments.count == 3, "the other three posts of the first page")
        #expect(topic.comments.allSatisfy { $0.post == topic.post.id && $0.id.rawValue.hasPrefix("discourse:meta-example-org:p") })
        #expect(topic.authors.contains { $0.id == "discourse:meta-example-org:u:samsaffron" && $0.name == "Sam Saffron" })
        // And it goes into a cache as any content does, twice without doubling.
        let store = try JSONStore(path: NSTemporaryDirectory() + "discourse-\(UUID().uuidString).json")
        let content = CacheContent(sources: [Source(id: site.sourceID, kind: .feed, name: "Meta", location: site.base.absoluteString)],
                                   members: topic.authors, posts: [topic.post], comments: topic.comments)
        try store.importContent(content)
        let again = try store.importContent(content)
        #expect(again.posts.unchanged == 1 && again.comments.unchanged == 3)
        #expect(try store.post(topic.post.id).comments.count == 3)
    }

    @Test
    func recorded_members_and_the_latest_list_are_read() throws {
        let user = try #require(Discourse.member(try Self.json("user.json"), site: site))
        #expect(user.id.rawValue.hasPrefix("discourse:meta-example-org:u:"))
        #expect(!user.name.isEmpty)
        let latest = Discourse.latest(try Self.json("latest.json"))
        #expect(!latest.topics.isEmpty)
        #expect(latest.topics.allSatisfy { $0.id > 0 })
    }

    @Test func replies_thread_and_what_is_not_a_persons_post_is_said_as_what_it_is() throws {
        let json = try #require(JSONSerialization.jsonObject(with: Data(#"""
            {"id": 7, "title": "Kiswahili & ICANN", "slug": "kiswahili-icann", "views": 12, "created_at": "2024-05-01T10:00:00.000+03:00",
             "category_id": 2, "tags": ["dns", {"id": 1, "name": "idn", "slug": "idn"}],
             "post_stream": {"posts": [
               {"id": 70, "post_number": 1, "username": "amina", "name": "Amina Hassan", "post_type": 1, "created_at": "2024-05-01T10:00:00.000+03:00",
                "cooked": "<p>See <a href=\"/t/other/3\">this</a> and <img src=\"/uploads/a.png\" alt=\"map\"></p>", "reply_to_post_number": null},
               {"id": 71, "post_number": 2, "username": "li", "name": "", "post_type": 1, "created_at": "2024-05-01T11:00:00.000+03:00",
                "cooked": "<p>Agreed.</p>", "reply_to_post_number": 1},
               {"id": 72, "post_number": 3, "username": "amina", "name": "Amina Hassan", "post_type": 1, "created_at": "2024-05-01T12:00:00.000+03:00",
                "cooked": "<p>Thanks, Li.</p>", "reply_to_post_number": 2},
               {"id": 73, "post_number": 4, "username": "mod", "name": "Mod", "post_type": 4, "cooked": "<p>whisper</p>"},
               {"id": 74, "post_number": 5, "username": "x", "post_type": 1, "hidden": true, "cooked": "<p>spam</p>"},
               {"id": 75, "post_number": 6, "username": "y", "post_type": 1, "deleted_at": "2024-05-02T00:00:00Z", "cooked": ""},
               {"id": 76, "post_number": 7, "username": "mod", "name": "Mod", "post_type": 3, "action_code": "closed.enabled",
                "created_at": "2024-05-03T00:00:00.000Z", "cooked": ""}
             ]}}
            """#.utf8)) as? [String: Any])
        let topic = try #require(Discourse.topic(json, site: site, categories: [2: "Policy"]))
        #expect(topic.leftOut == 3, "the whisper, the hidden post and the deleted one")
        #expect(topic.comments.map(\.id.rawValue) == ["discourse:meta-example-org:p71", "discourse:meta-example-org:p72", "discourse:meta-example-org:p76"])
        #expect(topic.comments[0].parent == nil, "an answer to the topic itself")
        #expect(topic.comments[1].parent == "discourse:meta-example-org:p71")
        #expect(topic.comments[0].authorName == "li", "no display name: the username")
        #expect(topic.comments[2].author == nil && topic.comments[2].body.contains("Mod: closed this topic"))
        #expect(topic.post.tags == ["dns", "idn"])
        #expect(topic.post.body.contains("href=\"https://meta.example.org/t/other/3\""))
        #expect(topic.post.body.contains("src=\"https://meta.example.org/uploads/a.png\""))
        // Whoever wrote what was kept is a member (the moderator of the small action too).
        #expect(Set(topic.authors.map(\.id.rawValue)) == ["discourse:meta-example-org:u:amina", "discourse:meta-example-org:u:li", "discourse:meta-example-org:u:mod"])
    }

    @Test func a_location_names_a_country_only_when_it_is_plain() {
        #expect(Countries.named(in: "Nairobi, Kenya") == "Kenya")
        #expect(Countries.named(in: "brazil") == "Brazil")
        #expect(Countries.named(in: " Nairobi ,  Kenya ") == "Kenya")
        #expect(Countries.named(in: "Kenya,") == "Kenya")
        #expect(Countries.named(in: "Lagos, Nigeria, West Africa") == nil)
        #expect(Countries.named(in: ",,") == nil && Countries.named(in: "") == nil)
        #expect(Countries.named(in: "Côte d’Ivoire") != nil)
        #expect(Countries.named(in: "EU") == nil)
        #expect(Countries.named(in: "somewhere nice") == nil)
    }

    @Test func a_forum_in_a_folder_keeps_it_in_topic_links_and_a_slug_cannot_leave_the_topic() throws {
        let folderSite = try #require(Discourse.Site("http://forum.example.org/forum/"))
        let json: [String: Any] = ["id": 5, "title": "T", "slug": "../../admin?x=1#y", "post_stream": ["posts": [
            ["id": 50, "post_number": 1, "username": "ana", "cooked": "<p>First</p>", "created_at": "2024-01-01T00:00:00Z"],
            ["id": 51, "post_number": 2, "username": "bo", "cooked": "<p>Second</p>", "created_at": "2024-01-02T00:00:00Z"],
        ]]]
        let topic = try #require(Discourse.topic(json, site: folderSite))
        #expect(topic.post.link == "http://forum.example.org/forum/t/%2E%2E%2F%2E%2E%2Fadmin%3Fx%3D1%23y/5")
        #expect(topic.comments.first?.link == "http://forum.example.org/forum/t/%2E%2E%2F%2E%2E%2Fadmin%3Fx%3D1%23y/5/2")
        let plain = try #require(Discourse.topic(["id": 6, "title": "U", "slug": "remote-hubs", "post_stream": ["posts": []]], site: site))
        #expect(plain.post.link == "https://meta.example.org/t/remote-hubs/6")
    }

    @Test func a_quote_of_a_member_the_topic_knows_carries_their_name() throws {
        let json: [String: Any] = ["id": 101, "title": "Remote hubs", "slug": "remote-hubs", "post_stream": ["posts": [
            ["id": 1, "post_number": 1, "username": "wanjiru", "name": "Wanjiru Kamau", "cooked": "<p>Hubs</p>", "created_at": "2024-01-01T00:00:00Z"],
            ["id": 2, "post_number": 2, "username": "bo", "name": "Bo", "created_at": "2024-01-02T00:00:00Z",
             "cooked": #"<aside class="quote" data-username="wanjiru" data-post="1"><div class="title"> wanjiru:</div><blockquote><p>Hubs</p></blockquote></aside>"#],
        ]]]
        let topic = try #require(Discourse.topic(json, site: site))
        #expect(topic.comments.first?.body.contains(#"data-username="wanjiru" data-full-name="Wanjiru Kamau""#) == true, "\(topic.comments.first?.body ?? "")")
    }

    @Test func each_quote_is_named_and_the_rest_of_the_body_kept() {
        let names = ["wanjiru": "Wanjiru \"W\" Kamau", "bo": "Bo Li"]
        let html = #"<p>é</p><aside data-username="Wanjiru">a</aside><aside data-username="nobody">b</aside><aside data-username="bo">c</aside>"#
        #expect(Discourse.namedQuotes(html, names: names) == #"<p>é</p><aside data-username="Wanjiru" data-full-name="Wanjiru &quot;W&quot; Kamau">a</aside>"#
            + #"<aside data-username="nobody">b</aside><aside data-username="bo" data-full-name="Bo Li">c</aside>"#)
        let nothing = #"<aside data-username="nobody">b</aside><p data-username="unclosed"#
        #expect(Discourse.namedQuotes(nothing, names: names) == nothing)
        #expect(Discourse.namedQuotes("", names: names) == "")
    }

    @Test func an_avatar_template_is_asked_at_120_pixels() {
        #expect(Discourse.sized("/user_avatar/host/sam/{size}/1_2.png") == "/user_avatar/host/sam/120/1_2.png")
        #expect(Discourse.sized("/a/{size}/b/{size}") == "/a/120/b/120")
        #expect(Discourse.sized("/plain.png") == "/plain.png")
        #expect(Discourse.sized("/é/{size}") == "/é/120")
    }
}
