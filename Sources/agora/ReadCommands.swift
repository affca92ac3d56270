import AgoraKit
import AgoraTUI
import ArgumentParser
import Foundation
import TerminalCore

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the community in the cache: name, tagline, links and counts.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = try global.open()
        let community = try store.community()
        let stats = try store.statistics()
        if json {
            try Output.json(InfoJSON(community: community, statistics: stats, cache: store.location))
            return
        }
        Output.line(Output.safe(community.name))
        if let tagline = community.tagline { Output.line(Output.safe(tagline)) }
        if let url = community.url { Output.line(Output.safe(url)) }
        Output.line()
        var table = Table([.init(title: ""), .init(title: "", flexible: true)])
        table.add(["Posts", "\(stats.posts) (\(stats.unread) unread, \(stats.starred) starred)"])
        table.add(["Members", "\(stats.members)"])
        table.add(["Comments", "\(stats.comments)"])
        table.add(["Cache", "\(store.location) (\(Cache.Kind(path: store.location) == .json ? "JSON" : "SQLite"))"])
        table.print(header: false)
        if !community.links.isEmpty {
            Output.line()
            Output.line(Output.safe(community.linksHeading ?? "Links"))
            for link in community.links {
                Output.line("  " + Output.safe(link.title) + (link.url.map { "  " + Output.safe($0) } ?? ""))
                if let note = link.note {
                    for line in Wrap.lines(Output.safe(note), width: min(Output.terminalWidth ?? 80, 100) - 4) {
                        Output.line("    " + line)
                    }
                }
            }
        }
        if let policy = community.commentPolicy {
            Output.line()
            Output.line(Output.safe(policy))
            if let join = community.join { Output.line("  " + Output.safe(join.title) + (join.url.map { "  " + Output.safe($0) } ?? "")) }
        }
        Output.line()
        Output.line("Try: agora list, agora show ID, agora members, agora search WORDS, agora --help")
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List posts, newest first.",
        discussion: "N marks an unread post, * a starred one. Use the id with `agora show`.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var filters: FilterOptions
    @Option(help: "Order: newest, oldest, views, comments, unread (unread first, each part newest first), activity (latest reply first).")
    var sort: PostSort = .newest
    @Option(parsing: .unconditional, help: "Show at most this many posts (0: only how many there are).") var limit = 50
    @Option(parsing: .unconditional, help: "Skip this many posts first.") var offset = 0
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
        guard offset >= 0 else { throw ValidationError("--offset must be 0 or more") }
    }

    func run() throws {
        let store = try global.open()
        let filter = filters.filter
        // An unknown id is an error, not an empty list; a known one is named by the member's name.
        let authorName = try filter.author.map { try store.member($0, limit: 0).member.name }
        let sourceName = try filters.namedSource(in: store)?.name
        let posts = try store.posts(PostQuery(filter: filter, sort: sort, offset: offset, limit: limit))
        if json {
            try Output.json(posts.map(PostJSON.init))
            return
        }
        let counts = try store.counts(filter)
        if posts.isEmpty, limit > 0 || counts.total == 0 {
            Output.line(counts.total == 0 ? filter.nothing(authorName: authorName, sourceName: sourceName) : "No posts at offset \(offset) (there are \(counts.total)).")
            return
        }
        if !posts.isEmpty {
            printTable(posts)
        }
        // --limit 0 asks for the counts alone.
        let shown = posts.count < counts.total && !posts.isEmpty ? "\(offset + 1)-\(offset + posts.count) of \(counts.total)" : "\(counts.total)"
        Output.line("\(shown) \(counts.total == 1 ? "post" : "posts"), \(counts.unread) unread"
                    + (counts.hidden > 0 ? ", \(counts.hidden) hidden (muted members; agora muted lists them)" : ""))
    }

    private func printTable(_ posts: [PostSummary]) {
        var table = Table([
            .init(title: " "), .init(title: "ID", maxWidth: 28), .init(title: "DATE"),
            .init(title: "VIEWS", alignment: .right), .init(title: "COMMENTS", alignment: .right),
            .init(title: "AUTHOR", maxWidth: 24), .init(title: "TITLE", flexible: true),
        ])
        for post in posts {
            table.add([Output.flags(post.state), post.id.rawValue, Output.date(post.published), post.views.map(String.init) ?? "—",
                       post.newComments > 0 ? "\(post.commentCount) (\(post.newComments) new)" : String(post.commentCount), post.authorName ?? post.author?.rawValue ?? "—", post.title])
        }
        table.print()
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a post as wrapped text, with its links and comments.",
        discussion: "Showing a post does not mark it read: use `agora mark read ID`.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The post's id (from `agora list`).") var id: String
    @Option(help: "Wrap text to this many columns (default: the terminal's, at most 100).") var width: Int?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if let width, width < 20 { throw ValidationError("--width must be at least 20") }
    }

    func run() throws {
        let store = try global.open()
        let detail = try store.post(Post.ID(id))
        if json {
            try Output.json(ArticleJSON(detail))
            return
        }
        let width = self.width ?? min(Output.terminalWidth ?? 80, 100)
        for line in Wrap.lines(Output.safe(detail.post.title), width: width) { Output.line(line) }
        Output.line(Output.safe(byline(detail)))
        if !detail.post.tags.isEmpty || detail.post.category != nil {
            Output.line(Output.safe(([detail.post.category].compactMap { $0 } + detail.post.tags.map { "#" + $0 }).joined(separator: " ")))
        }
        Output.line()
        let rich = HTMLRenderer.render(detail.post.body)
        for line in ArticleLayout.lines(rich, width: width) { Output.line(Sanitizer.line(line.text)) }
        if !rich.links.isEmpty {
            Output.line()
            Output.line("Links")
            for line in ArticleLayout.linkLines(rich.links, width: width) { Output.line(Sanitizer.line(line.text)) }
        }
        if let link = detail.post.link {
            Output.line()
            Output.line("On the web: " + Output.safe(link))
        }
        Output.line()
        if detail.comments.isEmpty {
            Output.line("No comments.")
            return
        }
        let hidden = detail.comments.filter(detail.isMuted).count
        Output.line("Comments (\(detail.comments.count)" + (hidden > 0 ? ", \(hidden) hidden" : "") + ")")
        for item in detail.comments {
            let indent = String(repeating: "  ", count: min(item.depth, 10) + 1)
            Output.line()
            // A muted member's comment keeps its place in the thread, and nothing else.
            if detail.isMuted(item) {
                Output.line(indent + "1 hidden (a muted member's comment)")
                continue
            }
            let who = item.comment.authorName ?? item.comment.author?.rawValue ?? "someone"
            Output.line(indent + Output.safe(who) + " · " + Output.date(item.comment.published)
                        + (item.state.read ? "" : " · unread") + "  [" + Output.safe(item.id.rawValue) + "]")
            let body = HTMLRenderer.render(item.comment.body)
            for line in ArticleLayout.lines(body, width: max(20, width - indent.count)) {
                Output.line(indent + Sanitizer.line(line.text))
            }
        }
    }

    /// The reader's byline, and the reader state the reader shows elsewhere.
    private func byline(_ detail: PostDetail) -> String {
        ArticleDocument.byline(detail) + " · " + (detail.state.read ? "read" : "unread") + (detail.state.starred ? " · starred" : "")
    }

}

