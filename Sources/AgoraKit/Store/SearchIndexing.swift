import Foundation
import GRDB

/// How far the search index has got: posts and comments are in it in the order they were
/// written, and an import commits its content before it indexes it.
public struct SearchIndexProgress: Hashable, Sendable {
    public var posts: Int
    public var postsIndexed: Int
    public var comments: Int
    public var commentsIndexed: Int

    public init(posts: Int, postsIndexed: Int, comments: Int, commentsIndexed: Int) {
        (self.posts, self.postsIndexed, self.comments, self.commentsIndexed) = (posts, postsIndexed, comments, commentsIndexed)
    }

    /// Nothing waits to be indexed (a cache whose search needs no index is always complete).
    public static let complete = SearchIndexProgress(posts: 0, postsIndexed: 0, comments: 0, commentsIndexed: 0)

    public var isComplete: Bool { postsIndexed >= posts && commentsIndexed >= comments }

    /// Posts and comments not in the index yet.
    public var left: Int { max(0, posts - postsIndexed) + max(0, comments - commentsIndexed) }

    /// "indexing for search: 40,000 of 100,000 posts, 0 of 300,000 comments", said where a
    /// search may miss what is not indexed yet; nil when nothing waits.
    public var words: String? {
        guard !isComplete else { return nil }
        var parts = ["\(postsIndexed.grouped) of \(posts.grouped) posts"]
        if comments > 0 { parts.append("\(commentsIndexed.grouped) of \(comments.grouped) comments") }
        return "indexing for search: " + parts.joined(separator: ", ")
    }
}

/// The search index after the content. `searchIndexed` holds, for posts and for comments, the
/// last rowid the index holds: rows after it are not in the index yet (rowids only grow; nothing
/// is deleted). A step takes the next rows in rowid order, makes their search text on every
/// core, adds them and moves the mark, in one transaction: two processes indexing take turns,
/// and a process stopped between steps leaves an index that the next one carries on.
enum SearchIndexing {
    struct Mark: Equatable {
        var posts: Int64
        var comments: Int64
    }

    static func mark(_ db: Database) throws -> Mark {
        // A cache opened read-only keeps its older schema: everything in it was indexed on write.
        guard try db.tableExists("searchIndexed") else { return Mark(posts: .max, comments: .max) }
        let rows = try Row.fetchAll(db, sql: "SELECT what, upTo FROM searchIndexed")
        var mark = Mark(posts: 0, comments: 0)
        for row in rows {
            let what: String = try row.decode(forColumn: "what"), upTo: Int64 = try row.decode(forColumn: "upTo")
            if what == "post" { mark.posts = upTo } else if what == "comment" { mark.comments = upTo }
        }
        return mark
    }

