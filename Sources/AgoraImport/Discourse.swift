import AgoraKit
import Foundation

/// A Discourse forum's JSON (`/t/{id}.json`, `/latest.json`, `/u/{name}.json`, the directory) as
/// Agora's records. Only the reading: what fetches the paths, politely and incrementally, builds
/// on it (../shared/formats/discourse.md has the fields).
///
/// Ids are stable and say where they come from (`discourse:forum-example-org:t57` for a topic,
/// `:p83` for a post, `:u:sam` for a member), so a second sync updates in place.
public enum Discourse {
    /// The forum: its address (links are made absolute against it) and the key its ids carry.
    public struct Site: Hashable, Sendable {
        public var base: URL
        public var key: String

        /// `key`: the one the source's ids already carry (a source's own, from its id); a new
        /// forum's is made from its whole address, port included.
        public init?(_ address: String, key given: String? = nil) {
            guard var url = URL(string: address), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  let host = url.host, !host.isEmpty else { return nil }
            while url.path.hasSuffix("/"), url.path != "/" { url.deleteLastPathComponent() }
            base = url
            let port = WebOrigin(url).map { $0.isDefaultPort ? "" : "-\($0.port)" } ?? ""
            key = given ?? FeedImport.sourceKey((host + port + url.path).lowercased())
        }

        /// The forum a source mirrors, with the key its ids carry.
        public init?(source: Source) {
            guard let location = source.location else { return nil }
            self.init(location, key: Self.key(of: source.id))
        }

        /// How a forum's ids are made: the forum kind's rule.
        static let ids = Source.IDRule.discourse

        /// The key a forum source's id carries (`discourse:KEY`).
        public static func key(of id: Source.ID) -> String? { ids.key(of: id) }

        public var sourceID: Source.ID { Self.ids.sourceID(key: key) }
        public func topicID(_ id: Int) -> Post.ID { Self.ids.topicID(id, in: sourceID) }
        public func postID(_ id: Int) -> Comment.ID { Self.ids.replyID(id, in: sourceID) }
        public func memberID(_ username: String) -> Member.ID { Self.ids.memberID(username, in: sourceID) }
        /// The username a member id of this forum carries.
        public func username(of member: Member.ID) -> String { Self.ids.memberName(member, in: sourceID) ?? "" }

        /// A path of the forum's API (`/latest.json`) under its address, which may be a folder.
        public func api(_ path: String) -> String {
            let root = base.absoluteString
            return (root.hasSuffix("/") ? String(root.dropLast()) : root) + path
        }

        /// A page of the forum's that Agora names (`/t/SLUG/ID`), under its address, which may be
        /// a folder (`https://host/forum/t/...`).
        public func page(_ path: String) -> String { api(path) }

        /// A topic's slug as one path segment: letters, digits, `-` and `_` as they are, anything
        /// else (a slash, `..`, `?`, `#`) encoded, so that no slug can point a link elsewhere.
        public static func slugSegment(_ slug: String) -> String {
            let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
            let encoded = slug.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
            return encoded.isEmpty ? "topic" : encoded
        }

        /// A path of the forum's as an absolute address; an address already absolute as it is.
        public func absolute(_ path: String) -> String {
            if path.hasPrefix("//") { return (base.scheme ?? "https") + ":" + path }
            if let url = URL(string: path), url.scheme != nil { return path }
            return URL(string: path, relativeTo: base)?.absoluteString ?? path
        }
    }

    /// What one topic brings: the topic as a post (its first post the body), every other post a
    /// comment threaded by what it answers, the authors as members, and how many posts were
    /// left out (hidden, deleted, whispered).
    public struct Topic: Sendable {
        public var post: Post
        public var comments: [Comment]
        public var authors: [Member]
        public var leftOut: Int
    }

