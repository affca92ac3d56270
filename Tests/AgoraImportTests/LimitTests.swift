@testable import AgoraImport
import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// What a hostile server or archive can make Agora hold or wait for: never more than its caps.
@Suite("Limits of a sync", .serialized)
struct FetchLimitTests {
    static let rss = Data("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title></channel></rss>".utf8)

    @Test func a_server_that_streams_for_ever_is_stopped_at_the_size_cap() throws {
        // Given a server that sends 64 KiB chunks with no length, up to 1 GiB
        let server = try TestHTTPServer { _ in
            .init(headers: [("Content-Type", "application/rss+xml")], stream: .init(chunk: Data(repeating: 0x20, count: 65_536), count: 16_384))
        }
        defer { server.stop() }
        // When a fetch that takes at most 1 MiB asks for it
        let fetcher = Fetcher(timeout: 30, maxBytes: 1 << 20)
        #expect(throws: AgoraError.overLimit(.init(path: "\(server.baseURL)/endless.xml"), .size(1 << 20))) {
            try fetcher.fetch(server.baseURL + "/endless.xml")
        }
        // Then the server saw it go away long before the end.
        let deadline = DispatchTime.now() + 10
        while server.streamed("/endless.xml") == nil, DispatchTime.now() < deadline { usleep(10_000) }
        let streamed = try #require(server.streamed("/endless.xml"))
        #expect(streamed.clientLeft)
        #expect(streamed.bytes < 64 << 20)
    }

    @Test func a_length_said_up_front_that_is_too_much_is_refused_before_reading() throws {
        let server = try TestHTTPServer { _ in .init(headers: [("Content-Length", "2147483648")], body: Data()) }
        defer { server.stop() }
        #expect(throws: AgoraError.overLimit(.init(path: "\(server.baseURL)/huge.xml"), .size(1 << 20))) {
            try Fetcher(timeout: 10, maxBytes: 1 << 20).fetch(server.baseURL + "/huge.xml")
        }
    }

    @Test func a_gzip_bomb_is_inflated_no_further_than_the_cap() throws {
        // 64 MiB of spaces, about 64 KiB gzipped.
        let bomb = Deflate.gzip(Data(repeating: 0x20, count: 64 << 20))
        #expect(bomb.count < 1 << 20)
        let server = try TestHTTPServer { _ in .init(headers: [("Content-Encoding", "gzip")], body: bomb) }
        defer { server.stop() }
        // Inflated as it arrives (by the HTTP client, or by Agora when no encoding is named), it
        // stops at the cap either way.
        #expect { try Fetcher(timeout: 30, maxBytes: 4 << 20).fetch(server.baseURL + "/bomb.xml") } throws: { error in
            (error as? AgoraError)?.description.hasSuffix("than 4 MiB; stopped there") == true
        }
        let unnamed = try TestHTTPServer { _ in .init(body: bomb) }
        defer { unnamed.stop() }
        #expect(throws: AgoraError.overLimit(.init(path: "\(unnamed.baseURL)/bomb.xml"), .inflated(4 << 20))) {
            try Fetcher(timeout: 30, maxBytes: 4 << 20).fetch(unnamed.baseURL + "/bomb.xml")
        }
        #expect(Inflate.inflate(bomb, wrapper: .gzip, limit: 4 << 20) == .failure(.tooLarge))
        let small = Deflate.gzip(Self.rss)
        #expect(Inflate.inflate(small, wrapper: .gzip, limit: Self.rss.count) == .success(Self.rss))
    }

    @Test func a_trickling_server_is_left_at_the_timeout_not_later() throws {
        // A byte every 50 ms for up to a minute.
        let server = try TestHTTPServer { _ in .init(stream: .init(chunk: Data(" ".utf8), count: 1_200, pause: 0.05)) }
        defer { server.stop() }
        #expect(throws: AgoraError.overLimit(.init(path: "\(server.baseURL)/slow.xml"), .seconds(0.5))) {
            try Fetcher(timeout: 0.5).fetch(server.baseURL + "/slow.xml")
        }
        // The connection was closed then: the server's minute of trickle was cut short.
        let deadline = DispatchTime.now() + 10
        while server.streamed("/slow.xml") == nil, DispatchTime.now() < deadline { usleep(10_000) }
        let streamed = try #require(server.streamed("/slow.xml"))
        #expect(streamed.clientLeft && streamed.bytes < 600)
    }

    @Test func the_whole_sync_stops_at_its_deadline() throws {
        let server = try TestHTTPServer { _ in .init(stream: .init(chunk: Data(" ".utf8), count: 1_200, pause: 0.05)) }
        defer { server.stop() }
        let directory = TemporaryDirectory()
        let store = try SQLiteStore(path: directory.file("c.sqlite"))
        let sources = (1...3).map { Source(id: Source.ID("s\($0)"), kind: .feed, name: "S\($0)", location: server.baseURL + "/s\($0).xml") }
        try store.importContent(CacheContent(sources: sources))
        // One at a time, each allowed 30 s, the whole sync 0.5 s.
        let reports = Sync(fetcher: Fetcher(timeout: 30), concurrency: 1, deadline: 0.5).run(sources, into: store)
        #expect(reports.map(\.status) == [.failed, .failed, .failed])
        #expect(reports[0].error == "\(server.baseURL)/s1.xml: stopped at the sync's deadline")
        #expect(reports[1].error == "not fetched: the sync's deadline passed")
        #expect(reports[2].error == "not fetched: the sync's deadline passed")
    }

    @Test func a_server_cannot_park_a_source_for_more_than_a_day() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let day = now.addingTimeInterval(86_400)
        #expect(Fetcher.retryAfter("Fri, 31 Dec 99999 23:59:59 GMT", now: now).map { $0 <= day } ?? true)
        #expect(Fetcher.retryAfter("1000000000", now: now) == day)
        #expect(Fetcher.retryAfter("120", now: now) == now.addingTimeInterval(120))
        #expect(Fetcher.retryAfter("Tue, 14 Nov 2023 22:15:00 GMT", now: now) == Date(timeIntervalSince1970: 1_700_000_100))
        // A wait stored by an older Agora, years away, holds for a day after the last sync at most;
        // and --now asks anyway.
        let server = try TestHTTPServer { _ in .init(body: Self.rss) }
        defer { server.stop() }
        let directory = TemporaryDirectory()
        let store = try SQLiteStore(path: directory.file("c.sqlite"))
        let parked = Source(id: "p", kind: .feed, name: "P", location: server.baseURL + "/p.xml",
                            lastSync: now, retryAfter: Date(timeIntervalSince1970: 250_000_000_000))
        try store.importContent(CacheContent(sources: [parked]))
        let soon = Sync(now: { now.addingTimeInterval(3_600) })
        #expect(soon.run([parked], into: store).first?.status == .waiting)
        let nextDay = Sync(now: { now.addingTimeInterval(86_401) })
        #expect(nextDay.run([parked], into: store).first?.status == .updated)
        #expect(Sync(ignoreRetryAfter: true, now: { now }).run([parked], into: store).first?.status == .updated)
    }
}

