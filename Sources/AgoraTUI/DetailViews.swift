import AgoraKit
import TerminalCore

public enum ArticleView {
    /// The community as the empty article pane shows it, wrapped to `width`.
    static func card(_ community: Community, openLinkKey: String, width: Int) -> [(String, Role)] {
        var out: [(String, Role)] = []
        var number = 0
        func wrapped(_ text: String, _ role: Role, indent: String = "") {
            for (index, row) in Wrap.lines(Sanitizer.line(text), width: max(8, width - indent.count)).enumerated() {
                out.append(((index == 0 ? "" : indent) + row, role))
            }
        }
        if let tagline = community.tagline { wrapped(tagline, .byline) }
        if let url = community.url {
            number += 1
            wrapped("[\(number)] " + url, .link)
        }
        if !community.links.isEmpty {
            out.append(("", .body))
            out.append((Sanitizer.line(community.linksHeading ?? "Links"), .heading))
            for link in community.links {
                var text = link.title
                if link.url != nil {
                    number += 1
                    text = "[\(number)] " + text
                }
                wrapped(text + (link.note.map { " — " + $0 } ?? ""), link.url == nil ? .body : .link, indent: "    ")
            }
        }
        if let policy = community.commentPolicy {
            out.append(("", .body))
            wrapped(policy, .byline)
            if let join = community.join {
                if join.url != nil { number += 1 }
                wrapped((join.url != nil ? "[\(number)] " : "") + join.title, .link)
            }
        }
        if number > 0 {
            out.append(("", .body))
            out.append(("\(openLinkKey) and a number opens a link.", .listMeta))
        }
        return out
    }

    /// The open article, or (with none) a hint: `hint` says how to open one; under it the
    /// community: its motto, its links numbered (`o` and the number opens one), who may comment.
    static func draw(_ article: ArticleModel?, hint: String, community: Community? = nil, openLinkKey: String = "o",
                     in rect: Rect, focused: Bool, theme: Theme, into buffer: inout Buffer) {
        let area = rect.inset(1)
        guard let article else {
            drawBox(rect, title: "Article", focused: focused, theme: theme, into: &buffer)
            buffer.put(hint, x: area.x + 1, y: area.y + 1, maxWidth: area.width - 1, style: theme.style(.listMeta))
            guard let community, area.width > 10 else { return }
            var y = area.y + 3
            for (text, role) in Self.card(community, openLinkKey: openLinkKey, width: area.width - 2) where y < area.maxY {
                buffer.put(text, x: area.x + 1, y: y, maxWidth: area.width - 1, style: theme.style(role))
                y += 1
            }
            return
        }
        let lines = article.document.lines
        let position = lines.count <= area.height ? "" : " \(min(100, (article.scroll + area.height) * 100 / max(1, lines.count)))%"
        drawBox(rect, title: "Article" + position, focused: focused, theme: theme, into: &buffer)
        guard area.width > 2, area.height > 0 else { return }
        let highlight = article.currentComment.map { article.document.commentStarts[$0] }
        for row in 0..<area.height {
            let index = article.scroll + row
            guard index < lines.count else { break }
            var x = area.x
            for piece in lines[index].pieces {
                var style = self.style(piece.style, theme: theme)
                if index == highlight { style = style.adding(.reverse) }
                x += buffer.put(piece.text, x: x, y: area.y + row, maxWidth: area.maxX - x, style: style)
            }
            // The chosen name on the who-commented line, reversed.
            if let name = article.chosenCommenter, article.document.commenterStops[name].line == index {
                let text = lines[index].pieces.map(\.text).joined()
                if let range = text.range(of: article.document.commenterStops[name].text) {
                    Marks.apply([range], in: text, x: area.x, y: area.y + row, maxX: area.maxX, style: { $0.adding(.reverse) }, into: &buffer)
                }
            }
            if let match = article.match {
                let text = lines[index].pieces.map(\.text).joined()
                let mark = theme.style(.searchMatch)
                Marks.apply(match.highlights(in: text), in: text, x: area.x, y: area.y + row, maxX: area.maxX,
                            style: { _ in mark }, into: &buffer)
            }
        }
    }

