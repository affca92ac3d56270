import AgoraKit
import Foundation

extension MailImport {
    /// A message's body as the HTML a post or comment holds: its paragraphs, its quoted lines
    /// as quotes (nested as deep as they are), its attachments as a list. An HTML part is kept
    /// as HTML (the renderer reads it as any other body).
    static func html(_ message: MailMessage) -> String {
        var out = message.bodyIsHTML ? message.body : plainHTML(message.body)
        if !message.attachments.isEmpty {
            let items = message.attachments.map { attachment -> String in
                let facts = [attachment.type.isEmpty ? nil : attachment.type, attachment.size.map(FeedImport.byteSize)].compactMap { $0 }
                let label = FeedParser.escape(attachment.name) + (facts.isEmpty ? "" : " (\(FeedParser.escape(facts.joined(separator: ", "))))")
                guard let url = attachment.url, SourcePolicy.isWeb(url) else { return "<li>\(label)</li>" }
                return "<li><a href=\"\(FeedParser.escapeAttribute(url))\">\(label)</a></li>"
            }
            out += "<p>Attachments:</p><ul>" + items.joined() + "</ul>"
        }
        return out
    }

    /// Plain text as paragraphs; runs of `>` lines as quotes. Made on the text's bytes, into
    /// one buffer (a line is a range of offsets, not a string).
    static func plainHTML(_ text: String) -> String {
        var text = text
        let out = text.withUTF8 { bytes -> [UInt8] in
            var lines: [Range<Int>] = []
            var start = 0
            while start <= bytes.count {
                let end = Mbox.lineEnd(bytes, from: start)
                lines.append(start..<end)
                start = end + 1
            }
            func blank(_ line: Range<Int>) -> Bool { line.allSatisfy { bytes[$0] == 0x20 || bytes[$0] == 0x09 || bytes[$0] == 0x0D } }
            var kept = lines[...]
            while let first = kept.first, blank(first) { kept.removeFirst() }
            while let last = kept.last, blank(last) { kept.removeLast() }
            var out = [UInt8]()
            out.reserveCapacity(bytes.count + bytes.count / 8 + 16)
            blocks(kept, of: bytes, into: &out)
            return out
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `-- ` (or `--`) alone on its line: where a signature begins.
    static func isSignatureDelimiter(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var end = line.count
        if end > 0, line[end - 1] == 0x0D { end -= 1 }
        return (end == 2 || end == 3 && line[2] == 0x20) && line[0] == 0x2D && line[1] == 0x2D
    }

    /// The lines as HTML, written into `out`.
    private static func blocks(_ lines: ArraySlice<Range<Int>>, of bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var paragraph: [Range<Int>] = []
        var quoted: [Range<Int>] = []
        func flushParagraph() {
            guard !paragraph.isEmpty else { return }
            out += [0x3C, 0x70, 0x3E]  // <p>
            for (index, line) in paragraph.enumerated() {
                if index > 0 { out += [0x3C, 0x62, 0x72, 0x3E] }  // <br>
                escape(UnsafeBufferPointer(rebasing: bytes[line]), into: &out)
            }
            out += [0x3C, 0x2F, 0x70, 0x3E]  // </p>
            paragraph.removeAll(keepingCapacity: true)
        }
        func flushQuote() {
            guard !quoted.isEmpty else { return }
            out += blockquote
            blocks(quoted[...], of: bytes, into: &out)
            out += blockquoteEnd
            quoted.removeAll(keepingCapacity: true)
        }
        for line in lines {
            if !line.isEmpty, bytes[line.lowerBound] == 0x3E {
                flushParagraph()
                var inner = line.dropFirst()
                if let first = inner.first, bytes[first] == 0x20 { inner = inner.dropFirst() }
                quoted.append(inner)
            } else if line.allSatisfy({ bytes[$0] == 0x20 || bytes[$0] == 0x09 || bytes[$0] == 0x0D }) {
                flushQuote()
                flushParagraph()
            } else if isSignatureDelimiter(UnsafeBufferPointer(rebasing: bytes[line])) {
                // A signature begins a block of its own, blank line before it or not (the
                // article folds it from there).
                flushQuote()
                flushParagraph()
                paragraph.append(line)
            } else {
                flushQuote()
                paragraph.append(line)
            }
        }
        flushQuote()
        flushParagraph()
    }

    private static let blockquote = Array("<blockquote>".utf8)
    private static let blockquoteEnd = Array("</blockquote>".utf8)

    /// `&`, `<` and `>` escaped into `out`; runs without them copied whole.
    private static func escape(_ line: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var copied = 0
        for (index, byte) in line.enumerated() where byte == 0x26 || byte == 0x3C || byte == 0x3E {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: line[copied..<index]))
            switch byte {
            case 0x26: out += [0x26, 0x61, 0x6D, 0x70, 0x3B]
            case 0x3C: out += [0x26, 0x6C, 0x74, 0x3B]
            default: out += [0x26, 0x67, 0x74, 0x3B]
            }
            copied = index + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: line[copied...]))
    }
}
