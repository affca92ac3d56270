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
    public let readOnlyReason: AgoraError.ReadOnly?
    public var isReadOnly: Bool { readOnlyReason != nil }
    /// The data version last seen by `changedElsewhere`.
    let lastDataVersion = Mutex<Int64?>(nil)
    let pool: DatabaseQueue
    /// This store made the file: no one can hold a copy of its bytes yet.
    let createdHere: Bool
    /// The file this store's connection has open, as `OpenDatabases` counts it.
    let openFile: OpenDatabases.FileID?
    /// Told how far the search index has got while an import indexes what it wrote (the
    /// command line shows it, and times the content apart from the index).
    public let indexObserver = Mutex<(@Sendable (SearchIndexProgress) -> Void)?>(nil)
    /// How many posts or comments an import indexes a transaction (`indexForSearch`).
    let indexStep: Int
    /// Set by the command line's import: an import that leaves more than a step (`indexStep`
    /// posts and comments) to index returns once its content is committed, and the rest of the
    /// index is made after it, by whoever needs it first (the reader as it reads, a search
    /// before it answers). Syncs and the reader's own writes index everything they write.
    public let leavesLargeIndex = Mutex<Bool>(false)

    /// Opens the cache at `path`, creating it (empty) when it does not exist and `create` is true.
    ///
    /// A file that is not a SQLite database, a database of something else, or one written by a
    /// newer Agora is refused before anything is written to it.
    ///
    /// `clock` stamps reader state (when a post was read, when a bulk change was made); tests
    /// give one of their own.
    public init(path: String, create: Bool = true, clock: @escaping @Sendable () -> Date = { ReaderClock.now() },
                indexStep: Int = 5_000) throws {
        location = path
        self.clock = clock
        self.indexStep = indexStep
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        createdHere = !exists
        if isFolder.boolValue { throw AgoraError.cannotRead(path: path, reason: "it is a folder") }
        if !exists {
            guard create else { throw AgoraError.missing(path: path, folder: false) }
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

    private static func open(path: String, exists: Bool, readOnly: Bool, pendingLog: Bool) throws -> (DatabaseQueue, AgoraError.ReadOnly?) {
        do {
            // On a read-only file system SQLite cannot make the WAL index beside the file; the
            // file is then opened as immutable (nothing can change it there anyway).
            let queue = try queue(path: path, readOnly: readOnly, immutable: readOnly && !pendingLog && FilePlace.isOnReadOnlyFileSystem(path))
            if !readOnly { try Schema.migrator.migrate(queue) }
            return (queue, readOnly ? .file : nil)
        } catch let error as DatabaseError
                    where exists && !readOnly && !pendingLog && [.SQLITE_IOERR, .SQLITE_FULL, .SQLITE_CANTOPEN].contains(error.resultCode.primaryResultCode) {
            // No room to open it for writing (a full disk needs space even to read a WAL
            // cache): read it as it is, which needs none.
            do {
                return (try queue(path: path, readOnly: true, immutable: true), .diskFull)
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
                    throw AgoraError.notACache(path: path, .otherDatabase)
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
    func writable() throws {
        if let readOnlyReason { throw AgoraError.cannotSave(path: location, readOnlyReason) }
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
            throw AgoraError.notACache(path: path, .notSQLite)
        }
    }

    static func prepareDirectory(for path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw AgoraError.cannotCreate(path: path, reason: "cannot create folder \(directory): \(AgoraError.reason(of: error))")
        }
    }

    static func userError(_ error: DatabaseError, path: String, creating: Bool) -> AgoraError {
        switch error.resultCode {
        case .SQLITE_NOTADB: return .notACache(path: path, .notSQLite)
        case .SQLITE_CORRUPT: return .notACache(path: path, .damaged)
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_IOERR:
            let reason = error.message ?? "\(error.resultCode)"
            return creating ? .cannotCreate(path: path, reason: reason) : .cannotWrite(path: path, reason: reason)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .cannotWrite(path: path, reason: "another process holds the cache locked; try again")
        default:
            return .cannotRead(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    /// The database's own errors, and rows the model cannot take, in words naming the cache.
    func inWords<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError {
            throw Self.userError(error, path: location, creating: false)
        } catch let error as RowError {
            throw AgoraError.badRow(path: location, error)
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
    func bulkWrite<T>(_ body: (Database) throws -> T) throws -> T {
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

    func write<T>(_ body: (Database) throws -> T) throws -> T {
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
}
