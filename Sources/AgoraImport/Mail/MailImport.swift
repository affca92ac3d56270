import AgoraKit
import Foundation

/// A mailing list's messages as a community: each thread a post (its first message) with the
/// rest as its comments, nested as they answered each other; the senders as members, one per
/// person however many addresses and spellings they wrote with.
public enum MailImport {
    /// One message as the import keeps it: what threading, people and the post need (its
    /// headers), and where its bytes are, to be read again for its body when its turn to be
    /// written comes (a 245 MiB archive's bodies are never held at once).
    struct Letter {
        var id: String
        /// Only the headers that name the list.
        var message: MailMessage
        var date: Date?
        var subject: String
        var sender: MailAddress
        var order: Int
        var thread: MailThreads.Item
        /// What the person's mail program said of it: seen (read) and flagged (starred).
        var flags: Flags
        var bytes: MailBytes
    }

    /// A message's flags as a mail program keeps them: Maildir's name (`:2,FS`) or an mbox's
    /// `Status:` (R, read) and `X-Status:` (F, flagged).
    public struct Flags: Sendable, Equatable {
        public var seen = false
        public var flagged = false

        public init(seen: Bool = false, flagged: Bool = false) {
            self.seen = seen
            self.flagged = flagged
        }

        /// From a Maildir file's name: the letters after `:2,`.
        public init(maildirName name: String) {
            guard let info = name.range(of: ":2,", options: .backwards) else { return }
            let letters = name[info.upperBound...]
            seen = letters.contains("S")
            flagged = letters.contains("F")
        }

        /// From an mbox message's Status and X-Status headers.
        init(_ message: MailMessage) {
            seen = (message.header("status") ?? "").contains("R")
            flagged = (message.header("x-status") ?? "").contains("F")
        }
    }

    /// One message's headers read: what threading, people and the post need of it. Nil for an
    /// entry with none of a message's headers (an export's empty record). `bytes`: where the
    /// message is to be read again for its body (by default, `data` itself).
    /// `copies` keeps one copy of the values that repeat from one letter to the next.
    static func letter(_ data: Data, order: Int, flags given: Flags? = nil, bytes: MailBytes? = nil, copies: OneCopy = OneCopy()) -> Letter? {
        let message = MailMessage.headersOnly(data)
        guard message.headers.contains(where: { ["from", "subject", "date", "message-id"].contains($0.name) }) else { return nil }
        let subject = Substring(Sanitizer.line(message.header("subject") ?? "")).collapsedSpaces.quotesTrimmed
        let date = (message.header("date")).flatMap(MailDate.parse)
        let id = messageID(message.header("message-id")) ?? synthesizedID(message, subject: subject)
        let (key, isReply) = MailThreads.subjectKey(subject)
        // Of the headers, only what names the list is kept (the subject is the letter's own), each
        // value once for all the letters that carry it: a list's messages share one List-Id.
        let kept = MailMessage(headers: message.headers.filter { $0.name == "list-id" || $0.name == "sender" }
            .map { (name: $0.name, value: copies.once($0.value)) }, body: "")
        var from = sender(of: message)
        (from.name, from.address) = (from.name.map(copies.once), from.address.map(copies.once))
        return Letter(id: id, message: kept, date: date, subject: subject, sender: from, order: order,
                      thread: MailThreads.Item(id: id, parents: parents(of: message), subjectKey: key, isReply: isReply),
                      flags: given ?? Flags(message), bytes: bytes ?? .held(data))
    }

    /// A message's body as a post's or comment's HTML, from its bytes.
    static func body(_ data: Data) -> String { html(MailMessage.parse(data, headers: false)) }

    /// Content from the messages of one list (several files of one list are one call).
    /// `flags`, one per message when given (a Maildir's), else each message's own headers say.
    public static func content(_ messages: [Data], flags: [Flags]? = nil, location: String, listName: String? = nil) -> CacheContent {
        // Held messages are read from memory: nothing can fail.
        (try? filled(plan(read(messages, flags: flags), location: location, listName: listName), files: MailFiles([]))) ?? CacheContent()
    }

