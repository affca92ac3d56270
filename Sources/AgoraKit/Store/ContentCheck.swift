/// What every import goes through before it reaches a cache, the one boundary where records come
/// in: strings from content are sanitised, ids and every reference to one are cleaned the same
/// way (so a reference still finds its record), dates outside the years a community can have are
/// left out and counted, and a broken batch is refused with a message that names the record.
enum ContentCheck {
    /// The dates a cache keeps: 1970-01-01 to 9999-12-31. Anything else (an overflowing number of
    /// seconds, a year -4712) is left out, never stored.
    static let dates = Date(timeIntervalSince1970: 0)...Date(timeIntervalSince1970: 253_402_300_799)

    static func prepared(_ content: CacheContent) throws -> CacheContent {
        var dates = DateCheck()
        var content = content
        content.community = content.community.map(clean)
        content.sources = content.sources.map { clean($0, &dates) }
        content.members = try content.members.map { try clean($0, &dates) }
        content.posts = try content.posts.map { try clean($0, &dates) }
        content.comments = try content.comments.map { try clean($0, &dates) }
        content.postStates = Dictionary(content.postStates.map { (Post.ID(reference($0.key.rawValue)), clean($0.value, &dates)) },
                                        uniquingKeysWith: { $0.merged(with: $1) })
        content.commentStates = Dictionary(content.commentStates.map { (Comment.ID(reference($0.key.rawValue)), clean($0.value, &dates)) },
                                           uniquingKeysWith: { a, b in a.read ? a : b })
        // Muted members are found as every other reference is: by the cleaned id.
        content.muted = Dictionary(content.muted.compactMap { id, since -> (Member.ID, Date)? in
            let clean = reference(id.rawValue)
            return clean.isEmpty ? nil : (Member.ID(clean), dates.check(since) ?? Date(timeIntervalSince1970: 0))
        }, uniquingKeysWith: { min($0, $1) })
        content.journal = content.journal.map { entry in
            var entry = entry
            entry.date = dates.check(entry.date) ?? Date(timeIntervalSince1970: 0)
            entry.scope = Sanitizer.line(entry.scope)
            return entry
        }
        try unique(content.members.map(\.id.rawValue), kind: "member")
        try unique(content.posts.map(\.id.rawValue), kind: "post")
        try unique(content.comments.map(\.id.rawValue), kind: "comment")
        content.droppedDates += dates.dropped
        return content
    }

    /// Counts the dates it leaves out.
    struct DateCheck {
        var dropped = 0

        mutating func check(_ date: Date?) -> Date? {
            guard let date else { return nil }
            guard date.timeIntervalSince1970.isFinite, ContentCheck.dates.contains(date) else {
                dropped += 1
                return nil
            }
            // To the millisecond, as the caches keep it and the JSON cache writes it: the same
            // file imported twice then compares equal, record by record.
            return date.toTheMillisecond
        }
    }

    private static func unique(_ ids: [String], kind: String) throws {
        var seen = Set<String>()
        seen.reserveCapacity(ids.count)
        for id in ids where !seen.insert(id).inserted {
            throw AgoraError.repeatedID(kind: kind, id: id)
        }
    }

    private static func line(_ s: String?) -> String? { s.map(Sanitizer.line) }

    private static func id(_ raw: String, kind: String) throws -> String {
        let clean = reference(raw)
        guard !clean.isEmpty else { throw AgoraError.invalidArgument("a \(kind) has an empty id") }
        return clean
    }

    /// An id, or a reference to one, as the cache keeps it: one line, no invisible characters,
    /// no spaces around it. Ids and references are cleaned alike, so they still meet.
    static func reference(_ raw: String) -> String { Sanitizer.identifier(raw) }

    private static func reference<T>(_ id: Identifier<T>?) -> Identifier<T>? {
        guard let id else { return nil }
        let clean = reference(id.rawValue)
        return clean.isEmpty ? nil : Identifier(clean)
    }

    static func clean(_ c: Community) -> Community {
        let link = { (l: Community.Link) in Community.Link(title: Sanitizer.line(l.title), url: line(l.url), note: line(l.note)) }
        return Community(name: Sanitizer.line(c.name), tagline: line(c.tagline), url: line(c.url), links: c.links.map(link),
                         linksHeading: line(c.linksHeading), commentPolicy: line(c.commentPolicy), join: c.join.map(link))
    }

