import AgoraImport
import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// A Mailman 2 archive served on 127.0.0.1: an index page, a gzip'd month and a month that grows.
final class TestList: @unchecked Sendable {
    private let lock = NSLock()
    private var april: [String] = []
    private var aprilVersion = 1
    private(set) var server: TestHTTPServer!

    static func message(_ id: String, _ parent: String?, _ day: Int, _ month: String) -> String {
        """
        From ana at example.org  Mon \(month) \(day) 10:00:00 2014
        From: ana at example.org (Ana Lima)
        Date: Mon, \(day) \(month) 2014 10:00:00 +0000
        Subject: [Gov] \(parent == nil ? "" : "Re: ")Remote hubs
        Message-ID: <\(id)@example.org>
        \(parent.map { "In-Reply-To: <\($0)@example.org>\n" } ?? "")
        Message \(id).


        """
    }

    init() throws {
        april = [Self.message("c", "b", 2, "Apr")]
        let march = Deflate.gzip(Data((Self.message("a", nil, 3, "Mar") + Self.message("b", "a", 4, "Mar")).utf8))
        server = try TestHTTPServer { [unowned self] request in
            switch request.path {
            case "/pipermail/gov/":
                return .init(text: """
                    <html><head><title>The Gov Archives</title></head><body>
                    <a href="2014-April.txt">[ Text 1 KB ]</a> <a href="2014-March.txt.gz">[ Gzip'd Text 1 KB ]</a>
                    </body></html>
                    """)
            case "/pipermail/gov/2014-March.txt.gz":
                return .init(headers: [("ETag", "\"m\"")], body: march)
            case "/pipermail/gov/2014-April.txt":
                let (text, version) = self.lock.withLock { (self.april.joined(), self.aprilVersion) }
                if request.headers["if-none-match"] == "\"a\(version)\"" { return .init(status: 304) }
                return .init(headers: [("ETag", "\"a\(version)\"")], text: text)
            default:
                return .init(status: 404, text: "no")
            }
        }
    }

    /// A message arrives in April: the month grows and its ETag changes.
    func post(_ id: String, answering parent: String) {
        lock.withLock {
            april.append(Self.message(id, parent, 5, "Apr"))
            aprilVersion += 1
        }
    }

    var index: String { server.baseURL + "/pipermail/gov/" }
}

