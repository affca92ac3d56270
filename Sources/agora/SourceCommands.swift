import AgoraImport
import AgoraKit
import ArgumentParser
import Foundation

struct Sources: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "List, add and remove the feeds and forums that `agora sync` brings up to date.",
        subcommands: [SourcesList.self, SourcesAdd.self, SourcesRemove.self],
        defaultSubcommand: SourcesList.self)
}

struct SourcesList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the sources with when each was last synced and how it went.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = try global.open()
        let sources = try store.sources()
        let tally = SourceTally.tally(sources, counts: try store.sourceCounts())
        if json {
            try Output.json(tally.compactMap { row in row.source.map { SourceJSON(source: $0, tally: row) } })
            return
        }
        if sources.isEmpty {
            Output.line("No sources. Add a feed with `agora sources add URL`, or import a file.")
            return
        }
        var table = Table([.init(title: "ID", maxWidth: 36), .init(title: "KIND"), .init(title: "NAME", maxWidth: 30),
                           .init(title: "POSTS", alignment: .right), .init(title: "UNREAD", alignment: .right),
                           .init(title: "LAST SYNC"), .init(title: "STATUS", flexible: true)])
        for row in tally {
            guard let s = row.source else {
                table.add(["", "", "(no source)", String(row.posts), String(row.unread), "", ""])
                continue
            }
            table.add([s.id.rawValue, s.kind.rawValue, s.name, String(row.posts), String(row.unread),
                       s.isSynced ? s.lastSync.map(Fetcher.clock) ?? "never" : "—", s.lastStatus ?? "—"])
            for category in row.categories {
                table.add(["", "", "  › " + (category.category ?? ""), String(category.posts), String(category.unread), "", ""])
            }
        }
        table.print(header: true)
    }
}

