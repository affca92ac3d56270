import AgoraKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A forum's key, read from a file only its owner can read. Only the file's path is ever kept;
/// the key goes into request headers to the forum's own origin and nowhere else (no message, no
/// log, no cache).
public struct ForumKey: Sendable {
    /// `Api-Key` + `Api-Username` (an admin's key), or `User-Api-Key` (a member's).
    let headers: [String]

    /// The largest key file read: a key and a username are well under a kilobyte.
    static let largestFile = AgoraError.keyFileLimit

    /// The file holds `Name: value` lines (`Api-Key`, `Api-Username`, `User-Api-Key`; `=` works
    /// too). Refused unless group and others have no access to it (mode 0600 or 0400).
    public static func read(path: String) throws -> ForumKey {
        var info = stat()
        guard stat(path, &info) == 0 else { throw AgoraError.missing(path: path, folder: false) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw AgoraError.cannotRead(path: path, reason: "not a file") }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw AgoraError.invalidArgument(
                "\(path): a key file must be readable by you alone (its mode is \(String(mode, radix: 8)); run `chmod 600 \(path)`)")
        }
        // A key file is a few lines of text: anything larger, or anything but text, is not one
        // (and is not read whole into memory to find out).
        guard info.st_size <= Self.largestFile else {
            throw AgoraError.notAKeyFile(path: path, bytes: Int(info.st_size))
        }
        let data = try CacheFile.readData(path: path, limit: Self.largestFile + 1)
        guard data.count <= Self.largestFile else {
            throw AgoraError.notAKeyFile(path: path, bytes: data.count)
        }
        guard let text = String(data: data, encoding: .utf8),
              !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" || $0.value == 0x7F }) else {
            throw AgoraError.notAKeyFile(path: path, bytes: nil)
        }
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let split = line.firstIndex(where: { $0 == ":" || $0 == "=" }) else { continue }
            let name = line[..<split].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: split)...].trimmingCharacters(in: .whitespaces)
            if !value.isEmpty, !value.contains(where: { $0.isNewline || $0 == "\r" }) { values[name] = value }
        }
        if let user = values["user-api-key"] { return ForumKey(headers: ["User-Api-Key: \(user)"]) }
        if let key = values["api-key"], let name = values["api-username"] {
            return ForumKey(headers: ["Api-Key: \(key)", "Api-Username: \(name)"])
        }
        throw AgoraError.badInput(.init(path: path), "no key in it (write `Api-Key:` and `Api-Username:` lines, or a `User-Api-Key:` line)")
    }
}

/// How fast a forum is asked: at most `concurrency` requests at once and `rate` a second, on a
/// clock and with a sleep that tests give (so no test waits for real time).
public struct Pacing: Sendable {
    /// Requests a second; nil asks as fast as the answers come.
    public var rate: Double?
    public var concurrency: Int
    /// Seconds on a clock that only goes forward.
    public var clock: @Sendable () -> TimeInterval
    public var sleep: @Sendable (TimeInterval) -> Void

    public static let defaultRate = 4.0
    public static let defaultConcurrency = 2
    /// The longest a forum's Retry-After is waited out; past it the source stops and says so.
    public static let longestWait: TimeInterval = 600

    public init(rate: Double? = Pacing.defaultRate, concurrency: Int = Pacing.defaultConcurrency,
                clock: @escaping @Sendable () -> TimeInterval = { TimeInterval(DispatchTime.now().uptimeNanoseconds) / 1e9 },
                sleep: @escaping @Sendable (TimeInterval) -> Void = { if $0 > 0 { Thread.sleep(forTimeInterval: $0) } }) {
        self.rate = rate
        self.concurrency = max(1, concurrency)
        self.clock = clock
        self.sleep = sleep
    }
}

/// The gate every request of one forum passes: it holds back the request that would be one too
/// many at once, and spaces starts `1/rate` apart.
final class RequestGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var inFlight = 0
    private var nextStart: TimeInterval?
    private(set) var waited: TimeInterval = 0
    let pacing: Pacing
    /// The sync's deadline on the pacing's clock: no request starts at or after it, and no turn
    /// that would start after it is waited for.
    let deadline: TimeInterval?

    init(_ pacing: Pacing, deadline: DispatchTime? = nil) {
        self.pacing = pacing
        self.deadline = deadline.map { end in
            let now = DispatchTime.now().uptimeNanoseconds
            let left = end.uptimeNanoseconds > now ? Double(end.uptimeNanoseconds - now) / 1e9 : 0
            return pacing.clock() + left
        }
    }

    func enter() throws {
        condition.lock()
        while inFlight >= pacing.concurrency { condition.wait() }
        let now = pacing.clock()
        let start = max(now, nextStart ?? now)
        if let deadline, start >= deadline {
            condition.unlock()
            throw Fetcher.DeadlineReached(message: "stopped at the sync's deadline")
        }
        inFlight += 1
        if let rate = pacing.rate, rate > 0 { nextStart = start + 1 / rate }
        condition.unlock()
        if start > now { pacing.sleep(start - now) }
    }

    func leave() {
        condition.lock()
        inFlight -= 1
        condition.signal()
        condition.unlock()
    }

    /// A wait the server asked for (Retry-After), out of the gate.
    func wait(_ seconds: TimeInterval) {
        condition.lock()
        waited += seconds
        condition.unlock()
        pacing.sleep(seconds)
    }
}

