import AgoraKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Mirrors one Discourse forum into the cache, politely and incrementally (docs/discourse.md):
/// the latest list back to where the last sync got, each changed topic and only the posts the
/// cache lacks, the member directory once a day and the profile of each member not seen before.
public struct ForumSync: Sendable {
    public var fetcher: Fetcher
    public var pacing: Pacing
    public var now: @Sendable () -> Date
    public var progress: (@Sendable (ForumProgress) -> Void)?
    /// The most topics written to the cache together; what was read is written sooner when
    /// `batchSeconds` have passed or `batchBytes` are held.
    public var batch = 400
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
                  response.status == 200, let json = try? JSONValue(parsing: response.body), json.isObject else { continue }
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

    public func sync(_ source: Source, into store: any ImportPort) throws -> ForumOutcome {
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
        /// The sync stopped part way: how far it got goes with the error, for the source to keep.
        func stopped(_ error: any Error) -> Interrupted {
            outcome.waited = client.gate.waited
            outcome.requests = client.requests
            outcome.source.forum = forum
            return Interrupted(outcome: outcome, reason: error)
        }

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
            do {
                try readDirectory(client: client, store: store, site: site, outcome: &outcome, tally: tally)
                forum.directoryRead = now()
            } catch let error as Fetcher.DeadlineReached {
                // The pages read are written; the rest of the members come with their posts. The
                // next sync goes on to the topics instead of starting the directory again.
                forum.directoryRead = now()
                throw stopped(error)
            }
        }