    /// Whether more than `limit` posts and comments wait to be indexed, counting no further
    /// than that (`progress` counts them all).
    static func waits(_ db: Database, moreThan limit: Int) throws -> Bool {
        let mark = try mark(db)
        guard mark.posts < .max else { return false }
        let posts = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM post WHERE rowid > ? LIMIT ?)", arguments: [mark.posts, limit + 1]) ?? 0
        guard posts <= limit else { return true }
        let comments = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM comment WHERE rowid > ? LIMIT ?)",
                                        arguments: [mark.comments, limit + 1 - posts]) ?? 0
        return posts + comments > limit
    }

    static func progress(_ db: Database) throws -> SearchIndexProgress {
        let mark = try mark(db)
        guard mark.posts < .max else { return .complete }
        let posts = try Int.fetchOne(db, sql: "SELECT total FROM totals WHERE id = 1") ?? 0
        let comments = try Int.fetchOne(db, sql: "SELECT comments FROM totals WHERE id = 1") ?? 0
        // Nothing after the marks: complete, without counting (a search asks at every key).
        let lastPost = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM post") ?? 0
        let lastComment = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM comment") ?? 0
        if lastPost <= mark.posts, lastComment <= mark.comments {
            return SearchIndexProgress(posts: posts, postsIndexed: posts, comments: comments, commentsIndexed: comments)
        }
        let postsLeft = try Int.fetchOne(db, sql: "SELECT count(*) FROM post WHERE rowid > ?", arguments: [mark.posts]) ?? 0
        let commentsLeft = try Int.fetchOne(db, sql: "SELECT count(*) FROM comment WHERE rowid > ?", arguments: [mark.comments]) ?? 0
        return SearchIndexProgress(posts: posts, postsIndexed: posts - postsLeft, comments: comments, commentsIndexed: comments - commentsLeft)
    }

    /// The rows of one step and their search texts, made while the step before is written.
    struct Step: Sendable {
        enum Kind: Sendable { case posts, comments }
        var kind: Kind
        var rowids: [Int64]
        var titles: [String]
        var texts: [String]
        var words: Set<String>
        /// The mark the step follows: it is only written where the mark still says so.
        var after: Int64
    }

    /// Rows as read for a step, their search texts not made yet.
    struct Rows: Sendable {
        var kind: Step.Kind
        var after: Int64
        var rowids: [Int64]
        var titles: [String]
        var html: [String]
    }

    /// The next rows the index lacks after `mark` (posts first, then comments), up to `limit`:
    /// their ids and text as read. Empty when nothing waits.
    static func rows(_ db: Database, after mark: Mark, limit: Int) throws -> Rows {
        let posts = try Row.fetchAll(db, sql: """
            SELECT p.rowid AS rowid, p.title AS title, coalesce(b.html, '') AS html FROM post p LEFT JOIN postBody b ON b.post = p.rowid
            WHERE p.rowid > ? ORDER BY p.rowid LIMIT ?
            """, arguments: [mark.posts, limit])
        if !posts.isEmpty {
            return Rows(kind: .posts, after: mark.posts, rowids: try posts.map { try $0.decode(forColumn: "rowid") },
                        titles: try posts.map { try $0.decode(forColumn: "title") }, html: try posts.map { try $0.decode(forColumn: "html") })
        }
        let comments = try Row.fetchAll(db, sql: "SELECT rowid, body FROM comment WHERE rowid > ? ORDER BY rowid LIMIT ?",
                                        arguments: [mark.comments, limit])
        return Rows(kind: .comments, after: mark.comments, rowids: try comments.map { try $0.decode(forColumn: "rowid") }, titles: [],
                    html: try comments.map { try $0.decode(forColumn: "body") })
    }

    /// The search texts of rows read by `rows` (on every core).
    /// `besideWriter`: made while a step is written, on every core but the writer's (with it,
    /// they took turns on the writer's core and the writer waited for what was made).
    static func made(_ read: Rows, besideWriter: Bool = false) -> Step {
        let made = SQLiteStore.searchTexts(read.html, titles: read.titles, sparing: besideWriter ? 1 : 0)
        return Step(kind: read.kind, rowids: read.rowids, titles: read.titles.map(SearchText.forIndex), texts: made.texts, words: made.words, after: read.after)
    }

    /// The next rows after the mark as it is now, read, made and written in the caller's transaction.
    static func stepNow(_ db: Database, limit: Int, sent: inout Set<String>) throws -> Bool {
        try write(made(try rows(db, after: mark(db), limit: limit)), db, sent: &sent)
    }

    /// Writes a step's rows into the index and moves the mark past them; false (and nothing
    /// written) when the mark is no longer where the step was read after.
    static func write(_ step: Step, _ db: Database, sent: inout Set<String>) throws -> Bool {
        let mark = try mark(db)
        guard let last = step.rowids.last, (step.kind == .posts ? mark.posts : mark.comments) == step.after else { return false }
        if step.kind == .posts {
            let insert = try db.cachedStatement(sql: "INSERT INTO postSearch (rowid, title, body) VALUES (?, ?, ?)")
            for (k, rowid) in step.rowids.enumerated() { try insert.execute(arguments: [rowid, step.titles[k], step.texts[k]]) }
            try db.execute(sql: "UPDATE searchIndexed SET upTo = ? WHERE what = 'post'", arguments: [last])
        } else {
            let insert = try db.cachedStatement(sql: "INSERT INTO commentSearch (rowid, body) VALUES (?, ?)")
            for (k, rowid) in step.rowids.enumerated() { try insert.execute(arguments: [rowid, step.texts[k]]) }
            try db.execute(sql: "UPDATE searchIndexed SET upTo = ? WHERE what = 'comment'", arguments: [last])
        }
        // The words of what went in, for the words a typed prefix begins.
        let term = try db.cachedStatement(sql: "INSERT OR IGNORE INTO searchTerm (term) VALUES (?)")
        for word in step.words where sent.insert(word).inserted { try term.execute(arguments: [word]) }
        return true
    }
}

