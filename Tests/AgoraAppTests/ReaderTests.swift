import AgoraApp
import AgoraKit
import AgoraTUI
import AgoraTestSupport
import Foundation
import Testing
import TerminalCore

@Suite("Reader screens")
struct ScreenTests {
    @Test(arguments: [(120, 40), (80, 24), (40, 12)])
    func the_sample_at_start(width: Int, height: Int) throws {
        let reader = try Harness(width: width, height: height)
        try expectSnapshot(reader.frame, named: "sample-start-\(width)x\(height)")
    }

    @Test(arguments: [(120, 40), (80, 24), (40, 12)])
    func the_sample_post_open(width: Int, height: Int) throws {
        let reader = try Harness(width: width, height: height)
        reader.press(.enter)
        try expectSnapshot(reader.frame, named: "sample-article-\(width)x\(height)")
        #expect(reader.screen.contains("ITU Secretary General"))
    }

    @Test(arguments: [(120, 40), (80, 24), (40, 12)])
    func a_hard_community(width: Int, height: Int) throws {
        let reader = try Harness(width: width, height: height, content: Hard.content)
        try expectSnapshot(reader.frame, named: "hard-start-\(width)x\(height)")
        // Past the three names of who commented, to the second comment.
        reader.press(.enter, .character("]"), .character("]"), .character("]"), .character("]"), .character("]"))
        try expectSnapshot(reader.frame, named: "hard-thread-\(width)x\(height)")
    }

    @Test(arguments: [(120, 40), (80, 24), (40, 12)])
    func the_roster_a_profile_and_the_help(width: Int, height: Int) throws {
        let reader = try Harness(width: width, height: height, content: Hard.content)
        reader.press(.character("m"))
        try expectSnapshot(reader.frame, named: "hard-roster-\(width)x\(height)")
        reader.press(.enter)
        try expectSnapshot(reader.frame, named: "hard-profile-\(width)x\(height)")
        #expect(reader.screen.contains("Nguyễn Thị Lan"), "the first member by name, accents folded")
        reader.press(.character("?"))
        try expectSnapshot(reader.frame, named: "help-\(width)x\(height)")
    }

    @Test func a_profile_lists_the_comment_wall_and_a_wall_comment_opens_nothing() throws {
        var content = try SampleCommunity.content()
        let first = content.members.map(\.name).sorted { Folding.key($0) < Folding.key($1) }.first!
        let index = content.members.firstIndex { $0.name == first }!
        let writer = content.members[(index + 1) % content.members.count]
        content.members[index].wall = [
            .init(id: "w1", author: writer.id, authorName: writer.name, published: ISODate.parse("2010-01-01T00:00:00Z"), body: "<p>Hello <b>there</b></p>"),
            .init(id: "w2", author: writer.id, authorName: writer.name, published: ISODate.parse("2010-01-02T00:00:00Z"), body: "Welcome back"),
        ]
        let reader = try Harness(width: 120, height: 40, content: content)
        while reader.state.focus != .roster { reader.press(.tab) }
        reader.press(.character("g"), .enter)
        guard case .profile(let profile) = reader.state.detail else { Issue.record("no profile"); return }
        #expect(profile.profile.member.name == first)
        #expect(reader.screen.contains("Posts, comments and wall (Enter opens)"))
        #expect(reader.screen.contains("w \(writer.name): Hello there"))
        #expect(reader.screen.contains("w \(writer.name): Welcome back"))
        reader.press(.character("G"), .enter)
        #expect(reader.state.message == "A comment on this member's wall: it is all here.")
        guard case .profile = reader.state.detail else { Issue.record("the wall comment opened something"); return }
    }

    @Test func a_resize_in_the_help_screen_keeps_it_open() throws {
        let reader = try Harness(width: 120, height: 40)
        reader.press(.character("?"), .character("j"))
        reader.send(.resize(width: 50, height: 14))
        #expect(reader.screen.contains("Help: keys"))
        reader.send(.resize(width: 20, height: 5))
        #expect(reader.screen.contains("Terminal too small"))
        reader.send(.resize(width: 120, height: 40))
        #expect(reader.screen.contains("Help: keys"))
        reader.press(.escape)
        #expect(reader.state.mode == .normal)
    }

