import AgoraKit
import CCurl
import Foundation

/// One HTTP(S) request over libcurl, on the calling thread, within bounds: the body is kept as
/// it arrives (inflated, when the server compressed it) and the transfer is aborted the moment it
/// would pass `maxBytes`, sent or inflated; the whole request, connection included, ends at
/// `deadline`; redirects are not followed (the caller counts and checks them); only http and
/// https are spoken. (URLSession on Linux went on reading a cancelled transfer to its end, so an
/// endless answer could not be stopped; see docs/architecture.md.)
struct HTTPTransfer {
    struct Response {
        var status: Int
        /// Header names in lower case; the last of a name wins.
        var headers: [String: String]
        var body: Data

        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    enum Failure: Error, Equatable {
        case tooLarge
        case timedOut
        case cannotResolve
        case cannotConnect
        case tls(String)
        case badEncoding
        /// libcurl could not be loaded: what the loader said.
        case noLibrary(String)
        case other(String)
    }

    var url: String
    var headers: [String]
    var deadline: DispatchTime
    var maxBytes: Int

    /// Handles kept between requests: curl keeps a handle's connections open, so the next
    /// request to the same server goes out on one already made (no new TCP and TLS handshake
    /// for each of a forum's thousands of requests). A handle serves one request at a time.
    private static let kept = KeptHandles()

    /// Why libcurl cannot be loaded (it is, and set up, at the first call), or nil when it can.
    static var loadFailure: String? { agora_curl() == nil ? String(cString: agora_curl_error()) : nil }

    func perform() -> Result<Response, Failure> {
        if let why = Self.loadFailure { return .failure(.noLibrary(why)) }
        guard let handle = Self.kept.take() ?? agora_curl_easy_init() else { return .failure(.other("cannot start an HTTP transfer")) }
        defer { Self.kept.give(handle) }
        // Every option as new; the connections, DNS and TLS session caches stay.
        agora_curl_easy_reset(handle)
        let state = State(limit: maxBytes)
        let user = Unmanaged.passUnretained(state).toOpaque()
        var list: UnsafeMutablePointer<curl_slist>?
        for header in headers { list = agora_curl_slist_append(list, header) }
        defer { agora_curl_slist_free_all(list) }
        let now = DispatchTime.now()
        // Rounded up, so that the transfer ends at the deadline, never a moment before it.
        let remaining = deadline > now ? (deadline.uptimeNanoseconds - now.uptimeNanoseconds + 999_999) / 1_000_000 : 0
        guard remaining > 0 else { return .failure(.timedOut) }
        agora_curl_string(handle, CURLOPT_URL, url)
        agora_curl_list(handle, CURLOPT_HTTPHEADER, list)
        agora_curl_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        agora_curl_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        agora_curl_long(handle, CURLOPT_NOSIGNAL, 1)
        agora_curl_long(handle, CURLOPT_TIMEOUT_MS, Int(max(1, remaining)))
        // Empty: every encoding curl can inflate is offered, and the body arrives inflated.
        agora_curl_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        agora_curl_offset(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxBytes))
        agora_curl_pointer(handle, CURLOPT_WRITEDATA, user)
        agora_curl_pointer(handle, CURLOPT_HEADERDATA, user)
        agora_curl_pointer(handle, CURLOPT_XFERINFODATA, user)
        agora_curl_long(handle, CURLOPT_NOPROGRESS, 0)
        agora_curl_write_function(handle) { data, size, count, user in
            let state = Unmanaged<State>.fromOpaque(user!).takeUnretainedValue()
            let length = size * count
            guard state.body.count + length <= state.limit else {
                state.tooLarge = true
                return 0  // aborts the transfer
            }
            if let data { state.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length) }
            return length
        }
        agora_curl_header_function(handle) { data, size, count, user in
            let state = Unmanaged<State>.fromOpaque(user!).takeUnretainedValue()
            let length = size * count
            if let data { state.header(UnsafeRawBufferPointer(start: data, count: length).bindMemory(to: UInt8.self)) }
            return length
        }
        agora_curl_progress_function(handle) { user, _, received, _, _ in
            // Bytes as sent, before inflating: a stream that never ends is stopped here too.
            let state = Unmanaged<State>.fromOpaque(user!).takeUnretainedValue()
            if received > curl_off_t(state.limit) {
                state.tooLarge = true
                return 1
            }
            return 0
        }
        let code = agora_curl_easy_perform(handle)
        if state.tooLarge || code == CURLE_FILESIZE_EXCEEDED { return .failure(.tooLarge) }
        switch code {
        case CURLE_OK:
            var status = 0
            agora_curl_info_long(handle, CURLINFO_RESPONSE_CODE, &status)
            return .success(Response(status: status, headers: state.headers, body: state.body))
        case CURLE_OPERATION_TIMEDOUT: return .failure(.timedOut)
        case CURLE_COULDNT_RESOLVE_HOST: return .failure(.cannotResolve)
        case CURLE_COULDNT_CONNECT: return .failure(.cannotConnect)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE:
            return .failure(.tls(String(cString: agora_curl_easy_strerror(code))))
        case CURLE_BAD_CONTENT_ENCODING: return .failure(.badEncoding)
        default: return .failure(.other(String(cString: agora_curl_easy_strerror(code))))
        }
    }

    /// The handles not in use, a few at most (the rest are let go with their connections).
    private final class KeptHandles: @unchecked Sendable {
        private var handles: [UnsafeMutableRawPointer] = []
        private let lock = NSLock()

        func take() -> UnsafeMutableRawPointer? {
            lock.withLock { handles.popLast() }
        }

        func give(_ handle: UnsafeMutableRawPointer) {
            let kept = lock.withLock { () -> Bool in
                guard handles.count < 4 else { return false }
                handles.append(handle)
                return true
            }
            if !kept { agora_curl_easy_cleanup(handle) }
        }
    }

    /// What the callbacks gather, reached through curl's user pointer.
    private final class State {
        let limit: Int
        var body = Data()
        var headers: [String: String] = [:]
        var tooLarge = false

        init(limit: Int) { self.limit = limit }

        /// One header line as curl hands it over (CRLF included), on the bytes: the name in
        /// lower case, the value without the blanks around it.
        func header(_ line: UnsafeBufferPointer<UInt8>) {
            // A new status line (after a 100 Continue, say) starts a new set of headers.
            if line.starts(with: "HTTP/".utf8) {
                headers = [:]
                return
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
            func blank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
            var start = colon + 1, end = line.count
            while start < end, blank(line[start]) { start += 1 }
            while end > start, blank(line[end - 1]) { end -= 1 }
            let name = String(decoding: line[..<colon].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
            headers[name] = String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
        }
    }
}

extension HTTPTransfer {
    /// The words for a status, as servers send them.
    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status"
        }
    }
}
