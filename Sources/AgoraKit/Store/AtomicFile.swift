import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes whole files so that a reader sees the old content or the new, never half of either.
public enum AtomicFile {
    public static func write(_ data: Data, to given: String) throws {
        // A symbolic link is written through: its target is the file that is replaced.
        let path = resolved(given)
        var existing = stat()
        let exists = stat(path, &existing) == 0
        // A file made read-only is not replaced (root could, and would): the mode says no.
        if exists, existing.st_mode & 0o222 == 0 {
            throw AgoraError.cannotSave(path: given, .mode)
        }
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/." + (path as NSString).lastPathComponent
            + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw AgoraError.cannotWrite(path: given, reason: String(cString: strerror(errno))) }
        // The new file has the old one's mode (a private 0600 cache stays private) and owner.
        if exists {
            fchmod(fd, existing.st_mode & 0o7777)
            if getuid() == 0 { _ = fchown(fd, existing.st_uid, existing.st_gid) }
        } else {
            let mask = umask(0)
            umask(mask)
            fchmod(fd, 0o644 & ~mask)
        }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw AgoraError.cannotWrite(path: given, reason: failure)
        }
        // Make the rename itself durable.
        let dirfd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }

    /// The file a path names, following symbolic links; the path itself when there is none yet.
    static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }
}
