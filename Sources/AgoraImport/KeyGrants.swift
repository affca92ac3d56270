import AgoraKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Which forum each key file was given for, kept in the user's own config folder
/// (`$XDG_CONFIG_HOME/agora/forum-keys`, mode 0600), never in a cache: a cache or an export from
/// elsewhere can name any file as a forum's key, so a sync sends a key only to the origin
/// (scheme, host, port) it was given for, with `agora sources add URL --api-key-file FILE`.
public struct KeyGrants: Sendable {
    /// The grants file; nil grants every pairing (for tests that hand a sync its key directly).
    public var path: String?

    public init(path: String?) { self.path = path }

    /// The grants file of the user running Agora.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> KeyGrants {
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? ((environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.config")
        return KeyGrants(path: config + "/agora/forum-keys")
    }

    /// Every pairing granted (tests).
    public static let everything = KeyGrants(path: nil)

    /// `origin key-file` lines, tab-separated.
    private func lines() -> [(origin: String, file: String)] {
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
    }

    /// Whether `keyFile` was given for the forum at `origin` on this machine.
    public func allows(origin: String, keyFile: String) -> Bool {
        guard path != nil else { return true }
        return lines().contains { $0.origin == origin && $0.file == keyFile }
    }

    /// Records that `keyFile` is the key of the forum at `origin`.
    public func grant(origin: String, keyFile: String) throws {
        guard let path, !allows(origin: origin, keyFile: keyFile) else { return }
        guard !origin.contains(where: \.isNewline), !keyFile.contains(where: { $0.isNewline || $0 == "\t" }) else {
            throw AgoraError.invalidArgument("\(keyFile): a key file's path may not hold a tab or a line break")
        }
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw AgoraError.cannotWrite(path: path, reason: "cannot create folder \(folder): \(AgoraError.reason(of: error))")
        }
        let kept = lines().filter { $0.origin != origin }
        let text = (kept + [(origin, keyFile)]).map { "\($0.origin)\t\($0.file)\n" }.joined()
        try AtomicFile.write(Data(text.utf8), to: path)
        chmod(path, 0o600)
    }
}
