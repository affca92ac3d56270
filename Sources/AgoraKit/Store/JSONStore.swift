import Foundation
import Synchronization

/// A cache in one JSON file (docs/cache-format.md), for small communities and for carrying a
/// community and its reader state from one machine to another.
///
/// The whole file is held in memory; every change to reader state is written back atomically,
/// under a lock on the folder that holds it, on top of what the file holds at that moment:
/// a change another process made since this one read the file is read first and kept, never
/// overwritten with a stale copy. A reader sees what others wrote the next time it asks.
/// Queries answer windows the same way the SQLite cache does (the shared behaviour suite holds
/// both to it), but by scanning, so the SQLite cache is the one for 100,000 posts.
public final class JSONStore: CommunityStore {
    public let location: String
    /// The time reader state is stamped with.
    let clock: @Sendable () -> Date
    private let data: Mutex<Contents>
    /// The file as it was when last read or written here: a different one was changed by another process.
    private let seen: Mutex<FileStamp?>
    /// Held in memory only, with no file behind it: for tests of what uses a cache.
    private let inMemory: Bool

    struct Contents {
        var file: CacheFile
        /// How far the marks log (MarkLog) has been read into `file`.
        var marks: MarkLog.Position?
        var postIndex: [Post.ID: Int] = [:]
        var memberIndex: [Member.ID: Int] = [:]
        var commentsByPost: [Post.ID: [Int]] = [:]

        init(_ file: CacheFile) {
            self.file = file
            reindex()
        }