    /// `/t/{id}.json`, with `morePosts` fetched apart (`/t/{id}/posts.json`) and the posts
    /// already in the cache by number (`knownNumbers`), for threading replies to them. Nil when
    /// it is not a topic.
    public static func topic(_ json: JSONValue, site: Site, categories: [Int: String] = [:], morePosts: [JSONValue] = [],
                             knownNumbers: [Int: Comment.ID] = [:]) -> Topic? {
        guard let id = json["id"]?.int, let title = json["title"]?.string else { return nil }
        var seen = Set<Int>()
        let posts = (json["post_stream"]?["posts"]?.array ?? []) + morePosts
        let slugPath = Site.slugSegment(json["slug"]?.string ?? "topic")
        // Every number first, so that a reply can name a post that comes later in the list.
        var byNumber = knownNumbers
        var numbered: [(number: Int, post: JSONValue)] = []
        numbered.reserveCapacity(posts.count)
        for raw in posts {
            let number = raw["post_number"]?.int
            numbered.append((number ?? 0, raw))
            if let postID = raw["id"]?.int, let number, number > 1 { byNumber[number] = site.postID(postID) }
        }
        numbered.sort { $0.number < $1.number }
        var authors: [Member.ID: Member] = [:]
        var leftOut = 0
        var body = ""
        var author: Member.ID?
        var authorName: String?
        var comments: [Comment] = []
        for (_, raw) in numbered {
            guard let postID = raw["id"]?.int, let number = raw["post_number"]?.int, seen.insert(postID).inserted else { continue }
            let type = raw["post_type"]?.int ?? 1
            let gone = flag(raw["hidden"]) || raw["deleted_at"]?.string != nil || flag(raw["user_deleted"])
            if gone || type == 4 {
                leftOut += 1
                continue
            }
            let username = raw["username"]?.string
            let name = raw["name"]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? username
            let memberID = username.map(site.memberID)
            if let memberID, let username, authors[memberID] == nil {
                let role: Member.Role = flag(raw["admin"]) ? .admin : flag(raw["moderator"]) ? .moderator : .member
                authors[memberID] = Member(id: memberID, name: name ?? username, role: role)
            }
            let cooked = absoluteLinks(in: raw["cooked"]?.string ?? "", site: site)
            if number == 1 {
                body = cooked
                author = memberID
                authorName = name
                continue
            }
            let commentID = site.postID(postID)
            let parent = raw["reply_to_post_number"]?.int.flatMap { $0 == 1 ? nil : byNumber[$0] }
            let link = site.page("/t/\(slugPath)/\(id)/\(number)")
            if type == 2 || type == 3 {
                // A moderator's note or a small action ("closed this topic"): said as what it is.
                let action = raw["action_code"]?.string.map(actionWords) ?? "a moderator's note"
                let words = "<p><em>\(FeedParser.escape(name ?? "A moderator")): \(FeedParser.escape(action))</em></p>"
                comments.append(Comment(id: commentID, post: site.topicID(id), parent: parent, author: nil,
                                        authorName: "moderation", published: date(raw["created_at"]),
                                        body: cooked.isEmpty ? words : words + cooked, link: link))
                continue
            }
            comments.append(Comment(id: commentID, post: site.topicID(id), parent: parent, author: memberID, authorName: name,
                                    published: date(raw["created_at"]), body: cooked, link: link))
        }
        if author == nil, let creator = json["details"]?["created_by"], let username = creator["username"]?.string {
            author = site.memberID(username)
            authorName = creator["name"]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? username
        }
        // Quotes name the quoted by username; the forum's page shows the name. Each quote of a
        // member this topic knows carries the name too (the renderer heads the quote with it).
        let names = Dictionary(authors.values.compactMap { member -> (String, String)? in
            let username = site.username(of: member.id)
            return username.isEmpty || member.name.lowercased() == username ? nil : (username, member.name)
        }, uniquingKeysWith: { a, _ in a })
        if !names.isEmpty {
            body = namedQuotes(body, names: names)
            for index in comments.indices { comments[index].body = namedQuotes(comments[index].body, names: names) }
        }
        let tags = (json["tags"]?.array ?? []).compactMap { $0.string ?? $0["name"]?.string }
        let post = Post(id: site.topicID(id), source: site.sourceID, kind: .discussion, title: title, author: author,
                        authorName: authorName, published: date(json["created_at"]), updated: date(json["last_posted_at"]),
                        category: json["category_id"]?.int.flatMap { categories[$0] }, tags: Array(tags.prefix(Feed.maximumCategories)),
                        views: json["views"]?.int, likes: json["like_count"]?.int, body: body, link: site.page("/t/\(slugPath)/\(id)"))
        return Topic(post: post, comments: comments, authors: authors.values.sorted { $0.id.rawValue < $1.id.rawValue }, leftOut: leftOut)
    }