    @Test func every_line_fits_its_width_whatever_the_size() throws {
        for (w, h) in [(120, 40), (100, 30), (80, 24), (79, 24), (60, 20), (40, 12), (30, 8), (29, 8), (10, 3)] {
            let reader = try Harness(width: w, height: h, content: Hard.content)
            reader.press(.enter)
            for line in reader.frame.lines { #expect(DisplayWidth.of(line) == w, "\(w)x\(h): \(line)") }
        }
    }

    @Test func a_tiny_terminal_shows_a_note_until_it_grows() throws {
        let reader = try Harness(width: 120, height: 40)
        reader.press(.enter)
        reader.send(.resize(width: 25, height: 6))
        #expect(reader.screen.contains("Terminal too small"))
        reader.send(.resize(width: 120, height: 40))
        #expect(reader.screen.contains("concluded World Conference on International"))
        #expect(reader.state.focus == .detail)
    }

    @Test func key_cells_carry_their_styles() throws {
        let reader = try Harness(width: 120, height: 40)
        let frame = reader.frame
        let row = try #require(frame.lines.firstIndex { $0.contains("ITU Secretary General") })
        let column = try #require(frame.line(row).firstIndex(of: "I").map { frame.line(row).distance(from: frame.line(row).startIndex, to: $0) })
        // The selected, unread post: reverse video and bold, which need no colour.
        #expect(frame[column, row].style.attributes.contains(.reverse))
        #expect(frame[column, row].style.attributes.contains(.bold))
        #expect(frame[0, row].symbol == "┃", "the focused pane has the heavy border")
        #expect(frame[1, 0].style == Theme.standard.style(.header))
        #expect(frame[0, 39].style.attributes.contains(.reverse), "the status line")
        // The real cursor sits on the selected row, for screen readers.
        #expect(reader.cursor?.y == row)
    }

    @Test func nothing_from_content_reaches_the_screen_raw() throws {
        var content = try SampleCommunity.content()
        content.posts[0].title = "Hostile \u{1B}[2J\u{1B}]52;c;ZXZpbA==\u{07} title \u{9B}31m\u{202E}"
        content.members[0].name = "Mal\u{1B}[31mlory"
        let reader = try Harness(width: 120, height: 40, content: content)
        reader.press(.enter)
        for cell in reader.frame.cells {
            #expect(!cell.symbol.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x202E })
        }
        #expect(reader.screen.contains("Hostile  title"))
        // And a buffer drops control characters whatever a view passes it.
        var buffer = Buffer(width: 20, height: 1)
        buffer.put("a\u{1B}[2Jb\u{07}c\u{202E}é", x: 0, y: 0, style: .plain)
        #expect(buffer.line(0).hasPrefix("a[2Jbcé"))
        #expect(!buffer.line(0).unicodeScalars.contains { $0.value == 0x1B })
    }
}

@Suite("Reader behaviour")
struct ReaderBehaviourTests {
    @Test func opening_a_post_shows_it_and_marks_it_read() throws {
        let reader = try Harness(width: 120, height: 40)
        #expect(reader.state.unread == 1)
        reader.press(.enter)
        #expect(reader.state.focus == .detail)
        #expect(reader.state.unread == 0)
        #expect(try reader.store.post("itu-secretary-general-wcit").state.read)
        reader.press(.character("r"))
        #expect(try reader.store.post("itu-secretary-general-wcit").state.read == false)
        #expect(reader.state.unread == 1)
        reader.press(.character("s"))
        #expect(try reader.store.post("itu-secretary-general-wcit").state.starred)
    }

    @Test func the_wheel_scrolls_and_never_marks_read() throws {
        let reader = try Harness(width: 120, height: 40, content: Hard.content)
        for _ in 0..<5 { reader.send(.mouse(MouseEvent(.wheelDown, x: 5, y: 10))) }
        #expect(reader.state.posts.selected == 15)
        #expect(reader.state.unread == 30)
        #expect(try reader.store.counts(.all).unread == 30)
        // A click focuses the pane and selects the row under it.
        reader.send(.mouse(MouseEvent(.press, x: 110, y: 4)))
        #expect(reader.state.focus == .roster)
        #expect(reader.state.members.selected == 1)
    }

