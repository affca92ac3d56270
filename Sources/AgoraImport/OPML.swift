import AgoraKit
import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// OPML subscription lists: every `<outline xmlUrl="...">`, at any depth, is a feed.
public enum OPML {
    public struct Feed: Hashable, Sendable {
        public var url: String
        public var title: String?
    }

    public static func parse(_ data: Data, path: String) throws -> [Feed] {
        let parser = XMLParser(data: HTMLEntities.numbered(data))
        parser.shouldResolveExternalEntities = false
        let delegate = Delegate()
        parser.delegate = delegate
        let ok = parser.parse()
        if let error = parser.parserError ?? (ok ? nil : NSError(domain: "XML", code: 0)) {
            throw AgoraError.invalidArgument(
                "\(path):\(parser.lineNumber):\(parser.columnNumber): not an OPML file this can read (invalid XML: \(FeedParser.describe((error as NSError).code)))")
        }
        guard delegate.sawOPML else { throw AgoraError.invalidArgument("\(path): not an OPML file (no <opml> element)") }
        return delegate.feeds
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

    private final class Delegate: NSObject, XMLParserDelegate {
        var feeds: [Feed] = []
        var sawOPML = false
        private var seen = Set<String>()

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if name.lowercased() == "opml" { sawOPML = true }
            guard name == "outline" else { return }
            let url = (attributes["xmlUrl"] ?? attributes["xmlurl"] ?? attributes["url"])?.trimmingCharacters(in: .whitespaces)
            guard let url, !url.isEmpty, seen.insert(url).inserted else { return }
            let title = attributes["title"] ?? attributes["text"]
            feeds.append(Feed(url: url, title: title.flatMap { $0.isEmpty ? nil : $0 }))
        }
    }
}
