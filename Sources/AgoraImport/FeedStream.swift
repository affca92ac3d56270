import AgoraKit
import CLibXML2
import Foundation

/// Reads RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0 as a stream, with libxml2's SAX2 push
/// parser: the input arrives in chunks and each entry is handed on as soon as it ends, so a
/// 300 MB feed is read in constant memory. No DTD or external entity is ever loaded.
///
/// A broken feed is an `AgoraError` with the file, line and column, and libxml2's own words.
final class FeedStream {
    static let atom10 = "http://www.w3.org/2005/Atom"
    static let atom03 = "http://purl.org/atom/ns#"
    static let contentNS = "http://purl.org/rss/1.0/modules/content/"
    static let dublinCore = "http://purl.org/dc/elements/1.1/"
    static let itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd"
    static let media = "http://search.yahoo.com/mrss/"

    /// The feed's own fields; entries go to `onEntry`.
    private(set) var feed: Feed?
    private let onEntry: (Feed.Entry) throws -> Void
    /// Hears the feed's own fields, as far as they came, before the first entry.
    private var header: ((Feed) -> Void)?
    private var entry: Feed.Entry?
    private var text: [UInt8] = []
    private var path: [String] = []
    private var xhtmlDepth = 0
    private var inAuthor = false
    /// What relative links are resolved against: each open element's xml:base, else the
    /// feed's own address or the file's location.
    private var bases: [URL?] = []
    private var documentBase: URL?
    /// Read from a file: the base comes from the feed's own links.
    private var fromFile = false
    private var baseIsSelf = false

    /// A feed-level link seen: for a feed read from a file, the base from here on.
    private func ownAddress(_ link: String?, isSelf: Bool) {
        guard fromFile, let link, let url = URL(string: link), let scheme = url.scheme?.lowercased(),
              ["http", "https"].contains(scheme), url.host != nil else { return }
        if documentBase == nil || (isSelf && !baseIsSelf) {
            documentBase = url
            baseIsSelf = isSelf
        }
    }
    /// The entry's guid, when it is its permalink (RSS: `isPermaLink` missing or true).
    private var permalink: String?
    private var guidIsPermalink = true
    /// Names and namespaces come from libxml2's dictionary: the same pointer each time.
    private var names: [UnsafeRawPointer: String] = [:]
    private var firstError: (line: Int, column: Int, message: String)?
    private var callbackError: (any Error)?
    private var context: xmlParserCtxtPtr?

    private init(onEntry: @escaping (Feed.Entry) throws -> Void) {
        self.onEntry = onEntry
    }

    /// Parses the whole input, handing each entry to `onEntry`; returns the feed's own fields.
    static func parse(path: String, chunks: Chunks, header: ((Feed) -> Void)? = nil,
                      onEntry: @escaping (Feed.Entry) throws -> Void) throws -> Feed {
        let stream = FeedStream(onEntry: onEntry)
        stream.header = header
        try stream.run(path: path, chunks: chunks)
        guard let feed = stream.feed else {
            throw AgoraError.badInput(.init(path: path), "not a feed (no <rss>, <rdf:RDF> or <feed> element)")
        }
        return feed
    }

    private var currentBase: URL? { (bases.last ?? nil) ?? documentBase }

    private func resolved(_ value: String?) -> String? { value.map { HTMLLinks.resolve($0, base: currentBase) } }

    private func absoluteLinks(_ html: String) -> String { currentBase.map { HTMLLinks.absolute(html, base: $0) } ?? html }

