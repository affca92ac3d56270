import AgoraKit
import ArgumentParser
import Foundation

struct Mark: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mark posts (or comments) read or unread, starred or not; or a whole source read.",
        discussion: """
            Every id must exist: if one does not, nothing is changed. `agora mark read --source ID` \
            marks every post of a source read (with --category, of one of its categories), as \
            mark-all-read does: `agora undo` takes it back.
            """)

    enum Change: String, ExpressibleByArgument, CaseIterable {
        case read, unread, star, unstar
    }

    @OptionGroup var global: GlobalOptions
    @Argument(help: "read, unread, star or unstar.") var change: Change
    @Argument(help: "Post ids (or comment ids with --comments).") var ids: [String] = []
    @Flag(help: "The ids are comment ids (read and unread only).") var comments = false
    @Option(help: ArgumentHelp("Instead of ids: every post of this source (read only; agora undo takes it back).",
                               valueName: "source-id"))
    var source: String?
    @Option(help: ArgumentHelp("With --source: only the posts in this category of it.", valueName: "name")) var category: String?

    func validate() throws {
        if category != nil, source == nil { throw ValidationError("--category needs --source: a category is a source's") }
        if source != nil {
            if !ids.isEmpty { throw ValidationError("name ids or --source, not both") }
            if change != .read || comments { throw ValidationError("--source marks a source's posts read; nothing else") }
            return
        }
        if ids.isEmpty { throw ValidationError("name at least one id (or --source ID)") }
        if comments, change == .star || change == .unstar { throw ValidationError("comments can be marked read or unread, not starred") }
    }

    func run() throws {
        let store = try global.open()
        if let source {
            let named = try FilterOptions.source(source, in: store)
            let entry = try store.markAllRead(PostFilter(source: named.id, category: category))
            let scope = category.map { "\(named.name) › \($0)" } ?? named.name
            Output.line(entry.count == 0 ? "Nothing to mark: no unread posts in \(Output.safe(scope))."
                        : "Marked \(Output.plural(entry.count, "post")) of \(Output.safe(scope)) read (change \(entry.token)). Undo with: agora undo")
            return
        }
        if comments {
            try store.setRead(change == .read, comments: ids.map { Comment.ID($0) })
            Output.line("Marked \(Output.plural(ids.count, "comment")) \(change.rawValue).")
            return
        }
        let posts = ids.map { Post.ID($0) }
        switch change {
        case .read, .unread: try store.setRead(change == .read, posts: posts)
        case .star, .unstar: try store.setStarred(change == .star, posts: posts)
        }
        let verb = ["read": "read", "unread": "unread", "star": "starred", "unstar": "not starred"][change.rawValue]!
        Output.line("Marked \(Output.plural(ids.count, "post")) \(verb).")
    }
}

struct MarkAllRead: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark-all-read",
        abstract: "Mark every post (or every post a filter shows) read. `agora undo` takes it back.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var filters: FilterOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = try global.open()
        _ = try filters.namedSource(in: store)
        let entry = try store.markAllRead(filters.filter)
        if json {
            try Output.json(JournalJSON(entry))
            return
        }
        if entry.count == 0 {
            Output.line("Nothing to mark: no unread \(filters.filter.summary == "all posts" ? "posts" : filters.filter.summary).")
        } else {
            Output.line("Marked \(Output.plural(entry.count, "post")) read (change \(entry.token)). Undo with: agora undo")
        }
    }
}

struct Undo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Undo the last mark-all-read (or the one with the given number).",
        discussion: """
            Posts marked read or unread one by one since then are left as they are. \
            `agora undo --list` shows the journal of bulk changes.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The change's number (from --list); the latest when left out.") var token: Int?
    @Flag(help: "List the journal of bulk changes instead.") var list = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = try global.open()
        if list {
            let journal = try store.journal()
            if json { try Output.json(journal.map(JournalJSON.init)); return }
            if journal.isEmpty { Output.line("No bulk changes yet."); return }
            var table = Table([.init(title: "#", alignment: .right), .init(title: "DATE"), .init(title: "CHANGE"),
                               .init(title: "POSTS", alignment: .right), .init(title: "", flexible: true)])
            for e in journal {
                table.add([String(e.token), e.date.formatted(.iso8601), "\(e.action.rawValue) (\(e.scope))", String(e.count), e.undone ? "undone" : ""])
            }
            table.print()
            return
        }
        let result = try store.undo(token)
        if json {
            struct Shape: Encodable {
                var change: JournalJSON
                var restored: Int
            }
            try Output.json(Shape(change: JournalJSON(result.entry), restored: result.restored))
            return
        }
        Output.line("Undid change \(result.entry.token) (\(result.entry.action.rawValue) of \(result.entry.scope), \(result.entry.date.formatted(.iso8601))): \(Output.plural(result.restored, "post")) unread again.")
    }
}

struct Mute: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mute members: their posts and comments are hidden everywhere (lists, threads, search, counts).",
        discussion: """
            Reader state, like read marks: kept in the cache, written by agora export and merged \
            by agora import (muted in either stays muted). In the reader, M mutes the member in \
            view (or unmutes one who is muted). A muted member's profile still shows what they wrote, \
            and agora list --author ID lists their posts.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Member ids (agora members lists them).") var ids: [String]

    func validate() throws { if ids.isEmpty { throw ValidationError("name at least one member id") } }

    func run() throws {
        let store = try global.open()
        // Every id first: an unknown one changes nothing.
        for id in ids { _ = try store.member(Member.ID(id), limit: 0) }
        for id in ids { try store.setMuted(true, member: Member.ID(id)) }
        Output.line("Muted \(Output.plural(ids.count, "member")): their posts and comments are hidden. agora unmute brings them back.")
    }
}

struct Unmute: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Unmute members: their posts and comments show again.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Member ids (agora muted lists them).") var ids: [String]

    func validate() throws { if ids.isEmpty { throw ValidationError("name at least one member id") } }

    func run() throws {
        let store = try global.open()
        let muted = try store.mutedMembers()
        let unknown = ids.filter { muted[Member.ID($0)] == nil }
        if !unknown.isEmpty {
            throw AgoraError.invalidArgument("not muted: \(unknown.map { Output.safe($0) }.joined(separator: ", ")) (agora muted lists who is)")
        }
        for id in ids { try store.setMuted(false, member: Member.ID(id)) }
        Output.line("Unmuted \(Output.plural(ids.count, "member")).")
    }
}

struct Muted: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the muted members, with when each was muted.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    struct Row: Encodable {
        var id: String
        var name: String?
        var since: String
    }

    func run() throws {
        let store = try global.open()
        let muted = try store.mutedMembers().sorted { ($0.value, $0.key.rawValue) < ($1.value, $1.key.rawValue) }
        let rows = muted.map { id, since in
            Row(id: id.rawValue, name: (try? store.member(id, limit: 0))?.member.name, since: ISODate.string(since))
        }
        if json {
            try Output.json(rows)
            return
        }
        guard !rows.isEmpty else {
            Output.line("No muted members.")
            return
        }
        var table = Table([.init(title: "ID"), .init(title: "NAME", maxWidth: 40), .init(title: "MUTED SINCE")])
        for row in rows { table.add([Output.safe(row.id), Output.safe(row.name ?? "—"), String(row.since.prefix(10))]) }
        table.print(header: true)
    }
}
