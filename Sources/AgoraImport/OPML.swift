import AgoraKit
import CLibXML2
import Foundation

/// OPML subscription lists: every `<outline xmlUrl="...">`, at any depth, is a feed.
public enum OPML {
    public struct Feed: Hashable, Sendable {
        public var url: String
        public var title: String?
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
            throw AgoraError.invalidArgument("\(path):\(line):\(column): not an OPML file this can read (invalid XML: \(reason))")
        }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document), name(root).lowercased() == "opml" else {
            throw AgoraError.invalidArgument("\(path): not an OPML file (no <opml> element)")
        }
        var feeds: [Feed] = []
        var seen = Set<String>()
        // Every outline at any depth, in document order, walked without recursion.
        var stack: [xmlNodePtr] = [root]
        while let node = stack.popLast() {
            if node.pointee.type == XML_ELEMENT_NODE, name(node) == "outline" {
                let url = (attribute(node, "xmlUrl") ?? attribute(node, "xmlurl") ?? attribute(node, "url"))?
                    .trimmingCharacters(in: .whitespaces)
                if let url, !url.isEmpty, seen.insert(url).inserted {
                    let title = attribute(node, "title") ?? attribute(node, "text")
                    feeds.append(Feed(url: url, title: title.flatMap { $0.isEmpty ? nil : $0 }))
                }
            }
            var children: [xmlNodePtr] = []
            var child = node.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE { children.append(current) }
                child = current.pointee.next
            }
            stack += children.reversed()
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
        for source in sources where source.kind == .feed {
            guard let location = source.location else { continue }
            let url = location.hasPrefix("/") ? URL(fileURLWithPath: location).absoluteString : location
            out += "    <outline type=\"rss\" text=\"\(escape(source.name))\" title=\"\(escape(source.name))\" xmlUrl=\"\(escape(url))\"/>\n"
        }
        out += "  </body>\n</opml>\n"
        return Data(out.utf8)
    }

    static func escape(_ text: String) -> String {
        FeedParser.escape(Sanitizer.line(text)).replacingOccurrences(of: "\"", with: "&quot;")
    }
}