    @Test func back_returns_exactly_where_you_were_step_by_step() throws {
        let reader = try Harness(width: 120, height: 40, content: Hard.content)
        reader.press(.enter)                       // open p00 (the thread)
        reader.press(.character("]"), .character("]"), .character("]"))
        let place = reader.state.detail
        reader.press(.character("a"))              // the commenter's profile
        guard case .profile(let profile) = reader.state.detail else { Issue.record("no profile"); return }
        #expect(profile.profile.member.id == "li" || profile.profile.member.id == "zoe" || profile.profile.member.id == "nguyen")
        reader.press(.character("j"), .enter)      // one of their posts
        guard case .article = reader.state.detail else { Issue.record("no article"); return }
        reader.press(.escape)
        guard case .profile(let back) = reader.state.detail else {
            Issue.record("not back on the profile: \(reader.state.detail) \(reader.state.history.count)")
            return
        }
        #expect(back.selected == 1)
        reader.press(.backspace)
        #expect(reader.state.detail == place)
        reader.press(.escape)
        #expect(reader.state.focus == .posts)
        reader.press(.character("q"))
        #expect(reader.state.quit)
    }

    @Test func the_post_author_and_a_missing_author_are_handled() throws {
        let reader = try Harness(width: 120, height: 40)
        reader.press(.enter, .character("a"))
        #expect(reader.state.message == "This post names no author.")
        let hard = try Harness(width: 120, height: 40, content: Hard.content)
        hard.press(.enter, .character("a"))
        guard case .profile(let profile) = hard.state.detail else { Issue.record("no profile"); return }
        #expect(profile.profile.member.name == "李明 (Li Ming)")
    }

    @Test func mark_all_read_asks_first_and_undo_takes_it_back() throws {
        let reader = try Harness(width: 120, height: 40, content: Hard.content)
        reader.press(.character("A"))
        #expect(reader.state.mode == .confirmMarkAllRead)
        reader.press(.character("x"))
        #expect(reader.state.unread == 30, "any key but y cancels")
        reader.press(.character("A"), .character("y"))
        #expect(reader.state.unread == 0)
        let allRead = reader.state.posts.rows.allSatisfy { $0.state.read }
        #expect(allRead)
        reader.press(.character("u"))
        #expect(reader.state.unread == 30)
        #expect(try reader.store.counts(.all).unread == 30)
    }

    @Test func next_unread_skips_read_posts_and_says_when_there_are_none() throws {
        let reader = try Harness(width: 120, height: 40, content: Hard.content)
        try reader.store.setRead(true, posts: ["p01", "p02"])
        reader.runner.settle(&reader.state, [.loadPosts(offset: 0, limit: 100)])
        reader.press(.enter)                      // p00
        reader.press(.character("n"))
        guard case .article(let article) = reader.state.detail else { Issue.record("no article"); return }
        #expect(article.document.detail.post.id == "p03")
        // p02 and p01 were read, and p00 was read by opening it.
        reader.press(.character("N"))
        #expect(reader.state.message == "No unread posts above.")
        reader.press(.character("n"))
        guard case .article(let next) = reader.state.detail else { Issue.record("no article"); return }
        #expect(next.document.detail.post.id == "p04")
    }

    @Test func links_open_by_number_through_the_effect_never_a_shell() throws {
        let reader = try Harness(width: 120, height: 40, content: Hard.content)
        reader.press(.enter, .character("o"))
        #expect(reader.state.mode == .link(""))
        reader.press(.character("1"))
        #expect(reader.opened == ["https://example.org/0"])
        reader.press(.character("o"), .character("7"))
        #expect(reader.state.message == "No link 7: this post has 4.", "its own link and the three members who commented")
    }

    @Test func comments_are_stepped_through_and_survive_a_resize() throws {
        let reader = try Harness(width: 120, height: 40, content: Hard.content)
        reader.press(.enter)
        // ] stops first on the names of who commented (three members here), then on comments.
        guard case .article(let opened) = reader.state.detail else { Issue.record("no article"); return }
        #expect(opened.document.commenterStops.count == 3)
        for _ in 0..<53 { reader.press(.character("]")) }
        guard case .article(let before) = reader.state.detail else { Issue.record("no article"); return }
        #expect(before.currentComment == 49)
        reader.send(.resize(width: 60, height: 20))
        reader.send(.resize(width: 120, height: 40))
        guard case .article(let after) = reader.state.detail else { Issue.record("no article"); return }
        #expect(after.currentComment == 49)
        #expect(after.scroll == after.document.commentStarts[49])
        #expect(reader.screen.contains("Comment number"))
        // Seen once, the comments are no longer new.
        #expect(try reader.store.post("p00").comments.allSatisfy { $0.state.read })
    }

