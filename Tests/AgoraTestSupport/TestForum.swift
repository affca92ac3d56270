import AgoraKit
import Foundation

/// A Discourse forum for tests and benchmarks, answering the JSON API on 127.0.0.1 the way a
/// real forum does (../shared/formats/discourse.md): categories, topics with threaded replies,
/// a member directory and profiles, every list paged. It is generated from a seed, changes when
/// a test says (a reply, an edit), and misbehaves when asked (login required, 429 with
/// Retry-After, 500, a slow answer). `recorded` serves the recorded responses of real forums
/// (../shared/fixtures/discourse beside the checkout) instead.
public final class TestForum: @unchecked Sendable {
    public struct User: Sendable {
        public var username: String
        public var name: String
        public var location: String?
        public var title: String?
        public var bio: String?
        public var created: Date
        public var admin = false
        public var moderator = false
    }

    public struct ForumPost: Sendable {
        public var id: Int
        public var number: Int
        public var username: String
        public var cooked: String
        public var created: Date
        public var updated: Date
        public var version = 1
        public var replyTo: Int?
        /// 1 regular, 2 moderator action, 3 small action, 4 whisper.
        public var type = 1
        public var actionCode: String?
        public var hidden = false
    }

    public struct Topic: Sendable {
        public var id: Int
        public var slug: String
        public var title: String
        public var category: Int
        public var created: Date
        public var bumped: Date
        public var views: Int
        public var likes: Int
        public var tags: [String]
        public var posts: [ForumPost]
        /// Still in the latest list, but its page is gone (404).
        public var deleted = false
        public var pinned = false
    }

    public struct Category: Sendable {
        public var id: Int
        public var name: String
        public var slug: String
    }

    private let lock = NSLock()
    public private(set) var categories: [Category] = []
    public private(set) var users: [User] = []
    public private(set) var topics: [Topic] = []
    private var nextPostID = 1
    private var recordedFolder: String?

    /// A key the forum asks for (`User-Api-Key`); without it every JSON path answers 403.
    public var requiredKey: String? { get { locked { key } } set { locked { key = newValue } } }
    private var key: String?
    /// The next this many requests answer 429 with this Retry-After.
    public func tooManyRequests(_ count: Int, retryAfter: String) { locked { throttle = (count, retryAfter) } }
    private var throttle: (count: Int, retryAfter: String)?
    /// Paths (prefixes) that answer 500.
    public var failing: [String] { get { locked { fail } } set { locked { fail = newValue } } }
    private var fail: [String] = []
    /// The directory answers every page with the first page and says there is more (a broken forum).
    public var directoryRepeats: Bool { get { locked { repeats } } set { locked { repeats = newValue } } }
    private var repeats = false
    /// Seconds each answer waits (a slow forum).
    public var delay: TimeInterval { get { locked { wait } } set { locked { wait = newValue } } }
    private var wait: TimeInterval = 0

    public var server: TestHTTPServer!
    /// The directory's order and counts, made on its first page and kept until the forum changes.
    private var directory: (sorted: [User], counts: [String: Int], started: [String: Int])?
    public var baseURL: String { server.baseURL }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    private init() {}

    /// Starts serving, keeping connections open between requests when asked (as Discourse
    /// does). `stop()` when done.
    public func start(keepAlive: Bool = false) throws -> TestForum {
        server = try TestHTTPServer(keepAlive: keepAlive) { [unowned self] request in self.answer(request) }
        return self
    }

    public func stop() { server?.stop() }

    /// The requests whose path starts with one of these, or all of them.
    public func requests(_ prefixes: String...) -> [TestHTTPServer.Request] {
        server.requests.filter { request in prefixes.isEmpty || prefixes.contains { request.path.hasPrefix($0) } }
    }

    // MARK: Making a forum

    static let base = Date(timeIntervalSince1970: 1_600_000_000)  // 2020-09-13

