import Foundation

extension HTMLRenderer {
    /// A mailing list's messages (and much else) are only paragraphs, line breaks and quotes
    /// with `&amp;`, `&lt;` and `&gt;` in their text: read here without a parser (a thread of
    /// 500 messages opens without 500 parses), the blocks the parser would give. Anything else
    /// (another tag or entity, a stray `<`, a control character) is nil, for the parser.
    static func paragraphs(_ html: String) -> RichText? {
        var html = html
        return html.withUTF8 { bytes -> RichText? in
            guard bytes.count < 1 << 20 else { return nil }
            var builder = Builder()
            var text: [UInt8] = []
            func flushText() {
                if !text.isEmpty { builder.appendText(String(decoding: text, as: UTF8.self)) }
                text.removeAll(keepingCapacity: true)
            }
            /// Whether the bytes at `i` are `word`.
            func at(_ i: Int, _ word: StaticString) -> Bool {
                let count = word.utf8CodeUnitCount
                guard i + count <= bytes.count else { return false }
                for k in 0..<count where bytes[i + k] != word.utf8Start[k] { return false }
                return true
            }
            var depth = 0
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte == 0x3C {
                    flushText()
                    if at(i, "<p>") { builder.openBlock(); i += 3 }
                    else if at(i, "</p>") { builder.openBlock(); i += 4 }
                    else if at(i, "<br>") { builder.lineBreak(); i += 4 }
                    else if at(i, "<blockquote>") { builder.openQuote(); depth += 1; i += 12 }
                    else if at(i, "</blockquote>"), depth > 0 { builder.closeQuote(); depth -= 1; i += 13 }
                    else { return nil }
                } else if byte == 0x26 {
                    if at(i, "&amp;") { text.append(0x26); i += 5 }
                    else if at(i, "&lt;") { text.append(0x3C); i += 4 }
                    else if at(i, "&gt;") { text.append(0x3E); i += 4 }
                    else { return nil }
                } else if byte == 0x3E || (byte < 0x20 && byte != 0x0A && byte != 0x09 && byte != 0x0D) || byte == 0x7F {
                    return nil
                } else {
                    text.append(byte)
                    i += 1
                }
            }
            guard depth == 0 else { return nil }
            flushText()
            return builder.finish()
        }
    }
}

extension Builder {
    // What `element` does for the tags a parser-less reading knows (HTMLRenderer.paragraphs).

    /// `<p>` or `</p>`.
    mutating func openBlock() { flush() }

    mutating func lineBreak() {
        append("\n", style: style)
        pendingSpace = false
    }

    mutating func openQuote() {
        flush()
        quoteDepth += 1
    }

    mutating func closeQuote() {
        flush()
        quoteDepth -= 1
    }
}
