import AgoraImport
import AgoraKit
import ArgumentParser
import Foundation

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search posts, comments and members; case and accents do not matter.",
        discussion: """
            Every word and "quoted phrase" must match; the last word matches as a prefix. Case and \
            accents do not matter in any script: "marilia" finds Marília, "strasse" Straße, "muller" \
            Müller. Terms: author:NAME, country:NAME (or ISO code), tag:NAME (prefixes of each), \
            date:2012, date:2012-12 or date:2012-12-20 (posts and comments of that year, month or day), \
            is:unread, is:starred. A term that is not understood is reported and the rest searched. \
            What a large import left to index is indexed first (progress on stderr when it is a \
            terminal; another process indexing at the same time takes turns). A cache that cannot \
            be written is searched as far as it is indexed, and a note says how far that is. In the \
            reader, / searches as you type.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The words to look for.") var words: [String]
    @Option(help: "Only this kind of result: posts, comments or members (repeatable).") var kind: [SearchKind] = []
    @Option(parsing: .unconditional, help: "At most this many results of each kind.") var limit = 20
    @Option(parsing: .unconditional, help: "Skip this many results of each kind first (the next page: --offset 20).") var offset = 0
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if words.isEmpty { throw ValidationError("give some words to search for") }
        if limit < 1 { throw ValidationError("--limit must be 1 or more") }
        if offset < 0 { throw ValidationError("--offset must be 0 or more") }
    }

    /// "Posts 21-40 of 1,248", "Members (3)".
    private func heading(_ name: String, _ kind: SearchKind, shown: Int, in results: SearchResults) -> String {
        guard let total = results.totals[kind] else { return name }
        let text = results.countText(kind, shown: shown)
        if offset == 0, shown >= total, !results.atLeast.contains(kind) { return "\(name) (\(text))" }
        return "\(name) \(offset + 1)-\(offset + shown) of \(text)"
    }

    func run() throws {
        let store = try global.open()
        // What an import left to index is made now (a cache that cannot be written is left as it
        // is): a search answers from the whole cache.
        if let sqlite = store as? SQLiteStore {
            let progress = Progress()
            try sqlite.indexForSearch(progress: progress.indexing)
            progress.finish()
        }
        let query = words.joined(separator: " ")
        let kinds = kind.isEmpty ? Set(SearchKind.allCases) : Set(kind)
        let results = try store.search(SearchQuery(query), kinds: kinds, limit: limit, offset: offset)
        // A cache that cannot be written, not indexed to the end: what is not indexed is not found.
        if let indexing = results.indexing?.words { Output.note(indexing + "; what is not indexed yet is not searched") }
        if json {
            try Output.json(SearchJSON(query: query, results))
            return
        }
        for problem in results.problems { Output.note(problem) }
        if results.isEmpty {
            let any = results.totals.values.contains { $0 > 0 }
            Output.line(any ? "No more matches past \(offset) of each kind." : "Nothing matches \"\(Output.safe(query))\".")
            return
        }
        if !results.posts.isEmpty {
            Output.line(heading("Posts", .posts, shown: results.posts.count, in: results))
            var table = Table([.init(title: ""), .init(title: "", maxWidth: 28), .init(title: "", flexible: true)])
            for hit in results.posts {
                table.add([Output.flags(hit.post.state), hit.post.id.rawValue, hit.post.title])
            }
            table.print(header: false)
        }
        if !results.comments.isEmpty {
            if !results.posts.isEmpty { Output.line() }
            Output.line(heading("Comments", .comments, shown: results.comments.count, in: results))
            var table = Table([.init(title: "", maxWidth: 28), .init(title: "", maxWidth: 24), .init(title: "", flexible: true)])
            for hit in results.comments {
                table.add([hit.post.rawValue, hit.authorName ?? "", hit.snippet])
            }
            table.print(header: false)
        }
        if !results.members.isEmpty {
            if !results.posts.isEmpty || !results.comments.isEmpty { Output.line() }
            Output.line(heading("Members", .members, shown: results.members.count, in: results))
            var table = Table([.init(title: "", maxWidth: 36), .init(title: "", maxWidth: 28), .init(title: "", flexible: true)])
            for m in results.members { table.add([m.name, m.country ?? "—", m.id.rawValue]) }
            table.print(header: false)
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the whole cache, reader state included, to a JSON cache file; or the feed sources as OPML.",
        discussion: "The JSON file can be imported elsewhere or opened directly with --cache FILE.json. With --opml, the feed sources are written as an OPML 2.0 subscription list that other readers import.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Where to write (replaced atomically if it exists).") var file: String
    @Flag(help: "Write the feed sources as OPML instead.") var opml = false

    func run() throws {
        let store = try global.open()
        if opml {
            let sources = try store.sources().filter { $0.kind.traits.listedInOPML }
            try AtomicFile.write(OPML.write(sources, title: try store.community().name + " feeds"), to: file)
            Output.line("Wrote \(Output.plural(sources.count, "feed source")) to \(file).")
            return
        }
        let target = URL(fileURLWithPath: file).standardizedFileURL.path
        if target == URL(fileURLWithPath: store.location).standardizedFileURL.path {
            throw AgoraError.invalidArgument("\(file) is the cache itself; export to another file")
        }
        let content = try store.exportContent()
        try CacheFile(content).write(to: file)
        Output.line("Wrote \(Output.plural(content.posts.count, "post")), \(Output.plural(content.members.count, "member")) and \(Output.plural(content.comments.count, "comment")) to \(file).")
    }
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a clearly synthetic community, for trying Agora at scale and for benchmarks.",
        discussion: "The same numbers and seed give the same community on every machine.")

    @Option(help: "How many posts.") var posts = 1_000
    @Option(help: "How many members.") var members = 200
    @Option(help: "How many comments.") var comments = 3_000
    @Option(help: "The random seed.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("The cache to write: .json for a JSON cache, anything else SQLite. Must not exist yet.", valueName: "path"))
    var out: String

    func validate() throws {
        guard posts >= 0, members >= 0, comments >= 0 else { throw ValidationError("counts must be 0 or more") }
        if comments > 0, posts == 0 { throw ValidationError("comments need posts to be on") }
    }

    func run() throws {
        guard !FileManager.default.fileExists(atPath: out) else {
            throw AgoraError.invalidArgument("\(out) already exists; remove it or choose another path")
        }
        let (store, _) = try Cache.open(path: out)
        let started = Date()
        let progress = Progress()
        do {
            try SyntheticCommunity(posts: posts, members: members, comments: comments, seed: seed).write(into: store) { done, total in
                progress.bar("generating", done: done, total: total, unit: "posts")
            }
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: out + suffix) }
            throw error
        }
        progress.finish()
        Output.line("Wrote \(Output.plural(posts, "post")), \(Output.plural(members, "member")) and \(Output.plural(comments, "comment")) to \(out) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s.")
    }
}
