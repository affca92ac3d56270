import AgoraKit
import Foundation

/// Turns a feed into what a cache holds: a source, posts (feed items) and their authors as
/// members, matched by name within the source.
public enum FeedImport {
    /// A short, stable key for where a feed comes from: "example-org-feed-xml".
    public static func sourceKey(_ location: String) -> String {
        var key = location
        for prefix in ["https://", "http://", "file://"] where key.lowercased().hasPrefix(prefix) {
            key = String(key.dropFirst(prefix.count))
        }
        if key.hasPrefix("/") { key = (key as NSString).lastPathComponent }
        let slug = Folding.slug(key)
        return slug.isEmpty ? "feed" : slug
    }

    public static func content(_ feed: Feed, location: String) -> CacheContent {
        let key = sourceKey(location)
        let source = Source(id: Source.ID("feed:" + key), kind: .feed, name: feed.title ?? key, location: location)
        var members: [Member.ID: Member] = [:]
        var posts: [Post] = []
        var seen = Set<Post.ID>()
        for entry in feed.entries {
            let authorName = entry.author.map(authorName).flatMap { $0.isEmpty ? nil : $0 }
            var authorID: Member.ID?
            if let authorName {
                let id = Member.ID(key + ":" + (Folding.slug(authorName).isEmpty ? "author" : Folding.slug(authorName)))
                if members[id] == nil { members[id] = Member(id: id, name: authorName) }
                authorID = id
            }
            let body = entry.content ?? entry.summary ?? ""
            let id = postID(entry, feedKey: key, body: body)
            guard seen.insert(id).inserted else { continue }  // a feed that repeats an item: the first wins
            posts.append(Post(
                id: id, source: source.id, kind: .feedItem, title: title(entry, body: body),
                author: authorID, authorName: authorName, published: entry.published ?? entry.updated,
                updated: entry.updated, tags: entry.categories, body: body, link: entry.link))
        }
        return CacheContent(sources: [source], members: Array(members.values).sorted { $0.id < $1.id }, posts: posts)
    }

    /// The item's id: a Ning feed id (`tag:HOST,DATE:<appId>:BlogPost:<n>`) becomes the
    /// archive's content id, so a feed and an archive of one community meet. Any other id is
    /// the feed's key and the item's guid or id (else its link, else a digest of its title,
    /// date and body): two feeds that use the same guids, by accident or on purpose, cannot
    /// overwrite each other's posts.
    static func postID(_ entry: Feed.Entry, feedKey: String, body: String) -> Post.ID {
        if let id = entry.id?.trimmingCharacters(in: .whitespaces), !id.isEmpty {
            if id.hasPrefix("tag:"), let ning = ningContentID(id) { return Post.ID(ning) }
            return Post.ID("\(feedKey):\(id)")
        }
        if let link = entry.link, !link.isEmpty { return Post.ID("\(feedKey):\(link)") }
        let seed = (entry.title ?? "") + "|" + (entry.published.map { String($0.timeIntervalSince1970) } ?? "") + "|" + body
        return Post.ID("\(feedKey):\(String(stableHash(seed), radix: 16))")
    }

    static func ningContentID(_ tag: String) -> String? {
        // tag:HOST,DATE:<appId>:<Type>:<n>
        let parts = tag.split(separator: ":")
        guard parts.count >= 5, let n = parts.last, n.allSatisfy(\.isNumber),
              parts[parts.count - 3].allSatisfy(\.isNumber) else { return nil }
        return parts.suffix(3).joined(separator: ":")
    }

    /// RSS writes "email (Name)" or an address alone; only the name is kept: a reader has no
    /// use for addresses.
    static func authorName(_ raw: String) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if let open = text.firstIndex(of: "("), text.hasSuffix(")") {
            let before = text[..<open].trimmingCharacters(in: .whitespaces)
            let inside = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
            if before.contains("@") && !before.contains(" ") { return inside.trimmingCharacters(in: .whitespaces) }
        }
        if text.contains("@"), !text.contains(" "), let at = text.firstIndex(of: "@") {
            return String(text[..<at])
        }
        return text
    }

    /// An item with no title is named by the start of its text.
    static func title(_ entry: Feed.Entry, body: String) -> String {
        if let title = entry.title.map({ PlainText.fromHTML($0) }), !title.isEmpty { return title }
        let text = PlainText.fromHTML(body)
        if text.isEmpty { return "(untitled)" }
        let words = text.split(separator: " ").prefix(10).joined(separator: " ")
        return words.count < text.count ? words + "…" : words
    }

    /// FNV-1a: the same on every machine and every run, unlike Swift's Hasher.
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}

/// What `agora import PATH` can read, told from the file's first bytes.
public enum ImportFormat: String, CaseIterable, Sendable {
    case agoraJSON = "agora-json", feed, ning, opml

    /// From the name and the first bytes; a `.json` file that is nothing else is taken for a
    /// cache, so that broken JSON is reported with the line and column where it broke. A folder
    /// is told by `NingArchive.looksLikeArchive`, not here.
    public static func detect(_ data: Data, name: String = "") -> ImportFormat? {
        if NingArchive.FileKind(fileName: (name as NSString).lastPathComponent) != nil { return .ning }
        if ZipArchive.isZip(data) { return .ning }
        let head = String(decoding: data.prefix(2048), as: UTF8.self)
        let trimmed = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        let jsonName = (name as NSString).pathExtension.lowercased() == "json"
        if trimmed.hasPrefix("{") {
            if head.contains("\"agora-cache\"") { return .agoraJSON }
            if head.contains("jsonfeed.org") { return .feed }
            return jsonName ? .agoraJSON : nil
        }
        // The archiver's files are wrapped in parentheses.
        if trimmed.hasPrefix("(") { return .ning }
        if jsonName, !trimmed.hasPrefix("<") { return .agoraJSON }
        if trimmed.hasPrefix("<") {
            if head.contains("<opml") { return .opml }
            for marker in ["<rss", "<rdf:RDF", "<RDF", "<feed", ":RDF", ":feed "] where head.contains(marker) { return .feed }
        }
        return nil
    }
}
