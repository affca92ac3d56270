import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for tests: one thread per connection, every answer
/// made by the test's handler, every request kept for the test to look at.
public final class TestHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header names in lower case.
        public var headers: [String: String]
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: Data
        /// Seconds to wait before answering (a slow server).
        public var delay: TimeInterval
        /// A body sent as a stream with no length: `chunk`, `count` times, `pause` seconds apart
        /// (an endless or trickling server, bounded so that a test always ends).
        public var stream: Stream?

        public struct Stream: Sendable {
            public var chunk: Data
            public var count: Int
            public var pause: TimeInterval

            public init(chunk: Data, count: Int, pause: TimeInterval = 0) {
                self.chunk = chunk
                self.count = count
                self.pause = pause
            }
        }

        public init(status: Int = 200, headers: [(String, String)] = [], body: Data = Data(), delay: TimeInterval = 0,
                    stream: Stream? = nil) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
            self.stream = stream
        }

        public init(status: Int = 200, headers: [(String, String)] = [], text: String, delay: TimeInterval = 0) {
            self.init(status: status, headers: headers, body: Data(text.utf8), delay: delay)
        }
    }

    static let reasons = [200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 307: "Temporary Redirect",
                          404: "Not Found", 500: "Internal Server Error"]

    public let port: Int
    private let listener: Int32
    private let handler: @Sendable (Request) -> Response
    private let lock = NSLock()
    private var received: [Request] = []
    private var stopped = false
    private var inFlight = 0
    private var mostInFlight = 0
    private var streamed: [String: Int] = [:]
    private var streamsEnded: [String: Bool] = [:]
    private var accepted = 0
    /// Answers keep the connection open for the client's next request (HTTP/1.1's default),
    /// as real servers do; else every answer closes it.
    private let keepAlive: Bool

    /// The connections clients opened.
    public var connections: Int {
        lock.lock()
        defer { lock.unlock() }
        return accepted
    }

    /// Bytes of streamed body sent for a path, and whether the stream ended because the client
    /// went away (rather than running to its end).
    public func streamed(_ path: String) -> (bytes: Int, clientLeft: Bool)? {
        lock.lock()
        defer { lock.unlock() }
        guard let bytes = streamed[path], let left = streamsEnded[path] else { return nil }
        return (bytes, left)
    }

    /// The most requests that were being answered at one time (read, and not yet answered).
    public var maxInFlight: Int {
        lock.lock()
        defer { lock.unlock() }
        return mostInFlight
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    public init(keepAlive: Bool = false, handler: @escaping @Sendable (Request) -> Response) throws {
        self.handler = handler
        self.keepAlive = keepAlive
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EMFILE) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else {
            close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = listener
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops listening; safe to call again (the socket is closed once, so a number the system
    /// has since given to another socket is never closed by mistake).
    public func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        guard !wasStopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func acceptLoop() {
        while !isStopped {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if isStopped { return }
                continue
            }
            lock.lock()
            accepted += 1
            lock.unlock()
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var received = Data()
        // Requests one after another on the connection while it is kept open (none has a body).
        while answer(connection, &received) {}
    }

    /// Reads one request from the connection (what is left of `received` first) and answers it;
    /// true when the connection stays open for another.
    private func answer(_ connection: Int32, _ received: inout Data) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let end = Data("\r\n\r\n".utf8)
        while received.range(of: end) == nil {
            let count = read(connection, &buffer, buffer.count)
            if count <= 0 { return false }
            received.append(contentsOf: buffer[..<count])
        }
        let headEnd = received.range(of: end)!
        let head = String(decoding: received[received.startIndex..<headEnd.lowerBound], as: UTF8.self)
        received = Data(received[headEnd.upperBound...])
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return false }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let request = Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers)
        lock.lock()
        self.received.append(request)
        inFlight += 1
        mostInFlight = max(mostInFlight, inFlight)
        lock.unlock()
        let response = handler(request)
        if response.delay > 0 {
            let until = Date().addingTimeInterval(response.delay)
            while Date() < until, !isStopped { usleep(20_000) }
        }
        // A request is being answered until its answer starts to go out: a client that has read
        // an answer and asks again cannot find the answer's thread still counted.
        lock.lock()
        inFlight -= 1
        lock.unlock()
        var text = "HTTP/1.1 \(response.status) \(Self.reasons[response.status] ?? "Status")\r\n"
        for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
        if let stream = response.stream {
            signal(SIGPIPE, SIG_IGN)
            text += "Connection: close\r\n\r\n"
            var sent = 0
            var left = !send(Data(text.utf8), on: connection)
            var n = 0
            while !left, n < stream.count, !isStopped {
                if stream.pause > 0 { usleep(useconds_t(stream.pause * 1_000_000)) }
                left = !send(stream.chunk, on: connection)
                if !left { sent += stream.chunk.count }
                n += 1
            }
            lock.lock()
            streamed[request.path] = sent
            streamsEnded[request.path] = left
            lock.unlock()
            return false
        }
        if !response.headers.contains(where: { $0.0.lowercased() == "content-length" }) {
            text += "Content-Length: \(response.status == 304 ? 0 : response.body.count)\r\n"
        }
        let stays = keepAlive && request.headers["connection"]?.lowercased() != "close"
        text += stays ? "\r\n" : "Connection: close\r\n\r\n"
        var out = Data(text.utf8)
        if response.status != 304 { out.append(response.body) }
        return send(out, on: connection) && stays && !isStopped
    }

    /// Writes all of `data`; false when the client has gone.
    private func send(_ data: Data, on connection: Int32) -> Bool {
        data.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = write(connection, raw.baseAddress! + sent, raw.count - sent)
                if n <= 0 { return false }
                sent += n
            }
            return true
        }
    }
}
