@testable import AgoraKit
import AgoraTestSupport
import Foundation
import GRDB
import Testing

@Suite("Opening caches: bad files are refused and left as they were")
struct CacheFileTests {
    private func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    @Test func a_new_sqlite_cache_is_migrated_from_nothing() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("sub/folder/new.sqlite")
        let store = try SQLiteStore(path: path)
        #expect(try store.statistics() == Statistics(posts: 0, unread: 0, starred: 0, members: 0, comments: 0))
        #expect(try store.community() == .unnamed)
        // An empty file is an empty database: migrated like a new one.
        let empty = dir.file("empty.sqlite")
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(try SQLiteStore(path: empty).statistics().posts == 0)
    }

    @Test func a_file_that_is_not_a_database_is_refused_untouched() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("notes.sqlite")
        let original = Data("These are my notes, not a database.\n".utf8)
        _ = FileManager.default.createFile(atPath: path, contents: original)
        #expect(throws: AgoraError.notACache(path: path, .notSQLite)) { try SQLiteStore(path: path) }
        #expect(bytes(path) == original)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func a_cache_from_the_first_schema_gains_member_walls_and_keeps_everything() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("v1.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            try store.importContent(try SampleCommunity.content())
            try store.setRead(true, posts: [try SampleCommunity.content().posts[0].id])
        }
        try TestSQLite.downgradeToVersion1(path: path)
        #expect(try TestSQLite.userVersion(path: path) == 1)
        let store = try SQLiteStore(path: path)
        #expect(try TestSQLite.userVersion(path: path) == 2)
        let sample = try SampleCommunity.content()
        #expect(try store.statistics().posts == sample.posts.count)
        #expect(try store.statistics().unread == sample.posts.count - 1)
        var member = sample.members[0]
        member.wall = [.init(id: "w1", author: sample.members[1].id, authorName: sample.members[1].name, body: "<p>Hello</p>")]
        try store.importContent(CacheContent(members: [member]))
        #expect(try store.member(member.id).member.wall == member.wall)
    }

    @Test func a_cache_from_the_second_schema_gets_search_indexes_that_fold_as_queries_do() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("v2.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            try store.importContent(Scripts.content)
        }
        try TestSQLite.downgradeToVersion2(path: path)
        do {
            // What a version 2 index gives: accents fold, ß does not.
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            let hits = try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM postSearch WHERE postSearch MATCH '\"strasse\"'") }
            #expect(hits == 0)
        }
        let store = try SQLiteStore(path: path)
        #expect(try TestSQLite.userVersion(path: path) == 3)
        #expect(try store.search("strasse").posts.map(\.post.id.rawValue) == ["p-de"])
        #expect(try store.search("kilic").members.map(\.id.rawValue) == ["kilic"])
        #expect(try store.search("会議").posts.map(\.post.id.rawValue) == ["p-ja"])
        #expect(try store.statistics().posts == Scripts.content.posts.count)
    }

    @Test func a_cache_from_the_third_schema_gains_forum_columns_and_keeps_everything() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("v3.sqlite")
        let sample = try SampleCommunity.content()
        do {
            let store = try SQLiteStore(path: path)
            try store.importContent(sample)
            try store.setStarred(true, posts: [sample.posts[0].id])
        }
        try TestSQLite.downgradeToVersion3(path: path)
        #expect(try TestSQLite.userVersion(path: path) == 3)
        let store = try SQLiteStore(path: path)
        #expect(try TestSQLite.userVersion(path: path) == Schema.version)
        #expect(try store.statistics().posts == sample.posts.count)
        #expect(try store.post(sample.posts[0].id).state.starred)
        var post = sample.posts[0]
        post.likes = 7
        var forum = Source(id: "discourse:f", kind: .discourse, name: "F", location: "https://f.example.org",
                           options: .forum(Source.Forum(categories: ["policy"], maxTopics: 10)))
        forum.forum?.syncedThrough = Date(timeIntervalSince1970: 1_700_000_000)
        let comment = Comment(id: "c-forum", post: post.id, body: "<p>Hi</p>", link: "https://f.example.org/t/x/1/2")
        try store.importContent(CacheContent(sources: [forum], posts: [post], comments: [comment]))
        #expect(try store.post(post.id).post.likes == 7)
        #expect(try store.post(post.id).comments.first { $0.comment.id == "c-forum" }?.comment.link == comment.link)
        #expect(try store.sources().first { $0.id == "discourse:f" } == forum)
    }

    @Test func a_cache_from_the_fourth_schema_counts_each_members_comments() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("v4.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            try SyntheticCommunity(posts: 200, members: 30, comments: 600, seed: 3).write(into: store, chunk: 100)
        }
        try TestSQLite.downgradeToVersion4(path: path)
        #expect(try TestSQLite.userVersion(path: path) == 4)
        let store = try SQLiteStore(path: path)
        #expect(try TestSQLite.userVersion(path: path) == Schema.version)
        let json = try JSONStore(content: try store.exportContent())
        #expect(try store.communityStats().topCommenters == json.communityStats().topCommenters)
        #expect(try store.communityStats().topCommenters.first.map { $0.count > 0 } == true)
    }

    @Test func a_sqlite_cache_from_a_newer_agora_is_refused_with_both_versions() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("newer.sqlite")
        _ = try SQLiteStore(path: path)
        try TestSQLite.setUserVersion(path: path, 99)
        let before = bytes(path)
        #expect(throws: AgoraError.newerSchema(path: path, found: 99, supported: Schema.version)) { try SQLiteStore(path: path) }
        #expect(bytes(path) == before)
        #expect(AgoraError.newerSchema(path: path, found: 99, supported: Schema.version).description
            == "\(path): written by a newer Agora: schema 99; this build reads up to \(Schema.version)")
    }

    @Test func another_programs_database_is_refused() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("other.sqlite")
        try TestSQLite.createForeign(path: path)
        let before = bytes(path)
        #expect(throws: AgoraError.notACache(path: path, .otherDatabase)) { try SQLiteStore(path: path) }
        #expect(bytes(path) == before)
    }

    @Test func a_missing_cache_is_not_created_when_it_must_exist() {
        let dir = TemporaryDirectory()
        #expect(throws: AgoraError.missing(path: dir.file("no.sqlite"), folder: false)) {
            try SQLiteStore(path: dir.file("no.sqlite"), create: false)
        }
        #expect(throws: AgoraError.self) { try JSONStore(path: dir.file("no.json"), create: false) }
    }

    @Test func a_cache_where_no_folder_can_be_made_says_so() throws {
        let dir = TemporaryDirectory()
        let blocker = dir.file("file")
        _ = FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
        for path in [blocker + "/agora.sqlite", blocker + "/agora.json"] {
            #expect {
                _ = try Cache.open(path: path, seed: { Fixture.content })
            } throws: { error in
                guard case AgoraError.cannotCreate(let at, _) = error else { return false }
                return at == path
            }
        }
    }

    @Test func every_window_and_count_reads_an_index() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("plan.sqlite")
        let store = try SQLiteStore(path: path)
        try store.importContent(Fixture.content)
        let filters: [PostFilter] = [
            .all, PostFilter(unreadOnly: true), PostFilter(starredOnly: true), PostFilter(author: "x"),
            PostFilter(unreadOnly: true, author: "x"), PostFilter(tag: "policy"), PostFilter(country: "Brazil"),
            PostFilter(kind: .page), PostFilter(source: "x"), PostFilter(source: "x", category: "y"),
            PostFilter(unreadOnly: true, source: "x"),
        ]
        var statements: [(String, [(any DatabaseValueConvertible)?])] = []
        for filter in filters {
            let query = SQLitePostQuery(filter: filter)
            for sort in PostSort.allCases {
                let (sql, arguments) = query.windowSQL(sort: sort)
                statements.append((sql, arguments + [50, 0]))
            }
            let (sql, arguments) = query.countSQL()
            if query.hasContentFilter || filter.starredOnly { statements.append((sql, arguments)) }
        }
        statements += [
            ("SELECT id FROM comment c WHERE c.post = 'x' ORDER BY c.sortDate, c.rowid", []),
            ("SELECT id FROM member m ORDER BY m.nameKey, m.id LIMIT 50", []),
            ("SELECT id FROM member m WHERE m.countryKey = 'x' ORDER BY m.nameKey LIMIT 50", []),
            ("SELECT post FROM postState WHERE isRead = 0", []),
            ("SELECT source, category, posts, unread, newReplies FROM sourceTotal ORDER BY source, category", []),
            ("SELECT count(*) FROM post p JOIN postState s ON s.post = p.rowid WHERE p.source IS 'x' AND p.category IS 'y'", []),
            ("SELECT p.rowid FROM postState s JOIN post p ON p.rowid = s.post WHERE s.newReplies > 0", []),
            ("SELECT count(*) FROM comment WHERE post = 'x' AND isRead = 0", []),
        ]
        for (sql, plan) in try TestSQLite.queryPlans(path: path, statements) {
            // Sorting the few rows of one author, tag or country is fine; sorting a whole table is not.
            let narrowed = sql.contains("p.author") || sql.contains("postTag") || sql.contains("p.kind") || sql.contains("p.source")
            if !narrowed { #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "sorts without an index: \(sql)\n\(plan)") }
            // sourceTotal is read whole on purpose: a row per source and category, in key order.
            #expect(!plan.contains { $0.hasPrefix("SCAN") && !$0.contains("INDEX") && $0 != "SCAN sourceTotal" }, "scans a table: \(sql)\n\(plan)")
        }
    }

    @Test func kept_totals_match_a_recount_after_every_kind_of_change() throws {
        let dir = TemporaryDirectory()
        let store = try SQLiteStore(path: dir.file("totals.sqlite"))
        func check(_ step: String) throws {
            #expect(try store.statistics() == store.recountedStatistics(), "after \(step)")
        }
        try store.importContent(Fixture.content)
        try check("import")
        try store.setRead(true, posts: ["p1", "p1", "p2"])
        try check("read")
        try store.setRead(false, posts: ["p2", "p3"])
        try check("unread")
        try store.setStarred(true, posts: ["p1", "p4", "p4"])
        try store.setStarred(false, posts: ["p4", "p5"])
        try check("stars")
        let entry = try store.markAllRead(PostFilter(country: "China"))
        try check("mark all read by country")
        _ = try store.markAllRead(PostFilter(starredOnly: true))
        _ = try store.markAllRead(.all)
        try check("mark all read")
        _ = try store.undo(nil)
        _ = try store.undo(entry.token)
        try check("undo")
        var more = Fixture.content
        more.posts.append(Post(id: "p9", title: "Nine"))
        more.postStates = ["p9": PostState(read: true, starred: true), "p3": PostState(read: true)]
        try store.importContent(more)
        try check("import with state")
        #expect(throws: AgoraError.postNotFound("zz")) { try store.setRead(true, posts: ["p5", "zz"]) }
        try check("a failed change")
    }

    // MARK: JSON

    @Test func a_truncated_json_cache_names_the_line_and_column() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("broken.json")
        let full = try CacheFile(Fixture.content).encoded()
        let truncated = full.prefix(full.count / 2)
        _ = FileManager.default.createFile(atPath: path, contents: truncated)
        #expect {
            _ = try JSONStore(path: path)
        } throws: { error in
            guard case AgoraError.invalidJSON(let at, let line, let column, _) = error else { return false }
            return at == path && line != nil && column != nil
        }
        #expect(bytes(path) == truncated)

        _ = FileManager.default.createFile(atPath: path, contents: Data("{\n  \"format\": \"agora-cache\",\n  \"version\": 1,\n  oops\n}".utf8))
        #expect {
            _ = try JSONStore(path: path)
        } throws: { error in
            guard case AgoraError.invalidJSON(_, let line, _, _) = error else { return false }
            return line == 4
        }
    }

    @Test func json_of_the_wrong_shape_names_the_record() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("shape.json")
        let text = #"{"format": "agora-cache", "version": 1, "posts": [{"id": "a", "title": "A"}, {"id": "b", "title": 7}]}"#
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        #expect(throws: AgoraError.badInput(.init(path: path, field: "posts[1].title"), "expected a string")) {
            try JSONStore(path: path)
        }
    }

    @Test func damaged_json_in_a_row_is_an_error_naming_it_not_an_empty_profile() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("damaged.sqlite")
        let store = try SQLiteStore(path: path)
        try store.importContent(CacheContent(sources: [Source(id: "f", kind: .discourse, name: "F", options: .forum(Source.Forum(categories: ["a"])))],
                                             members: [Member(id: "ana", name: "Ana", profile: [Member.ProfileAnswer(question: "Q", answer: "A")])]))
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "UPDATE member SET profile = '{not json' WHERE id = 'ana'")
            try db.execute(sql: "UPDATE source SET forum = '[1, 2]' WHERE id = 'f'")
        }
        try queue.close()
        let reopened = try SQLiteStore(path: path)
        #expect(throws: AgoraError.badRow(path: path, .damaged(record: "member", id: "ana", field: "profile"))) { try reopened.member("ana") }
        #expect(throws: AgoraError.badRow(path: path, .damaged(record: "source", id: "f", field: "forum"))) { try reopened.sources() }
    }

    @Test func a_kind_or_role_the_model_does_not_know_is_an_error_naming_the_row_not_a_blog_post() throws {
        // Given a cache where another program wrote a post kind and a member role Agora has no case for
        let dir = TemporaryDirectory()
        let path = dir.file("unknown.sqlite")
        let store = try SQLiteStore(path: path)
        try store.importContent(CacheContent(members: [Member(id: "ana", name: "Ana")],
                                             posts: [Post(id: "a", title: "A", author: "ana"), Post(id: "b", title: "B")]))
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "UPDATE post SET kind = 'podcast' WHERE id = 'b'")
            try db.execute(sql: "UPDATE member SET role = 'emperor' WHERE id = 'ana'")
        }
        try queue.close()
        // When it is read, then the row is named, with its value and the file
        let reopened = try SQLiteStore(path: path)
        #expect(throws: AgoraError.badRow(path: path, .unknownValue(record: "post", id: "b", field: "kind", value: "podcast"))) {
            try reopened.posts(PostQuery())
        }
        #expect(throws: AgoraError.badRow(path: path, .unknownValue(record: "post", id: "b", field: "kind", value: "podcast"))) {
            try reopened.post("b")
        }
        #expect(throws: AgoraError.badRow(path: path, .unknownValue(record: "member", id: "ana", field: "role", value: "emperor"))) {
            try reopened.members(MemberQuery())
        }
        // and what does not touch those rows still reads.
        #expect(try reopened.counts(.all).total == 2)
        #expect(try reopened.posts(PostQuery(filter: PostFilter(author: "ana"))).map(\.title) == ["A"])
    }

    @Test func a_json_cache_with_an_unknown_post_kind_names_the_record() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("kind.json")
        let text = #"{"format": "agora-cache", "version": 1, "posts": [{"id": "a", "title": "A", "kind": "podcast"}]}"#
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        #expect(throws: AgoraError.self) { try JSONStore(path: path) }
        do { _ = try JSONStore(path: path) } catch let error as AgoraError {
            guard case .badInput(let place, _) = error else { Issue.record("not bad input: \(error)"); return }
            #expect(place == AgoraError.Place(path: path, field: "posts[0].kind"))
        }
    }

    @Test func json_from_a_newer_agora_or_of_another_format_is_refused() throws {
        let dir = TemporaryDirectory()
        let newer = dir.file("newer.json")
        _ = FileManager.default.createFile(atPath: newer, contents: Data(#"{"format": "agora-cache", "version": 7}"#.utf8))
        #expect(throws: AgoraError.newerSchema(path: newer, found: 7, supported: 1)) { try JSONStore(path: newer) }
        let other = dir.file("other.json")
        _ = FileManager.default.createFile(atPath: other, contents: Data(#"{"items": []}"#.utf8))
        #expect(throws: AgoraError.notACache(path: other, .format(nil))) { try JSONStore(path: other) }
    }

    @Test func json_state_is_written_back_atomically_and_completely() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("cache.json")
        let store = try JSONStore(path: path)
        try store.importContent(Fixture.content)
        try store.setRead(true, posts: ["p1"])
        _ = try store.markAllRead(PostFilter(author: "marilia"))
        // No temporary file is left behind, and the file on disk has the change.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["cache.json"])
        let file = try CacheFile.read(path: path)
        #expect(file.state.posts["p1"]?.read == true)
        #expect(file.state.posts["p2"]?.batch == 1)
        #expect(file.state.journal.map(\.token) == [1])
        // Undo survives a restart: the batch is in the file.
        _ = try JSONStore(path: path).undo(nil)
        #expect(try JSONStore(path: path).post("p2").state.read == false)
    }

    @Test func hand_written_json_may_leave_out_defaults() throws {
        let text = """
            {"format": "agora-cache", "version": 1,
             "members": [{"id": "m", "name": "Ana"}],
             "posts": [{"id": "p", "title": "Hi", "published": "2024-05-01T10:00:00Z"}]}
            """
        let file = try CacheFile.decode(Data(text.utf8), path: "hand.json")
        #expect(file.members.first?.role == .member)
        #expect(file.posts.first?.kind == .blogPost)
        #expect(file.posts.first?.published == Date(timeIntervalSince1970: 1_714_557_600))
    }
}

/// Caches where nothing may be written: read them, refuse every write with one message.
@Suite("Read-only caches", .serialized)
struct ReadOnlyCacheTests {
    @Test(arguments: StoreKind.allCases)
    func a_read_only_file_is_read_and_every_write_is_refused_leaving_it_as_it_was(kind: StoreKind) throws {
        let (store, directory) = try makeStore(kind)
        _ = store
        let path = directory.file(kind.fileName)
        chmod(path, 0o444)
        defer { chmod(path, 0o644) }
        let before = FileManager.default.contents(atPath: path)
        let reopened = try reopen(kind, directory)
        #expect(reopened.isReadOnly)
        #expect(try reopened.posts(PostQuery()).count == 6)
        #expect(try reopened.statistics().posts == 6)
        #expect(throws: AgoraError.self) { try reopened.setRead(true, posts: ["p1"]) }
        if kind == .sqlite {
            #expect(throws: AgoraError.cannotSave(path: path, .file)) {
                try reopened.markAllRead(.all)
            }
        }
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    /// Runs mount or umount; whether it worked.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// A read-only file system, where root can write nothing either: a bind mount, when this
    /// machine lets the tests make one.
    static let readOnlyMount: String? = {
        let source = NSTemporaryDirectory() + "agora-ro-src-" + UUID().uuidString
        let target = NSTemporaryDirectory() + "agora-ro-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/mount"), run("/bin/mount", ["--bind", source, target]) else {
            return nil
        }
        return source + "|" + target
    }()

    @Test(.enabled(if: readOnlyMount != nil, "this machine does not let the tests make a read-only mount"))
    func a_cache_on_a_read_only_file_system_is_read() throws {
        let parts = try #require(Self.readOnlyMount).split(separator: "|").map(String.init)
        let (source, target) = (parts[0], parts[1])
        do {
            // Written and closed, as a cache is before it is put on a read-only disk.
            let store = try SQLiteStore(path: source + "/ro.sqlite")
            try store.importContent(Fixture.content)
            try store.setRead(true, posts: ["p1"])
        }
        #expect(Self.run("/bin/mount", ["-o", "remount,bind,ro", target]))
        // Lazily, so that it goes even while a file is still open on it.
        defer { Self.run("/bin/umount", ["-l", target]) }
        do {
            let readOnly = try SQLiteStore(path: target + "/ro.sqlite", create: false)
            #expect(readOnly.isReadOnly)
            #expect(try readOnly.post("p1").state.read)
            #expect(try readOnly.counts(.all).total == 6)
            #expect(throws: AgoraError.cannotSave(path: target + "/ro.sqlite", .file)) {
                try readOnly.setRead(true, posts: ["p2"])
            }
        }
    }

    @Test(.enabled(if: readOnlyMount != nil, "this machine does not let the tests make a mount"))
    func a_cache_on_a_full_disk_is_read_and_says_why_marks_cannot_be_saved() throws {
        // Given a cache on a 2 MiB file system, then the rest of the space taken
        let folder = NSTemporaryDirectory() + "agora-full-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", folder]))
        defer { Self.run("/bin/umount", ["-l", folder]) }
        do {
            let store = try SQLiteStore(path: folder + "/full.sqlite")
            try store.importContent(Fixture.content)
        }
        let filler = FileHandle(forWritingAtPath: folder + "/filler") ?? {
            _ = FileManager.default.createFile(atPath: folder + "/filler", contents: nil)
            return FileHandle(forWritingAtPath: folder + "/filler")!
        }()
        let block = Data(count: 4_096)
        while (try? filler.write(contentsOf: block)) != nil {}
        try? filler.close()
        // When it is opened, it reads; a mark says there is no room.
        let full = try SQLiteStore(path: folder + "/full.sqlite", create: false)
        #expect(full.readOnlyReason == .diskFull)
        #expect(try full.statistics().posts == 6)
        #expect(throws: AgoraError.cannotSave(path: folder + "/full.sqlite", .diskFull)) {
            try full.setRead(true, posts: ["p1"])
        }
    }
}

