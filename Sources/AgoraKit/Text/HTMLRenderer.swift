import CLibXML2
import Foundation

/// Turns HTML from content into `RichText`, as a browser would lay it out in text: block
/// elements become paragraphs, headings, list items and quotes; `b`, `i`, `code` become styles;
/// links are numbered; scripts and styles are dropped; whitespace collapses.
public enum HTMLRenderer {
    public static func render(_ html: String) -> RichText {
        if html.isEmpty { return RichText() }
        if let simple = simple(html) { return simple }
        if let paragraphs = paragraphs(html) { return paragraphs }
        return parsed(html)
    }

    /// Through libxml2's HTML parser: any HTML.
    static func parsed(_ html: String) -> RichText {
        // Escape sequences go whole before parsing: libxml2 would drop the ESC and leave "[31m".
        var bytes = Array(Sanitizer.text(html).utf8)
        if bytes.isEmpty { return RichText() }
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue
            | HTML_PARSE_NOBLANKS.rawValue)
        let count = Int32(clamping: bytes.count)
        let doc = bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlReadMemory($0, count, nil, "UTF-8", options)
            }
        }
        guard let doc else {
            // libxml2 gives up only on input it cannot read at all: show it as text.
            return RichText(blocks: [RichText.Block(kind: .paragraph, spans: [.init(Sanitizer.line(html))])])
        }
        defer { xmlFreeDoc(doc) }
        var builder = Builder()
        var node = doc.pointee.children
        while let current = node {
            builder.visit(current)
            node = current.pointee.next
        }
        return builder.finish()
    }
}

extension HTMLRenderer {
    /// Most comments are one paragraph of plain text: "<p>text</p>", or text with no markup at
    /// all. Those need no parser; the result is what the parser would give.
    static func simple(_ html: String) -> RichText? {
        var inner = Substring(html)
        if inner.hasPrefix("<p>") && inner.hasSuffix("</p>") {
            inner = inner.dropFirst(3).dropLast(4)
        }
        guard !inner.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: ">") }) else {
            return nil
        }
        var builder = Builder()
        builder.appendText(String(inner))
        return builder.finish()
    }
}
