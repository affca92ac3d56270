import AgoraKit
import Foundation

/// A public-inbox archive (`https://host/LIST/`, as lore.kernel.org serves lists): its page
/// links its newest messages as Atom (`new.atom`), and each message is at `MESSAGE-ID/raw`. A
/// sync reads the feed (with its validators: a 304 costs nothing) and fetches only the messages
/// the cache does not have. public-inbox gives a list's whole history only as git, not over
/// plain HTTP: a list is followed from when it is added, and its past comes by importing an mbox.
enum PublicInbox {
    /// Whether an index page is a public-inbox archive's: it links `new.atom` and says what it is.
    static func isArchive(_ html: String) -> Bool {
        html.contains("public-inbox") && Pipermail.hrefs(html).contains { $0 == "new.atom" || $0.hasSuffix("/new.atom") }
    }

    /// The feed's messages, oldest first: where each one's raw text is, and its Message-ID
    /// (the last part of its address).
    static func messages(in feed: Feed, base: URL) -> [(id: String, raw: String)] {
        feed.entries.reversed().compactMap { entry in
            guard let link = entry.link, let url = URL(string: link, relativeTo: base)?.absoluteURL,
                  SourcePolicy.isWeb(url.absoluteString) else { return nil }
            let path = url.absoluteString.hasSuffix("/") ? url.absoluteString : url.absoluteString + "/"
            guard let last = path.dropLast().split(separator: "/").last,
                  let id = String(last).removingPercentEncoding, id.contains("@"), !id.contains(where: \.isWhitespace) else { return nil }
            return (id, path + "raw")
        }
    }
}

extension Sync {
    /// A public-inbox list: its `new.atom` read again with its validators, and each message in
    /// it the cache lacks fetched (two at a time at the sync's pace), oldest first.
    func syncPublicInbox(_ source: Source, index: String, base: URL, state: inout Source.ListArchive, fetch: @escaping @Sendable (String, Source.ListArchive.Month?) throws -> Fetcher.Outcome,
                         _ report: inout SyncReport, into store: any ImportPort) throws {
        var progress = ListProgress(requests: 2)
        let feedName = "new.atom"
        guard case .fetched(let data, let etag, let lastModified) = try fetch(index + feedName, state.months[feedName]) else {
            report.requests = progress.requests
            return
        }
        let feed = try FeedParser.parse(data, path: index + feedName)
        let listed = PublicInbox.messages(in: feed, base: base)
        let rules = Source.IDRule.mailingList
        let sourceKey = MailImport.sourceID(index)
        let held = try store.holders(of: listed.map { rules.replyID(key: $0.id, in: sourceKey).rawValue })
        let wanted = listed.filter { held[rules.replyID(key: $0.id, in: sourceKey).rawValue] == nil }
        progress.monthsToRead = 0
        listProgress?(source, progress)
        var messages: [Data] = []
        try inOrder(wanted.map(\.raw), fetch: { try fetch($0, nil) }) { _, fetched in
            progress.requests += 1
            if case .fetched(let message, _, _) = fetched { messages.append(message) }
            progress.messages = messages.count
            listProgress?(source, progress)
        }
        if !messages.isEmpty, try writeList(messages, index: index, source: source, into: store, &report) > 0 {
            report.status = .updated
        }
        state.months[feedName] = Source.ListArchive.Month(etag: etag, lastModified: lastModified, complete: false)
        report.requests = progress.requests
    }
}