/// The JSON cache's marks go to a log beside the file: a mark costs a line, not the file.
@Suite("The JSON cache's marks log")
struct MarkLogTests {
    func store(_ directory: TemporaryDirectory) throws -> (JSONStore, String) {
        let path = directory.file("cache.json")
        let store = try JSONStore(path: path)
        try store.importContent(Fixture.content)
        return (store, path)
    }

    @Test func a_mark_appends_a_line_and_leaves_the_file_as_it_was() throws {
        let directory = TemporaryDirectory()
        let (store, path) = try store(directory)
        let before = FileManager.default.contents(atPath: path)
        try store.setRead(true, posts: ["p1"])
        try store.setStarred(true, posts: ["p2"])
        try store.setMuted(true, member: Fixture.content.members[0].id)
        #expect(FileManager.default.contents(atPath: path) == before, "the file was written whole for a mark")
        let log = try String(contentsOfFile: path + "-marks", encoding: .utf8)
        #expect(log.split(separator: "\n").count == 4, "a header and a line a mark: \(log)")
        // Another store, and a store opened later, see them.
        let other = try JSONStore(path: path, create: false)
        #expect(try other.post("p1").state.read && other.post("p2").state.starred)
        #expect(try other.mutedMembers().keys.contains(Fixture.content.members[0].id))
        try store.setStarred(false, posts: ["p2"])
        #expect(try other.changedElsewhere())
        #expect(try !other.post("p2").state.starred)
        // A whole write folds the log into the file and removes it.
        _ = try store.markAllRead(.all)
        #expect(!FileManager.default.fileExists(atPath: path + "-marks"))
        let file = try CacheFile.read(path: path)
        #expect(file.state.posts["p1"]?.read == true)
    }