@Suite("A mailing list's archive kept up to date")
struct PipermailSyncTests {
    @Test func sources_add_finds_the_archive_and_sync_reads_each_month_once_and_the_newest_again() throws {
        let list = try TestList()
        defer { list.server.stop() }
        let dir = TemporaryDirectory()
        let store = try SQLiteStore(path: dir.file("c.sqlite"))
        // Asked by its address: the index page links months.
        let found = try #require(SourceKindTable.standard.reader(forAddress: list.index, key: nil))
        #expect(found.0.kind == .mailingList && found.1 == .yes(title: "Gov"))
        let added = try #require(found.0.adding).add(
            SourceReader.AddRequest(location: list.index, name: nil, named: false, title: "Gov"), store)
        #expect(added.isNew && added.message.hasPrefix("Found a mailing list's archive (Gov)."))
        var sync = Sync()
        sync.pacing = Pacing(rate: nil)
        func run() throws -> SyncReport { try #require(sync.run(try store.sources(), into: store).first) }

        let first = try run()
        #expect(first.status == .updated && first.added == 1 && first.commentsAdded == 2, "\(first)")
        let thread = try store.post(try #require(try store.posts(PostQuery()).first).id)
        #expect(thread.post.title == "Remote hubs" && thread.comments.count == 2, "April's reply joins March's thread")
        let kept = try #require(try store.sources().first?.list)
        #expect(kept.months["2014-March"]?.complete == true && kept.months["2014-April"]?.complete == false)

        // Again: the index and the newest month, which has not changed; March is not asked.
        let before = list.server.requests.count
        let second = try run()
        #expect(second.status == .notModified)
        #expect(list.server.requests.dropFirst(before).map(\.path) == ["/pipermail/gov/", "/pipermail/gov/2014-April.txt"])

        // April grows: read again, the new reply on the same thread.
        list.post("d", answering: "c")
        let third = try run()
        #expect(third.status == .updated && third.commentsAdded == 1)
        #expect(try store.post(thread.post.id).comments.count == 3)
        #expect(try store.sources().first?.lastResult?.brief == "1 new reply")
    }

    @Test func a_list_imported_from_a_file_is_a_record_not_a_subscription() throws {
        let imported = Source(id: "list:x", kind: .mailingList, name: "X", location: "/home/ana/x.mbox")
        let added = Source(id: "list:y", kind: .mailingList, name: "Y", location: "https://lists.example.org/pipermail/y/")
        #expect(!imported.isSynced && added.isSynced)
    }

    @Test func a_hyperkitty_list_is_found_by_its_page_and_synced_through_its_monthly_exports() throws {
        let march = Deflate.gzip(Data((TestList.message("a", nil, 3, "Mar") + TestList.message("b", "a", 4, "Mar")).utf8))
        let april = Deflate.gzip(Data(TestList.message("c", "b", 2, "Apr").utf8))
        let server = try TestHTTPServer { request in
            let list = "/hyperkitty/list/gov@lists.example.org/"
            if request.path == list {
                return .init(text: """
                    <html><head><title>Gov - lists.example.org</title></head><body>
                    <a href="\(list)2014/4/">April 2014</a> <a href="\(list)2014/3/">March 2014</a>
                    </body></html>
                    """)
            }
            if request.path.hasPrefix(list + "export/gov@lists.example.org-2014-03.mbox.gz?start=2014-03-01&end=2014-04-01") {
                return .init(body: march)
            }
            if request.path.hasPrefix(list + "export/gov@lists.example.org-2014-04.mbox.gz?start=2014-04-01&end=2014-05-01") {
                return .init(body: april)
            }
            return .init(status: 404, text: "no")
        }
        defer { server.stop() }
        let address = server.baseURL + "/hyperkitty/list/gov@lists.example.org/"
        let dir = TemporaryDirectory()
        let store = try SQLiteStore(path: dir.file("c.sqlite"))
        let found = try #require(SourceKindTable.standard.reader(forAddress: address, key: nil))
        #expect(found.0.kind == .mailingList && found.1 == .yes(title: "Gov"))
        _ = try #require(found.0.adding).add(SourceReader.AddRequest(location: address, name: nil, named: false, title: "Gov"), store)
        var sync = Sync()
        sync.pacing = Pacing(rate: nil)
        let report = try #require(sync.run(try store.sources(), into: store).first)
        #expect(report.status == .updated && report.added == 1 && report.commentsAdded == 2, "\(report)")
        let kept = try #require(try store.sources().first?.list)
        #expect(kept.months["2014-03"]?.complete == true && kept.months["2014-04"]?.complete == false)
    }

    /// Months are fetched as a forum's pages are, two at a time (the second asked while the
    /// first is still coming) and no more, and written in order; the sync says how far it has got.
    @Test func months_come_two_at_a_time_in_order_with_progress() throws {
        let names = ["2014-January", "2014-February", "2014-March", "2014-April"]
        let window = Window()
        let condition = window.condition
        let server = try TestHTTPServer { request in
            if request.path == "/pipermail/gov/" {
                return .init(text: "<html><head><title>The Gov Archives</title></head><body>"
                             + names.map { "<a href=\"\($0).txt\">[ Text ]</a>" }.joined() + "</body></html>")
            }
            guard let number = names.firstIndex(where: { request.path == "/pipermail/gov/\($0).txt" }) else { return .init(status: 404, text: "no") }
            condition.lock()
            window.inFlight += 1
            window.most = max(window.most, window.inFlight)
            window.asked.insert(names[number])
            condition.broadcast()
            // January and February answer only once both have been asked for (or after five
            // seconds): fetched one at a time, the first would wait for a second never asked.
            if number < 2 {
                let deadline = Date(timeIntervalSinceNow: 5)
                while !window.asked.isSuperset(of: names[0..<2]), condition.wait(until: deadline) {}
            }
            window.inFlight -= 1
            condition.unlock()
            let month = String(names[number].split(separator: "-")[1].prefix(3))
            return .init(text: TestList.message("m\(number)", nil, 3, month))
        }
        defer { server.stop() }
        let index = server.baseURL + "/pipermail/gov/"
        let dir = TemporaryDirectory()
        let store = try SQLiteStore(path: dir.file("c.sqlite"))
        _ = try #require(SourceReader.mailingList.adding).add(SourceReader.AddRequest(location: index, name: "Gov", named: true, title: nil), store)
        let heard = Heard()
        var sync = Sync()
        sync.pacing = Pacing(rate: nil)
        sync.listProgress = { _, step in heard.add(step) }
        let report = try #require(sync.run(try store.sources(), into: store).first)
        #expect(report.status == .updated && report.added == 4 && report.requests == 5, "\(report)")
        condition.lock()
        #expect(window.most == 2, "at most two at once, and two: \(window.most)")
        condition.unlock()
        let steps = heard.all
        #expect(steps.first == ListProgress(months: 0, monthsToRead: 4, messages: 0, requests: 1))
        #expect(steps.last == ListProgress(months: 4, monthsToRead: 4, messages: 4, requests: 5))
        #expect(steps.map(\.months) == [0, 1, 2, 3, 4], "a step a month, in order")
        // Written in order: the oldest month's thread first.
        #expect(try store.posts(PostQuery(sort: .oldest, limit: 10)).map(\.title) == ["Remote hubs", "Remote hubs", "Remote hubs", "Remote hubs"])
    }

    /// What the server saw, under its condition's lock.
    final class Window: @unchecked Sendable {
        let condition = NSCondition()
        var inFlight = 0
        var most = 0
        var asked = Set<String>()
    }

    final class Heard: @unchecked Sendable {
        private let lock = NSLock()
        private var steps: [ListProgress] = []
        func add(_ step: ListProgress) { lock.withLock { steps.append(step) } }
        var all: [ListProgress] { lock.withLock { steps } }
    }

    /// A public-inbox list (lore.kernel.org's kind): found by its page, followed through its
    /// `new.atom`, each message fetched raw once; a feed not modified costs one request.
    @Test func a_public_inbox_list_is_found_and_followed_through_its_atom_feed() throws {
        final class Inbox: @unchecked Sendable {
            let lock = NSLock()
            var ids = ["a", "b"]
            var rawAsked: [String: Int] = [:]
            var version = 1
            var base = ""
        }
        let inbox = Inbox()
        let server = try TestHTTPServer { request in
            inbox.lock.lock()
            defer { inbox.lock.unlock() }
            switch request.path {
            case "/git/":
                return .init(text: "<html><head><title>git archive mirror</title></head><body><a href=\"new.atom\">Atom feed</a>"
                             + "<pre>This is a public-inbox, see documentation</pre></body></html>")
            case "/git/new.atom":
                if request.headers["if-none-match"] == "\"v\(inbox.version)\"" { return .init(status: 304) }
                // Newest first, as public-inbox lists them.
                let entries = inbox.ids.reversed().map { id in
                    "<entry><title>m \(id)</title><link href=\"\(inbox.base)/git/\(id)%40example.org/\"/><id>urn:uuid:\(id)</id>"
                        + "<updated>2024-01-0\(inbox.ids.firstIndex(of: id)! + 1)T00:00:00Z</updated></entry>"
                }
                return .init(headers: [("ETag", "\"v\(inbox.version)\"")],
                             text: "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>git</title>" + entries.joined() + "</feed>")
            default:
                let parts = (request.path.removingPercentEncoding ?? request.path).split(separator: "/")
                guard parts.count == 3, parts[2] == "raw", let at = parts[1].range(of: "@example.org") else { return .init(status: 404, text: "no") }
                let id = String(parts[1][..<at.lowerBound])
                guard let number = inbox.ids.firstIndex(of: id) else { return .init(status: 404, text: "no") }
                inbox.rawAsked[id, default: 0] += 1
                let parent = number == 0 ? nil : inbox.ids[number - 1]
                let text = TestList.message(id, parent, number + 1, "Jan").split(separator: "\n", maxSplits: 1)[1]
                return .init(text: String(text))
            }
        }
        defer { server.stop() }
        // The feed's links are whole addresses, as public-inbox writes them.
        inbox.lock.withLock { inbox.base = server.baseURL }
        let address = server.baseURL + "/git/"
        let dir = TemporaryDirectory()
        let store = try SQLiteStore(path: dir.file("c.sqlite"))
        let found = try #require(SourceKindTable.standard.reader(forAddress: address, key: nil))
        #expect(found.0.kind == .mailingList && found.1 == .yes(title: "git"))
        _ = try #require(found.0.adding).add(SourceReader.AddRequest(location: address, name: nil, named: false, title: "git"), store)
        var sync = Sync()
        sync.pacing = Pacing(rate: nil)
        func run() throws -> SyncReport { try #require(sync.run(try store.sources(), into: store).first) }

        let first = try run()
        #expect(first.status == .updated && first.added == 1 && first.commentsAdded == 1 && first.requests == 4, "\(first)")
        inbox.lock.withLock {
            inbox.ids.append("c")
            inbox.version += 1
        }
        let second = try run()
        #expect(second.status == .updated && second.added == 0 && second.commentsAdded == 1 && second.requests == 3, "\(second)")
        #expect(inbox.lock.withLock { inbox.rawAsked } == ["a": 1, "b": 1, "c": 1], "each message fetched once")
        let third = try run()
        #expect(third.status == .notModified && third.requests == 2, "\(third)")
        let thread = try store.posts(PostQuery(limit: 10))
        #expect(thread.count == 1 && thread.first?.commentCount == 2)
    }
}