    /// The same, asking `port` for the threads that messages imported before began: a reply
    /// in April to a thread of March goes on that thread.
    public static func content(_ messages: [Data], flags: [Flags]? = nil, location: String, port: any ImportPort) throws -> CacheContent {
        try filled(plan(read(messages, flags: flags), location: location, port: port), files: MailFiles([]))
    }

    /// The plan from letters already read, asking `port` for the messages they answer that an
    /// import before brought.
    static func plan(_ letters: [Letter], location: String, port: any ImportPort) throws -> Plan {
        let source = sourceID(location)
        let here = Set(letters.map(\.id))
        let asked = Set(letters.flatMap(\.thread.parents)).subtracting(here).map { Source.IDRule.mailingList.replyID(key: $0, in: source).rawValue }
        // A person the cache knows keeps their member, whichever address they wrote from most this time.
        var people = MailPeople(letters.map(\.sender))
        let candidates = people.addresses.map { Source.IDRule.mailingList.memberID($0, in: source) }
        people.prefer(known: try port.knownMembers(candidates.sorted { $0.rawValue < $1.rawValue }), source: source)
        return plan(letters, location: location, listName: nil, holders: try port.holders(of: asked.sorted()), people: people)
    }

    static func sourceID(_ location: String) -> Source.ID { Source.IDRule.mailingList.sourceID(key: Source.key(forLocation: location)) }

    /// Each message read on its own, on every core, a few hundred at a time; the same message
    /// archived twice (a cross-post, two months that overlap) is one; oldest first.
    static func read(_ messages: [Data], flags: [Flags]?) -> [Letter] {
        ordered(letters(messages, flags: flags, orderBase: 0))
    }

    /// Each message read on its own, on every core; `orderBase` numbers them after the ones
    /// read before (an archive read a piece at a time).
    static func letters(_ messages: [Data], flags: [Flags]?, orderBase: Int) -> [Letter] {
        let batch = 256
        let chunks = stride(from: 0, to: messages.count, by: batch).map { start in
            (start, Array(messages[start..<min(messages.count, start + batch)]))
        }
        let given = flags.map { UncheckedSendable($0) }
        let copies = OneCopy()
        let read = Concurrently.map(chunks, minimum: 2, chunk: 1) { start, chunk in
            chunk.enumerated().compactMap { offset, data in
                letter(data, order: orderBase + start + offset, flags: given?.value[start + offset], copies: copies)
            }
        }
        return Array(read.joined())
    }

    /// The headers of messages located in a piece of an mbox that begins at `offset` in `file`,
    /// each remembered by where it is in the file.
    static func letters(_ located: [Mbox.Located], in piece: Data, file: Int, offset: Int, orderBase: Int) -> [Letter] {
        let batch = 256
        let chunks = stride(from: 0, to: located.count, by: batch).map { start in (start, Array(located[start..<min(located.count, start + batch)])) }
        let shared = UncheckedSendable(piece)
        let copies = OneCopy()
        let read = Concurrently.map(chunks, minimum: 2, chunk: 1) { start, chunk in
            let base = shared.value.startIndex
            return chunk.enumerated().compactMap { index, place in
                // The headers come before any `>From ` line: read from the piece as it is.
                letter(shared.value[(base + place.start)..<(base + place.end)], order: orderBase + start + index,
                       bytes: .inFile(file: file, offset: offset + place.start, count: place.end - place.start, quoted: place.quoted),
                       copies: copies)
            }
        }
        return Array(read.joined())
    }

    /// The same message archived twice (a cross-post, two months that overlap) is one; oldest first.
    static func ordered(_ read: [Letter]) -> [Letter] {
        var letters: [Letter] = []
        letters.reserveCapacity(read.count)
        var seen = Set<String>()
        // The same message archived twice (a cross-post, two months that overlap) is one.
        for letter in read where seen.insert(letter.id).inserted { letters.append(letter) }
        letters.sort { ($0.date ?? .distantPast, $0.order) < ($1.date ?? .distantPast, $1.order) }
        return letters
    }

