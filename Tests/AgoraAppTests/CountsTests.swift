import AgoraApp
import AgoraKit
import AgoraTUI
import Foundation
import Testing
import TerminalCore

/// Counts on screen follow what the cache holds, whichever way a post is opened.
@Suite("Counts after opening")
struct CountsAfterOpeningTests {
    @Test func a_post_opened_from_a_profile_is_counted_read_at_once() throws {
        // The member's posts are the oldest of 600: far past the rows the list has loaded.
        let member = Member(id: "m1", name: "Xu Jing")
        let posts = (1...600).map { Post(id: Post.ID("p\($0)"), title: "Post \($0)", author: $0 <= 3 ? "m1" : nil,
                                         published: Date(timeIntervalSince1970: Double($0) * 86_400)) }
        let reader = try Harness(width: 120, height: 40, content: CacheContent(community: Community(name: "C"), members: [member], posts: posts))
        #expect(reader.state.postList.unread == 600)
        while reader.state.focus != .roster { reader.press(.tab) }
        reader.press(.enter)
        guard case .profile = reader.state.detail else { Issue.record("no profile"); return }
        reader.press(.character("j"), .enter)
        guard case .article = reader.state.detail else { Issue.record("no article"); return }
        #expect(try reader.store.statistics().unread == 599)
        #expect(reader.state.postList.unread == 599, "the count on screen is the cache's")
        #expect(reader.screen.contains("599/600 unread"))
    }
}

/// What the reader says about its filters names members by name and reads as English.
@Suite("Filter messages")
struct FilterMessageTests {
    static let content: CacheContent = {
        let members = [Member(id: "member-00054", name: "Xu Jing", country: "China"),
                       Member(id: "member-00055", name: "Ana Neves", country: "Portugal")]
        let posts = [Post(id: "p1", title: "One", author: "member-00054", published: Date(timeIntervalSince1970: 86_400)),
                     Post(id: "p2", title: "Two", author: "member-00055", published: Date(timeIntervalSince1970: 2 * 86_400))]
        return CacheContent(community: Community(name: "C"), members: members, posts: posts)
    }()

    @Test func filters_name_members_and_C_after_P_shows_the_country() throws {
        let reader = try Harness(width: 120, height: 40, content: Self.content)
        reader.press(.character("j"), .enter)  // Xu Jing's post
        reader.press(.character("P"))
        #expect(reader.state.message == "Showing the posts of Xu Jing.")
        #expect(reader.state.postList.filter.author == "member-00054")
        reader.press(.character("C"))
        #expect(reader.state.postList.filter.author == nil, "the country replaces the author")
        #expect(reader.state.postList.filter.country == "China")
        #expect(reader.state.message == "Showing posts from China.")
    }

    @Test func an_empty_list_says_what_it_is_empty_of() {
        #expect(PostFilter.all.nothing() == "No posts.")
        #expect(PostFilter(country: "Brazil").nothing() == "No posts from Brazil.")
        #expect(PostFilter(author: "member-00047").nothing(authorName: "Xu Jing") == "No posts by Xu Jing.")
        #expect(PostFilter(unreadOnly: true).summary() == "unread posts")
        #expect(PostFilter.all.summary() == "all posts")
    }
}

@Suite("A profile's bio")
struct ProfileBioTests {
    @Test func the_bio_is_shown_whole_and_wrapped_and_rewrapped_on_resize() throws {
        let bio = "<p>Works on internet governance in Nairobi and teaches a course on digital policy every spring.</p><p>Second paragraph ends here.</p>"
        let member = Member(id: "m1", name: "Amina Odhiambo", bio: bio)
        let reader = try Harness(width: 120, height: 40, content: CacheContent(community: Community(name: "C"), members: [member]))
        while reader.state.focus != .roster { reader.press(.tab) }
        reader.press(.enter)
        guard case .profile(let wide) = reader.state.detail else { Issue.record("no profile"); return }
        let wideText = wide.headerLines.map(\.text).joined(separator: " ")
        #expect(wideText.contains("every spring.") && wideText.contains("Second paragraph ends here."))
        reader.send(.resize(width: 80, height: 24))
        guard case .profile(let narrow) = reader.state.detail else { Issue.record("no profile after resize"); return }
        #expect(narrow.headerLines.count > wide.headerLines.count, "wrapped to more lines at 80 columns")
        #expect(narrow.headerLines.allSatisfy { DisplayWidth.of($0.text) <= reader.state.layout.detailTextWidth })
        let screen = reader.screen
        for word in ["Nairobi", "spring.", "Second"] { #expect(screen.contains(word), "\(word) on screen") }
    }
}

@Suite("The status line's hints")
struct StatusHintTests {
    @Test func the_help_screen_shows_its_own_keys_not_the_lists() throws {
        let reader = try Harness(width: 120, height: 40)
        let listHints = reader.frame.text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(listHints.contains("Tab pane"))
        reader.press(.character("?"))
        let status = reader.frame.text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(status.contains("Help — j/k scroll, any other key closes"))
        #expect(!status.contains("Tab pane"), "\(status)")
    }
}

@Suite("The sorted value is shown")
struct SortedValueTests {
    static let content: CacheContent = {
        let members = (0..<4).map { Member(id: Member.ID("m\($0)"), name: "Member \($0)", country: "Chile") }
        let posts = (0..<6).map { i in
            Post(id: Post.ID("p\(i)"), title: "A rather long post title number \(i)", author: members[i % 4].id,
                 published: Date(timeIntervalSince1970: Double(i + 1) * 86_400), views: 1_000 + i * 7)
        }
        return CacheContent(community: Community(name: "C", tagline: "A tagline long enough to be cut at forty columns"),
                            members: members, posts: posts)
    }()

