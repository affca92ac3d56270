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

    /// Plain text as paragraphs; runs of `>` lines as quotes.
    static func plainHTML(_ text: String) -> String {
        var lines = MailText.lines(text)
        while let first = lines.first, first.isBlankLine { lines.removeFirst() }
        while let last = lines.last, last.isBlankLine { lines.removeLast() }
        return blocks(lines[...])
    }

    private static func blocks(_ lines: ArraySlice<Substring>) -> String {
        var out = ""
        var paragraph: [Substring] = []
        var quoted: [Substring] = []
        func flushParagraph() {
            if !paragraph.isEmpty { out += "<p>" + paragraph.map { FeedParser.escape($0) }.joined(separator: "<br>") + "</p>" }
            paragraph.removeAll()
        }
        func flushQuote() {
            if !quoted.isEmpty { out += "<blockquote>" + blocks(quoted[...]) + "</blockquote>" }
            quoted.removeAll()
        }
        for line in lines {
            if line.hasPrefix(">") {
                flushParagraph()
                var inner = line.dropFirst()
                if inner.hasPrefix(" ") { inner = inner.dropFirst() }
                quoted.append(inner)
            } else if line.isBlankLine {
                flushQuote()
                flushParagraph()
            } else {
                flushQuote()
                paragraph.append(line)
            }
        }
        flushQuote()
        flushParagraph()
        return out
    }
}
