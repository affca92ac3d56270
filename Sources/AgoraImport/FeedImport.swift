import AgoraKit
import Foundation

/// Turns a feed into what a cache holds: a source, posts (feed items) and their authors as
/// members, matched by name within the source.
public enum FeedImport {
    /// A short, stable key for where a feed comes from: "example-org-feed-xml".
    public static func sourceKey(_ location: String) -> String { Source.key(forLocation: location) }

    /// The id a feed at `location` gets: the same whether it is added, imported or synced.
    public static func sourceID(_ location: String) -> Source.ID { sourceID(key: sourceKey(location)) }

    static func sourceID(key: String) -> Source.ID { Source.IDRule.feed.sourceID(key: key) }

    /// The key a source's feed must keep: the one it was given, or, for a source read before
    /// feeds were known by their identity, the one its location gave. Nil for a new source.
    public static func keptKey(of source: Source?) -> String? {
        guard let source else { return nil }
        if let key = source.feedKey { return key }
        return source.lastSync != nil || source.etag != nil ? sourceKey(source.location ?? "") : nil
    }

    /// `key`: the key the feed's ids carry, when the caller knows it (a source synced before
    /// keeps its own); else the feed's identity (its id or address), else its location.
    public static func content(_ feed: Feed, location: String, key: String? = nil) -> CacheContent {
        var builder = Builder(location: location, key: key)
        builder.adopt(feed)
        for entry in feed.entries { builder.add(entry) }
        return builder.flush(feedTitle: feed.title, site: feed.link, last: true)
    }

