import Foundation

/// The JSON cache format (docs/cache-format.md): one file holding a community, its content and
/// the reader's state. `agora export` writes it, `agora import` reads it, and `--cache FILE.json`
/// uses it directly as the cache.
public struct CacheFile: Codable, Sendable, Equatable {
    public static let formatName = "agora-cache"
    /// The newest version of the format this build writes and reads.
    public static let version = 1

    /// A post's reader state as the file keeps it: `batch` ties a read post to the bulk change
    /// that marked it, so the change can be undone.
    public struct PostStateEntry: Codable, Sendable, Equatable {
        public var read: Bool
        public var readAt: Date?
        public var starred: Bool
        public var batch: Int?

        public init(read: Bool = false, readAt: Date? = nil, starred: Bool = false, batch: Int? = nil) {
            self.read = read
            self.readAt = readAt
            self.starred = starred
            self.batch = batch
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            read = try c.decodeIfPresent(Bool.self, forKey: .read) ?? false
            readAt = try c.decodeIfPresent(Date.self, forKey: .readAt)
            starred = try c.decodeIfPresent(Bool.self, forKey: .starred) ?? false
            batch = try c.decodeIfPresent(Int.self, forKey: .batch)
        }

        var state: PostState { PostState(read: read, readAt: readAt, starred: starred) }
    }

    public struct State: Codable, Sendable, Equatable {
        public var posts: [String: PostStateEntry]
        public var comments: [String: CommentState]
        public var journal: [JournalEntry]
        /// Muted members by id, with when they were muted.
        public var muted: [String: Date]

        public init(posts: [String: PostStateEntry] = [:], comments: [String: CommentState] = [:], journal: [JournalEntry] = [],
                    muted: [String: Date] = [:]) {
            self.posts = posts
            self.comments = comments
            self.journal = journal
            self.muted = muted
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            posts = try c.decodeIfPresent([String: PostStateEntry].self, forKey: .posts) ?? [:]
            comments = try c.decodeIfPresent([String: CommentState].self, forKey: .comments) ?? [:]
            journal = try c.decodeIfPresent([JournalEntry].self, forKey: .journal) ?? []
            muted = try c.decodeIfPresent([String: Date].self, forKey: .muted) ?? [:]
        }
    }

    public var format: String
    public var version: Int
    public var community: Community?
    public var sources: [Source]
    public var members: [Member]
    public var posts: [Post]
    public var comments: [Comment]
    public var state: State

    public init(
        community: Community? = nil, sources: [Source] = [], members: [Member] = [], posts: [Post] = [],
        comments: [Comment] = [], state: State = State()
    ) {
        format = Self.formatName
        version = Self.version
        self.community = community
        self.sources = sources
        self.members = members
        self.posts = posts
        self.comments = comments
        self.state = state
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        version = try c.decode(Int.self, forKey: .version)
        community = try c.decodeIfPresent(Community.self, forKey: .community)
        sources = try c.decodeIfPresent([Source].self, forKey: .sources) ?? []
        members = try c.decodeIfPresent([Member].self, forKey: .members) ?? []
        posts = try c.decodeIfPresent([Post].self, forKey: .posts) ?? []
        comments = try c.decodeIfPresent([Comment].self, forKey: .comments) ?? []
        state = try c.decodeIfPresent(State.self, forKey: .state) ?? State()
    }

    // MARK: Content

    public init(_ content: CacheContent) {
        self.init(
            community: content.community, sources: content.sources, members: content.members,
            posts: content.posts, comments: content.comments,
            state: State(
                posts: Dictionary(uniqueKeysWithValues: content.postStates.map {
                    ($0.key.rawValue, PostStateEntry(read: $0.value.read, readAt: $0.value.readAt, starred: $0.value.starred))
                }),
                comments: Dictionary(uniqueKeysWithValues: content.commentStates.map { ($0.key.rawValue, $0.value) }),
                journal: content.journal,
                muted: Dictionary(uniqueKeysWithValues: content.muted.map { ($0.key.rawValue, $0.value) })))
    }

    public var content: CacheContent {
        CacheContent(
            community: community, sources: sources, members: members, posts: posts, comments: comments,
            postStates: Dictionary(uniqueKeysWithValues: state.posts.map { (Post.ID($0.key), $0.value.state) }),
            commentStates: Dictionary(uniqueKeysWithValues: state.comments.map { (Comment.ID($0.key), $0.value) }),
            journal: state.journal,
            muted: Dictionary(uniqueKeysWithValues: state.muted.map { (Member.ID($0.key), $0.value) }))
    }

    // MARK: Reading and writing

