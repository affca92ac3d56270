@testable import AgoraKit
import AgoraTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

/// The search index follows the content: an import commits its posts and comments, then indexes
/// them in steps that another process sees between, and a search finds what is indexed.
@Suite("The search index after the content")
struct SearchIndexingTests {
    static func posts(_ range: Range<Int>, word: String = "common") -> [Post] {
        range.map { Post(id: Post.ID("p\($0)"), title: "Post \($0)", body: "<p>\(word) ptok\($0)x</p>") }
    }

    /// Empties the index and its mark, as a process stopped right after its content commit
    /// leaves them.
    static func forgetIndex(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO postSearch (postSearch) VALUES ('delete-all');
                INSERT INTO commentSearch (commentSearch) VALUES ('delete-all');
                UPDATE searchIndexed SET upTo = 0;
                """)
        }
        try queue.close()
    }

    /// A cache of `content` as an import stopped right after its content commit leaves it, opened again.
    static func unindexed(_ content: CacheContent, in directory: TemporaryDirectory) throws -> SQLiteStore {
        let path = directory.file("c.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            try store.importContent(content)
        }
        try forgetIndex(path: path)
        return try SQLiteStore(path: path)
    }

    @Test func another_process_reads_the_content_while_the_index_is_made_and_finds_what_is_indexed() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("c.sqlite")
        let store = try SQLiteStore(path: path, indexStep: 2_000)
        // What a second process sees each time the importer says how far its index has got.
        struct Seen: Equatable { var progress: SearchIndexProgress; var listed: Int; var found: Int; var foundComments: Int }
        let seen = Mutex<[Seen]>([])
        let failure = Mutex<String?>(nil)
        store.indexObserver.withLock {
            $0 = { (progress: SearchIndexProgress) in
                do {
                    let other = try SQLiteStore(path: path, create: false)
                    let found = try other.search("common", limit: 10_000)
                    let listed = try other.posts(PostQuery(limit: 10_000)).count
                    let row = Seen(progress: try other.searchIndexProgress(), listed: listed, found: found.posts.count, foundComments: found.comments.count)
                    seen.withLock { $0.append(row) }
                    #expect(row.progress == progress)
                } catch { failure.withLock { $0 = "\(error)" } }
            }
        }
        let count = 4_500
        try store.importBatches { write in
            for batch in 0..<3 {
                let range = (batch * 1_500)..<((batch + 1) * 1_500)
                try write(CacheContent(posts: Self.posts(range),
                                       comments: range.prefix(10).map { Comment(id: Comment.ID("c\($0)"), post: Post.ID("p\($0)"), body: "<p>common reply</p>") }))
            }
        }
        #expect(failure.withLock { $0 } == nil)
        let steps = seen.withLock { $0 }
        // Every post is listed from the first report on; search finds 0, 2,000, 4,000, then all,
        // then the comments.
        #expect(steps.map(\.listed) == Array(repeating: count, count: steps.count))
        #expect(steps.map(\.found) == [0, 2_000, 4_000, 4_500, 4_500])
        #expect(steps.map(\.foundComments) == [0, 0, 0, 0, 30])
        #expect(steps.first?.progress == SearchIndexProgress(posts: count, postsIndexed: 0, comments: 30, commentsIndexed: 0))
        #expect(steps.last?.progress.isComplete == true)
        #expect(try store.search("ptok4499x").posts.map { $0.post.id.rawValue } == ["p4499"])
    }

    @Test func an_index_left_unfinished_is_carried_on_by_the_next_writer_without_doubles() throws {
        let directory = TemporaryDirectory()
        let store = try Self.unindexed(CacheContent(posts: Self.posts(0..<300)), in: directory)
        #expect(try store.searchIndexProgress() == SearchIndexProgress(posts: 300, postsIndexed: 0, comments: 0, commentsIndexed: 0))
        #expect(try store.search("common", limit: 1_000).posts.isEmpty)
        #expect(try store.posts(PostQuery(limit: 1_000)).count == 300, "the content is there, unindexed")
        // A reader's step indexes a part; a search finds that part.
        #expect(try store.indexForSearchStep(limit: 100).postsIndexed == 100)
        #expect(try store.search("common", limit: 1_000).posts.count == 100)
        // The next import indexes the rest and its own, each once.
        try store.importContent(CacheContent(posts: Self.posts(300..<301)))
        #expect(try store.searchIndexProgress().isComplete)
        #expect(try store.searchCounts(SearchQuery("common"), kinds: [.posts])[.posts] == 301)
        #expect(try store.search("ptok42x").posts.map { $0.post.id.rawValue } == ["p42"])
        #expect(try store.search("ptok300x").posts.map { $0.post.id.rawValue } == ["p300"])
    }

    @Test func a_post_changed_before_it_is_indexed_is_found_by_its_new_words_and_one_indexed_by_its_new_words_too() throws {
        let directory = TemporaryDirectory()
        let store = try Self.unindexed(CacheContent(posts: Self.posts(0..<2, word: "alpha"), comments: [Comment(id: "c0", post: "p0", body: "<p>gamma</p>")]),
                                       in: directory)
        // p0 and c0 change while unindexed: the change leaves the index alone, the index takes the new text.
        try store.importContent(CacheContent(posts: Self.posts(0..<1, word: "beta"), comments: [Comment(id: "c0", post: "p0", body: "<p>delta</p>")]))
        #expect(try store.search("alpha").posts.map { $0.post.id.rawValue } == ["p1"])
        #expect(try store.search("beta").posts.map { $0.post.id.rawValue } == ["p0"])
        #expect(try store.search("gamma").comments.isEmpty)
        #expect(try store.search("delta").comments.map { $0.comment.rawValue } == ["c0"])
        // Indexed, then changed again: its old words leave the index.
        try store.importContent(CacheContent(posts: Self.posts(0..<1, word: "epsilon"), comments: [Comment(id: "c0", post: "p0", body: "<p>zeta</p>")]))
        #expect(try store.search("beta").posts.isEmpty)
        #expect(try store.search("epsilon").posts.map { $0.post.id.rawValue } == ["p0"])
        #expect(try store.search("delta").comments.isEmpty)
        #expect(try store.search("zeta").comments.map { $0.comment.rawValue } == ["c0"])
        #expect(try store.searchIndexProgress() == SearchIndexProgress(posts: 2, postsIndexed: 2, comments: 1, commentsIndexed: 1))
    }

    @Test func a_cache_of_the_seventh_schema_is_all_indexed_when_it_opens() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("v7.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            try store.importContent(CacheContent(posts: Self.posts(0..<20), comments: [Comment(id: "c0", post: "p0", body: "<p>common</p>")]))
        }
        try TestSQLite.downgradeToVersion7(path: path)
        #expect(try TestSQLite.userVersion(path: path) == 7)
        let store = try SQLiteStore(path: path)
        #expect(try TestSQLite.userVersion(path: path) == Schema.version)
        #expect(try store.searchIndexProgress() == SearchIndexProgress(posts: 20, postsIndexed: 20, comments: 1, commentsIndexed: 1))
        // Its post and comment indexes merge eight segments at a level, as a new cache's do.
        let queue = try DatabaseQueue(path: path)
        for table in ["postSearch", "commentSearch"] {
            #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT v FROM \(table)_config WHERE k = 'automerge'") } == 8, "\(table)")
        }
        try queue.close()
        try store.importContent(CacheContent(posts: Self.posts(20..<21)))
        #expect(try store.searchCounts(SearchQuery("common"), kinds: [.posts, .comments]) == [.posts: 21, .comments: 1])
    }

    @Test func a_step_made_ahead_is_made_again_when_another_process_wrote_in_between() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("c.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            try store.importContent(CacheContent(posts: Self.posts(0..<6, word: "old")))
        }
        try Self.forgetIndex(path: path)
        let store = try SQLiteStore(path: path, indexStep: 2)
        var reports = 0
        try store.indexForSearch { _ in
            reports += 1
            // After the first step (p0, p1), whose transaction read p2 and p3 for the next one:
            // another process changes p3's text (its own index pass not run yet).
            guard reports == 2 else { return }
            let queue = try DatabaseQueue(path: path)
            try queue.write { try $0.execute(sql: "UPDATE postBody SET html = '<p>new ptok3x</p>' WHERE post = (SELECT rowid FROM post WHERE id = 'p3')") }
            try queue.close()
        }
        #expect(reports == 4, "before the first step and after each of three")
        #expect(try store.search("new").posts.map { $0.post.id.rawValue } == ["p3"])
        #expect(try store.searchCounts(SearchQuery("old"), kinds: [.posts])[.posts] == 5)
    }

    /// The command line's import: past a step, the index is left to whoever needs it first.
    @Test func a_store_that_leaves_large_indexes_indexes_a_step_or_less_and_leaves_more() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("c.sqlite")
        let store = try SQLiteStore(path: path, indexStep: 10)
        store.leavesLargeIndex.withLock { $0 = true }
        // Ten posts and comments waiting: one step, made now, in batches or in one write.
        try store.importBatches { write in try write(CacheContent(posts: Self.posts(0..<6))) }
        try store.importContent(CacheContent(posts: Self.posts(6..<8), comments: [Comment(id: "c0", post: "p0", body: "<p>common</p>")]))
        #expect(try store.searchIndexProgress() == SearchIndexProgress(posts: 8, postsIndexed: 8, comments: 1, commentsIndexed: 1))
        // Eleven: all of it left, the content there and listed.
        try store.importBatches { write in
            try write(CacheContent(posts: Self.posts(8..<14)))
            try write(CacheContent(posts: Self.posts(14..<19)))
        }
        #expect(try store.searchIndexProgress() == SearchIndexProgress(posts: 19, postsIndexed: 8, comments: 1, commentsIndexed: 1))
        #expect(try store.posts(PostQuery(limit: 100)).count == 19)
        #expect(try store.search("ptok18x").posts.isEmpty)
        // Nor does a write after it, large or small.
        try store.importContent(CacheContent(posts: Self.posts(19..<39)))
        try store.importContent(CacheContent(posts: Self.posts(39..<40)))
        #expect(try store.searchIndexProgress().left == 11 + 21)
        // Whoever needs it makes the rest.
        #expect(try store.indexForSearch().isComplete)
        #expect(try store.search("ptok18x").posts.map { $0.post.id.rawValue } == ["p18"])
        #expect(try store.searchCounts(SearchQuery("common"), kinds: [.posts])[.posts] == 40)
        // A store that does not leave them (a sync, the reader) indexes everything it writes.
        let other = try SQLiteStore(path: path, create: false, indexStep: 10)
        try other.importContent(CacheContent(posts: Self.posts(40..<70)))
        #expect(try other.searchIndexProgress().isComplete)
    }

    /// "More than a step waits" counts posts and comments together, and no further than it needs.
    @Test func what_waits_is_posts_and_comments_together() throws {
        let directory = TemporaryDirectory()
        let store = try Self.unindexed(CacheContent(posts: Self.posts(0..<6), comments: (0..<5).map {
            Comment(id: Comment.ID("c\($0)"), post: "p0", body: "<p>common</p>")
        }), in: directory)
        #expect(try store.searchIndexProgress().left == 11)
        let queue = try DatabaseQueue(path: directory.file("c.sqlite"))
        let waits = { (limit: Int) throws -> Bool in try queue.read { try SearchIndexing.waits($0, moreThan: limit) } }
        #expect(try waits(5) && waits(10) && !waits(11))
        try store.indexForSearch()
        #expect(try !waits(0))
        try queue.close()
    }
}
