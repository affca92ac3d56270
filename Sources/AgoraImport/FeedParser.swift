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
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw AgoraError.invalidArgument("\(path): not a feed (invalid JSON)")
        }
        guard let root = object as? [String: Any], let version = root["version"] as? String,
              version.contains("jsonfeed.org") else {
            throw AgoraError.invalidArgument("\(path): not a JSON Feed (no \"version\": \"https://jsonfeed.org/version/1.1\")")
        }
        var feed = Feed(format: .jsonFeed, title: root["title"] as? String, link: root["home_page_url"] as? String,
                        description: root["description"] as? String)
        let feedAuthor = author(root)
        for case let item as [String: Any] in (root["items"] as? [Any]) ?? [] {
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
            entry.categories = (item["tags"] as? [String]) ?? []
            feed.entries.append(entry)
        }
        return feed
    }

    private static func author(_ object: [String: Any]) -> String? {
        if let authors = object["authors"] as? [[String: Any]], let name = authors.first?["name"] as? String { return name }
        return (object["author"] as? [String: Any])?["name"] as? String
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// HTML's named entities are not XML's: a feed with &nbsp; in it would stop XMLParser. They are
/// turned into numbered references first, which mean the same in XML and in the HTML inside.
enum HTMLEntities {
    static let table: [String: UInt32] = [
        "nbsp": 160, "iexcl": 161, "cent": 162, "pound": 163, "curren": 164, "yen": 165, "brvbar": 166, "sect": 167,
        "uml": 168, "copy": 169, "ordf": 170, "laquo": 171, "not": 172, "shy": 173, "reg": 174, "macr": 175,
        "deg": 176, "plusmn": 177, "sup2": 178, "sup3": 179, "acute": 180, "micro": 181, "para": 182, "middot": 183,
        "cedil": 184, "sup1": 185, "ordm": 186, "raquo": 187, "frac14": 188, "frac12": 189, "frac34": 190, "iquest": 191,
        "Agrave": 192, "Aacute": 193, "Acirc": 194, "Atilde": 195, "Auml": 196, "Aring": 197, "AElig": 198, "Ccedil": 199,
        "Egrave": 200, "Eacute": 201, "Ecirc": 202, "Euml": 203, "Igrave": 204, "Iacute": 205, "Icirc": 206, "Iuml": 207,
        "ETH": 208, "Ntilde": 209, "Ograve": 210, "Oacute": 211, "Ocirc": 212, "Otilde": 213, "Ouml": 214, "times": 215,
        "Oslash": 216, "Ugrave": 217, "Uacute": 218, "Ucirc": 219, "Uuml": 220, "Yacute": 221, "THORN": 222, "szlig": 223,
        "agrave": 224, "aacute": 225, "acirc": 226, "atilde": 227, "auml": 228, "aring": 229, "aelig": 230, "ccedil": 231,
        "egrave": 232, "eacute": 233, "ecirc": 234, "euml": 235, "igrave": 236, "iacute": 237, "icirc": 238, "iuml": 239,
        "eth": 240, "ntilde": 241, "ograve": 242, "oacute": 243, "ocirc": 244, "otilde": 245, "ouml": 246, "divide": 247,
        "oslash": 248, "ugrave": 249, "uacute": 250, "ucirc": 251, "uuml": 252, "yacute": 253, "thorn": 254, "yuml": 255,
        "ndash": 8211, "mdash": 8212, "lsquo": 8216, "rsquo": 8217, "sbquo": 8218, "ldquo": 8220, "rdquo": 8221,
        "bdquo": 8222, "dagger": 8224, "Dagger": 8225, "bull": 8226, "hellip": 8230, "permil": 8240, "prime": 8242,
        "lsaquo": 8249, "rsaquo": 8250, "euro": 8364, "trade": 8482, "larr": 8592, "rarr": 8594, "harr": 8596,
        "ensp": 8194, "emsp": 8195, "thinsp": 8201, "zwnj": 8204, "zwj": 8205, "lrm": 8206, "rlm": 8207,
    ]

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
                   let code = table[String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<j]), as: UTF8.self)] {
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
