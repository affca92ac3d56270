import AgoraKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A forum's key, read from a file only its owner can read. Only the file's path is ever kept;
/// the key goes into request headers to the forum's own host and nowhere else (no message, no
/// log, no cache).
public struct ForumKey: Sendable {
    /// `Api-Key` + `Api-Username` (an admin's key), or `User-Api-Key` (a member's).
    let headers: [String]

    /// The largest key file read: a key and a username are well under a kilobyte.
    static let largestFile = 16 * 1_024

    /// The file holds `Name: value` lines (`Api-Key`, `Api-Username`, `User-Api-Key`; `=` works
    /// too). Refused unless group and others have no access to it (mode 0600 or 0400).
    public static func read(path: String) throws -> ForumKey {
        var info = stat()
        guard stat(path, &info) == 0 else { throw AgoraError.cannotRead(path: path, reason: "no such file") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw AgoraError.cannotRead(path: path, reason: "not a file") }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw AgoraError.invalidArgument(
                "\(path): a key file must be readable by you alone (its mode is \(String(mode, radix: 8)); run `chmod 600 \(path)`)")
        }
        // A key file is a few lines of text: anything larger, or anything but text, is not one
        // (and is not read whole into memory to find out).
        guard info.st_size <= Self.largestFile else {
            throw AgoraError.invalidArgument("\(path): not a key file (\(info.st_size) bytes; a key file is a few lines, at most \(Self.largestFile / 1_024) KiB)")
        }
        let data = try CacheFile.readData(path: path, limit: Self.largestFile + 1)
        guard data.count <= Self.largestFile else {
            throw AgoraError.invalidArgument("\(path): not a key file (more than \(Self.largestFile / 1_024) KiB; a key file is a few lines)")
        }
        guard let text = String(data: data, encoding: .utf8),
              !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" || $0.value == 0x7F }) else {
            throw AgoraError.invalidArgument("\(path): not a key file (it holds bytes that are not text, a NUL or another control character; a key file is plain lines of `Name: value`)")
        }
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let split = line.firstIndex(where: { $0 == ":" || $0 == "=" }) else { continue }
            let name = line[..<split].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: split)...].trimmingCharacters(in: .whitespaces)
            if !value.isEmpty, !value.contains(where: { $0.isNewline || $0 == "\r" }) { values[name] = value }
        }
        if let user = values["user-api-key"] { return ForumKey(headers: ["User-Api-Key: \(user)"]) }
        if let key = values["api-key"], let name = values["api-username"] {
            return ForumKey(headers: ["Api-Key: \(key)", "Api-Username: \(name)"])
        }
        throw AgoraError.invalidArgument("\(path): no key in it (write `Api-Key:` and `Api-Username:` lines, or a `User-Api-Key:` line)")
    }
}

/// How fast a forum is asked: at most `concurrency` requests at once and `rate` a second, on a
/// clock and with a sleep that tests give (so no test waits for real time).
public struct Pacing: Sendable {
    /// Requests a second; nil asks as fast as the answers come.
    public var rate: Double?
    public var concurrency: Int
    /// Seconds on a clock that only goes forward.
    public var clock: @Sendable () -> TimeInterval
    public var sleep: @Sendable (TimeInterval) -> Void

    public static let defaultRate = 4.0
    public static let defaultConcurrency = 2
    /// The longest a forum's Retry-After is waited out; past it the source stops and says so.
    public static let longestWait: TimeInterval = 600

    public init(rate: Double? = Pacing.defaultRate, concurrency: Int = Pacing.defaultConcurrency,
                clock: @escaping @Sendable () -> TimeInterval = { TimeInterval(DispatchTime.now().uptimeNanoseconds) / 1e9 },
                sleep: @escaping @Sendable (TimeInterval) -> Void = { if $0 > 0 { Thread.sleep(forTimeInterval: $0) } }) {
        self.rate = rate
        self.concurrency = max(1, concurrency)
        self.clock = clock
        self.sleep = sleep
    }
}

