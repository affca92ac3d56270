import AgoraKit
import Foundation

/// Gets a feed, politely and within bounds: a User-Agent that names Agora, conditional GET (ETag
/// and Last-Modified), gzip, at most five redirects (followed here, one by one, so each is
/// counted and checked), a body read as it arrives and stopped at `maxBytes` (and inflated no
/// further than that), and a time limit that ends the source at `timeout`, redirects included,
/// or at the whole sync's deadline if that comes first. A local path or file URL is read from disk.
public struct Fetcher: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// New content, with the validators to send next time.
        case fetched(Data, etag: String?, lastModified: String?)
        /// 304: nothing changed since the validators were given.
        case notModified
    }

    public static let userAgent = "Agora/\(AgoraKitVersion.string) (terminal community reader)"
    public static let maxRedirects = 5
    /// The largest feed a sync takes, as sent and as inflated (docs/limits.md).
    public static let defaultMaxBytes = 64 << 20
    /// The longest a server may ask a source to wait (Retry-After); `agora sync --now` ignores it.
    public static let longestWait: TimeInterval = 86_400

    /// Seconds a source may take, from its first request to the end of its body.
    public var timeout: TimeInterval
    /// A feed larger than this, as sent or as inflated, is refused: reading stops there.
    public var maxBytes: Int
    /// When the whole sync must be done: a source still fetching then is stopped.
    public var deadline: DispatchTime?

    public init(timeout: TimeInterval = 30, maxBytes: Int = Fetcher.defaultMaxBytes, deadline: DispatchTime? = nil) {
        self.timeout = timeout
        self.maxBytes = maxBytes
        self.deadline = deadline
    }

    public func fetch(_ location: String, etag: String? = nil, lastModified: String? = nil) throws -> Outcome {
        if location.hasPrefix("/") || location.lowercased().hasPrefix("file:") {
            let path = location.hasPrefix("/") ? location : (URL(string: location)?.path ?? location)
            return .fetched(try CacheFile.readData(path: path), etag: nil, lastModified: nil)
        }
        var headers = [
            "Accept: application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8",
        ]
        if let etag { headers.append("If-None-Match: \(etag)") }
        if let lastModified { headers.append("If-Modified-Since: \(lastModified)") }
        let response = try get(location, headers: headers)
        switch response.status {
        case 200...299:
            return .fetched(response.body, etag: response.header("ETag"), lastModified: response.header("Last-Modified"))
        case 304:
            return .notModified
        default:
            throw refusal(response, location: location)
        }
    }

    /// One GET of an http(s) address with the limits above: redirects followed (at most five,
    /// http and https only), the body capped and inflated within the cap. Any status comes back
    /// as it is; `private` headers (a forum's key) go only to the first address's origin (scheme,
    /// host and port), never to another host, port or scheme a redirect leads to.
    public func get(_ location: String, headers extra: [String] = [], private secret: [String] = []) throws -> Response {
        let started = DispatchTime.now()
        let own = started + timeout
        let until = deadline.map { min($0, own) } ?? own
        guard var url = URL(string: location), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let origin = Self.origin(url) else {
            throw AgoraError.badInput(.init(path: location), "not an http(s) address or a file")
        }
        // Header values come from a server's earlier answer: no line breaks may ride along.
        let clean = { (headers: [String]) in
            headers.map { header in
                header.utf8.contains { $0 == 0x0D || $0 == 0x0A } ? String(header.unicodeScalars.filter { $0 != "\r" && $0 != "\n" }) : header
            }
        }
        let headers = clean(["User-Agent: \(Self.userAgent)"] + extra)
        let privateHeaders = clean(secret)
        var redirects = 0
        while true {
            let sameOrigin = Self.origin(url) == origin
            let transfer = HTTPTransfer(url: url.absoluteString, headers: headers + (sameOrigin ? privateHeaders : []),
                                        deadline: until, maxBytes: maxBytes)
            let response: HTTPTransfer.Response
            switch transfer.perform() {
            case .success(let answer): response = answer
            case .failure(.timedOut) where until < own:
                // The whole sync's deadline came before this source's own.
                throw DeadlineReached(message: "\(location): stopped at the sync's deadline")
            case .failure(let failure):
                throw describe(failure, location: location)
            }
            switch response.status {
            case 200...299:
                var body = response.body
                // A gzip file served as it is (no Content-Encoding) is inflated here, within the cap.
                if body.starts(with: [0x1F, 0x8B]) {
                    switch Inflate.inflate(body, wrapper: .gzip, limit: maxBytes) {
                    case .success(let inflated): body = inflated
                    case .failure(.tooLarge):
                        throw AgoraError.overLimit(.init(path: location), .inflated(maxBytes))
                    case .failure(.broken):
                        throw AgoraError.badInput(.init(path: location), "the gzip-compressed answer is broken")
                    }
                }
                return Response(status: response.status, headers: response.headers, body: body)
            case 301, 302, 303, 307, 308:
                redirects += 1
                guard redirects <= Self.maxRedirects else {
                    throw AgoraError.badInput(.init(path: location), "more than \(Self.maxRedirects) redirects")
                }
                guard let target = response.header("Location"),
                      let next = URL(string: target, relativeTo: url)?.absoluteURL,
                      let nextScheme = next.scheme?.lowercased(), ["http", "https"].contains(nextScheme) else {
                    throw AgoraError.badInput(.init(path: location), "HTTP \(response.status) with no usable Location")
                }
                url = next
            default:
                return Response(status: response.status, headers: response.headers, body: response.body)
            }
        }
    }

    /// Scheme, host and port, as key grants name them (`WebOrigin`).
    public static func origin(_ url: URL) -> String? { WebOrigin(url)?.text }

    /// An answer: its status, headers (names in lower case) and body.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data

        public func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// What a status other than 2xx and 304 means for a source, as an error: 429 and 503 ask
    /// for time (BackOff, remembered until when), anything else is a failure in words.
    func refusal(_ response: Response, location: String, now: Date = Date()) -> any Error {
        switch response.status {
        case 429, 503:
            let wait = response.header("Retry-After").flatMap { Self.retryAfter($0, now: now) }
                ?? (response.status == 429 ? now.addingTimeInterval(600) : nil)
            return BackOff(message: "\(location): HTTP \(response.status) \(HTTPTransfer.reason(response.status))"
                               + (wait.map { "; the server asks to wait until \(Self.clock($0))" } ?? ""),
                           until: wait)
        default:
            return AgoraError.badInput(.init(path: location), "HTTP \(response.status) \(HTTPTransfer.reason(response.status))")
        }
    }

    /// The whole sync's deadline stopped this source (before its own timeout).
    public struct DeadlineReached: SaidInWords {
        public var message: String
        public var description: String { message }
    }

    /// A refusal that asks for time: HTTP 429, or 503 with Retry-After.
    public struct BackOff: SaidInWords {
        public var message: String
        public var until: Date?
        public var description: String { message }
    }

    /// Retry-After is seconds or an HTTP date; either way no later than a day from `now`, so a
    /// server cannot park a source for ever (`Fri, 31 Dec 99999`).
    static func retryAfter(_ value: String, now: Date = Date()) -> Date? {
        let text = value.trimmed
        let latest = now.addingTimeInterval(longestWait)
        if let seconds = Double(text), seconds >= 0, seconds.isFinite { return min(now.addingTimeInterval(seconds), latest) }
        return FeedDate.parse(text).map { min(max($0, now), latest) }
    }

    /// "64 MiB", "512 KiB".

    /// A time to the minute, as the sources list and sync messages show it.
    public static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// Nothing is fetched without libcurl, which is loaded at the first request: this says so,
    /// naming `location`, before anything is asked of a server.
    public static func checkHTTP(_ location: String) throws {
        if let why = HTTPTransfer.loadFailure { throw AgoraError.badInput(.init(path: location), noLibrary(why)) }
    }

    static func noLibrary(_ why: String) -> String {
        "fetching over HTTP needs libcurl (Debian's package libcurl4), which could not be loaded: \(why)"
    }

    /// A failed transfer in words, naming the source.
    func describe(_ failure: HTTPTransfer.Failure, location: String) -> AgoraError {
        let reason: String
        switch failure {
        case .tooLarge: return .overLimit(.init(path: location), .size(maxBytes))
        case .timedOut: return .overLimit(.init(path: location), .seconds(timeout))
        case .cannotResolve: reason = "cannot find the host (DNS)"
        case .cannotConnect: reason = "cannot connect (nothing listening?)"
        case .tls(let detail): reason = "the TLS connection failed (\(detail))"
        case .badEncoding: reason = "the compressed answer is broken"
        case .noLibrary(let detail): reason = Self.noLibrary(detail)
        case .other(let detail): reason = detail
        }
        return .badInput(.init(path: location), "\(reason)")
    }
}
