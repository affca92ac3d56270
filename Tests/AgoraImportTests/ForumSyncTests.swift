@testable import AgoraImport
import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// Mirroring a Discourse forum: the generated test forum on 127.0.0.1, the recorded responses of
/// real forums, and every way a forum can say no. No test waits for real time: the pace's
/// clock and sleep are the test's own.
@Suite("Forum sync")
struct ForumSyncTests {
    /// A clock that moves only when something sleeps on it.
    final class VirtualTime: @unchecked Sendable {
        private let lock = NSLock()
        private var now: TimeInterval = 0
        private(set) var sleeps: [TimeInterval] = []

        var clock: TimeInterval { lock.lock(); defer { lock.unlock() }; return now }

        func sleep(_ seconds: TimeInterval) {
            lock.lock()
            now += seconds
            sleeps.append(seconds)
            lock.unlock()
        }

        func pacing(rate: Double? = nil, concurrency: Int = 2) -> Pacing {
            Pacing(rate: rate, concurrency: concurrency, clock: { self.clock }, sleep: { self.sleep($0) })
        }
    }

    static let fixtures: String = Fixtures.discourse.path

    struct Setup {
        let forum: TestForum
        let folder = TemporaryDirectory()
        let store: SQLiteStore
        let time = VirtualTime()
        var source: Source

        init(_ forum: TestForum, options: Source.Forum = Source.Forum()) throws {
            self.forum = try forum.start()
            store = try SQLiteStore(path: folder.file("c.sqlite"))
            let site = Discourse.Site(self.forum.baseURL)!
            source = Source(id: site.sourceID, kind: .discourse, name: "Test forum", location: self.forum.baseURL, options: .forum(options))
            try store.importContent(CacheContent(sources: [source]))
        }

        /// One sync as `agora sync` runs it; the source as it is afterwards.
        @discardableResult
        func sync(rate: Double? = nil, day: Double = 0, deadline: TimeInterval = 120) throws -> SyncReport {
            var sync = Sync(fetcher: Fetcher(timeout: 20), deadline: deadline, now: { Date(timeIntervalSince1970: 1_700_000_000 + day * 86_400) })
            sync.pacing = time.pacing(rate: rate)
            sync.keyGrants = .everything  // the key is handed over here; the CLI tests check the grants
            let current = try store.sources().first { $0.id == source.id }!
            return sync.sync(current, into: store)
        }

        var current: Source { get throws { try store.sources().first { $0.id == source.id }! } }
    }

    let site = { (forum: TestForum) in Discourse.Site(forum.baseURL)! }

    @Test func a_first_sync_mirrors_topics_replies_and_members() throws {
        let setup = try Setup(.generated(topics: 60, posts: 400, users: 30))
        defer { setup.forum.stop() }
        let report = try setup.sync()
        #expect(report.status == .updated, "\(report)")
        let site = site(setup.forum)
        // 60 topics listed; one is deleted (its page answers 404) and counted as left out.
        #expect(report.added == 59)
        #expect(try setup.store.posts(PostQuery(limit: 1000)).count == 59)
        let topic = try setup.store.post(site.topicID(1_000))
        #expect(topic.post.title == "Topic 1000: governance")
        #expect(topic.post.kind == .discussion)
        #expect(topic.post.link == setup.forum.baseURL + "/t/topic-1000/1000")
        #expect(topic.post.likes == setup.forum.topic(1_000)!.likes)
        #expect(topic.post.views == setup.forum.topic(1_000)!.views)
        #expect(topic.post.category == "Announcements")
        // 45 posts: the first is the body, the other 44 comments; the 25 after the first page
        // came by post id, twenty at a time.
        #expect(topic.comments.count == 44)
        #expect(setup.forum.requests("/t/1000/posts.json").count == 2)
        // Threads follow reply_to_post_number, across the first page and the posts fetched after it.
        let forumTopic = setup.forum.topic(1_000)!
        for post in forumTopic.posts.dropFirst() {
            let comment = try #require(topic.comments.first { $0.comment.id == site.postID(post.id) }?.comment)
            let parent = post.replyTo.flatMap { n in n == 1 ? nil : forumTopic.posts.first { $0.number == n } }.map { site.postID($0.id) }
            #expect(comment.parent == parent, "post \(post.number) answers \(String(describing: post.replyTo))")
            #expect(comment.link == setup.forum.baseURL + "/t/topic-1000/1000/\(post.number)")
        }
        // Mentions and links relative to the forum are made absolute.
        #expect(topic.post.body.contains("href=\"\(setup.forum.baseURL)/u/"))
        // The whisper and the hidden post are left out and counted; the small action is said as what it is.
        let second = try setup.store.post(site.topicID(1_001))
        #expect(second.comments.count == setup.forum.topic(1_001)!.posts.count - 3)
        #expect(second.comments.contains { $0.comment.authorName == "moderation" && $0.comment.body.contains("closed this topic") })
        #expect((report.leftOut ?? 0) == 3)
        // Members: from the directory and profiles, location kept, a country only when it is named.
        let members = try setup.store.members(MemberQuery(limit: 1000))
        #expect(members.count == 30)
        let kenyan = try setup.store.member(site.memberID("member14"), limit: 0).member
        #expect(kenyan.location == "Nairobi, Kenya" && kenyan.country == "Kenya")
        #expect(try setup.store.member(site.memberID("member1"), limit: 0).member.role == .moderator)
        #expect(kenyan.joined != nil)
        #expect(kenyan.profile.contains { $0.question == "Posts" })
        let muscovite = try setup.store.member(site.memberID("member3"), limit: 0).member
        #expect(muscovite.location == "Москва" && muscovite.country == nil)
        #expect(muscovite.profile.contains { $0.question == "Title" && $0.answer == "Fellow" })
        let admin = try setup.store.member(site.memberID("admin"), limit: 0).member
        #expect(admin.role == .admin)
    }