    @Test func a_log_left_beside_a_file_written_since_is_not_read() throws {
        let directory = TemporaryDirectory()
        let (store, path) = try store(directory)
        try store.setStarred(true, posts: ["p1"])
        let stale = try Data(contentsOf: URL(fileURLWithPath: path + "-marks"))
        try store.setStarred(false, posts: ["p1"])
        _ = try store.markAllRead(.all)  // written whole; the log goes
        // A crash between the whole write and the log's removal would leave the old log.
        try stale.write(to: URL(fileURLWithPath: path + "-marks"))
        let reopened = try JSONStore(path: path, create: false)
        #expect(try !reopened.post("p1").state.starred)
        // Seen once as another file's: not taken for a change at every look (the reader asks twice a second).
        #expect(try !reopened.changedElsewhere())
        #expect(try !reopened.changedElsewhere())
        // The next mark starts a log of this file, and it is read.
        try reopened.setStarred(true, posts: ["p2"])
        let again = try JSONStore(path: path, create: false)
        #expect(try again.post("p2").state.starred && !again.post("p1").state.starred)
    }

    @Test func part_of_a_line_left_by_a_killed_writer_is_skipped_and_the_next_mark_is_whole() throws {
        let directory = TemporaryDirectory()
        let (store, path) = try store(directory)
        try store.setRead(true, posts: ["p1"])
        let handle = try #require(FileHandle(forWritingAtPath: path + "-marks"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"posts":{"p2":{"read":tr"#.utf8))
        try handle.close()
        let other = try JSONStore(path: path, create: false)
        #expect(try other.post("p1").state.read)
        #expect(try !other.post("p2").state.read)
        try other.setStarred(true, posts: ["p3"])
        let reopened = try JSONStore(path: path, create: false)
        #expect(try reopened.post("p1").state.read && reopened.post("p3").state.starred && !reopened.post("p2").state.read)
    }
}