    /// A forum of `topicCount` topics and about `postCount` posts (replies threaded, an edit, a
    /// whisper, a small action, a hidden post, a deleted topic still listed, a pinned topic),
    /// `userCount` members with locations in several scripts; the same for the same seed.
    public static func generated(topics topicCount: Int = 200, posts postCount: Int = 1_500, users userCount: Int = 60,
                                 seed: UInt64 = 7) -> TestForum {
        let forum = TestForum()
        var random = SystemRandomNumberGenerator.Seeded(seed)
        forum.categories = [Category(id: 1, name: "Announcements", slug: "announcements"), Category(id: 2, name: "Policy", slug: "policy"),
                            Category(id: 3, name: "Capacity Building", slug: "capacity-building"), Category(id: 4, name: "Café", slug: "cafe")]
        let places = ["Nairobi, Kenya", "São Paulo, Brasil", "東京, Japan", "Москва", "Genève, Switzerland", "EU", "Accra, Ghana",
                      "القاهرة، مصر", "Mumbai, India", "Berlin", "Lagos, Nigeria", "Kraków, Poland", "", "Montevideo, Uruguay"]
        let names = ["Amina Odhiambo", "João Silva", "山田 花子", "Иван Петров", "Chloé Martin", "Kwame Mensah", "محمد علي",
                     "Priya Sharma", "Jonas Weber", "Chinedu Okafor", "Zofia Nowak", "Lucía Pérez"]
        for index in 0..<max(2, userCount) {
            let name = names[index % names.count] + (index < names.count ? "" : " \(index / names.count + 1)")
            forum.users.append(User(username: index == 0 ? "admin" : "member\(index)", name: name,
                                    location: places[index % places.count].isEmpty ? nil : places[index % places.count],
                                    title: index % 7 == 3 ? "Fellow" : nil, bio: index % 3 == 0 ? "<p>Works on \(name.split(separator: " ")[0])'s things.</p>" : nil,
                                    created: base.addingTimeInterval(-Double(index) * 86_400), admin: index == 0, moderator: index == 1))
        }
        let perTopic = max(1, postCount / max(1, topicCount))
        for index in 0..<topicCount {
            let id = 1_000 + index
            let created = base.addingTimeInterval(Double(index) * 3_600)
            var topic = Topic(id: id, slug: "topic-\(id)", title: "Topic \(id): \(["governance", "policy", "DNS", "privacy"][index % 4])",
                              category: 1 + index % forum.categories.count, created: created, bumped: created, views: 10 + Int(random.next() % 900),
                              likes: Int(random.next() % 20), tags: index % 5 == 0 ? ["igf", "policy"] : [], posts: [])
            let count = index == 0 ? 45 : max(1, perTopic + Int(random.next() % 5) - 2)
            for number in 1...count {
                let author = forum.users[Int(random.next() % UInt64(forum.users.count))]
                let replyTo = number > 2 && random.next() % 3 == 0 ? Int(random.next() % UInt64(number - 1)) + 1 : nil
                let when = created.addingTimeInterval(Double(number) * 60)
                var post = ForumPost(id: forum.nextPostID, number: number, username: author.username,
                                     cooked: "<p>Post \(number) of topic \(id), by <a class=\"mention\" href=\"/u/\(author.username)\">@\(author.username)</a>. "
                                         + "See <a href=\"/t/topic-\(id)/\(id)\">the topic</a> <img class=\"emoji\" title=\":smile:\" alt=\":smile:\" src=\"/images/emoji/smile.png\"></p>",
                                     created: when, updated: when, replyTo: replyTo)
                forum.nextPostID += 1
                if index == 1 {
                    if number == 2 { post.type = 4 }  // a whisper
                    if number == 3 { post.type = 3; post.actionCode = "closed.enabled"; post.cooked = "" }
                    if number == 4 { post.hidden = true }
                }
                if index == 2, number == 1 { post.version = 2; post.updated = when.addingTimeInterval(600) }
                topic.posts.append(post)
                topic.bumped = when
            }
            if index == 3 { topic.deleted = true }
            if index == 4 { topic.pinned = true }
            forum.topics.append(topic)
        }
        return forum
    }

    /// The recorded responses of real forums: `/latest.json`, `/t/57.json`, `/categories.json`,
    /// `/u/test_user.json`; everything else 404.
    public static func recorded(folder: String) -> TestForum {
        let forum = TestForum()
        forum.recordedFolder = folder
        return forum
    }

    // MARK: Changing it

