import AgoraKit
import Foundation
import TerminalCore

/// Draws a box around a pane with its title; the focused pane's box stands out.
enum Box {
    static func draw(_ rect: Rect, title: String, focused: Bool, theme: Theme, into buffer: inout Buffer) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let style = theme.style(focused ? .borderFocused : .border)
        let (h, v) = focused ? ("━", "┃") : ("─", "│")
        let corners = focused ? ("┏", "┓", "┗", "┛") : ("┌", "┐", "└", "┘")
        buffer.put(corners.0 + String(repeating: h, count: rect.width - 2) + corners.1, x: rect.x, y: rect.y, style: style)
        buffer.put(corners.2 + String(repeating: h, count: rect.width - 2) + corners.3, x: rect.x, y: rect.maxY - 1, style: style)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            buffer.put(v, x: rect.x, y: y, style: style)
            buffer.put(v, x: rect.maxX - 1, y: y, style: style)
        }
        let text = " " + DisplayWidth.truncate(Sanitizer.line(title), to: max(0, rect.width - 6)) + " "
        buffer.put(text, x: rect.x + 2, y: rect.y, maxWidth: rect.width - 4, style: theme.style(focused ? .paneTitleFocused : .paneTitle))
    }
}

/// A row of cells laid out in columns, cut to width by display width.
struct Columns {
    var cells: [(text: String, width: Int, right: Bool, style: Style)]

    func draw(x: Int, y: Int, into buffer: inout Buffer) {
        var column = x
        for cell in cells where cell.width > 0 {
            // The buffer drops control characters itself; what is left to cut is width.
            let text = DisplayWidth.truncate(cell.text, to: cell.width)
            let offset = cell.right ? cell.width - DisplayWidth.of(text) : 0
            if offset > 0 || !cell.right { buffer.setStyle(Rect(x: column, y: y, width: cell.width, height: 1), cell.style) }
            buffer.put(text, x: column + offset, y: y, maxWidth: cell.width - offset, style: cell.style)
            column += cell.width + 1
        }
    }
}

/// The rows of a windowed list below its header: rows not loaded yet show "…", the selected
/// row gets the terminal's cursor.
enum ListRows {
    static func draw<Row>(
        _ list: ListWindow<Row>, in area: Rect, below headerRows: Int, theme: Theme, into buffer: inout Buffer,
        row draw: (Row, Int, Bool, inout Buffer) -> Void
    ) -> (x: Int, y: Int)? {
        var cursor: (x: Int, y: Int)?
        for line in 0..<max(0, area.height - headerRows) {
            let index = list.top + line
            guard index < list.total else { break }
            let y = area.y + headerRows + line
            guard let row = list.row(index) else {
                buffer.put("…", x: area.x + 2, y: y, style: theme.style(.listMeta))
                continue
            }
            let selected = index == list.selected
            draw(row, y, selected, &buffer)
            if selected { cursor = (area.x, y) }
        }
        return cursor
    }
}

public enum PostListView {
    static let headerRows = 1

    /// "N" for an unread post, "*" for a starred one: the two columns every post list starts with.
    public static func flags(_ state: PostState) -> String {
        (state.read ? " " : "N") + (state.starred ? "*" : " ")
    }