        // The latest list, back to where the last sync got.
        var unfinished = forum.unfinished ?? []
        let first = forum.syncedThrough == nil
        var chosen: [Discourse.Listed] = []
        var newest = forum.syncedThrough
        var page = 0
        var askedAgain = false
        var listedIDs = Set<Int>()
        func listLatest() throws {
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
        }
        do {
            try listLatest()
        } catch let error as Fetcher.DeadlineReached {
            // Stopped while listing: the categories and the directory's time read so far are kept.
            throw stopped(error)
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
            return stopped(error)
        }
        // The authors this sync has asked the cache about (and written, when it lacked them): a
        // forum's regulars are in most batches, and are asked about once.
        var seenAuthors = Set<Member.ID>()
        while start < chosen.count {
            // Up to `batch` topics, read a few at a time (as many as are asked at once), until the
            // batch holds `batchBytes` or has been read for `batchSeconds` (the pacing's clock):
            // a paced sync writes every few topics, as the reader should show them; one not paced
            // writes hundreds at once, paying a write's fixed cost a few times, not hundreds.
            var slice: [Discourse.Listed] = []
            var read: [Result<(topic: Discourse.Topic, complete: Bool)?, Error>] = []
            var held = 0
            let began = pacing.clock()
            // A topic the cache lacks has no replies there to thread to: not asked for them.
            let cached = Set(try store.holders(of: chosen[start..<min(chosen.count, start + batch)].map { site.topicID($0.id).rawValue }).keys)
            while start < chosen.count, slice.count < batch, held < Self.batchBytes, slice.isEmpty || pacing.clock() - began < Self.batchSeconds {
                let step = Array(chosen[start..<min(chosen.count, start + max(1, pacing.concurrency), start + batch - slice.count)])
                start += step.count
                let results = Parallel.map(step, workers: pacing.concurrency) { listed -> Result<(topic: Discourse.Topic, complete: Bool)?, Error> in
                    Result { try readTopic(listed.id, inCache: cached.contains(site.topicID(listed.id).rawValue), client: client, store: store,
                                           site: site, categories: categoryNames) }
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
                    outcome.failedTopics.append("topic \(listed.id): " + AgoraError.words(for: error))
                    prefixBroken = true
                }
            }
            // What was read is written, even when the sync stops here.
            let fresh = authors.values.filter { !seenAuthors.contains($0.id) }
            do {
                content.members = try newMembers(fresh, client: client, store: store, site: site, outcome: &outcome)
            } catch let error as Fetcher.DeadlineReached {
                content.members = fresh
                stop = stop ?? error
            }
            outcome.duplicates += content.dropDuplicateIDs()
            let summary = try store.importContent(content)
            seenAuthors.formUnion(fresh.map(\.id))
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
    /// A batch of topics is written once it has been read for this long, whatever its count.
    static let batchSeconds: TimeInterval = 2

    /// One topic: its page, and the posts after the first twenty that the cache lacks, as many
    /// as one sync reads of a topic (`complete` says whether that was all).
    private func readTopic(_ id: Int, inCache: Bool, client: ForumClient, store: any ImportPort, site: Discourse.Site,
                           categories: [Int: String]) throws -> (topic: Discourse.Topic, complete: Bool)? {
        guard let (json, pageBytes) = try client.sizedObject("/t/\(id).json") else { return nil }
        var bytes = pageBytes
        let stream = (json["post_stream"]?["stream"]?.array ?? []).compactMap(\.int)
        let loaded = Set((json["post_stream"]?["posts"]?.array ?? []).compactMap { $0["id"]?.int })
        var known: [Int: Comment.ID] = [:]
        let links = inCache ? try store.knownReplies(of: site.topicID(id)) : [:]
        let cached = Set(links.keys)
        for (comment, link) in links {
            if let link, let number = link.split(separator: "/").last.flatMap({ Int($0) }) { known[number] = comment }
        }
        let missing = stream.filter { !loaded.contains($0) && !cached.contains(site.postID($0)) }
        var more: [JSONValue] = []
        var index = 0
        var requests = 0
        // As many as one sync reads of a topic: a number of requests and a number of bytes.
        while index < missing.count, requests < Self.postRequestsPerTopic, bytes < Self.topicBytes {
            requests += 1
            let ids = missing[index..<min(missing.count, index + Self.postsPerRequest)]
            index += ids.count
            let query = ids.map { "post_ids[]=\($0)" }.joined(separator: "&")
            if let (page, size) = try client.sizedObject("/t/\(id)/posts.json?\(query)") {
                more += page["post_stream"]?["posts"]?.array ?? []
                bytes += size
            }
        }
        guard let topic = Discourse.topic(json, site: site, categories: categories, morePosts: more, knownNumbers: known) else { return nil }
        return (topic, index >= missing.count)
    }

    /// Authors not in the cache yet, each from their profile when it can be read.
    /// A failed profile is counted (`profilesFailed`) and the member kept as the list gave them.
    private func newMembers(_ authors: [Member], client: ForumClient, store: any ImportPort, site: Discourse.Site,
                            outcome: inout ForumOutcome) throws -> [Member] {
        let known = try store.knownMembers(authors.map(\.id))
        let unknown = authors.filter { !known.contains($0.id) }
        let profiles = Parallel.map(unknown, workers: pacing.concurrency) { author -> (Member, read: Bool) in
            let username = site.username(of: author.id)
            guard let path = Self.profilePath(username: username),
                  let json = try? client.object(path), let member = Discourse.member(json, site: site) else { return (author, false) }
            return (MergeRule.member(member, over: author), true)
        }
        outcome.profilesFailed += profiles.filter { !$0.read }.count
        return profiles.map(\.0)
    }

    /// The member directory, page by page; members the cache lacks are read from their profile.
    private func readDirectory(client: ForumClient, store: any ImportPort, site: Discourse.Site,
                               outcome: inout ForumOutcome, tally: Tally) throws {
        var page = 0
        var seen = Set<Member.ID>()
        var lastPage = Self.directoryPages
        while page < lastPage {
            guard let json = try client.object("/directory_items.json?period=all&order=post_count&page=\(page)") else { return }
            let items = json["directory_items"]?.array ?? []
            let listed = items.compactMap { Discourse.member($0, site: site) }
            // A page with no one this sync has not seen ends it (a directory that answers every
            // page alike), and no more pages are asked than the directory says it has.
            let fresh = listed.filter { seen.insert($0.id).inserted }
            guard !fresh.isEmpty else { return }
            if let total = json["meta"]?["total_rows_directory_items"]?.int, !items.isEmpty {
                lastPage = min(lastPage, total / items.count + 2)
            }
            // Members the cache has are written as the directory gives them (the cache keeps what
            // the row does not say); the others are read from their profile first.
            let known = try store.knownMembers(listed.map(\.id))
            var members = listed.filter { known.contains($0.id) }
            let unknown = listed.filter { !known.contains($0.id) }
            members += try newMembers(unknown, client: client, store: store, site: site, outcome: &outcome).map { profile in
                unknown.first { $0.id == profile.id }.map { MergeRule.member($0, over: profile) } ?? profile
            }
            var batch = CacheContent(members: members)
            outcome.duplicates += batch.dropDuplicateIDs()
            if !members.isEmpty { outcome.members.add(try store.importContent(batch).members) }
            tally.update {
                $0.members += listed.count
                $0.requests = client.requests
                $0.waited = client.gate.waited
            }
            guard !items.isEmpty, json["meta"]?["load_more_directory_items"]?.string != nil else { return }
            page += 1
        }
    }
}
