import Foundation

/// Finding and opening a cache: the kind comes from the file name, the default place from the
/// XDG variables.
public enum Cache {
    public enum Kind: String, Sendable {
        case sqlite, json

        /// `.json` means a JSON cache; anything else is SQLite.
        public init(path: String) {
            self = (path as NSString).pathExtension.lowercased() == "json" ? .json : .sqlite
        }
    }

    /// `$XDG_DATA_HOME/agora/agora.sqlite`, else `~/.local/share/agora/agora.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return xdg + "/agora/agora.sqlite"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/agora/agora.sqlite"
    }

    /// Opens an existing cache, or creates one when there is none.
    ///
    /// A new cache is filled with `seed` (the sample community, for a first run), which is only
    /// made when it is needed; if filling fails, the half-made file is removed. Returns whether
    /// the cache was created.
    public static func open(
        path: String, seed: (() throws -> CacheContent)? = nil
    ) throws -> (store: any CommunityStore, created: Bool) {
        let existed = FileManager.default.fileExists(atPath: path)
        let store: any CommunityStore
        switch Kind(path: path) {
        case .sqlite: store = try SQLiteStore(path: path, create: true)
        case .json: store = try JSONStore(path: path, create: true)
        }
        if !existed, let seed {
            do {
                try store.importContent(try seed())
            } catch {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                throw error
            }
        }
        return (store, !existed)
    }

    /// Opens a cache that must already exist.
    public static func openExisting(path: String) throws -> any CommunityStore {
        switch Kind(path: path) {
        case .sqlite: try SQLiteStore(path: path, create: false)
        case .json: try JSONStore(path: path, create: false)
        }
    }
}