/// The requests of one forum's sync, counted.
final class ForumClient: @unchecked Sendable {
    let site: Discourse.Site
    let fetcher: Fetcher
    let key: ForumKey?
    let gate: RequestGate
    private let lock = NSLock()
    private var count = 0

    /// The largest answer a forum's JSON may be: decoded into objects it takes several times
    /// this, so it bounds what one request holds whatever the forum sends.
    static let largestAnswer = 16 << 20

    init(site: Discourse.Site, fetcher: Fetcher, key: ForumKey?, pacing: Pacing) {
        self.site = site
        var capped = fetcher
        capped.maxBytes = min(fetcher.maxBytes, Self.largestAnswer)
        self.fetcher = capped
        self.key = key
        self.gate = RequestGate(pacing, deadline: fetcher.deadline)
    }

    var requests: Int { lock.lock(); defer { lock.unlock() }; return count }

    /// A JSON object from the forum; nil when the forum says there is none (404, 410).
    func object(_ path: String) throws -> JSONValue? { try sizedObject(path)?.json }

    /// The same, with the answer's size in bytes.
    func sizedObject(_ path: String) throws -> (json: JSONValue, bytes: Int)? {
        var attempts = 0
        while true {
            try gate.enter()
            lock.lock()
            count += 1
            lock.unlock()
            let response: Fetcher.Response
            do {
                response = try fetcher.get(site.api(path), headers: ["Accept: application/json"], private: key?.headers ?? [])
                gate.leave()
            } catch {
                gate.leave()
                throw error
            }
            switch response.status {
            case 200...299:
                let json: JSONValue
                do {
                    json = try JSONValue(parsing: response.body)
                } catch {
                    throw AgoraError.invalidArgument("\(site.api(path)): the answer is not JSON (\(error))")
                }
                guard json.isObject else { throw AgoraError.invalidArgument("\(site.api(path)): the answer is not a JSON object") }
                return (json, response.body.count)
            case 404, 410:
                return nil
            case 401, 403:
                throw ForumError.loginNeeded(site: site.base.absoluteString, keyGiven: key != nil)
            case 429, 503:
                // As long as the server asks, up to ten minutes; longer, and the source stops
                // here with the time remembered.
                let asked = response.header("Retry-After").flatMap { Double($0.trimmed) }
                    ?? (response.header("Retry-After").flatMap { Fetcher.retryAfter($0) }.map { max(0, $0.timeIntervalSinceNow) })
                    ?? (response.status == 429 ? 60 : nil)
                attempts += 1
                // A wait that would pass the whole sync's deadline is not begun.
                let beforeDeadline = gate.deadline.map { gate.pacing.clock() + max(0, asked ?? 0) < $0 } ?? true
                guard let asked, asked <= Pacing.longestWait, attempts <= 5, beforeDeadline else {
                    throw fetcher.refusal(Fetcher.Response(status: response.status, headers: response.headers, body: Data()),
                                          location: site.api(path))
                }
                gate.wait(max(0, asked))
            default:
                throw fetcher.refusal(response, location: site.api(path))
            }
        }
    }
}

/// A forum's sync stopped part way (its deadline, a refusal): what it had read is written, and
/// `outcome.source.forum` says how far it got, for the source to keep.
public struct Interrupted: SaidInWords {
    public var outcome: ForumOutcome
    public var reason: any Error

    public var description: String { AgoraError.words(for: reason) }
}

public enum ForumError: SaidInWords, Equatable {
    case loginNeeded(site: String, keyGiven: Bool)

    public var description: String {
        switch self {
        case .loginNeeded(let site, false):
            "\(site): the forum needs a login; give a key with `agora sources add \(site) --api-key-file FILE`"
        case .loginNeeded(let site, true): "\(site): the forum refused the key (HTTP 403)"
        }
    }
}
