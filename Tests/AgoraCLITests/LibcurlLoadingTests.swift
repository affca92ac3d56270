import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// libcurl is loaded at the first request, not when agora starts: a command that fetches
/// nothing never maps it (the dynamic loader's own report says which libraries a process
/// opened), one that fetches does, and without libcurl a fetch fails with a message that
/// says what is missing while everything else works.
@Suite("libcurl, loaded when a fetch needs it")
struct LibcurlLoadingTests {
    /// The libraries the dynamic loader reported opening (`LD_DEBUG=files`), by file name.
    static func opened(_ stderr: String) -> Set<String> {
        var names = Set<String>()
        for line in stderr.split(separator: "\n") {
            guard let range = line.range(of: "file=") else { continue }
            let rest = line[range.upperBound...]
            names.insert(String(rest.prefix { $0 != " " && $0 != ";" && $0 != "[" }))
        }
        return names
    }

    @Test func a_command_that_fetches_nothing_does_not_load_libcurl_and_a_fetch_does() throws {
        try SyncTests().withSite { _, server, agora, cache in
            let added = try agora.run(["--cache", cache, "sources", "add", server.baseURL + "/etag.xml"])
            #expect(added.status == 0, "\(added.stderr)")
            let imported = try agora.run(["--cache", cache, "sync"], environment: ["LD_DEBUG": "files"])
            #expect(imported.status == 0, "\(imported.stderr.suffix(2_000))")
            #expect(Self.opened(imported.stderr).contains("libcurl.so.4"), "the fetch loads libcurl")
            #expect(imported.stderr.contains("dynamically loaded by"), "loaded when asked, not as a needed library")

            let listed = try agora.run(["--cache", cache, "list"], environment: ["LD_DEBUG": "files"])
            #expect(listed.status == 0)
            #expect(listed.stdout.contains("First item"))
            let opened = Self.opened(listed.stderr)
            #expect(opened.contains { $0.hasPrefix("libsqlite3") }, "the loader's report is read: \(opened.sorted())")
            #expect(!opened.contains { $0.hasPrefix("libcurl") || $0.hasPrefix("libssl") || $0.hasPrefix("libgnutls") }, "\(opened.sorted())")
        }
    }

    @Test func without_libcurl_a_fetch_says_what_is_missing_and_nothing_else_changes() throws {
        try SyncTests().withSite { _, server, agora, cache in
            #expect(try agora.run(["--cache", cache, "sources", "add", server.baseURL + "/etag.xml"]).status == 0)
            let first = try agora.run(["--cache", cache, "sync"])
            #expect(first.status == 0, "\(first.stderr)")
            let before = try agora.run(["--cache", cache, "list"]).stdout
            let missing = agora.file("no-such/libcurl.so.4")
            let failed = try agora.run(["--cache", cache, "sync"], environment: ["AGORA_LIBCURL": missing])
            #expect(failed.status != 0)
            #expect(failed.stdout.contains("needs libcurl") || failed.stderr.contains("needs libcurl"), "\(failed.stdout)\(failed.stderr)")
            #expect((failed.stdout + failed.stderr).contains(missing), "the library asked for is named")
            #expect(!failed.stderr.contains("Fatal error"))
            #expect(try agora.run(["--cache", cache, "list"]).stdout == before, "the cache is as it was")
            // The reader's commands still work without it.
            let listed = try agora.run(["--cache", cache, "list"], environment: ["AGORA_LIBCURL": missing])
            #expect(listed.status == 0 && listed.stdout == before)
            // Adding a source fetches it: the same message, and no source added.
            let add = try agora.run(["--cache", cache, "sources", "add", server.baseURL + "/modified.xml"], environment: ["AGORA_LIBCURL": missing])
            #expect(add.status != 0 && add.stderr.contains("needs libcurl"), "\(add.stderr)")
            #expect(try !agora.run(["--cache", cache, "sources"]).stdout.contains("modified.xml"))
        }
    }
}
