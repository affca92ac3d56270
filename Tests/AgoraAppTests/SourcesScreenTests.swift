import AgoraApp
import AgoraKit
import AgoraTestSupport
import AgoraTUI
import Foundation
import Testing
import TerminalCore

/// The sources screen (`F`): drawn into buffers at three sizes, with and without UTF-8 and
/// colour; a source and a forum's category read in the post list (X clears); a source marked
/// read after the question and undone; both caches alike.
@Suite("Sources screen")
struct SourcesScreenTests {
    static let synced = Date(timeIntervalSince1970: 1_733_300_000)  // 2024-12-04 08:13 UTC

    /// Two feeds (one whose last sync failed, one waiting for its server), a forum with two
    /// categories, and the sample community's own post.
    static let content: CacheContent = {
        func post(_ id: String, _ source: String, _ category: String?, _ n: Int) -> Post {
            Post(id: Post.ID(id), source: Source.ID(source), kind: .blogPost, title: "Post \(id) of \(source)",
                 published: Date(timeIntervalSince1970: 1_600_000_000 + Double(n) * 3600), category: category, body: "<p>Body of \(id)</p>")
        }
        var posts = (0..<6).map { post("a\($0)", "feed:a", nil, $0) } + (0..<2).map { post("b\($0)", "feed:b", nil, 10 + $0) }
        posts += (0..<5).map { post("f\($0)", "forum", $0 < 3 ? "Policy" : "Meta", 20 + $0) }
        posts.append(post("s0", "sample", nil, 30))
        // f0 was read, and two replies came in on it since; one read before it was.
        func comment(_ id: String, _ hour: Int) -> AgoraKit.Comment {
            AgoraKit.Comment(id: AgoraKit.Comment.ID(id), post: "f0", authorName: "Sam", published: Date(timeIntervalSince1970: 1_600_000_000 + Double(hour) * 3600),
                    body: "<p>Reply \(id)</p>")
        }
        return CacheContent(
            community: Community(name: "Diplo Internet Governance Community"),
            sources: [
                Source(id: "feed:a", kind: .feed, name: "Geneva Internet Platform", location: "https://a.example/feed",
                       lastSync: synced, lastStatus: "ok, 6 new"),
                Source(id: "feed:b", kind: .feed, name: "Broken \u{1b}[31mFeed\u{7}", location: "https://b.example/feed",
                       lastSync: synced, lastStatus: "failed: HTTP 404"),
                Source(id: "forum", kind: .discourse, name: "IGF Forum", location: "https://forum.example", lastSync: synced,
                       lastStatus: "ok", retryAfter: synced.addingTimeInterval(3600)),
                Source(id: "sample", kind: .sample, name: "Diplo (sample)"),
            ],
            posts: posts, comments: [comment("r0", 40), comment("r1", 41), comment("r2", 42)],
            postStates: ["f0": PostState(read: true, readAt: synced)], commentStates: ["r0": CommentState(read: true, readAt: synced)])
    }()

    func reader(_ kind: String, _ folder: TemporaryDirectory, width: Int = 120, height: Int = 40,
                settings: ReaderSettings = ReaderSettings()) throws -> Harness {
        if kind == "sqlite" {
            let store = try SQLiteStore(path: folder.file("c.sqlite"))
            try store.importContent(Self.content)
            return try Harness(width: width, height: height, store: store, settings: settings)
        }
        return try Harness(width: width, height: height, content: Self.content, settings: settings)
    }

    @Test(arguments: [(120, 40), (80, 24), (40, 12)])
    func snapshots(width: Int, height: Int) throws {
        for unicode in [true, false] {
            var settings = ReaderSettings()
            settings.unicodeCharts = unicode
            let reader = try Harness(width: width, height: height, content: Self.content, settings: settings)
            reader.type("F")
            #expect(reader.state.mode == .sources)
            reader.press(.down, .down, .down)
            try expectSnapshot(reader.frame, named: "sources-\(width)x\(height)\(unicode ? "" : "-ascii")")
            if !unicode {
                let inside = reader.frame.lines.dropFirst(2).dropLast(2).map { String($0.dropFirst().dropLast()) }
                #expect(inside.allSatisfy { $0.unicodeScalars.allSatisfy { $0.isASCII || "…—·".unicodeScalars.contains($0) } })
            }
        }
    }

