import Foundation

/// The community a fresh machine opens: the Diplo Internet Governance Community, as its page
/// shows it (one blog post with its 146 views, the 46 members of its roster). Built into the
/// binary, so it is there whatever folder `agora` runs from.
public enum SampleCommunity {
    public static let name = "Diplo Internet Governance Community"

    /// The sample in the JSON cache format, exactly as shipped.
    public static var json: Data { Data(PackageResources.diplo_json) }

    public static func file() throws -> CacheFile {
        try CacheFile.decode(json, path: "embedded sample")
    }

    public static func content() throws -> CacheContent { try file().content }
}
