/// What every import goes through before it reaches a cache: strings from content are
/// sanitised, ids are checked, and a broken batch is refused with a message that names the record.
enum ContentCheck {
    static func prepared(_ content: CacheContent) throws -> CacheContent {
        var content = content
        content.community = content.community.map(clean)
        content.sources = content.sources.map(clean)
        content.members = try content.members.map(clean)
        content.posts = try content.posts.map(clean)
        content.comments = try content.comments.map(clean)
        try unique(content.members.map(\.id.rawValue), kind: "member")
        try unique(content.posts.map(\.id.rawValue), kind: "post")
        try unique(content.comments.map(\.id.rawValue), kind: "comment")
        return content
    }

    private static func unique(_ ids: [String], kind: String) throws {
        var seen = Set<String>()
        seen.reserveCapacity(ids.count)
        for id in ids where !seen.insert(id).inserted {
            throw AgoraError.invalidArgument("\(kind) id '\(id)' appears more than once")
        }
    }

    private static func line(_ s: String?) -> String? { s.map(Sanitizer.line) }

    private static func id(_ raw: String, kind: String) throws -> String {
        let clean = Sanitizer.line(raw).trimmed
        guard !clean.isEmpty else { throw AgoraError.invalidArgument("a \(kind) has an empty id") }
        return clean
    }

    static func clean(_ c: Community) -> Community {
        Community(name: Sanitizer.line(c.name), tagline: line(c.tagline), url: line(c.url),
                  links: c.links.map { .init(title: Sanitizer.line($0.title), url: line($0.url), note: line($0.note)) })
    }

    static func clean(_ s: Source) -> Source {
        var s = s
        s.name = Sanitizer.line(s.name)
        s.location = line(s.location)
        s.lastStatus = line(s.lastStatus)
        return s
    }

    static func clean(_ m: Member) throws -> Member {
        var m = m
        m.id = Member.ID(try id(m.id.rawValue, kind: "member"))
        m.name = Sanitizer.line(m.name)
        m.country = line(m.country)
        m.countryCode = line(m.countryCode)?.uppercased()
        m.location = line(m.location)
        m.bio = m.bio.map(Sanitizer.text)
        m.profile = m.profile.map { .init(question: Sanitizer.line($0.question), answer: Sanitizer.text($0.answer)) }
        m.avatarPath = line(m.avatarPath)
        m.wall = m.wall.map {
            .init(id: Comment.ID(Sanitizer.line($0.id.rawValue)), author: $0.author.map { Member.ID(Sanitizer.line($0.rawValue)) },
                  authorName: line($0.authorName), published: $0.published, body: Sanitizer.text($0.body))
        }
        return m
    }

    static func clean(_ p: Post) throws -> Post {
        var p = p
        p.id = Post.ID(try id(p.id.rawValue, kind: "post"))
        p.title = Sanitizer.line(p.title)
        p.authorName = line(p.authorName)
        p.category = line(p.category)
        p.tags = p.tags.map(Sanitizer.line).filter { !$0.trimmed.isEmpty }
        p.body = Sanitizer.text(p.body)
        p.link = line(p.link)
        if let views = p.views, views < 0 { p.views = nil }
        return p
    }

    static func clean(_ c: Comment) throws -> Comment {
        var c = c
        c.id = Comment.ID(try id(c.id.rawValue, kind: "comment"))
        c.authorName = line(c.authorName)
        c.body = Sanitizer.text(c.body)
        if c.parent == c.id { c.parent = nil }
        return c
    }
}

import Foundation
