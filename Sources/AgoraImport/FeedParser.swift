import AgoraKit
import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads RSS, RDF and Atom with Foundation's XMLParser, and JSON Feed with JSONSerialization.
/// A broken feed is an `AgoraError` that names the file, and the line and column where known.
public enum FeedParser {
    public static func parse(_ data: Data, path: String) throws -> Feed {
        let start = data.prefix(512).drop { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        if start.first == UInt8(ascii: "{") { return try parseJSONFeed(data, path: path) }
        return try parseXML(data, path: path)
    }

    // MARK: XML

    static func parseXML(_ data: Data, path: String) throws -> Feed {
        var entries: [Feed.Entry] = []
        var feed = try FeedStream.parse(path: path, chunks: FeedStream.chunks(of: data)) { entries.append($0) }
        feed.entries = entries
        return feed
    }

    /// XMLParser's error codes in words.
    static func describe(_ code: Int) -> String {
        switch XMLParser.ErrorCode(rawValue: code) {
        case .undeclaredEntityError?: "an entity that is not defined"
        case .prematureDocumentEndError?: "the file ends in the middle"
        case .tagNameMismatchError?: "a closing tag that does not match the opening one"
        case .emptyDocumentError?, .documentStartError?: "no XML document"
        case .invalidCharacterError?, .invalidCharacterRefError?: "a character that XML does not allow"
        case .extraContentError?: "more after the end of the document"
        case .notWellBalancedError?: "tags that do not nest"
        case .attributeNotStartedError?, .attributeNotFinishedError?: "a broken attribute"
        case let other?: "\(other)"
        case nil: "error \(code)"
        }
    }

    // MARK: JSON Feed

    static func parseJSONFeed(_ data: Data, path: String) throws -> Feed {
        var entries: [Feed.Entry] = []
        var feed = try JSONFeedStream.parse(data, path: path) { entries.append($0) }
        feed.entries = entries
        return feed
    }

    /// One JSON Feed item as an entry.
    static func entry(_ item: [String: Any], feedAuthor: String?) -> Feed.Entry {
        var entry = Feed.Entry()
        entry.id = (item["id"] as? String) ?? (item["id"] as? NSNumber)?.stringValue
        entry.title = item["title"] as? String
        entry.link = (item["url"] as? String) ?? (item["external_url"] as? String)
        entry.author = author(item) ?? feedAuthor
        entry.published = (item["date_published"] as? String).flatMap(FeedDate.parse)
        entry.updated = (item["date_modified"] as? String).flatMap(FeedDate.parse)
        if let html = item["content_html"] as? String {
            entry.content = html
        } else if let text = item["content_text"] as? String {
            entry.content = text.split(separator: "\n", omittingEmptySubsequences: true)
                .map { "<p>" + escape(String($0)) + "</p>" }.joined()
        }
        entry.summary = item["summary"] as? String
        entry.categories = Array(((item["tags"] as? [Any]) ?? []).compactMap { $0 as? String }.prefix(Feed.maximumCategories))
        entry.enclosures = Array(((item["attachments"] as? [Any]) ?? []).compactMap { value -> Feed.Enclosure? in
            guard let attachment = value as? [String: Any], let url = attachment["url"] as? String, !url.isEmpty else { return nil }
            let size = (attachment["size_in_bytes"] as? NSNumber)?.intValue
            return Feed.Enclosure(url: url, type: attachment["mime_type"] as? String, length: size.flatMap { $0 > 0 ? $0 : nil },
                                  title: attachment["title"] as? String)
        }.prefix(Feed.Enclosure.maximum))
        return entry
    }

    static func author(_ object: [String: Any]) -> String? {
        if let authors = object["authors"] as? [[String: Any]], let name = authors.first?["name"] as? String { return name }
        return (object["author"] as? [String: Any])?["name"] as? String
    }

    /// Text for an attribute's value in double quotes.
    static func escapeAttribute(_ text: String) -> String { escape(text).replacingOccurrences(of: "\"", with: "&quot;") }

    static func escape(_ text: String) -> String { escape(Substring(text)) }

    /// `&`, `<` and `>` escaped, on the bytes (the text itself when it has none of them): a
    /// list's import escapes every line of 100,000 messages.
    static func escape(_ text: Substring) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E }) else { return String(text) }
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 0x26: out += [0x26, 0x61, 0x6D, 0x70, 0x3B]
            case 0x3C: out += [0x26, 0x6C, 0x74, 0x3B]
            case 0x3E: out += [0x26, 0x67, 0x74, 0x3B]
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// HTML's named entities are not XML's: a feed with &nbsp; in it would stop XMLParser. They are
/// turned into numbered references first, which mean the same in XML and in the HTML inside.
enum HTMLEntities {

    static func numbered(_ data: Data) -> Data {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Data in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let base = bytes.baseAddress, memchr(base, 0x26, bytes.count) != nil else { return data }
            var out = [UInt8]()
            out.reserveCapacity(bytes.count + 64)
            var i = 0
            var copied = 0
            while i < bytes.count {
                // Jump to the next '&'.
                guard let found = memchr(base + i, 0x26, bytes.count - i) else { break }
                i = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
                var j = i + 1
                while j < bytes.count, j - i <= 10, isAlphanumeric(bytes[j]) { j += 1 }
                if j < bytes.count, bytes[j] == UInt8(ascii: ";"), j > i + 1,
                   let code = HTMLEntityNames.codes[String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<j]), as: UTF8.self)] {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i]))
                    out.append(contentsOf: Array("&#\(code);".utf8))
                    i = j + 1
                    copied = i
                } else {
                    i += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return Data(out)
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
    }
}