    /// Passes everything on to the cache, counting each member written and each member asked about.
    final class CountingPort: ImportPort, @unchecked Sendable {
        let inner: SQLiteStore
        private let lock = NSLock()
        private(set) var written: [Member.ID: Int] = [:]
        private(set) var asked = 0
        /// The topics whose replies were asked for.
        private(set) var repliesAsked: [Post.ID] = []
        /// The posts of each write that had any.
        private(set) var postWrites: [Int] = []

        init(_ inner: SQLiteStore) { self.inner = inner }
        func sources() throws -> [Source] { try inner.sources() }
        func knownMembers(_ ids: [Member.ID]) throws -> Set<Member.ID> {
            lock.withLock { asked += ids.count }
            return try inner.knownMembers(ids)
        }
        func knownReplies(of post: Post.ID) throws -> [AgoraKit.Comment.ID: String?] {
            lock.withLock { repliesAsked.append(post) }
            return try inner.knownReplies(of: post)
        }
        func holders(of ids: [String]) throws -> [String: Holder] { try inner.holders(of: ids) }
        func importContent(_ content: CacheContent) throws -> ImportSummary {
            lock.withLock {
                for member in content.members { written[member.id, default: 0] += 1 }
                if !content.posts.isEmpty { postWrites.append(content.posts.count) }
            }
            return try inner.importContent(content)
        }
        func importBatches(_ produce: ((CacheContent) throws -> Void) throws -> Void) throws -> ImportSummary {
            try inner.importBatches(produce)
        }
    }

    @Test func an_author_in_every_batch_is_asked_about_once_and_a_topic_new_to_the_cache_not_for_its_replies() throws {
        let setup = try Setup(.generated(topics: 60, posts: 400, users: 30))
        defer { setup.forum.stop() }
        let port = CountingPort(setup.store)
        var forum = ForumSync(fetcher: Fetcher(timeout: 20), pacing: setup.time.pacing())
        forum.batch = 5  // twelve batches, most authors in most of them
        let outcome = try forum.sync(try setup.current, into: port)
        try setup.store.importContent(CacheContent(sources: [outcome.source]))  // how far it got, as `agora sync` keeps it
        #expect(outcome.posts.added == 59)
        // Topics new to the cache have no replies there to thread to: not asked for them.
        #expect(port.repliesAsked.isEmpty, "\(port.repliesAsked.count) topics asked about")
        // Once from the directory, once more at most from the topics, whatever the batches.
        #expect(port.written.count == 30)
        #expect(port.written.values.allSatisfy { $0 <= 2 }, "\(port.written.values.sorted())")
        #expect(port.asked <= 90, "each member asked about twice by the directory, once by the topics: \(port.asked)")
        let members = try setup.store.members(MemberQuery(limit: 100))
        #expect(members.count == 30 && members.allSatisfy { !$0.name.isEmpty })
        let again = try forum.sync(try setup.current, into: port)
        try setup.store.importContent(CacheContent(sources: [again.source]))
        #expect(again.posts.added == 0 && again.comments.added == 0)
        // A topic the cache has is asked, so that a new reply threads to the post it answers.
        let askedBefore = port.repliesAsked.count
        let parent = setup.forum.topic(1_020)!.posts[2]
        let reply = setup.forum.reply(topic: 1_020, by: "member2", text: "A late answer", to: parent.number)
        let third = try forum.sync(try setup.current, into: port)
        #expect(third.comments.added == 1)
        let askedNow = port.repliesAsked.dropFirst(askedBefore)
        #expect(Array(askedNow) == [site(setup.forum).topicID(1_020)], "\(askedNow)")
        let threaded = try setup.store.post(site(setup.forum).topicID(1_020)).comments.first { $0.comment.id == site(setup.forum).postID(reply) }
        #expect(threaded?.comment.parent == site(setup.forum).postID(parent.id))
    }

