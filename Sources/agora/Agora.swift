import AgoraKit
import ArgumentParser
import Foundation

struct Agora: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agora",
        abstract: "A terminal reader for an online community: its posts, comments and members.",
        discussion: """
            With no command, agora opens the reader (`agora read`) on the cache. On a fresh \
            machine the cache does not exist yet: agora creates it with an embedded sample, the \
            Diplo Internet Governance Community, and says so once.

            The cache is a SQLite file by default ($XDG_DATA_HOME/agora/agora.sqlite, else \
            ~/.local/share/agora/agora.sqlite). Choose another with --cache PATH or AGORA_CACHE; \
            a name ending in .json is a JSON cache (see docs/cache-format.md).

            How it looks and which keys do what: agora --theme NAME (agora themes lists the themes; \
            T switches while reading), agora --config FILE (default \
            $XDG_CONFIG_HOME/agora/config.toml; agora config --default prints one with every \
            setting). Colours follow the terminal (256, 16, 8); NO_COLOR means none.

            Sources: agora sources lists each feed, forum and archive with its unread posts; in \
            the reader F does, Enter reads one and A marks one read. agora --sync syncs them all \
            as the reader opens (sync-on-start, and sync-interval every N minutes, in the config). \
            Fetching loads libcurl at the first request (libcurl.so.4, or the library \
            AGORA_LIBCURL names); everything else works without it.

            Exit status: 0 on success, 1 when something about the input or the cache is wrong \
            (the message says what and where), 2 when the command line itself is wrong.
            """,
        version: AgoraVersion.string,
        subcommands: [
            Read.self, Info.self, List.self, Show.self, Members.self, MemberCommand.self, Mark.self, MarkAllRead.self,
            Undo.self, Search.self, Export.self, Import.self, Sources.self, SyncCommand.self, Themes.self, ConfigCommand.self,
            Stats.self, Mute.self, Unmute.self, Muted.self, Generate.self, Bench.self,
        ],
        defaultSubcommand: Read.self
    )
}

enum AgoraVersion {
    static let string = AgoraKitVersion.long
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The cache to use: a .json file is a JSON cache, anything else SQLite (also AGORA_CACHE).",
        valueName: "path"))
    var cache: String?

    var path: String {
        if let cache, !cache.isEmpty { return cache }
        if let env = ProcessInfo.processInfo.environment["AGORA_CACHE"], !env.isEmpty { return env }
        return Cache.defaultPath()
    }

    /// Whether the cache was named (--cache, AGORA_CACHE) rather than the default one.
    var isExplicit: Bool {
        if let cache, !cache.isEmpty { return true }
        return ProcessInfo.processInfo.environment["AGORA_CACHE"].map { !$0.isEmpty } ?? false
    }

    /// Opens the cache for reading and marking. At the default place, a first run creates it
    /// with the sample community; a cache named with --cache or AGORA_CACHE must exist (a
    /// mistyped path is not made into a new cache full of the sample).
    func open() throws -> any CommunityStore {
        let path = self.path
        if isExplicit, !FileManager.default.fileExists(atPath: path) {
            throw AgoraError.cannotRead(path: path, reason: "no cache there; `agora --cache \(path) import FILE` (or `import --sample`, "
                                        + "`sources add URL`) creates one")
        }
        let (store, created) = try Cache.open(path: path, seed: SampleCommunity.content)
        if created {
            Output.note("no cache at \(path); created it with the sample community (\(SampleCommunity.name))")
        }
        return store
    }

    /// Opens the cache for an import: one that does not exist yet is created empty, so that a
    /// community brought in is not mixed with the sample.
    func openForImport() throws -> any CommunityStore {
        let (store, created) = try Cache.open(path: path, seed: nil)
        if created { Output.note("created a new cache at \(path)") }
        return store
    }
}

/// The filter options shared by `list` and `mark-all-read`.
struct FilterOptions: ParsableArguments {
    @Flag(help: "Only unread posts.") var unread = false
    @Flag(help: "Only starred posts.") var starred = false
    @Option(help: ArgumentHelp("Only posts by this member.", valueName: "member-id")) var author: String?
    @Option(help: ArgumentHelp("Only posts with this tag or category.", valueName: "tag")) var tag: String?
    @Option(help: ArgumentHelp("Only posts whose author is from this country (name or ISO code).", valueName: "country"))
    var country: String?
    @Option(help: ArgumentHelp("Only posts of this kind: \(Post.Kind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "kind"))
    var kind: Post.Kind?
    @Option(help: ArgumentHelp("Only posts from this source (its id, as `agora sources` lists it).", valueName: "source-id"))
    var source: String?
    @Option(help: ArgumentHelp("With --source: only posts in this category of it (a forum's, as `agora sources` lists it).",
                               valueName: "name"))
    var category: String?

    func validate() throws {
        if category != nil, source == nil { throw ValidationError("--category needs --source: a category is a source's") }
    }

    var filter: PostFilter {
        PostFilter(unreadOnly: unread, starredOnly: starred, author: author.map { Member.ID($0) }, tag: tag,
                   country: country, kind: kind, source: source.map { Source.ID($0) }, category: category)
    }

    /// The source the filter names, which must be one the cache has; nil when it names none.
    func namedSource(in store: any CommunityStore) throws -> Source? {
        try source.map { try Self.source($0, in: store) }
    }

    /// The source with this id, which must be one the cache has.
    static func source(_ id: String, in store: any CommunityStore) throws -> Source {
        guard let found = try store.sources().first(where: { $0.id.rawValue == id }) else {
            throw AgoraError.invalidArgument("no source with id '\(id)' (agora sources lists them)")
        }
        return found
    }
}

extension Post.Kind: ExpressibleByArgument {}
extension PostSort: ExpressibleByArgument {}
extension MemberSort: ExpressibleByArgument {}
extension SearchKind: ExpressibleByArgument {}
