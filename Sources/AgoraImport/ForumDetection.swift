import AgoraKit
import Foundation

/// What an address is: a Discourse forum (told by `/site.json`, `/about.json` or the page's
/// generator tag) or something else, taken for a feed.
public enum ForumDetection: Sendable, Equatable {
    case discourse(title: String?)
    /// Discourse by its page, but its JSON asks for a login that was not given.
    case discourseNeedsLogin
    case notDiscourse

    /// Asks at most three things of `address`, each within the fetcher's limits.
    public static func detect(_ address: String, fetcher: Fetcher = Fetcher(timeout: 15), key: ForumKey? = nil) -> ForumDetection {
        guard let site = Discourse.Site(address) else { return .notDiscourse }
        var refused = false
        for path in ["/about.json", "/site.json"] {
            guard let response = try? fetcher.get(site.api(path), headers: ["Accept: application/json"], private: key?.headers ?? []) else { continue }
            if [401, 403].contains(response.status) { refused = true }
            guard response.status == 200, let json = try? JSONValue(parsing: response.body), json.isObject else { continue }
            if let about = json["about"], about.isObject { return .discourse(title: about["title"]?.string.map(Sanitizer.line)) }
            if json["post_types"] != nil || (json["categories"] != nil && json["trust_levels"] != nil) { return .discourse(title: nil) }
        }
        guard let page = try? fetcher.get(address, headers: ["Accept: text/html"]), page.status == 200 else {
            return refused ? .discourseNeedsLogin : .notDiscourse
        }
        let head = String(decoding: page.body.prefix(65_536), as: UTF8.self).lowercased()
        let generator = head.range(of: "<meta name=\"generator\" content=\"discourse") != nil
        if generator { return refused ? .discourseNeedsLogin : .discourse(title: nil) }
        return .notDiscourse
    }
}