    /// A member from `/u/{username}.json` (`{"user": {...}}`) or a directory item (`{"user": {...}, "post_count": ...}`).
    public static func member(_ json: JSONValue, site: Site) -> Member? {
        let user = json["user"].flatMap { $0.isObject ? $0 : nil } ?? json
        guard let username = user["username"]?.string else { return nil }
        let location = user["location"]?.string.flatMap { $0.trimmed.isEmpty ? nil : $0.trimmed }
        let role: Member.Role = flag(user["admin"]) ? .admin : flag(user["moderator"]) ? .moderator : .member
        var answers = [Member.ProfileAnswer(question: "Username", answer: "@" + username)]
        if let title = user["title"]?.string?.trimmed, !title.isEmpty { answers.append(.init(question: "Title", answer: title)) }
        if let website = user["website"]?.string?.trimmed, !website.isEmpty { answers.append(.init(question: "Website", answer: website)) }
        for (key, label) in [("post_count", "Posts"), ("topic_count", "Topics")] {
            if let count = user[key]?.int ?? json[key]?.int { answers.append(.init(question: label, answer: String(count))) }
        }
        return Member(id: site.memberID(username), name: user["name"]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? username,
                      country: location.flatMap { Countries.named(in: $0) }, location: location, joined: date(user["created_at"]), role: role,
                      bio: user["bio_cooked"]?.string.map { absoluteLinks(in: $0, site: site) }, profile: answers,
                      avatarPath: user["avatar_template"]?.string.map { site.absolute(sized($0)) })
    }

    /// A topic as the latest list gives it.
    public struct Listed: Sendable, Equatable {
        public var id: Int
        /// When it was last active.
        public var bumped: Date?
        public var category: Int?
        /// Pinned topics head the list whatever their activity.
        public var pinned: Bool
    }

    /// `/latest.json`: the topics, most recently active first, and whether there is a next page.
    public static func latest(_ json: JSONValue) -> (topics: [Listed], more: Bool) {
        let list = json["topic_list"]
        let topics = (list?["topics"]?.array ?? []).compactMap { topic -> Listed? in
            topic["id"]?.int.map {
                Listed(id: $0, bumped: date(topic["bumped_at"]) ?? date(topic["last_posted_at"]), category: topic["category_id"]?.int,
                       pinned: flag(topic["pinned"]) || flag(topic["pinned_globally"]))
            }
        }
        return (topics, list?["more_topics_url"]?.string != nil)
    }

    /// A forum's feed item (`/latest.rss`: guid `HOST-topic-N`, link `.../t/SLUG/N`): the forum
    /// and the topic, so that the feed and a sync of the forum make the same ids.
    public static func topic(inFeed entry: Feed.Entry) -> (site: Site, topic: Int)? {
        guard let guid = entry.id, let dash = guid.range(of: "-topic-", options: .backwards),
              let number = Int(guid[dash.upperBound...]), let link = entry.link, let url = URL(string: link),
              let scheme = url.scheme, let host = url.host else { return nil }
        let parts = url.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let t = parts.lastIndex(of: "t"), t + 2 < parts.count, Int(parts[t + 2]) == number else { return nil }
        let prefix = parts[..<t].joined(separator: "/")
        let port = url.port.map { ":\($0)" } ?? ""
        guard let site = Site("\(scheme)://\(host)\(port)\(prefix)") else { return nil }
        return (site, number)
    }