@Suite("Limits of a zip archive")
struct ZipLimitTests {
    @Test func a_zip_bomb_is_refused_before_it_is_inflated() throws {
        // 256 MiB of one byte: well over a hundred times its deflated size.
        var zip = ZipWriter()
        zip.add("ning-members.json", Data(repeating: 0x20, count: 256 << 20))
        let archive = try ZipArchive(data: zip.data, path: "bomb.zip")
        #expect(throws: AgoraError.self) { try archive.contents("ning-members.json") }
        do { _ = try archive.contents("ning-members.json") } catch let error as AgoraError {
            guard case .overLimit(let place, .ratio(let found, let most, _)) = error else { Issue.record("not a ratio: \(error)"); return }
            #expect(place == AgoraError.Place(path: "bomb.zip", entry: "ning-members.json"))
            #expect(found > most && most == ZipArchive.maximumRatio)
        }
    }

    @Test func an_entry_that_says_less_than_it_holds_stops_at_what_it_says() throws {
        var zip = ZipWriter()
        zip.add("ning-blogs.json", Data(repeating: 0x41, count: 100_000))
        var data = zip.data
        // Make both headers say 1,000 bytes.
        for signature in [[UInt8]([0x50, 0x4B, 0x03, 0x04]), [0x50, 0x4B, 0x01, 0x02]] {
            guard let at = data.firstRange(of: Data(signature))?.lowerBound else { continue }
            let sizeOffset = signature[2] == 0x03 ? 22 : 24
            data.replaceSubrange((at + sizeOffset)..<(at + sizeOffset + 4), with: [0xE8, 0x03, 0x00, 0x00])
        }
        let archive = try ZipArchive(data: data, path: "liar.zip")
        #expect(throws: AgoraError.overLimit(.init(path: "liar.zip", entry: "ning-blogs.json"), .declaredSize(1000))) {
            try archive.contents("ning-blogs.json")
        }
    }
}