    @Test func a_paced_sync_writes_what_it_read_every_two_seconds_and_one_not_paced_all_at_once() throws {
        // Four requests a second on the test's clock: a write every two seconds of it, so the
        // reader shows topics as they come.
        let paced = try Setup(.generated(topics: 60, posts: 400, users: 30))
        defer { paced.forum.stop() }
        let slow = CountingPort(paced.store)
        let outcome = try ForumSync(fetcher: Fetcher(timeout: 20), pacing: paced.time.pacing(rate: 4)).sync(try paced.current, into: slow)
        #expect(outcome.posts.added == 59)
        #expect(slow.postWrites.reduce(0, +) == 59)
        #expect(slow.postWrites.count >= 6, "\(slow.postWrites)")
        #expect(slow.postWrites.allSatisfy { $0 <= 10 }, "two seconds hold eight requests, and a topic takes one or more: \(slow.postWrites)")
        // Not paced (the clock never moves): the topics are written together.
        let fast = try Setup(.generated(topics: 60, posts: 400, users: 30))
        defer { fast.forum.stop() }
        let quick = CountingPort(fast.store)
        #expect(try ForumSync(fetcher: Fetcher(timeout: 20), pacing: fast.time.pacing()).sync(try fast.current, into: quick).posts.added == 59)
        #expect(quick.postWrites == [59])
    }

    @Test func a_second_sync_of_an_unchanged_forum_asks_at_most_three_times() throws {
        let setup = try Setup(.generated(topics: 90, posts: 300, users: 70))
        defer { setup.forum.stop() }
        try setup.sync()
        let before = setup.forum.requests().count
        let again = try setup.sync()
        #expect(again.status == .updated)
        #expect(setup.forum.requests().count - before <= 3, "\(setup.forum.requests().dropFirst(before).map(\.path))")
        #expect(again.added == 0 && again.updated == 0)
        // The next day the directory is read again (two pages of 50), and no more.
        let third = setup.forum.requests().count
        try setup.sync(day: 1.5)
        #expect(setup.forum.requests().count - third <= 4)
    }

    @Test func a_new_reply_and_an_edit_come_in_and_reading_state_stays() throws {
        let setup = try Setup(.generated(topics: 40, posts: 200, users: 20))
        defer { setup.forum.stop() }
        try setup.sync()
        let site = site(setup.forum)
        let quiet = site.topicID(1_010)
        try setup.store.setRead(true, posts: [quiet, site.topicID(1_020)])
        try setup.store.setStarred(true, posts: [quiet])
        let firstOf20 = setup.forum.topic(1_020)!.posts[0].id
        let reply = setup.forum.reply(topic: 1_020, by: "member2", text: "A late answer", to: 1)
        setup.forum.edit(post: firstOf20, text: "Edited body")
        let before = setup.forum.requests().count
        let report = try setup.sync()
        #expect(report.commentsAdded == 1)
        #expect(report.updated == 1, "the edited first post changes the topic's body")
        // Kept with the source as values, for the sources screen to say briefly.
        let kept = try #require(try setup.store.sources().first?.lastResult)
        #expect(kept == SyncResult(outcome: .updated, updated: 1, newReplies: 1) && kept.brief == "1 updated, 1 new reply")
        // The latest page and the one changed topic; nothing else.
        #expect(setup.forum.requests().count - before == 2, "\(setup.forum.requests().dropFirst(before).map(\.path))")
        let detail = try setup.store.post(site.topicID(1_020))
        #expect(detail.post.body.contains("Edited body"))
        #expect(detail.comments.contains { $0.comment.id == site.postID(reply) && $0.comment.body.contains("A late answer") })
        #expect(try setup.store.post(quiet).state.read && setup.store.post(quiet).state.starred)
    }