/// The gate every request of one forum passes: it holds back the request that would be one too
/// many at once, and spaces starts `1/rate` apart.
final class RequestGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var inFlight = 0
    private var nextStart: TimeInterval?
    private(set) var waited: TimeInterval = 0
    let pacing: Pacing
    /// The sync's deadline on the pacing's clock: no request starts at or after it, and no turn
    /// that would start after it is waited for.
    let deadline: TimeInterval?

    init(_ pacing: Pacing, deadline: DispatchTime? = nil) {
        self.pacing = pacing
        self.deadline = deadline.map { end in
            let now = DispatchTime.now().uptimeNanoseconds
            let left = end.uptimeNanoseconds > now ? Double(end.uptimeNanoseconds - now) / 1e9 : 0
            return pacing.clock() + left
        }
    }

    func enter() throws {
        condition.lock()
        while inFlight >= pacing.concurrency { condition.wait() }
        let now = pacing.clock()
        let start = max(now, nextStart ?? now)
        if let deadline, start >= deadline {
            condition.unlock()
            throw Fetcher.DeadlineReached(message: "stopped at the sync's deadline")
        }
        inFlight += 1
        if let rate = pacing.rate, rate > 0 { nextStart = start + 1 / rate }
        condition.unlock()
        if start > now { pacing.sleep(start - now) }
    }

    func leave() {
        condition.lock()
        inFlight -= 1
        condition.signal()
        condition.unlock()
    }

    /// A wait the server asked for (Retry-After), out of the gate.
    func wait(_ seconds: TimeInterval) {
        condition.lock()
        waited += seconds
        condition.unlock()
        pacing.sleep(seconds)
    }
}

/// The requests of one forum's sync, counted.
final class ForumClient: @unchecked Sendable {
    let site: Discourse.Site
    let fetcher: Fetcher
    let key: ForumKey?
    let gate: RequestGate
    private let lock = NSLock()
    private var count = 0

    /// The largest answer a forum's JSON may be: decoded into objects it takes several times
    /// this, so it bounds what one request holds whatever the forum sends.
    static let largestAnswer = 16 << 20

    init(site: Discourse.Site, fetcher: Fetcher, key: ForumKey?, pacing: Pacing) {
        self.site = site
        var capped = fetcher
        capped.maxBytes = min(fetcher.maxBytes, Self.largestAnswer)
        self.fetcher = capped
        self.key = key
        self.gate = RequestGate(pacing, deadline: fetcher.deadline)
    }

    var requests: Int { lock.lock(); defer { lock.unlock() }; return count }

    /// A JSON object from the forum; nil when the forum says there is none (404, 410).
    func object(_ path: String) throws -> [String: Any]? { try sizedObject(path)?.json }

    /// The same, with the answer's size in bytes.
    func sizedObject(_ path: String) throws -> (json: [String: Any], bytes: Int)? {
        var attempts = 0
        while true {
            try gate.enter()
            lock.lock()
            count += 1
            lock.unlock()
            let response: Fetcher.Response
            do {
                response = try fetcher.get(site.api(path), headers: ["Accept: application/json"], private: key?.headers ?? [])
                gate.leave()
            } catch {
                gate.leave()
                throw error
            }
            switch response.status {
            case 200...299:
                guard let json = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
                    throw AgoraError.invalidArgument("\(site.api(path)): the answer is not a JSON object")
                }
                return (json, response.body.count)
            case 404, 410:
                return nil
            case 401, 403:
                throw ForumError.loginNeeded(site: site.base.absoluteString, keyGiven: key != nil)
            case 429, 503:
                // As long as the server asks, up to ten minutes; longer, and the source stops
                // here with the time remembered.
                let asked = response.header("Retry-After").flatMap { Double($0.trimmed) }
                    ?? (response.header("Retry-After").flatMap { Fetcher.retryAfter($0) }.map { max(0, $0.timeIntervalSinceNow) })
                    ?? (response.status == 429 ? 60 : nil)
                attempts += 1
                // A wait that would pass the whole sync's deadline is not begun.
                let beforeDeadline = gate.deadline.map { gate.pacing.clock() + max(0, asked ?? 0) < $0 } ?? true
                guard let asked, asked <= Pacing.longestWait, attempts <= 5, beforeDeadline else {
                    throw fetcher.refusal(Fetcher.Response(status: response.status, headers: response.headers, body: Data()),
                                          location: site.api(path))
                }
                gate.wait(max(0, asked))
            default:
                throw fetcher.refusal(response, location: site.api(path))
            }
        }
    }
}

/// A forum's sync stopped part way (its deadline, a refusal): what it had read is written, and
/// `outcome.source.forum` says how far it got, for the source to keep.
public struct Interrupted: Error, CustomStringConvertible {
    public var outcome: ForumOutcome
    public var reason: any Error

