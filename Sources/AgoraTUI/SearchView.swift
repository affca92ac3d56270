import AgoraKit
import TerminalCore

/// The search screen: the query as typed, then what it found grouped by kind, the words that
/// matched marked, a snippet of text around the match.
public enum SearchView {
    /// What a line of the results is: a kind's heading, the first line of a result, or its snippet.
    enum LineKind { case heading, first, snippet }

    static func lines(_ search: SearchState) -> [(item: Int?, kind: LineKind)] {
        var out: [(Int?, LineKind)] = []
        var index = 0
        let r = search.results
        if !r.posts.isEmpty { out.append((nil, .heading)); for _ in r.posts { out += [(index, .first), (index, .snippet)]; index += 1 } }
        if !r.comments.isEmpty { out.append((nil, .heading)); for _ in r.comments { out += [(index, .first), (index, .snippet)]; index += 1 } }
        if !r.members.isEmpty { out.append((nil, .heading)); for _ in r.members { out.append((index, .first)); index += 1 } }
        return out
    }

    /// `limit` is how many of each kind a search asks for (a full kind shows "5+");
    /// `keys` names the keys of the search table in the help shown before anything is typed.
    static func draw(_ search: SearchState, limit: Int, dateFormat: DateFormat, keys: KeyMap, in rect: Rect, theme: Theme,
                     into buffer: inout Buffer) -> (x: Int, y: Int)? {
        buffer.fill(rect, style: theme.style(.body))
        let found = search.results.posts.count + search.results.comments.count + search.results.members.count
        // How many match in all, not how many are on hand.
        let title = search.text.isEmpty ? "Search" : "Search: \(search.results.totalText) found"
        drawBox(rect, title: title, focused: true, theme: theme, into: &buffer)
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
        // An import still making the index (or stopped before it finished): said, as search misses the rest.
        if let indexing = search.results.indexing?.words, y < area.maxY {
            buffer.put(indexing + "; the rest is not found yet", x: area.x + 1, y: y, maxWidth: area.width - 2, style: theme.style(.byline))
            y += 1
        }
        y += 1
        if search.text.allSatisfy(\.isWhitespace) {
            let help = [
                "Type to search posts, comments and members; case and accents do not matter.",
                "Every word and \"quoted phrase\" must match; the last word matches as you type it.",
                "author:NAME  country:NAME  tag:NAME  date:2012-12  is:unread  is:starred  narrow the search.",
                "While the search index is still being made, the line under the query says how far it has got.",
                chooseHelp(keys),
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
        var headings = [("Posts", r.posts.count, SearchKind.posts), ("Comments", r.comments.count, .comments), ("Members", r.members.count, .members)]
            .filter { $0.1 > 0 }
            .map { ($0.0, r.countText($0.2, shown: $0.1)) }.makeIterator()
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
                if line.kind == .first {
                    let flags = PostListView.flags(hit.post.state) + " "
                    let used = buffer.put(flags, x: x, y: y, style: selected ? base : theme.style(.listUnread))
                    let meta = [hit.post.authorName, dateFormat.string(hit.post.published)].compactMap { $0 }.joined(separator: " · ")
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
                if line.kind == .first {
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

    /// "↑/↓ (or C-n/C-p) choose, Enter opens, Esc goes back to where you were.", with the keys in force.
    static func chooseHelp(_ keys: KeyMap) -> String {
        let down = keys.keys(.down, in: .search), up = keys.keys(.up, in: .search)
        var choose = "\(up.first?.label ?? "<up>")/\(down.first?.label ?? "<down>")"
        if down.count > 1, up.count > 1 { choose += " (or \(down[1].label)/\(up[1].label))" }
        return "\(choose) choose, \(keys.label(.open, in: .search)) opens, \(keys.label(.back, in: .search)) goes back to where you were."
    }
}
