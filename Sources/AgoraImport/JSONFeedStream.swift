import AgoraKit
import Foundation

/// Reads a JSON Feed an item at a time: the bytes are scanned for the top-level fields and the
/// items array's elements, and only one item is ever made into objects, so 200,000 items cost
/// the file and a batch, not a whole object graph (618 MB for an 11.5 MB feed, before).
enum JSONFeedStream {
    /// The version a JSON Feed gives: the specification's address, or (as some writers put it)
    /// its number alone, "1.0" or "1.1". An Agora file's version is a number, not a string.
    static func isFeedVersion(_ version: String) -> Bool {
        version.contains("jsonfeed.org") || version.wholeMatch(of: /1(\.\d+)*/) != nil
    }

    /// A JSON object whose first bytes say feed: a version given as a string of a feed's form,
    /// with items or a feed's own addresses.
    static func looksLikeFeed(_ head: String) -> Bool {
        guard let match = head.firstMatch(of: /"version"\s*:\s*"([^"]*)"/), isFeedVersion(String(match.1)) else { return false }
        return head.contains("\"items\"") || head.contains("\"home_page_url\"") || head.contains("\"feed_url\"")
    }

    /// The feed's own fields (entries empty); `header` hears them before the first item,
    /// `onEntry` each item as it is read.
    static func parse(_ data: Data, path: String, header: ((Feed) -> Void)? = nil, onEntry: (Feed.Entry) throws -> Void) throws -> Feed {
        try data.withUnsafeBytes { raw -> Feed in
            let bytes = raw.bindMemory(to: UInt8.self)
            var scan = Scanner(bytes: bytes, path: path)
            var fields: [String: Any] = [:]
            var itemsRange: Range<Int>?
            try scan.object { key, range in
                if key == "items" {
                    itemsRange = range
                } else if ["version", "title", "home_page_url", "feed_url", "description", "author", "authors"].contains(key) {
                    fields[key] = try Scanner.value(range, in: bytes, path: path)
                }
            }
            guard let version = fields["version"] as? String, isFeedVersion(version) else {
                throw AgoraError.badInput(.init(path: path), "not a JSON Feed (no \"version\": \"https://jsonfeed.org/version/1.1\")")
            }
            var feed = Feed(format: .jsonFeed, title: fields["title"] as? String, link: fields["home_page_url"] as? String,
                            description: fields["description"] as? String)
            feed.selfLink = fields["feed_url"] as? String
            header?(feed)
            let feedAuthor = FeedParser.author(fields)
            if let itemsRange {
                var items = Scanner(bytes: bytes, path: path, at: itemsRange.lowerBound)
                try items.array(ending: itemsRange.upperBound) { range in
                    guard let item = try Scanner.value(range, in: bytes, path: path) as? [String: Any] else { return }
                    try onEntry(FeedParser.entry(item, feedAuthor: feedAuthor))
                }
            }
            return feed
        }
    }

    /// Finds where JSON values begin and end without making them: strings with their escapes,
    /// objects and arrays by depth.
    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let path: String
        var i: Int

        init(bytes: UnsafeBufferPointer<UInt8>, path: String, at start: Int = 0) {
            self.bytes = bytes
            self.path = path
            i = start
        }

        func broken(_ what: String) -> AgoraError { .badInput(.init(path: path), "not a feed (invalid JSON: \(what) at byte \(i))") }

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
            // A byte-order mark at the very start.
            if i == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3; skipSpace() }
        }

        /// The range of the value starting here (spaces skipped), leaving `i` after it.
        mutating func skipValue() throws -> Range<Int> {
            skipSpace()
            guard i < bytes.count else { throw broken("the file ends where a value should be") }
            let start = i
            switch bytes[i] {
            case UInt8(ascii: "\""):
                try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                repeat {
                    guard i < bytes.count else { throw broken("the file ends inside an object or array") }
                    switch bytes[i] {
                    case UInt8(ascii: "\""): try skipString(); continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                    default: break
                    }
                    i += 1
                } while depth > 0
            default:
                while i < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) {
                    i += 1
                }
            }
            return start..<i
        }

        private mutating func skipString() throws {
            i += 1
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
                if bytes[i] == UInt8(ascii: "\"") { i += 1; return }
                i += 1
            }
            throw broken("a string that does not end")
        }

        /// The value in `range`, made into objects (only what is asked for ever is).
        static func value(_ range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>, path: String) throws -> Any {
            let slice = Data(UnsafeBufferPointer(rebasing: bytes[range]))
            do { return try JSONSerialization.jsonObject(with: slice, options: [.fragmentsAllowed]) } catch {
                throw AgoraError.badInput(.init(path: path), "not a feed (invalid JSON at byte \(range.lowerBound))")
            }
        }

        /// The object here: each key with the range of its value.
        mutating func object(_ field: (String, Range<Int>) throws -> Void) throws {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { throw broken("no object") }
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return }
            while true {
                let keyRange = try skipValue()
                guard let key = try Self.value(keyRange, in: bytes, path: path) as? String else { throw broken("a key that is not a string") }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw broken("no ':' after a key") }
                i += 1
                try field(key, try skipValue())
                skipSpace()
                guard i < bytes.count else { throw broken("the file ends inside the feed") }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return }
                guard bytes[i] == UInt8(ascii: ",") else { throw broken("no ',' between fields") }
                i += 1
            }
        }

        /// The array here, ending before `end`: the range of each element.
        mutating func array(ending end: Int, _ element: (Range<Int>) throws -> Void) throws {
            skipSpace()
            guard i < end, bytes[i] == UInt8(ascii: "[") else { throw broken("\"items\" is not an array") }
            i += 1
            skipSpace()
            if i < end, bytes[i] == UInt8(ascii: "]") { return }
            while i < end {
                try element(try skipValue())
                skipSpace()
                guard i < end else { throw broken("the items end early") }
                if bytes[i] == UInt8(ascii: "]") { return }
                guard bytes[i] == UInt8(ascii: ",") else { throw broken("no ',' between items") }
                i += 1
            }
        }
    }
}
