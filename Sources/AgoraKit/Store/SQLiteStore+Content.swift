import Foundation
import GRDB

/// Content in and out: sources, imports (two threads: one makes batches, one writes them) and exports.
extension SQLiteStore {
    // MARK: - Content in and out

    public func sources() throws -> [Source] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(SQLiteRows.sourceColumns) FROM source ORDER BY name, id")
                .map { try SQLiteRows.source($0) }
        }
    }

    public func removeSource(_ id: Source.ID) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM source WHERE id = ?", arguments: [id.rawValue])
            if db.changesCount == 0 { throw AgoraError.invalidArgument("no source with id '\(id)' (agora sources lists them)") }
        }
    }

    @discardableResult
    public func importContent(_ content: CacheContent) throws -> ImportSummary {
        let content = try ContentCheck.prepared(content)
        var summary = try write { db -> ImportSummary in
            let summary = try SQLiteImport(db: db).run(content)
            // A small write (a forum's topic, a month of a list) is indexed in its own transaction,
            // a step of posts and one of comments: no second transaction for each of a sync's writes.
            guard try !leavesIndex(db) else { return summary }
            var sent = Set<String>()
            if try SearchIndexing.stepNow(db, limit: indexStep, sent: &sent) { _ = try SearchIndexing.stepNow(db, limit: indexStep, sent: &sent) }
            return summary
        }
        summary.droppedDates = content.droppedDates
        // What is left (more than a step waited): in steps of their own.
        try indexAfterImport()
        return summary
    }

    @discardableResult
    public func importBatches(_ produce: ((CacheContent) throws -> Void) throws -> Void) throws -> ImportSummary {
        // Two threads share the work: a second one makes the batches (for a feed: parsing and
        // checking) while this one writes the previous batch. The content is committed first;
        // the search index follows in steps that a reader opening the cache sees between.
        let summary = try importContent(batches: produce)
        try indexAfterImport()
        return summary
    }

    /// The index of what an import wrote: made now, unless it `leavesIndex`.
    private func indexAfterImport() throws {
        guard try !read({ try leavesIndex($0) }) else { return }
        try indexForSearch()
    }

    /// This store `leavesLargeIndex` and more than a step waits to be indexed (a small write
    /// after a large import, such as its community's name, leaves it too).
    private func leavesIndex(_ db: Database) throws -> Bool {
        try leavesLargeIndex.withLock { $0 } && SearchIndexing.waits(db, moreThan: indexStep)
    }

    private func importContent(batches produce: ((CacheContent) throws -> Void) throws -> Void) throws -> ImportSummary {
        let channel = BatchChannel(capacity: 2)
        return try withoutActuallyEscaping(produce) { (produce: @escaping ((CacheContent) throws -> Void) throws -> Void) throws -> ImportSummary in
            // The closure may not outlive this block: the producer thread reaches it through a
            // box that is emptied before the block ends.
            let box = ProducerBox(produce)
            let producer = Thread { Self.runProducer(box, into: channel) }
            producer.stackSize = 8 << 20
            producer.start()
            // Whatever happens here, the producer is stopped and waited for before returning.
            defer {
                channel.cancelAndWait()
                box.empty()
            }
            return try bulkWrite { db in try Self.consume(channel, db) }
        }
    }

    private static func runProducer(_ box: ProducerBox, into channel: BatchChannel) {
        produceAll(box, into: channel)
        channel.finishProducing()
    }

    private static func produceAll(_ box: ProducerBox, into channel: BatchChannel) {
        guard let produce = box.take() else { return }
        do {
            try produce { (batch: CacheContent) throws -> Void in
                try channel.put(.batch(try ContentCheck.prepared(batch)))
            }
            try? channel.put(.done)
        } catch {
            try? channel.put(.failed(error))
        }
    }

    private static func consume(_ channel: BatchChannel, _ db: Database) throws -> ImportSummary {
        var importer = try SQLiteImport(db: db)
        var droppedDates = 0
        while true {
            let item = channel.take()
            if case .batch(let content) = item {
                try importer.add(content)
                // The batch's memory was made on other threads, in their malloc arenas, which
                // glibc keeps when it is freed: given back after each batch, a 100,000-message
                // import peaks at 275 MiB, not 316.
                _ = mallocTrim(0)
                droppedDates += content.droppedDates
            } else if case .failed(let error) = item {
                throw error
            } else {
                break
            }
        }
        try importer.finish()
        var summary = importer.summary
        summary.droppedDates = droppedDates
        return summary
    }

    public func exportContent() throws -> CacheContent {
        try read { db in
            var content = CacheContent()
            if let json = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'community'") {
                content.community = try? JSONDecoder().decode(Community.self, from: Data(json.utf8))
            }
            content.sources = try Row.fetchAll(db, sql: "SELECT \(SQLiteRows.sourceColumns) FROM source ORDER BY id")
                .map { try SQLiteRows.source($0) }
            content.members = try Row.fetchAll(db, sql: "SELECT \(SQLiteRows.memberColumns) FROM member m ORDER BY m.rowid").map { try SQLiteRows.member($0) }
            let postRows = try Row.fetchCursor(db, sql: """
                SELECT \(SQLiteRows.postColumns), \(SQLiteRows.stateColumns)
                FROM post p JOIN postState s ON s.post = p.rowid LEFT JOIN postBody b ON b.post = p.rowid
                ORDER BY p.rowid
                """)
            while let row = try postRows.next() {
                let post = try SQLiteRows.post(row)
                content.posts.append(post)
                let state = try SQLiteRows.state(row, at: SQLiteRows.PostColumn.count)
                if state != .unread { content.postStates[post.id] = state }
            }
            let commentRows = try Row.fetchCursor(db, sql: "SELECT \(SQLiteRows.commentColumns) FROM comment c ORDER BY c.rowid")
            while let row = try commentRows.next() {
                let item = try SQLiteRows.commentItem(row)
                content.comments.append(item.comment)
                if item.state.read { content.commentStates[item.id] = item.state }
            }
            content.journal = try Row.fetchAll(db, sql: "SELECT \(SQLiteRows.journalColumns) FROM journal ORDER BY token")
                .map { try SQLiteRows.journalEntry($0) }
            for row in try Row.fetchAll(db, sql: "SELECT member, since FROM muted") {
                content.muted[Member.ID((try row.decode(String.self, forColumn: "member")))] = Date(timeIntervalSince1970: try row.decode(forColumn: "since"))
            }
            return content
        }
    }
}

/// glibc's `malloc_trim` (not in the module Swift sees): gives freed memory back to the system.
@_silgen_name("malloc_trim") private func mallocTrim(_ pad: Int) -> Int32