    static func draw(_ state: AppState, in rect: Rect, focused: Bool, theme: Theme, into buffer: inout Buffer) -> (x: Int, y: Int)? {
        let title = "Posts \(state.unread)/\(state.posts.total) unread" + (state.postFilter == .all ? "" : " (filtered)")
        Box.draw(rect, title: title, focused: focused, theme: theme, into: &buffer)
        let area = rect.inset(1)
        guard area.width > 4, area.height > 1 else { return nil }
        let widths = columnWidths(area.width, dateWidth: state.settings.dateFormat.width)
        let meta = theme.style(.listMeta)
        Columns(cells: [("", 2, false, meta), ("TITLE", widths.title, false, meta), ("AUTHOR", widths.author, false, meta),
                        ("DATE", widths.date, false, meta), ("VIEWS", widths.views, true, meta), ("COMM", widths.comments, true, meta)])
            .draw(x: area.x, y: area.y, into: &buffer)
        if state.posts.total == 0 {
            buffer.put("No posts.", x: area.x + 2, y: area.y + 1, style: meta)
            return nil
        }
        return ListRows.draw(state.posts, in: area, below: headerRows, theme: theme, into: &buffer) { post, y, selected, buffer in
            var style = theme.style(post.state.read ? .listNormal : .listUnread)
            if selected { style = theme.style(.listSelected).adding(post.state.read ? [] : .bold) }
            if selected { buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style) }
            let flagStyle = selected ? style : theme.style(post.state.starred ? .listStarred : .listUnread)
            let metaStyle = selected ? style : meta
            Columns(cells: [
                (flags(post.state), 2, false, flagStyle),
                (post.title, widths.title, false, style),
                (post.authorName ?? post.author?.rawValue ?? "", widths.author, false, metaStyle),
                (state.settings.dateFormat.string(post.published), widths.date, false, metaStyle),
                (post.views.map(String.init) ?? "", widths.views, true, metaStyle),
                (String(post.commentCount), widths.comments, true, metaStyle),
            ]).draw(x: area.x, y: y, into: &buffer)
        }
    }

    /// Columns give way, least useful first, as the pane narrows.
    static func columnWidths(_ width: Int, dateWidth: Int = 10) -> (title: Int, author: Int, date: Int, views: Int, comments: Int) {
        var author = 0, date = 0, views = 0, comments = 0
        if width >= 26 + min(dateWidth, 24) { date = min(dateWidth, 24) }
        if width >= 60 { author = min(16, width / 6) }
        if width >= 72 { views = 5; comments = 4 }
        let used = 3 + [author, date, views, comments].filter { $0 > 0 }.reduce(0) { $0 + $1 + 1 }
        return (max(4, width - used), author, date, views, comments)
    }
}

public enum RosterView {
    static let headerRows = 1

    static func draw(_ state: AppState, in rect: Rect, focused: Bool, theme: Theme, into buffer: inout Buffer) -> (x: Int, y: Int)? {
        var title = "Members \(state.members.total)"
        if !state.memberName.isEmpty { title += " · name: " + state.memberName }
        if state.memberSort != .name { title += " · " + state.memberSort.label }
        Box.draw(rect, title: title, focused: focused, theme: theme, into: &buffer)
        let area = rect.inset(1)
        guard area.width > 4, area.height > 1 else { return nil }
        let meta = theme.style(.listMeta)
        let postsWidth = area.width >= 30 ? 5 : 0
        // Grouped by country, the country column takes half the width: it carries the counts.
        let countryWidth = area.width >= 24 ? (state.memberSort == .country ? area.width / 2 : min(16, area.width / 3)) : 0
        let nameWidth = area.width - (postsWidth > 0 ? postsWidth + 1 : 0) - (countryWidth > 0 ? countryWidth + 1 : 0)
        Columns(cells: [("NAME", nameWidth, false, meta), ("COUNTRY", countryWidth, false, meta), ("POSTS", postsWidth, true, meta)])
            .draw(x: area.x, y: area.y, into: &buffer)
        if state.members.total == 0, !state.memberName.isEmpty {
            buffer.put("No name has \"\(Sanitizer.line(state.memberName))\".", x: area.x + 1, y: area.y + 1, maxWidth: area.width - 1, style: meta)
            return nil
        }
        let grouped = state.memberSort == .country
        return ListRows.draw(state.members, in: area, below: headerRows, theme: theme, into: &buffer) { member, y, selected, buffer in
            let style = selected ? theme.style(.listSelected) : theme.style(.rosterName)
            if selected { buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style) }
            // By country, each country is written once, on its first row, with its count.
            var country = member.country ?? "—"
            if grouped {
                let index = state.members.offset + (state.members.rows.firstIndex(of: member) ?? 0)
                let previous = state.members.row(index - 1)
                if index > state.members.top, let previous, previous.country == member.country {
                    country = ""
                } else if let name = member.country, let count = state.countryCounts[name] {
                    // The count stays whole; a long name gives way.
                    let label = " (\(count))"
                    country = DisplayWidth.truncate(name, to: max(1, countryWidth - label.count)) + label
                }
            }
            Columns(cells: [
                (member.name, nameWidth, false, style),
                (country, countryWidth, false, selected ? style : theme.style(.rosterCountry)),
                (String(member.postCount), postsWidth, true, selected ? style : meta),
            ]).draw(x: area.x, y: y, into: &buffer)
        }
    }
}

public enum ArticleView {
    /// An open article and the reader's place in it.
    public struct State: Hashable, Sendable {
        public var document: ArticleDocument
        public var scroll = 0
        /// The comment `[` and `]` last went to; `a` goes to its author.
        public var currentComment: Int?
        /// The search it was opened from: its words are marked, n and N step through them.
        public var match: SearchQuery?

