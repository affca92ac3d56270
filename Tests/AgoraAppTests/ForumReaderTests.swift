import AgoraApp
import AgoraKit
import AgoraTUI
import Foundation
import Testing
import TerminalCore

/// A forum's posts in the reader: a mention is a member of the cache, and following it opens
/// their profile here instead of the forum's page.
@Suite("Forum posts in the reader")
struct ForumReaderTests {
    static func content() -> CacheContent {
        let source = Source(id: "discourse:f-example-org", kind: .discourse, name: "F", location: "https://f.example.org")
        let sam = Member(id: "discourse:f-example-org:u:sam", name: "Sam Saffron", location: "Sydney, Australia")
        let kim = Member(id: "discourse:f-example-org:u:kim", name: "Kim Lee")
        let post = Post(id: "discourse:f-example-org:t1", source: source.id, kind: .discussion, title: "Welcome", author: kim.id,
                        published: ISODate.parse("2024-01-01T00:00:00Z"), views: 12, likes: 3,
                        body: "<p>Thanks <a class=\"mention\" href=\"https://f.example.org/u/Sam\">@Sam</a>, see "
                            + "<a href=\"https://example.com/notes\">the notes</a>.</p>")
        return CacheContent(community: Community(name: "F"), sources: [source], members: [sam, kim], posts: [post])
    }

    @Test func following_a_mention_opens_the_members_profile_and_back_returns() throws {
        let reader = try Harness(width: 120, height: 40, content: Self.content())
        reader.press(.enter)
        guard case .article = reader.state.detail else { Issue.record("no article"); return }
        #expect(reader.screen.contains("12 views") && reader.screen.contains("3 likes"))
        reader.press(.character("o"), .character("1"))
        guard case .profile(let profile) = reader.state.detail else { Issue.record("the mention did not open a profile"); return }
        #expect(profile.profile.member.name == "Sam Saffron")
        #expect(reader.opened.isEmpty, "no browser for a member of the cache")
        reader.press(.escape)
        guard case .article = reader.state.detail else { Issue.record("Esc did not come back to the article"); return }
        // Any other link goes to the browser as before.
        reader.press(.character("o"), .character("2"))
        #expect(reader.opened == ["https://example.com/notes"])
    }

    @Test func a_profile_link_of_a_forum_not_in_the_cache_is_only_a_link() {
        let sources = Self.content().sources
        #expect(Source.member(linkedBy: "https://f.example.org/u/Sam/summary", among: sources) == "discourse:f-example-org:u:sam")
        #expect(Source.member(linkedBy: "https://other.example.org/u/Sam", among: sources) == nil)
        #expect(Source.member(linkedBy: "https://f.example.org/t/welcome/1", among: sources) == nil)
        #expect(Source.member(linkedBy: "https://f.example.org/u/", among: sources) == nil)
    }

    @Test func replies_that_arrive_show_in_the_open_post_where_the_reader_is() throws {
        let reader = try Harness(width: 80, height: 24, content: Self.content())
        reader.press(.enter)
        guard case .article(let before) = reader.state.detail else { Issue.record("no article"); return }
        #expect(before.document.detail.commentCount == 0)
        reader.press(.character("j"))
        let scroll = { () -> Int in if case .article(let a) = reader.state.detail { return a.scroll } else { return -1 } }
        let at = scroll()
        // A sync (or another process) writes a reply; the reader's refresh reloads the open post.
        try reader.store.importContent(CacheContent(comments: [
            Comment(id: "discourse:f-example-org:p9", post: "discourse:f-example-org:t1", author: "discourse:f-example-org:u:sam",
                    published: ISODate.parse("2024-01-02T00:00:00Z"), body: "<p>Glad to be here</p>"),
        ]))
        reader.runner.settle(&reader.state, reader.state.update(.refresh))
        guard case .article(let after) = reader.state.detail else { Issue.record("the article closed"); return }
        #expect(after.document.detail.commentCount == 1)
        #expect(scroll() == at)
        #expect(reader.screen.contains("Glad to be here") || after.document.lines.contains { $0.text.contains("Glad to be here") })
        // New: marked N and left unread, through later refreshes, until the post is opened again.
        let marked = { () -> Bool in
            guard case .article(let a) = reader.state.detail else { return false }
            return a.document.lines.contains { $0.text.contains("N ") && $0.text.contains("Sam Saffron") }
        }
        #expect(marked(), "the reply that came in is marked new")
        #expect(try reader.store.post("discourse:f-example-org:t1").comments.allSatisfy { !$0.state.read })
        reader.runner.settle(&reader.state, reader.state.update(.refresh))
        #expect(marked(), "a second refresh keeps the mark")
        #expect(try reader.store.post("discourse:f-example-org:t1").comments.allSatisfy { !$0.state.read })
        reader.press(.escape, .enter)
        #expect(marked(), "opened again: shown as new this once")
        #expect(try reader.store.post("discourse:f-example-org:t1").comments.allSatisfy(\.state.read), "and now read")
    }

