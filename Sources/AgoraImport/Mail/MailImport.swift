import AgoraKit
import Foundation

/// A mailing list's messages as a community: each thread a post (its first message) with the
/// rest as its comments, nested as they answered each other; the senders as members, one per
/// person however many addresses and spellings they wrote with.
public enum MailImport {
    /// One message as the import keeps it.
    struct Letter {
        var id: String
        var message: MailMessage
        var date: Date?
        var subject: String
        var sender: MailAddress
        var order: Int
        /// The body as a post's or comment's HTML.
        var html: String
        var thread: MailThreads.Item
        /// What the person's mail program said of it: seen (read) and flagged (starred).
        var flags: Flags
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

    /// One message read whole: what threading, people and the post need of it. Nil for an
    /// entry with none of a message's headers (an export's empty record).
    static func letter(_ data: Data, order: Int, flags given: Flags? = nil) -> Letter? {
        let message = MailMessage.parse(data)
        guard ["from", "subject", "date", "message-id"].contains(where: { message.header($0) != nil }) else { return nil }
        let subject = Substring(Sanitizer.line(message.header("subject") ?? "")).split(whereSeparator: { $0 == " " || $0 == "\t" })
            .joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: " '"))
        let date = (message.header("date")).flatMap(MailDate.parse)
        let id = messageID(message.header("message-id")) ?? synthesizedID(message, subject: subject)
        let (key, isReply) = MailThreads.subjectKey(subject)
        let body = html(message)
        // Only the headers are needed from here on: the body is in `html`.
        // (of the headers, only what names the list).
        var headers = MailMessage(headers: message.headers.filter { ["list-id", "sender", "subject"].contains($0.name) }, body: "")
        headers.bodyIsHTML = message.bodyIsHTML
        return Letter(id: id, message: headers, date: date, subject: subject, sender: sender(of: message), order: order, html: body,
                      thread: MailThreads.Item(id: id, parents: parents(of: message), subjectKey: key, isReply: isReply),
                      flags: given ?? Flags(message))
    }

    /// Content from the messages of one list (several files of one list are one call).
    /// `flags`, one per message when given (a Maildir's), else each message's own headers say.
    public static func content(_ messages: [Data], flags: [Flags]? = nil, location: String, listName: String? = nil) -> CacheContent {
        content(read(messages, flags: flags), location: location, listName: listName)
    }

    /// The same, asking `port` for the threads that messages imported before began: a reply
    /// in April to a thread of March goes on that thread.
    public static func content(_ messages: [Data], flags: [Flags]? = nil, location: String, port: any ImportPort) throws -> CacheContent {
        try content(read(messages, flags: flags), location: location, port: port)
    }

    /// The same from letters already read (the messages' bytes can go first).
    static func content(_ letters: [Letter], location: String, port: any ImportPort) throws -> CacheContent {
        let source = sourceID(location)
        let here = Set(letters.map(\.id))
        let asked = Set(letters.flatMap(\.thread.parents)).subtracting(here).map { Source.IDRule.mailingList.replyID(key: $0, in: source).rawValue }
        return content(letters, location: location, listName: nil, holders: try port.holders(of: asked.sorted()))
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
        let read = Parallel.map(chunks, workers: ProcessInfo.processInfo.activeProcessorCount) { start, chunk in
            chunk.enumerated().compactMap { offset, data in letter(data, order: orderBase + start + offset, flags: given?.value[start + offset]) }
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

    /// The list's content from its letters; `holders`: the messages this import answers that the
    /// cache has, by their full ids.
    static func content(_ letters: [Letter], location: String, listName: String?, holders: [String: Holder] = [:]) -> CacheContent {
        let name = listName ?? Self.listName(letters.map(\.message)) ?? (location as NSString).lastPathComponent
        let source = Source(id: sourceID(location), kind: .mailingList, name: name, location: location)
        let people = MailPeople(letters.map(\.sender))
        var content = CacheContent(sources: [source])
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
            }
            for reply in thread.replies {
                let letter = letters[reply.index]
                content.comments.append(Comment(
                    id: rules.replyID(key: letter.id, in: source.id), post: postID,
                    parent: reply.parent.map { rules.replyID(key: letters[$0].id, in: source.id) }
                        ?? heldParent(of: letter, in: postID, holders: holders, source: source.id),
                    author: people.memberID(of: letter.sender, source: source.id), authorName: people.name(of: letter.sender),
                    published: letter.date, body: letter.html))
                if letter.flags.seen { content.commentStates[rules.replyID(key: letter.id, in: source.id)] = CommentState(read: true) }
                // A reply flagged is its thread flagged.
                if letter.flags.flagged { content.postStates[postID, default: PostState()].starred = true }
            }
        }
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
             published: letter.date, body: letter.html)
    }

    /// `<id@host>` as `id@host`; LISTSERV writes it without brackets.
    static func messageID(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let trimmed = raw.trimmingCharacters(in: CharacterSet(charactersIn: " <>\t"))
        guard !trimmed.isEmpty, !trimmed.contains(where: \.isWhitespace) else { return nil }
        return trimmed
    }

    /// References, oldest first, then In-Reply-To (bracketed ids, or bare ones).
    static func parents(of message: MailMessage) -> [String] {
        func ids(_ text: String?) -> [String] {
            guard let text, !text.isEmpty else { return [] }
            if text.contains("<") {
                return text.split(separator: "<").compactMap { piece in
                    piece.split(separator: ">").first.map { String($0).trimmed }.flatMap { $0.isEmpty || $0.contains(" ") ? nil : $0 }
                }
            }
            return text.split(whereSeparator: \.isWhitespace).map(String.init).filter { $0.contains("@") }
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

    /// The list's name: its List-Id's phrase, else the `[Name]` its subjects begin with.
    static func listName(_ messages: [MailMessage]) -> String? {
        for message in messages.prefix(50) {
            if let id = message.header("list-id"), let phrase = MailAddress.parse(id).name, !phrase.contains("@") { return phrase }
        }
        // LISTSERV names the list as every message's sender.
        let senders = Set(messages.prefix(50).compactMap { $0.header("sender").flatMap { MailAddress.parse($0).name } })
        if senders.count == 1, let sender = senders.first, !sender.isEmpty { return sender }
        for message in messages.prefix(50) {
            if let subject = message.header("subject"), let open = subject.firstIndex(of: "["), let close = subject[open...].firstIndex(of: "]") {
                let name = String(subject[subject.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
                if !name.isEmpty { return Sanitizer.line(name) }
            }
        }
        return nil
    }

    /// Writes a list's content a few thousand records at a time, in one transaction: the
    /// sources and members first, then the posts, then the comments (each post written before
    /// its replies), then the read and starred state; the cache's checks and copies are made
    /// a batch at a time, not for the whole archive at once.
    static func write(_ content: CacheContent, to port: any ImportPort, batch: Int = 4_000) throws -> ImportSummary {
        try port.importBatches { write in
            try write(CacheContent(community: content.community, sources: content.sources, members: content.members))
            for start in stride(from: 0, to: content.posts.count, by: batch) {
                try write(CacheContent(posts: Array(content.posts[start..<min(content.posts.count, start + batch)])))
            }
            for start in stride(from: 0, to: content.comments.count, by: batch) {
                try write(CacheContent(comments: Array(content.comments[start..<min(content.comments.count, start + batch)])))
            }
            var state = CacheContent()
            state.postStates = content.postStates
            state.commentStates = content.commentStates
            try write(state)
        }
    }
}