        /// The lines with a match, in order.
        public var matchLines: [Int] {
            guard let match else { return [] }
            return document.lines.indices.filter { index in
                !match.highlights(in: document.lines[index].pieces.map(\.text).joined()).isEmpty
            }
        }

        public init(document: ArticleDocument) { self.document = document }

        mutating func scroll(by delta: Int, visible: Int) {
            let maxScroll = max(0, document.lines.count - visible)
            let (sum, overflow) = scroll.addingReportingOverflow(delta)
            scroll = overflow ? (delta > 0 ? maxScroll : 0) : max(0, min(maxScroll, sum))
            // Scrolling by hand leaves the comment that was chosen once it is off screen.
            if let current = currentComment {
                let line = document.commentStarts[current]
                if line < scroll || line >= scroll + visible { currentComment = nil }
            }
        }

        mutating func stepComment(_ step: Int, visible: Int) {
            let starts = document.commentStarts
            let next: Int?
            if let current = currentComment {
                next = starts.indices.contains(current + step) ? current + step : nil
            } else if step > 0 {
                next = starts.firstIndex { $0 > scroll } ?? starts.indices.last
            } else {
                next = starts.lastIndex { $0 < scroll }
            }
            guard let next else { return }
            currentComment = next
            scroll = max(0, min(starts[next], max(0, document.lines.count - visible)))
        }

        /// Lays the article out for a new width, keeping the reader at the same place in it.
        mutating func relayout(width: Int, visible: Int) {
            guard width != document.width else {
                scroll = max(0, min(scroll, max(0, document.lines.count - visible)))
                return
            }
            let fraction = document.lines.isEmpty ? 0 : Double(scroll) / Double(document.lines.count)
            document = ArticleDocument(document.detail, width: width, dateFormat: document.dateFormat)
            if let current = currentComment, document.commentStarts.indices.contains(current) {
                scroll = document.commentStarts[current]
            } else {
                scroll = Int((fraction * Double(document.lines.count)).rounded())
            }
            scroll = max(0, min(scroll, max(0, document.lines.count - visible)))
        }
    }

