import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The JSON cache's marks since its file was last written whole: `FILE.json-marks`, beside it,
/// one JSON line for each change to reader state (read, starred, a comment read, a member muted),
/// each saying the entries as they now are. A mark then costs a line appended and flushed, not
/// the whole file written again (500 MB at 100,000 posts). Every whole write of the file folds
/// the lines into it and removes the log.
///
/// The first line names the file the log belongs to (its stamp): a log left beside a file that
/// was written whole since (a crash between the write and the removal) names another file and is
/// not read, so it can never bring back a state the file has moved past.
enum MarkLog {
    /// Beside the file itself (the target of a link to it).
    static func path(for cache: String) -> String { AtomicFile.resolved(cache) + "-marks" }

    /// Past this size the next mark writes the file whole instead, and the log starts again.
    static let foldAt = 4 << 20

    struct Header: Codable {
        var marks: Int = 1
        var file: FileStamp
    }

    /// One change: the entries it touched, as they are after it (null: gone).
    struct Line: Codable {
        var posts: [String: CacheFile.PostStateEntry?]?
        var comments: [String: CommentState?]?
        var muted: [String: Date?]?

        /// Applies the entries to the state.
        func apply(to state: inout CacheFile.State) {
            for (id, entry) in posts ?? [:] { state.posts[id] = entry }
            for (id, entry) in comments ?? [:] { state.comments[id] = entry }
            for (id, date) in muted ?? [:] { state.muted[id] = date }
        }
    }

    /// How far a store has read the log. A `stale` log belongs to another file: nothing of it is
    /// read, and the next mark starts a new one.
    struct Position: Equatable {
        var inode: UInt64
        var offset: Int
        var stale = false
    }

    /// Reads the log's lines past `position` (all of them when the log is another file than the
    /// one read before) and applies those of the file stamped `file`. Answers where reading
    /// ended: after the last whole line (a line being written is read next time); nil when there
    /// is no log; a stale position when it belongs to another file (so that it is not read again
    /// and again).
    static func read(cache: String, file: FileStamp?, after position: Position?, into state: inout CacheFile.State) throws -> Position? {
        let path = self.path(for: cache)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw AgoraError.cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw AgoraError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
        let inode = UInt64(info.st_ino)
        if let position, position.stale, position.inode == inode { return position }
        let start = position?.inode == inode ? position!.offset : 0
        guard Int(info.st_size) > start || start == 0 else { return Position(inode: inode, offset: start) }
        guard lseek(fd, off_t(start), SEEK_SET) >= 0 else { throw AgoraError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
        let bytes: Data
        do { bytes = try handle.readToEnd() ?? Data() } catch {
            throw AgoraError.cannotRead(path: path, reason: AgoraError.reason(of: error))
        }
        let decoder = CacheFile.makeDecoder()
        var offset = start
        var lineStart = bytes.startIndex
        var lineNumber = 0
        while let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = bytes[lineStart..<newline]
            lineNumber += 1
            if start == 0 && lineNumber == 1 {
                // The header: the log belongs to this file, or to none that is here now.
                guard let header = try? decoder.decode(Header.self, from: line), header.file == file else {
                    return Position(inode: inode, offset: Int(info.st_size), stale: true)
                }
            } else {
                do {
                    try decoder.decode(Line.self, from: line).apply(to: &state)
                } catch {
                    throw AgoraError.notACache(path: path, .marksLog(line: lineNumber, CacheFile.jsonError(error, data: Data(line), path: path)))
                }
            }
            offset += newline - lineStart + 1
            lineStart = bytes.index(after: newline)
        }
        return Position(inode: inode, offset: offset)
    }

    /// Appends `line` (under the cache's lock), starting a log for `file` when there is none
    /// for it; flushed to disk before it returns. Answers the position after it.
    static func append(_ line: Line, cache: String, file: FileStamp?, at position: Position?) throws -> Position {
        let path = self.path(for: cache)
        // A file made read-only takes no marks either: the mode says no, as for a whole write.
        var mode = stat()
        if stat(cache, &mode) == 0, mode.st_mode & 0o222 == 0 {
            throw AgoraError.cannotSave(path: cache, .mode)
        }
        let encoder = CacheFile.makeEncoder(pretty: false)
        var bytes = Data()
        var flags = O_WRONLY | O_APPEND | O_CLOEXEC
        let position = position?.stale == true ? nil : position
        if position == nil {
            // No log of this file yet: a new one (any other is a stale one, of a file gone).
            unlink(path)
            flags |= O_CREAT | O_EXCL
            guard let file else { throw AgoraError.cannotWrite(path: cache, reason: "the file is gone") }
            bytes += try encoder.encode(Header(file: file)) + Data("\n".utf8)
        }
        bytes += try encoder.encode(line) + Data("\n".utf8)
        let fd = open(path, flags, 0o600)
        guard fd >= 0 else { throw AgoraError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var before = stat()
        fstat(fd, &before)
        // Past the last whole line read (under this lock, just now) there can only be part of a
        // line that a writer killed mid-way left: it goes, and the new line starts clean.
        if let position, Int(before.st_size) > position.offset {
            ftruncate(fd, off_t(position.offset))
            before.st_size = off_t(position.offset)
        }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            let reason = written < 0 ? String(cString: strerror(errno)) : "the disk is full"
            // Back to the last whole line, so that the next mark starts a line of its own.
            ftruncate(fd, before.st_size)
            throw AgoraError.cannotWrite(path: path, reason: reason)
        }
        var info = stat()
        fstat(fd, &info)
        return Position(inode: UInt64(info.st_ino), offset: Int(info.st_size))
    }

    /// The log is folded into the file: gone.
    static func remove(cache: String) {
        unlink(path(for: cache))
    }
}