    static func clean(_ s: Source, _ dates: inout DateCheck) -> Source {
        var s = s
        s.id = Source.ID(reference(s.id.rawValue))
        s.name = Sanitizer.line(s.name)
        s.location = line(s.location)
        s.etag = line(s.etag)
        s.lastModified = line(s.lastModified)
        s.lastStatus = line(s.lastStatus)
        s.lastSync = dates.check(s.lastSync)
        s.retryAfter = dates.check(s.retryAfter)
        return s
    }

    static func clean(_ state: PostState, _ dates: inout DateCheck) -> PostState {
        var state = state
        state.readAt = dates.check(state.readAt)
        return state
    }

    static func clean(_ state: CommentState, _ dates: inout DateCheck) -> CommentState {
        var state = state
        state.readAt = dates.check(state.readAt)
        return state
    }

    static func clean(_ m: Member, _ dates: inout DateCheck) throws -> Member {
        var m = m
        m.id = Member.ID(try id(m.id.rawValue, kind: "member"))
        m.joined = dates.check(m.joined)
        m.name = Sanitizer.line(m.name)
        m.country = line(m.country)
        m.countryCode = line(m.countryCode)?.uppercased()
        m.location = line(m.location)
        m.bio = m.bio.map(Sanitizer.text)
        // A list's separator is text like the rest (from a file, it may be anything): none when empty.
        m.profile = m.profile.map {
            .init(question: Sanitizer.line($0.question), answer: Sanitizer.text($0.answer),
                  separator: $0.separator.map(Sanitizer.line).flatMap { $0.isEmpty ? nil : $0 })
        }
        m.avatarPath = line(m.avatarPath)
        m.wall = m.wall.map {
            .init(id: Comment.ID(reference($0.id.rawValue)), author: reference($0.author),
                  authorName: line($0.authorName), published: dates.check($0.published), body: Sanitizer.text($0.body))
        }
        return m
    }

    static func clean(_ p: Post, _ dates: inout DateCheck) throws -> Post {
        var p = p
        p.id = Post.ID(try id(p.id.rawValue, kind: "post"))
        p.source = reference(p.source)
        p.author = reference(p.author)
        p.published = dates.check(p.published)
        p.updated = dates.check(p.updated)
        p.title = Sanitizer.line(p.title)
        p.authorName = line(p.authorName)
        p.category = line(p.category)
        p.tags = p.tags.map(Sanitizer.line).filter { !$0.trimmed.isEmpty }
        p.body = Sanitizer.text(p.body)
        p.link = line(p.link)
        if let views = p.views, views < 0 { p.views = nil }
        if let likes = p.likes, likes < 0 { p.likes = nil }
        return p
    }

    static func clean(_ c: Comment, _ dates: inout DateCheck) throws -> Comment {
        var c = c
        c.id = Comment.ID(try id(c.id.rawValue, kind: "comment"))
        c.post = Post.ID(reference(c.post.rawValue))
        c.parent = reference(c.parent)
        c.author = reference(c.author)
        c.published = dates.check(c.published)
        c.authorName = line(c.authorName)
        c.body = Sanitizer.text(c.body)
        if c.parent == c.id { c.parent = nil }
        return c
    }
}

import Foundation

extension CacheContent {
    /// Keeps the first record of each id, ids compared as the cache keeps them (cleaned), and
    /// answers how many were left out: for sources that can repeat an id (a forum keeps a post's
    /// id when it moves to another topic; two directory names can clean to one), where one
    /// repeat must not cost the whole batch.
    public mutating func dropDuplicateIDs() -> Int {
        func firstOfEach<T>(_ records: [T], id: (T) -> String) -> [T] {
            var seen = Set<String>()
            return records.filter { seen.insert(ContentCheck.reference(id($0))).inserted }
        }
        let before = posts.count + comments.count + members.count
        posts = firstOfEach(posts) { $0.id.rawValue }
        comments = firstOfEach(comments) { $0.id.rawValue }
        members = firstOfEach(members) { $0.id.rawValue }
        return before - (posts.count + comments.count + members.count)
    }
}