    @Test func a_hundred_thousand_rows_are_windowed_not_loaded() throws {
        var state = AppState(width: 120, height: 40, community: .unnamed)
        _ = state.receive(.posts(offset: 0, rows: [], counts: PostCounts(total: 100_000, unread: 100_000)))
        let effects = state.handle(.key(.character("G")))
        #expect(state.posts.selected == 99_999)
        guard case .loadPosts(let offset, let limit, _, _) = effects.first else { Issue.record("no load: \(effects)"); return }
        #expect(offset > 99_000 && limit < 400)
    }
}

@Suite("Key table")
struct KeyTableTests {
    @Test func no_key_means_two_things_in_one_pane() {
        let conflicts = KeyMap.standard.conflicts.map(\.description)
        #expect(conflicts.isEmpty, "\(conflicts)")
    }

    @Test func every_command_has_a_key() {
        for command in Command.allCases {
            #expect(KeyMap.standard.binding(command)?.keys.isEmpty == false, "\(command) has no key")
        }
    }

    @Test func the_help_screen_lists_every_action() throws {
        let reader = try Harness(width: 120, height: 60)
        reader.press(.character("?"))
        let screen = reader.screen
        for binding in KeyMap.standard.bindings {
            #expect(screen.contains(binding.help), "help lacks \(binding.command)")
        }
        reader.press(.escape)
        #expect(reader.state.mode == .normal)
    }

    @Test func docs_keys_md_is_made_from_the_table() throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let file = url.appendingPathComponent("docs/keys.md")
        if ProcessInfo.processInfo.environment["AGORA_RECORD_SNAPSHOTS"] != nil {
            try KeyMap.standard.markdown.write(to: file, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: file, encoding: .utf8)
        #expect(committed == KeyMap.standard.markdown, "docs/keys.md is out of date: run the tests with AGORA_RECORD_SNAPSHOTS=1")
    }
}

@Suite("Reader under random use")
struct RandomUseTests {
    /// Any key, click or resize, in any order, at any size: no crash, every frame exactly the
    /// terminal's size, the selection inside the list. Seeded, so a failure repeats.
    @Test(arguments: [1, 2, 3])
    func random_keys_clicks_and_resizes_never_break_the_reader(seed: UInt64) throws {
        var random = SystemRandomNumberGenerator.Seeded(seed)
        let reader = try Harness(width: 100, height: 30, content: Hard.content)
        let keys: [Key] = KeyMap.standard.bindings.flatMap(\.keys).flatMap(\.keys).filter { $0 != .character("Q") && $0 != .character("q") }
            + [.character("y"), .character("1"), .character("x"), .enter, .escape]
        for _ in 0..<400 {
            switch random.next() % 10 {
            case 0:
                reader.send(.resize(width: Int(random.next() % 150) + 1, height: Int(random.next() % 50) + 1))
            case 1:
                let kinds: [MouseEvent.Kind] = [.press, .wheelUp, .wheelDown]
                reader.send(.mouse(MouseEvent(kinds[Int(random.next() % 3)], x: Int(random.next() % 160), y: Int(random.next() % 60))))
            default:
                reader.press(keys[Int(random.next() % UInt64(keys.count))])
            }
            let frame = reader.frame
            #expect(frame.width == reader.state.width && frame.height == reader.state.height)
            for line in frame.lines { #expect(DisplayWidth.of(line) == frame.width) }
            let posts = reader.state.posts
            #expect(posts.total == 0 || (0..<posts.total).contains(posts.selected))
        }
        #expect(!reader.state.quit)
    }
}

@Suite("The reader's loop")
struct ReaderLoopTests {
    @Test func a_session_on_a_test_backend_opens_reads_and_quits() throws {
        let reader = try Harness(width: 100, height: 30)
        var backend = TestBackend(width: 100, height: 30, events: [
            .key(.enter), .resize(width: 60, height: 20), .key(.escape), .key(.character("q")),
        ])
        let loop = Reader(store: reader.store, theme: .standard) { "Opened \($0)" }
        let end = loop.run(on: &backend, community: try reader.store.community())
        #expect(end.quit)
        #expect(backend.frames.count >= 5, "a frame at the start and after every event")
        #expect(backend.frames.contains { $0.text.contains("146 views") })
        #expect(backend.lastFrame?.width == 60)
        // The open was written after its frame was drawn, and reached the store.
        #expect(try reader.store.post("itu-secretary-general-wcit").state.read)
    }