        mutating func reindex() {
            postIndex = Dictionary(file.posts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            memberIndex = Dictionary(file.members.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            commentsByPost = [:]
            for (index, comment) in file.comments.enumerated() { commentsByPost[comment.post, default: []].append(index) }
        }

        func state(_ id: Post.ID) -> PostState { file.state.posts[id.rawValue]?.state ?? .unread }

        func commentCount(_ id: Post.ID) -> Int { commentsByPost[id]?.count ?? 0 }

        /// A post's replies not read yet.
        func unreadComments(_ id: Post.ID) -> [Comment.ID] {
            (commentsByPost[id] ?? []).map { file.comments[$0].id }.filter { file.state.comments[$0.rawValue]?.read != true }
        }

        /// Replies not read yet on a post that has been read.
        func newComments(_ id: Post.ID) -> Int { state(id).read ? unreadComments(id).count : 0 }

        /// Its latest reply's date, or its own.
        func lastActivity(_ post: Post) -> Double {
            (commentsByPost[post.id] ?? []).reduce(post.sortDate.timeIntervalSince1970) {
                max($0, file.comments[$1].published?.timeIntervalSince1970 ?? 0)
            }
        }

        func summary(_ post: Post) -> PostSummary {
            let memberName = post.author.flatMap { memberIndex[$0] }.map { file.members[$0].name }
            return PostSummary(id: post.id, kind: post.kind, title: post.title, author: post.author, authorName: memberName ?? post.authorName,
                        published: post.published, views: post.views, commentCount: commentCount(post.id),
                        category: post.category, tags: post.tags, state: state(post.id), newComments: newComments(post.id))
        }

        /// Muted members' posts are left out of every list but the list of that member's posts.
        func matches(_ post: Post, _ filter: PostFilter) -> Bool {
            if filter.author == nil, isMuted(post.author) { return false }
            return filter.matches(post, state: state(post.id), author: post.author.flatMap { memberIndex[$0] }.map { file.members[$0] })
        }

        func isMuted(_ member: Member.ID?) -> Bool { member.map { file.state.muted[$0.rawValue] != nil } ?? false }

        func postCount(_ id: Member.ID) -> Int { file.posts.reduce(0) { $0 + ($1.author == id ? 1 : 0) } }

        func memberSummary(_ m: Member, postCounts: [Member.ID: Int]) -> MemberSummary {
            MemberSummary(id: m.id, name: m.name, country: m.country, countryCode: m.countryCode, role: m.role,
                          postCount: postCounts[m.id] ?? 0)
        }

        var postCounts: [Member.ID: Int] {
            var counts: [Member.ID: Int] = [:]
            for post in file.posts { if let author = post.author { counts[author, default: 0] += 1 } }
            return counts
        }

        /// A comment as it is shown: its author by the member's name, the source's name where no
        /// member matches.
        func commentItem(_ c: Comment, withTitle: Bool = false) -> CommentItem {
            var shown = c
            shown.authorName = authorName(of: c)
            return CommentItem(comment: shown, state: file.state.comments[c.id.rawValue] ?? CommentState(),
                               postTitle: withTitle ? postIndex[c.post].map { file.posts[$0].title } : nil)
        }

        func authorName(of c: Comment) -> String? {
            c.author.flatMap { memberIndex[$0] }.map { file.members[$0].name } ?? c.authorName
        }
    }

    /// Opens the JSON cache at `path`. A missing file is created (empty) when `create` is true.
    ///
    /// `clock` stamps reader state (when a post was read, when a bulk change was made); tests
    /// give one of their own.
    public init(path: String, create: Bool = true, clock: @escaping @Sendable () -> Date = { ReaderClock.now() }) throws {
        location = path
        self.clock = clock
        inMemory = false
        if FileManager.default.fileExists(atPath: path) {
            let (contents, stamp) = try Self.load(path: path)
            data = Mutex(contents)
            seen = Mutex(stamp)
        } else if create {
            try SQLiteStore.prepareDirectory(for: path)
            let file = CacheFile()
            do { try file.write(to: path) } catch let error as AgoraError {
                if case .cannotWrite(_, let reason) = error { throw AgoraError.cannotCreate(path: path, reason: reason) }
                throw error
            }
            data = Mutex(Contents(file))
            seen = Mutex(FileStamp.pinned(path: path))
        } else {
            throw AgoraError.missing(path: path, folder: false)
        }
    }

    /// A cache with no file: it holds `content` (checked as any import is) and every change in
    /// memory, and never touches the disk. For tests of the reader and of anything else that
    /// needs a cache but not a file.
    public init(content: CacheContent, clock: @escaping @Sendable () -> Date = { ReaderClock.now() }) throws {
        location = ":memory:"
        self.clock = clock
        inMemory = true
        data = Mutex(Contents(CacheFile()))
        seen = Mutex(nil)
        try importContent(content)
    }

    /// A file read from disk, checked as any import is; the undo batches kept.
    static func checked(_ file: CacheFile, _ content: CacheContent) -> CacheFile {
        var checked = CacheFile(content)
        checked.state.posts = file.state.posts  // keep batches for undo
        return checked
    }

    /// The file at `path`, checked as any import is, with the stamp of the very bytes read (not
    /// of the path afterwards: a write landing while the file is read and checked must not be
    /// taken for seen, or the next change would write a stale copy over it).
    static func load(path: String) throws -> (Contents, FileStamp?) {
        let (bytes, stamp) = try FileStamp.read(path: path)
        var file = try CacheFile.decode(bytes, path: path)
        // The marks made since the file was last written whole.
        let marks = try MarkLog.read(cache: path, file: stamp, after: nil, into: &file.state)
        // A file from elsewhere is content like any import: sanitise and check it.
        let content: CacheContent
        do { content = try ContentCheck.prepared(file.content) } catch let error as AgoraError {
            throw AgoraError.notACache(path: path, .content(error))
        }
        var contents = Contents(Self.checked(file, content))
        contents.marks = marks
        return (contents, stamp)
    }

    /// The file again, when another process has changed it since this one last read or wrote it.
    func refreshed(_ contents: inout Contents) throws {
        guard !inMemory else { return }
        let stamp = seen.withLock { $0 }
        if FileStamp(path: location) == stamp {
            // The same file: only marks another process added, read from where this one stopped.
            guard Self.marksChanged(location, since: contents.marks) else { return }
            let before = contents.marks
            var state = contents.file.state
            if let marks = try MarkLog.read(cache: location, file: stamp, after: before, into: &state),
               before == nil || marks.inode == before?.inode {
                contents.file.state = state
                contents.marks = marks
                return
            }
        }
        let (fresh, newStamp) = try Self.load(path: location)
        contents = fresh
        seen.withLock { $0 = newStamp }
    }

    /// Whether the marks log is another than the one read, or has grown.
    static func marksChanged(_ cache: String, since position: MarkLog.Position?) -> Bool {
        var info = stat()
        guard stat(MarkLog.path(for: cache), &info) == 0 else { return position != nil }
        guard let position else { return true }
        return UInt64(info.st_ino) != position.inode || (!position.stale && Int(info.st_size) != position.offset)
    }

    /// A change to reader state alone (`posts`, `comments` and `muted` name what `body` may
    /// touch): applied to what the file and its marks hold now, then one line appended to the
    /// marks log, under the file's lock. The file itself is written whole only when the log has
    /// grown past `MarkLog.foldAt`.
    func mark(posts: [Post.ID] = [], comments: [Comment.ID] = [], muted: [Member.ID] = [],
                      _ body: (inout Contents) throws -> Void) throws {
        try change(body) { [self] copy in
            if let marks = copy.marks, marks.offset > MarkLog.foldAt { return try writeWhole(&copy) }
            // The entries the mark touched, as they are now (nil: gone).
            func entries<T, V>(_ ids: [Identifier<T>], in table: [String: V]) -> [String: V?]? {
                ids.isEmpty ? nil : Dictionary(ids.map { ($0.rawValue, table[$0.rawValue]) }, uniquingKeysWith: { a, _ in a })
            }
            let state = copy.file.state
            let line = MarkLog.Line(posts: entries(posts, in: state.posts), comments: entries(comments, in: state.comments),
                                    muted: entries(muted, in: state.muted))
            copy.marks = try MarkLog.append(line, cache: location, file: seen.withLock { $0 }, at: copy.marks)
        }
    }

    /// The file written whole, the marks folded into it and their log removed.
    func writeWhole(_ contents: inout Contents) throws {
        try contents.file.write(to: location)
        MarkLog.remove(cache: location)
        contents.marks = nil
        // Under the lock: the file at the path is the one just written.
        seen.withLock { $0 = FileStamp.pinned(path: location) }
    }

    func read<T>(_ body: (borrowing Contents) throws -> T) rethrows -> T {
        try data.withLock { contents in
            // What another process wrote is seen; if the file cannot be read now, what was read stays.
            try? refreshed(&contents)
            return try body(contents)
        }
    }

    /// Applies a change to what the file holds now and writes it, holding the file's lock; if
    /// anything fails, memory and the file are left as they were.
    /// `save` says how the change reaches the file: written whole unless it says otherwise.
    func change<T>(_ body: (inout Contents) throws -> T, save: ((inout Contents) throws -> Void)? = nil) throws -> T {
        try data.withLock { contents in
            let lock = inMemory ? nil : try FileLock(for: location)
            defer { lock?.release() }
            try refreshed(&contents)
            var copy = contents
            let result = try body(&copy)
            if !inMemory { try (save ?? writeWhole)(&copy) }
            contents = copy
            return result
        }
    }

    public var isReadOnly: Bool { !inMemory && FilePlace.isReadOnly(location) }

    public func changedElsewhere() throws -> Bool {
        guard !inMemory else { return false }
        return try data.withLock { contents in
            // The file another process replaced, or marks it added, are read now; this store's
            // own writes leave both as this store last saw them.
            guard FileStamp(path: location) != seen.withLock({ $0 }) || Self.marksChanged(location, since: contents.marks) else { return false }
            try refreshed(&contents)
            return true
        }
    }

    public func community() throws -> Community { read { $0.file.community ?? .unnamed } }

    public func statistics() throws -> Statistics {
        read { contents in
            let states = contents.file.posts.map { contents.state($0.id) }
            return Statistics(
                posts: states.count, unread: states.filter { !$0.read }.count, starred: states.filter(\.starred).count,
                members: contents.file.members.count, comments: contents.file.comments.count)
        }
    }

}
