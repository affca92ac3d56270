import AgoraImport
import AgoraKit
import ArgumentParser
import Foundation

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring a community in: a Ning archive, an RSS/Atom/JSON feed file, an OPML list or an Agora JSON file.",
        discussion: """
            PATH may be a Ning archive folder, a zip of one, a single ning-*.json file, an Agora \
            JSON cache (as `agora export` writes), an RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed \
            1.0/1.1 file, or an OPML file (whose feeds become sources for `agora sync`). What it \
            is, is told from its name and first bytes; --format says it instead.

            Posts, comments and members with ids the cache already has are updated in place; read \
            and starred state stays. It all happens in one transaction: if anything is wrong, the \
            cache is left exactly as it was and the message says which file, and the line, column \
            or record where known. Progress shows on stderr when it is a terminal.

            --sample instead of PATH brings in the embedded sample community (Diplo Internet \
            Governance Community): how a cache other than the default one gets it.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The file or folder to import.", valueName: "path")) var pathGiven: String?
    @Flag(help: "Import the embedded sample community instead of a file.") var sample = false

    var path: String { pathGiven ?? "" }

    func validate() throws {
        if sample, pathGiven != nil { throw ValidationError("give a PATH or --sample, not both") }
        if !sample, pathGiven == nil { throw ValidationError("Missing expected argument '<path>' (or --sample)") }
    }
    @Option(help: "What PATH is: \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: ImportFormat?
    @Flag(help: "Print a JSON summary.") var json = false

    func run() throws {
        // A cache this import creates is removed again when the import fails: a failed import
        // leaves things as they were, and that includes no cache where there was none.
        let cache = global.path
        let existed = FileManager.default.fileExists(atPath: cache)
        do {
            try importPath()
        } catch {
            if !existed {
                for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: cache + suffix) }
            }
            throw error
        }
    }

    private func importPath() throws {
        if sample {
            let store = try global.openForImport()
            let summary = try store.importContent(try SampleCommunity.content())
            try report(summary, format: .agoraJSON, notes: [], name: "the sample community (\(SampleCommunity.name))")
            return
        }
        let progress = Progress()
        // Read and check everything before touching (or creating) the cache.
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw AgoraError.cannotRead(path: path, reason: "no such file or folder")
        }
        // What it is, from its name and first bytes: a 300 MB feed is read as a stream, never whole.
        var head: Data?
        if !isFolder.boolValue { head = try Self.head(path) }
        let kind: ImportFormat? = format
            ?? (isFolder.boolValue ? (NingArchive.looksLikeArchive(path: path, data: nil) ? .ning : nil)
                : ImportFormat.detect(head!, name: path))
        var plan: ImportPlan
        switch kind {
        case .agoraJSON?:
            guard head != nil else { throw AgoraError.invalidArgument("\(path) is a folder, not an Agora JSON file") }
            plan = ImportPlan(content: try CacheFile.read(path: path).content)
        case .feed?:
            guard head != nil else { throw AgoraError.invalidArgument("\(path) is a folder, not a feed") }
            // Read as a stream and written in batches, in one transaction.
            let store = try global.openForImport()
            let location = URL(fileURLWithPath: path).standardizedFileURL.path
            let known = try store.sources().first { $0.id == FeedImport.sourceID(location) }
            let summary = try FeedImport.importFile(path, into: store, key: FeedImport.keptKey(of: known)) { done, total in
                if total > 4 << 20 { progress.bar((path as NSString).lastPathComponent, done: done >> 20, total: total >> 20, unit: "MiB") }
            }
            progress.finish()
            try Self.nameCommunity(store, after: try store.sources().first { $0.location == location })
            try report(summary, format: .feed, notes: try Self.sizeNotes(store, path: global.path))
            return
        case .ning?:
            let archive = try NingArchive(path: path)
            plan = try archive.read { file, done, total in progress.bar(file, done: done, total: total) }
            progress.finish()
        case .opml?:
            guard head != nil else { throw AgoraError.invalidArgument("\(path) is a folder, not an OPML file") }
            try importOPML(try CacheFile.readData(path: path))
            return
        case nil:
            throw AgoraError.invalidArgument(
                "\(path): not something agora can import (a Ning archive, an RSS, Atom or JSON Feed file, an OPML file or an Agora JSON cache); --format says what it is")
        }
        let store = try global.openForImport()
        var addedSources: [Source] = []
        if kind == .agoraJSON {
            let imported = SourcePolicy.imported(plan.content.sources, existing: try store.sources())
            plan.content.sources = imported.added
            plan.notes += imported.notes
            addedSources = imported.added
        }
        if plan.content.posts.count + plan.content.comments.count > 5_000 {
            progress.line("writing \(Output.plural(plan.content.posts.count, "post")), \(Output.plural(plan.content.comments.count, "comment")) and \(Output.plural(plan.content.members.count, "member"))")
        }
        let summary = try store.importContent(plan.content)
        if plan.content.community == nil { try Self.nameCommunity(store, after: plan.content.sources.first) }
        try report(summary, format: kind!, notes: plan.notes + Self.sizeNotes(store, path: global.path), sourcesAdded: addedSources)
    }

    private func report(_ summary: ImportSummary, format: ImportFormat, notes: [String], name: String? = nil,
                        sourcesAdded: [Source] = []) throws {
        if json {
            try Output.json(ImportJSON(path: name == nil ? path : "sample", format: name == nil ? format.rawValue : "sample", summary: summary, notes: notes,
                                       sourcesAdded: sourcesAdded.map { ImportJSON.AddedSource(id: $0.id.rawValue, kind: $0.kind.rawValue, location: $0.location) }))
            return
        }
        func describe(_ c: ImportSummary.Counts, _ word: String) -> String {
            "\(word): \(c.added) added, \(c.updated) updated, \(c.unchanged) unchanged"
        }
        Output.line("Imported \(name ?? Output.safe(path))")
        Output.line("  " + describe(summary.posts, "posts"))
        Output.line("  " + describe(summary.comments, "comments"))
        Output.line("  " + describe(summary.members, "members"))
        var merged: [String] = []
        if summary.postsMarkedRead > 0 { merged.append(Output.plural(summary.postsMarkedRead, "post") + " marked read") }
        if summary.postsStarred > 0 { merged.append(Output.plural(summary.postsStarred, "post") + " starred") }
        if summary.commentsMarkedRead > 0 { merged.append(Output.plural(summary.commentsMarkedRead, "comment") + " marked read") }
        if summary.membersMuted > 0 { merged.append(Output.plural(summary.membersMuted, "member") + " muted") }
        if !merged.isEmpty { Output.line("  reading state merged: " + merged.joined(separator: ", ")) }
        if summary.mutesLeftOut > 0 {
            Output.line("  mutes: \(Output.plural(summary.mutesLeftOut, "muted member")) the cache does not have left out")
        }
        if !sourcesAdded.isEmpty {
            // Every source that `agora sync` will now ask, by its address: nothing is synced unseen.
            Output.line("  sources added (`agora sync` will fetch them): " + sourcesAdded.map {
                "\($0.id.rawValue) (\(Output.safe($0.location ?? "")))"
            }.joined(separator: ", "))
        }
        if summary.droppedDates > 0 {
            Output.line("  dates: \(summary.droppedDates) outside 1970-9999 left out (the records are kept without them)")
        }
        for note in notes { Output.line("  note: " + Output.safe(note)) }
    }

    /// Past this many posts a JSON cache is the wrong choice (docs/limits.md): it is read whole at
    /// every start and written whole at every import.
    static let jsonCacheAdvice = 10_000

    /// A JSON cache grown past `jsonCacheAdvice` posts: said, with the command that moves it.
    static func sizeNotes(_ store: any CommunityStore, path: String) throws -> [String] {
        guard Cache.Kind(path: path) == .json, let store = store as? JSONStore else { return [] }
        let posts = try store.statistics().posts
        guard posts > jsonCacheAdvice else { return [] }
        let sqlite = (path as NSString).deletingPathExtension + ".sqlite"
        return ["this JSON cache holds \(posts) posts; past \(jsonCacheAdvice) a JSON cache is slow to open and to import into "
                + "(it is read and written whole; docs/limits.md). Move it to SQLite: agora --cache \(sqlite) import \(path)"]
    }

    /// A cache with no community yet takes the name of what was brought into it.
    static func nameCommunity(_ store: any CommunityStore, after source: Source?) throws {
        guard let source, try store.community() == .unnamed else { return }
        try store.importContent(CacheContent(community: Community(name: source.name)))
    }

    /// The first bytes of a file, enough to tell what it is.
    static func head(_ path: String) throws -> Data {
        try CacheFile.readData(path: path, limit: 4_096)
    }

    /// An OPML file's feeds become sources; ones already there are left as they are.
    private func importOPML(_ data: Data) throws {
        let listed = try OPML.parse(data, path: path)
        let feeds = listed.filter { SourcePolicy.isWeb($0.url) }
        let leftOut = listed.count - feeds.count
        let store = try global.openForImport()
        let known = Set(try store.sources().map(\.id))
        let new = feeds.filter { !known.contains(FeedImport.sourceID($0.url)) }.map {
            Source(id: FeedImport.sourceID($0.url), kind: .feed, name: $0.title ?? FeedImport.sourceKey($0.url), location: $0.url,
                   site: $0.site, folder: $0.folder)
        }
        var unique: [Source] = []
        var seen = Set<Source.ID>()
        for source in new where seen.insert(source.id).inserted { unique.append(source) }
        try store.importContent(CacheContent(sources: unique))
        if json {
            try Output.json(OPMLImportJSON(path: path, format: "opml", sourcesAdded: unique.count, sourcesKnown: feeds.count - unique.count))
            return
        }
        Output.line("Imported \(Output.safe(path)): \(Output.plural(unique.count, "new source")), \(feeds.count - unique.count) already known.")
        if leftOut > 0 {
            Output.line("  note: \(Output.plural(leftOut, "feed")) with a local or non-web address left out: only feeds added with `agora sources add` may be local files")
        }
        if !unique.isEmpty { Output.line("Run `agora sync` to fetch them.") }
    }
}

extension ImportFormat: ExpressibleByArgument {}

struct ImportJSON: Encodable {
    var path: String
    var format: String
    var summary: ImportSummary
    var notes: [String]
    var sourcesAdded: [AddedSource] = []

    struct AddedSource: Encodable {
        var id: String
        var kind: String
        var location: String?
    }

    enum CodingKeys: String, CodingKey {
        case path, format, posts, comments, members, droppedDates, postsMarkedRead, postsStarred, commentsMarkedRead, membersMuted, mutesLeftOut, notes
        case sourcesAdded
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(format, forKey: .format)
        try c.encode(summary.posts, forKey: .posts)
        try c.encode(summary.comments, forKey: .comments)
        try c.encode(summary.members, forKey: .members)
        try c.encode(summary.postsMarkedRead, forKey: .postsMarkedRead)
        try c.encode(summary.postsStarred, forKey: .postsStarred)
        try c.encode(summary.commentsMarkedRead, forKey: .commentsMarkedRead)
        try c.encode(summary.membersMuted, forKey: .membersMuted)
        try c.encode(summary.mutesLeftOut, forKey: .mutesLeftOut)
        try c.encode(summary.droppedDates, forKey: .droppedDates)
        try c.encode(notes, forKey: .notes)
        try c.encode(sourcesAdded, forKey: .sourcesAdded)
    }
}

struct OPMLImportJSON: Encodable {
    var path: String
    var format: String
    var sourcesAdded: Int
    var sourcesKnown: Int
}

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
        commandName: "add", abstract: "Add a feed or a Discourse forum for `agora sync` to bring up to date.",
        discussion: """
            An http(s) address is asked whether it is a Discourse forum (its /site.json or \
            /about.json, or the generator tag of its page) and added as what it is; --kind \
            says instead. A forum is mirrored whole: topics, replies, members. Its options bound \
            the first sync (--since, --max-topics) or keep to some categories (--categories). A \
            forum that needs a login takes --api-key-file: a file only you can read (mode 0600) \
            with `Api-Key:` and `Api-Username:` lines, or a `User-Api-Key:` line. Only the \
            file's path is kept; the key is sent to the forum and nowhere else.
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case discourse, feed
    }

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The feed's or forum's address, or a feed file.", valueName: "url-or-file")) var location: String
    @Option(help: "What to call it (else the feed's or forum's own title).") var name: String?
    @Option(help: "What it is, instead of asking it: discourse or feed.") var kind: Kind?
    @Option(help: ArgumentHelp("A forum: mirror only these categories (names or slugs, comma-separated).", valueName: "a,b"))
    var categories: String?
    @Option(help: ArgumentHelp("A forum: the first sync goes back to this day and no further.", valueName: "YYYY-MM-DD")) var since: String?
    @Option(name: .customLong("max-topics"), help: "A forum: the first sync takes at most this many topics, the most recent.")
    var maxTopics: Int?
    @Option(name: .customLong("api-key-file"), help: ArgumentHelp("A forum that needs a login: the file with its key (mode 0600).", valueName: "file"))
    var apiKeyFile: String?

    func validate() throws {
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
        var detected: ForumDetection = .notDiscourse
        let web = resolved.lowercased().hasPrefix("http")
        switch kind {
        case .discourse?:
            guard web else { throw AgoraError.invalidArgument("\(resolved): a forum is an http(s) address, not a file") }
            detected = .discourse(title: nil)
        case .feed?:
            detected = .notDiscourse
        case nil where web:
            detected = ForumDetection.detect(resolved, key: key)
        case nil:
            break
        }
        if detected == .discourseNeedsLogin {
            throw AgoraError.invalidArgument("\(resolved): a Discourse forum that needs a login; give a key with --api-key-file FILE")
        }
        guard case .discourse(let title) = detected else {
            if forumOptions {
                throw AgoraError.invalidArgument("\(resolved) is not a Discourse forum: --categories, --since, --max-topics and --api-key-file are for forums (--kind discourse if it is one)")
            }
            try addFeed(resolved, found: web && kind == nil)
            return
        }
        guard var site = Discourse.Site(resolved) else { throw AgoraError.invalidArgument("\(resolved): not a valid address") }
        // Categories the forum does not have are said now, before the cache is touched.
        let askedCategories = categories.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        try ForumSync.checkCategories(askedCategories ?? [], address: site.base.absoluteString, key: key)
        let store = try global.openForImport()
        // The same forum is the same address (scheme, host, port, path); another forum whose
        // key would be the same gets one of its own.
        let sources = try store.sources()
        if let same = Source.existing(.discourse, at: site.base.absoluteString, among: sources) {
            site = Discourse.Site(source: same) ?? site
        } else {
            let id = Source.newID(preferred: site.sourceID, location: site.base.absoluteString, among: sources)
            site = Discourse.Site(site.base.absoluteString, key: Discourse.Site.key(of: id)) ?? site
        }
        if let keyPath, let origin = Fetcher.origin(site.base) { try KeyGrants.standard().grant(origin: origin, keyFile: keyPath) }
        var forum = Source.Forum(
            categories: askedCategories,
            since: since.flatMap(Self.day), maxTopics: maxTopics, keyFile: keyPath)
        if var existing = sources.first(where: { $0.id == site.sourceID }) {
            // Options given again replace the old ones; how far the sync got is kept.
            if let old = existing.forum {
                forum.syncedThrough = old.syncedThrough
                forum.directoryRead = old.directoryRead
                forum.categoryNames = old.categoryNames
            }
            existing.forum = forum
            if let name { existing.name = name }
            try store.importContent(CacheContent(sources: [existing]))
            Output.line("\(Output.safe(site.base.absoluteString)) is already a source (\(site.sourceID)); its options are now as given.")
            return
        }
        let source = Source(id: site.sourceID, kind: .discourse, name: name ?? title ?? site.key, location: site.base.absoluteString, forum: forum)
        try store.importContent(CacheContent(sources: [source]))
        try Import.nameCommunity(store, after: source)
        Output.line((kind == nil ? "Found a Discourse forum" + (title.map { " (\(Output.safe($0)))" } ?? "") + ". " : "")
                    + "Added \(site.sourceID). Run `agora sync` to mirror it.")
    }

    private func addFeed(_ resolved: String, found: Bool) throws {
        let store = try global.openForImport()
        let sources = try store.sources()
        let same = Source.existing(.feed, at: resolved, among: sources)
        let id = same?.id ?? Source.newID(preferred: FeedImport.sourceID(resolved), location: resolved, among: sources)
        if var existing = same {
            if let name, name != existing.name {
                existing.name = name
                try store.importContent(CacheContent(sources: [existing]))
                Output.line("Renamed \(id) to \(Output.safe(name)).")
            } else {
                Output.line("\(Output.safe(resolved)) is already a source (\(id)).")
            }
            return
        }
        let source = Source(id: id, kind: .feed, name: name ?? FeedImport.sourceKey(resolved), location: resolved)
        try store.importContent(CacheContent(sources: [source]))
        Output.line((found ? "Not a Discourse forum: taken for a feed. " : "") + "Added \(id). Run `agora sync` to fetch it.")
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
                throw AgoraError.invalidArgument("\(location): not a valid address")
            }
            return location
        }
        if lower.contains("://") {
            throw AgoraError.invalidArgument("\(location): only http, https and files can be sources")
        }
        let path = lower.hasPrefix("file:") ? (URL(string: location)?.path ?? location) : location
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw AgoraError.cannotRead(path: path, reason: "no such file")
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

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Bring feeds and forums up to date over HTTP(S): all of them, or the ones named.",
        discussion: """
            Up to four sources are fetched at once. Each asks only for what changed (ETag and \
            Last-Modified are kept per source; an answer of 304 costs nothing), accepts gzip, \
            follows at most five redirects and gives up after --timeout seconds; the whole sync \
            stops at --deadline. A feed is read as it arrives and refused past --max-size MiB, \
            sent or inflated. A server that answers 429 or 503 with Retry-After is left alone \
            until then (a day at most); --now asks anyway. Each source is \
            written in its own transaction: one that fails (DNS, HTTP 404 or 500, a timeout, a \
            broken feed) is reported and the others go on. Items that left the feed stay in the \
            cache. A Discourse forum is read politely: the latest topics back to the last sync, \
            only the posts the cache lacks, at most two requests at once and --rate a second; \
            a Retry-After up to ten minutes is waited out, a longer one stops that forum until \
            then. Exit status 1 when any source failed.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("Source ids to sync (default: every feed source).", valueName: "id")) var ids: [String] = []
    @Option(help: "Seconds a source may take before it is given up.") var timeout: Double = 30
    @Option(help: "Seconds the whole sync may take.") var deadline: Double = 600
    @Option(name: .customLong("max-size"), help: "The largest feed to take, in MiB (sent or inflated).") var maxSize: Int = Fetcher.defaultMaxBytes >> 20
    @Flag(help: "Fetch even the sources a server asked to wait (Retry-After).") var now = false
    @Option(help: "Requests a second to one forum (0: as fast as it answers).") var rate: Double = Pacing.defaultRate
    @Flag(help: "Print a JSON summary per source.") var json = false

    func validate() throws {
        if !(rate >= 0) || !rate.isFinite { throw ValidationError("--rate must be 0 or more") }
        if !(timeout > 0) { throw ValidationError("--timeout must be more than 0") }
        if !(deadline > 0) { throw ValidationError("--deadline must be more than 0") }
        if !(1...4_096).contains(maxSize) { throw ValidationError("--max-size must be from 1 to 4096 (MiB)") }
    }

    func run() throws {
        let store = try global.openForImport()
        let all = try store.sources().filter(\.isSynced)
        var chosen: [Source] = []
        for id in ids {
            guard let source = all.first(where: { $0.id.rawValue == id }) else {
                throw AgoraError.invalidArgument("no feed or forum with id '\(id)' (agora sources lists them)")
            }
            if !chosen.contains(source) { chosen.append(source) }
        }
        if ids.isEmpty { chosen = all }
        if chosen.isEmpty {
            if json { try Output.json([SyncReport]()) } else { Output.line("No feeds or forums to sync. Add one with `agora sources add URL`.") }
            return
        }
        let progress = Progress()
        var sync = Sync(fetcher: Fetcher(timeout: timeout, maxBytes: maxSize << 20), deadline: deadline, ignoreRetryAfter: now)
        sync.pacing = Pacing(rate: rate > 0 ? rate : nil)
        sync.forumProgress = { source, step in
            progress.status("\(source.name): \(step.topics)/\(step.topicsToRead) topics, \(step.posts) posts, \(step.members) members, "
                            + "\(step.requests) requests" + (step.waited > 0 ? ", waited \(Int(step.waited.rounded())) s" : ""))
        }
        let reports = sync.run(chosen, into: store) { report in
            progress.line("\(report.status == .failed ? "!" : "·") \(report.name): \(report.summary)")
        }
        if json {
            try Output.json(reports)
        } else {
            var table = Table([.init(title: "SOURCE", maxWidth: 36), .init(title: "NEW", alignment: .right),
                               .init(title: "UPDATED", alignment: .right), .init(title: "STATUS", flexible: true)])
            for r in reports {
                table.add([r.source, String(r.added), String(r.updated),
                           r.status == .failed ? "failed: " + (r.error ?? "") : r.status == .notModified ? "not modified"
                            : r.status == .waiting ? (r.error ?? "waiting") : "ok"])
            }
            table.print(header: true)
        }
        if reports.contains(where: { $0.status == .failed }) { throw ExitCode(1) }
    }
}
