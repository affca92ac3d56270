@testable import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("The JSON cache knows a file it has read from a newer one")
struct JSONStampTests {
    /// Each write replaces the file (a new one renamed over it), and ext4 gives a freed inode to
    /// the next file made. A store that read file 1 then saw file 3 with file 1's inode, size and
    /// (coarse) time would take it for seen and, at its next change, write its stale copy over
    /// marks other processes made. Here file 3 is made exactly so: the same length, file 1's
    /// time to the nanosecond, made right after file 1's inode was let go.
    @Test func a_new_file_with_the_old_ones_size_and_time_is_read_not_taken_for_seen() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("cache.json")
        try JSONStore(path: path).importContent(CacheContent(posts: [Post(id: "a", title: "Alpha", body: "<p>x</p>")]))
        let reader = try JSONStore(path: path, create: false)
        #expect(try reader.post("a").post.title == "Alpha")
        let first = try #require(FileManager.default.contents(atPath: path))
        var info = stat()
        #expect(stat(path, &info) == 0)
        let firstInode = info.st_ino
        /// A file put in place as every writer does: made beside it, renamed over it.
        func replace(_ bytes: Data, time: timespec? = nil) throws -> UInt {
            let temporary = directory.file("next.json")
            try bytes.write(to: URL(fileURLWithPath: temporary))
            if let time {
                var times = [time, time]
                #expect(utimensat(AT_FDCWD, temporary, &times, 0) == 0)
            }
            #expect(rename(temporary, path) == 0)
            var now = stat()
            _ = stat(path, &now)
            return UInt(now.st_ino)
        }
        let changed = { (title: String) in Data(String(decoding: first, as: UTF8.self).replacingOccurrences(of: "Alpha", with: title).utf8) }
        _ = try replace(changed("Gamma"))
        let third = try replace(changed("Omega"), time: info.st_mtim)
        // Had the reader let go of file 1, file 3 would very likely have its inode (and then
        // its stamp): the reader keeps it, so it cannot.
        #expect(third != UInt(firstInode), "file 3 has file 1's inode")
        #expect(try reader.post("a").post.title == "Omega")
    }
}
