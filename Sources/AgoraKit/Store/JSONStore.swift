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
            seen = Mutex(FileStamp(path: path))
        } else {
            throw AgoraError.cannotRead(path: path, reason: "no such file")
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
    private static func checked(_ file: CacheFile, _ content: CacheContent) -> CacheFile {
        var checked = CacheFile(content)
        checked.state.posts = file.state.posts  // keep batches for undo
        return checked
    }

    /// The file at `path`, checked as any import is, with the stamp of the very bytes read (not
    /// of the path afterwards: a write landing while the file is read and checked must not be
    /// taken for seen, or the next change would write a stale copy over it).
    private static func load(path: String) throws -> (Contents, FileStamp?) {
        let (bytes, stamp) = try FileStamp.read(path: path)
        var file = try CacheFile.decode(bytes, path: path)
        // The marks made since the file was last written whole.
        let marks = try MarkLog.read(cache: path, file: stamp, after: nil, into: &file.state)
        // A file from elsewhere is content like any import: sanitise and check it.
        let content: CacheContent
        do { content = try ContentCheck.prepared(file.content) } catch AgoraError.invalidArgument(let message) {
            throw AgoraError.notACache(path: path, reason: message)
        }
        var contents = Contents(Self.checked(file, content))
        contents.marks = marks
        return (contents, stamp)
    }

    /// The file again, when another process has changed it since this one last read or wrote it.
    private func refreshed(_ contents: inout Contents) throws {
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
    private static func marksChanged(_ cache: String, since position: MarkLog.Position?) -> Bool {
        var info = stat()
        guard stat(MarkLog.path(for: cache), &info) == 0 else { return position != nil }
        guard let position else { return true }
        return UInt64(info.st_ino) != position.inode || (!position.stale && Int(info.st_size) != position.offset)
    }

    /// A change to reader state alone (`posts`, `comments` and `muted` name what `body` may
    /// touch): applied to what the file and its marks hold now, then one line appended to the
    /// marks log, under the file's lock. The file itself is written whole only when the log has
    /// grown past `MarkLog.foldAt`.
    private func mark(posts: [Post.ID] = [], comments: [Comment.ID] = [], muted: [Member.ID] = [],
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
    private func writeWhole(_ contents: inout Contents) throws {
        try contents.file.write(to: location)
        MarkLog.remove(cache: location)
        contents.marks = nil
        seen.withLock { $0 = FileStamp(path: location) }
    }

    private func read<T>(_ body: (borrowing Contents) throws -> T) rethrows -> T {
        try data.withLock { contents in
            // What another process wrote is seen; if the file cannot be read now, what was read stays.
            try? refreshed(&contents)
            return try body(contents)
        }
    }

    /// Applies a change to what the file holds now and writes it, holding the file's lock; if
    /// anything fails, memory and the file are left as they were.
    /// `save` says how the change reaches the file: written whole unless it says otherwise.
    private func change<T>(_ body: (inout Contents) throws -> T, save: ((inout Contents) throws -> Void)? = nil) throws -> T {
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

    // MARK: - Posts

    public func posts(_ query: PostQuery) throws -> [PostSummary] {
        read { contents in
            let matching = contents.file.posts.filter { contents.matches($0, query.filter) }
            var latest: [Post.ID: Double] = [:]
            if query.sort == .activity { for post in matching { latest[post.id] = contents.lastActivity(post) } }
            let sorted = Self.sort(matching, by: query.sort, commentCount: contents.commentCount,
                                   isRead: { contents.state($0).read }, activity: latest.isEmpty ? nil : { [latest] in latest[$0.id] ?? 0 })
            return sorted.dropFirst(query.offset).prefix(query.limit).map(contents.summary)
        }
    }

    /// The order the rule of `PostSort` gives, ties broken as the SQLite cache breaks them.
    static func sort(_ posts: [Post], by sort: PostSort, commentCount: (Post.ID) -> Int,
                     isRead: (Post.ID) -> Bool = { _ in false }, activity: ((Post) -> Double)? = nil) -> [Post] {
        let keys = posts.enumerated().map { index, post in
            PostOrderKey(date: post.sortDate.timeIntervalSince1970, views: post.views, comments: commentCount(post.id),
                         read: isRead(post.id), added: index, activity: activity?(post))
        }
        return keys.indices.sorted { sort.orders(keys[$0], before: keys[$1]) }.map { posts[$0] }
    }

    public func counts(_ filter: PostFilter) throws -> PostCounts {
        read { contents in
            var total = 0
            var unread = 0
            var hidden = 0
            for post in contents.file.posts {
                if contents.matches(post, filter) {
                    total += 1
                    if !contents.state(post.id).read { unread += 1 }
                } else if filter.author == nil, contents.isMuted(post.author),
                          filter.matches(post, state: contents.state(post.id), author: post.author.flatMap { contents.memberIndex[$0] }.map { contents.file.members[$0] }) {
                    hidden += 1
                }
            }
            return PostCounts(total: total, unread: unread, hidden: hidden)
        }
    }

    public func nextUnread(after id: Post.ID?, forward: Bool) throws -> (index: Int, post: PostSummary)? {
        try read { contents in
            let sorted = Self.sort(contents.file.posts, by: .newest, commentCount: contents.commentCount)
            var start = forward ? 0 : sorted.count - 1
            if let id {
                guard let at = sorted.firstIndex(where: { $0.id == id }) else { throw AgoraError.postNotFound(id) }
                start = forward ? at + 1 : at - 1
            }
            let indices = forward ? Array(stride(from: start, to: sorted.count, by: 1)) : Array(stride(from: start, through: 0, by: -1))
            guard let index = indices.first(where: { !contents.state(sorted[$0].id).read && !contents.isMuted(sorted[$0].author) })
            else { return nil }
            // Its place in the list, which has no muted members' posts.
            let place = sorted[..<index].filter { !contents.isMuted($0.author) }.count
            return (place, contents.summary(sorted[index]))
        }
    }

    public func post(_ id: Post.ID) throws -> PostDetail {
        try read { contents in
            guard let index = contents.postIndex[id] else { throw AgoraError.postNotFound(id) }
            let post = contents.file.posts[index]
            let comments = (contents.commentsByPost[id] ?? []).map { contents.file.comments[$0] }
                .enumerated()
                .sorted { ($0.element.published ?? .distantPast, $0.offset) < ($1.element.published ?? .distantPast, $1.offset) }
                .map { contents.commentItem($0.element) }
            let author = post.author.flatMap { contents.memberIndex[$0] }.map { contents.file.members[$0] }
            let muted = Set(comments.compactMap(\.comment.author).filter { contents.isMuted($0) })
            return PostDetail(post: post, state: contents.state(id), commentCount: comments.count, author: author,
                              comments: CommentThreads.ordered(comments), mutedAuthors: muted,
                              source: post.source.flatMap { id in contents.file.sources.first { $0.id == id } })
        }
    }

    // MARK: - Members

    public func members(_ query: MemberQuery) throws -> [MemberSummary] {
        read { contents in
            let counts = contents.postCounts
            let members = Self.filtered(contents.file.members, query)
            let keyed = members.map { (member: $0, name: Folding.key($0.name), country: $0.country.map(Folding.key)) }
            let sorted: [(member: Member, name: String, country: String?)]
            switch query.sort {
            case .name:
                sorted = keyed.sorted { ($0.name, $0.member.id.rawValue) < ($1.name, $1.member.id.rawValue) }
            case .country:
                sorted = keyed.sorted {
                    ($0.country == nil ? 1 : 0, $0.country ?? "", $0.name, $0.member.id.rawValue)
                        < ($1.country == nil ? 1 : 0, $1.country ?? "", $1.name, $1.member.id.rawValue)
                }
            case .posts:
                sorted = keyed.sorted {
                    (-(counts[$0.member.id] ?? 0), $0.name, $0.member.id.rawValue) < (-(counts[$1.member.id] ?? 0), $1.name, $1.member.id.rawValue)
                }
            }
            return sorted.dropFirst(query.offset).prefix(query.limit).map { contents.memberSummary($0.member, postCounts: counts) }
        }
    }

    public func memberCount(_ query: MemberQuery) throws -> Int {
        read { Self.filtered($0.file.members, query).count }
    }

    /// The members a roster query's country and name leave.
    private static func filtered(_ members: [Member], _ query: MemberQuery) -> [Member] {
        var members = members
        if let country = query.country { members = members.filter(CountryRule(country).matches) }
        if let name = query.name { members = members.filter { SearchQuery.nameMatches(SearchText.fold(name), $0.name) } }
        return members
    }

    public func memberCountries() throws -> [String: Int] {
        read { contents in
            var byKey: [String: (name: String, count: Int)] = [:]
            for member in contents.file.members {
                guard let country = member.country else { continue }
                let key = Folding.key(country)
                let name = byKey[key].map { min($0.name, country) } ?? country
                byKey[key] = (name, (byKey[key]?.count ?? 0) + 1)
            }
            return Dictionary(uniqueKeysWithValues: byKey.values.map { ($0.name, $0.count) })
        }
    }

    public func member(_ id: Member.ID, limit: Int) throws -> MemberProfile {
        try read { contents in
            guard let index = contents.memberIndex[id] else { throw AgoraError.memberNotFound(id) }
            let posts = Self.sort(contents.file.posts.filter { $0.author == id }, by: .newest, commentCount: contents.commentCount)
            let comments = contents.file.comments.enumerated().filter { $0.element.author == id }
                .sorted { ($0.element.published ?? .distantPast, $0.offset) > ($1.element.published ?? .distantPast, $1.offset) }
                .map(\.element)
            return MemberProfile(
                member: contents.file.members[index], postCount: posts.count, commentCount: comments.count,
                posts: posts.prefix(limit).map(contents.summary),
                comments: comments.prefix(limit).map { contents.commentItem($0, withTitle: true) }, muted: contents.isMuted(id))
        }
    }

    // MARK: - Reader state

    public func setRead(_ read: Bool, posts ids: [Post.ID]) throws {
        let now = clock()
        // Reading a post reads its replies; marking it unread leaves them as they are.
        let replies = read ? self.read { contents in ids.flatMap { contents.unreadComments($0) } } : []
        try mark(posts: ids, comments: replies) { contents in
            for id in ids {
                guard contents.postIndex[id] != nil else { throw AgoraError.postNotFound(id) }
                var entry = contents.file.state.posts[id.rawValue] ?? .init()
                entry.readAt = read ? (entry.readAt ?? now) : nil
                entry.read = read
                entry.batch = nil
                contents.file.state.posts[id.rawValue] = entry
            }
            for id in replies {
                let old = contents.file.state.comments[id.rawValue]
                contents.file.state.comments[id.rawValue] = CommentState(read: true, readAt: old?.readAt ?? now)
            }
        }
    }

    public func setRead(_ read: Bool, comments ids: [Comment.ID]) throws {
        let now = clock()
        try mark(comments: ids) { contents in
            let known = Set(contents.file.comments.map(\.id))
            for id in ids {
                guard known.contains(id) else { throw AgoraError.commentNotFound(id) }
                let old = contents.file.state.comments[id.rawValue]
                contents.file.state.comments[id.rawValue] = CommentState(read: read, readAt: read ? (old?.readAt ?? now) : nil)
            }
        }
    }

    public func setStarred(_ starred: Bool, posts ids: [Post.ID]) throws {
        try mark(posts: ids) { contents in
            for id in ids {
                guard contents.postIndex[id] != nil else { throw AgoraError.postNotFound(id) }
                var entry = contents.file.state.posts[id.rawValue] ?? .init()
                entry.starred = starred
                contents.file.state.posts[id.rawValue] = entry
            }
        }
    }

    public func markAllRead(_ filter: PostFilter) throws -> JournalEntry {
        let now = clock()
        return try change { contents in
            let token = (contents.file.state.journal.map(\.token).max() ?? 0) + 1
            var count = 0
            var caughtUp = filter
            caughtUp.unreadOnly = false
            for post in contents.file.posts where contents.matches(post, caughtUp) {
                // Its replies are read with it (all caught up), whether it was read or not.
                for id in contents.unreadComments(post.id) {
                    let old = contents.file.state.comments[id.rawValue]
                    contents.file.state.comments[id.rawValue] = CommentState(read: true, readAt: old?.readAt ?? now)
                }
                guard !contents.state(post.id).read, contents.matches(post, filter) else { continue }
                var entry = contents.file.state.posts[post.id.rawValue] ?? .init()
                entry.read = true
                entry.readAt = now
                entry.batch = token
                contents.file.state.posts[post.id.rawValue] = entry
                count += 1
            }
            guard count > 0 else {
                return JournalEntry(token: 0, action: .markAllRead, date: now, scope: filter.summary, count: 0)
            }
            let journalEntry = JournalEntry(token: token, action: .markAllRead, date: now, scope: filter.summary, count: count)
            contents.file.state.journal.append(journalEntry)
            return journalEntry
        }
    }

    public func undo(_ token: JournalEntry.Token?) throws -> UndoResult {
        try change { contents in
            let journal = contents.file.state.journal
            let found = token.map { t in journal.lastIndex { $0.token == t } } ?? journal.lastIndex { !$0.undone }
            guard let index = found else { throw AgoraError.nothingToUndo }
            guard !journal[index].undone else {
                throw AgoraError.invalidArgument("change \(journal[index].token) was already undone")
            }
            let batch = journal[index].token
            var restored = 0
            for (id, entry) in contents.file.state.posts where entry.batch == batch {
                contents.file.state.posts[id] = CacheFile.PostStateEntry(read: false, readAt: nil, starred: entry.starred)
                restored += 1
            }
            contents.file.state.journal[index].undone = true
            return UndoResult(entry: contents.file.state.journal[index], restored: restored)
        }
    }

    public func journal() throws -> [JournalEntry] {
        read { Array($0.file.state.journal.reversed().prefix(100)) }
    }

    // MARK: - Search

    public func search(_ query: SearchQuery, kinds: Set<SearchKind>, limit: Int, offset: Int) throws -> SearchResults {
        guard !query.isEmpty else { return SearchResults(problems: query.problems) }
        return read { contents in
            var results = SearchResults(problems: query.problems)
            let members = Dictionary(contents.file.members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            func byAuthor(_ id: Member.ID?) -> Bool {
                guard query.author != nil || query.country != nil else { return true }
                guard let id, let member = members[id] else { return false }
                if let author = query.author, !SearchQuery.nameMatches(author, member.name) { return false }
                if let country = query.country, !Self.countryMatches(country, member) { return false }
                return true
            }
            if kinds.contains(.posts) {
                // Newest published first, as every list is; counted up to the cap.
                let order = contents.file.posts.indices.sorted { a, b in
                    let (x, y) = (contents.file.posts[a], contents.file.posts[b])
                    return (x.sortDate, a) > (y.sortDate, b)
                }.map { contents.file.posts[$0] }
                var matched = 0
                for post in order where matched < max(offset + limit, SearchResults.countCap) {
                    let state = contents.state(post.id)
                    if query.unreadOnly && state.read || query.starredOnly && !state.starred { continue }
                    if contents.isMuted(post.author) { continue }
                    if let tag = query.tag, !(post.tags + [post.category].compactMap { $0 }).contains(where: { Folding.key($0).hasPrefix(tag) }) {
                        continue
                    }
                    guard byAuthor(post.author) else { continue }
                    if let from = query.dateFrom, let to = query.dateTo,
                       !(from..<to).contains(post.sortDate.timeIntervalSince1970) { continue }
                    let body = PlainText.fromHTML(post.body)
                    if !query.terms.isEmpty, !query.matches(folded: SearchText.fold(post.title + " " + body)) { continue }
                    matched += 1
                    if matched > offset, results.posts.count < limit {
                        results.posts.append(.init(post: contents.summary(post), snippet: Snippet.around(query, in: body)))
                    }
                }
                results.totals[.posts] = min(matched, SearchResults.countCap)
            }
            let commentsToo = !query.hasPostOnlyFilters && (!query.terms.isEmpty || query.author != nil || query.country != nil || query.dateFrom != nil)
            if kinds.contains(.comments), commentsToo {
                let order = contents.file.comments.indices.sorted { a, b in
                    let (x, y) = (contents.file.comments[a], contents.file.comments[b])
                    return (x.published ?? .distantPast, a) > (y.published ?? .distantPast, b)
                }.map { contents.file.comments[$0] }
                var matched = 0
                for comment in order where matched < max(offset + limit, SearchResults.countCap) {
                    if query.unreadOnly, contents.file.state.comments[comment.id.rawValue]?.read == true { continue }
                    if contents.isMuted(comment.author) { continue }
                    guard byAuthor(comment.author) else { continue }
                    if let from = query.dateFrom, let to = query.dateTo,
                       !(from..<to).contains((comment.published ?? Date(timeIntervalSince1970: 0)).timeIntervalSince1970) { continue }
                    let body = PlainText.fromHTML(comment.body)
                    if !query.terms.isEmpty, !query.matches(folded: SearchText.fold(body)) { continue }
                    matched += 1
                    guard matched > offset, results.comments.count < limit else { continue }
                    let title = contents.postIndex[comment.post].map { contents.file.posts[$0].title } ?? ""
                    results.comments.append(.init(comment: comment.id, post: comment.post, postTitle: title,
                                                  authorName: contents.authorName(of: comment), snippet: Snippet.around(query, in: body)))
                }
                results.totals[.comments] = min(matched, SearchResults.countCap)
            }
            if kinds.contains(.members), !query.hasPostOnlyFilters, !query.unreadOnly, query.dateFrom == nil {
                let counts = contents.postCounts
                let found = contents.file.members
                    .filter { m in
                        if let author = query.author, !SearchQuery.nameMatches(author, m.name) { return false }
                        if let country = query.country, !Self.countryMatches(country, m) { return false }
                        return query.terms.isEmpty
                            || query.matches(folded: SearchText.fold([m.name, m.country ?? "", m.location ?? ""].joined(separator: " ")))
                    }
                    .sorted { (Folding.key($0.name), $0.id.rawValue) < (Folding.key($1.name), $1.id.rawValue) }
                results.totals[.members] = min(found.count, SearchResults.countCap)
                results.members = found.dropFirst(offset).prefix(limit).map { contents.memberSummary($0, postCounts: counts) }
            }
            return results
        }
    }

    /// country: matches the start of the folded country name, or the ISO code.
    static func countryMatches(_ value: String, _ member: Member) -> Bool {
        CountryRule(key: value, code: value.uppercased(), extent: .start).matches(member)
    }

    // MARK: - Content in and out

    public func sources() throws -> [Source] {
        read { $0.file.sources.sorted { ($0.name, $0.id) < ($1.name, $1.id) } }
    }

    public func sourceCounts() throws -> [SourceCount] {
        read { contents in
            struct Pair: Hashable { var source: Source.ID?, category: String? }
            var counts: [Pair: SourceCount] = [:]
            for post in contents.file.posts where !contents.isMuted(post.author) {
                let pair = Pair(source: post.source, category: post.category)
                counts[pair, default: SourceCount(source: post.source, category: post.category, posts: 0, unread: 0)].posts += 1
                if !contents.state(post.id).read { counts[pair]!.unread += 1 }
                counts[pair]!.newReplies += contents.newComments(post.id)
            }
            return counts.values.sorted { ($0.source?.rawValue ?? "", $0.category ?? "") < ($1.source?.rawValue ?? "", $1.category ?? "") }
        }
    }

    /// A JSON cache is written whole: the batches are gathered and written once.
    @discardableResult
    public func importBatches(_ produce: ((CacheContent) throws -> Void) throws -> Void) throws -> ImportSummary {
        var all = CacheContent()
        try produce { batch in
            if let community = batch.community { all.community = community }
            all.sources += batch.sources
            all.members += batch.members
            all.posts += batch.posts
            all.comments += batch.comments
            all.postStates.merge(batch.postStates) { $1 }
            all.commentStates.merge(batch.commentStates) { $1 }
        }
        return try importContent(all)
    }

    public func removeSource(_ id: Source.ID) throws {
        try change { contents in
            guard let index = contents.file.sources.firstIndex(where: { $0.id == id }) else {
                throw AgoraError.invalidArgument("no source with id '\(id)' (agora sources lists them)")
            }
            contents.file.sources.remove(at: index)
        }
    }

    @discardableResult
    public func importContent(_ content: CacheContent) throws -> ImportSummary {
        let content = try ContentCheck.prepared(content)
        return try change { contents in
            var summary = ImportSummary()
            summary.droppedDates = content.droppedDates
            var file = contents.file
            if let community = content.community { file.community = community }
            for source in content.sources {
                if let index = file.sources.firstIndex(where: { $0.id == source.id }) { file.sources[index] = source }
                else { file.sources.append(source) }
            }
            Self.merge(content.members, into: &file.members, index: contents.memberIndex, counts: &summary.members)
            Self.merge(content.posts, into: &file.posts, index: contents.postIndex, counts: &summary.posts)
            let knownPosts = Set(file.posts.map(\.id))
            for comment in content.comments where !knownPosts.contains(comment.post) {
                throw AgoraError.invalidArgument("comment '\(comment.id)' is on post '\(comment.post)', which is not in the cache")
            }
            let commentIndex = Dictionary(file.comments.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
            Self.merge(content.comments, into: &file.comments, index: commentIndex, counts: &summary.comments)
            for (id, state) in content.postStates where state != .unread && knownPosts.contains(id) {
                var entry = file.state.posts[id.rawValue] ?? .init()
                let merged = entry.state.merged(with: state)
                if merged.read, !entry.state.read { summary.postsMarkedRead += 1 }
                if merged.starred, !entry.state.starred { summary.postsStarred += 1 }
                entry.read = merged.read
                entry.readAt = merged.readAt
                entry.starred = merged.starred
                file.state.posts[id.rawValue] = entry
            }
            // Muted in either stays muted; members the cache lacks are left out.
            let knownMembers = Set(file.members.map(\.id))
            for (member, since) in content.muted where file.state.muted[member.rawValue] == nil {
                guard knownMembers.contains(member) else {
                    summary.mutesLeftOut += 1
                    continue
                }
                file.state.muted[member.rawValue] = since
                summary.membersMuted += 1
            }
            for (id, state) in content.commentStates where state.read {
                let old = file.state.comments[id.rawValue]
                if old?.read != true, commentIndex[id] != nil { summary.commentsMarkedRead += 1 }
                let times = [old?.readAt, state.readAt].compactMap { $0 }
                file.state.comments[id.rawValue] = CommentState(read: true, readAt: times.min())
            }
            contents.file = file
            contents.reindex()
            return summary
        }
    }

    private static func merge<T: Identifiable & Equatable>(
        _ incoming: [T], into existing: inout [T], index: [T.ID: Int], counts: inout ImportSummary.Counts
    ) {
        for item in incoming {
            if let at = index[item.id] {
                counts.count(existing: true, changed: existing[at] != item)
                existing[at] = item
            } else {
                counts.count(existing: false, changed: true)
                existing.append(item)
            }
        }
    }

    public func mutedMembers() throws -> [Member.ID: Date] {
        read { contents in Dictionary(uniqueKeysWithValues: contents.file.state.muted.map { (Member.ID($0.key), $0.value) }) }
    }

    public func setMuted(_ muted: Bool, member: Member.ID) throws {
        let now = clock()
        try mark(muted: [member]) { contents in
            guard muted else {
                contents.file.state.muted[member.rawValue] = nil
                return
            }
            guard contents.memberIndex[member] != nil else { throw AgoraError.memberNotFound(member) }
            if contents.file.state.muted[member.rawValue] == nil { contents.file.state.muted[member.rawValue] = now }
        }
    }

    public func exportContent() throws -> CacheContent {
        read { $0.file.content }
    }
}