    public var description: String {
        (reason as? Fetcher.DeadlineReached)?.description ?? (reason as? ForumError)?.description
            ?? (reason as? AgoraError)?.description ?? String(describing: reason)
    }
}

public enum ForumError: Error, CustomStringConvertible, Equatable {
    case loginNeeded(site: String, keyGiven: Bool)

    public var description: String {
        switch self {
        case .loginNeeded(let site, false):
            "\(site): the forum needs a login; give a key with `agora sources add \(site) --api-key-file FILE`"
        case .loginNeeded(let site, true): "\(site): the forum refused the key (HTTP 403)"
        }
    }
}

/// How far a forum's sync has got, for a progress line.
public struct ForumProgress: Sendable, Equatable {
    public var topics = 0
    public var topicsToRead = 0
    public var posts = 0
    public var members = 0
    public var requests = 0
    /// Seconds spent waiting as the forum asked (Retry-After).
    public var waited: TimeInterval = 0
}

/// What a forum's sync brought.
public struct ForumOutcome: Sendable {
    public var posts = ImportSummary.Counts()
    public var comments = ImportSummary.Counts()
    public var members = ImportSummary.Counts()
    public var requests = 0
    /// Hidden, deleted and whispered posts, and listed topics that are gone.
    public var leftOut = 0
    public var waited: TimeInterval = 0
    /// Topics that could not be read this time (they are read again next time).
    public var failedTopics: [String] = []
    /// Members whose profile could not be read (kept as the topic or directory gave them).
    public var profilesFailed = 0
    /// Records whose id came twice (a post moved to another topic keeps its id): the first kept.
    public var duplicates = 0
    /// Topics written in part, to be gone on with by the next sync.
    public var unfinishedTopics = 0
    public var source: Source
}

/// Mirrors one Discourse forum into the cache, politely and incrementally (docs/discourse.md):
/// the latest list back to where the last sync got, each changed topic and only the posts the
/// cache lacks, the member directory once a day and the profile of each member not seen before.
public struct ForumSync: Sendable {
    public var fetcher: Fetcher
    public var pacing: Pacing
    public var now: @Sendable () -> Date
    public var progress: (@Sendable (ForumProgress) -> Void)?
    /// Topics written to the cache together.
    public var batch = 50
    /// Which key files were given for which forums (the user's own, outside any cache).
    public var keyGrants = KeyGrants.standard()

    public init(fetcher: Fetcher = Fetcher(), pacing: Pacing = Pacing(), now: @escaping @Sendable () -> Date = Date.init,
                progress: (@Sendable (ForumProgress) -> Void)? = nil) {
        self.fetcher = fetcher
        self.pacing = pacing
        self.now = now
        self.progress = progress
    }

    /// What goes into `/u/NAME.json` as it is: ASCII letters, digits and `-_.` (Discourse's own
    /// usernames, `xu.jing` among them); anything else (a slash, a space, other scripts) encoded.
    static let usernameAllowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")

    /// `/u/NAME.json`, the profile's address; nil for a name that cannot be one.
    static func profilePath(username: String) -> String? {
        guard !username.isEmpty, username != ".", username != "..",
              let encoded = username.addingPercentEncoding(withAllowedCharacters: usernameAllowed) else { return nil }
        return "/u/\(encoded).json"
    }

    /// The categories asked for (by name or slug, case and accents aside) among the forum's;
    /// an unknown one is an error that lists the forum's.
    static func categoryIDs(_ asked: [String], known: [Int: (name: String, slug: String)], site: Discourse.Site) throws -> Set<Int> {
        var ids = Set<Int>()
        for name in asked {
            let key = Folding.key(name)
            let matches = known.filter { Folding.key($0.value.name) == key || Folding.key($0.value.slug) == key }.map(\.key)
            guard !matches.isEmpty else {
                let list = known.values.map(\.name).sorted().joined(separator: ", ")
                throw AgoraError.invalidArgument("\(site.base.absoluteString): no category '\(name)' (the forum has: \(list))")
            }
            ids.formUnion(matches)
        }
        return ids
    }