    /// A reply to a topic (to post `to` of it, or to the topic); the topic is bumped. Its id.
    @discardableResult
    public func reply(topic id: Int, by username: String, text: String, to number: Int? = nil, at date: Date? = nil) -> Int {
        locked {
            let index = topics.firstIndex { $0.id == id }!
            let when = date ?? now
            let post = ForumPost(id: nextPostID, number: (topics[index].posts.map(\.number).max() ?? 0) + 1, username: username,
                                 cooked: "<p>\(text)</p>", created: when, updated: when, replyTo: number)
            nextPostID += 1
            topics[index].posts.append(post)
            topics[index].bumped = max(topics[index].bumped, when)
            directory = nil
            return post.id
        }
    }

    /// A member who joins (a username with a dot, say: Discourse allows `xu.jing`).
    public func addUser(username: String, name: String, location: String?) {
        locked {
            users.append(User(username: username, name: name, location: location, created: Self.base))
            byUsernameMade = nil
            directory = nil
        }
    }

    /// A post shown in a second topic too, with its own id (Discourse keeps a post's id when it
    /// is moved; a forum caught mid-move lists it in both).
    public func repeatPost(_ id: Int, inTopic topicID: Int) {
        locked {
            guard let post = topics.flatMap(\.posts).first(where: { $0.id == id }),
                  let index = topics.firstIndex(where: { $0.id == topicID }) else { return }
            var copy = post
            copy.number = (topics[index].posts.map(\.number).max() ?? 0) + 1
            topics[index].posts.append(copy)
        }
    }

    /// A topic of `count` posts (its stream lists every id), the newest topic of the forum.
    public func addLongTopic(id: Int, posts count: Int, bodyBytes: Int = 0) {
        locked {
            let created = now
            var topic = Topic(id: id, slug: "long-\(id)", title: "A long topic \(id)", category: 1, created: created, bumped: created,
                              views: 1, likes: 0, tags: [], posts: [])
            for number in 1...count {
                topic.posts.append(ForumPost(id: nextPostID, number: number, username: users[number % users.count].username,
                                             cooked: "<p>Post \(number) of the long topic</p>" + (bodyBytes > 0 ? "<p>" + String(repeating: "x", count: bodyBytes) + "</p>" : ""),
                                             created: created, updated: created))
                nextPostID += 1
            }
            topics.append(topic)
            directory = nil
        }
    }

    /// A post's text changed: its version goes up, and the topic is bumped.
    public func edit(post id: Int, text: String) {
        locked {
            for t in topics.indices {
                if let p = topics[t].posts.firstIndex(where: { $0.id == id }) {
                    let when = now
                    topics[t].posts[p].cooked = "<p>\(text)</p>"
                    topics[t].posts[p].version += 1
                    topics[t].posts[p].updated = when
                    topics[t].bumped = when
                }
            }
        }
    }

    /// The forum's "now": a minute after its latest activity, so that a change is the newest.
    private var now: Date { (topics.map(\.bumped).max() ?? Self.base).addingTimeInterval(60) }

    /// The topic by id.
    public func topic(_ id: Int) -> Topic? { locked { topics.first { $0.id == id } } }

    // MARK: Answering

