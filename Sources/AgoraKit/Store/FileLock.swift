import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What the system lets be done at a path, for both caches.
enum FilePlace {
    /// A file with no write bit for anyone, one this process may not write, or one on a
    /// read-only file system.
    static func isReadOnly(_ path: String) -> Bool {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o222 == 0 { return true }
        if access(path, W_OK) != 0 { return true }
        return isOnReadOnlyFileSystem(path)
    }

    static func isOnReadOnlyFileSystem(_ path: String) -> Bool {
        var fs = statvfs()
        return statvfs(path, &fs) == 0 && fs.f_flag & UInt(ST_RDONLY) != 0
    }
}

/// Which file a path names at a moment: a file replaced (renamed over) or rewritten since has
/// another stamp.
///
/// A stamp that a store keeps (of the file it last read or wrote) holds that file open
/// (`pin`): its inode cannot be given to another file while the stamp is kept, so a file with
/// the same device, inode, size and time is that file, never a newer one that happened to get
/// the old one's inode, size and (coarse) time, which would be taken for seen and written over.
struct FileStamp: Equatable, Sendable, Codable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: Int64
    var modifiedNanoseconds: Int64
    /// The file held open while the stamp is kept; not part of what a stamp is.
    private(set) var pin: Pin?

    enum CodingKeys: String, CodingKey { case device, inode, size, modified, modifiedNanoseconds }

    static func == (a: FileStamp, b: FileStamp) -> Bool {
        a.device == b.device && a.inode == b.inode && a.size == b.size && a.modified == b.modified
            && a.modifiedNanoseconds == b.modifiedNanoseconds
    }

    /// An open descriptor, closed when the last stamp holding it goes.
    final class Pin: @unchecked Sendable {
        let descriptor: Int32
        init(_ descriptor: Int32) { self.descriptor = descriptor }
        deinit { close(descriptor) }
    }

    /// The stamp of the file at `path` now, the file held open with it.
    static func pinned(path: String) -> FileStamp? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        guard var stamp = FileStamp(descriptor: fd) else {
            close(fd)
            return nil
        }
        stamp.pin = Pin(fd)
        return stamp
    }

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    /// The stamp of the file a descriptor has open: of exactly the bytes read through it, as
    /// every writer replaces the file whole (a new file renamed over it) and never writes into it.
    init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }

    private init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
    }

    /// The whole file at `path` and the stamp of the very file read, taken through one descriptor:
    /// a write that lands while it is read (or checked afterwards) has another stamp, so it is
    /// never taken for already seen.
    static func read(path: String) throws -> (Data, FileStamp?) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw AgoraError.cannotRead(path: path, reason: reason)
        }
        // The stamp keeps the descriptor (the file held open while the stamp is kept).
        var stamp = FileStamp(descriptor: fd)
        stamp?.pin = Pin(fd)
        if stamp == nil { close(fd) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
        do {
            return (try handle.readToEnd() ?? Data(), stamp)
        } catch {
            throw AgoraError.cannotRead(path: path, reason: AgoraError.reason(of: error))
        }
    }
}

/// An exclusive lock for writing a JSON cache: on the folder that holds the file (the file itself
/// is replaced by each write, so it cannot hold one, and a lock file beside it would be left
/// behind), so writers of one cache take turns. Waits up to five seconds, as the SQLite cache
/// does, then says another process holds it.
struct FileLock {
    private let fd: Int32

    static let patience: TimeInterval = 5

    init(for path: String) throws {
        let folder = (AtomicFile.resolved(path) as NSString).deletingLastPathComponent
        fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw AgoraError.cannotWrite(path: path, reason: "cannot lock its folder: \(String(cString: strerror(errno)))") }
        let deadline = DispatchTime.now() + Self.patience
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, DispatchTime.now() < deadline else {
                close(fd)
                throw AgoraError.cannotWrite(path: path, reason: "another process holds the cache locked; try again")
            }
            usleep(10_000)
        }
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