extension SQLiteStore {
    /// Bodies as the plain text the search indexes hold, and the words in them and in the
    /// `titles` (for the list of words a typed prefix begins), on every core but `sparing`: a
    /// step is thousands.
    static func searchTexts(_ bodies: [String], titles: [String] = [], sparing: Int = 0) -> (texts: [String], words: Set<String>) {
        // Pieces of 128, or one piece for each core used when some are spared (so that no more
        // than that many run at once).
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount - sparing)
        let chunk = sparing == 0 ? 128 : max(1, (bodies.count + workers - 1) / workers)
        let ranges = stride(from: 0, to: bodies.count, by: chunk).map { $0..<min(bodies.count, $0 + chunk) }
        let made = Concurrently.map(ranges, minimum: 2, chunk: 1) { range -> (texts: [String], words: [String]) in
            var collector = TermCollector()
            let texts = range.map { k -> String in
                let text = SearchText.forIndex(PlainText.fromHTML(bodies[k]))
                collector.add(text)
                if k < titles.count { collector.add(SearchText.forIndex(titles[k])) }
                return text
            }
            return (texts, collector.found)
        }
        return (made.flatMap(\.texts), Set(made.flatMap(\.words)))
    }

    public func searchIndexProgress() throws -> SearchIndexProgress {
        try read { db in try SearchIndexing.progress(db) }
    }

    /// Indexes what the search index lacks, `step` posts or comments a transaction (the store's
    /// `indexStep` unless given), until nothing waits (another process indexing at the same
    /// time takes turns with this one). While one step is written, the next one's search texts
    /// are made on the other cores;
    /// they are used only if no other connection wrote in between (`PRAGMA data_version`), else
    /// read and made again. `progress` hears how far it has got before the first step and after
    /// each; the store's `indexObserver` too. A cache that cannot be written is left as it is.
    @discardableResult
    public func indexForSearch(step given: Int? = nil, progress: ((SearchIndexProgress) throws -> Void)? = nil) throws -> SearchIndexProgress {
        guard !isReadOnly else { return try searchIndexProgress() }
        let step = given ?? indexStep
        let observer = indexObserver.withLock { $0 }
        var state = try searchIndexProgress()
        if !state.isComplete {
            try progress?(state)
            observer?(state)
        }
        var sent = Set<String>()
        var ahead: (made: Ahead<SearchIndexing.Step>, version: Int64)?
        while !state.isComplete {
            let wrote = try write { db -> Bool in
                let version = try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
                let mark = try SearchIndexing.mark(db)
                var current: SearchIndexing.Step
                if let ahead, ahead.version == version {
                    current = try ahead.made.value()
                } else {
                    current = SearchIndexing.made(try SearchIndexing.rows(db, after: mark, limit: step))
                }
                guard !current.rowids.isEmpty else { return false }
                // The next step's rows, read now, made while this one is written.
                var next = mark
                if current.kind == .posts { next.posts = current.rowids.last! } else { next.comments = current.rowids.last! }
                let rows = try SearchIndexing.rows(db, after: next, limit: step)
                ahead = rows.rowids.isEmpty ? nil : (Ahead { SearchIndexing.made(rows, besideWriter: true) }, version)
                if try SearchIndexing.write(current, db, sent: &sent) { return true }
                // Another process moved the mark: what was made ahead is of no use.
                ahead = nil
                return try SearchIndexing.stepNow(db, limit: step, sent: &sent)
            }
            state = try searchIndexProgress()
            try progress?(state)
            observer?(state)
            if !wrote { break }
        }
        return state
    }

    /// One step of `indexForSearch`, in a transaction of its own.
    @discardableResult
    public func indexForSearchStep(limit: Int = 500) throws -> SearchIndexProgress {
        guard !isReadOnly else { return try searchIndexProgress() }
        var sent = Set<String>()
        _ = try write { db in try SearchIndexing.stepNow(db, limit: limit, sent: &sent) }
        return try searchIndexProgress()
    }
}