    static func draw(_ state: AppState, in rect: Rect, focused: Bool, theme: Theme, into buffer: inout Buffer) {
        let area = rect.inset(1)
        guard case .article(let article) = state.detail else {
            Box.draw(rect, title: "Article", focused: focused, theme: theme, into: &buffer)
            let hint = state.posts.total == 0 ? "Nothing to read yet." : "Enter opens the selected post."
            buffer.put(hint, x: area.x + 1, y: area.y + 1, maxWidth: area.width - 1, style: theme.style(.listMeta))
            return
        }
        let lines = article.document.lines
        let position = lines.count <= area.height ? "" : " \(min(100, (article.scroll + area.height) * 100 / max(1, lines.count)))%"
        Box.draw(rect, title: "Article" + position, focused: focused, theme: theme, into: &buffer)
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
    public struct Item: Hashable, Sendable {
        public enum Kind: Hashable, Sendable { case post, comment, wall }

        /// The post it opens; nil for a comment on the member's wall, which is on no post.
        public var post: Post.ID?
        public var text: String
        public var date: Date?
        public var kind: Kind

        var marker: String {
            switch kind {
            case .post: "p"
            case .comment: "c"
            case .wall: "w"
            }
        }
    }

    public struct State: Hashable, Sendable {
        public var profile: MemberProfile
        public var items: [Item]
        public var selected = 0
        public var top = 0

        /// Lines above the list of posts and comments, made once.
        public let headerLines: [HeaderLine]

        public struct HeaderLine: Hashable, Sendable {
            public var text: String
            public var role: Role
        }

        public init(profile: MemberProfile, dateFormat: DateFormat = .standard) {
            self.profile = profile
            headerLines = Self.header(profile, hasItems: !profile.posts.isEmpty || !profile.comments.isEmpty || !profile.member.wall.isEmpty,
                                      dateFormat: dateFormat)
            items = profile.posts.map { Item(post: $0.id, text: $0.title, date: $0.published, kind: .post) }
                + profile.comments.map { Item(post: $0.comment.post, text: "on " + ($0.postTitle ?? $0.comment.post.rawValue), date: $0.comment.published, kind: .comment) }
                + profile.member.wall.map { c in
                    let text = HTMLRenderer.render(c.body).plainText.replacingOccurrences(of: "\n", with: " ")
                    return Item(post: nil, text: (c.authorName ?? c.author?.rawValue ?? "someone") + ": " + text, date: c.published, kind: .wall)
                }
        }

        public var selectedItem: Item? { items.indices.contains(selected) ? items[selected] : nil }

        static func header(_ profile: MemberProfile, hasItems: Bool, dateFormat: DateFormat) -> [HeaderLine] {
            let m = profile.member
            var lines = [HeaderLine(text: m.name, role: .profileName)]
            var facts: [String] = []
            if let country = m.country { facts.append(country) }
            if let location = m.location { facts.append(location) }
            facts.append(m.role.rawValue + (m.state == .active ? "" : ", " + m.state.rawValue))
            if let joined = m.joined { facts.append("joined " + dateFormat.string(joined)) }
            lines.append(HeaderLine(text: facts.joined(separator: " · "), role: .profileLabel))
            lines.append(HeaderLine(text: "\(profile.postCount) post\(profile.postCount == 1 ? "" : "s") · \(profile.commentCount) comment\(profile.commentCount == 1 ? "" : "s")", role: .profileLabel))
            if let bio = m.bio {
                let text = HTMLRenderer.render(bio).plainText.replacingOccurrences(of: "\n", with: " ")
                if !text.isEmpty { lines.append(HeaderLine(text: text, role: .body)) }
            }
            lines.append(HeaderLine(text: "", role: .body))
            let heading = m.wall.isEmpty ? "Posts and comments (Enter opens)" : "Posts, comments and wall (Enter opens)"
            lines.append(HeaderLine(text: hasItems ? heading : "No posts or comments.", role: .heading))
            return lines
        }

        func listTop(visible: Int) -> Int { min(headerLines.count, max(0, visible - 3)) }

        mutating func select(_ index: Int, visible: Int) {
            selected = max(0, min(items.count - 1, index))
            keepVisible(visible)
        }

        mutating func keepVisible(_ visible: Int) {
            let rows = max(1, visible - listTop(visible: visible))
            if selected < top { top = selected }
            if selected >= top + rows { top = selected - rows + 1 }
            top = max(0, min(top, max(0, items.count - rows)))
        }

        func index(atRow row: Int) -> Int? {
            let first = headerLines.count
            let index = top + row - first
            return row >= first && items.indices.contains(index) ? index : nil
        }
    }

    static func draw(_ state: AppState, in rect: Rect, focused: Bool, theme: Theme, into buffer: inout Buffer) -> (x: Int, y: Int)? {
        guard case .profile(let profile) = state.detail else { return nil }
        Box.draw(rect, title: "Member", focused: focused, theme: theme, into: &buffer)
        let area = rect.inset(1)
        guard area.width > 2, area.height > 0 else { return nil }
        let header = profile.headerLines
        var y = area.y
        for line in header.prefix(profile.listTop(visible: area.height)) {
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
            Columns(cells: [(item.marker, 1, false, selected ? style : theme.style(.listMeta)),
                            (item.text, area.width - 2 - (dateWidth > 0 ? dateWidth + 1 : 0), false, style),
                            (state.settings.dateFormat.string(item.date), dateWidth, false, selected ? style : theme.style(.listMeta))])
                .draw(x: area.x, y: y, into: &buffer)
            if selected { cursor = (area.x, y) }
            y += 1
            index += 1
        }
        return cursor
    }
}

public enum HelpView {
    static func lines(_ keymap: KeyMap) -> [(keys: String, help: String)] {
        keymap.bindings.map { (KeyMap.describe($0.keys), $0.help) }
            + [("", ""), ("y", "after A: mark everything read"), ("1-9", "after o: the link's number, then Enter"),
               ("mouse", "click focuses and selects; the wheel scrolls and never marks read")]
    }

    static func lineCount(_ keymap: KeyMap) -> Int { lines(keymap).count + 2 }

