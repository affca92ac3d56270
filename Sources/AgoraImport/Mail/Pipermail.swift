import AgoraKit
import Foundation

/// A Mailman list's web archive: Mailman 2's (`https://host/pipermail/LIST/`, an index page
/// linking each month's text, `2014-March.txt` or `.txt.gz`) or Mailman 3's HyperKitty
/// (`https://host/hyperkitty/list/LIST@HOST/`, a page linking its months, each exported as a
/// gzip'd mbox). A sync reads the months it has not read whole, and the newest again (it grows)
/// with its validators; nothing else.
public enum Pipermail {
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                             "November", "December"]

    /// A month of the archive: its name (`2014-March`) and where its text is.
    public struct Month: Equatable, Sendable {
        public var name: String
        public var url: String
        var order: Int
    }

    /// The months an index page links, oldest first: a pipermail index's month files, or a
    /// HyperKitty list page's months (`.../list/LIST@HOST/2024/3/`), each read through the
    /// list's export (`export/LIST@HOST-2024-03.mbox.gz?start=2024-03-01&end=2024-04-01`).
    public static func months(inIndex html: String, base: URL) -> [Month] {
        let files = pipermailMonths(html, base: base)
        return files.isEmpty ? hyperkittyMonths(html, base: base) : files
    }

    static func hyperkittyMonths(_ html: String, base: URL) -> [Month] {
        // The list's address is the path's last part: .../list/gov@lists.example.org/
        let parts = base.path.split(separator: "/")
        guard let listIndex = parts.lastIndex(of: "list"), listIndex + 1 < parts.count, parts[listIndex + 1].contains("@") else { return [] }
        let address = String(parts[listIndex + 1])
        let marker = "/list/" + address + "/"
        var found: [String: Month] = [:]
        for link in hrefs(html) {
            guard let at = link.range(of: marker) else { continue }
            let date = link[at.upperBound...].split(separator: "/")
            guard date.count == 2, let year = Int(date[0]), let month = Int(date[1]), (1...12).contains(month), (1970...9999).contains(year) else { continue }
            let name = String(format: "%04d-%02d", year, month)
            let next = month == 12 ? String(format: "%04d-01", year + 1) : String(format: "%04d-%02d", year, month + 1)
            let export = "export/\(address)-\(name).mbox.gz?start=\(name)-01&end=\(next)-01"
            guard let url = URL(string: export, relativeTo: base)?.absoluteURL.absoluteString, SourcePolicy.isWeb(url) else { continue }
            found[name] = Month(name: name, url: url, order: year * 12 + month - 1)
        }
        return found.values.sorted { $0.order < $1.order }
    }

    static func pipermailMonths(_ html: String, base: URL) -> [Month] {
        var found: [String: Month] = [:]
        for href in hrefs(html) {
            let link = String(href)
            let file = link.split(separator: "/").last.map(String.init) ?? link
            guard file.hasSuffix(".txt") || file.hasSuffix(".txt.gz") else { continue }
            let name = file.replacingOccurrences(of: ".txt.gz", with: "").replacingOccurrences(of: ".txt", with: "")
            let parts = name.split(separator: "-")
            guard parts.count == 2, let year = Int(parts[0]), let month = monthNames.firstIndex(of: String(parts[1])),
                  let url = URL(string: link, relativeTo: base)?.absoluteURL.absoluteString, SourcePolicy.isWeb(url) else { continue }
            // A month linked both ways is read as the plain text (the same messages).
            if let known = found[name], known.url.hasSuffix(".txt") { continue }
            found[name] = Month(name: name, url: url, order: year * 12 + month)
        }
        return found.values.sorted { $0.order < $1.order }
    }

    /// Every `href="..."` value of a page, in order.
    static func hrefs(_ html: String) -> [Substring] {
        var out: [Substring] = []
        var rest = Substring(html)
        while let href = rest.range(of: "href=\"") {
            rest = rest[href.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            out.append(rest[..<end])
            rest = rest[end...]
        }
        return out
    }

    /// The list's name from the index page's title ("The Gov Archives"), else its folder.
    static func title(_ html: String, base: URL) -> String {
        if let open = html.range(of: "<title>", options: .caseInsensitive), let close = html.range(of: "</title>", options: .caseInsensitive),
           open.upperBound < close.lowerBound {
            var title = Sanitizer.line(String(html[open.upperBound..<close.lowerBound])).trimmingCharacters(in: .whitespaces)
            if title.hasPrefix("The "), title.hasSuffix(" Archives") { title = String(title.dropFirst(4).dropLast(9)) }
            // HyperKitty's "Gov - lists.example.org": the list's own name.
            if let dash = title.range(of: " - ") { title = String(title[..<dash.lowerBound]) }
            if !title.isEmpty { return title }
        }
        return base.lastPathComponent
    }

    /// An address as the archive's index (a folder, with its slash).
    static func index(_ address: String) -> String { address.hasSuffix("/") ? address : address + "/" }

    /// Whether an address is a pipermail archive: it says `/pipermail/` and its page links months.
    static func asks(_ address: String, fetcher: Fetcher = Fetcher(timeout: 15)) -> SourceReader.Answer {
        let index = Self.index(address)
        guard let base = URL(string: index), let page = try? fetcher.get(index, headers: ["Accept: text/html"]), page.status == 200 else {
            return .no
        }
        let html = String(decoding: page.body.prefix(4 << 20), as: UTF8.self)
        if PublicInbox.isArchive(html) { return .yes(title: base.lastPathComponent) }
        guard !months(inIndex: html, base: base).isEmpty else { return .no }
        return .yes(title: title(html, base: base))
    }
}

