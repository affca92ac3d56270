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
        let parser = XMLParser(data: HTMLEntities.numbered(data))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        let delegate = XMLFeedDelegate()
        parser.delegate = delegate
        let ok = parser.parse()
        // parse() can say yes to broken input: the error is what counts.
        if let error = parser.parserError ?? (ok ? nil : NSError(domain: "XML", code: 0)) {
            let reason = describe((error as NSError).code)
            throw AgoraError.invalidArgument(
                "\(path):\(parser.lineNumber):\(parser.columnNumber): not a feed this can read (invalid XML: \(reason))")
        }
        guard let feed = delegate.feed else {
            throw AgoraError.invalidArgument("\(path): not a feed (no <rss>, <rdf:RDF> or <feed> element)")
        }
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

/// Builds a `Feed` from XMLParser events, for RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0.
private final class XMLFeedDelegate: NSObject, XMLParserDelegate {
    static let atom10 = "http://www.w3.org/2005/Atom"
    static let atom03 = "http://purl.org/atom/ns#"
    static let content = "http://purl.org/rss/1.0/modules/content/"
    static let dublinCore = "http://purl.org/dc/elements/1.1/"

    var feed: Feed?
    private var entry: Feed.Entry?
    private var text = ""
    private var path: [String] = []
    /// Inside Atom content of type xhtml: child elements are kept as markup.
    private var xhtmlDepth = 0
    private var inAuthor = false

    private func isAtom(_ namespace: String?) -> Bool { namespace == Self.atom10 || namespace == Self.atom03 }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if xhtmlDepth > 0 {
            xhtmlDepth += 1
            let attrs = attributes.map { " \($0.key)=\"\(FeedParser.escape($0.value))\"" }.sorted().joined()
            text += "<\(name)\(attrs)>"
            return
        }
        path.append(name)
        if feed == nil {
            switch name {
            case "rss": feed = Feed(format: .rss)
            case "RDF": feed = Feed(format: .rdf)
            case "feed" where isAtom(namespaceURI) || namespaceURI == nil || namespaceURI == "": feed = Feed(format: .atom)
            default: break
            }
            return
        }
        if (name == "item" && !isAtom(namespaceURI)) || (name == "entry" && isAtom(namespaceURI)) {
            entry = Feed.Entry()
        }
        if name == "author", isAtom(namespaceURI) { inAuthor = true }
        if entry != nil, isAtom(namespaceURI) {
            if name == "link" {
                let rel = attributes["rel"] ?? "alternate"
                if rel == "alternate", entry?.link == nil { entry?.link = attributes["href"] }
            }
            if name == "category", let term = attributes["term"] ?? attributes["label"] { entry?.categories.append(term) }
            if (name == "content" || name == "summary"), attributes["type"] == "xhtml" || attributes["type"] == "application/xhtml+xml" {
                xhtmlDepth = 1
            }
        }
        if entry == nil, isAtom(namespaceURI), name == "link", feed?.link == nil, (attributes["rel"] ?? "alternate") == "alternate" {
            feed?.link = attributes["href"]
        }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += xhtmlDepth > 0 ? FeedParser.escape(string) : string
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        text += String(decoding: block, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if xhtmlDepth > 1 {
            xhtmlDepth -= 1
            text += "</\(name)>"
            return
        }
        if xhtmlDepth == 1 { xhtmlDepth = 0 }
        defer {
            if !path.isEmpty { path.removeLast() }
        }
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let atom = isAtom(namespaceURI)
        if var current = entry {
            switch (name, namespaceURI ?? "") {
            case ("item", _) where !atom, ("entry", _) where atom:
                feed?.entries.append(current)
                entry = nil
                return
            case ("title", _) where path.count >= 2 && ["item", "entry"].contains(path[path.count - 2]):
                current.title = value
            case ("link", _) where !atom:
                if current.link == nil, !value.isEmpty { current.link = value }
            case ("guid", _):
                current.id = value
            case ("id", _) where atom:
                current.id = value
            case ("pubDate", _):
                current.published = current.published ?? FeedDate.parse(value)
            case ("published", _) where atom, ("issued", _) where atom, ("created", _) where atom:
                current.published = current.published ?? FeedDate.parse(value)
            case ("date", Self.dublinCore):
                current.published = current.published ?? FeedDate.parse(value)
            case ("updated", _) where atom, ("modified", _) where atom:
                current.updated = FeedDate.parse(value)
            case ("encoded", Self.content):
                current.content = text
            case ("content", _) where atom:
                current.content = text
            case ("description", _) where !atom, ("summary", _) where atom:
                current.summary = text
            case ("creator", Self.dublinCore):
                if current.author == nil, !value.isEmpty { current.author = value }
            case ("author", _) where !atom:
                if current.author == nil, !value.isEmpty { current.author = value }
            case ("name", _) where atom && inAuthor:
                if current.author == nil, !value.isEmpty { current.author = value }
            case ("author", _) where atom:
                inAuthor = false
            case ("category", _) where !atom, ("subject", Self.dublinCore):
                if !value.isEmpty { current.categories.append(value) }
            default:
                break
            }
            entry = current
        } else if feed != nil {
            let parent = path.count >= 2 ? path[path.count - 2] : ""
            switch name {
            case "title" where parent == "channel" || (atom && parent == "feed"):
                feed?.title = value
            case "link" where !atom && parent == "channel":
                if feed?.link == nil { feed?.link = value }
            case "description" where parent == "channel", "subtitle" where atom, "tagline" where atom:
                feed?.description = value
            case "author" where atom:
                inAuthor = false
            default:
                break
            }
        }
        text = ""
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
        guard data.contains(UInt8(ascii: "&")) else { return data }
        var out = Data()
        out.reserveCapacity(data.count)
        let bytes = [UInt8](data)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "&") {
                var j = i + 1
                while j < bytes.count, j - i <= 10, (bytes[j] >= 0x41 && bytes[j] <= 0x5A) || (bytes[j] >= 0x61 && bytes[j] <= 0x7A) || (bytes[j] >= 0x30 && bytes[j] <= 0x39) {
                    j += 1
                }
                if j < bytes.count, bytes[j] == UInt8(ascii: ";"), j > i + 1,
                   let code = table[String(decoding: bytes[(i + 1)..<j], as: UTF8.self)] {
                    out.append(contentsOf: Array("&#\(code);".utf8))
                    i = j + 1
                    continue
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return out
    }
}