    /// Checks `--categories` when a forum is added, against the forum's own list; a forum that
    /// does not answer now is checked at the sync.
    public static func checkCategories(_ asked: [String], address: String, fetcher: Fetcher = Fetcher(timeout: 15), key: ForumKey? = nil) throws {
        guard !asked.isEmpty, let site = Discourse.Site(address) else { return }
        for path in ["/site.json", "/categories.json"] {
            guard let response = try? fetcher.get(site.api(path), headers: ["Accept: application/json"], private: key?.headers ?? []),
                  response.status == 200, let json = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else { continue }
            let known = Discourse.categories(json)
            guard !known.isEmpty else { continue }
            _ = try categoryIDs(asked, known: known, site: site)
            return
        }
    }

    /// The most directory pages read in one sync (50 members each).
    static let directoryPages = 2_000

    /// Posts a topic page carries, and how many are asked for at once after it.
    static let postsPerRequest = 20
    static let directoryEvery: TimeInterval = 86_400

    public func sync(_ source: Source, into store: any CommunityStore) throws -> ForumOutcome {
        guard let site = Discourse.Site(source: source) else {
            throw AgoraError.invalidArgument("\(source.id): the source has no forum address")
        }
        var forum = source.forum ?? Source.Forum()
        if let keyFile = forum.keyFile, let origin = Fetcher.origin(site.base), !keyGrants.allows(origin: origin, keyFile: keyFile) {
            // A cache or an export from elsewhere may name any file as this forum's key.
            throw AgoraError.invalidArgument("\(site.base.absoluteString): the key file \(keyFile) was not given for this forum on this machine, "
                + "so it is not sent; if it is this forum's key, run `agora sources add \(site.base.absoluteString) --api-key-file \(keyFile)`")
        }
        let key = try forum.keyFile.map(ForumKey.read)
        let client = ForumClient(site: site, fetcher: fetcher, key: key, pacing: pacing)
        var outcome = ForumOutcome(source: source)
        let tally = Tally(report: progress)
        defer { outcome.requests = client.requests }

        // Categories: once, and again when a topic names one not known.
        func readCategories() throws {
            guard let json = try client.object("/site.json") ?? client.object("/categories.json") else { return }
            forum.categoryNames = Dictionary(uniqueKeysWithValues: Discourse.categories(json).map { (String($0.key), $0.value.name + "\u{1F}" + $0.value.slug) })
        }
        if forum.categoryNames == nil { try readCategories() }
        func names() -> [Int: (name: String, slug: String)] {
            var out: [Int: (name: String, slug: String)] = [:]
            for (id, value) in forum.categoryNames ?? [:] {
                let parts = value.split(separator: "\u{1F}", maxSplits: 1).map(String.init)
                if let number = Int(id) { out[number] = (parts.first ?? value, parts.count > 1 ? parts[1] : value) }
            }
            return out
        }
        let wanted: Set<Int>? = try forum.categories.map { try Self.categoryIDs($0, known: names(), site: site) }

        // Members: the directory once a day; it comes first, so that most authors are known.
        if forum.directoryRead.map({ now().timeIntervalSince($0) >= Self.directoryEvery }) ?? true {
            try readDirectory(client: client, store: store, site: site, outcome: &outcome, tally: tally)
            forum.directoryRead = now()
        }

        // The latest list, back to where the last sync got.
        var unfinished = forum.unfinished ?? []
        let first = forum.syncedThrough == nil
        var chosen: [Discourse.Listed] = []
        var newest = forum.syncedThrough
        var page = 0
        var askedAgain = false
        var listedIDs = Set<Int>()
        paging: while true {
            guard let json = try client.object(page == 0 ? "/latest.json" : "/latest.json?page=\(page)") else { break }
            let list = Discourse.latest(json)
            // A page with nothing not seen on the pages before it ends the list (a forum that
            // answers every page alike would be read for ever).
            var fresh = false
            for topic in list.topics {
                if listedIDs.insert(topic.id).inserted { fresh = true } else { continue }
                if let bumped = topic.bumped, let through = forum.syncedThrough, bumped <= through {
                    if topic.pinned { continue }
                    break paging
                }
                if first, let since = forum.since, let bumped = topic.bumped, bumped < since {
                    if topic.pinned { continue }
                    break paging
                }
                if let category = topic.category, names()[category] == nil, !askedAgain {
                    askedAgain = true
                    try readCategories()
                }
                if let bumped = topic.bumped { newest = max(newest ?? bumped, bumped) }
                if let wanted, !(topic.category.map(wanted.contains) ?? false) { continue }
                // Read by a sync that stopped at its deadline: left, and gone on from.
                if let bumped = topic.bumped, let from = forum.readFrom, let through = forum.readThrough, bumped > from, bumped <= through,
                   !unfinished.contains(topic.id) { continue }
                chosen.append(topic)
                if first, let most = forum.maxTopics, chosen.count >= most { break paging }
            }
            guard list.more, fresh else { break }
            page += 1
        }
        // Topics written in part last time come first, listed or not.
        let listedNow = Set(chosen.map(\.id))
        // Newest activity first (a pinned topic too, by its own activity): what a stopped sync
        // read is then one span of time.
        chosen = unfinished.filter { !listedNow.contains($0) }.map { Discourse.Listed(id: $0, bumped: nil, category: nil, pinned: false) }
            + chosen.sorted { ($0.bumped ?? .distantFuture) > ($1.bumped ?? .distantFuture) }
        unfinished = []
        tally.update { $0.topicsToRead = chosen.count; $0.requests = client.requests }

        // Each changed topic, in batches, newest first. What was read is written as it is read;
        // a sync stopped by its deadline keeps how far it got (`readFrom`...`readThrough`), so
        // that repeated syncs converge on the whole forum.
        let categoryNames = names().mapValues(\.name)
        var start = 0
        var readPrefix = 0  // chosen[..<readPrefix] all read
        var prefixBroken = false
        func saveProgress() {
            let listed = chosen.filter { $0.bumped != nil }
            let done = chosen[..<readPrefix].compactMap(\.bumped)
            guard let top = listed.first?.bumped, let low = done.last, !done.isEmpty else { return }
            if let from = forum.readFrom, low > from {
                // Still above the range read before: that range is the progress kept.
                return
            }
            forum.readThrough = max(top, forum.readThrough ?? top)
            forum.readFrom = low
        }
        func interrupted(_ error: any Error) -> any Error {
            saveProgress()
            forum.unfinished = unfinished.isEmpty ? nil : unfinished
            outcome.waited = client.gate.waited
            outcome.requests = client.requests
            outcome.source.forum = forum
            return Interrupted(outcome: outcome, reason: error)
        }
        while start < chosen.count {
            // Up to `batch` topics, read a few at a time (as many as are asked at once), until
            // what the batch holds passes `batchBytes`: then it is written.
            var slice: [Discourse.Listed] = []
            var read: [Result<(topic: Discourse.Topic, complete: Bool)?, Error>] = []
            var held = 0
            while start < chosen.count, slice.count < batch, held < Self.batchBytes {
                let step = Array(chosen[start..<min(chosen.count, start + max(1, pacing.concurrency), start + batch - slice.count)])
                start += step.count
                let results = Parallel.map(step, workers: pacing.concurrency) { listed -> Result<(topic: Discourse.Topic, complete: Bool)?, Error> in
                    Result { try readTopic(listed.id, client: client, store: store, site: site, categories: categoryNames) }
                }
                slice += step
                read += results
                for case .success(let topic?) in results {
                    held += topic.topic.post.body.utf8.count + topic.topic.comments.reduce(0) { $0 + $1.body.utf8.count }
                }
                // A stop (the deadline) ends the batch here: what was read is written below.
                if results.contains(where: { if case .failure = $0 { true } else { false } }) { break }
            }
            var content = CacheContent()
            var authors: [Member.ID: Member] = [:]
            var stop: (any Error)?
            for (listed, result) in zip(slice, read) {
                switch result {
                case .success(let read?):
                    let topic = read.topic
                    content.posts.append(topic.post)
                    content.comments += topic.comments
                    outcome.leftOut += topic.leftOut
                    if !read.complete { unfinished.append(listed.id) }
                    for author in topic.authors where authors[author.id] == nil { authors[author.id] = author }
                    if !prefixBroken { readPrefix += 1 }
                case .success(nil):
                    outcome.leftOut += 1  // listed, but deleted or out of reach
                    if !prefixBroken { readPrefix += 1 }
                case .failure(let error as ForumError):
                    stop = stop ?? error
                    prefixBroken = true
                case .failure(let error as Fetcher.DeadlineReached):
                    stop = stop ?? error
                    prefixBroken = true
                case .failure(let error):
                    outcome.failedTopics.append("topic \(listed.id): " + ((error as? AgoraError)?.description ?? String(describing: error)))
                    prefixBroken = true
                }
            }
            // What was read is written, even when the sync stops here.
            do {
                content.members = try newMembers(Array(authors.values), client: client, store: store, site: site, outcome: &outcome)
            } catch let error as Fetcher.DeadlineReached {
                content.members = Array(authors.values)
                stop = stop ?? error
            }
            outcome.duplicates += content.dropDuplicateIDs()
            let summary = try store.importContent(content)
            outcome.posts.add(summary.posts)
            outcome.comments.add(summary.comments)
            outcome.members.add(summary.members)
            tally.update {
                $0.topics += slice.count
                $0.posts += content.comments.count + content.posts.count
                $0.members += content.members.count
                $0.requests = client.requests
                $0.waited = client.gate.waited
            }
            if let stop { throw interrupted(stop) }
        }
        if outcome.failedTopics.isEmpty {
            forum.syncedThrough = newest
            forum.readFrom = nil
            forum.readThrough = nil
        } else {
            saveProgress()
        }
        forum.unfinished = unfinished.isEmpty ? nil : unfinished
        outcome.unfinishedTopics = unfinished.count
        outcome.waited = client.gate.waited
        outcome.requests = client.requests
        outcome.source.forum = forum
        return outcome
    }

