import AgoraKit
import Foundation

// The entries of `SourceKindTable.standard`: each kind's way in, all of it here.

extension SourceReader {
    /// A Ning Network Archiver export: a folder, a zip of one, or one `ning-*.json` file.
    public static let ningArchive = SourceReader(
        format: "ning", kind: .ningArchive, describes: "a Ning archive",
        recognise: { head in
            // The archiver's file names, a zip, or its files' opening parenthesis.
            NingArchive.FileKind(fileName: (head.name as NSString).lastPathComponent) != nil || ZipArchive.isZip(head.data)
                || head.trimmed.hasPrefix("(") ? .byContent : nil
        },
        recogniseFolder: { NingArchive.looksLikeArchive(path: $0, data: nil) },
        read: { request in
            let archive = try NingArchive(path: request.path)
            let plan = try archive.read { file, done, total in request.progress.bar(file, done: done, total: total, unit: "records") }
            request.progress.finish()
            return try write(plan, request)
        })

    /// An Agora JSON cache, as `agora export` writes it.
    public static let agoraJSON = SourceReader(
        format: "agora-json", kind: .agoraJSON, describes: "an Agora JSON cache",
        recognise: { head in
            if head.trimmed.hasPrefix("{"), head.text.contains("\"agora-cache\"") { return .byContent }
            return head.extensionName == "json" && !head.trimmed.hasPrefix("<") ? .byName : nil
        },
        read: { request in
            guard !request.isFolder else { throw AgoraError.invalidArgument("\(request.path) is a folder, not an Agora JSON file") }
            var plan = ImportPlan(content: try CacheFile.read(path: request.path).content)
            let store = try request.open()
            // Only sources that are new and on the web; never a key file.
            let imported = SourcePolicy.imported(plan.content.sources, existing: try store.sources())
            plan.content.sources = imported.added
            plan.notes += imported.notes
            var outcome = try write(plan, request, into: store)
            outcome.sourcesAdded = imported.added
            return outcome
        })

    /// An OPML list: its feeds become sources; ones already there are left as they are.
    public static let opml = SourceReader(
        format: "opml", kind: nil, describes: "an OPML file",
        recognise: { head in head.trimmed.hasPrefix("<") && head.text.contains("<opml") ? .byContent : nil },
        read: { request in
            guard !request.isFolder else { throw AgoraError.invalidArgument("\(request.path) is a folder, not an OPML file") }
            let listed = try OPML.parse(try CacheFile.readData(path: request.path), path: request.path)
            let feeds = listed.filter { SourcePolicy.isWeb($0.url) }
            let store = try request.open()
            let known = Set(try store.sources().map(\.id))
            var unique: [Source] = []
            var seen = Set<Source.ID>()
            for feed in feeds where !known.contains(FeedImport.sourceID(feed.url)) && seen.insert(FeedImport.sourceID(feed.url)).inserted {
                unique.append(Source(id: FeedImport.sourceID(feed.url), kind: .feed, name: feed.title ?? FeedImport.sourceKey(feed.url),
                                     location: feed.url, site: feed.site, folder: feed.folder))
            }
            try store.importContent(CacheContent(sources: unique))
            var outcome = Outcome()
            outcome.sourcesAdded = unique
            outcome.sourcesKnown = feeds.count - unique.count
            outcome.leftOut = listed.count - feeds.count
            return outcome
        })

    /// RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1: a file, or a source synced over HTTP.
    public static let feed = SourceReader(
        format: "feed", kind: .feed, describes: "an RSS, Atom or JSON Feed file",
        recognise: { head in
            if head.trimmed.hasPrefix("{") {
                return head.text.contains("jsonfeed.org") || JSONFeedStream.looksLikeFeed(head.text) ? .byContent : nil
            }
            guard head.trimmed.hasPrefix("<") else { return nil }
            return ["<rss", "<rdf:RDF", "<RDF", "<feed", ":RDF", ":feed "].contains(where: head.text.contains) ? .byContent : nil
        },
        read: { request in
            guard !request.isFolder else { throw AgoraError.invalidArgument("\(request.path) is a folder, not a feed") }
            // Read as a stream and written in batches, in one transaction.
            let store = try request.open()
            let location = URL(fileURLWithPath: request.path).standardizedFileURL.path
            let known = try store.sources().first { $0.id == FeedImport.sourceID(location) }
            let name = (request.path as NSString).lastPathComponent
            let summary = try FeedImport.importFile(request.path, into: store, key: FeedImport.keptKey(of: known)) { done, total in
                if total > 4 << 20 { request.progress.bar(name, done: done >> 20, total: total >> 20, unit: "MiB") }
            }
            request.progress.finish()
            var outcome = Outcome(summary: summary)
            outcome.namesCommunity = try store.sources().first { $0.location == location }
            return outcome
        },
        sync: { sync, source, updated, report, store in try sync.syncFeed(source, &updated, &report, into: store) },
        adding: .feed)

    /// A Discourse forum, mirrored over its JSON API (`agora sources add URL`).
    public static let discourse = SourceReader(
        format: "discourse", kind: .discourse, describes: "a Discourse forum",
        sync: { sync, source, updated, report, store in try sync.syncForum(source, &updated, &report, into: store) },
        adding: .discourse)

    /// A plan read whole, written in one transaction.
    static func write(_ plan: ImportPlan, _ request: Request, into given: (any ImportPort)? = nil) throws -> Outcome {
        let store = try given ?? request.open()
        if plan.content.posts.count + plan.content.comments.count > 5_000 {
            request.progress.line("writing \(plan.content.posts.count) posts, \(plan.content.comments.count) comments and \(plan.content.members.count) members")
        }
        var outcome = Outcome(summary: try store.importContent(plan.content))
        outcome.notes = plan.notes
        if plan.content.community == nil { outcome.namesCommunity = plan.content.sources.first }
        return outcome
    }
}