    /// A forum's feed names an author by username (`sam`, `@sam`); a name with spaces is not one.
    public static func username(_ creator: String) -> String? {
        let name = creator.hasPrefix("@") ? String(creator.dropFirst()) : creator
        guard !name.isEmpty, name.count <= 60, name.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) else { return nil }
        return name
    }

    /// The categories of `/site.json` or `/categories.json`: id to name and slug.
    public static func categories(_ json: JSONValue) -> [Int: (name: String, slug: String)] {
        let list = json["categories"]?.array ?? json["category_list"]?["categories"]?.array ?? []
        var out: [Int: (name: String, slug: String)] = [:]
        for category in list {
            guard let id = category["id"]?.int, let name = category["name"]?.string else { continue }
            out[id] = (name, category["slug"]?.string ?? name)
        }
        return out
    }

    /// What an `action_code` says, in words.
    static func actionWords(_ code: String) -> String {
        switch code {
        case "closed.enabled": "closed this topic"
        case "closed.disabled": "opened this topic"
        case "archived.enabled": "archived this topic"
        case "archived.disabled": "unarchived this topic"
        case "pinned.enabled", "pinned_globally.enabled": "pinned this topic"
        case "pinned.disabled", "pinned_globally.disabled": "unpinned this topic"
        case "visible.enabled": "listed this topic"
        case "visible.disabled": "unlisted this topic"
        case "split_topic": "moved posts to another topic"
        case "invited_user", "invited_group": "invited someone"
        default: code.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: ".", with: " ")
        }
    }

    /// `data-username="u"` in a quote gains `data-full-name="Name"` when the name is known.
    /// (On the bytes: Foundation's substring search was a twentieth of a forum's sync.)
    static func namedQuotes(_ html: String, names: [String: String]) -> String {
        let marker = Array("data-username=\"".utf8)
        return html.rewritten { rewrite in
            let b = rewrite.source
            var at = 0
            while let found = b.firstIndex(ofBytes: marker, from: at) {
                let start = found + marker.count
                guard let end = b[start...].firstIndex(of: UInt8(ascii: "\"")) else { break }
                at = end + 1
                let username = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self).lowercased()
                guard let name = names[username] else { continue }
                rewrite.replace(at..<at, with: " data-full-name=\"\(FeedParser.escapeAttribute(name))\"".utf8)
            }
        }
    }

    /// Links and images relative to the forum, made absolute.
    static func absoluteLinks(in html: String, site: Site) -> String { HTMLLinks.absolute(html, base: site.base) }

    /// An avatar template (`/user_avatar/host/sam/{size}/1_2.png`) at 120 pixels.
    static func sized(_ template: String) -> String {
        let marker = Array("{size}".utf8)
        return template.rewritten { rewrite in
            var from = 0
            while let at = rewrite.source.firstIndex(ofBytes: marker, from: from) {
                rewrite.replace(at..<(at + marker.count), with: "120".utf8)
                from = at + marker.count
            }
        }
    }

    /// A JSON `true` (or a number other than 0).
    static func flag(_ value: JSONValue?) -> Bool { value?.isTrue ?? false }

    static func date(_ value: JSONValue?) -> Date? { value?.string.flatMap(FeedDate.parse) }
}

extension Countries {
    /// The country a free-text location names, when it names one unambiguously: the whole text,
    /// or its last comma-separated part, is a country's English name ("Nairobi, Kenya" -> Kenya).
    static func named(in location: String) -> String? {
        // Folding trims and collapses blanks itself.
        let whole = Folding.key(location)
        if !whole.isEmpty, let name = byFoldedName[whole] { return name }
        guard location.contains(","), let part = location.split(separator: ",").last else { return nil }
        let last = Folding.key(String(part))
        return last.isEmpty ? nil : byFoldedName[last]
    }

    private static let byFoldedName: [String: String] = {
        var out: [String: String] = [:]
        for region in Locale.Region.isoRegions {
            if let name = name(region.identifier) { out[Folding.key(name)] = name }
        }
        return out
    }()
}