    /// The most requests for a topic's further posts in one sync (20 posts each): a topic of a
    /// million posts is written in parts, sync after sync.
    static let postRequestsPerTopic = 100
    /// The most bytes of answers read for one topic in one sync; the rest comes next time.
    static let topicBytes = 8 << 20
    /// A batch of topics is written once it holds this many bytes of text, whatever its count.
    static let batchBytes = 32 << 20

    /// One topic: its page, and the posts after the first twenty that the cache lacks, as many
    /// as one sync reads of a topic (`complete` says whether that was all).
    private func readTopic(_ id: Int, client: ForumClient, store: any CommunityStore, site: Discourse.Site,
                           categories: [Int: String]) throws -> (topic: Discourse.Topic, complete: Bool)? {
        guard let (json, pageBytes) = try client.sizedObject("/t/\(id).json") else { return nil }
        var bytes = pageBytes
        let stream = ((json["post_stream"] as? [String: Any])?["stream"] as? [Any])?.compactMap(Discourse.int) ?? []
        let loaded = Set((((json["post_stream"] as? [String: Any])?["posts"] as? [[String: Any]]) ?? []).compactMap { Discourse.int($0["id"]) })
        var known: [Int: Comment.ID] = [:]
        let links = try store.commentLinks(of: site.topicID(id))
        let cached = Set(links.keys)
        for (comment, link) in links {
            if let link, let number = link.split(separator: "/").last.flatMap({ Int($0) }) { known[number] = comment }
        }
        let missing = stream.filter { !loaded.contains($0) && !cached.contains(site.postID($0)) }
        var more: [[String: Any]] = []
        var index = 0
        var requests = 0
        // As many as one sync reads of a topic: a number of requests and a number of bytes.
        while index < missing.count, requests < Self.postRequestsPerTopic, bytes < Self.topicBytes {
            requests += 1
            let ids = missing[index..<min(missing.count, index + Self.postsPerRequest)]
            index += ids.count
            let query = ids.map { "post_ids[]=\($0)" }.joined(separator: "&")
            if let (page, size) = try client.sizedObject("/t/\(id)/posts.json?\(query)") {
                more += ((page["post_stream"] as? [String: Any])?["posts"] as? [[String: Any]]) ?? []
                bytes += size
            }
        }
        guard let topic = Discourse.topic(json, site: site, categories: categories, morePosts: more, knownNumbers: known) else { return nil }
        return (topic, index >= missing.count)
    }