struct SourcesAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a feed, a Discourse forum or a mailing list's archive for `agora sync` to bring up to date.",
        discussion: """
            An http(s) address is asked whether it is a Discourse forum (its /site.json or \
            /about.json, or the generator tag of its page) or a Mailman archive (a pipermail \
            index that links months, `2014-March.txt.gz`, or a HyperKitty list page that links \
            them, read through its monthly exports) or a public-inbox list (its page links \
            `new.atom`), and added as what it is; \
            else it is taken for a feed; --kind says instead. A list's archive is synced month \
            by month: the months not read yet, and the newest again (with its ETag), nothing else; \
            a public-inbox list through its feed, each message it lists fetched once. A forum is mirrored whole: topics, replies, members. Its options bound \
            the first sync (--since, --max-topics) or keep to some categories (--categories). A \
            forum that needs a login takes --api-key-file: a file only you can read (mode 0600) \
            with `Api-Key:` and `Api-Username:` lines, or a `User-Api-Key:` line. Only the \
            file's path is kept; the key is sent to the forum and nowhere else.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The feed's or forum's address, or a feed file.", valueName: "url-or-file")) var location: String
    @Option(help: "What to call it (else the feed's or forum's own title).") var name: String?
    @Option(help: "What it is, instead of asking it: \(SourceKindTable.standard.addable.map(\.format).joined(separator: " or ")).") var kind: String?
    @Option(help: ArgumentHelp("A forum: mirror only these categories (names or slugs, comma-separated).", valueName: "a,b"))
    var categories: String?
    @Option(help: ArgumentHelp("A forum: the first sync goes back to this day and no further.", valueName: "YYYY-MM-DD")) var since: String?
    @Option(name: .customLong("max-topics"), help: "A forum: the first sync takes at most this many topics, the most recent.")
    var maxTopics: Int?
    @Option(name: .customLong("api-key-file"), help: ArgumentHelp("A forum that needs a login: the file with its key (mode 0600).", valueName: "file"))
    var apiKeyFile: String?

    func validate() throws {
        if let kind, !SourceKindTable.standard.addable.contains(where: { $0.format == kind }) {
            throw ValidationError("--kind is one of \(SourceKindTable.standard.addable.map(\.format).joined(separator: ", ")), not '\(kind)'")
        }
        if let maxTopics, maxTopics < 1 { throw ValidationError("--max-topics must be at least 1") }
        if let since, Self.day(since) == nil { throw ValidationError("--since must be a day written YYYY-MM-DD, not '\(since)'") }
        if let categories, categories.split(separator: ",").allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--categories needs at least one name")
        }
    }

    func run() throws {
        let resolved = try Self.resolve(location)
        let forumOptions = categories != nil || since != nil || maxTopics != nil || apiKeyFile != nil
        let keyPath = apiKeyFile.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let key = try keyPath.map(ForumKey.read)
        // The kind named, or the one the address says it is (asked of each kind in the table).
        let table = SourceKindTable.standard
        // An address is asked what it is over HTTP: without libcurl, that is said first.
        if kind == nil, SourcePolicy.isWeb(resolved) { try Fetcher.checkHTTP(resolved) }
        let found: (SourceReader, SourceReader.Answer)? = if let kind { table.reader(format: kind).map { ($0, .no) } }
            else { table.reader(forAddress: resolved, key: key) }
        guard let (reader, answer) = found, let adding = reader.adding else {
            throw AgoraError.invalidArgument("\(resolved): not something agora can add")
        }
        if answer == .needsLogin {
            throw AgoraError.invalidArgument("\(resolved): \(reader.describes) that needs a login; give a key with --api-key-file FILE")
        }
        if forumOptions, !adding.takesForumOptions {
            throw AgoraError.invalidArgument("\(resolved) is not a Discourse forum: --categories, --since, --max-topics and --api-key-file are for forums (--kind discourse if it is one)")
        }
        let asked = categories.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        var title: String?
        if case .yes(let said) = answer { title = said }
        let request = SourceReader.AddRequest(
            location: resolved, name: name, named: kind != nil, title: title,
            forum: forumOptions ? Source.Forum(categories: asked, since: since.flatMap(Self.day), maxTopics: maxTopics) : nil,
            keyPath: keyPath, key: key)
        // A forum's categories are checked against it before the cache is opened.
        let cache = OpenedOnFirstUse { try global.openForImport() }
        let outcome = try adding.add(request, cache)
        if outcome.isNew, let store = cache.opened { try Import.nameCommunity(store, after: outcome.source) }
        Output.line(Output.safe(outcome.message))
    }

    /// "2024-03-01" as the start of that day, UTC.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    /// An http(s) URL as given; a file as its absolute path (it must exist).
    static func resolve(_ location: String) throws -> String {
        let lower = location.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard let url = URL(string: location), url.host?.isEmpty == false else {
                throw AgoraError.badInput(.init(path: location), "not a valid address")
            }
            return location
        }
        if lower.contains("://") {
            throw AgoraError.badInput(.init(path: location), "only http, https and files can be sources")
        }
        let path = lower.hasPrefix("file:") ? (URL(string: location)?.path ?? location) : location
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw AgoraError.missing(path: path, folder: false)
        }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

struct SourcesRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Stop syncing a source. Its posts stay in the cache, read and starred as they were.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The source's id, as `agora sources` lists it.", valueName: "id")) var id: String

    func run() throws {
        let store = try global.open()
        try store.removeSource(Source.ID(id))
        Output.line("Removed \(Output.safe(id)); its posts stay in the cache.")
    }
}

/// A cache opened when it is first asked: what is checked before (a forum's categories) leaves
/// no cache behind when it fails.
final class OpenedOnFirstUse: ImportPort, @unchecked Sendable {
    private let open: () throws -> any CommunityStore
    private(set) var opened: (any CommunityStore)?

    init(_ open: @escaping () throws -> any CommunityStore) { self.open = open }

    private func store() throws -> any CommunityStore {
        if let opened { return opened }
        let store = try open()
        opened = store
        return store
    }

    func sources() throws -> [Source] { try store().sources() }
    func knownMembers(_ ids: [Member.ID]) throws -> Set<Member.ID> { try store().knownMembers(ids) }
    func knownReplies(of post: Post.ID) throws -> [Comment.ID: String?] { try store().knownReplies(of: post) }
    func holders(of ids: [String]) throws -> [String: Holder] { try store().holders(of: ids) }
    func importContent(_ content: CacheContent) throws -> ImportSummary { try store().importContent(content) }
    func importBatches(_ produce: (_ write: (CacheContent) throws -> Void) throws -> Void) throws -> ImportSummary {
        try store().importBatches(produce)
    }
}
