@testable import AgoraImport
import AgoraTestSupport
import Foundation
import Testing

/// Requests to one server go out on the connection the one before made, when the server keeps
/// it open: a forum's first sync is thousands of requests, each a TCP and TLS handshake otherwise.
@Suite("Connections kept between requests")
struct ConnectionReuseTests {
    @Test func requests_one_after_another_share_a_connection_a_server_keeps_open() throws {
        let server = try TestHTTPServer(keepAlive: true) { request in .init(text: "answer to \(request.path)") }
        defer { server.stop() }
        let fetcher = Fetcher(timeout: 10)
        for n in 0..<20 {
            let response = try fetcher.get(server.baseURL + "/t/\(n).json")
            #expect(String(decoding: response.body, as: UTF8.self) == "answer to /t/\(n).json")
        }
        #expect(server.requests.count == 20)
        // One connection, or a few where another test's request took the handle in between.
        #expect(server.connections <= 10, "\(server.connections) connections for 20 requests")
    }

    @Test func a_server_that_closes_each_connection_is_answered_all_the_same() throws {
        let server = try TestHTTPServer { request in .init(text: "answer to \(request.path)") }
        defer { server.stop() }
        let fetcher = Fetcher(timeout: 10)
        for n in 0..<5 {
            #expect(String(decoding: try fetcher.get(server.baseURL + "/\(n)").body, as: UTF8.self) == "answer to /\(n)")
        }
        #expect(server.connections == 5)
    }
}
