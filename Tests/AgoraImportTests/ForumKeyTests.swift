@testable import AgoraImport
import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A forum's key stays home: it goes to the forum's own origin only, and a key file is small
/// plain text or nothing.
@Suite("Forum keys")
struct ForumKeyTests {
    @Test func the_key_does_not_follow_a_redirect_to_another_port_of_the_same_host() throws {
        // Given two servers on 127.0.0.1, the forum's redirecting to the other's port
        let other = try TestHTTPServer { _ in .init(text: "{}") }
        defer { other.stop() }
        let forum = try TestHTTPServer { request in
            request.path == "/moved.json" ? .init(status: 302, headers: [("Location", other.baseURL + "/elsewhere.json")])
                : request.path == "/here.json" ? .init(status: 302, headers: [("Location", "/there.json")]) : .init(text: "{}")
        }
        defer { forum.stop() }
        let secret = ["User-Api-Key: sekret"]

        // When a request with the key is redirected to the other port
        _ = try Fetcher(timeout: 5).get(forum.baseURL + "/moved.json", private: secret)
        // Then only the forum's own origin got the key
        #expect(forum.requests.first?.headers["user-api-key"] == "sekret")
        #expect(other.requests.count == 1)
        #expect(other.requests.first?.headers["user-api-key"] == nil, "the key reached another port")

        // A redirect within the forum keeps it.
        _ = try Fetcher(timeout: 5).get(forum.baseURL + "/here.json", private: secret)
        #expect(forum.requests.last?.path == "/there.json")
        #expect(forum.requests.last?.headers["user-api-key"] == "sekret")
    }

    @Test(arguments: ["http://example.org/a", "http://EXAMPLE.org:80/b", "https://example.org:443/", "http://example.org:8080/"])
    func origins_compare_scheme_host_and_port(_ address: String) {
        let origin = Fetcher.origin(URL(string: address)!)
        #expect((origin == "http://example.org:80") == (address.hasPrefix("http://") && !address.contains("8080")))
    }

    @Test func a_key_file_that_is_large_or_not_text_is_refused_with_a_message() throws {
        let folder = TemporaryDirectory()
        // A NUL inside the key: refused, never cut short.
        let nul = folder.write("nul-key", Data("User-Api-Key: AB\u{0}CD\n".utf8))
        chmod(nul, 0o600)
        #expect(throws: AgoraError.notAKeyFile(path: nul, bytes: nil)) {
            try ForumKey.read(path: nul)
        }
        // A large file: refused by its size, not read whole (a sparse 3 GiB file).
        let large = folder.file("large-key")
        #expect(FileManager.default.createFile(atPath: large, contents: Data("User-Api-Key: x\n".utf8)))
        #expect(truncate(large, 3 << 30) == 0)
        chmod(large, 0o600)
        #expect(throws: AgoraError.notAKeyFile(path: large, bytes: 3221225472)) {
            try ForumKey.read(path: large)
        }
        // A plain one is read.
        let plain = folder.write("key", Data("User-Api-Key: sekret\n".utf8))
        chmod(plain, 0o600)
        #expect(try ForumKey.read(path: plain).headers == ["User-Api-Key: sekret"])
    }
}