    @Test func the_loop_ends_when_asked_to_stop_or_after_the_first_frame() throws {
        let reader = try Harness(width: 80, height: 24)
        let loop = Reader(store: reader.store, theme: .standard) { $0 }
        var first = TestBackend(width: 80, height: 24, events: [.key(.enter)])
        loop.run(on: &first, community: .unnamed, exitAfterFirstFrame: true)
        #expect(first.frames.count == 1)
        #expect(first.events.count == 1, "no event was read")
        var stopped = TestBackend(width: 80, height: 24, events: [.key(.character("j")), .key(.character("j"))])
        loop.run(on: &stopped, community: .unnamed, stop: { true })
        #expect(stopped.frames.count == 1)
    }

    /// What the first frame need not wait for (making the search index an import left) starts
    /// once it is up and before any key is read, once; not at all when the loop ends at that frame.
    @Test func work_after_the_first_frame_starts_once_it_is_up() throws {
        final class Log: @unchecked Sendable { var lines: [String] = [] }
        struct Logged: TerminalBackend {
            var inner: TestBackend
            let log: Log
            var size: (width: Int, height: Int) { inner.size }
            var isExhausted: Bool { inner.isExhausted }
            mutating func draw(_ buffer: Buffer, cursor: (x: Int, y: Int)?) {
                log.lines.append("frame")
                inner.draw(buffer, cursor: cursor)
            }
            mutating func nextEvent(timeoutMilliseconds: Int) -> Event? {
                log.lines.append("event")
                return inner.nextEvent(timeoutMilliseconds: timeoutMilliseconds)
            }
        }
        let reader = try Harness(width: 80, height: 24)
        let loop = Reader(store: reader.store, theme: .standard) { $0 }
        let log = Log()
        var backend = Logged(inner: TestBackend(width: 80, height: 24, events: [.key(.character("j")), .key(.character("j"))]), log: log)
        loop.run(on: &backend, community: .unnamed, afterFirstFrame: { log.lines.append("after") })
        // Frames (the first, and one for what its writes read) and then the work, before any event.
        let after = try #require(log.lines.firstIndex(of: "after"))
        #expect(after >= 1 && log.lines[..<after].allSatisfy { $0 == "frame" } && log.lines[after + 1] == "event", "\(log.lines)")
        #expect(log.lines.filter { $0 == "after" }.count == 1)
        #expect(log.lines.filter { $0 == "frame" }.count >= 3)
        for ends in [true, false] {
            let quiet = Log()
            var one = Logged(inner: TestBackend(width: 80, height: 24, events: [.key(.character("j"))]), log: quiet)
            loop.run(on: &one, community: .unnamed, exitAfterFirstFrame: ends, stop: { !ends }, afterFirstFrame: { quiet.lines.append("after") })
            #expect(quiet.lines == ["frame"])
        }
    }
}

@Suite("The reader and other processes")
struct OtherProcessTests {
    /// Another process marks the open post unread and stars another, and syncs a new post in,
    /// while the reader sits idle: the next idle moment shows it all, the selection kept.
    @Test(arguments: ["cache.sqlite", "cache.json"])
    func what_another_process_writes_shows_while_the_reader_is_open(name: String) throws {
        let directory = NSTemporaryDirectory() + "agora-live-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/" + name
        let open: (String) throws -> any CommunityStore = { name.hasSuffix(".json") ? try JSONStore(path: $0) : try SQLiteStore(path: $0) }
        try open(path).importContent(Hard.content)
        let readerStore = try open(path)
        let other = try open(path)
        var backend = TestBackend(width: 120, height: 40, events: [.key(.character("j")), .key(.enter), .key(.character("Q"))])
        // After the reader opened p01 (which marks it read), the other process undoes that, stars
        // p00, and brings in a new post.
        backend.idle[2] = {
            try? other.setRead(false, posts: ["p01"])
            try? other.setStarred(true, posts: ["p00"])
            _ = try? other.importContent(CacheContent(posts: [Post(id: "new", title: "Arrived while reading", published: Date(timeIntervalSince1970: 1_800_000_000))]))
        }
        let loop = Reader(store: readerStore, theme: .standard) { $0 }
        let end = loop.run(on: &backend, community: try readerStore.community(), idleMilliseconds: 0)
        let last = try #require(backend.frames.last).text
        #expect(last.contains("Arrived while reading"), "the new post is listed")
        // 30 unread; the reader read p01, the other process made it unread again, and one came in.
        #expect(last.contains("Posts 31/31 unread"), "the counts follow")
        #expect(end.posts.total == 31)
        guard case .article(let article) = end.detail else { Issue.record("the article closed"); return }
        #expect(article.id == "p01")
        #expect(article.document.detail.state.read == false, "the open article shows the state written elsewhere")
        #expect(end.posts.rows.first { $0.id == "p00" }?.state.starred == true)
    }
}

@Suite("Syncing from inside the reader")
struct BackgroundSyncTests {
    @Test func R_syncs_in_the_background_and_what_comes_in_shows_while_reading() throws {
        // Two connections to one file: the reader's, and the sync's own.
        let directory = NSTemporaryDirectory() + "agora-r-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/cache.json"
        let store = try JSONStore(path: path)
        try store.importContent(Hard.content)
        let done = DispatchSemaphore(value: 0)
        // The job: a second connection brings a post in, says so, and ends.
        let sync = BackgroundSync { _, progress in
            defer { done.signal() }
            guard let other = try? JSONStore(path: path) else { return SyncNews(done: 0, total: 1, new: 0, failed: 1) }
            _ = try? other.importContent(CacheContent(posts: [Post(id: "synced", title: "Brought in by R",
                                                                   published: Date(timeIntervalSince1970: 1_800_000_000))]))
            progress(SyncNews(done: 1, total: 1, new: 1, failed: 0))
            return SyncNews(done: 1, total: 1, new: 1, failed: 0)
        }
        var loop = Reader(store: store, theme: .standard) { $0 }
        loop.sync = sync
        var backend = TestBackend(width: 120, height: 40, events: [.key(.character("j")), .key(.character("R")), .key(.character("Q"))])
        // Reading on while it runs: the reader waits for nothing but its next key.
        backend.idle[2] = { _ = done.wait(timeout: .now() + 10) }
        let end = loop.run(on: &backend, community: try store.community(), idleMilliseconds: 0)
        #expect(backend.frames.contains { $0.text.contains("Syncing…") })
        #expect(backend.frames.contains { $0.text.contains("Synced 1 source: 1 new.") })
        // Once it has ended, its progress is not told again over the end.
        let ended = try #require(backend.frames.lastIndex { $0.text.contains("Synced 1 source: 1 new.") })
        #expect(!backend.frames[ended...].contains { $0.text.contains("Syncing:") })
        #expect(try #require(backend.frames.last).text.contains("Brought in by R"))
        #expect(end.posts.total == 31)
        // The selection stayed on the row it was on (the new post is newest: the list grew above it).
        #expect(end.posts.selectedRow?.id == "p01" || end.posts.selected == 1)
    }

    @Test func R_with_no_way_to_sync_or_nothing_to_sync_says_so() throws {
        let reader = try Harness(width: 120, height: 40)
        reader.press(.character("R"))
        #expect(reader.state.message == "Syncing is not available here.")
        var state = reader.state
        _ = state.update(.loaded(.syncFinished(SyncNews(done: 0, total: 0, new: 0, failed: 0))))
        #expect(state.message == "No sources to sync: agora sources add URL adds a feed or a forum.")
        _ = state.update(.loaded(.syncFinished(SyncNews(done: 3, total: 3, new: 4, failed: 1))))
        #expect(state.message == "Synced 3 sources: 4 new, 1 failed (agora sources says why).")
    }
}

