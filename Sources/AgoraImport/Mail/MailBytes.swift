import AgoraKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a message's bytes are until its body is made: held (a message given whole: a month
/// fetched, a test's, a gzip'd file inflated) or at a place in a file (an mbox read a piece at
/// a time, a Maildir's message), read again when its turn to be written comes.
enum MailBytes: Sendable {
    case held(Data)
    /// `file`: an index into the import's `MailFiles`; `quoted`: a line of it is `>From `.
    case inFile(file: Int, offset: Int, count: Int, quoted: Bool)
}

/// The files an import reads messages from again: opened as they are needed (a few at a time
/// kept open) and read with `pread`, from any thread.
final class MailFiles: @unchecked Sendable {
    let paths: [String]
    private let lock = NSLock()
    private var open: [Int: Int32] = [:]
    /// The most kept open (a Maildir has a file a message).
    private let keep = 16

    init(_ paths: [String]) { self.paths = paths }

    deinit { for fd in open.values { close(fd) } }

    /// A message's bytes (`>From ` lines unquoted); a file that changed since it was first read
    /// (shorter now) is an error that names it.
    func read(_ bytes: MailBytes) throws -> Data {
        switch bytes {
        case .held(let data): return data
        case .inFile(let file, let offset, let count, let quoted):
            let fd = try descriptor(file)
            defer { release(file, fd) }
            var data = Data(count: count)
            let got = data.withUnsafeMutableBytes { buffer -> Int in
                var done = 0
                while done < count {
                    let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
                    if n < 0, errno == EINTR { continue }
                    guard n > 0 else { break }
                    done += n
                }
                return done
            }
            guard got == count else {
                throw AgoraError.cannotRead(path: paths[file], reason: "it changed while it was being imported; import it again")
            }
            guard quoted else { return data }
            return data.withUnsafeBytes { Mbox.unquoted($0.bindMemory(to: UInt8.self)) }
        }
    }

    private func descriptor(_ file: Int) throws -> Int32 {
        lock.lock()
        if let fd = open.removeValue(forKey: file) {
            lock.unlock()
            return fd
        }
        lock.unlock()
        let fd = Glibc.open(paths[file], O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw AgoraError.cannotRead(path: paths[file], reason: String(cString: strerror(errno))) }
        return fd
    }

    /// Kept open for the next read, or closed when enough are.
    private func release(_ file: Int, _ fd: Int32) {
        lock.lock()
        if open[file] == nil, open.count < keep {
            open[file] = fd
            lock.unlock()
            return
        }
        lock.unlock()
        close(fd)
    }
}