extension SourceReader.Adding {
    /// A Mailman 2 (pipermail) archive, asked by its index page.
    static let mailingList = SourceReader.Adding(asks: { address, _ in Pipermail.asks(address) }, takesForumOptions: false) { request, port in
        guard request.isWeb else { throw AgoraError.invalidArgument("\(request.location): a list's archive is an http(s) address, not a file") }
        let index = Pipermail.index(request.location)
        let sources = try port.sources()
        if let existing = Source.existing(.mailingList, at: index, among: sources) {
            return try SourceReader.Adding.renamed(existing, as: request.name, address: index, port: port)
        }
        let id = Source.newID(preferred: MailImport.sourceID(index), location: index, among: sources)
        let source = Source(id: id, kind: .mailingList, name: request.name ?? request.title ?? Source.key(forLocation: index), location: index,
                            options: .list(Source.ListArchive()))
        try port.importContent(CacheContent(sources: [source]))
        let found = request.named ? "" : "Found a mailing list's archive" + (request.title.map { " (\($0))" } ?? "") + ". "
        return SourceReader.AddOutcome(source: source, isNew: true, message: found + "Added \(id). Run `agora sync` to bring its months in.")
    }
}

/// How far a list's sync has got, for a progress line.
public struct ListProgress: Sendable, Equatable {
    /// Months read (fetched and written, or not modified) of those to read.
    public var months = 0
    public var monthsToRead = 0
    /// Messages the months brought (threads and replies added or changed).
    public var messages = 0
    public var requests = 0

    public init(months: Int = 0, monthsToRead: Int = 0, messages: Int = 0, requests: Int = 0) {
        self.months = months
        self.monthsToRead = monthsToRead
        self.messages = messages
        self.requests = requests
    }
}