struct Members: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the member roster, by name.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only members from this country (name or ISO code; accents and case do not matter).") var country: String?
    @Option(help: "Order: name, country, posts (most posts first).") var sort: MemberSort = .name
    @Option(parsing: .unconditional, help: "Show at most this many members.") var limit = 1_000
    @Option(parsing: .unconditional, help: "Skip this many members first.") var offset = 0
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
        guard offset >= 0 else { throw ValidationError("--offset must be 0 or more") }
    }

    func run() throws {
        let store = try global.open()
        let members = try store.members(MemberQuery(country: country, sort: sort, offset: offset, limit: limit))
        if json {
            try Output.json(members.map(MemberSummaryJSON.init))
            return
        }
        let total = try store.memberCount(country: country)
        if members.isEmpty {
            Output.line(country.map { "No members from \(Output.safe($0))." } ?? "No members.")
            return
        }
        var table = Table([
            .init(title: "NAME", maxWidth: 36), .init(title: "COUNTRY", maxWidth: 28),
            .init(title: "POSTS", alignment: .right), .init(title: "ID", flexible: true),
        ])
        for m in members { table.add([m.name, m.country ?? "—", String(m.postCount), m.id.rawValue]) }
        table.print()
        let shown = members.count < total ? "\(offset + 1)-\(offset + members.count) of \(total)" : "\(total)"
        // Name the country as the roster spells it, whatever case or accents were typed.
        let place = country.map { members.first?.country ?? $0 }
        Output.line("\(shown) \(total == 1 ? "member" : "members")" + (place.map { " from \(Output.safe($0))" } ?? ""))
    }
}