    @Test func posts_beyond_the_first_page_are_fetched_only_when_missing() throws {
        let setup = try Setup(.generated(topics: 10, posts: 40, users: 10))
        defer { setup.forum.stop() }
        try setup.sync()
        let reply = setup.forum.reply(topic: 1_000, by: "member3", text: "Forty-sixth", to: 30)
        let before = setup.forum.requests("/t/1000/posts.json").count
        try setup.sync()
        let asked = setup.forum.requests("/t/1000/posts.json").dropFirst(before)
        #expect(asked.count == 1)
        #expect(asked.first?.path.components(separatedBy: "post_ids").count == 2, "only the new post is asked for")
        let site = site(setup.forum)
        let comment = try setup.store.post(site.topicID(1_000)).comments.first { $0.comment.id == site.postID(reply) }
        let parent = setup.forum.topic(1_000)!.posts.first { $0.number == 30 }!
        #expect(comment?.comment.parent == site.postID(parent.id), "threaded to a post the cache had")
    }

    @Test func the_first_sync_can_be_bounded_and_limited_to_categories() throws {
        let setup = try Setup(.generated(topics: 80, posts: 160, users: 10), options: Source.Forum(categories: ["policy"], maxTopics: 7))
        defer { setup.forum.stop() }
        let report = try setup.sync()
        #expect(report.added == 7)
        #expect(try setup.store.posts(PostQuery(limit: 100)).allSatisfy { $0.category == "Policy" })
        var wrong = try setup.current
        wrong.forum?.categories = ["nope"]
        try setup.store.importContent(CacheContent(sources: [wrong]))
        let failed = try setup.sync()
        #expect(failed.status == .failed)
        #expect(failed.error?.contains("no category 'nope'") == true && failed.error?.contains("Capacity Building") == true)
    }

    @Test func the_pace_is_kept() throws {
        // Nine requests at four a second: the first at once, then a quarter second apart.
        let time = VirtualTime()
        let gate = RequestGate(time.pacing(rate: 4, concurrency: 1))
        for _ in 0..<9 {
            try gate.enter()
            gate.leave()
        }
        #expect(abs(time.clock - 2.0) < 1e-9)
        // And no more than two at once against a slow forum.
        let setup = try Setup(.generated(topics: 12, posts: 24, users: 4))
        defer { setup.forum.stop() }
        setup.forum.delay = 0.05
        try setup.sync(rate: 1_000)
        #expect(setup.forum.server.maxInFlight == 2)
        #expect(setup.time.sleeps.count >= setup.forum.requests().count - 1 - 2, "requests were spaced by the pace's sleep")
    }

    @Test func retry_after_is_waited_out_up_to_ten_minutes() throws {
        let setup = try Setup(.generated(topics: 5, posts: 10, users: 3))
        defer { setup.forum.stop() }
        setup.forum.tooManyRequests(2, retryAfter: "7")
        let report = try setup.sync()
        #expect(report.status == .updated)
        #expect(setup.time.sleeps.filter { $0 == 7 }.count == 2)
        #expect(report.waited == 14)
        #expect(report.added == 4)
        // Longer than ten minutes: the source stops, says so and remembers until when.
        setup.forum.tooManyRequests(1, retryAfter: "3600")
        let refused = try setup.sync()
        #expect(refused.status == .failed)
        #expect(refused.error?.contains("HTTP 429") == true)
        #expect(try setup.current.retryAfter != nil)
    }