    /// Reads a feed file as a stream and writes it in batches, in one transaction: a large
    /// file never sits in memory whole. JSON Feed files are read whole (they are one JSON value).
    @discardableResult
    public static func importFile(_ path: String, into store: any ImportPort, batchSize: Int = 2_000, key: String? = nil,
                                  progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> ImportSummary {
        let location = URL(fileURLWithPath: path).standardizedFileURL.path
        let handle = FileHandle(forReadingAtPath: path)
        let head = (try? handle?.read(upToCount: 512)) ?? nil
        try? handle?.close()
        if let head, head.drop(while: { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }).first == UInt8(ascii: "{") {
            // A JSON Feed is read item by item into batches, as XML feeds are.
            let data = try CacheFile.readData(path: path)
            return try store.importBatches { write in
                try withoutActuallyEscaping(write) { write in
                    var builder = Builder(location: location, key: key)
                    let feed = try JSONFeedStream.parse(data, path: path, header: { builder.adopt($0) }) { entry in
                        builder.add(entry)
                        if builder.pending >= batchSize { try write(builder.flush(feedTitle: nil, site: nil, last: false)) }
                    }
                    try write(builder.flush(feedTitle: feed.title, site: feed.link, last: true))
                }
            }
        }
        let chunks = try FeedStream.chunks(ofFile: path, progress: progress)
        return try store.importBatches { write in
            try withoutActuallyEscaping(write) { write in
                var builder = Builder(location: location, key: key)
                let feed = try FeedStream.parse(path: path, chunks: chunks, header: { builder.adopt($0) }) { entry in
                    builder.add(entry)
                    if builder.pending >= batchSize { try write(builder.flush(feedTitle: nil, site: nil, last: false)) }
                }
                try write(builder.flush(feedTitle: feed.title, site: feed.link, last: true))
            }
        }
    }

    /// Makes posts and members from entries, a batch at a time; each member is handed on once.
    struct Builder {
        /// What the feed's ids carry: the caller's, else the feed's identity, else its location.
        private(set) var key: String
        private var keyDecided: Bool
        let location: String
        let sourceID: Source.ID
        private var members: [Member] = []
        private var posts: [Post] = []
        private var knownMembers = Set<Member.ID>()
        /// Author names seen so far and the member ids they became (slugs are slow to make).
        private var authorIDs: [String: Member.ID] = [:]
        private var seen = Set<Post.ID>()

        init(location: String, key fixed: String? = nil) {
            self.location = location
            key = fixed ?? FeedImport.sourceKey(location)
            keyDecided = fixed != nil
            sourceID = FeedImport.sourceID(location)
        }

        /// The feed's own fields, before its first entry: the key from what the feed says it is,
        /// so that the same feed from two files or a file and its address makes the same ids.
        mutating func adopt(_ feed: Feed) {
            guard !keyDecided else { return }
            keyDecided = true
            if let identity = feed.identity { key = FeedImport.sourceKey(identity) }
        }


        var pending: Int { posts.count }

        mutating func add(_ entry: Feed.Entry) {
            keyDecided = true
            let authorName = entry.author.map(FeedImport.authorName).flatMap { $0.isEmpty ? nil : $0 }
            var authorID: Member.ID?
            let forum = Discourse.topic(inFeed: entry)
            if let forum, let authorName, let username = Discourse.username(authorName) {
                // A forum's feed: its topics and authors are the forum's, as a sync of the forum makes them.
                authorID = forum.site.memberID(username)
                if knownMembers.insert(authorID!).inserted { members.append(Member(id: authorID!, name: username)) }
            } else if let authorName {
                if let known = authorIDs[authorName] {
                    authorID = known
                } else {
                    let slug = Folding.slug(authorName)
                    let id = Member.ID(key + ":" + (slug.isEmpty ? "author" : slug))
                    if knownMembers.insert(id).inserted { members.append(Member(id: id, name: authorName)) }
                    authorIDs[authorName] = id
                    authorID = id
                }
            }
            let text = entry.content ?? entry.summary ?? ""
            let id = forum.map { $0.site.topicID($0.topic) } ?? FeedImport.postID(entry, feedKey: key, body: text)
            let body = text + FeedImport.attachments(entry.enclosures)
            guard seen.insert(id).inserted else { return }  // a feed that repeats an item: the first wins
            posts.append(Post(
                id: id, source: sourceID, kind: .feedItem, title: FeedImport.title(entry, body: body),
                author: authorID, authorName: authorName, published: entry.published ?? entry.updated,
                updated: entry.updated, tags: entry.categories, body: body, link: entry.link))
        }

        /// The batch so far; the last one carries the source, named by the feed's title.
        mutating func flush(feedTitle: String?, site: String?, last: Bool) -> CacheContent {
            var content = CacheContent(members: members.sorted { $0.id < $1.id }, posts: posts)
            if last {
                content.sources = [Source(id: sourceID, kind: .feed, name: feedTitle ?? FeedImport.sourceKey(location), location: location,
                                          options: .feed(key: key), site: site.flatMap { SourcePolicy.isWeb($0) ? $0 : nil })]
            }
            members.removeAll(keepingCapacity: true)
            posts.removeAll(keepingCapacity: true)
            return content
        }
    }

    /// The item's id: a Ning feed id (`tag:HOST,DATE:<appId>:BlogPost:<n>`) becomes the
    /// archive's content id, so a feed and an archive of one community meet. Any other id is
    /// the feed's key and the item's guid or id (else its link, else a digest of its title,
    /// date and body): two feeds that use the same guids, by accident or on purpose, cannot
    /// overwrite each other's posts.
    /// An entry's enclosures as the end of its body: a list of links with each file's type and
    /// size, so that the article numbers them as it numbers every link (only http and https).
    static func attachments(_ enclosures: [Feed.Enclosure]) -> String {
        let items = enclosures.compactMap { e -> String? in
            let scheme = e.url.split(separator: ":", maxSplits: 1).first?.lowercased()
            guard scheme == "http" || scheme == "https" else { return nil }
            let name = e.title ?? URL(string: e.url)?.lastPathComponent.removingPercentEncoding.flatMap { $0.isEmpty || $0 == "/" ? nil : $0 } ?? e.url
            let facts = [e.type, e.length.map(byteSize)].compactMap { $0 }
            return "<li><a href=\"\(FeedParser.escapeAttribute(e.url))\">\(FeedParser.escape(name))</a>"
                + (facts.isEmpty ? "" : " (\(FeedParser.escape(facts.joined(separator: ", "))))") + "</li>"
        }
        guard !items.isEmpty else { return "" }
        return "<p>Attachments:</p><ul>" + items.joined() + "</ul>"
    }

    /// 12.3 MB, 480 KB, 900 bytes.
    static func byteSize(_ bytes: Int) -> String {
        if bytes >= 1_000_000 { return String(format: "%.1f MB", Double(bytes) / 1_000_000) }
        if bytes >= 1_000 { return "\(bytes / 1_000) KB" }
        return "\(bytes) bytes"
    }

    static func postID(_ entry: Feed.Entry, feedKey: String, body: String) -> Post.ID {
        if let id = entry.id?.trimmed, !id.isEmpty {
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
    /// The person's name from what feeds write: `Name <email>`, `email (Name)`, `Name (email)`,
    /// or an address alone (its part before the @). An email address is never kept.
    static func authorName(_ raw: String) -> String {
        // Feeds escape names twice often enough ("M. Miller &amp;amp; T. Blankley").
        var text = (raw.contains("&") ? PlainText.fromHTML(raw) : raw).trimmed
        func isEmail(_ s: Substring) -> Bool {
            // Most names have no @: no Foundation for them (it was 5% of a feed's reading).
            guard s.utf8.contains(UInt8(ascii: "@")) else { return false }
            let t = s.trimmingCharacters(in: .whitespaces)
            return !t.contains(" ") && t.first != "@"
        }
        func unquoted(_ s: Substring) -> String {
            s.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'")).trimmingCharacters(in: .whitespaces)
        }
        if text.hasSuffix(">"), let open = text.lastIndex(of: "<") {
            let name = unquoted(text[..<open])
            let inside = text[text.index(after: open)..<text.index(before: text.endIndex)]
            if isEmail(inside) { text = name.isEmpty ? String(inside.prefix { $0 != "@" }) : name }
        } else if text.hasSuffix(")"), let open = text.firstIndex(of: "(") {
            let before = text[..<open]
            let inside = text[text.index(after: open)..<text.index(before: text.endIndex)]
            if isEmail(before) { text = unquoted(inside) } else if isEmail(inside) { text = unquoted(before) }
        }
        if isEmail(Substring(text)) { text = String(text.prefix { $0 != "@" }) }
        return text
    }

    /// A title as plain text: HTML markup taken out (never the text of a script or an
    /// attribute); a `<` that does not open an HTML element is the character it is, so
    /// `Vec&lt;T&gt;` stays `Vec<T>` and `Array<Element>` stays whole.
    static func plainTitle(_ raw: String) -> String {
        // Bytes, not Foundation's substring search (a title is looked at once per item).
        let hasAmpersand = raw.utf8.contains(UInt8(ascii: "&"))
        guard hasAmpersand || raw.utf8.contains(UInt8(ascii: "<")) else { return raw.trimmed }
        var escaped = ""
        escaped.reserveCapacity(raw.utf8.count)
        var markup = false
        var rest = Substring(raw)
        while let open = rest.firstIndex(of: "<") {
            escaped += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if opensHTML(after) {
                markup = true
                escaped += "<"
            } else {
                escaped += "&lt;"
            }
            rest = after
        }
        escaped += rest
        guard markup || hasAmpersand else { return raw.trimmed }
        return PlainText.fromHTML(escaped).trimmed
    }

    /// The elements a title's markup is made of in real feeds; anything else after a `<` is text.
    private static let htmlElements: Set<String> = [
        "a", "abbr", "acronym", "b", "big", "br", "cite", "code", "del", "dfn", "div", "em", "font", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "mark", "p", "q", "s", "samp", "script", "small", "span",
        "strike", "strong", "style", "sub", "sup", "time", "tt", "u", "var", "wbr",
    ]

    /// Whether the text after a `<` opens or closes an HTML element (or a comment).
    private static func opensHTML(_ text: Substring) -> Bool {
        if text.hasPrefix("!--") { return true }
        var name = text.drop { $0 == "/" }
        guard text.count - name.count <= 1 else { return false }
        let letters = name.prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
        guard let first = letters.first, first.isLetter, htmlElements.contains(letters.lowercased()) else { return false }
        name = name.dropFirst(letters.count)
        guard let next = name.first else { return false }
        return next == ">" || next == "/" || next.isWhitespace
    }

    /// An item with no title is named by the start of its text.
    static func title(_ entry: Feed.Entry, body: String) -> String {
        if let title = entry.title.map(plainTitle), !title.isEmpty { return title }
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

/// Where a source may point. A source a person adds on the command line (`agora sources add`,
/// `agora import FEED`) may be a local file; one that arrives inside an imported file (an Agora
/// JSON cache, an OPML list) must be on the web, or a later `agora sync` (run as root, say)
/// would read whatever local file the list named.
public enum SourcePolicy {
    /// An http or https address.
    public static func isWeb(_ location: String?) -> Bool {
        guard let location, let colon = location.firstIndex(of: ":") else { return false }
        return ["http", "https"].contains(location[..<colon].lowercased())
    }

    /// What an imported file's sources come to, beside the sources the cache has.
    public struct Imported: Sendable {
        /// The sources to write: only new ones.
        public var added: [Source] = []
        public var notes: [String] = []
    }

    /// The sources an imported file may bring, beside the cache's own: only web addresses; never a
    /// key file (a file from elsewhere naming the user's key would send it to its own server);
    /// never a change to a source the cache has (same id or same address: its location and
    /// options stay the user's). Notes say what was left out.
    public static func imported(_ sources: [Source], existing: [Source]) -> Imported {
        var result = Imported()
        let web = sources.filter { isWeb($0.location) }
        let notWeb = sources.count - web.count
        if notWeb > 0 {
            result.notes.append("\(notWeb) source\(notWeb == 1 ? "" : "s") with a local or non-web address left out: "
                + "only sources added with `agora sources add` may be local files")
        }
        let knownIDs = Set(existing.map(\.id))
        var knownPlaces = Set(existing.compactMap { $0.location.map(Source.identity(ofLocation:)) })
        var kept = 0
        var keys = 0
        for var source in web {
            let place = source.location.map(Source.identity(ofLocation:)) ?? ""
            if knownIDs.contains(source.id) || knownPlaces.contains(place) {
                kept += 1
                continue
            }
            knownPlaces.insert(place)
            if source.forum?.keyFile != nil {
                source.forum?.keyFile = nil
                keys += 1
            }
            result.added.append(source)
        }
        if kept > 0 {
            result.notes.append("\(kept) source\(kept == 1 ? "" : "s") already in the cache kept as \(kept == 1 ? "it is" : "they are") (address and options unchanged)")
        }
        if keys > 0 {
            result.notes.append("\(keys) forum key file\(keys == 1 ? "" : "s") left out: a key is given only with `agora sources add URL --api-key-file FILE`")
        }
        return result
    }
}