    /// Authors not in the cache yet, each from their profile when it can be read.
    /// A failed profile is counted (`profilesFailed`) and the member kept as the list gave them.
    private func newMembers(_ authors: [Member], client: ForumClient, store: any CommunityStore, site: Discourse.Site,
                            outcome: inout ForumOutcome) throws -> [Member] {
        let known = try store.existingMembers(authors.map(\.id))
        let unknown = authors.filter { known[$0.id] == nil }
        let profiles = Parallel.map(unknown, workers: pacing.concurrency) { author -> (Member, read: Bool) in
            let username = author.id.rawValue.components(separatedBy: ":u:").last ?? ""
            guard let path = Self.profilePath(username: username),
                  let json = try? client.object(path), let member = Discourse.member(json, site: site) else { return (author, false) }
            return (Discourse.merge(member, over: author), true)
        }
        outcome.profilesFailed += profiles.filter { !$0.read }.count
        return profiles.map(\.0)
    }

    /// The member directory, page by page; members the cache lacks are read from their profile.
    private func readDirectory(client: ForumClient, store: any CommunityStore, site: Discourse.Site,
                               outcome: inout ForumOutcome, tally: Tally) throws {
        var page = 0
        var seen = Set<Member.ID>()
        var lastPage = Self.directoryPages
        while page < lastPage {
            guard let json = try client.object("/directory_items.json?period=all&order=post_count&page=\(page)") else { return }
            let items = (json["directory_items"] as? [[String: Any]]) ?? []
            let listed = items.compactMap { Discourse.member($0, site: site) }
            // A page with no one this sync has not seen ends it (a directory that answers every
            // page alike), and no more pages are asked than the directory says it has.
            let fresh = listed.filter { seen.insert($0.id).inserted }
            guard !fresh.isEmpty else { return }
            if let total = Discourse.int((json["meta"] as? [String: Any])?["total_rows_directory_items"]), !items.isEmpty {
                lastPage = min(lastPage, total / items.count + 2)
            }
            var members: [Member] = []
            var unknown: [Member] = []
            let known = try store.existingMembers(listed.map(\.id))
            for member in listed {
                if let cached = known[member.id] {
                    let merged = Discourse.merge(member, over: cached)
                    if merged != cached { members.append(merged) }
                } else {
                    unknown.append(member)
                }
            }
            members += try newMembers(unknown, client: client, store: store, site: site, outcome: &outcome).map { profile in
                unknown.first { $0.id == profile.id }.map { Discourse.merge($0, over: profile) } ?? profile
            }
            var batch = CacheContent(members: members)
            outcome.duplicates += batch.dropDuplicateIDs()
            if !members.isEmpty { outcome.members.add(try store.importContent(batch).members) }
            tally.update {
                $0.members += listed.count
                $0.requests = client.requests
                $0.waited = client.gate.waited
            }
            let meta = json["meta"] as? [String: Any]
            guard !items.isEmpty, meta?["load_more_directory_items"] is String else { return }
            page += 1
        }
    }
}

