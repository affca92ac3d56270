import AgoraImport
import AgoraKit
import ArgumentParser
import Foundation

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring a community in: a Ning archive, an RSS/Atom/JSON feed file, a mailing list's archive, an OPML list or an Agora JSON file.",
        discussion: """
            PATH may be a Ning archive folder, a zip of one, a single ning-*.json file, an Agora \
            JSON cache (as `agora export` writes), an RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed \
            1.0/1.1 file, a mailing list's archive (an mbox, a pipermail month, a LISTSERV export, \
            gzip'd or not, a folder of its months or several of its files given at once (one list), or a \
            Maildir: threads become posts with their replies, \
            senders members), or an OPML file (whose feeds become sources for `agora sync`). What \
            it is, is told from its first bytes (and a Ning file's name); --format says it instead.

            Posts, comments and members with ids the cache already has are updated in place; read \
            and starred state stays. A member keeps what the new record does not say, and a post \
            a richer source brought (a forum's own topic, beside its feed) keeps that source's fields. It all happens in one transaction: if anything is wrong, the \
            cache is left exactly as it was and the message says which file, and the line, column \
            or record where known. The search index is made after the content is committed: a reader \
            opened meanwhile reads everything and its search says how far the index has got. An \
            import of more than 5,000 posts and comments returns once they are in the cache and \
            leaves the rest of the index to whoever needs it first: the reader makes it as it reads, \
            `agora search` before it answers; --wait-for-index makes it before returning. \
            Progress shows on stderr when it is a terminal.

            --sample instead of PATH brings in the embedded sample community (Diplo Internet \
            Governance Community): how a cache other than the default one gets it.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The file or folder to import (several files: a mailing list's months, one list).", valueName: "path"))
    var paths: [String] = []
    @Flag(help: "Import the embedded sample community instead of a file.") var sample = false

    var path: String { paths.first ?? "" }

    func validate() throws {
        if let format, SourceKindTable.standard.reader(format: format) == nil {
            throw ValidationError("--format is one of \(SourceKindTable.standard.formats.joined(separator: ", ")), not '\(format)'")
        }
        if sample, !paths.isEmpty { throw ValidationError("give a PATH or --sample, not both") }
        if !sample, paths.isEmpty { throw ValidationError("Missing expected argument '<path>' (or --sample)") }
    }
    @Option(help: "What PATH is: \(SourceKindTable.standard.formats.joined(separator: ", ")).") var format: String?
    @Flag(help: "Print a JSON summary.") var json = false
    @Flag(help: "Make the whole search index before returning, however large the import.") var waitForIndex = false

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
            try report(summary, format: SourceReader.agoraJSON.format, notes: [], name: "the sample community (\(SampleCommunity.name))")
            return
        }
        let progress = Progress()
        // Read and check everything before touching (or creating) the cache.
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw AgoraError.missing(path: path, folder: true)
        }
        // What it is, from its name and first bytes: a 300 MB feed is read as a stream, never whole.
        let table = SourceKindTable.standard
        let reader = try format.flatMap(table.reader(format:))
            ?? (isFolder.boolValue ? table.recognise(folder: path) : table.recognise(try Self.head(path), name: path))
        guard let reader, let read = reader.read else {
            throw AgoraError.invalidArgument("\(path): not something agora can import (\(table.readable)); --format says what it is")
        }
        let morePaths = try Self.moreMonths(Array(paths.dropFirst()), after: path, isFolder: isFolder.boolValue, reader: reader, table: table)
        // The cache is opened only once the reader knows the file is good; it is kept here for
        // what follows the import (the community's name, the size advice).
        // The content is committed before the search index is made: the time to each is kept
        // (for --json), and the index's progress shows as the import's does.
        let timing = ImportTiming()
        let cache = OpenedOnFirstUse { [global] in
            let store = try global.openForImport()
            (store as? SQLiteStore)?.leavesLargeIndex.withLock { $0 = !waitForIndex }
            (store as? SQLiteStore)?.indexObserver.withLock { observer in
                observer = { state in
                    timing.contentCommitted()
                    progress.indexing(state)
                }
            }
            return store
        }
        let outcome = try read(SourceReader.Request(path: path, isFolder: isFolder.boolValue, morePaths: morePaths, open: { cache }, progress: progress))
        progress.finish()
        guard let summary = outcome.summary, let store = cache.opened else {
            try reportList(outcome, format: reader.format)
            return
        }
        try Self.nameCommunity(store, after: outcome.namesCommunity)
        // What this import left to the index's next maker (more than a step, without --wait-for-index).
        let left = try (store as? SQLiteStore)?.searchIndexProgress().left ?? 0
        if left > 0 { timing.contentCommitted() }
        try report(summary, format: reader.format, notes: outcome.notes + Self.sizeNotes(store, path: global.path), sourcesAdded: outcome.sourcesAdded,
                   seconds: timing.seconds(indexed: left == 0), indexLeft: left)
    }

    private func report(_ summary: ImportSummary, format: String, notes: [String], name: String? = nil,
                        sourcesAdded: [Source] = [], seconds: ImportJSON.Seconds? = nil, indexLeft: Int = 0) throws {
        if json {
            try Output.json(ImportJSON(path: name == nil ? path : "sample", format: name == nil ? format : "sample", summary: summary, notes: notes,
                                       sourcesAdded: sourcesAdded.map { ImportJSON.AddedSource(id: $0.id.rawValue, kind: $0.kind.rawValue, location: $0.location) },
                                       seconds: seconds, searchIndexLeft: indexLeft))
            return
        }
        func describe(_ c: ImportSummary.Counts, _ word: String) -> String {
            "\(word): \(c.added) added, \(c.updated) updated, \(c.unchanged) unchanged"
        }
        Output.line("Imported \(name ?? Output.safe(paths.count > 1 ? "\(path) and \(paths.count - 1) more" : path))")
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
        if indexLeft > 0 {
            Output.line("  search index: \(indexLeft.grouped) posts and comments still to index; the reader makes it as you read, "
                        + "`agora search` before it answers")
        }
        for note in notes { Output.line("  note: " + Output.safe(note)) }
    }

    /// The files given after the first: only a mailing list's months, each a file of mail,
    /// checked before anything is written.
    static func moreMonths(_ more: [String], after first: String, isFolder: Bool, reader: SourceReader, table: SourceKindTable) throws -> [String] {
        guard !more.isEmpty else { return [] }
        guard reader.format == SourceReader.mailingList.format, !isFolder else {
            throw AgoraError.invalidArgument("several paths are one import only for a mailing list's files (its months); \(first) is not one: import one path at a time")
        }
        for file in more {
            var folder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &folder) else { throw AgoraError.missing(path: file, folder: false) }
            guard !folder.boolValue, table.recognise(try head(file), name: file)?.format == reader.format else {
                throw AgoraError.invalidArgument("\(file): not a mailing list's file like \(first); several paths are one list's months")
            }
        }
        return more
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

    /// A list of sources (OPML) imported: what it added, what the cache had, what it left out.
    private func reportList(_ outcome: SourceReader.Outcome, format: String) throws {
        let added = outcome.sourcesAdded.count
        if json {
            try Output.json(OPMLImportJSON(path: path, format: format, sourcesAdded: added, sourcesKnown: outcome.sourcesKnown))
            return
        }
        Output.line("Imported \(Output.safe(path)): \(Output.plural(added, "new source")), \(outcome.sourcesKnown) already known.")
        if outcome.leftOut > 0 {
            Output.line("  note: \(Output.plural(outcome.leftOut, "feed")) with a local or non-web address left out: only feeds added with `agora sources add` may be local files")
        }
        if added > 0 { Output.line("Run `agora sync` to fetch them.") }
    }
}



struct ImportJSON: Encodable {
    var path: String
    var format: String
    var summary: ImportSummary
    var notes: [String]
    var sourcesAdded: [AddedSource] = []
    var seconds: Seconds?
    /// Posts and comments the import left for the search index's next maker.
    var searchIndexLeft = 0

    /// How long the content took to be committed, and the search index after it (none when the
    /// import left the index to be made after it).
    struct Seconds: Encodable {
        var content: Double
        var searchIndex: Double?
    }

    struct AddedSource: Encodable {
        var id: String
        var kind: String
        var location: String?
    }

    enum CodingKeys: String, CodingKey {
        case path, format, posts, comments, members, droppedDates, postsMarkedRead, postsStarred, commentsMarkedRead, membersMuted, mutesLeftOut, notes
        case sourcesAdded, seconds, searchIndexLeft
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
        try c.encodeIfPresent(seconds, forKey: .seconds)
        try c.encode(searchIndexLeft, forKey: .searchIndexLeft)
    }
}

/// When an import began, and when its content was committed (the search index's first report).
final class ImportTiming: @unchecked Sendable {
    private let start = ContinuousClock.now
    private var committed: ContinuousClock.Instant?
    private let lock = NSLock()

    func contentCommitted() {
        lock.withLock { if committed == nil { committed = .now } }
    }

    /// Seconds to the content and then to the index (unless it was left, not `indexed`); nil when
    /// there was no index to make after.
    func seconds(indexed: Bool) -> ImportJSON.Seconds? {
        lock.withLock {
            guard let committed else { return nil }
            func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
            return ImportJSON.Seconds(content: seconds(committed - start), searchIndex: indexed ? seconds(ContinuousClock.now - committed) : nil)
        }
    }
}

struct OPMLImportJSON: Encodable {
    var path: String
    var format: String
    var sourcesAdded: Int
    var sourcesKnown: Int
}

extension Progress: ImportProgress {}