    /// The list's content from its letters, each post's and comment's body still to be read
    /// (`Plan`); `holders`: the messages this import answers that the cache has, by their full ids.
    static func plan(_ letters: [Letter], location: String, listName: String?, holders: [String: Holder] = [:], people known: MailPeople? = nil) -> Plan {
        let name = listName ?? Self.listName(letters.prefix(listNameReads).map { letter in
            MailMessage(headers: letter.message.headers + [(name: "subject", value: letter.subject)], body: "")
        }) ?? (location as NSString).lastPathComponent
        let source = Source(id: sourceID(location), kind: .mailingList, name: name, location: location)
        let people = known ?? MailPeople(letters.map(\.sender))
        var content = CacheContent(sources: [source])
        var postLetters: [Int?] = []
        var commentLetters: [Int] = []
        content.members = people.members(source: source.id)
        let items = letters.map(\.thread)
        let rules = Source.IDRule.mailingList
        let prefix = "[" + name + "]"
        /// A title without the list's own `[Name]` (every subject has it).
        func title(_ subject: String) -> String {
            var text = Substring(subject)
            if let range = text.range(of: prefix, options: .caseInsensitive) { text.removeSubrange(range) }
            let trimmed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            return trimmed.isEmpty ? "(no subject)" : trimmed
        }
        for thread in MailThreads.thread(items) {
            let first = thread.root.map { letters[$0] }
            var postID = rules.topicID(key: thread.rootID, in: source.id)
            // A thread whose first message is not here may go on one the cache has.
            let candidates = first == nil ? [thread.rootID] + thread.replies.flatMap { letters[$0.index].thread.parents } : []
            let held = candidates.lazy.compactMap { holders[rules.replyID(key: $0, in: source.id).rawValue] }.first
            if let held {
                postID = held.post
            } else if let first {
                var made = post(first, id: postID, source: source.id, people: people)
                made.title = title(first.subject)
                content.posts.append(made)
                postLetters.append(thread.root)
                if first.flags.seen || first.flags.flagged {
                    content.postStates[postID] = PostState(read: first.flags.seen, starred: first.flags.flagged)
                }
            } else {
                // The message this thread answers is not in the archive: a place for it.
                let earliest = letters[thread.replies[0].index]
                var subject = title(earliest.subject)
                while let colon = subject.firstIndex(of: ":"), MailThreads.subjectKey(String(subject[...colon])).isReply {
                    subject = String(subject[subject.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                }
                content.posts.append(Post(id: postID, source: source.id, kind: .discussion, title: subject.isEmpty ? "(no subject)" : subject,
                                          published: earliest.date, body: "<p>(The message that began this thread is not in the archive.)</p>"))
                postLetters.append(nil)
            }
            for reply in thread.replies {
                let letter = letters[reply.index]
                content.comments.append(Comment(
                    id: rules.replyID(key: letter.id, in: source.id), post: postID,
                    parent: reply.parent.map { rules.replyID(key: letters[$0].id, in: source.id) }
                        ?? heldParent(of: letter, in: postID, holders: holders, source: source.id),
                    author: people.memberID(of: letter.sender, source: source.id), authorName: people.name(of: letter.sender),
                    published: letter.date, body: ""))
                commentLetters.append(reply.index)
                if letter.flags.seen { content.commentStates[rules.replyID(key: letter.id, in: source.id)] = CommentState(read: true) }
                // A reply flagged is its thread flagged.
                if letter.flags.flagged { content.postStates[postID, default: PostState()].starred = true }
            }
        }
        // Of the letters, only where their bodies are is needed from here on.
        return Plan(content: content, bytes: letters.map(\.bytes), postLetters: postLetters, commentLetters: commentLetters)
    }

    /// A list's content with the bodies still where they are: which letter each post (nil for a
    /// thread's placeholder, whose body is made) and each comment is read from.
    struct Plan {
        var content: CacheContent
        /// Where each letter's bytes are.
        var bytes: [MailBytes]
        var postLetters: [Int?]
        var commentLetters: [Int]
    }

    /// The bodies of some letters, read again and made into HTML on every core.
    static func bodies(_ indices: [Int], of letters: [MailBytes], files: MailFiles) throws -> [String] {
        let chunk = 64
        let chunks = stride(from: 0, to: indices.count, by: chunk).map { Array(indices[$0..<min(indices.count, $0 + chunk)]) }
        let shared = UncheckedSendable(letters)
        let made = Concurrently.map(chunks, minimum: 2, chunk: 1) { chunk -> Result<[String], Error> in
            Result { try chunk.map { body(try files.read(shared.value[$0])) } }
        }
        return try made.flatMap { try $0.get() }
    }

    /// The plan's posts from `range` with their bodies.
    static func posts(_ plan: Plan, _ range: Range<Int>, files: MailFiles) throws -> [Post] {
        var posts = Array(plan.content.posts[range])
        let from = range.filter { plan.postLetters[$0] != nil }
        let made = try bodies(from.map { plan.postLetters[$0]! }, of: plan.bytes, files: files)
        for (offset, index) in from.enumerated() { posts[index - range.lowerBound].body = made[offset] }
        return posts
    }

    /// The plan's comments from `range` with their bodies.
    static func comments(_ plan: Plan, _ range: Range<Int>, files: MailFiles) throws -> [Comment] {
        var comments = Array(plan.content.comments[range])
        let made = try bodies(Array(plan.commentLetters[range]), of: plan.bytes, files: files)
        for offset in comments.indices { comments[offset].body = made[offset] }
        return comments
    }

    /// The whole content with every body (a month, a test's messages: small enough to hold).
    static func filled(_ plan: Plan, files: MailFiles) throws -> CacheContent {
        var content = plan.content
        content.posts = try posts(plan, 0..<content.posts.count, files: files)
        content.comments = try comments(plan, 0..<content.comments.count, files: files)
        return content
    }

    /// A reply's parent among the comments the cache has on the thread it goes on.
    static func heldParent(of letter: Letter, in post: Post.ID, holders: [String: Holder], source: Source.ID) -> Comment.ID? {
        guard let parent = letter.thread.parents.last else { return nil }
        let id = Source.IDRule.mailingList.replyID(key: parent, in: source)
        guard let held = holders[id.rawValue], held.isComment, held.post == post else { return nil }
        return id
    }

    static func post(_ letter: Letter, id: Post.ID, source: Source.ID, people: MailPeople) -> Post {
        Post(id: id, source: source, kind: .discussion, title: letter.subject.isEmpty ? "(no subject)" : letter.subject,
             author: people.memberID(of: letter.sender, source: source), authorName: people.name(of: letter.sender),
             published: letter.date, body: "")
    }

    /// `<id@host>` as `id@host`; LISTSERV writes it without brackets.
    static func messageID(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let edge: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x3C || $0 == 0x3E || $0 == 0x09 }
        guard let first = raw.utf8.firstIndex(where: { !edge($0) }), let last = raw.utf8.lastIndex(where: { !edge($0) }) else { return nil }
        let trimmed = raw[first...last]
        guard !trimmed.utf8.contains(where: { $0 <= 0x20 }), trimmed.utf8.allSatisfy({ $0 < 0x80 }) || !trimmed.contains(where: \.isWhitespace) else { return nil }
        return String(trimmed)
    }

    /// References, oldest first, then In-Reply-To (bracketed ids, or bare ones).
    static func parents(of message: MailMessage) -> [String] {
        func ids(_ text: String?) -> [String] {
            guard let text, !text.isEmpty else { return [] }
            let utf8 = text.utf8
            if utf8.contains(0x3C) {
                // What is between each `<` and the `>` after it (or the next `<`); text outside them is not an id.
                var out: [String] = []
                var index = utf8.firstIndex(of: 0x3C)
                while let open = index {
                    let start = utf8.index(after: open)
                    let stop = utf8[start...].firstIndex { $0 == 0x3E || $0 == 0x3C } ?? utf8.endIndex
                    let id = Substring(text[start..<stop]).spacesTrimmed
                    if !id.isEmpty, !id.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 }) { out.append(id) }
                    index = utf8[stop...].firstIndex(of: 0x3C)
                }
                return out
            }
            return utf8.split { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }.map { String(Substring($0)) }.filter { $0.utf8.contains(0x40) }
        }
        var out = ids(message.header("references"))
        if let reply = ids(message.header("in-reply-to")).first, out.last != reply { out.append(reply) }
        return out
    }

    /// A message with no Message-ID gets one from what it says: the same on every import.
    static func synthesizedID(_ message: MailMessage, subject: String) -> String {
        let text = (message.header("from") ?? "") + "|" + (message.header("date") ?? "") + "|" + subject
        return "agora-" + String(FeedImport.stableHash(text), radix: 16) + "@mail"
    }

    /// Who wrote it: the From, or, for a list that rewrote it ("NAME via LIST"), the address in
    /// X-Original-From or Reply-To with the name from From.
    static func sender(of message: MailMessage) -> MailAddress {
        var from = MailAddress.parse(message.header("from") ?? "")
        if from.viaList {
            let real = [message.header("x-original-from"), message.header("reply-to")].compactMap { $0.map(MailAddress.parse) }.first { $0.address != nil }
            if let real { from.address = real.address }
        }
        return from
    }

    /// How many of the oldest messages `listName` looks at.
    static let listNameReads = 50

    /// The list's name: its List-Id's phrase, else the `[Name]` its subjects begin with.
    static func listName(_ messages: [MailMessage]) -> String? {
        for message in messages.prefix(listNameReads) {
            if let id = message.header("list-id"), let phrase = MailAddress.parse(id).name, !phrase.contains("@") { return phrase }
        }
        // LISTSERV names the list as every message's sender.
        let senders = Set(messages.prefix(listNameReads).compactMap { $0.header("sender").flatMap { MailAddress.parse($0).name } })
        if senders.count == 1, let sender = senders.first, !sender.isEmpty { return sender }
        for message in messages.prefix(listNameReads) {
            if let subject = message.header("subject"), let open = subject.firstIndex(of: "["), let close = subject[open...].firstIndex(of: "]") {
                let name = String(subject[subject.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
                if !name.isEmpty { return Sanitizer.line(name) }
            }
        }
        return nil
    }

    /// Writes a list's content a few thousand records at a time, in one transaction: the
    /// sources and members first, then the posts, then the comments (each post written before
    /// its replies), then the read and starred state. Each batch's bodies are read from the
    /// archive and made while the cache writes the batch before, so the archive's bodies are
    /// never all held at once.
    static func write(_ plan: Plan, files: MailFiles, to port: any ImportPort, batch: Int = 2_000) throws -> ImportSummary {
        let content = plan.content
        let shared = UncheckedSendable(plan)
        // The batches in the order they are written (posts, then comments); each made while the
        // one before is written.
        let jobs = stride(from: 0, to: content.posts.count, by: batch).map { (true, $0..<min(content.posts.count, $0 + batch)) }
            + stride(from: 0, to: content.comments.count, by: batch).map { (false, $0..<min(content.comments.count, $0 + batch)) }
        func ahead(_ index: Int) -> Ahead<CacheContent>? {
            guard index < jobs.count else { return nil }
            let (isPosts, range) = jobs[index]
            return Ahead {
                isPosts ? CacheContent(posts: try posts(shared.value, range, files: files))
                    : CacheContent(comments: try comments(shared.value, range, files: files))
            }
        }
        return try port.importBatches { write in
            try write(CacheContent(community: content.community, sources: content.sources, members: content.members))
            var next = ahead(0)
            for index in jobs.indices {
                guard let made = next else { break }
                next = ahead(index + 1)
                do { try write(try made.value()) } catch {
                    // The batch being made is let finish before its plan goes.
                    _ = try? next?.value()
                    throw error
                }
            }
            var state = CacheContent()
            state.postStates = content.postStates
            state.commentStates = content.commentStates
            try write(state)
        }
    }
}