@Suite("Limits of a zip archive's total")
struct ZipTotalTests {
    @Test func an_archive_that_says_it_holds_more_than_a_gibibyte_is_refused_on_opening() throws {
        var zip = ZipWriter()
        zip.add("a.json", Data("[]".utf8))
        var data = zip.data
        // The central directory's uncompressed size for the entry: 0x40000001 bytes.
        let at = try #require(data.firstRange(of: Data([0x50, 0x4B, 0x01, 0x02]))?.lowerBound)
        data.replaceSubrange((at + 24)..<(at + 28), with: [0x01, 0x00, 0x00, 0x40])
        #expect(throws: AgoraError.overLimit(.init(path: "big.zip"), .archiveTotal(found: 0x4000_0001, most: 1 << 30))) {
            try ZipArchive(data: data, path: "big.zip")
        }
    }
}

/// The fuzz corpus (seeds, and every input that once crashed a reader) read as a test: each
/// answers with a value or an error. A crash the fuzzer finds is added to Tests/FuzzCorpus.
@Suite("The fuzz corpus")
struct FuzzCorpusTests {
    static func files(_ target: String) throws -> [(String, Data)] {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { url.deleteLastPathComponent() }
        let folder = url.appendingPathComponent("FuzzCorpus/\(target)")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
            ($0, try Data(contentsOf: folder.appendingPathComponent($0)))
        }
    }

    @Test func every_input_that_crashed_a_reader_is_now_an_answer() throws {
        for (name, data) in try Self.files("feed") { _ = try? FeedParser.parse(data, path: name) }
        for (name, data) in try Self.files("ning") { _ = try? NingJSON(data: data, path: name) }
        for (_, data) in try Self.files("mbox") { _ = MailImport.content(Mbox.messages(data), location: "/corpus.mbox") }
        let mime = Dictionary(uniqueKeysWithValues: try Self.files("mime"))
        for (_, data) in mime { _ = MailImport.html(MailMessage.parse(data)) }
        // The seeds are read as what they are.
        let seed = MailMessage.parse(try #require(mime["multipart-qp-flowed.eml"]))
        #expect(seed.body.hasPrefix("Café au lait, please. \n> quoted line goes on") && seed.attachments.map(\.name) == ["résumé.pdf"],
                "\(seed.body) \(seed.attachments)")
        #expect(MailMessage.parse(try #require(mime["koi8-base64.eml"])).body == "Привет")
        for (name, data) in try Self.files("zip") {
            guard let zip = try? ZipArchive(data: data, path: name) else { continue }
            for entry in zip.names { _ = try? zip.contents(entry) }
        }
        let opml = Dictionary(uniqueKeysWithValues: try Self.files("opml"))
        #expect(try OPML.parse(try #require(opml["list.opml"]), path: "list.opml").map(\.url) == ["https://e.org/a.xml", "https://e.org/b.xml"])
        // Foundation's XML parser stopped the program on these two.
        #expect(throws: AgoraError.self) { try OPML.parse(try #require(opml["crash-not-utf8-name"]), path: "x.opml") }
        #expect(throws: AgoraError.self) { try OPML.parse(try #require(opml["crash-empty-processing-instruction"]), path: "y.opml") }
    }
}
