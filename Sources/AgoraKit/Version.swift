/// The version every part of Agora reports: `agora --version`, the User-Agent of a sync.
public enum AgoraKitVersion {
    public static let string = "0.1.0"
    /// What `agora --version` says: the version and the cache formats this build writes.
    public static var long: String {
        "agora \(string) (SQLite cache schema \(Schema.version), JSON cache version \(CacheFile.version))"
    }
}