    private func run(path: String, chunks: Chunks) throws {
        let lower = path.lowercased()
        // A feed read from the web is resolved against its address; one read from a file against
        // the address it gives itself (its self link, else its site's link) once it says it, never
        // the file's own path (a link to /tools/ is not file:///tools/).
        documentBase = lower.hasPrefix("http://") || lower.hasPrefix("https://") ? URL(string: path) : nil
        fromFile = documentBase == nil
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElementNs = { ctx, localname, _, uri, _, _, count, _, attributes in
            FeedStream.from(ctx).start(localname, uri, Int(count), attributes)
        }
        handler.endElementNs = { ctx, localname, _, uri in
            FeedStream.from(ctx).end(localname, uri)
        }
        handler.characters = { ctx, bytes, length in
            FeedStream.from(ctx).characters(bytes, Int(length))
        }
        handler.cdataBlock = { ctx, bytes, length in
            FeedStream.from(ctx).cdata(bytes, Int(length))
        }
        handler.serror = { ctx, error in
            guard let ctx, let error else { return }
            FeedStream.from(ctx).record(error.pointee)
        }
        let me = Unmanaged.passUnretained(self).toOpaque()
        guard let context = xmlCreatePushParserCtxt(&handler, me, nil, 0, path) else {
            throw AgoraError.badInput(.init(path: path), "cannot start the XML parser")
        }
        self.context = context
        defer {
            xmlFreeParserCtxt(context)
            self.context = nil
        }
        // No network, no DTD loading, no entity expansion beyond XML's own.
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue))
        var status: Int32 = 0
        while status == 0, firstError == nil, callbackError == nil, var piece = try chunks.next() {
            status = piece.withUnsafeMutableBytes { raw in
                xmlParseChunk(context, raw.bindMemory(to: CChar.self).baseAddress, Int32(raw.count), 0)
            }
            _ = piece
        }
        if status == 0, firstError == nil, callbackError == nil {
            status = xmlParseChunk(context, nil, 0, 1)
        }
        if let callbackError { throw callbackError }
        if let failure = firstError ?? (status != 0 ? (Int(xmlSAX2GetLineNumber(context)), Int(xmlSAX2GetColumnNumber(context)), "error \(status)") : nil) {
            throw AgoraError.badInput(.init(path: path, line: failure.line, column: failure.column),
                                      "not a feed this can read (invalid XML: \(failure.message))")
        }
    }

    private static func from(_ ctx: UnsafeMutableRawPointer?) -> FeedStream {
        Unmanaged<FeedStream>.fromOpaque(ctx!).takeUnretainedValue()
    }

    private func record(_ error: xmlError) {
        // Only what stops the parser: a namespace URI with a space in it is an error that it reads past.
        guard error.level == XML_ERR_FATAL, firstError == nil else { return }
        let message = error.message.map { String(cString: $0) } ?? "error \(error.code)"
        firstError = (Int(error.line), Int(error.int2), Sanitizer.line(message).trimmingCharacters(in: .whitespaces))
        if let context { xmlStopParser(context) }
    }

    private func interned(_ pointer: UnsafePointer<xmlChar>?) -> String? {
        guard let pointer else { return nil }
        let key = UnsafeRawPointer(pointer)
        if let known = names[key] { return known }
        let value = String(cString: pointer)
        names[key] = value
        return value
    }

    /// An attribute's value as text. Without entity substitution, libxml2 hands `&amp;` in an
    /// attribute on as `&#38;` (it keeps it escaped for a tree it is not building here).
    static func attributeValue(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.contains("&#38;") ? text.replacingOccurrences(of: "&#38;", with: "&") : text
    }

    /// The bytes as text without the whitespace around them (Unicode spaces as well as ASCII).
    static func trimmed(_ bytes: [UInt8]) -> String {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        // Only a letter past ASCII at either end may be a space of another kind (no-break, ideographic).
        guard start < end, bytes[start] >= 0x80 || bytes[end - 1] >= 0x80 else { return text }
        return text.trimmed
    }

    private func isAtom(_ namespace: String?) -> Bool { namespace == Self.atom10 || namespace == Self.atom03 }

    // MARK: Events

    private func start(_ localname: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?, _ count: Int,
                       _ raw: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        guard let name = interned(localname) else { return }
        let namespace = interned(uri)
        func attribute(_ wanted: String) -> String? {
            guard let raw else { return nil }
            for index in 0..<count {
                let base = index * 5
                // Compared as C strings: every element is asked for its xml:base, most have none.
                guard let local = raw[base], wanted.withCString({ strcmp(UnsafeRawPointer(local).assumingMemoryBound(to: CChar.self), $0) }) == 0,
                      let begin = raw[base + 3], let end = raw[base + 4] else { continue }
                return Self.attributeValue(UnsafeBufferPointer(start: begin, count: end - begin))
            }
            return nil
        }
        if xhtmlDepth > 0 {
            xhtmlDepth += 1
            var attrs: [String] = []
            if let raw {
                for index in 0..<count {
                    let base = index * 5
                    guard let local = raw[base], let begin = raw[base + 3], let end = raw[base + 4] else { continue }
                    let value = Self.attributeValue(UnsafeBufferPointer(start: begin, count: end - begin))
                    attrs.append(" \(String(cString: local))=\"\(FeedParser.escapeAttribute(value))\"")
                }
            }
            text += Array("<\(name)\(attrs.sorted().joined())>".utf8)
            return
        }
        path.append(name)
        let outer = currentBase
        bases.append(attribute("base").flatMap { URL(string: $0, relativeTo: outer)?.absoluteURL } ?? outer)
        if feed == nil {
            switch name {
            case "rss": feed = Feed(format: .rss)
            case "RDF": feed = Feed(format: .rdf)
            case "feed" where isAtom(namespace) || namespace == nil: feed = Feed(format: .atom)
            default: break
            }
            return
        }
        let atom = isAtom(namespace)
        if (name == "item" && !atom) || (name == "entry" && atom) {
            entry = Feed.Entry()
            permalink = nil
        }
        if entry != nil, name == "guid" { guidIsPermalink = attribute("isPermaLink").map { $0.lowercased() != "false" } ?? true }
        if entry != nil, name == "category", namespace == Self.itunes, let text = attribute("text"), !text.isEmpty,
           (entry?.categories.count ?? 0) < Feed.maximumCategories {
            entry?.categories.append(text)
        }
        if name == "author", atom { inAuthor = true }
        if entry != nil, !atom, name == "enclosure", namespace == nil, let url = resolved(attribute("url")) {
            enclose(url, type: attribute("type"), length: attribute("length"), title: nil)
        }
        if entry != nil, atom {
            if name == "link" {
                let rel = attribute("rel") ?? "alternate"
                if rel == "alternate", entry?.link == nil { entry?.link = resolved(attribute("href")) }
                if rel == "enclosure", let url = resolved(attribute("href")) {
                    enclose(url, type: attribute("type"), length: attribute("length"), title: attribute("title"))
                }
            }
            // The label is the human name; the term is the machine's.
            if name == "category", let term = attribute("label").flatMap({ $0.trimmed.isEmpty ? nil : $0 }) ?? attribute("term"),
               (entry?.categories.count ?? 0) < Feed.maximumCategories {
                entry?.categories.append(term)
            }
            if name == "content" || name == "summary", let type = attribute("type"), type == "xhtml" || type == "application/xhtml+xml" {
                xhtmlDepth = 1
            }
        }
        if entry == nil, atom, name == "link" {
            switch attribute("rel") ?? "alternate" {
            case "alternate" where feed?.link == nil:
                feed?.link = resolved(attribute("href"))
                ownAddress(feed?.link, isSelf: false)
            case "self" where feed?.selfLink == nil:
                feed?.selfLink = resolved(attribute("href"))
                ownAddress(feed?.selfLink, isSelf: true)
            default: break
            }
        }
        text.removeAll(keepingCapacity: true)
    }

    /// An enclosure of the entry being read, up to the most kept.
    private func enclose(_ url: String, type: String?, length: String?, title: String?) {
        guard (entry?.enclosures.count ?? .max) < Feed.Enclosure.maximum, var current = entry.take() else { return }
        current.enclosures.append(Feed.Enclosure(url: url, type: type?.trimmed.nilIfEmpty, length: length.flatMap { Int($0.trimmed) }.flatMap { $0 > 0 ? $0 : nil },
                                                 title: title?.trimmed.nilIfEmpty))
        entry = current
    }

    private func characters(_ bytes: UnsafePointer<xmlChar>?, _ length: Int) {
        guard let bytes, length > 0 else { return }
        let buffer = UnsafeBufferPointer(start: bytes, count: length)
        if xhtmlDepth > 0 {
            text += Array(FeedParser.escape(String(decoding: buffer, as: UTF8.self)).utf8)
        } else {
            text.append(contentsOf: buffer)
        }
    }

    private func cdata(_ bytes: UnsafePointer<xmlChar>?, _ length: Int) {
        guard let bytes, length > 0 else { return }
        text.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
    }

    private func end(_ localname: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?) {
        guard let name = interned(localname) else { return }
        if xhtmlDepth > 1 {
            xhtmlDepth -= 1
            text += Array("</\(name)>".utf8)
            return
        }
        if xhtmlDepth == 1 { xhtmlDepth = 0 }
        defer {
            if !path.isEmpty { path.removeLast() }
            if !bases.isEmpty { bases.removeLast() }
            text.removeAll(keepingCapacity: true)
        }
        let namespace = interned(uri)
        let atom = isAtom(namespace)
        // Only what a field needs is made into a String: bodies whole, short fields trimmed.
        var raw: String { String(decoding: text, as: UTF8.self) }
        var value: String { Self.trimmed(text) }
        if var current = entry.take() {
            // Moved out while it changes, so that its arrays are not shared and copied on every
            // append (an item with 40,000 categories was quadratic), and its fields not retained
            // and released at every element's end; put back below.
            switch (name, namespace ?? "") {
            case ("item", _) where !atom, ("entry", _) where atom:
                if current.link == nil { current.link = permalink }
                if let header, let feed {
                    header(feed)
                    self.header = nil
                }
                do { try onEntry(current) } catch {
                    callbackError = error
                    if let context { xmlStopParser(context) }
                }
                return
            case ("title", _) where path.count >= 2 && ["item", "entry"].contains(path[path.count - 2]):
                // The item's own title wins over a Dublin Core one, wherever each comes.
                if namespace != Self.dublinCore || current.title == nil { current.title = value }
            case ("link", _) where !atom:
                if current.link == nil, !value.isEmpty { current.link = resolved(value) }
            case ("guid", _):
                current.id = value
                let lower = value.lowercased()
                if guidIsPermalink, lower.hasPrefix("http://") || lower.hasPrefix("https://") { permalink = value }
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
            case ("encoded", Self.contentNS):
                current.content = absoluteLinks(raw)
            case ("content", _) where atom:
                current.content = absoluteLinks(raw)
            case ("description", _) where !atom, ("summary", _) where atom:
                current.summary = absoluteLinks(raw)
            case ("creator", Self.dublinCore):
                if current.author == nil, !value.isEmpty { current.author = value }
            case ("author", _) where !atom:
                if current.author == nil, !value.isEmpty { current.author = value }
            case ("name", _) where atom && inAuthor:
                if current.author == nil, !value.isEmpty { current.author = value }
            case ("author", _) where atom:
                inAuthor = false
            case ("category", Self.itunes):
                break  // its text attribute was taken at its start
            case ("category", _) where !atom, ("subject", Self.dublinCore):
                if !value.isEmpty, current.categories.count < Feed.maximumCategories { current.categories.append(value) }
            case ("keywords", Self.itunes):
                for word in value.split(separator: ",") where current.categories.count < Feed.maximumCategories {
                    let keyword = word.trimmingCharacters(in: .whitespaces)
                    if !keyword.isEmpty { current.categories.append(keyword) }
                }
            default:
                break
            }
            entry = current
        } else if feed != nil {
            let parent = path.count >= 2 ? path[path.count - 2] : ""
            switch name {
            case "title" where parent == "channel" || (atom && parent == "feed"):
                feed?.title = value
            case "id" where atom && parent == "feed":
                if !value.isEmpty { feed?.id = value }
            case "link" where !atom && parent == "channel":
                if feed?.link == nil {
                    feed?.link = resolved(value)
                    ownAddress(feed?.link, isSelf: false)
                }
            case "description" where parent == "channel", "subtitle" where atom, "tagline" where atom:
                feed?.description = value
            case "author" where atom:
                inAuthor = false
            default:
                break
            }
        }
    }
}
