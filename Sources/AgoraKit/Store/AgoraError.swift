import Foundation

/// A user error: something about the input, the cache or an id that a person can fix. Each says
/// what went wrong and where, in one line.
public enum AgoraError: Error, Equatable, CustomStringConvertible, Sendable {
    case postNotFound(Post.ID)
    case memberNotFound(Member.ID)
    case commentNotFound(Comment.ID)
    /// The file exists but is not an Agora cache.
    case notACache(path: String, Foreign)
    /// The file was written by a newer Agora.
    case newerSchema(path: String, found: Int, supported: Int)
    /// JSON that does not parse, with the line and column where known.
    case invalidJSON(path: String, line: Int?, column: Int?, reason: String)
    case cannotCreate(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    /// Nothing at the path: no file (or, `folder`, no file or folder).
    case missing(path: String, folder: Bool)
    case nothingToUndo
    case invalidArgument(String)
    /// Input that cannot be read as what it says it is, and where: a file, an entry in an
    /// archive, a line and column, a record, a field. Tests and code ask the place, not the words.
    case badInput(Place, String)
    /// Reading stopped at a limit: a size, an inflation, a time.
    case overLimit(Place, Limit)
    /// A comment whose post is neither in the write nor in the cache.
    case commentWithoutPost(comment: String, post: String)
    /// An id that comes twice in one write (`kind` is "post", "comment", "member").
    case repeatedID(kind: String, id: String)
    /// A cache that is read, and why it cannot take a write.
    case cannotSave(path: String, ReadOnly)
    /// A row of the cache the model cannot take.
    case badRow(path: String, RowProblem)
    /// A forum key file that is not one: too large, or not text.
    case notAKeyFile(path: String, bytes: Int?)

    public var description: String {
        switch self {
        case .postNotFound(let id): "no post with id '\(id)'"
        case .memberNotFound(let id): "no member with id '\(id)'"
        case .commentNotFound(let id): "no comment with id '\(id)'"
        case .notACache(let path, let why): "\(path): not an Agora cache (\(why))"
        case .newerSchema(let path, let found, let supported):
            "\(path): written by a newer Agora: schema \(found); this build reads up to \(supported)"
        case .invalidJSON(let path, let line, let column, let reason):
            if let line, let column {
                "\(path):\(line):\(column): invalid JSON: \(reason)"
            } else {
                "\(path): invalid JSON: \(reason)"
            }
        case .cannotCreate(let path, let reason): "cannot create \(path): \(reason)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
        case .missing(let path, let folder): "cannot read \(path): no such file\(folder ? " or folder" : "")"
        case .nothingToUndo: "nothing to undo"
        case .invalidArgument(let message): message
        case .badInput(let place, let what): "\(place): \(what)"
        case .overLimit(let place, let limit): "\(place): \(limit)"
        case .cannotSave(let path, .mode): "cannot write \(path): \(ReadOnly.mode)"
        case .cannotSave(let path, let why): "cannot write \(path): \(why); marks and imports cannot be saved"
        case .badRow(let path, let problem): "cannot read \(path): \(problem)"
        case .commentWithoutPost(let comment, let post): "comment '\(comment)' is on post '\(post)', which is not in the cache"
        case .repeatedID(let kind, let id): "\(kind) id '\(id)' appears more than once"
        case .notAKeyFile(let path, let bytes?):
            "\(path): not a key file (\(bytes) bytes; a key file is a few lines, at most \(AgoraError.keyFileLimit / 1_024) KiB)"
        case .notAKeyFile(let path, nil):
            "\(path): not a key file (it holds bytes that are not text, a NUL or another control character; a key file is plain lines of `Name: value`)"
        }
    }

    /// The file an error is about, where it names one.
    public var path: String? {
        switch self {
        case .notACache(let path, _), .newerSchema(let path, _, _), .invalidJSON(let path, _, _, _), .cannotCreate(let path, _),
             .cannotWrite(let path, _), .cannotRead(let path, _): path
        case .badInput(let place, _), .overLimit(let place, _): place.path
        case .notAKeyFile(let path, _), .cannotSave(let path, _), .badRow(let path, _), .missing(let path, _): path
        default: nil
        }
    }

    /// Why a file is not an Agora cache.
    public indirect enum Foreign: Equatable, Sendable, CustomStringConvertible {
        case notSQLite
        /// A SQLite database with tables of its own.
        case otherDatabase
        case damaged
        /// A JSON file whose `format` is another (nil: it has none).
        case format(String?)
        case noVersion
        /// A JSON cache whose content breaks a rule (an id twice, a comment on no post).
        case content(AgoraError)
        /// A line of the marks log beside a JSON cache that is not a mark.
        case marksLog(line: Int, AgoraError)

        public var description: String {
            switch self {
            case .notSQLite: "not a SQLite database"
            case .otherDatabase: "a SQLite database of something else"
            case .damaged: "the database is damaged"
            case .format(let found?): "format is '\(found)'"
            case .format(nil): "no \"format\": \"agora-cache\" field"
            case .noVersion: "no \"version\" field"
            case .content(let error): error.description
            case .marksLog(let line, let error): "line \(line) of the marks log is not a mark (\(error.description))"
            }
        }
    }

    /// Why a cache is only read.
    public enum ReadOnly: Hashable, Sendable, CustomStringConvertible {
        /// The file or its file system cannot be written.
        case file
        /// Its disk is full.
        case diskFull
        /// The file's mode says no (root could write it, and would not).
        case mode

        public var description: String {
            switch self {
            case .file: "the cache is read-only"
            case .diskFull: "there is no room on its disk"
            case .mode: "the file is read-only"
            }
        }
    }

    /// A row the model cannot take.
    public enum RowProblem: Hashable, Sendable, CustomStringConvertible {
        /// A value the model has no case for (written by a newer Agora).
        case unknownValue(record: String, id: String, field: String, value: String)
        /// A column of JSON that does not read as what Agora writes there.
        case damaged(record: String, id: String, field: String)
        /// A value of the wrong kind in a column (another program wrote it, the file is damaged).
        case wrongType(column: String, expected: String, found: String)

        public var description: String {
            switch self {
            case .unknownValue(let record, let id, let field, let value):
                "\(record) '\(id)' has an unknown \(field) '\(value)' (written by a newer Agora?)"
            case .damaged(let record, let id, let field):
                "\(record) '\(id)' has a damaged \(field) column (the file may be damaged)"
            case .wrongType(let column, let expected, let found):
                "a value the cache should not hold (\(found) in the \(column) column, where \(expected) belongs); the file may be damaged"
            }
        }
    }

    /// The most a forum key file may hold.
    public static let keyFileLimit = 16 << 10

    /// A limit that stopped a read, and what was found.
    public enum Limit: Hashable, Sendable, CustomStringConvertible {
        /// More bytes came than may.
        case size(Int)
        /// Inflated, it grew past this.
        case inflated(Int)
        /// An archive's entry inflates past the size it declares.
        case declaredSize(Int)
        /// An archive's entry would inflate `found` times its size, past `most`.
        case ratio(found: Int, most: Int, bytes: Int)
        /// An archive says it holds `found` bytes in all, past `most`.
        case archiveTotal(found: Int, most: Int)
        /// An archive's entry says it holds `found` bytes, past `most`.
        case entrySize(found: Int, most: Int)
        /// The answer did not come in time.
        case seconds(Double)

        public var description: String {
            switch self {
            case .size(let most): "larger than \(Self.size(most)); stopped there"
            case .inflated(let most): "inflates to more than \(Self.size(most)); stopped there"
            case .declaredSize(let bytes): "inflates to more than the \(bytes) bytes it says it holds"
            case .ratio(let found, let most, let bytes):
                "inflates \(found) times its size (\(bytes >> 20) MiB); the most this reads is \(most) times: a zip bomb?"
            case .archiveTotal(let found, let most):
                "the zip says it holds \((found + (1 << 20) - 1) >> 20) MiB, more than the \(most >> 20) MiB this reads"
            case .entrySize(let found, let most): "holds \(found >> 20) MiB; the most an entry may hold is \(most >> 20) MiB"
            case .seconds(let t): "timed out after \(t == t.rounded() ? "\(Int(t))" : "\(t)") s"
            }
        }

        /// `1 MiB`, `512 KiB`.
        public static func size(_ bytes: Int) -> String { bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB" }
    }

    /// Where in a file: `path[:entry][:line[:column]][: record N][: field]`.
    public struct Place: Hashable, Sendable, CustomStringConvertible {
        public var path: String
        /// A file inside an archive.
        public var entry: String?
        public var line: Int?
        public var column: Int?
        /// The record's number in the file, from 1.
        public var record: Int?
        /// A field by its path in the record: `posts[3].title`.
        public var field: String?

        public init(path: String, entry: String? = nil, line: Int? = nil, column: Int? = nil, record: Int? = nil, field: String? = nil) {
            self.path = path
            self.entry = entry
            self.line = line
            self.column = column
            self.record = record
            self.field = field
        }

        public var description: String {
            var out = path
            if let entry { out += ": " + entry }
            if let line {
                out += ":\(line)"
                if let column { out += ":\(column)" }
            }
            if let record { out += ": record \(record)" }
            if let field { out += ": " + field }
            return out
        }
    }
}

/// An error whose own description is what a person is told (Agora's error types, the forum's,
/// the terminal's): `AgoraError.words(for:)` says it as it is.
public protocol SaidInWords: Error, CustomStringConvertible {}

extension AgoraError: SaidInWords {}

extension AgoraError {
    /// Any error in words, the one place errors become words: Agora's own as they are; one
    /// from below Agora (Foundation's) as the file and the system's reason where it has them,
    /// never "The operation could not be completed".
    public static func words(for error: any Error) -> String {
        if let error = error as? any SaidInWords { return error.description }
        let ns = error as NSError
        let path = ns.userInfo[NSFilePathErrorKey] as? String ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        return path.map { "\($0): \(reason(of: error))" } ?? reason(of: error)
    }

    /// The reason alone, for a message that names the file itself: the system's words for an
    /// errno, else the error's own description, else its domain and code.
    public static func reason(of error: any Error) -> String {
        if let error = error as? any SaidInWords { return error.description }
        if let error = error as? DecodingError { return "invalid data (\(error))" }
        let ns = error as NSError
        let posix = (ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? $0.code : nil }
            ?? (ns.domain == NSPOSIXErrorDomain ? ns.code : nil)
        // An error's own words where it has them (its description key), never the generic
        // sentence Foundation makes up for one that has none.
        let own = (ns.userInfo[NSLocalizedDescriptionKey] as? String) ?? (ns.userInfo[NSLocalizedFailureReasonErrorKey] as? String)
        return posix.map { String(cString: strerror(Int32($0))) } ?? own ?? "failed (\(ns.domain) \(ns.code))"
    }
}