    static func draw(scroll: Int, keymap: KeyMap, in rect: Rect, theme: Theme, into buffer: inout Buffer) {
        buffer.fill(rect, style: theme.style(.help))
        Box.draw(rect, title: "Help: keys (Esc closes)", focused: true, theme: theme, into: &buffer)
        let area = rect.inset(1)
        let entries = lines(keymap)
        let keyWidth = min(24, entries.map { DisplayWidth.of($0.keys) }.max() ?? 10)
        for row in 0..<area.height {
            let index = scroll + row
            guard index < entries.count else { break }
            let entry = entries[index]
            buffer.put(DisplayWidth.pad(entry.keys, to: keyWidth), x: area.x + 1, y: area.y + row, style: theme.style(.helpKey))
            buffer.put(entry.help, x: area.x + 2 + keyWidth, y: area.y + row, maxWidth: area.width - keyWidth - 3, style: theme.style(.help))
        }
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

/// The search screen: the query as typed, then what it found grouped by kind, the words that
/// matched marked, a snippet of text around the match.
public enum SearchView {
    static func lines(_ search: SearchState) -> [(item: Int?, kind: Int)] {
        // kind: 0 heading, 1 first line of an item, 2 its snippet
        var out: [(Int?, Int)] = []
        var index = 0
        let r = search.results
        if !r.posts.isEmpty { out.append((nil, 0)); for _ in r.posts { out += [(index, 1), (index, 2)]; index += 1 } }
        if !r.comments.isEmpty { out.append((nil, 0)); for _ in r.comments { out += [(index, 1), (index, 2)]; index += 1 } }
        if !r.members.isEmpty { out.append((nil, 0)); for _ in r.members { out.append((index, 1)); index += 1 } }
        return out
    }

    static func draw(_ state: AppState, _ search: SearchState, in rect: Rect, theme: Theme, into buffer: inout Buffer) -> (x: Int, y: Int)? {
        buffer.fill(rect, style: theme.style(.body))
        let found = search.results.posts.count + search.results.comments.count + search.results.members.count
        let title = search.text.isEmpty ? "Search" : "Search: \(found) found"
        Box.draw(rect, title: title, focused: true, theme: theme, into: &buffer)
        let area = rect.inset(1)
        guard area.width > 4, area.height > 2 else { return nil }
        let prompt = "/ "
        buffer.put(prompt, x: area.x + 1, y: area.y, style: theme.style(.helpKey))
        let shown = DisplayWidth.tail(Sanitizer.line(search.text), to: max(1, area.width - 4))
        let typed = buffer.put(shown, x: area.x + 1 + DisplayWidth.of(prompt), y: area.y, style: theme.style(.body))
        let cursor = (area.x + 1 + DisplayWidth.of(prompt) + typed, area.y)
        var y = area.y + 1
        let query = search.query
        for problem in search.results.problems.prefix(2) where y < area.maxY {
            buffer.put("! " + problem, x: area.x + 1, y: y, maxWidth: area.width - 2, style: theme.style(.statusMessage))
            y += 1
        }
        y += 1
        if search.text.trimmingCharacters(in: .whitespaces).isEmpty {
            let help = [
                "Type to search posts, comments and members; case and accents do not matter.",
                "Every word and \"quoted phrase\" must match; the last word matches as you type it.",
                "author:NAME  country:NAME  tag:NAME  is:unread  is:starred  narrow the search.",
                "↑/↓ (or C-n/C-p) choose, Enter opens, Esc goes back to where you were.",
            ]
            for line in help where y < area.maxY {
                buffer.put(line, x: area.x + 1, y: y, maxWidth: area.width - 2, style: theme.style(.byline))
                y += 1
            }
            return cursor
        }
        if found == 0 {
            if search.resultsFor == search.text, !query.isEmpty {
                buffer.put("Nothing matches.", x: area.x + 1, y: y, maxWidth: area.width - 2, style: theme.style(.byline))
            }
            return cursor
        }
        let lines = lines(search)
        let room = area.maxY - y
        // Keep the selected result on screen: its last line at the bottom at most.
        let selectedLast = lines.lastIndex { $0.item == search.selected } ?? 0
        let selectedFirst = lines.firstIndex { $0.item == search.selected } ?? 0
        var start = 0
        if selectedLast >= room { start = selectedLast - room + 1 }
        if selectedFirst > 0, lines[selectedFirst - 1].item == nil, start == selectedFirst { start -= 1 }
        let r = search.results
        let limit = SearchState.limit(height: state.height)
        var headings = [("Posts", r.posts.count), ("Comments", r.comments.count), ("Members", r.members.count)].filter { $0.1 > 0 }
            .map { ($0.0, $0.1 >= limit ? "\($0.1)+" : "\($0.1)") }.makeIterator()
        var skippedHeadings = lines[..<start].filter { $0.item == nil }.count
        while skippedHeadings > 0 { _ = headings.next(); skippedHeadings -= 1 }
        let x = area.x + 1
        let width = area.width - 2
        for line in lines[start...] where y < area.maxY {
            defer { y += 1 }
            guard let item = line.item else {
                if let (name, count) = headings.next() {
                    buffer.put("\(name) (\(count))", x: x, y: y, maxWidth: width, style: theme.style(.heading))
                }
                continue
            }
            let selected = item == search.selected
            let base = selected ? theme.style(.listSelected) : theme.style(.listNormal)
            if selected { buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: base) }
            switch search.items[item] {
            case .post(let hit):
                if line.kind == 1 {
                    let flags = PostListView.flags(hit.post.state) + " "
                    let used = buffer.put(flags, x: x, y: y, style: selected ? base : theme.style(.listUnread))
                    let meta = [hit.post.authorName, state.settings.dateFormat.string(hit.post.published)].compactMap { $0 }.joined(separator: " · ")
                    let metaWidth = min(DisplayWidth.of(meta), max(0, width / 3))
                    Marks.put(hit.post.title, query: query, x: x + used, y: y, maxWidth: width - used - metaWidth - 2,
                              style: selected ? base : theme.style(hit.post.state.read ? .listNormal : .listUnread), theme: theme, into: &buffer)
                    if metaWidth > 0 {
                        buffer.put(DisplayWidth.truncate(Sanitizer.line(meta), to: metaWidth), x: x + width - metaWidth, y: y,
                                   style: selected ? base : theme.style(.listMeta))
                    }
                } else {
                    Marks.put(hit.snippet, query: query, x: x + 5, y: y, maxWidth: width - 5, style: selected ? base : theme.style(.byline),
                              theme: theme, into: &buffer)
                }
            case .comment(let hit):
                if line.kind == 1 {
                    let who = (hit.authorName ?? "someone") + " on “" + hit.postTitle + "”"
                    Marks.put(who, query: query, x: x + 3, y: y, maxWidth: width - 3,
                              style: selected ? base : theme.style(.commentAuthor), theme: theme, into: &buffer)
                } else {
                    Marks.put(hit.snippet, query: query, x: x + 5, y: y, maxWidth: width - 5,
                              style: selected ? base : theme.style(.commentBody), theme: theme, into: &buffer)
                }
            case .member(let member):
                let nameWidth = min(32, max(10, width / 2))
                Marks.put(member.name, query: query, x: x + 3, y: y, maxWidth: nameWidth,
                          style: selected ? base : theme.style(.rosterName), theme: theme, into: &buffer)
                Marks.put(member.country ?? "—", query: query, x: x + 4 + nameWidth, y: y, maxWidth: max(0, width - nameWidth - 4),
                          style: selected ? base : theme.style(.rosterCountry), theme: theme, into: &buffer)
            }
        }
        return cursor
    }
}

/// The whole frame.
public enum Screen {
    public static func render(_ state: AppState, theme: Theme = .standard) -> (buffer: Buffer, cursor: (x: Int, y: Int)?) {
        let keymap = state.keymap
        var buffer = Buffer(width: state.width, height: state.height)
        // The body's colours under everything: a theme with a background paints the whole screen.
        buffer.fill(Rect(x: 0, y: 0, width: state.width, height: state.height), style: theme.style(.body))
        let layout = state.layout
        if layout.kind == .tooSmall {
            let lines = ["Terminal too small", "(\(state.width)x\(state.height); at least \(Layout.minimumWidth)x\(Layout.minimumHeight))"]
            for (i, line) in lines.enumerated() {
                let y = state.height / 2 - 1 + i
                buffer.put(line, x: max(0, (state.width - DisplayWidth.of(line)) / 2), y: y, style: theme.style(.tooSmall))
            }
            return (buffer, nil)
        }
        // Header: the community's name and tagline.
        let used = buffer.put(Sanitizer.line(state.community.name), x: 1, y: 0, maxWidth: state.width - 2, style: theme.style(.header))
        if let tagline = state.community.tagline, used + 6 < state.width {
            buffer.put(" — " + Sanitizer.line(tagline), x: 1 + used, y: 0, maxWidth: state.width - used - 2, style: theme.style(.tagline))
        }
        var cursor: (x: Int, y: Int)?
        if let search = state.search, state.mode == .search {
            let body = Rect(x: 0, y: 1, width: state.width, height: state.height - 2)
            let c = SearchView.draw(state, search, in: body, theme: theme, into: &buffer)
            StatusBar.draw(state, layout: layout, theme: theme, keymap: keymap, into: &buffer)
            return (buffer, c)
        }
        for pane in layout.panes {
            guard let rect = layout.rects[pane] else { continue }
            let focused = pane == state.focus
            switch pane {
            case .posts:
                let c = PostListView.draw(state, in: rect, focused: focused, theme: theme, into: &buffer)
                if focused { cursor = c }
            case .roster:
                let c = RosterView.draw(state, in: rect, focused: focused, theme: theme, into: &buffer)
                if focused { cursor = c }
            case .detail:
                if case .profile = state.detail {
                    let c = ProfileView.draw(state, in: rect, focused: focused, theme: theme, into: &buffer)
                    if focused { cursor = c }
                } else {
                    ArticleView.draw(state, in: rect, focused: focused, theme: theme, into: &buffer)
                    if focused { cursor = (rect.x + 1, rect.y + 1) }
                }
            }
        }
        StatusBar.draw(state, layout: layout, theme: theme, keymap: keymap, into: &buffer)
        if case .help(let scroll) = state.mode {
            HelpView.draw(scroll: scroll, keymap: keymap, in: Rect(x: 0, y: 1, width: state.width, height: state.height - 2), theme: theme, into: &buffer)
            cursor = nil
        }
        return (buffer, cursor)
    }
}

public enum StatusBar {
    /// The post list's filter and sort in words, when they are not the plain list.
    static func listDescription(_ state: AppState) -> String {
        var parts: [String] = []
        let f = state.postFilter
        if f.unreadOnly { parts.append("unread only") }
        if f.starredOnly { parts.append("starred only") }
        if let author = f.author {
            parts.append("by " + (state.postFilterAuthorName ?? author.rawValue))
        }
        if let country = f.country { parts.append("from " + country) }
        if let tag = f.tag { parts.append("#" + tag) }
        if state.postSort != .newest { parts.append("sort: " + state.postSort.label) }
        return Sanitizer.line(parts.joined(separator: " · "))
    }

