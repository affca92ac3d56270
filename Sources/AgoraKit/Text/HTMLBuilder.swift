import CLibXML2
import Foundation

struct Builder {
    var blocks: [RichText.Block] = []
    var links: [String] = []
    var linkNumbers: [String: Int] = [:]

    var spans: [RichText.Span] = []
    var style: RichText.Style = []
    var pendingSpace = false
    /// The style in force where the collapsed space was seen: "plain <b>bold</b>" keeps a plain space.
    var pendingSpaceStyle: RichText.Style = []
    var preformatted = 0
    var quoteDepth = 0
    /// One entry per open list: nil for a bulleted list, the next number for a numbered one.
    var lists: [Int?] = []
    /// Set when an `li` opens: the marker for the first block inside it.
    var pendingMarker: String?
    var headingLevel: Int?

    mutating func finish() -> RichText {
        flush()
        return RichText(blocks: blocks, links: links)
    }

    mutating func visit(_ node: UnsafeMutablePointer<xmlNode>) {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content { text(String(cString: content)) }
        case XML_ELEMENT_NODE:
            element(node)
        default:
            break  // comments, processing instructions, DTDs
        }
    }

    private mutating func children(_ node: UnsafeMutablePointer<xmlNode>) {
        var child = node.pointee.children
        while let current = child {
            visit(current)
            child = current.pointee.next
        }
    }

    private mutating func element(_ node: UnsafeMutablePointer<xmlNode>) {
        let name = node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
        switch name {
        case "script", "style", "head", "title", "noscript", "template", "iframe", "object", "embed", "svg", "math":
            return
        case "aside" where hasClass(node, "quote"):
            quote(node)
        case "aside" where hasClass(node, "onebox"):
            onebox(node)
        case "div" where hasClass(node, "poll"):
            // A forum's poll: headed as one, its options as the list they are; the voters count
            // and the buttons are the forum page's, not the post's.
            flush()
            inline("Poll" + (attribute(node, "data-poll-status") == "closed" ? " (closed)" : "") + ":", style: style.union(.bold))
            flush()
            children(node)
            flush()
        case "div" where hasClass(node, "poll-info") || hasClass(node, "poll-buttons"):
            return
        case "summary":
            // A <details> block's title: a marker, so that it reads as one.
            flush()
            inline("▸", style: style)
            pendingSpace = true
            pendingSpaceStyle = style
            withStyle(.bold, node)
            flush()
        case "p", "div", "section", "article", "header", "footer", "main", "nav", "aside", "figure",
            "figcaption", "address", "dl", "dt", "center", "form", "fieldset", "details",
            "table", "thead", "tbody", "tfoot", "caption", "tr":
            flush()
            children(node)
            flush()
        case "dd":
            flush()
            quoteDepth += 1
            children(node)
            flush()
            quoteDepth -= 1
        case "td", "th":
            if !spans.isEmpty { append(" | ", style: []) }
            withStyle(name == "th" ? .bold : [], node)
        case "h1", "h2", "h3", "h4", "h5", "h6":
            flush()
            headingLevel = Int(String(name.last!)) ?? 1
            withStyle(.bold, node)
            flush()
            headingLevel = nil
        case "blockquote":
            flush()
            quoteDepth += 1
            children(node)
            flush()
            quoteDepth -= 1
        case "ul", "menu", "dir":
            flush()
            lists.append(nil)
            children(node)
            flush()
            lists.removeLast()
        case "ol":
            flush()
            let start = attribute(node, "start").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 1
            lists.append(start)
            children(node)
            flush()
            lists.removeLast()
        case "li":
            flush()
            if lists.isEmpty { lists.append(nil) }
            let index = lists.count - 1
            if let number = lists[index] {
                pendingMarker = "\(number)."
                lists[index] = number + 1
            } else {
                pendingMarker = "•"
            }
            children(node)
            flush()
            if pendingMarker != nil {  // an empty item still shows its marker
                blocks.append(.init(kind: .listItem(marker: pendingMarker!), spans: [],
                                    quoteDepth: quoteDepth, listDepth: lists.count))
                pendingMarker = nil
            }
        case "pre":
            flush()
            preformatted += 1
            withStyle(.code, node)
            flushPreformatted()
            preformatted -= 1
        case "br":
            append("\n", style: style)
            pendingSpace = false
        case "hr":
            flush()
            blocks.append(.init(kind: .rule, spans: [], quoteDepth: quoteDepth, listDepth: lists.count))
        case "b", "strong":
            withStyle(.bold, node)
        case "i", "em", "cite", "dfn", "var":
            withStyle(.italic, node)
        case "u", "ins":
            withStyle(.underline, node)
        case "code", "kbd", "samp", "tt":
            withStyle(.code, node)
        case "a":
            link(node)
        case "img" where hasClass(node, "emoji"):
            // An emoji drawn as a picture (":smile:"): the emoji itself when known, else its name.
            let code = (attribute(node, "title") ?? attribute(node, "alt")).map(Sanitizer.line)?.trimmingCharacters(in: .whitespaces) ?? ""
            if !code.isEmpty { inline(Emoji.character(code) ?? code, style: style) }
        case "img" where hasClass(node, "avatar"):
            return
        case "img":
            // A picture: its words, and its address numbered as a link is (o N opens it).
            let alt = attribute(node, "alt").map(Sanitizer.line)?.trimmingCharacters(in: .whitespaces) ?? ""
            let src = attribute(node, "src").map(Sanitizer.line)?.trimmingCharacters(in: .whitespaces) ?? ""
            let scheme = src.split(separator: ":", maxSplits: 1).first?.lowercased() ?? ""
            guard scheme == "http" || scheme == "https" else {
                if !alt.isEmpty { inline("[image: \(alt)]", style: style.union(.italic)) }
                return
            }
            inline(alt.isEmpty ? "[image]" : "[image: \(alt)]", style: style.union(.italic))
            spans.append(.init("[\(number(of: src))]", style: style.union(.linkNumber)))
        default:
            children(node)  // span, font, abbr, small, sup, unknown elements: their text
        }
    }

    private func hasClass(_ node: UnsafeMutablePointer<xmlNode>, _ name: String) -> Bool {
        (attribute(node, "class") ?? "").split(separator: " ").contains { $0 == name }
    }

    /// A forum's quote (`<aside class="quote" data-username="...">`): a quote block whose first
    /// line says who is quoted, then what they wrote; the forum's title bar (an avatar, the name
    /// again, buttons) is left out.
    private mutating func quote(_ node: UnsafeMutablePointer<xmlNode>) {
        flush()
        quoteDepth += 1
        // Headed as the forum heads it: the quote's own title (the person's name, where the forum
        // shows names), else the name it carries, else the username.
        var heading: String?
        var look = node.pointee.children
        while let current = look {
            look = current.pointee.next
            let name = current.pointee.name.map { String(cString: $0).lowercased() } ?? ""
            if current.pointee.type == XML_ELEMENT_NODE, name == "div", hasClass(current, "title") {
                var text = Sanitizer.line(Self.textContent(current)).trimmingCharacters(in: .whitespaces)
                while text.hasSuffix(":") { text.removeLast() }
                text = text.trimmingCharacters(in: .whitespaces)
                if !text.isEmpty { heading = text }
                break
            }
        }
        let username = attribute(node, "data-username").map(Sanitizer.line).flatMap { $0.isEmpty ? nil : $0 }
        let fullName = attribute(node, "data-full-name").map(Sanitizer.line).flatMap { $0.isEmpty ? nil : $0 }
        // A title that is only the username is what the forum's page replaces with the name.
        if let title = heading, let username, title.lowercased() == username.lowercased(), fullName != nil { heading = nil }
        heading = heading ?? fullName ?? username
        if let heading {
            inline(heading + ":", style: style.union(.bold))
            flush()
        }
        var child = node.pointee.children
        while let current = child {
            child = current.pointee.next
            guard current.pointee.type == XML_ELEMENT_NODE else { visit(current); continue }
            let name = current.pointee.name.map { String(cString: $0).lowercased() } ?? ""
            if name == "div", hasClass(current, "title") { continue }
            // The quoted text is already inside this block: no second level for it.
            if name == "blockquote" { children(current); flush() } else { visit(current) }
        }
        flush()
        quoteDepth -= 1
    }

    /// The text of an element and everything in it.
    static func textContent(_ node: UnsafeMutablePointer<xmlNode>) -> String {
        guard let raw = xmlNodeGetContent(node) else { return "" }
        defer { agora_xml_free(raw) }
        return String(cString: raw)
    }

    /// A link preview (`<aside class="onebox">`): its title as a link to what it previews.
    private mutating func onebox(_ node: UnsafeMutablePointer<xmlNode>) {
        flush()
        var titleLink: UnsafeMutablePointer<xmlNode>?
        var firstLink: UnsafeMutablePointer<xmlNode>?
        var stack: [UnsafeMutablePointer<xmlNode>] = [node]
        while let current = stack.popLast() {
            if current.pointee.type == XML_ELEMENT_NODE {
                let name = current.pointee.name.map { String(cString: $0).lowercased() } ?? ""
                if name == "a", attribute(current, "href") != nil {
                    if firstLink == nil { firstLink = current }
                    let parent = current.pointee.parent.flatMap { $0.pointee.name.map { String(cString: $0).lowercased() } } ?? ""
                    if titleLink == nil, ["h3", "h4", "h2"].contains(parent) { titleLink = current }
                }
            }
            var children: [UnsafeMutablePointer<xmlNode>] = []
            var child = current.pointee.children
            while let next = child { children.append(next); child = next.pointee.next }
            stack += children.reversed()
        }
        if let chosen = titleLink ?? firstLink {
            link(chosen)
        } else if let source = attribute(node, "data-onebox-src") {
            inline(Sanitizer.line(source), style: style.union(.link))
        }
        flush()
    }

    private mutating func withStyle(_ added: RichText.Style, _ node: UnsafeMutablePointer<xmlNode>) {
        let saved = style
        style.formUnion(added)
        children(node)
        style = saved
    }

    /// A link's number: the one it has when it came before, else the next.
    private mutating func number(of href: String) -> Int {
        if let known = linkNumbers[href] { return known }
        links.append(href)
        linkNumbers[href] = links.count
        return links.count
    }

    private mutating func link(_ node: UnsafeMutablePointer<xmlNode>) {
        let href = attribute(node, "href").map(Sanitizer.line)?.trimmingCharacters(in: .whitespaces) ?? ""
        let scheme = href.split(separator: ":", maxSplits: 1).first?.lowercased() ?? ""
        guard !href.isEmpty, !href.hasPrefix("#"), scheme != "javascript", scheme != "data" else {
            children(node)
            return
        }
        let number = number(of: href)
        let before = spans.count
        withStyle(.link, node)
        if spans.count == before {  // a link with no text shows its address
            inline(href, style: style.union(.link))
        }
        spans.append(.init("[\(number)]", style: style.union(.linkNumber)))
    }

    private func attribute(_ node: UnsafeMutablePointer<xmlNode>, _ name: String) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { agora_xml_free(value) }
        return String(cString: value)
    }

    // MARK: Text

    mutating func append(_ text: String, style: RichText.Style) {
        if let last = spans.last, last.style == style {
            spans[spans.count - 1].text += text
        } else {
            spans.append(.init(text, style: style))
        }
    }

    /// Ends the current block, if it has any text.
    mutating func flush() {
        pendingSpace = false
        // Trailing breaks and spaces belong to no one.
        while let last = spans.last {
            var text = last.text
            while let byte = text.utf8.last, byte == 0x20 || byte == 0x0A { text.removeLast() }
            if text.isEmpty {
                spans.removeLast()
            } else {
                spans[spans.count - 1].text = text
                break
            }
        }
        guard !spans.isEmpty else { return }
        let kind: RichText.Kind
        if let marker = pendingMarker {
            kind = .listItem(marker: marker)
            pendingMarker = nil
        } else if let headingLevel {
            kind = .heading(level: headingLevel)
        } else {
            kind = .paragraph
        }
        blocks.append(.init(kind: kind, spans: spans, quoteDepth: quoteDepth, listDepth: lists.count))
        spans = []
    }

    private mutating func flushPreformatted() {
        pendingSpace = false
        // Keep inner spacing; drop one leading and the trailing newlines, as browsers do.
        if let first = spans.first, first.text.hasPrefix("\n") {
            spans[0].text.removeFirst()
        }
        while let last = spans.last, last.text.hasSuffix("\n") {
            spans[spans.count - 1].text.removeLast()
            if spans[spans.count - 1].text.isEmpty { spans.removeLast() }
        }
        guard !spans.isEmpty else { return }
        blocks.append(.init(kind: .preformatted, spans: spans, quoteDepth: quoteDepth, listDepth: lists.count))
        spans = []
    }
}
