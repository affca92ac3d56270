import Foundation
import GRDB
import Synchronization

/// The default cache: one SQLite file in WAL mode, so another `agora` can read while one writes.
/// A file is only written when reader state or content changes: opening, reading and failing
/// leave it byte for byte as it was.
public final class SQLiteStore: CommunityStore {
    public let location: String
    /// The time reader state is stamped with.
    let clock: @Sendable () -> Date
    /// Why the file cannot be written (a read-only file or file system, a full disk): it is
    /// read, and every write is refused with one clear message.
    public let readOnlyReason: String?
    public var isReadOnly: Bool { readOnlyReason != nil }
    /// The data version last seen by `changedElsewhere`.
    private let lastDataVersion = Mutex<Int64?>(nil)
    let pool: DatabaseQueue
    /// This store made the file: no one can hold a copy of its bytes yet.
    private let createdHere: Bool
    /// The file this store's connection has open, as `OpenDatabases` counts it.
    private let openFile: OpenDatabases.FileID?

    /// Opens the cache at `path`, creating it (empty) when it does not exist and `create` is true.
    ///
    /// A file that is not a SQLite database, a database of something else, or one written by a
    /// newer Agora is refused before anything is written to it.
    ///
    /// `clock` stamps reader state (when a post was read, when a bulk change was made); tests
    /// give one of their own.
    public init(path: String, create: Bool = true, clock: @escaping @Sendable () -> Date = { ReaderClock.now() }) throws {
        location = path
        self.clock = clock
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        createdHere = !exists
        if isFolder.boolValue { throw AgoraError.cannotRead(path: path, reason: "it is a folder") }
        if !exists {
            guard create else { throw AgoraError.cannotRead(path: path, reason: "no such file") }
            try Self.prepareDirectory(for: path)
        }
        // A file with no write bit, or on a read-only file system, is opened to read: listing
        // it needs no writing, and marks say they cannot be saved.
        let readOnly = exists && FilePlace.isReadOnly(path)
        // A log of changes not yet in the file: an immutable open would not see them.
        let pendingLog = ((try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0) > 0
        // The header is read outside SQLite only when no connection of this process has the
        // file open: closing that descriptor would drop the connection's locks (OpenDatabases).
        let ((pool, readOnlyReason), openFile) = try OpenDatabases.opening(
            path: path,
            checkOutsideSQLite: { if exists { try Self.check(path: path) } },
            connect: { try Self.open(path: path, exists: exists, readOnly: readOnly, pendingLog: pendingLog) })
        (self.pool, self.readOnlyReason, self.openFile) = (pool, readOnlyReason, openFile)
    }

    deinit {
        // Closed before it is counted out, so that a header check never overlaps a live connection.
        try? pool.close()
        OpenDatabases.closed(openFile)
    }

    private static func open(path: String, exists: Bool, readOnly: Bool, pendingLog: Bool) throws -> (DatabaseQueue, String?) {
        do {
            // On a read-only file system SQLite cannot make the WAL index beside the file; the
            // file is then opened as immutable (nothing can change it there anyway).
            let queue = try queue(path: path, readOnly: readOnly, immutable: readOnly && !pendingLog && FilePlace.isOnReadOnlyFileSystem(path))
            if !readOnly { try Schema.migrator.migrate(queue) }
            return (queue, readOnly ? "the cache is read-only" : nil)
        } catch let error as DatabaseError
                    where exists && !readOnly && !pendingLog && [.SQLITE_IOERR, .SQLITE_FULL, .SQLITE_CANTOPEN].contains(error.resultCode.primaryResultCode) {
            // No room to open it for writing (a full disk needs space even to read a WAL
            // cache): read it as it is, which needs none.
            do {
                return (try queue(path: path, readOnly: true, immutable: true), "there is no room on its disk")
            } catch let again as DatabaseError {
                throw userError(again, path: path, creating: false)
            }
        } catch let error as DatabaseError {
            if !exists { try? FileManager.default.removeItem(atPath: path) }
            throw userError(error, path: path, creating: !exists)
        }
    }

    /// The connection, set up for reading and writing (WAL), or for reading only.
    private static func queue(path: String, readOnly: Bool, immutable: Bool) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = readOnly
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(5)
        // WAL, so that another agora can read while this one writes. Set by hand rather than
        // with GRDB's pool, which creates and drops a table on every open to make the -wal file
        // exist: that would change the file even for a command that only reads, or that fails.
        config.prepareDatabase { db in
            // Refuse a newer schema or another program's database before anything is written.
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            if version > Schema.version {
                throw AgoraError.newerSchema(path: path, found: version, supported: Schema.version)
            }
            if version == 0 {
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if !tables.isEmpty && !tables.contains("grdb_migrations") {
                    throw AgoraError.notACache(path: path, reason: "a SQLite database of something else")
                }
            }
            if readOnly {
                if version < Schema.version {
                    throw AgoraError.cannotWrite(path: path, reason: "it cannot be written, and this Agora would have to bring it up to date (schema \(version) to \(Schema.version))")
                }
                try db.execute(sql: "PRAGMA cache_size = -32000")
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                return
            }
            // A new cache gets 8 KiB pages: a post's body (a few KiB of HTML) fits in one page
            // with its neighbours, and a large import writes a third less. It can only be set
            // before the first table, so older caches keep theirs.
            if version == 0, try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0 {
                try db.execute(sql: "PRAGMA page_size = 8192")
            }
            if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Bulk changes (mark all read, imports) touch megabytes of pages: keep them in memory.
            try db.execute(sql: "PRAGMA cache_size = -32000")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        return try DatabaseQueue(path: immutable ? immutableURI(path) : path, configuration: config)
    }

    /// `file:` with `immutable=1`, the path percent-encoded.
    static func immutableURI(_ path: String) -> String {
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "?#%"))
        return "file:" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path) + "?immutable=1"
    }

    /// Every write to a read-only cache fails with this.
    private func writable() throws {
        if let readOnlyReason { throw AgoraError.cannotWrite(path: location, reason: "\(readOnlyReason); marks and imports cannot be saved") }
    }

    /// Reads the header without opening the file as a database: a file that is not one is
    /// refused before SQLite sees it. The schema version is checked when the connection opens.
    /// Only `OpenDatabases.opening` calls it, when no connection of this process has the file open.
    private static func check(path: String) throws {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw AgoraError.cannotRead(path: path, reason: "permission denied") }
        var bytes = [UInt8](repeating: 0, count: 16)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 16, 0) }
        close(fd)
        guard count > 0 else { return }  // an empty file is an empty database
        let header = bytes.prefix(count)
        guard count == 16, header.elementsEqual(Array("SQLite format 3\0".utf8)) else {
            throw AgoraError.notACache(path: path, reason: "not a SQLite database")
        }
    }

    static func prepareDirectory(for path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw AgoraError.cannotCreate(path: path, reason: "cannot create folder \(directory): \(reasonText(error))")
        }
    }

    static func userError(_ error: DatabaseError, path: String, creating: Bool) -> AgoraError {
        switch error.resultCode {
        case .SQLITE_NOTADB: return .notACache(path: path, reason: "not a SQLite database")
        case .SQLITE_CORRUPT: return .notACache(path: path, reason: "the database is damaged")
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_IOERR:
            let reason = error.message ?? "\(error.resultCode)"
            return creating ? .cannotCreate(path: path, reason: reason) : .cannotWrite(path: path, reason: reason)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .cannotWrite(path: path, reason: "another process holds the cache locked; try again")
        default:
            return .cannotRead(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    /// A value of the wrong kind in a column (a damaged file, a row another program wrote): one
    /// line naming the column and the value, never a trap.
    static func userError(_ error: RowDecodingError, path: String) -> AgoraError {
        let text = "\(error)"
        // GRDB's text names the type, the value and the column; the row dump after it is too long.
        let short = text.components(separatedBy: ", row:").first ?? text
        return .cannotRead(path: path, reason: "a value the cache should not hold (\(short)); the file may be damaged")
    }

    /// The database's own errors, and rows the model cannot take, in words naming the cache.
    private func inWords<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError {
            throw Self.userError(error, path: location, creating: false)
        } catch let error as RowError {
            throw AgoraError.cannotRead(path: location, reason: error.description)
        } catch let error as RowDecodingError {
            throw Self.userError(error, path: location)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try inWords { try pool.read(body) }
    }

    /// A write of many megabytes in one transaction. In WAL mode every page would be written
    /// twice (to the log, then to the file at the checkpoint), so the first import into a
    /// cache this store has just made runs in rollback-journal mode, where a page that did not
    /// exist before is written once and journaled not at all; WAL comes back right after.
    /// Atomicity is the same: a crash leaves a journal that puts the file back as it was. An
    /// existing cache is left in WAL mode: switching modes bumps the file's change counter, and
    /// a failed import must leave an existing file byte for byte as it was.
    private func bulkWrite<T>(_ body: (Database) throws -> T) throws -> T {
        try writable()
        guard createdHere else { return try write(body) }
        return try inWords {
            try pool.writeWithoutTransaction { db in
                let switched = (try? String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")) == "delete"
                defer { if switched { _ = try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") } }
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        }
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        try writable()
        return try inWords { try pool.write(body) }
    }

    // MARK: - Community

    public func community() throws -> Community {
        try read { db in
            guard let json = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'community'") else {
                return .unnamed
            }
            return (try? JSONDecoder().decode(Community.self, from: Data(json.utf8))) ?? .unnamed
        }
    }

    public func changedElsewhere() throws -> Bool {
        // SQLite's data version moves when another connection commits, never for this one's writes.
        let version = try read { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        return lastDataVersion.withLock { last in
            defer { last = version }
            return last != nil && last != version
        }
    }

    public func statistics() throws -> Statistics {
        try read { db in
            let totals = try Self.totals(db)
            return Statistics(posts: totals.total, unread: totals.unread, starred: totals.starred,
                              members: totals.members, comments: totals.comments)
        }
    }

    /// The whole-cache counts, kept in step by every write.
    static func totals(_ db: Database) throws -> (total: Int, unread: Int, starred: Int, members: Int, comments: Int) {
        guard let row = try Row.fetchOne(db, sql: "SELECT total, unread, starred, members, comments FROM totals WHERE id = 1") else {
            return (0, 0, 0, 0, 0)
        }
        return (try row.decode(forColumn: "total"), try row.decode(forColumn: "unread"), try row.decode(forColumn: "starred"),
                try row.decode(forColumn: "members"), try row.decode(forColumn: "comments"))
    }

    /// Counts every post, unread and starred post from scratch, as `statistics()` should report
    /// them: a check of the kept totals.
    public func recountedStatistics() throws -> Statistics {
        try read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            return Statistics(
                posts: try count("SELECT count(*) FROM post"),
                unread: try count("SELECT count(*) FROM postState WHERE isRead = 0"),
                starred: try count("SELECT count(*) FROM postState WHERE isStarred = 1"),
                members: try count("SELECT count(*) FROM member"),
                comments: try count("SELECT count(*) FROM comment"))
        }
    }

    // MARK: - Posts

    public func posts(_ query: PostQuery) throws -> [PostSummary] {
        var builder = SQLitePostQuery(filter: query.filter)
        return try read { db in
            builder.hideMuted = try SQLitePostQuery.anyMuted(db)
            let rowids = try builder.windowRowIDs(db, sort: query.sort, offset: query.offset, limit: query.limit)
            return try SQLitePostQuery.summaries(db, rowids: rowids)
        }
    }

    public func counts(_ filter: PostFilter) throws -> PostCounts {
        var unreadFilter = filter
        unreadFilter.unreadOnly = true
        var all = SQLitePostQuery(filter: filter)
        var unread = SQLitePostQuery(filter: unreadFilter)
        return try read { db in
            all.hideMuted = try SQLitePostQuery.anyMuted(db)
            unread.hideMuted = all.hideMuted
            // Lists with no content filter are answered from the kept totals, without counting.
            return PostCounts(total: try all.knownCount(db) ?? all.count(db), unread: try unread.knownCount(db) ?? unread.count(db),
                              hidden: try all.hiddenCount(db))
        }
    }

    public func nextUnread(after id: Post.ID?, forward: Bool) throws -> (index: Int, post: PostSummary)? {
        try read { db in
            // Straight from the partial index of unread posts, in date order.
            let muted = try SQLitePostQuery.anyMuted(db)
            var sql = muted
                ? "SELECT s.post, s.sortDate FROM postState s JOIN post p ON p.rowid = s.post WHERE s.isRead = 0 AND \(SQLitePostQuery.notMuted())"
                : "SELECT s.post, s.sortDate FROM postState s WHERE s.isRead = 0"
            var arguments: StatementArguments = []
            if let id {
                guard let row = try Row.fetchOne(db, sql: "SELECT rowid, sortDate FROM post WHERE id = ?", arguments: [id.rawValue])
                else { throw AgoraError.postNotFound(id) }
                sql += forward ? " AND (s.sortDate, s.post) < (?, ?)" : " AND (s.sortDate, s.post) > (?, ?)"
                arguments = [(try row.decode(Double.self, forColumn: "sortDate")), (try row.decode(Int64.self, forColumn: "rowid"))]
            }
            sql += forward ? " ORDER BY s.sortDate DESC, s.post DESC LIMIT 1" : " ORDER BY s.sortDate ASC, s.post ASC LIMIT 1"
            guard let hit = try Row.fetchOne(db, sql: sql, arguments: arguments) else { return nil }
            let rowid: Int64 = try hit.decode(forColumn: "post")
            let date: Double = try hit.decode(forColumn: "sortDate")
            // Its place in the list: the posts that come before it, newest first.
            let index = try Int.fetchOne(db, sql: "SELECT count(*) FROM post p WHERE (p.sortDate, p.rowid) > (?, ?)"
                                            + (muted ? " AND \(SQLitePostQuery.notMuted())" : ""),
                                         arguments: [date, rowid]) ?? 0
            guard let summary = try SQLitePostQuery.summaries(db, rowids: [rowid]).first else { return nil }
            return (index, summary)
        }
    }

    public func post(_ id: Post.ID) throws -> PostDetail {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT \(SQLiteRows.postColumns), \(SQLiteRows.stateColumns), p.commentCount AS commentCount
                FROM post p JOIN postState s ON s.post = p.rowid LEFT JOIN postBody b ON b.post = p.rowid
                WHERE p.id = ?
                """, arguments: [id.rawValue])
            else { throw AgoraError.postNotFound(id) }
            let post = try SQLiteRows.post(row)
            let state = try SQLiteRows.state(row, at: SQLiteRows.PostColumn.count)
            let commentCount: Int = try row.decode(forColumn: "commentCount")
            let author = try post.author.flatMap { try Self.fetchMember(db, id: $0) }
            let comments = try Row.fetchAll(db, sql: """
                SELECT \(SQLiteRows.commentColumns), (SELECT m.name FROM member m WHERE m.id = c.author) AS memberName
                FROM comment c WHERE c.post = ? ORDER BY c.sortDate, c.rowid
                """, arguments: [id.rawValue]).map { row in
                    // Each author by the member's name; the source's name where no member matches.
                    var item = try SQLiteRows.commentItem(row)
                    if let name = (try row.decode(String?.self, forColumn: "memberName")) { item.comment.authorName = name }
                    return item
                }
            let mutedIDs: [String] = try String.fetchAll(db, sql: "SELECT member FROM muted")
            let muted = Set(mutedIDs.map { Member.ID($0) })
            let commenters = Set(comments.compactMap { $0.comment.author })
            let source = try post.source.flatMap {
                try Row.fetchOne(db, sql: "SELECT \(SQLiteRows.sourceColumns) FROM source WHERE id = ?", arguments: [$0.rawValue])
            }.map { try SQLiteRows.source($0) }
            return PostDetail(post: post, state: state, commentCount: commentCount, author: author,
                              comments: CommentThreads.ordered(comments), mutedAuthors: muted.intersection(commenters), source: source)
        }
    }




    // MARK: - Members


    public func communityStats() throws -> CommunityStats {
        try read { db in
            var stats = CommunityStats()
            let totals = try Self.totals(db)
            (stats.posts, stats.comments, stats.members, stats.unread) = (totals.total, totals.comments, totals.members, totals.unread)
            // Posts and unread posts by month from the date indexes, in date order: a month's
            // end is worked out once and the dates up to it counted (5 ms for 100,000 posts, where
            // grouping by day in SQL took 45 ms).
            var months: [String: CommunityStats.Month] = [:]
            // By day too, for weeks, when the dated history is short enough to show weeks.
            let postSpan = try Row.fetchOne(db, sql: "SELECT min(sortDate) AS a, max(sortDate) AS b FROM post WHERE sortDate > 0")
            let commentSpan = try Row.fetchOne(db, sql: "SELECT min(day) AS a, max(day) AS b FROM commentDay WHERE comments > 0")
            let firstDays = [((try postSpan?.decode(Double?.self, forColumn: "a"))).map(CommunityStats.day), (try commentSpan?.decode(Int?.self, forColumn: "a"))].compactMap { $0 }
            let lastDays = [((try postSpan?.decode(Double?.self, forColumn: "b"))).map(CommunityStats.day), (try commentSpan?.decode(Int?.self, forColumn: "b"))].compactMap { $0 }
            let byWeek = (lastDays.max() ?? 0) - (firstDays.min() ?? 0) <= CommunityStats.weeksWithin
            var postDays: [Int: Int] = [:], unreadDays: [Int: Int] = [:], commentDays: [Int: Int] = [:]
            func byMonth(_ sql: String, days: inout [Int: Int], _ add: (inout CommunityStats.Month, Int) -> Void) throws {
                var current: (key: String, end: Double)?
                var count = 0
                func flush() { if let current, count > 0 { add(&months[current.key, default: CommunityStats.Month(month: current.key)], count) } }
                try db.eachDouble(sql) { date in
                    if byWeek { days[CommunityStats.day(date), default: 0] += 1 }
                    if current == nil || date >= current!.end {
                        flush()
                        let (key, end) = CommunityStats.monthAndEnd(date)
                        current = (key, end)
                        count = 0
                    }
                    count += 1
                    return true
                }
                flush()
            }
            try byMonth("SELECT sortDate FROM post WHERE sortDate > 0 ORDER BY sortDate", days: &postDays) { $0.posts += $1 }
            try byMonth("SELECT sortDate FROM postState WHERE isRead = 0 AND sortDate > 0 ORDER BY sortDate", days: &unreadDays) { $0.unread += $1 }
            for row in try Row.fetchAll(db, sql: "SELECT day AS d, comments AS n FROM commentDay WHERE comments > 0") {
                let key = CommunityStats.month(day: try row.decode(forColumn: "d"))
                months[key, default: CommunityStats.Month(month: key)].comments += (try row.decode(Int.self, forColumn: "n"))
                if byWeek { commentDays[(try row.decode(Int.self, forColumn: "d")), default: 0] += (try row.decode(Int.self, forColumn: "n")) }
            }
            stats.months = months.values.sorted { $0.month < $1.month }
            if byWeek { stats.weeks = CommunityStats.weekly(posts: postDays, unread: unreadDays, comments: commentDays) }
            let countries = try Row.fetchAll(db, sql: """
                SELECT min(country) AS c, count(*) AS n FROM member WHERE country IS NOT NULL AND country != '' GROUP BY countryKey
                """).map { (name: try $0.decode(String.self, forColumn: "c"), count: try $0.decode(Int.self, forColumn: "n")) }
            stats.setCountries(countries, top: 15)
            // The few without a country, through the country index, then their locations.
            stats.setLocations(try String.fetchAll(db, sql: """
                SELECT location FROM member WHERE (countryKey IS NULL OR countryKey = '') AND (country IS NULL OR country = '')
                AND location IS NOT NULL AND location != ''
                """), top: 15)
            func counts(_ sql: String) throws -> [CommunityStats.Count] {
                try Row.fetchAll(db, sql: sql).map {
                    CommunityStats.Count(id: try $0.decode(forColumn: "id"), name: try $0.decode(String?.self, forColumn: "name") ?? "",
                                         count: try $0.decode(Int?.self, forColumn: "n") ?? 0)
                }
            }
            // Counts kept per member on every write; muted members (and their posts) left out.
            let notMutedMember = SQLitePostQuery.notMuted("id")
            let notMutedPost = SQLitePostQuery.notMuted("author")
            stats.topPosters = try counts("""
                SELECT id, name, postCount AS n FROM member WHERE postCount > 0 AND \(notMutedMember) ORDER BY postCount DESC, id LIMIT 10
                """)
            stats.topCommenters = try counts("""
                SELECT id, name, commentCount AS n FROM member WHERE commentCount > 0 AND \(notMutedMember) ORDER BY commentCount DESC, id LIMIT 10
                """)
            stats.mostViewed = try counts("""
                SELECT id, title AS name, views AS n FROM post WHERE views IS NOT NULL AND \(notMutedPost) ORDER BY views DESC, id LIMIT 10
                """)
            stats.mostCommented = try counts("""
                SELECT id, title AS name, commentCount AS n FROM post WHERE commentCount > 0 AND \(notMutedPost)
                ORDER BY commentCount DESC, id LIMIT 10
                """)
            stats.newestMembers = try counts("""
                SELECT id, name, 0 AS n FROM member WHERE joined IS NOT NULL AND \(notMutedMember) ORDER BY joined DESC, id LIMIT 10
                """)
            return stats
        }
    }

    public func existingMembers(_ ids: [Member.ID]) throws -> [Member.ID: Member] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var out: [Member.ID: Member] = [:]
            // In slices, well under SQLite's limit on bound values.
            for start in stride(from: 0, to: ids.count, by: 500) {
                let slice = Array(ids[start..<min(ids.count, start + 500)])
                let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
                let rows = try Row.fetchAll(db, sql: "SELECT \(SQLiteRows.memberColumns) FROM member m WHERE m.id IN (\(marks))",
                                            arguments: StatementArguments(slice.map(\.rawValue)))
                for row in rows {
                    let member = try SQLiteRows.member(row)
                    out[member.id] = member
                }
            }
            return out
        }
    }

    public func commentLinks(of post: Post.ID) throws -> [Comment.ID: String?] {
        try read { db in
            var out: [Comment.ID: String?] = [:]
            let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT id, link FROM comment WHERE post = ?"), arguments: [post.rawValue])
            while let row = try rows.next() { out[Comment.ID((try row.decode(String.self, atIndex: 0)))] = (try row.decode(String?.self, atIndex: 1)) }
            return out
        }
    }

    static func fetchMember(_ db: Database, id: Member.ID) throws -> Member? {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(SQLiteRows.memberColumns) FROM member m WHERE m.id = ?",
                                         arguments: [id.rawValue]) else { return nil }
        return try SQLiteRows.member(row)
    }


    /// FROM and WHERE of a roster query: its country, and its name through the index of names.
    private static func memberFilter(_ query: MemberQuery) -> (String, StatementArguments)? {
        var from = "member m"
        var terms: [String] = []
        var arguments = StatementArguments()
        if let name = query.name {
            guard let match = SearchQuery.ftsPrefix(SearchText.fold(name), column: "name") else { return nil }
            from = "memberSearch JOIN member m ON m.rowid = memberSearch.rowid"
            terms.append("memberSearch MATCH ?")
            arguments += [match]
        }
        if let country = query.country {
            let (term, values) = CountryRule(country).sql("m.")
            terms.append(term)
            arguments += StatementArguments(values)
        }
        return ("FROM \(from)" + (terms.isEmpty ? "" : " WHERE " + terms.joined(separator: " AND ")), arguments)
    }

    public func members(_ query: MemberQuery) throws -> [MemberSummary] {
        guard let (from, filterArguments) = Self.memberFilter(query) else { return [] }
        var sql = "SELECT \(SQLiteRows.memberSummaryColumns) \(from)"
        var arguments = filterArguments
        switch query.sort {
        case .name: sql += " ORDER BY m.nameKey, m.id"
        case .country: sql += " ORDER BY m.countryKey IS NULL, m.countryKey, m.nameKey, m.id"
        case .posts: sql += " ORDER BY m.postCount DESC, m.nameKey, m.id"
        }
        sql += " LIMIT ? OFFSET ?"
        arguments += [query.limit, query.offset]
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { try SQLiteRows.memberSummary($0) }
        }
    }

    public func memberCount(_ query: MemberQuery) throws -> Int {
        guard let (from, arguments) = Self.memberFilter(query) else { return 0 }
        return try read { db in try Int.fetchOne(db, sql: "SELECT count(*) \(from)", arguments: arguments) ?? 0 }
    }

    public func memberCountries() throws -> [String: Int] {
        try read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT min(country) AS country, count(*) AS members FROM member WHERE countryKey IS NOT NULL GROUP BY countryKey
                """) {
                out[(try row.decode(String.self, forColumn: "country"))] = (try row.decode(Int.self, forColumn: "members"))
            }
            return out
        }
    }

    public func member(_ id: Member.ID, limit: Int) throws -> MemberProfile {
        try read { db in
            guard let member = try Self.fetchMember(db, id: id) else { throw AgoraError.memberNotFound(id) }
            // Kept in the member's row by every import, as the roster shows it.
            let postCount = try Int.fetchOne(db, sql: "SELECT postCount FROM member WHERE id = ?", arguments: [id.rawValue]) ?? 0
            let commentCount = try Int.fetchOne(db, sql: "SELECT commentCount FROM member WHERE id = ?", arguments: [id.rawValue]) ?? 0
            let posts = try Row.fetchAll(db, sql: """
                SELECT \(SQLiteRows.summaryColumns) FROM post p JOIN postState s ON s.post = p.rowid
                WHERE p.author = ? ORDER BY p.sortDate DESC, p.rowid DESC LIMIT ?
                """, arguments: [id.rawValue, limit]).map { try SQLiteRows.summary($0) }
            let comments = try Row.fetchAll(db, sql: """
                SELECT \(SQLiteRows.commentColumns), p.title AS postTitle FROM comment c JOIN post p ON p.id = c.post
                WHERE c.author = ? ORDER BY c.sortDate DESC, c.rowid DESC LIMIT ?
                """, arguments: [id.rawValue, limit]).map { row in
                    // Every one is the member's own: by the member's name.
                    var item = try SQLiteRows.commentItem(row, postTitle: try row.decode(forColumn: "postTitle"))
                    item.comment.authorName = member.name
                    return item
                }
            let muted = try Bool.fetchOne(db, sql: "SELECT 1 FROM muted WHERE member = ?", arguments: [id.rawValue]) ?? false
            return MemberProfile(member: member, postCount: postCount, commentCount: commentCount,
                                 posts: posts, comments: comments, muted: muted)
        }
    }

    // MARK: - Reader state

    public func setRead(_ read: Bool, posts ids: [Post.ID]) throws {
        let now = clock().timeIntervalSince1970
        try write { db in
            var change = 0
            for id in ids {
                let (rowid, state) = try Self.state(db, id)
                try db.execute(sql: """
                    UPDATE postState SET isRead = ?, readAt = CASE WHEN ? THEN coalesce(readAt, ?) END, readBatch = NULL, newReplies = 0
                    WHERE post = ?
                    """, arguments: [read, read, now, rowid])
                // Reading a post reads its replies; marking it unread leaves them as they are.
                if read {
                    try db.cachedStatement(sql: "UPDATE comment SET isRead = 1, readAt = coalesce(readAt, ?) WHERE post = ? AND isRead = 0")
                        .execute(arguments: [now, id.rawValue])
                }
                if state.read != read { change += read ? -1 : 1 }
            }
            try db.execute(sql: "UPDATE totals SET unread = unread + ? WHERE id = 1", arguments: [change])
        }
    }

    /// A post's rowid and reader state; an unknown id is an error.
    private static func state(_ db: Database, _ id: Post.ID) throws -> (Int64, PostState) {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT \(SQLiteRows.stateColumns), p.rowid AS rowid FROM post p JOIN postState s ON s.post = p.rowid WHERE p.id = ?
            """), arguments: [id.rawValue])
        else { throw AgoraError.postNotFound(id) }
        return (try row.decode(forColumn: "rowid"), try SQLiteRows.state(row, at: 0))
    }

    public func setRead(_ read: Bool, comments ids: [Comment.ID]) throws {
        let now = clock().timeIntervalSince1970
        try write { db in
            for id in ids {
                try db.execute(sql: """
                    UPDATE comment SET isRead = ?, readAt = CASE WHEN ? THEN coalesce(readAt, ?) END WHERE id = ?
                    """, arguments: [read, read, now, id.rawValue])
                if db.changesCount == 0 { throw AgoraError.commentNotFound(id) }
            }
            // The new replies of their posts, counted again.
            try db.execute(sql: """
                UPDATE postState SET newReplies = CASE WHEN isRead
                    THEN (SELECT count(*) FROM comment c JOIN post p ON c.post = p.id WHERE p.rowid = postState.post AND c.isRead = 0) ELSE 0 END
                WHERE post IN (SELECT p.rowid FROM post p WHERE p.id IN (SELECT post FROM comment WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ",")))))
                """, arguments: StatementArguments(ids.map(\.rawValue)))
        }
    }

    public func setStarred(_ starred: Bool, posts ids: [Post.ID]) throws {
        try write { db in
            var change = 0
            for id in ids {
                let (rowid, state) = try Self.state(db, id)
                try db.execute(sql: "UPDATE postState SET isStarred = ? WHERE post = ?", arguments: [starred, rowid])
                if state.starred != starred { change += starred ? 1 : -1 }
            }
            try db.execute(sql: "UPDATE totals SET starred = starred + ? WHERE id = 1", arguments: [change])
        }
    }

    public func markAllRead(_ filter: PostFilter) throws -> JournalEntry {
        let now = clock()
        var unread = filter
        unread.unreadOnly = true
        var query = SQLitePostQuery(filter: unread)
        return try write { db in
            // The posts of muted members are not on the list, so they are not marked.
            query.hideMuted = try SQLitePostQuery.anyMuted(db)
            try db.execute(sql: "INSERT INTO journal (action, date, scope, count) VALUES (?, ?, ?, 0)",
                           arguments: [JournalEntry.Action.markAllRead.rawValue, now.timeIntervalSince1970, filter.summary])
            let token = Int(db.lastInsertedRowID)
            if query.hasContentFilter || query.hideMuted {
                let (whereSQL, arguments) = query.whereClause()
                try db.execute(sql: """
                    UPDATE postState SET isRead = 1, readAt = ?, readBatch = ?
                    WHERE isRead = 0 AND post IN (SELECT p.rowid \(query.fromClause()) \(whereSQL))
                    """, arguments: StatementArguments([now.timeIntervalSince1970, token] + arguments))
            } else if filter.starredOnly {
                try db.execute(sql: "UPDATE postState SET isRead = 1, readAt = ?, readBatch = ? WHERE isRead = 0 AND isStarred = 1",
                               arguments: [now.timeIntervalSince1970, token])
            } else {
                try db.execute(sql: "UPDATE postState SET isRead = 1, readAt = ?, readBatch = ? WHERE isRead = 0",
                               arguments: [now.timeIntervalSince1970, token])
            }
            let count = db.changesCount
            // Their replies are read with them, and the new replies of posts read before are
            // seen: all caught up.
            try db.execute(sql: """
                UPDATE comment SET isRead = 1, readAt = coalesce(readAt, ?)
                WHERE isRead = 0 AND post IN (SELECT p.id FROM postState s JOIN post p ON p.rowid = s.post WHERE s.readBatch = ?)
                """, arguments: [now.timeIntervalSince1970, token])
            var caughtUp = query
            caughtUp.filter.unreadOnly = false
            let (newWhere, newArguments) = caughtUp.whereClause()
            let withNew = "SELECT p.rowid FROM postState s JOIN post p ON p.rowid = s.post \(newWhere.isEmpty ? "WHERE" : newWhere + " AND") s.newReplies > 0"
            try db.execute(sql: """
                UPDATE comment SET isRead = 1, readAt = coalesce(readAt, ?)
                WHERE isRead = 0 AND post IN (SELECT id FROM post WHERE rowid IN (\(withNew)))
                """, arguments: StatementArguments([now.timeIntervalSince1970] + newArguments))
            try db.execute(sql: "UPDATE postState SET newReplies = 0 WHERE newReplies > 0 AND post IN (\(withNew))",
                           arguments: StatementArguments(newArguments))
            guard count > 0 else {
                // Nothing changed: nothing to undo, so nothing to journal.
                try db.execute(sql: "DELETE FROM journal WHERE token = ?", arguments: [token])
                return JournalEntry(token: 0, action: .markAllRead, date: now, scope: filter.summary, count: 0)
            }
            try db.execute(sql: "UPDATE journal SET count = ? WHERE token = ?", arguments: [count, token])
            try db.execute(sql: "UPDATE totals SET unread = unread - ? WHERE id = 1", arguments: [count])
            return JournalEntry(token: token, action: .markAllRead, date: now, scope: filter.summary, count: count)
        }
    }

    public func undo(_ token: JournalEntry.Token?) throws -> UndoResult {
        try write { db in
            let row: Row?
            if let token {
                row = try Row.fetchOne(db, sql: "SELECT \(SQLiteRows.journalColumns) FROM journal WHERE token = ?", arguments: [token])
            } else {
                row = try Row.fetchOne(db, sql: "SELECT \(SQLiteRows.journalColumns) FROM journal WHERE undone = 0 ORDER BY token DESC LIMIT 1")
            }
            guard let row else { throw AgoraError.nothingToUndo }
            var entry = try SQLiteRows.journalEntry(row)
            guard !entry.undone else {
                throw AgoraError.invalidArgument("change \(entry.token) was already undone")
            }
            try db.execute(sql: "UPDATE postState SET isRead = 0, readAt = NULL, readBatch = NULL WHERE readBatch = ?",
                           arguments: [entry.token])
            let restored = db.changesCount
            try db.execute(sql: "UPDATE totals SET unread = unread + ? WHERE id = 1", arguments: [restored])
            try db.execute(sql: "UPDATE journal SET undone = 1 WHERE token = ?", arguments: [entry.token])
            entry.undone = true
            return UndoResult(entry: entry, restored: restored)
        }
    }


    public func journal() throws -> [JournalEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(SQLiteRows.journalColumns) FROM journal ORDER BY token DESC LIMIT 100")
                .map { try SQLiteRows.journalEntry($0) }
        }
    }

    // MARK: - Muted members

    public func mutedMembers() throws -> [Member.ID: Date] {
        try read { db in
            var out: [Member.ID: Date] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT member, since FROM muted") {
                out[Member.ID((try row.decode(String.self, forColumn: "member")))] = Date(timeIntervalSince1970: try row.decode(forColumn: "since"))
            }
            return out
        }
    }

    public func setMuted(_ muted: Bool, member: Member.ID) throws {
        let now = clock().timeIntervalSince1970
        try write { db in
            guard muted else {
                try db.execute(sql: "DELETE FROM muted WHERE member = ?", arguments: [member.rawValue])
                return
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM member WHERE id = ?", arguments: [member.rawValue]) == true else {
                throw AgoraError.memberNotFound(member)
            }
            try db.execute(sql: "INSERT OR IGNORE INTO muted (member, since) VALUES (?, ?)", arguments: [member.rawValue, now])
        }
    }

    // MARK: - Search

    public func search(_ query: SearchQuery, kinds: Set<SearchKind>, limit: Int, offset: Int) throws -> SearchResults {
        try search(query, kinds: kinds, limit: limit, offset: offset, countsLater: false)
    }

    public func quickSearch(_ query: SearchQuery, kinds: Set<SearchKind>, limit: Int, offset: Int) throws -> SearchResults {
        try search(query, kinds: kinds, limit: limit, offset: offset, countsLater: true)
    }

    private func search(_ query: SearchQuery, kinds: Set<SearchKind>, limit: Int, offset: Int, countsLater: Bool) throws -> SearchResults {
        var results = SearchResults(problems: query.problems)
        guard !query.isEmpty else { return results }
        return try read { db in
            /// How many rows a FROM and WHERE give, counted up to the cap and no further.
            func count(_ from: String, _ terms: [String], _ arguments: [(any DatabaseValueConvertible)?],
                       upTo cap: Int = SearchResults.countCap) throws -> Int {
                try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM (SELECT 1 FROM \(from) WHERE \(terms.isEmpty ? "1" : terms.joined(separator: " AND ")) LIMIT \(cap))
                    """, arguments: StatementArguments(arguments)) ?? 0
            }
            /// Matches of words alone newest first: few (under the count's cap) are read and
            /// sorted; some (under `dense`) are gathered into a set that the rows, newest first,
            /// are checked against; many are asked of each row in turn, which fills the window
            /// within a few hundred rows. Returns the FROM and WHERE to use, and the count.
            func wordsAlone(table: String, search: String, alias: String, from: String, terms: [String],
                            arguments: [(any DatabaseValueConvertible)?]) throws -> (from: String, terms: [String], total: Int) {
                let dense = 20_000
                let found = try count(search, [terms[0]], [arguments[0]], upTo: dense)
                let total = min(found, SearchResults.countCap)
                if found < SearchResults.countCap { return (from, terms, total) }
                let check = found < dense
                    ? "+\(alias).rowid IN (SELECT rowid FROM \(search) WHERE \(search) MATCH ?)"
                    : "EXISTS (SELECT 1 FROM \(search) WHERE \(search) MATCH ? AND \(search).rowid = \(alias).rowid)"
                return ("\(table) \(alias)", [check] + terms.dropFirst(), total)
            }
            /// Words with filters, newest first and counted to the cap, each way priced by what is
            /// cheap: asking the search index about one row costs about 30 µs, reading its matches
            /// in order about 0.1 µs each, reading a row by rowid about 1 µs.
            /// - few filtered rows (300 or fewer): each is asked whether it has the words;
            /// - few matches of the words (under the cap): each is asked whether it passes the filters;
            /// - otherwise the words' matches are read into a set, and the filtered rows, walked
            ///   newest first, are kept where the set has them, until the window is full and the
            ///   count reaches the cap.
            /// With `countsLater`, words that match a fifth of the table or more are instead asked
            /// of each filtered row, newest first, until the window is full and one more is found:
            /// a few hundred lookups at most, where the set reads every match; the count is then
            /// "at least" and `searchCounts` gives it exactly once the frame is up.
            /// Returns the window's rowids and the count, or nil when the table's rowids are too
            /// many for a set of bits (64 million); the caller then walks in the index's order.
            func wordsAndFilters(search: String, alias: String, table: String, joins: String,
                                 filters: [String], filterArguments: [(any DatabaseValueConvertible)?],
                                 match: String) throws -> (rowids: [Int64], total: Int, atLeast: Bool)? {
                let cap = SearchResults.countCap
                let order = "\(alias).sortDate DESC, \(alias).rowid DESC"
                let filterSQL = filters.joined(separator: " AND ")
                func window(_ all: [Int64]) -> [Int64] { Array(all.dropFirst(offset).prefix(limit)) }
                let filtered = try count("\(table) \(alias) \(joins)", filters, filterArguments, upTo: 301)
                if filtered <= 300 {
                    let all = try Int64.fetchAll(db, sql: """
                        SELECT \(alias).rowid FROM \(table) \(alias) \(joins) WHERE \(filterSQL)
                        AND EXISTS (SELECT 1 FROM \(search) WHERE \(search) MATCH ? AND \(search).rowid = \(alias).rowid)
                        ORDER BY \(order)
                        """, arguments: StatementArguments(filterArguments + [match]))
                    return (window(all), all.count, false)
                }
                let matched = try count(search, ["\(search) MATCH ?"], [match], upTo: cap)
                if matched < cap {
                    let all = try Int64.fetchAll(db, sql: """
                        SELECT \(alias).rowid FROM \(search) JOIN \(table) \(alias) ON \(alias).rowid = \(search).rowid \(joins)
                        WHERE \(search) MATCH ? AND \(filterSQL) ORDER BY \(order)
                        """, arguments: StatementArguments([match] + filterArguments))
                    return (window(all), all.count, false)
                }
                let maxRowid = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM \(table)") ?? 0
                let fifth = max(cap, Int(maxRowid / 5))
                if countsLater, try count(search, ["\(search) MATCH ?"], [match], upTo: fifth) >= fifth {
                    let probe = try db.makeStatement(sql: "SELECT 1 FROM \(search) WHERE \(search) MATCH ? AND rowid = ?")
                    var rowids: [Int64] = []
                    var found = 0
                    var asked = 0
                    var ended = true
                    try db.eachRowid("""
                        SELECT \(alias).rowid FROM \(table) \(alias) \(joins) WHERE \(filterSQL) ORDER BY \(order)
                        """, arguments: StatementArguments(filterArguments)) { rowid in
                        asked += 1
                        // Words that turn out rare among these rows: the set is cheaper after all.
                        if asked > 1_500 { ended = false; return false }
                        try probe.setArguments([match, rowid])
                        guard try Int.fetchOne(probe) != nil else { return true }
                        found += 1
                        if found > offset, rowids.count < limit { rowids.append(rowid) }
                        if found > offset + limit { ended = false; return false }
                        return true
                    }
                    if found > offset + limit { return (rowids, found, true) }
                    if ended { return (rowids, found, false) }
                }
                guard maxRowid < 1 << 26 else { return nil }
                var words = RowidSet(maxRowid: maxRowid)
                try db.eachRowid("SELECT rowid FROM \(search) WHERE \(search) MATCH ?", arguments: [match]) { words.insert($0); return true }
                var rowids: [Int64] = []
                var total = 0
                try db.eachRowid("""
                    SELECT \(alias).rowid FROM \(table) \(alias) \(joins) WHERE \(filterSQL) ORDER BY \(order)
                    """, arguments: StatementArguments(filterArguments)) { rowid in
                    guard words.contains(rowid) else { return true }
                    total += 1
                    if total > offset, rowids.count < limit { rowids.append(rowid) }
                    return total < max(cap, offset + limit)
                }
                return (rowids, min(total, cap), false)
            }
            // The word being typed, as the words it begins (from the list of indexed words),
            // when there are not too many of them.
            let match = query.fts { prefix in
                guard let words = try? String.fetchAll(db, sql: "SELECT term FROM searchTerm WHERE term >= ? AND term < ? LIMIT 65",
                                                       arguments: [prefix, prefix + "\u{10FFFF}"]),
                      words.count <= 64 else { return nil }
                return words
            }
            // Posts and comments of muted members are left out.
            let hideMuted = try SQLitePostQuery.anyMuted(db)
            // The members that author: and country: name, as a list of ids.
            var memberIDs: [String]?
            if let author = query.author, let match = SearchQuery.ftsPrefix(author, column: "name") {
                memberIDs = try String.fetchAll(db, sql: """
                    SELECT m.id FROM memberSearch JOIN member m ON m.rowid = memberSearch.rowid WHERE memberSearch MATCH ?
                    """, arguments: [match])
            }
            if let country = query.country {
                let (term, values) = CountryRule(key: country, code: country.uppercased(), extent: .start).sql()
                let fromCountry = try String.fetchAll(db, sql: "SELECT id FROM member WHERE \(term)", arguments: StatementArguments(values))
                memberIDs = memberIDs.map { ids in let keep = Set(fromCountry); return ids.filter(keep.contains) } ?? fromCountry
            }
            let memberList = memberIDs.map { String(decoding: try! JSONEncoder().encode($0), as: UTF8.self) }
            /// Posts or comments by those members. A few members' rows are read from the author index
            /// and sorted; many members' (a country) are read newest first and checked, which
            /// stops at the limit: the + keeps SQLite from choosing the author index for them.
            /// With words the walk goes on to the count's cap, and reading the members' rows from
            /// the index and sorting them costs less than a row lookup for each of the newest posts.
            func authorTerms(_ column: String) -> (String, [(any DatabaseValueConvertible)?]) {
                guard let memberIDs, let memberList else { return ("", []) }
                let plus = memberIDs.count > 300 && match == nil ? "+" : ""
                return ("\(plus)\(column) IN (SELECT value FROM json_each(?))", [memberList])
            }
            /// The rows of one kind that the words and filters find, newest first, with their count
            /// put in `results`: words with filters as `wordsAndFilters` finds them; words alone as
            /// `wordsAlone` plans; filters alone from their indexes.
            func rows(_ kind: SearchKind, table: String, search: String, alias a: String, joins: String,
                      terms given: [String], arguments givenArguments: [(any DatabaseValueConvertible)?]) throws -> [Int64] {
                if let match, !given.isEmpty,
                   let found = try wordsAndFilters(search: search, alias: a, table: table, joins: joins,
                                                   filters: given, filterArguments: givenArguments, match: match) {
                    results.totals[kind] = found.total
                    if found.atLeast { results.atLeast.insert(kind) }
                    return found.rowids
                }
                var terms = given
                var arguments = givenArguments
                var from = "\(table) \(a)"
                var order = "\(a).sortDate DESC, \(a).rowid DESC"
                if let match {
                    from = "\(search) JOIN \(table) \(a) ON \(a).rowid = \(search).rowid"
                    terms.insert("\(search) MATCH ?", at: 0)
                    arguments.insert(match, at: 0)
                }
                var walk = (from: from, terms: terms)
                if match != nil, terms.count == 1, joins.isEmpty {
                    let plan = try wordsAlone(table: table, search: search, alias: a, from: from, terms: terms, arguments: arguments)
                    walk = (plan.from, plan.terms)
                    results.totals[kind] = plan.total
                } else if match != nil {
                    // Words matching more rows than a set of bits holds, with filters: the index's
                    // own order (the order they were added) streams and stops at the window, and
                    // the count goes as far as the window needs ("21+").
                    results.totals[kind] = try count(from + " " + joins, terms, arguments, upTo: offset + limit + 1)
                    if results.totals[kind]! > offset + limit { results.atLeast.insert(kind) }
                    order = "\(search).rowid DESC"
                } else {
                    results.totals[kind] = try count(from + " " + joins, terms, arguments)
                }
                return try Int64.fetchAll(db, sql: """
                    SELECT \(a).rowid FROM \(walk.from) \(joins) WHERE \(walk.terms.joined(separator: " AND ")) ORDER BY \(order) LIMIT ? OFFSET ?
                    """, arguments: StatementArguments(arguments + [limit as (any DatabaseValueConvertible)?, offset]))
            }
            if kinds.contains(.posts) {
                var joins = ""
                var terms: [String] = []
                var arguments: [(any DatabaseValueConvertible)?] = []
                let (authorSQL, authorArguments) = authorTerms("p.author")
                if !authorSQL.isEmpty { terms.append(authorSQL); arguments += authorArguments }
                if let tag = query.tag {
                    // A tag on few posts: those posts. A tag on many (tag:i, while it is typed): each
                    // post, newest first, is checked until enough are found.
                    let tagged = try Int.fetchOne(db, sql: "SELECT count(*) FROM postTag WHERE tagKey >= ? AND tagKey < ?",
                                                  arguments: [tag, tag + "\u{10FFFF}"]) ?? 0
                    terms.append(tagged > 2_000
                        ? "EXISTS (SELECT 1 FROM postTag t WHERE t.post = p.rowid AND t.tagKey >= ? AND t.tagKey < ?)"
                        : "p.rowid IN (SELECT post FROM postTag WHERE tagKey >= ? AND tagKey < ?)")
                    arguments += [tag, tag + "\u{10FFFF}"]
                }
                if let from = query.dateFrom, let to = query.dateTo {
                    terms.append("p.sortDate >= ? AND p.sortDate < ?")
                    arguments += [from, to]
                }
                if hideMuted { terms.append(SQLitePostQuery.notMuted()) }
                if query.unreadOnly || query.starredOnly {
                    joins += " JOIN postState s ON s.post = p.rowid"
                    if query.unreadOnly { terms.append("s.isRead = 0") }
                    if query.starredOnly { terms.append("s.isStarred = 1") }
                }
                // Newest published first, as every list is, counted exactly up to the cap.
                let rowids = try rows(.posts, table: "post", search: "postSearch", alias: "p", joins: joins, terms: terms, arguments: arguments)
                let summaries = try SQLitePostQuery.summaries(db, rowids: rowids)
                let bodies = try Self.bodies(db, rowids: rowids)
                results.posts = zip(summaries, rowids).map { summary, rowid in
                    SearchResults.PostHit(post: summary, snippet: Snippet.around(query, in: PlainText.fromHTML(bodies[rowid] ?? "")))
                }
            }
            let commentsToo = !query.hasPostOnlyFilters && (query.fts != nil || query.author != nil || query.country != nil || query.dateFrom != nil)
            if kinds.contains(.comments), commentsToo {
                var terms: [String] = []
                var arguments: [(any DatabaseValueConvertible)?] = []
                let (authorSQL, authorArguments) = authorTerms("c.author")
                if !authorSQL.isEmpty { terms.append(authorSQL); arguments += authorArguments }
                if query.unreadOnly { terms.append("c.isRead = 0") }
                if hideMuted { terms.append(SQLitePostQuery.notMuted("c.author")) }
                if let from = query.dateFrom, let to = query.dateTo {
                    terms.append("c.sortDate >= ? AND c.sortDate < ?")
                    arguments += [from, to]
                }
                let rowids = try rows(.comments, table: "comment", search: "commentSearch", alias: "c", joins: "", terms: terms, arguments: arguments)
                let found = try Row.fetchAll(db, sql: """
                    SELECT c.rowid AS rowid, c.id AS id, c.post AS post, p.title AS title,
                        coalesce((SELECT m.name FROM member m WHERE m.id = c.author), c.authorName) AS authorName, c.body AS body
                    FROM comment c JOIN post p ON p.id = c.post
                    WHERE c.rowid IN (SELECT value FROM json_each(?))
                    """, arguments: [String(decoding: try JSONEncoder().encode(rowids), as: UTF8.self)])
                let byRowid = Dictionary(try found.map { (try $0.decode(Int64.self, forColumn: "rowid"), $0) }, uniquingKeysWith: { first, _ in first })
                results.comments = try rowids.compactMap { byRowid[$0] }.map {
                    SearchResults.CommentHit(comment: Comment.ID(try $0.decode(String.self, forColumn: "id")), post: Post.ID(try $0.decode(String.self, forColumn: "post")),
                                             postTitle: try $0.decode(String?.self, forColumn: "title") ?? "", authorName: try $0.decode(forColumn: "authorName"),
                                             snippet: Snippet.around(query, in: PlainText.fromHTML(try $0.decode(String?.self, forColumn: "body") ?? "")))
                }
            }
            if kinds.contains(.members), !query.hasPostOnlyFilters, !query.unreadOnly, query.dateFrom == nil {
                var terms: [String] = []
                var arguments: [(any DatabaseValueConvertible)?] = []
                var from = "member m"
                // Members match on their name, country and location; author: narrows by name.
                let memberMatch = [match, query.author.flatMap { SearchQuery.ftsPrefix($0, column: "name") }]
                    .compactMap { $0 }.joined(separator: " AND ")
                if !memberMatch.isEmpty {
                    from = "memberSearch JOIN member m ON m.rowid = memberSearch.rowid"
                    terms.append("memberSearch MATCH ?")
                    arguments.append(memberMatch)
                }
                if let country = query.country {
                    let (term, values) = CountryRule(key: country, code: country.uppercased(), extent: .start).sql("m.")
                    terms.append(term)
                    arguments += values
                }
                results.totals[.members] = try count(from, terms, arguments)
                results.members = try Row.fetchAll(db, sql: """
                    SELECT \(SQLiteRows.memberSummaryColumns) FROM \(from)
                    WHERE \(terms.joined(separator: " AND ")) ORDER BY m.nameKey, m.id LIMIT ? OFFSET ?
                    """, arguments: StatementArguments(arguments + [limit as (any DatabaseValueConvertible)?, offset])).map { try SQLiteRows.memberSummary($0) }
            }
            return results
        }
    }

    private static func bodies(_ db: Database, rowids: [Int64]) throws -> [Int64: String] {
        guard !rowids.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: rowids.count).joined(separator: ",")
        let rows = try Row.fetchAll(db, sql: "SELECT post, html FROM postBody WHERE post IN (\(placeholders))",
                                    arguments: StatementArguments(rowids))
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode(Int64.self, forColumn: "post"), try $0.decode(String?.self, forColumn: "html") ?? "") })
    }

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
        var summary = try write { db in try SQLiteImport(db: db).run(content) }
        summary.droppedDates = content.droppedDates
        return summary
    }

    @discardableResult
    public func importBatches(_ produce: ((CacheContent) throws -> Void) throws -> Void) throws -> ImportSummary {
        // Two threads share the work: a second one makes the batches (for a feed: parsing,
        // checking, turning bodies into search text) while this one writes the previous batch.
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
            // One collector for the whole import: a word seen in one batch is not sent again.
            var collector = TermCollector()
            try produce { (batch: CacheContent) throws -> Void in
                let prepared = try ContentCheck.prepared(batch)
                let texts: [String] = prepared.posts.map { SearchText.forIndex(PlainText.fromHTML($0.body)) }
                let before = collector.found.count
                for (post, text) in zip(prepared.posts, texts) {
                    collector.add(SearchText.forIndex(post.title))
                    collector.add(text)
                }
                try channel.put(.batch(prepared, texts, Set(collector.found[before...])))
            }
            try? channel.put(.done)
        } catch {
            try? channel.put(.failed(error))
        }
    }

    private static func consume(_ channel: BatchChannel, _ db: Database) throws -> ImportSummary {
        var importer = SQLiteImport(db: db)
        var droppedDates = 0
        while true {
            let item = channel.take()
            if case .batch(let content, let texts, let terms) = item {
                try importer.add(content, searchTexts: texts, terms: terms)
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

func reasonText(_ error: any Error) -> String {
    if let cocoa = error as? CocoaError, let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? NSError,
       underlying.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(underlying.code)))
    }
    let nsError = error as NSError
    if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
    return nsError.localizedDescription
}