/// Progress told as it changes, one report at a time.
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ForumProgress()
    private let report: (@Sendable (ForumProgress) -> Void)?

    init(report: (@Sendable (ForumProgress) -> Void)?) { self.report = report }

    func update(_ change: (inout ForumProgress) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        change(&value)
        report?(value)
    }
}

/// `body` over `items` on `workers` threads of their own, results in order. Not the dispatch
/// pool: each body waits on the network, and with every pool thread waiting, a sync's first
/// fetches stalled a second or two until the pool grew (on 2 cores, 4 at once stalled every time).
enum Parallel {
    static func map<T, R>(_ items: [T], workers: Int, _ body: @escaping @Sendable (T) -> R) -> [R] {
        guard items.count > 1, workers > 1 else { return items.map(body) }
        let results = Box<R>(count: items.count)
        let done = DispatchSemaphore(value: 0)
        let threads = min(workers, items.count)
        let shared = UncheckedSendable(items)
        for _ in 0..<threads {
            let thread = Thread {
                while let index = results.take() { results.set(index, body(shared.value[index])) }
                done.signal()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        for _ in 0..<threads { done.wait() }
        return results.all
    }

    private final class Box<R>: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var values: [R?]

        init(count: Int) { values = Array(repeating: nil, count: count) }

        func take() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < values.count else { return nil }
            next += 1
            return next - 1
        }

        func set(_ index: Int, _ value: R) {
            lock.lock()
            values[index] = value
            lock.unlock()
        }

        var all: [R] { values.map { $0! } }
    }
}

private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension ImportSummary.Counts {
    mutating func add(_ other: ImportSummary.Counts) {
        added += other.added
        updated += other.updated
        unchanged += other.unchanged
    }
}

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
            guard response.status == 200, let json = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else { continue }
            if let about = json["about"] as? [String: Any] { return .discourse(title: (about["title"] as? String).map(Sanitizer.line)) }
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