    static func style(_ style: ArticleStyle, theme: Theme) -> Style {
        let role: Role
        switch style.role {
        case .title: role = .articleTitle
        case .byline: role = .byline
        case .section: role = .heading
        case .heading: role = .heading
        case .marker: role = style.emphasis.contains(.linkNumber) ? .linkNumber : .body
        case .quote: role = .quote
        case .rule: role = .rule
        case .preformatted: role = .code
        case .commentAuthor: role = .commentAuthor
        case .commentMeta: role = .commentMeta
        case .commentUnread: role = .commentUnread
        case .commentText: role = .commentBody
        case .text:
            if style.emphasis.contains(.linkNumber) { role = .linkNumber }
            else if style.emphasis.contains(.link) { role = .link }
            else if style.emphasis.contains(.code) { role = .code }
            else { role = .body }
        }
        var out = theme.style(role)
        if style.emphasis.contains(.bold) { out.attributes.insert(.bold) }
        if style.emphasis.contains(.italic) { out.attributes.insert(.italic) }
        if style.emphasis.contains(.underline) { out.attributes.insert(.underline) }
        return out
    }
}

public enum ProfileView {
    static func draw(_ profile: ProfileModel, in rect: Rect, focused: Bool, theme: Theme, into buffer: inout Buffer) -> (x: Int, y: Int)? {
        drawBox(rect, title: "Member", focused: focused, theme: theme, into: &buffer)
        let area = rect.inset(1)
        guard area.width > 2, area.height > 0 else { return nil }
        var y = area.y
        for line in profile.headerLines.prefix(profile.listTop(visible: area.height)) {
            buffer.put(DisplayWidth.truncate(Sanitizer.line(line.text), to: area.width), x: area.x, y: y, style: theme.style(line.role))
            y += 1
        }
        var cursor: (Int, Int)?
        var index = profile.top
        while y < area.maxY, index < profile.items.count {
            let item = profile.items[index]
            let selected = index == profile.selected
            let style = selected ? theme.style(.listSelected) : theme.style(.listNormal)
            if selected { buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style) }
            let dateWidth = area.width >= 40 ? 10 : 0
            Columns([.init(item.marker, 1, selected ? style : theme.style(.listMeta)),
                     .init(item.text, area.width - 2 - (dateWidth > 0 ? dateWidth + 1 : 0), style),
                     .init(item.date, dateWidth, selected ? style : theme.style(.listMeta))])
                .draw(x: area.x, y: y, into: &buffer)
            if selected { cursor = (area.x, y) }
            y += 1
            index += 1
        }
        return cursor
    }
}

/// Marks the cells of the parts of `text` that a search matched, text drawn from (x, y).
enum Marks {
    static func apply(_ ranges: [Range<String.Index>], in text: String, x: Int, y: Int, maxX: Int, style: (Style) -> Style,
                      into buffer: inout Buffer) {
        guard !ranges.isEmpty else { return }
        var column = x
        var index = text.startIndex
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            column += DisplayWidth.of(String(text[index..<range.lowerBound]))
            let width = DisplayWidth.of(String(text[range]))
            for cx in column..<min(maxX, column + width) where cx >= 0 && cx < buffer.width && y >= 0 && y < buffer.height {
                buffer[cx, y].style = style(buffer[cx, y].style)
            }
            column += width
            index = range.upperBound
            if column >= maxX { break }
        }
    }

    /// Text with the search's words marked, clipped to `maxWidth`; returns the columns used.
    @discardableResult
    static func put(_ text: String, query: SearchQuery?, x: Int, y: Int, maxWidth: Int, style: Style, theme: Theme,
                    into buffer: inout Buffer) -> Int {
        let clean = DisplayWidth.truncate(Sanitizer.line(text), to: max(0, maxWidth))
        let used = buffer.put(clean, x: x, y: y, maxWidth: maxWidth, style: style)
        if let query {
            let mark = theme.style(.searchMatch)
            apply(query.highlights(in: clean), in: clean, x: x, y: y, maxX: x + maxWidth, style: { _ in mark }, into: &buffer)
        }
        return used
    }
}