    @Test func a_slow_forum_is_given_up_at_the_timeout_and_a_wait_past_the_deadline_is_not_begun() throws {
        let setup = try Setup(.generated(topics: 3, posts: 3, users: 2))
        defer { setup.forum.stop() }
        setup.forum.delay = 5
        var sync = Sync(fetcher: Fetcher(timeout: 0.3), deadline: 60)
        sync.pacing = setup.time.pacing()
        let slow = sync.run([try setup.current], into: setup.store)[0]
        #expect(slow.status == .failed)
        #expect(slow.error?.contains("timed out after 0.3 s") == true, "\(slow)")
        setup.forum.delay = 0
        setup.forum.tooManyRequests(1, retryAfter: "300")
        let waiting = sync.run([try setup.current], into: setup.store)[0]
        #expect(waiting.status == .failed && waiting.error?.contains("HTTP 429") == true, "\(waiting)")
        #expect(setup.time.sleeps.allSatisfy { $0 < 300 }, "no five-minute wait begun with a minute left")
    }

    @Test func a_topic_that_fails_is_reported_and_read_next_time() throws {
        let setup = try Setup(.generated(topics: 12, posts: 24, users: 4))
        defer { setup.forum.stop() }
        setup.forum.failing = ["/t/1005.json"]
        let report = try setup.sync()
        #expect(report.status == .failed)
        #expect(report.error?.contains("topic 1005") == true && report.error?.contains("HTTP 500") == true)
        #expect(report.added == 10, "the others were written")
        #expect(try setup.current.forum?.syncedThrough == nil, "the cursor waits for the topic that failed")
        setup.forum.failing = []
        let again = try setup.sync()
        #expect(again.status == .updated && again.added == 1)
    }

