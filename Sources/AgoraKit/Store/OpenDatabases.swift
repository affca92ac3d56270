import Foundation
import Synchronization

/// The SQLite caches this process has a connection to, by file identity (device and inode).
///
/// SQLite's locks are POSIX advisory locks, which belong to a process and a file, not to a
/// descriptor: closing *any* descriptor of the file drops every lock the process holds on it,
/// SQLite's included. Another `agora` then takes this process's connection for gone, deletes the
/// write-ahead log it still writes to, and marks are lost or the file damaged. So nothing in
/// this process opens a cache file outside SQLite while a connection to it may be open: the
/// one place that does (the header check before the first connection) runs only under this
/// registry's lock, and only when no connection of this process has the file open.
enum OpenDatabases {
    struct FileID: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64

        init?(path: String) {
            guard let stamp = FileStamp(path: path) else { return nil }
            (device, inode) = (stamp.device, stamp.inode)
        }
    }

    /// Open connections per file; the lock is held while a connection is being opened, so a
    /// header check never overlaps another thread's open.
    private static let open = Mutex<[FileID: Int]>([:])

    /// Opens a connection with `connect`, first calling `checkOutsideSQLite` (which may open and
    /// close the file itself) when no connection of this process has the file open. Returns the
    /// file's identity, to be given back to `closed` when the connection is closed.
    static func opening<T>(path: String, checkOutsideSQLite: () throws -> Void, connect: () throws -> T) throws -> (T, FileID?) {
        try open.withLock { counts in
            if let id = FileID(path: path), counts[id, default: 0] > 0 {
                // Already open here: checked when it was first opened, and must not be touched now.
            } else {
                try checkOutsideSQLite()
            }
            let connection = try connect()
            let id = FileID(path: path)
            if let id { counts[id, default: 0] += 1 }
            return (connection, id)
        }
    }

    /// A connection opened by `opening` has been closed.
    static func closed(_ id: FileID?) {
        guard let id else { return }
        open.withLock { counts in
            let left = counts[id, default: 1] - 1
            counts[id] = left > 0 ? left : nil
        }
    }

    /// How many connections of this process have the file at `path` open (for tests).
    static func connections(path: String) -> Int {
        guard let id = FileID(path: path) else { return 0 }
        return open.withLock { $0[id, default: 0] }
    }
}