    /// Reads a cache file, saying where and why when it cannot.
    public static func read(path: String) throws -> CacheFile {
        try decode(try readData(path: path), path: path)
    }

    /// Reads any file to import (or its first `limit` bytes), saying where and why when it cannot.
    public static func readData(path: String, limit: Int? = nil) throws -> Data {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw AgoraError.missing(path: path, folder: false)
        }
        if isFolder.boolValue { throw AgoraError.cannotRead(path: path, reason: "it is a folder") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw AgoraError.cannotRead(path: path, reason: "permission denied")
        }
        do {
            if let limit {
                let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
                defer { try? handle.close() }
                return try handle.read(upToCount: limit) ?? Data()
            }
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw AgoraError.cannotRead(path: path, reason: AgoraError.reason(of: error))
        }
    }

    public static func decode(_ data: Data, path: String) throws -> CacheFile {
        struct Header: Decodable {
            var format: String?
            var version: Int?
        }
        let decoder = makeDecoder()
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw jsonError(error, data: data, path: path)
        }
        guard header.format == formatName else {
            throw AgoraError.notACache(path: path, .format(header.format))
        }
        guard let version = header.version else {
            throw AgoraError.notACache(path: path, .noVersion)
        }
        if version > Self.version {
            throw AgoraError.newerSchema(path: path, found: version, supported: Self.version)
        }
        do {
            return try decoder.decode(CacheFile.self, from: data)
        } catch {
            throw jsonError(error, data: data, path: path)
        }
    }

    public func encoded() throws -> Data {
        try Self.makeEncoder(pretty: true).encode(self)
    }

    /// The file's encoder: keys sorted, dates as `ISODate` strings; lines of the marks log are
    /// written by it too, unindented.
    static func makeEncoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISODate.string(date))
        }
        return encoder
    }

    /// Writes the file atomically: a temporary file beside it, flushed to disk, then renamed over
    /// it, so a crash or a full disk leaves the old file whole.
    public func write(to path: String) throws {
        try AtomicFile.write(try encoded(), to: path)
    }

    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            // To the millisecond, as imports keep dates: a file read again compares equal.
            if let seconds = try? container.decode(Double.self) { return Date(timeIntervalSince1970: seconds).toTheMillisecond }
            let text = try container.decode(String.self)
            if let date = ISODate.parse(text) { return date.toTheMillisecond }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an ISO 8601 date")
        }
        return decoder
    }

    /// Turns a decoding error into one line: the line and column for broken JSON, the record's
    /// path for JSON of the wrong shape.
    static func jsonError(_ error: any Error, data: Data, path: String) -> AgoraError {
        guard let decoding = error as? DecodingError else {
            return .invalidJSON(path: path, line: nil, column: nil, reason: AgoraError.reason(of: error))
        }
        switch decoding {
        case .dataCorrupted(let context):
            if let problem = JSONSyntax.firstProblem(in: data) {
                return .invalidJSON(path: path, line: problem.line, column: problem.column, reason: problem.message)
            }
            if context.codingPath.isEmpty {
                if data.isEmpty { return .invalidJSON(path: path, line: 1, column: 1, reason: "the file is empty") }
                // Foundation's words, as they are: where it says the JSON broke is not read out of them.
                let underlying = (context.underlyingError as NSError?)
                return .invalidJSON(path: path, line: nil, column: nil,
                                    reason: (underlying?.userInfo[NSDebugDescriptionErrorKey] as? String) ?? context.debugDescription)
            }
            return .badInput(place(path, context.codingPath), context.debugDescription)
        case .keyNotFound(let key, let context):
            return .badInput(place(path, context.codingPath + [key]), "missing")
        case .typeMismatch(let type, let context):
            return .badInput(place(path, context.codingPath), "expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            return .badInput(place(path, context.codingPath), "expected \(typeName(type)), found null")
        @unknown default:
            return .invalidJSON(path: path, line: nil, column: nil, reason: AgoraError.reason(of: error))
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default:
            String(describing: type).contains("Array") ? "a list" : "an object"
        }
    }

    private static func place(_ path: String, _ codingPath: [any CodingKey]) -> AgoraError.Place {
        AgoraError.Place(path: path, field: Self.codingPath(codingPath))
    }

    /// `posts[3].title`
    static func codingPath(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue { out += "[\(index)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
        }
        return out.isEmpty ? "the top level" : out
    }
}

extension Date {
    /// The same moment to the millisecond, made one way only (seconds since 1970, rounded), so
    /// that two roads to one moment give equal dates.
    public var toTheMillisecond: Date {
        guard timeIntervalSince1970.isFinite else { return self }
        return Date(timeIntervalSince1970: (timeIntervalSince1970 * 1_000).rounded() / 1_000)
    }
}
