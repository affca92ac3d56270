import Foundation
import Testing

/// What docs/architecture.md says of the code, checked against the code: a claim there that
/// stops being true fails here.
@Suite("The architecture as written")
struct ArchitectureTests {
    static let sources: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Sources")
    }()

    static func files(under folder: String = "") -> [(path: String, text: String)] {
        let root = sources.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }.compactMap { url in
            (try? String(contentsOf: url, encoding: .utf8)).map { (String(url.path.dropFirst(sources.path.count + 1)), $0) }
        }
    }

    @Test func no_source_file_is_over_400_lines() {
        let files = Self.files()
        #expect(files.count > 50)
        let long = files.filter { $0.text.split(separator: "\n", omittingEmptySubsequences: false).count > 401 }.map(\.path)
        #expect(long.isEmpty, "over 400 lines: \(long)")
    }

    @Test func the_reader_as_values_imports_no_foundation() {
        let files = Self.files(under: "AgoraTUI")
        #expect(!files.isEmpty)
        let importing = files.filter { $0.text.contains("import Foundation") }.map(\.path)
        #expect(importing.isEmpty, "AgoraTUI files importing Foundation: \(importing)")
    }

    @Test func rows_are_never_read_with_a_silent_default() {
        let rows = Self.files(under: "AgoraKit/Store").filter { $0.path.hasSuffix("SQLiteRows.swift") }
        #expect(rows.count == 1)
        #expect(rows.allSatisfy { !$0.text.contains("try?") }, "a row read with try? hides a damaged cache behind a default")
    }

    /// Errors are typed and said in words in one place (`AgoraError.words(for:)`): no other
    /// file makes words of an error by hand, and no code or test reads an error's words back.
    @Test func errors_become_words_in_one_place_and_are_never_read_back() {
        let tests = Self.sources.deletingLastPathComponent().appendingPathComponent("Tests")
        let testFiles = (FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? [])
            .filter { $0.pathExtension == "swift" && $0.lastPathComponent != "ArchitectureTests.swift" }
            .compactMap { url in (try? String(contentsOf: url, encoding: .utf8)).map { (url.lastPathComponent, $0) } }
        #expect(testFiles.count > 30)
        let saying = ["localizedDescription", "String(describing: error)", "\"\\(error)\"", "(error as? AgoraError)?.description"]
        let reading = [".description.contains(", ".description.hasPrefix(", "error.message.contains("]
        let makers = Self.files().filter { $0.path != "AgoraKit/Store/AgoraError.swift" && saying.contains(where: $0.text.contains) }.map(\.path)
        #expect(makers.isEmpty, "errors made words outside AgoraError.words(for:): \(makers)")
        let readers = (Self.files().map { ($0.path, $0.text) } + testFiles).filter { file in reading.contains(where: file.1.contains) }.map(\.0)
        #expect(readers.isEmpty, "an error's words read back: \(readers)")
    }

    /// A kind of source is decided by its traits (AgoraKit's table of kinds) and its reader
    /// (AgoraImport's `SourceKindTable`): no other file compares a kind or reads a kind out of
    /// an id's prefix.
    @Test func kinds_are_asked_not_compared() throws {
        let files = Self.files()
        let comparing = try Regex(#"kind\s*[!=]=\s*\.(sample|agoraJSON|ningArchive|feed|discourse)\b"#)
        let prefixes = try Regex(#"\"(discourse|feed):\"|\":u:\""#)
        let tables = ["AgoraKit/Model/SourceKinds.swift"]
        let offenders = files.filter { !tables.contains($0.path) && ($0.text.contains(comparing) || $0.text.contains(prefixes)) }.map(\.path)
        #expect(offenders.isEmpty, "kinds compared or ids read by prefix outside the tables of kinds: \(offenders)")
    }

    /// Importers and syncs see a cache only through `ImportPort`: which ids it has, write a batch.
    @Test func importers_reach_a_cache_only_through_its_import_port() {
        let importers = Self.files(under: "AgoraImport")
        #expect(importers.count > 10)
        let reaching = importers.filter { $0.text.contains("CommunityStore") || $0.text.contains("SQLiteStore") || $0.text.contains("JSONStore") }
        #expect(reaching.isEmpty, "importers holding a whole cache: \(reaching.map(\.path))")
    }
}
