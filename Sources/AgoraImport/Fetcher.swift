import AgoraKit
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Gets a feed, politely: a User-Agent that names Agora, conditional GET (ETag and
/// Last-Modified), gzip, at most five redirects (followed here, one by one, so each is counted
/// and checked), and a timeout. A local path or file URL is read from disk.
public struct Fetcher: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// New content, with the validators to send next time.
        case fetched(Data, etag: String?, lastModified: String?)
        /// 304: nothing changed since the validators were given.
        case notModified
    }

    public static let userAgent = "Agora/\(AgoraKitVersion.string) (terminal community reader)"
    public static let maxRedirects = 5

    public var timeout: TimeInterval
    /// A feed larger than this is refused rather than read into memory.
    public var maxBytes: Int

    public init(timeout: TimeInterval = 30, maxBytes: Int = 512 << 20) {
        self.timeout = timeout
        self.maxBytes = maxBytes
    }

    public func fetch(_ location: String, etag: String? = nil, lastModified: String? = nil) throws -> Outcome {
        if location.hasPrefix("/") || location.lowercased().hasPrefix("file:") {
            let path = location.hasPrefix("/") ? location : (URL(string: location)?.path ?? location)
            return .fetched(try CacheFile.readData(path: path), etag: nil, lastModified: nil)
        }
        guard var url = URL(string: location), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host != nil else {
            throw AgoraError.invalidArgument("\(location): not an http(s) address or a file")
        }
        var redirects = 0
        while true {
            var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData, timeoutInterval: timeout)
            request.setValue(Self.userAgent, forHTTPHeaderField: "User-Agent")
            request.setValue("gzip", forHTTPHeaderField: "Accept-Encoding")
            request.setValue("application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8",
                             forHTTPHeaderField: "Accept")
            if let etag { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
            if let lastModified { request.setValue(lastModified, forHTTPHeaderField: "If-Modified-Since") }
            let (data, response) = try Self.send(request, timeout: timeout, location: location)
            switch response.statusCode {
            case 200...299:
                var body = data
                let encoding = (response.value(forHTTPHeaderField: "Content-Encoding") ?? "").lowercased()
                if body.starts(with: [0x1F, 0x8B]), encoding.contains("gzip") || encoding.isEmpty {
                    guard let inflated = Inflate.inflate(body, wrapper: .gzip, limit: maxBytes) else {
                        throw AgoraError.invalidArgument("\(location): the gzip-compressed answer is broken")
                    }
                    body = inflated
                }
                guard body.count <= maxBytes else {
                    throw AgoraError.invalidArgument("\(location): the feed is larger than \(maxBytes >> 20) MiB")
                }
                return .fetched(body, etag: response.value(forHTTPHeaderField: "ETag"),
                                lastModified: response.value(forHTTPHeaderField: "Last-Modified"))
            case 304:
                return .notModified
            case 429, 503:
                // The server asks to be left alone for a while: say so, and remember until when.
                let wait = response.value(forHTTPHeaderField: "Retry-After").flatMap(Self.retryAfter)
                    ?? (response.statusCode == 429 ? Date().addingTimeInterval(600) : nil)
                let reason = HTTPURLResponse.localizedString(forStatusCode: response.statusCode).capitalized
                throw BackOff(message: "\(location): HTTP \(response.statusCode) \(reason)"
                                  + (wait.map { "; the server asks to wait until \(Self.clock($0))" } ?? ""),
                              until: wait)
            case 301, 302, 303, 307, 308:
                redirects += 1
                guard redirects <= Self.maxRedirects else {
                    throw AgoraError.invalidArgument("\(location): more than \(Self.maxRedirects) redirects")
                }
                guard let target = response.value(forHTTPHeaderField: "Location"),
                      let next = URL(string: target, relativeTo: url)?.absoluteURL,
                      let nextScheme = next.scheme?.lowercased(), ["http", "https"].contains(nextScheme) else {
                    throw AgoraError.invalidArgument("\(location): HTTP \(response.statusCode) with no usable Location")
                }
                url = next
            default:
                let reason = HTTPURLResponse.localizedString(forStatusCode: response.statusCode)
                throw AgoraError.invalidArgument("\(location): HTTP \(response.statusCode) \(reason.capitalized)")
            }
        }
    }

    /// A refusal that asks for time: HTTP 429, or 503 with Retry-After.
    public struct BackOff: Error, CustomStringConvertible {
        public var message: String
        public var until: Date?
        public var description: String { message }
    }

    /// Retry-After is seconds or an HTTP date.
    static func retryAfter(_ value: String) -> Date? {
        let text = value.trimmed
        if let seconds = Int(text), seconds >= 0 { return Date().addingTimeInterval(TimeInterval(min(seconds, 7 * 86_400))) }
        return FeedDate.parse(text)
    }

    /// A time to the minute, as the sources list and sync messages show it.
    public static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// One request, no redirects followed, waited for.
    private static func send(_ request: URLRequest, timeout: TimeInterval, location: String) throws -> (Data, HTTPURLResponse) {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let session = URLSession(configuration: configuration(timeout), delegate: NoRedirects(), delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: request) { data, response, error in
            box.set(data: data, response: response, error: error)
            done.signal()
        }.resume()
        // The session's own timeout fires first; this is a backstop.
        if done.wait(timeout: .now() + timeout + 5) == .timedOut {
            throw AgoraError.invalidArgument("\(location): timed out after \(Int(timeout)) s")
        }
        let (data, response, error) = box.get()
        if let error { throw describe(error, location: location, timeout: timeout) }
        guard let http = response as? HTTPURLResponse else {
            throw AgoraError.invalidArgument("\(location): no HTTP answer")
        }
        return (data ?? Data(), http)
    }

    private static func configuration(_ timeout: TimeInterval) -> URLSessionConfiguration {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        return configuration
    }

    static func describe(_ error: any Error, location: String, timeout: TimeInterval) -> AgoraError {
        let code = (error as? URLError)?.code
        let reason: String
        switch code {
        case .timedOut?: reason = "timed out after \(Int(timeout)) s"
        case .cannotFindHost?, .dnsLookupFailed?: reason = "cannot find the host (DNS)"
        case .cannotConnectToHost?: reason = "cannot connect (nothing listening?)"
        case .networkConnectionLost?: reason = "the connection was lost"
        case .notConnectedToInternet?: reason = "not connected to a network"
        case .secureConnectionFailed?, .serverCertificateUntrusted?, .serverCertificateHasBadDate?,
             .serverCertificateNotYetValid?, .serverCertificateHasUnknownRoot?:
            reason = "the TLS connection failed (\(error.localizedDescription))"
        case .badServerResponse?: reason = "the server's answer was broken"
        default: reason = error.localizedDescription
        }
        return .invalidArgument("\(location): \(reason)")
    }
}

/// Redirects come back as 3xx answers, so that `Fetcher` counts and checks each one.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var response: URLResponse?
    private var error: (any Error)?

    func set(data: Data?, response: URLResponse?, error: (any Error)?) {
        lock.lock()
        defer { lock.unlock() }
        self.data = data
        self.response = response
        self.error = error
    }

    func get() -> (Data?, URLResponse?, (any Error)?) {
        lock.lock()
        defer { lock.unlock() }
        return (data, response, error)
    }
}
