import AgoraKit
import Foundation

/// How each kind of source comes in, in one table: how a file of it is recognised (its first
/// bytes, or a folder), how it is read into the cache, and whether and how it syncs. What a kind
/// is and can do once it is in (its label, categories, ids) is its `Source.Traits`. `agora
/// import`, `agora sync` and the reader's `R` ask this table; adding a kind is an entry here and
/// its traits (a test adds one of its own, a kind no one else names).
public struct SourceKindTable: Sendable {
    public var readers: [SourceReader]

    public init(_ readers: [SourceReader]) { self.readers = readers }

    /// The kinds Agora reads.
    public static let standard = SourceKindTable([.ningArchive, .agoraJSON, .opml, .feed, .discourse, .mailingList])

    /// This table and one more reader (before the others: what it recognises is its own).
    public func adding(_ reader: SourceReader) -> SourceKindTable { SourceKindTable([reader] + readers) }

    /// What `agora import --format` takes.
    public var formats: [String] { readers.filter { $0.read != nil }.map(\.format) }

    public func reader(format: String) -> SourceReader? { readers.first { $0.format == format && $0.read != nil } }

    /// The reader that syncs sources of `kind`.
    public func syncer(for kind: Source.Kind) -> SourceReader.Syncing? { readers.first { $0.kind == kind && $0.sync != nil }?.sync }

    /// What a file is, from its name and first bytes: the first reader sure of it by its
    /// content, else the first that takes it by its name (a `.json` file that is nothing else
    /// is taken for a cache, so that broken JSON is reported with its line and column).
    public func recognise(_ data: Data, name: String = "") -> SourceReader? {
        let head = FileHead(data: data, name: name)
        let matches = readers.compactMap { reader in reader.recognise.flatMap { $0(head) }.map { (reader, $0) } }
        return matches.first { $0.1 == .byContent }?.0 ?? matches.first?.0
    }

    /// What a folder is.
    public func recognise(folder path: String) -> SourceReader? { readers.first { $0.recogniseFolder?(path) == true } }

    /// The words for what this table can read, for a message about a file it cannot.
    public var readable: String {
        let names = readers.filter { $0.read != nil }.map(\.describes)
        return names.dropLast().joined(separator: ", ") + (names.count > 1 ? " or " : "") + (names.last ?? "")
    }
}

/// The first bytes of a file and its name, as the readers look at them.
public struct FileHead: Sendable {
    public var data: Data
    public var name: String
    /// The first 2,048 bytes as text.
    public var text: String
    /// The text after white space and a byte order mark.
    public var trimmed: Substring
    public var extensionName: String

    public init(data: Data, name: String) {
        self.data = data
        self.name = name
        text = String(decoding: data.prefix(2048), as: UTF8.self)
        trimmed = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        extensionName = (name as NSString).pathExtension.lowercased()
    }
}

/// One kind's way in.
public struct SourceReader: Sendable {
    /// How sure a reader is that a file is its own.
    public enum Recognition: Sendable, Equatable { case byContent, byName }

    /// What an import needs: the file, the cache (opened only once the file is known good, so a
    /// broken file leaves no cache behind), where progress goes.
    public struct Request {
        public var path: String
        public var isFolder: Bool
        /// Files given after `path`, one import with it (a mailing list's months).
        public var morePaths: [String]
        public var open: () throws -> any ImportPort
        public var progress: any ImportProgress

        public init(path: String, isFolder: Bool, morePaths: [String] = [], open: @escaping () throws -> any ImportPort, progress: any ImportProgress) {
            self.path = path
            self.isFolder = isFolder
            self.morePaths = morePaths
            self.open = open
            self.progress = progress
        }
    }

    /// What an import did.
    public struct Outcome {
        /// What was written (nil for a list of sources).
        public var summary: ImportSummary?
        public var notes: [String] = []
        /// Sources the file brought that `agora sync` will ask.
        public var sourcesAdded: [Source] = []
        /// A list's sources the cache had already, and ones it left out (not on the web).
        public var sourcesKnown = 0
        public var leftOut = 0
        /// A cache with no community yet takes this one's name.
        public var namesCommunity: Source?
        public init(summary: ImportSummary? = nil) { self.summary = summary }
    }

    /// Brings `source` up to date in `store` as `sync` asks, and fills in `report`; `updated` is
    /// the source as it is to be kept. Returns whether the sync's deadline stopped it.
    public typealias Syncing = @Sendable (_ sync: Sync, _ source: Source, _ updated: inout Source, _ report: inout SyncReport,
                                          _ store: any ImportPort) throws -> Bool

    /// Its name for `agora import --format` and in `import --json`.
    public var format: String
    /// The kind of source it brings; nil for a list of sources (OPML).
    public var kind: Source.Kind?
    /// "an RSS, Atom or JSON Feed file".
    public var describes: String
    public var recognise: (@Sendable (FileHead) -> Recognition?)?
    public var recogniseFolder: (@Sendable (String) -> Bool)?
    public var read: (@Sendable (Request) throws -> Outcome)?
    public var sync: Syncing?
    /// How `agora sources add` asks an address and makes the source (nil: not added by address).
    public var adding: Adding?

    public init(format: String, kind: Source.Kind?, describes: String, recognise: (@Sendable (FileHead) -> Recognition?)? = nil,
                recogniseFolder: (@Sendable (String) -> Bool)? = nil, read: (@Sendable (Request) throws -> Outcome)? = nil,
                sync: Syncing? = nil, adding: Adding? = nil) {
        self.adding = adding
        self.format = format
        self.kind = kind
        self.describes = describes
        self.recognise = recognise
        self.recogniseFolder = recogniseFolder
        self.read = read
        self.sync = sync
    }
}

/// Where an import says how far it has got (a bar on a terminal; nothing in tests).
public protocol ImportProgress {
    func bar(_ label: String, done: Int, total: Int, unit: String)
    func line(_ text: String)
    func finish()
}

/// Progress no one sees.
public struct SilentProgress: ImportProgress {
    public init() {}
    public func bar(_ label: String, done: Int, total: Int, unit: String) {}
    public func line(_ text: String) {}
    public func finish() {}
}