    @Test func a_forum_that_needs_a_login_says_so_and_a_key_opens_it() throws {
        let forum = TestForum.generated(topics: 3, posts: 6, users: 3)
        forum.requiredKey = "sekret-key-123"
        let setup = try Setup(forum)
        defer { setup.forum.stop() }
        let refused = try setup.sync()
        #expect(refused.status == .failed)
        #expect(refused.error == "\(setup.forum.baseURL): the forum needs a login; give a key with `agora sources add \(setup.forum.baseURL) --api-key-file FILE`")
        let keyFile = setup.folder.write("key", "User-Api-Key: sekret-key-123\n")
        chmod(keyFile, 0o644)
        var source = try setup.current
        source.forum?.keyFile = keyFile
        try setup.store.importContent(CacheContent(sources: [source]))
        let open = try setup.sync()
        #expect(open.status == .failed && open.error?.contains("chmod 600") == true)
        chmod(keyFile, 0o600)
        let read = try setup.sync()
        #expect(read.status == .updated && read.added == 3)
        #expect(setup.forum.requests().last?.headers["user-api-key"] == "sekret-key-123")
        // The key is in no report and nowhere in the cache's files.
        for report in [refused, open, read] { #expect(!"\(report)".contains("sekret")) }
        for name in try FileManager.default.contentsOfDirectory(atPath: setup.folder.path) where name != "key" {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: setup.folder.file(name)))
            #expect(bytes.range(of: Data("sekret-key-123".utf8)) == nil, "\(name) holds the key")
        }
    }

    @Test func the_recorded_responses_of_a_real_forum_sync() throws {
        let setup = try Setup(.recorded(folder: Self.fixtures))
        defer { setup.forum.stop() }
        let report = try setup.sync()
        // The recorded latest list names topic 1 (thrice), whose page was not recorded: it is
        // left out; topic 57's page was, but it is not in that list.
        #expect(report.status == .updated, "\(report)")
        #expect(report.leftOut == 1)
        #expect(setup.forum.requests("/latest.json").count == 2, "the second page repeats the first: the list ends there")
    }

    @Test func the_forums_feed_and_the_forum_make_the_same_posts() throws {
        let setup = try Setup(.generated(topics: 30, posts: 60, users: 8))
        defer { setup.forum.stop() }
        let address = setup.forum.baseURL + "/latest.rss"
        let feed = Source(id: FeedImport.sourceID(address), kind: .feed, name: "feed", location: address)
        try setup.store.importContent(CacheContent(sources: [feed]))
        // The feed first: 25 topics, with the forum's ids.
        let sync = Sync(fetcher: Fetcher(timeout: 20))
        let fed = sync.sync(feed, into: setup.store)
        #expect(fed.status == .updated && fed.added == 25, "\(fed)")
        let site = site(setup.forum)
        #expect(try setup.store.posts(PostQuery(limit: 100)).allSatisfy { $0.id.rawValue.hasPrefix("discourse:\(site.key):t") })
        #expect(try setup.store.posts(PostQuery(limit: 100)).first?.author?.rawValue.hasPrefix("discourse:\(site.key):u:") == true)
        // Then the forum: the same posts, filled in; nothing doubled.
        let report = try setup.sync()
        #expect(report.added == 29 - 25 + 0 && report.updated == 25, "\(report)")
        #expect(try setup.store.posts(PostQuery(limit: 100)).count == 29)
        // And the feed again leaves the forum's fuller posts as they are.
        let again = sync.sync(try setup.store.sources().first { $0.id == feed.id }!, into: setup.store)
        #expect(again.added == 0 && again.updated == 0, "\(again)")
        #expect(try setup.store.posts(PostQuery(limit: 100)).count == 29)
        #expect(try setup.store.post(site.topicID(1_029)).post.views != nil)
    }

    @Test func a_username_with_a_dot_is_asked_for_as_it_is_and_a_failed_profile_is_counted() throws {
        // Given a forum where xu.jing and ghost (whose profile answers 404) have written
        let forum = TestForum.generated(topics: 6, posts: 20, users: 4)
        forum.addUser(username: "xu.jing", name: "Xu Jing", location: "Beijing, China")
        forum.reply(topic: 1_005, by: "xu.jing", text: "A reply from Beijing.")
        forum.reply(topic: 1_005, by: "ghost", text: "A reply from someone whose profile is gone.")
        let setup = try Setup(forum)
        defer { forum.stop() }

        // When the forum is synced
        let report = try setup.sync()

        // Then the profile was asked for at /u/xu.jing.json and read
        #expect(forum.requests("/u/xu").map(\.path) == ["/u/xu.jing.json"])
        let site = Discourse.Site(forum.baseURL)!
        let xu = try setup.store.member(site.memberID("xu.jing"), limit: 0).member
        #expect(xu.location == "Beijing, China")
        #expect(xu.name == "Xu Jing")
        // and the one that failed is said
        #expect(report.profilesFailed == 1, "\(report)")
        #expect(report.summary.contains("1 profile could not be read"), "\(report.summary)")
    }

    @Test(arguments: [("xu.jing", "/u/xu.jing.json"), ("a/b", "/u/a%2Fb.json"), ("..", nil), ("山田", "/u/%E5%B1%B1%E7%94%B0.json")])
    func profile_paths_keep_dots_and_encode_the_rest(username: String, path: String?) {
        #expect(ForumSync.profilePath(username: username) == path)
    }

    @Test func a_repeated_id_is_skipped_and_counted_and_the_rest_written() throws {
        // Given a forum where a post is listed in two topics and two members' names clean to one id
        let forum = TestForum.generated(topics: 8, posts: 30, users: 4)
        let moved = try #require(forum.topics[5].posts.last?.id)
        forum.repeatPost(moved, inTopic: forum.topics[6].id)
        forum.addUser(username: "Twin", name: "Twin One", location: nil)
        forum.addUser(username: "twin", name: "Twin Two", location: nil)
        forum.reply(topic: forum.topics[2].id, by: "Twin", text: "One")
        forum.reply(topic: forum.topics[2].id, by: "twin", text: "Two")
        let setup = try Setup(forum)
        defer { forum.stop() }

        // When it is synced
        let report = try setup.sync()

        // Then every topic is written, the repeats are counted, and nothing failed
        #expect(report.status == .updated, "\(report)")
        #expect(try setup.store.statistics().posts == 7, "every topic but the deleted one")
        #expect((report.duplicates ?? 0) >= 2, "\(report)")
        #expect(report.summary.contains("repeated ids skipped"), "\(report.summary)")
    }

    @Test func a_directory_that_answers_every_page_alike_is_read_once() throws {
        let forum = TestForum.generated(topics: 6, posts: 20, users: 8)
        forum.directoryRepeats = true
        let setup = try Setup(forum)
        defer { forum.stop() }
        let report = try setup.sync()
        #expect(report.status == .updated, "\(report)")
        #expect(forum.requests("/directory_items").count == 2, "the second page, with no one new, ends it: \(forum.requests("/directory_items").map(\.path))")
        #expect(try setup.store.statistics().posts == 5, "the topics were read")
    }

    @Test func a_slow_rate_stops_at_the_deadline_instead_of_waiting_past_it() throws {
        // Given a forum of 40 topics and a rate of 0.3 requests a second (a user key's)
        let forum = TestForum.generated(topics: 40, posts: 60, users: 4)
        let setup = try Setup(forum)
        defer { forum.stop() }

        // When a sync with a 40-second deadline runs (on the test's clock)
        let report = try setup.sync(rate: 0.3, deadline: 40)

        // Then it stopped at the deadline: no request began after it, nothing waited past it
        #expect(setup.time.clock <= 40 + 1 / 0.3, "waited until \(setup.time.clock) s")
        #expect(report.status == .failed || report.status == .updated, "\(report)")
        #expect(forum.requests().count <= Int(40 * 0.3) + 2, "\(forum.requests().count) requests")
    }

    @Test func a_forum_larger_than_one_sync_is_mirrored_by_syncs_that_go_on_where_the_last_stopped() throws {
        // Given 300 topics and syncs of 30 seconds at four requests a second (on the test's clock)
        let forum = TestForum.generated(topics: 300, posts: 600, users: 6)
        let setup = try Setup(forum)
        defer { forum.stop() }
        var counts: [Int] = []
        // When the forum is synced again and again
        for round in 0..<6 {
            let report = try setup.sync(rate: 4, deadline: 30)
            counts.append(try setup.store.statistics().posts)
            if round == 0 { #expect(report.status == .failed && report.error?.contains("the next sync goes on") == true, "\(report)") }
        }
        // Then each sync adds to what the last one wrote, and they end with the whole forum
        #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 <= $1 }, "\(counts)")
        #expect(counts[1] > counts[0] && counts[2] > counts[1], "progress is kept: \(counts)")
        #expect(counts.last == 299, "every topic but the deleted one: \(counts)")
        let source = try #require(try setup.store.sources().first)
        #expect(source.forum?.readFrom == nil && source.forum?.syncedThrough != nil, "done: the cursor moved")
    }

    @Test func a_topic_of_thousands_of_posts_is_written_in_parts() throws {
        let forum = TestForum.generated(topics: 3, posts: 6, users: 4)
        forum.addLongTopic(id: 9_000, posts: 4_500)
        let setup = try Setup(forum)
        defer { forum.stop() }
        let topic = Discourse.Site(forum.baseURL)!.topicID(9_000)
        let first = try setup.sync()
        let part = try setup.store.post(topic).comments.count
        #expect(part > 0 && part < 4_499, "written in part: \(part)")
        #expect(first.error?.contains("1 long topic written in part") == true, "\(first)")
        try setup.sync()
        try setup.sync()
        #expect(try setup.store.post(topic).comments.count == 4_499)
        #expect(try setup.store.sources().first?.forum?.unfinished == nil)
    }

    @Test func what_one_topic_holds_in_one_sync_is_bounded_by_bytes() throws {
        // Given a topic of 400 posts of 100 KB each (2 MB an answer of 20 posts)
        let forum = TestForum.generated(topics: 2, posts: 4, users: 3)
        forum.addLongTopic(id: 9_100, posts: 400, bodyBytes: 100_000)
        let setup = try Setup(forum)
        defer { forum.stop() }
        // When it is synced
        let report = try setup.sync()
        // Then no more than the topic's budget was read of it, and what was read is written
        let asked = forum.requests("/t/9100/posts.json").count
        #expect(asked >= 1 && asked <= (ForumSync.topicBytes / 2_000_000) + 1, "\(asked) requests")
        let topic = Discourse.Site(forum.baseURL)!.topicID(9_100)
        let written = try setup.store.post(topic).comments.count
        #expect(written > 19 && written < 399, "\(written)")
        #expect(report.error?.contains("written in part") == true, "\(report)")
    }

    @Test func a_directory_longer_than_a_sync_does_not_hold_back_the_topics() throws {
        // Given a forum of 400 members (8 directory pages) and syncs of 2 seconds at 4 requests a second
        let forum = TestForum.generated(topics: 6, posts: 12, users: 400)
        let setup = try Setup(forum)
        defer { forum.stop() }
        let first = try setup.sync(rate: 4, deadline: 2)
        #expect(first.status == .failed && first.error?.contains("the next sync goes on") == true, "\(first)")
        // Then the next syncs read the topics, not the directory again
        for _ in 0..<4 { try setup.sync(rate: 4, deadline: 2) }
        #expect(try setup.store.statistics().posts == 5, "the topics came in")
        #expect(forum.requests("/directory_items").count <= 9)
    }
}