    private func answer(_ request: TestHTTPServer.Request) -> TestHTTPServer.Response {
        let (status, json, extra, delay) = locked { () -> (Int, Any?, [(String, String)], TimeInterval) in
            let path = request.path
            if let (count, retry) = throttle, count > 0 {
                throttle = count > 1 ? (count - 1, retry) : nil
                return (429, ["errors": ["You've performed this action too many times."], "extras": ["wait_seconds": Int(retry) ?? 0]],
                        [("Retry-After", retry)], wait)
            }
            if fail.contains(where: { path.hasPrefix($0) }) { return (500, ["errors": ["boom"]], [], wait) }
            if let key, path.contains(".json"), request.headers["user-api-key"] != key {
                return (403, ["errors": ["You are not permitted to view the requested resource."]], [], wait)
            }
            if let folder = recordedFolder { return recorded(path, folder: folder) }
            let (status, body) = route(path)
            return (status, body, [], wait)
        }
        if let text = json as? String {
            let type = request.path.hasSuffix(".rss") ? "application/rss+xml" : "text/html"
            return .init(status: status, headers: [("Content-Type", type)], text: text, delay: delay)
        }
        let body = json.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) } ?? Data()
        return .init(status: status, headers: [("Content-Type", "application/json")] + extra, body: body, delay: delay)
    }

    private func recorded(_ path: String, folder: String) -> (Int, Any?, [(String, String)], TimeInterval) {
        let plain = path.components(separatedBy: "?")[0]
        let file: String? = switch plain {
        case "/latest.json": "latest.json"  // every page the same, as a broken forum might
        case "/t/57.json": "topic.json"
        case "/categories.json": "categories.json"
        case "/u/test_user.json": "user.json"
        default: nil
        }
        guard let file, let data = FileManager.default.contents(atPath: folder + "/" + file),
              let json = try? JSONSerialization.jsonObject(with: data) else { return (404, ["errors": ["not found"]], [], wait) }
        return (200, json, [], wait)
    }

    /// Discourse's form: 2013-02-04T15:26:26.278Z, as Agora writes dates too.
    private func date(_ d: Date) -> String { ISODate.string(d) }

    private func query(_ path: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for part in (path.components(separatedBy: "?").dropFirst().first ?? "").split(separator: "&") {
            let pair = part.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            out[pair[0], default: []].append(pair.count > 1 ? pair[1] : "")
        }
        return out
    }

    private func route(_ path: String) -> (Int, Any?) {
        let plain = path.components(separatedBy: "?")[0]
        let q = query(path)
        let page = Int(q["page"]?.first ?? "0") ?? 0
        let parts = plain.split(separator: "/").map(String.init)
        switch parts.first {
        case nil:
            return (200, "<html><head><meta name=\"generator\" content=\"Discourse 3.2.0 - https://github.com/discourse/discourse\"></head><body>A forum</body></html>")
        case "site.json":
            return (200, ["categories": categories.map { ["id": $0.id, "name": $0.name, "slug": $0.slug, "topic_count": 0] },
                          "post_types": ["regular": 1, "moderator_action": 2, "small_action": 3, "whisper": 4],
                          "trust_levels": ["newuser": 0]])
        case "about.json":
            return (200, ["about": ["title": "A test forum", "description": "Made for Agora's tests", "version": "3.2.0"]])
        case "latest.json":
            let listed = topics.sorted { ($0.pinned ? 1 : 0, $0.bumped, $0.id) > ($1.pinned ? 1 : 0, $1.bumped, $1.id) }
            let slice = listed.dropFirst(page * 30).prefix(30)
            var list: [String: Any] = ["topics": slice.map { t -> [String: Any] in
                ["id": t.id, "title": t.title, "slug": t.slug, "posts_count": t.posts.count, "created_at": date(t.created),
                 "bumped_at": date(t.bumped), "last_posted_at": date(t.bumped), "category_id": t.category, "pinned": t.pinned,
                 "views": t.views, "like_count": t.likes]
            }]
            if listed.count > (page + 1) * 30 { list["more_topics_url"] = "/latest?page=\(page + 1)" }
            return (200, ["users": [], "topic_list": list])
        case "latest.rss":
            let items = topics.sorted { $0.created > $1.created }.prefix(25).map { t in
                """
                <item><title>\(t.title)</title><dc:creator><![CDATA[\(t.posts.first?.username ?? "")]]></dc:creator>\
                <category>\(categories.first { $0.id == t.category }?.name ?? "")</category>\
                <description><![CDATA[\(t.posts.first?.cooked ?? "")]]></description>\
                <link>\(baseURL)/t/\(t.slug)/\(t.id)</link><pubDate>\(rfc822(t.created))</pubDate>\
                <guid isPermaLink="false">127.0.0.1-topic-\(t.id)</guid></item>
                """
            }.joined(separator: "\n")
            return (200, """
                <?xml version="1.0" encoding="UTF-8" ?>
                <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
                <channel><title>A test forum - Latest topics</title><link>\(baseURL)/latest</link>
                <description>Latest topics</description><generator>Discourse</generator>
                <atom:link href="\(baseURL)/latest.rss" rel="self" type="application/rss+xml" />
                \(items)
                </channel></rss>
                """)
        case "t":
            guard parts.count >= 2, let id = Int(parts[1].replacingOccurrences(of: ".json", with: "")),
                  let topic = topics.first(where: { $0.id == id }), !topic.deleted else { return (404, ["errors": ["not found"]]) }
            if parts.count == 3, parts[2] == "posts.json" {
                let wanted = Set((q["post_ids[]"] ?? []).compactMap(Int.init))
                return (200, ["post_stream": ["posts": topic.posts.filter { wanted.contains($0.id) }.map { postJSON($0) }]])
            }
            let first = topic.posts.first
            let author = first.flatMap { byUsername[$0.username] }
            return (200, ["id": topic.id, "title": topic.title, "fancy_title": topic.title.replacingOccurrences(of: "&", with: "&amp;"),
                          "slug": topic.slug, "views": topic.views, "posts_count": topic.posts.count, "reply_count": topic.posts.count - 1,
                          "like_count": topic.likes, "created_at": date(topic.created), "last_posted_at": date(topic.bumped),
                          "category_id": topic.category, "tags": topic.tags,
                          "details": ["created_by": ["username": author?.username ?? "", "name": author?.name ?? ""]],
                          "post_stream": ["posts": topic.posts.prefix(20).map { postJSON($0) }, "stream": topic.posts.map(\.id)]])
        case "directory_items.json":
            if directory == nil {
                let counts = Dictionary(grouping: topics.flatMap(\.posts), by: \.username).mapValues(\.count)
                let started = Dictionary(grouping: topics.compactMap(\.posts.first), by: \.username).mapValues(\.count)
                directory = (users.sorted { (counts[$0.username] ?? 0, $1.username) > (counts[$1.username] ?? 0, $0.username) }, counts, started)
            }
            let (sorted, counts, started) = directory!
            let slice = sorted.dropFirst(repeats ? 0 : page * 50).prefix(50)
            var meta: [String: Any] = repeats ? [:] : ["total_rows_directory_items": users.count]
            if users.count > (page + 1) * 50 || repeats { meta["load_more_directory_items"] = "/directory_items?page=\(page + 1)&period=all" }
            return (200, ["directory_items": slice.enumerated().map { offset, user -> [String: Any] in
                ["id": page * 50 + offset + 1, "post_count": counts[user.username] ?? 0, "topic_count": started[user.username] ?? 0,
                 "likes_received": 0, "days_visited": 1,
                 "user": ["id": page * 50 + offset + 1, "username": user.username, "name": user.name, "title": user.title.map { $0 as Any } ?? NSNull(),
                          "avatar_template": "/user_avatar/forum/\(user.username)/{size}/1.png"]]
            }, "meta": meta])
        case "u":
            guard parts.count == 2, parts[1].lowercased().hasSuffix(".json"),
                  let user = byUsername[String(parts[1].dropLast(5))] ?? users.first(where: { $0.username.lowercased() + ".json" == parts[1].lowercased() }) else {
                return (404, ["errors": ["not found"]])
            }
            var json: [String: Any] = ["id": 1, "username": user.username, "name": user.name, "created_at": date(user.created),
                                       "trust_level": 1, "admin": user.admin, "moderator": user.moderator,
                                       "avatar_template": "/user_avatar/forum/\(user.username)/{size}/1.png"]
            if let location = user.location { json["location"] = location }
            if let title = user.title { json["title"] = title }
            if let bio = user.bio { json["bio_cooked"] = bio }
            return (200, ["user": json, "user_badges": []])
        default:
            return (404, ["errors": ["not found"]])
        }
    }

    /// Users by name, made once (and again when one is added): a forum of thousands answers
    /// every post without a search.
    private var byUsernameMade: [String: User]?
    private var byUsername: [String: User] {
        if let made = byUsernameMade { return made }
        let made = Dictionary(users.map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
        byUsernameMade = made
        return made
    }

    private func postJSON(_ p: ForumPost) -> [String: Any] {
        let user = byUsername[p.username]
        var json: [String: Any] = ["id": p.id, "post_number": p.number, "username": p.username, "name": user?.name ?? p.username,
                                   "cooked": p.cooked, "created_at": date(p.created), "updated_at": date(p.updated),
                                   "version": p.version, "post_type": p.type, "hidden": p.hidden,
                                   "admin": user?.admin ?? false, "moderator": user?.moderator ?? false,
                                   "reply_to_post_number": p.replyTo.map { $0 as Any } ?? NSNull()]
        if let code = p.actionCode { json["action_code"] = code }
        return json
    }

    private func rfc822(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return f.string(from: d)
    }
}
