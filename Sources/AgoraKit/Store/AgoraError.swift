import Foundation

/// A user error: something about the input, the cache or an id that a person can fix. Each says
/// what went wrong and where, in one line.
public enum AgoraError: Error, Equatable, CustomStringConvertible, Sendable {
    case postNotFound(Post.ID)
    case memberNotFound(Member.ID)
    case commentNotFound(Comment.ID)
    /// The file exists but is not an Agora cache.
    case notACache(path: String, reason: String)
    /// The file was written by a newer Agora.
    case newerSchema(path: String, found: Int, supported: Int)
    /// JSON that does not parse, with the line and column where known.
    case invalidJSON(path: String, line: Int?, column: Int?, reason: String)
    case cannotCreate(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    case nothingToUndo
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .postNotFound(let id): "no post with id '\(id)'"
        case .memberNotFound(let id): "no member with id '\(id)'"
        case .commentNotFound(let id): "no comment with id '\(id)'"
        case .notACache(let path, let reason): "\(path): not an Agora cache (\(reason))"
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
        case .nothingToUndo: "nothing to undo"
        case .invalidArgument(let message): message
        }
    }
}

extension AgoraError {
    /// Any error in words: Agora's own as they are; one from below Agora (Foundation's) as the
    /// file and the system's reason where it has them, never "The operation could not be
    /// completed".
    public static func words(for error: any Error) -> String {
        if let error = error as? AgoraError { return error.description }
        let ns = error as NSError
        let path = ns.userInfo[NSFilePathErrorKey] as? String ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        let posix = (ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? $0.code : nil }
            ?? (ns.domain == NSPOSIXErrorDomain ? ns.code : nil)
        // An error's own words where it has them (its description key), never the generic
        // sentence Foundation makes up for one that has none.
        let own = (ns.userInfo[NSLocalizedDescriptionKey] as? String) ?? (ns.userInfo[NSLocalizedFailureReasonErrorKey] as? String)
        let reason = posix.map { String(cString: strerror(Int32($0))) } ?? own ?? "failed (\(ns.domain) \(ns.code))"
        return path.map { "\($0): \(reason)" } ?? reason
    }
}