    @Test func o_then_0_or_Enter_opens_the_posts_own_page() throws {
        var content = Self.content()
        content.posts[0].link = "https://f.example.org/t/welcome/1"
        let reader = try Harness(width: 120, height: 40, content: content)
        reader.press(.enter, .character("o"), .character("0"))
        #expect(reader.opened == ["https://f.example.org/t/welcome/1"])
        reader.press(.character("o"), .enter)
        #expect(reader.opened.count == 2 && reader.opened.last == "https://f.example.org/t/welcome/1")
        var plain = Self.content()
        plain.posts[0].link = nil
        let other = try Harness(width: 120, height: 40, content: plain)
        other.press(.enter, .character("o"), .character("0"))
        #expect(other.opened.isEmpty)
        #expect(other.state.message == "This post has no web address of its own.")
    }

    @Test func control_r_syncs_the_open_posts_own_feed_or_forum() throws {
        let reader = try Harness(width: 120, height: 40, content: Self.content())
        #expect(reader.state.handle(.key(.control("r"))).isEmpty)
        #expect(reader.state.message == "Open a post first: C-r brings its feed or forum up to date.")
        reader.press(.enter)
        #expect(reader.state.handle(.key(.control("r"))) == [.sync("discourse:f-example-org")])
        #expect(reader.state.handle(.key(.character("R"))) == [.sync()])
        let sample = try Harness(width: 120, height: 40)
        sample.press(.enter)
        #expect(sample.state.handle(.key(.control("r"))).isEmpty)
        #expect(sample.state.message == "This post is not from a feed or a forum: R syncs every source.")
    }

    @Test func a_link_to_a_topic_in_the_cache_opens_it_in_the_reader() throws {
        var content = Self.content()
        content.posts[0].body = #"<p>See <a href="https://f.example.org/t/remote-hubs/2/3">remote hubs</a> and <a href="https://f.example.org/t/gone/99">a topic not here</a>.</p>"#
        content.posts.append(Post(id: "discourse:f-example-org:t2", source: "discourse:f-example-org", kind: .discussion, title: "Remote hubs",
                                  published: ISODate.parse("2023-12-01T00:00:00Z"), body: "<p>Hubs everywhere</p>",
                                  link: "https://f.example.org/t/remote-hubs/2"))
        let reader = try Harness(width: 120, height: 40, content: content)
        reader.press(.enter)
        guard case .article(let first) = reader.state.detail, first.id == "discourse:f-example-org:t1" else { Issue.record("no article"); return }
        reader.press(.character("o"), .character("1"))
        guard case .article(let linked) = reader.state.detail else { Issue.record("the topic did not open"); return }
        #expect(linked.id == "discourse:f-example-org:t2")
        #expect(reader.opened.isEmpty, "no browser for a topic of the cache")
        reader.press(.escape)
        guard case .article(let back) = reader.state.detail else { Issue.record("Esc did not come back"); return }
        #expect(back.id == "discourse:f-example-org:t1")
        // A topic the cache does not have goes to the browser.
        reader.press(.character("o"), .character("2"))
        #expect(reader.opened == ["https://f.example.org/t/gone/99"])
        #expect(Source.post(linkedBy: "https://f.example.org/t/5", among: content.sources) == "discourse:f-example-org:t5")
        #expect(Source.post(linkedBy: "https://f.example.org/u/sam", among: content.sources) == nil)
        #expect(Source.post(linkedBy: "https://other.org/t/x/5", among: content.sources) == nil)
    }
}