    @Test(arguments: [(120, 40), (80, 24), (40, 12)])
    func sorting_by_views_or_comments_shows_that_column(size: (Int, Int)) throws {
        let reader = try Harness(width: size.0, height: size.1, content: Self.content)
        reader.press(.character("O"), .character("O"))  // newest -> oldest -> views
        #expect(reader.state.postList.sort == .views)
        #expect(reader.screen.contains("VIEWS") && reader.screen.contains("1035"), "\(size)\n\(reader.screen)")
        reader.press(.character("O"))
        #expect(reader.state.postList.sort == .comments)
        #expect(reader.screen.contains("COMMENTS"), "\(size)\n\(reader.screen)")
        // The top line, cut, says so.
        if size.0 == 40 { #expect(reader.screen.split(separator: "\n").first?.contains("…") == true) }
    }

    @Test func the_roster_sorted_by_posts_shows_the_counts_in_a_narrow_pane() throws {
        let reader = try Harness(width: 40, height: 12, content: Self.content)
        reader.press(.character("m"))
        while reader.state.roster.sort != .posts { reader.press(.character("O")) }
        #expect(reader.screen.contains("POSTS"), "\(reader.screen)")
    }
}

@Suite("Config problems in the reader")
struct ConfigProblemTests {
    @Test func the_help_lists_every_problem_with_its_file_and_line() throws {
        let reader = try Harness(width: 120, height: 40)
        reader.state.problems = ["/home/ana/.config/agora/config.toml:5: unknown action 'colour'",
                                 "/home/ana/.config/agora/themes/mine.toml:2: unknown role 'lnk'"]
        reader.press(.character("?"))
        let screen = reader.screen
        #expect(screen.contains("2 problems in the config or a theme"))
        #expect(screen.contains("config.toml:5: unknown action 'colour'"))
        #expect(screen.contains("mine.toml:2: unknown role 'lnk'"))
        #expect(screen.contains("Open link N"), "the keys follow")
    }
}

@Suite("The seed's page, whole")
struct SeedPageTests {
    @Test func the_comment_prompt_shows_where_comments_are_and_join_is_a_link() throws {
        let reader = try Harness(width: 120, height: 40)
        reader.press(.enter)
        guard case .article(let article) = reader.state.detail else { Issue.record("no article"); return }
        let text = article.document.lines.map(\.text).joined(separator: "\n")
        #expect(text.replacingOccurrences(of: "\n", with: " ").contains("You need to be a member of Diplo Internet Governance Community to add comments!"))
        let joinNumber = article.document.links.count
        #expect(article.document.links.last == "http://www.diplointernetgovernance.org")
        #expect(text.contains("[\(joinNumber)] Join Diplo Internet Governance Community"))
        reader.press(.character("o"))
        reader.type(String(joinNumber))
        if reader.state.mode != .normal { reader.press(.enter) }
        #expect(reader.opened == ["http://www.diplointernetgovernance.org"])
    }

    @Test func with_nothing_open_the_communitys_links_are_shown_and_open() throws {
        let reader = try Harness(width: 120, height: 40)
        #expect(reader.screen.contains("Follow us"))
        #expect(reader.screen.contains("[2] Diplo's IG website"))
        reader.press(.character("o"), .character("2"))
        #expect(reader.opened == ["http://www.diplomacy.edu/ig"])
    }

    @Test func a_feeds_post_has_no_members_only_prompt() throws {
        var content = try SampleCommunity.content()
        content.sources.append(Source(id: "feed:x", kind: .feed, name: "X", location: "https://x.example/feed"))
        content.posts = [Post(id: "x:1", source: "feed:x", kind: .feedItem, title: "From a feed", published: Date(timeIntervalSince1970: 2_000_000_000))]
        content.postStates = [:]
        content.comments = []
        let reader = try Harness(width: 120, height: 40, content: content)
        reader.press(.enter)
        guard case .article(let article) = reader.state.detail else { Issue.record("no article"); return }
        #expect(!article.document.lines.map(\.text).joined().contains("You need to be a member"))
    }
}