extension Sync {
    /// A list's archive: the index read, then each month not read whole, oldest first, and the
    /// newest again with its validators, fetched as the forum's pacing allows (two at a time
    /// by default, at its rate) and written in order, each month in its own transaction, so
    /// what was read stays when a later month fails.
    func syncList(_ source: Source, _ updated: inout Source, _ report: inout SyncReport, into store: any ImportPort) throws -> Bool {
        let index = source.location ?? ""
        guard let base = URL(string: index) else { throw AgoraError.invalidArgument("\(source.id): not a valid address") }
        let gate = RequestGate(pacing, deadline: fetcher.deadline)
        let fetch: @Sendable (String, Source.ListArchive.Month?) throws -> Fetcher.Outcome = { [fetcher] url, month in
            try gate.enter()
            defer { gate.leave() }
            return try fetcher.fetch(url, etag: month?.etag, lastModified: month?.lastModified)
        }
        guard case .fetched(let page, _, _) = try fetch(index, nil) else { return false }
        let html = String(decoding: page, as: UTF8.self)
        let months = Pipermail.months(inIndex: html, base: base)
        var state = source.list ?? Source.ListArchive()
        report.status = .notModified
        if months.isEmpty, PublicInbox.isArchive(html) {
            try syncPublicInbox(source, index: index, base: base, state: &state, fetch: fetch, &report, into: store)
            updated.list = state
            report.record(in: &updated)
            try store.importContent(CacheContent(sources: [updated]))
            return false
        }
        let toRead = months.enumerated().filter { state.months[$0.element.name]?.complete != true }
        var progress = ListProgress(monthsToRead: toRead.count, requests: 1)
        listProgress?(source, progress)
        var changed = false
        let validators = state.months
        try inOrder(toRead, fetch: { try fetch($0.element.url, validators[$0.element.name]) }) { item, fetched in
            let (position, month) = item
            progress.requests += 1
            progress.months += 1
            guard case .fetched(let data, let etag, let lastModified) = fetched else {
                listProgress?(source, progress)
                return
            }
            let text = Inflate.isGzip(data) ? try MailArchive.inflated(data, path: month.url) : data
            progress.messages += try writeList(Mbox.messages(text), index: index, source: source, into: store, &report)
            state.months[month.name] = Source.ListArchive.Month(etag: etag, lastModified: lastModified, complete: position != months.count - 1)
            changed = true
            listProgress?(source, progress)
        }
        report.requests = progress.requests
        if changed { report.status = .updated }
        updated.list = state
        report.record(in: &updated)
        try store.importContent(CacheContent(sources: [updated]))
        return false
    }
}

extension Sync {
    /// Fetches `items` in order, as many at once as the pacing lets through the gate (two by
    /// default), and hands each answer over in order; when one fails, those still being
    /// fetched are let finish before the error goes on.
    func inOrder<T: Sendable>(_ items: [T], fetch: @escaping @Sendable (T) throws -> Fetcher.Outcome,
                              _ each: (T, Fetcher.Outcome) throws -> Void) throws {
        var ahead: [(item: T, outcome: Ahead<Fetcher.Outcome>)] = []
        var next = 0
        func fetchMore() {
            while ahead.count < pacing.concurrency, next < items.count {
                let item = items[next]
                ahead.append((item, Ahead { try fetch(item) }))
                next += 1
            }
        }
        fetchMore()
        while !ahead.isEmpty {
            let (item, outcome) = ahead.removeFirst()
            let fetched: Fetcher.Outcome
            do { fetched = try outcome.value() } catch {
                for other in ahead { _ = try? other.outcome.value() }
                throw error
            }
            fetchMore()
            try each(item, fetched)
        }
    }

    /// A list's messages written as the list's own (whatever the month or feed they came in,
    /// its id is the archive's), the report told; how many threads and replies came or changed.
    func writeList(_ messages: [Data], index: String, source: Source, into store: any ImportPort, _ report: inout SyncReport) throws -> Int {
        var content = try MailImport.content(messages, location: index, port: store)
        content.sources = []
        for index in content.posts.indices { content.posts[index].source = source.id }
        let summary = try store.importContent(content)
        report.added += summary.posts.added
        report.updated += summary.posts.updated
        report.unchanged += summary.posts.unchanged
        report.commentsAdded = (report.commentsAdded ?? 0) + summary.comments.added
        report.commentsUpdated = (report.commentsUpdated ?? 0) + summary.comments.updated
        return summary.posts.added + summary.posts.updated + summary.comments.added + summary.comments.updated
    }
}
