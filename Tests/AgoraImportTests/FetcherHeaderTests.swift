@testable import AgoraImport
import AgoraTestSupport
import Foundation
import Testing

/// A header's value can come from a server's earlier answer (an ETag): no line break in it
/// reaches the request, so no header can be smuggled in; a header without one goes as it is.
@Suite("Request headers")
struct FetcherHeaderTests {
    @Test func line_breaks_in_a_header_are_dropped_and_nothing_is_smuggled() throws {
        let server = try TestHTTPServer { _ in .init(text: "ok") }
        defer { server.stop() }
        let fetcher = Fetcher(timeout: 10)
        _ = try fetcher.get(server.baseURL + "/a", headers: ["If-None-Match: \"v1\"\r\nX-Smuggled: 1", "Accept: application/json"],
                            private: ["Api-Key: k\ne\ry"])
        let request = try #require(server.requests.first)
        #expect(request.headers["if-none-match"] == "\"v1\"X-Smuggled: 1")
        #expect(request.headers["x-smuggled"] == nil)
        #expect(request.headers["accept"] == "application/json")
        #expect(request.headers["api-key"] == "key")
        #expect(request.headers["user-agent"]?.hasPrefix("Agora/") == true)
    }
}