struct MemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member", abstract: "Show one member's profile, posts and comments.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The member's id (from `agora members`).") var id: String
    @Option(parsing: .unconditional, help: "Show at most this many posts and comments.") var limit = 20
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = try global.open()
        let profile = try store.member(Member.ID(id), limit: max(0, limit))
        if json {
            try Output.json(MemberJSON(profile))
            return
        }
        let m = profile.member
        Output.line(Output.safe(m.name))
        var facts = Table([.init(title: ""), .init(title: "", flexible: true)])
        facts.add(["Id", m.id.rawValue])
        if let country = m.country { facts.add(["Country", country + (m.countryCode.map { " (\($0))" } ?? "")]) }
        if let location = m.location { facts.add(["Location", location]) }
        facts.add(["Role", m.role.rawValue + (m.state == .active ? "" : ", " + m.state.rawValue)])
        if let joined = m.joined { facts.add(["Joined", Output.date(joined)]) }
        if let avatar = m.avatarPath { facts.add(["Photo", avatar]) }
        facts.add(["Posts", String(profile.postCount)])
        facts.add(["Comments", String(profile.commentCount)])
        facts.print(header: false)
        let width = min(Output.terminalWidth ?? 80, 100)
        if let bio = m.bio, !bio.isEmpty {
            Output.line()
            for line in ArticleLayout.lines(HTMLRenderer.render(bio), width: width) { Output.line(Sanitizer.line(line.text)) }
        }
        for answer in m.profile {
            Output.line()
            Output.line(Output.safe(answer.question))
            for line in ArticleLayout.lines(HTMLRenderer.render(answer.answer), width: width - 2) {
                Output.line("  " + Sanitizer.line(line.text))
            }
        }
        if !profile.posts.isEmpty {
            Output.line()
            Output.line("Posts" + (profile.postCount > profile.posts.count ? " (newest \(profile.posts.count) of \(profile.postCount))" : ""))
            var table = Table([.init(title: ""), .init(title: "", maxWidth: 28), .init(title: ""), .init(title: "", flexible: true)])
            for p in profile.posts {
                table.add([Output.flags(p.state), p.id.rawValue, Output.date(p.published), p.title])
            }
            table.print(header: false)
        }
        if !profile.comments.isEmpty {
            Output.line()
            Output.line("Comments" + (profile.commentCount > profile.comments.count ? " (newest \(profile.comments.count) of \(profile.commentCount))" : ""))
            var table = Table([.init(title: ""), .init(title: ""), .init(title: "", flexible: true)])
            for c in profile.comments {
                table.add([Output.date(c.comment.published), c.comment.post.rawValue, "on " + (c.postTitle ?? "")])
            }
            table.print(header: false)
        }
        if !m.wall.isEmpty {
            Output.line()
            Output.line("Comment wall (\(m.wall.count))")
            for c in m.wall {
                Output.line()
                Output.line("  " + [c.authorName ?? c.author?.rawValue ?? "someone", Output.date(c.published)].map(Output.safe).joined(separator: " · "))
                for line in ArticleLayout.lines(HTMLRenderer.render(c.body), width: max(20, width - 2)) {
                    Output.line("  " + Sanitizer.line(line.text))
                }
            }
        }
    }
}