    @Test func every_source_shows_its_counts_and_how_its_sync_went() throws {
        let reader = try Harness(width: 120, height: 40, content: Self.content)
        // The header counts the sources, as the cache holds several.
        #expect(reader.frame.lines[0].hasPrefix(" 4 sources: Broken Feed, Diplo (sample), Geneva Internet Platform, IGF Forum"))
        reader.type("F")
        let lines = reader.frame.lines.map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        func row(_ start: String) -> String? { lines.first { $0.hasPrefix("┃ " + start) } }
        #expect(row("Geneva Internet Platform")?.contains("feed 6/6 2024-12-04 08:13 ok, 6 new") == true, "\(lines)")
        #expect(row("Broken Feed")?.contains("feed 2/2 2024-12-04 08:13 failed: HTTP 404") == true, "the name made harmless: \(lines)")
        #expect(row("IGF Forum")?.contains("forum 4/5 2 waiting until 09:13") == true, "2 new replies")
        #expect(row("› Meta")?.contains("category 2/2") == true)
        #expect(row("› Policy")?.contains("category 2/3 2") == true)
        #expect(row("Diplo (sample)")?.contains("sample 1/1") == true)
        // Nothing from a source's name reaches the terminal as a control character.
        #expect(!reader.screen.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        // Esc closes it, where the reader was.
        reader.press(.escape)
        #expect(reader.state.mode == .normal)
    }

    @Test(arguments: ["json", "sqlite"])
    func a_category_is_read_in_the_post_list_and_X_shows_every_post(kind: String) throws {
        let folder = TemporaryDirectory()
        let reader = try reader(kind, folder)
        reader.type("F")
        // Down to the forum's Policy category: Broken, Diplo, Geneva, IGF Forum, › Meta, › Policy.
        reader.press(.down, .down, .down, .down, .down)
        #expect(reader.state.sourcesScreen?.chosen?.name == "IGF Forum › Policy")
        reader.press(.enter)
        #expect(reader.state.mode == .normal)
        #expect(reader.state.posts.total == 3)
        #expect(reader.state.posts.rows.map(\.id) == ["f2", "f1", "f0"])
        #expect(reader.screen.contains("Posts 2/3 unread in IGF Forum › Pol"))
        #expect(reader.state.message == "Showing IGF Forum › Policy; X shows every post, F the sources.")
        // The byline says where a post came from.
        reader.press(.enter)
        #expect(reader.screen.contains("blog post · from IGF Forum › Policy"))
        reader.press(.escape)
        reader.type("X")
        #expect(reader.state.posts.total == 14)
        #expect(reader.screen.contains("Posts 12/14 unread"), "the post opened was read")
        // F again: the row chosen before is still chosen.
        reader.type("F")
        #expect(reader.state.sourcesScreen?.chosen?.name == "IGF Forum › Policy")
        #expect(reader.screen.contains("1/3"), "the opened post is counted read")
    }

    @Test(arguments: ["json", "sqlite"])
    func a_source_is_marked_read_after_asking_and_undone(kind: String) throws {
        let folder = TemporaryDirectory()
        let reader = try reader(kind, folder)
        reader.type("F")
        reader.press(.down, .down)
        #expect(reader.state.sourcesScreen?.chosen?.name == "Geneva Internet Platform")
        // Asked first; any other key keeps it as it was.
        reader.type("A")
        #expect(reader.frame.lines.last!.contains("Mark 6 unread posts of Geneva Internet Platform read? (y: yes, any other key: no)"))
        reader.type("n")
        #expect(reader.state.message == "Nothing marked.")
        #expect(try reader.store.counts(PostFilter(source: "feed:a")).unread == 6)
        reader.type("A")
        reader.type("y")
        #expect(reader.state.mode == .sources)
        #expect(try reader.store.counts(PostFilter(source: "feed:a")).unread == 0)
        #expect(try reader.store.counts(.all).unread == 7, "the other sources are as they were")
        #expect(reader.state.sourcesScreen?.chosen?.unread == 0)
        #expect(reader.state.message == "Marked 6 posts read. u undoes it.")
        reader.type("A")
        #expect(reader.state.message == "Nothing unread in Geneva Internet Platform.")
        reader.type("u")
        #expect(try reader.store.counts(PostFilter(source: "feed:a")).unread == 6)
        #expect(reader.state.sourcesScreen?.chosen?.unread == 6)
        // A forum's category alone.
        reader.press(.down, .down)
        #expect(reader.state.sourcesScreen?.chosen?.name == "IGF Forum › Meta")
        reader.type("A")
        reader.type("y")
        #expect(try reader.store.counts(PostFilter(source: "forum")).unread == 2)
    }

