import AgoraKit
import CLibXML2
import Foundation

/// OPML subscription lists: every `<outline xmlUrl="...">`, at any depth, is a feed.
public enum OPML {
    public struct Feed: Hashable, Sendable {
        public var url: String
        public var title: String?
        /// Its site (`htmlUrl`).
        public var site: String?
        /// The folder (an outline that holds feeds) it is in.
        public var folder: String?

        public init(url: String, title: String? = nil, site: String? = nil, folder: String? = nil) {
            self.url = url
            self.title = title
            self.site = site
            self.folder = folder
        }
    }

    /// Read with libxml2 itself, no network and no external entities: Foundation's XMLParser
    /// stopped the program on names that are not UTF-8 and on empty processing instructions
    /// (both found by the fuzzer).
    public static func parse(_ data: Data, path: String) throws -> [Feed] {
        let text = HTMLEntities.numbered(data)
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)
        xmlResetLastError()
        let document = text.withUnsafeBytes { raw -> xmlDocPtr? in
            guard let base = raw.baseAddress, raw.count > 0, raw.count <= Int(Int32.max) else { return nil }
            return xmlReadMemory(base.assumingMemoryBound(to: CChar.self), Int32(raw.count), "opml.xml", nil, options)
        }
        guard let document else {
            let error = xmlGetLastError()
            let line = error.map { Int($0.pointee.line) } ?? 0
            let column = error.map { Int($0.pointee.int2) } ?? 0
            let reason = error.flatMap { $0.pointee.message }.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) }
                ?? "no XML document"
            throw AgoraError.badInput(.init(path: path, line: line, column: column), "not an OPML file this can read (invalid XML: \(reason))")
        }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document), name(root).lowercased() == "opml" else {
            throw AgoraError.badInput(.init(path: path), "not an OPML file (no <opml> element)")
        }
        var feeds: [Feed] = []
        var seen = Set<String>()
        // Every outline at any depth, in document order, walked without recursion, each with the
        // folder (the nearest outline above it that is not a feed) it is in.
        var stack: [(node: xmlNodePtr, folder: String?)] = [(root, nil)]
        while let (node, folder) = stack.popLast() {
            var inside = folder
            if node.pointee.type == XML_ELEMENT_NODE, name(node) == "outline" {
                let url = (attribute(node, "xmlUrl") ?? attribute(node, "xmlurl") ?? attribute(node, "url"))?
                    .trimmingCharacters(in: .whitespaces)
                let title = (attribute(node, "title") ?? attribute(node, "text")).map { Sanitizer.line($0).trimmed }.flatMap { $0.isEmpty ? nil : $0 }
                if let url, !url.isEmpty {
                    if seen.insert(url).inserted {
                        let site = (attribute(node, "htmlUrl") ?? attribute(node, "htmlurl"))?.trimmingCharacters(in: .whitespaces)
                        feeds.append(Feed(url: url, title: title, site: site.flatMap { $0.isEmpty ? nil : $0 }, folder: folder))
                    }
                } else if let title {
                    inside = title
                }
            }
            var children: [xmlNodePtr] = []
            var child = node.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE { children.append(current) }
                child = current.pointee.next
            }
            stack += children.reversed().map { ($0, inside) }
        }
        return feeds
    }

    private static func name(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    private static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { agora_xml_free(value) }
        return String(cString: value)
    }

    /// The sources that have a feed address, as OPML 2.0.
    public static func write(_ sources: [Source], title: String) -> Data {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0">
              <head>
                <title>\(escape(title))</title>
              </head>
              <body>

            """
        // Each folder an outline of its own, with its feeds inside; feeds in none first.
        let feeds = sources.filter { $0.kind.traits.listedInOPML && $0.location != nil }
        func outline(_ source: Source, indent: String) -> String {
            let location = source.location!
            let url = location.hasPrefix("/") ? URL(fileURLWithPath: location).absoluteString : location
            return "\(indent)<outline type=\"rss\" text=\"\(escape(source.name))\" title=\"\(escape(source.name))\" xmlUrl=\"\(escape(url))\""
                + (source.site.map { " htmlUrl=\"\(escape($0))\"" } ?? "") + "/>\n"
        }
        for source in feeds where source.folder == nil { out += outline(source, indent: "    ") }
        var folders: [String] = []
        for source in feeds { if let folder = source.folder, !folders.contains(folder) { folders.append(folder) } }
        for folder in folders {
            out += "    <outline text=\"\(escape(folder))\" title=\"\(escape(folder))\">\n"
            for source in feeds where source.folder == folder { out += outline(source, indent: "      ") }
            out += "    </outline>\n"
        }
        out += "  </body>\n</opml>\n"
        return Data(out.utf8)
    }

    static func escape(_ text: String) -> String {
        FeedParser.escapeAttribute(Sanitizer.line(text))
    }
}