    static func draw(_ state: AppState, layout: Layout, theme: Theme, keymap: KeyMap, into buffer: inout Buffer) {
        let rect = layout.status
        buffer.fill(rect, style: theme.style(.statusBar))
        var left = " \(state.unread)/\(state.posts.total) unread"
        var leftStyle = theme.style(.statusBar)
        switch state.mode {
        case .confirmMarkAllRead:
            left = " Mark all \(state.unread) unread posts read? (y/n)"
            leftStyle = theme.style(.dialog)
        case .link(let digits):
            left = " Open link number: \(digits)"
            leftStyle = theme.style(.dialog)
        case .help:
            let move = [keymap.firstKey(.down), keymap.firstKey(.up)].compactMap { $0 }.joined(separator: "/")
            left = " Help — \(move.isEmpty ? "" : move + " scroll, ")any other key closes"
        case .search:
            left = " Search — type; ↑/↓ choose, Enter opens, Esc goes back"
        case .rosterFilter:
            left = " Filter the roster: \(state.memberName)▏ Enter keeps it, Esc clears it"
            leftStyle = theme.style(.dialog)
        case .normal:
            let shown = Self.listDescription(state)
            if !shown.isEmpty { left += " · " + shown }
            if !state.pendingKeys.isEmpty {
                left += " · " + KeySequence(state.pendingKeys).name + " …"
                leftStyle = theme.style(.statusMessage)
            } else if let message = state.message {
                left += " · " + Sanitizer.line(message)
                leftStyle = theme.style(.statusMessage)
            }
        }
        let used = buffer.put(left, x: 0, y: rect.y, maxWidth: rect.width, style: leftStyle)
        // As many of the focused pane's hints as fit, most useful first; none while typing.
        var hints = ""
        let typing = state.mode == .search || state.mode == .rosterFilter
        for hint in typing ? [] : keymap.hints(in: state.focus) {
            let next = hints.isEmpty ? hint : hints + "  " + hint
            if used + 3 + DisplayWidth.of(next) > rect.width { break }
            hints = next
        }
        if !hints.isEmpty {
            buffer.put(hints + " ", x: rect.width - DisplayWidth.of(hints) - 1, y: rect.y, style: theme.style(.statusHint))
        }
    }
}