    @Test(arguments: ["json", "sqlite"])
    func replies_since_a_post_was_read_are_shown_and_n_goes_through_them(kind: String) throws {
        let folder = TemporaryDirectory()
        let reader = try reader(kind, folder)
        reader.type("F")
        reader.press(.down, .down, .down, .down, .down)
        reader.press(.enter)
        // The topic read before shows its new replies, as news.
        #expect(reader.screen.contains("(2 new) Post f0 of forum"))
        while reader.state.posts.selectedRow?.id != "f0" { reader.press(.down) }
        reader.press(.enter)
        guard case .article(let article) = reader.state.detail else { Issue.record("not opened"); return }
        // It opens at the first new reply, and says how many came in.
        #expect(article.currentComment == 1)
        #expect(reader.state.message == "2 new replies since you read it; n goes to the next.")
        reader.type("n")
        #expect(reader.state.message == "New reply 2 of 2; n goes on.")
        guard case .article(let second) = reader.state.detail else { return }
        #expect(second.currentComment == 2)
        // No new reply left below: n goes to the next unread post (none below the oldest).
        reader.type("n")
        #expect(reader.state.message == "No unread posts below.")
        reader.type("N")
        guard case .article(let next) = reader.state.detail else { return }
        #expect(next.id == "f1")
        // Seen, they are not new any more.
        #expect(try reader.store.sourceCounts().first { $0.category == "Policy" }?.newReplies == 0)
        reader.press(.escape)
        #expect(!reader.screen.contains("new) Post f0"))
    }

    @Test func an_opml_lists_folders_are_headings_passed_over_by_the_choice() throws {
        var content = Self.content
        content.sources[0].folder = "Geneva"
        content.sources[1].folder = "Geneva"
        let reader = try Harness(width: 120, height: 40, content: content)
        reader.type("F")
        let lines = reader.frame.lines.map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        let names = lines.dropFirst(3).prefix(7).map { String($0.dropFirst(2).prefix(30)) }
        // The sources in no folder first, then each folder with its sources under it.
        #expect(names[0].hasPrefix("Diplo (sample)"), "\(lines)")
        #expect(names[1].hasPrefix("IGF Forum"))
        #expect(names[4].hasPrefix("Geneva/ folder 8/8"), "\(lines)")
        #expect(names[5].hasPrefix("Broken Feed"))
        #expect(names[6].hasPrefix("Geneva Internet Platform"))
        // Down from the forum's last category: the heading is passed over.
        reader.press(.down, .down, .down)
        #expect(reader.state.sourcesScreen?.chosen?.name == "IGF Forum › Policy")
        reader.press(.down)
        #expect(reader.state.sourcesScreen?.chosen?.name == "Broken Feed")
        reader.press(.up)
        #expect(reader.state.sourcesScreen?.chosen?.name == "IGF Forum › Policy")
    }

    @Test func a_sync_asked_for_at_the_start_is_started_not_put_off_behind_the_reads_after_the_frame() throws {
        var settings = ReaderSettings()
        settings.syncOnStart = true
        let store = try JSONStore(content: Self.content)
        var state = AppState(width: 120, height: 40, community: try store.community(), settings: settings)
        nonisolated(unsafe) var started: [Source.ID?] = []
        let deferred = EffectRunner(store: store).settle(&state, state.start(), deferWrites: true,
                                                         startSync: { (source: Source.ID?) -> String in
                                                             started.append(source)
                                                             return "Syncing…"
                                                         })
        #expect(started.count == 1, "the sync started with the first frame")
        #expect(deferred == [Effect.loadSources], "the sources are read after it")
    }

    @Test func without_colour_the_chosen_row_is_still_seen() throws {
        let reader = try Harness(width: 80, height: 24, content: Self.content)
        reader.type("F")
        let (frame, _) = Screen.render(reader.state, theme: Theme.standard.withoutColor)
        var reversed: Set<Int> = []
        for y in 0..<frame.height {
            for x in 0..<frame.width {
                let style = frame[x, y].style
                #expect(style.foreground == .default && style.background == .default)
                if y > 1, y < frame.height - 1, style.attributes.contains(.reverse) { reversed.insert(y) }
            }
        }
        #expect(reversed == [3], "the first source's row, under the column names")
    }

    @Test func one_source_leaves_the_header_to_the_community_and_an_empty_cache_says_how_to_fill_it() throws {
        var one = Self.content
        one.sources = [Self.content.sources[0]]
        one.posts = one.posts.filter { $0.source == "feed:a" }
        one.comments = []
        one.postStates = [:]
        one.commentStates = [:]
        let reader = try Harness(width: 100, height: 30, content: one)
        #expect(reader.frame.lines[0].hasPrefix(" Diplo Internet Governance Community"))
        let empty = try Harness(width: 100, height: 30, content: CacheContent(community: Community(name: "Nothing yet")))
        empty.type("F")
        #expect(empty.screen.contains("No sources yet: agora import FILE or agora sources add URL brings one in."))
    }
}
