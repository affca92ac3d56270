import AgoraImport
import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// A kind no one else names: a "zine" is a text file whose first line is `ZINE 1` and whose
/// other lines are `title | body`; it syncs by reading its file again. Everything it takes to
/// make one is in this file: its traits and its entry in a kind table.
enum Zine {
    static let kind = Source.Kind("zine")
    static let traits = Source.Traits(label: "zine", syncs: true, listedInOPML: false, richness: 1)

    static func content(_ path: String) throws -> CacheContent {
        let text = String(decoding: try CacheFile.readData(path: path), as: UTF8.self)
        let source = Source(id: Source.ID("zine:" + Source.key(forLocation: path)), kind: kind, name: "Zine", location: path)
        let posts = text.split(separator: "\n").dropFirst().enumerated().map { index, line in
            let parts = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return Post(id: Post.ID(source.id.rawValue + ":\(index + 1)"), source: source.id, title: parts[0], body: parts.count > 1 ? parts[1] : "")
        }
        return CacheContent(sources: [source], posts: posts)
    }

    static let reader = SourceReader(
        format: "zine", kind: kind, describes: "a zine",
        recognise: { head in head.text.hasPrefix("ZINE 1\n") ? .byContent : nil },
        read: { request in
            let content = try content(request.path)
            var outcome = SourceReader.Outcome(summary: try request.open().importContent(content))
            outcome.namesCommunity = content.sources.first
            return outcome
        },
        sync: { _, source, updated, report, store in
            var content = try content(source.location ?? "")
            content.sources = [updated]
            let summary = try store.importContent(content)
            report.status = .updated
            report.added = summary.posts.added
            return false
        })

    static let table: SourceKindTable = {
        Source.Kind.define(kind, traits)
        return SourceKindTable.standard.adding(reader)
    }()
}

@Suite("A kind of source is one entry in a table")
struct SourceKindTableTests {
    @Test func a_kind_defined_in_a_test_is_recognised_read_counted_and_synced() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("spring.txt", "ZINE 1\nHubs | Remote participation\nFellows | The class of 2026\n")
        let table = Zine.table
        // Recognised by its first bytes, never by its name, and only by a table that has it.
        let head = try CacheFile.readData(path: path, limit: 64)
        #expect(table.recognise(head, name: path)?.format == "zine")
        #expect(SourceKindTable.standard.recognise(head, name: path) == nil)
        #expect(table.formats.contains("zine") && table.readable.contains("a zine"))

        let store = try SQLiteStore(path: dir.file("cache.sqlite"))
        let read = try #require(table.recognise(head, name: path)?.read)
        let request = SourceReader.Request(path: path, isFolder: false, open: { store }, progress: SilentProgress())
        let outcome = try read(request)
        #expect(outcome.summary?.posts.added == 2)

        // What the reader and the CLI ask of it, from its traits alone.
        let source = try #require(try store.sources().first)
        #expect(source.kind == Zine.kind && source.kind.label == "zine" && source.isSynced && !source.kind.hasCategories)
        #expect(try store.sourceCounts().first { $0.source == source.id }?.unread == 2)

        // Synced through the table: a line added to the file comes in.
        try Data("ZINE 1\nHubs | Remote participation\nFellows | The class of 2026\nDNS | A primer\n".utf8).write(to: URL(fileURLWithPath: path))
        let report = Sync(fetcher: Fetcher(), kinds: table).run([source], into: store).first
        #expect(report?.status == .updated && report?.added == 1)
        #expect(try store.counts(.all).total == 3)

        // A table without the kind does not sync it, and says so.
        let refused = Sync(fetcher: Fetcher(), kinds: .standard).run([source], into: store).first
        #expect(refused?.status == .failed && refused?.added == 0)
        #expect(try store.counts(.all).total == 3)
    }

    @Test func a_kind_this_build_does_not_know_is_read_and_never_synced() {
        let unknown = Source.Kind("carrier-pigeon")
        #expect(unknown.label == "carrier-pigeon" && !unknown.syncs && !unknown.hasCategories)
        #expect(Source.Kind.known.contains(.feed) && Source.Kind.known.contains(.discourse))
        #expect(!Source.Kind.known.contains(unknown))
    }
}
