import AgoraKit
import TerminalCore

/// A pane's box in the theme's styles, its title sanitised (it can hold what a person typed or
/// a community sent).
func drawBox(_ rect: Rect, title: String, focused: Bool, theme: Theme, into buffer: inout Buffer) {
    Box.draw(rect, title: Sanitizer.line(title), focused: focused, border: theme.style(focused ? .borderFocused : .border),
             titleStyle: theme.style(focused ? .paneTitleFocused : .paneTitle), into: &buffer)
}

public enum PostListView {
    /// "N" for an unread post, "*" for a starred one: the two columns every post list starts with.
    public static func flags(_ state: PostState) -> String {
        (state.read ? " " : "N") + (state.starred ? "*" : " ")
    }

    static func draw(_ list: PostListModel, dateFormat: DateFormat, in rect: Rect, focused: Bool, theme: Theme,
                     into buffer: inout Buffer) -> (x: Int, y: Int)? {
        var others = list.filter
        others.source = nil
        others.category = nil
        let title = "Posts \(list.unread)/\(list.window.total) unread"
            + (list.filter.source == nil ? "" : " in " + (list.sourceName ?? list.filter.source!.rawValue))
            + (others == .all ? "" : " (filtered)")
            + (list.hidden > 0 ? " · \(list.hidden) hidden" : "")
        drawBox(rect, title: title, focused: focused, theme: theme, into: &buffer)
        let area = rect.inset(1)
        guard area.width > 4, area.height > 1 else { return nil }
        let widths = columnWidths(area.width, dateWidth: dateFormat.width, sort: list.sort)
        let meta = theme.style(.listMeta)
        Columns([.init("", 2, meta), .init("TITLE", widths.title, meta), .init("AUTHOR", widths.author, meta),
                 .init("DATE", widths.date, meta), .init("VIEWS", widths.views, right: true, meta),
                 .init("COMMENTS", widths.comments, right: true, meta)])
            .draw(x: area.x, y: area.y, into: &buffer)
        if list.window.total == 0 {
            buffer.put(list.filter.nothing(authorName: list.authorName, sourceName: list.sourceName), x: area.x + 2, y: area.y + 1, maxWidth: max(0, area.width - 3), style: meta)
            return nil
        }
        return ListRows.draw(list.window, in: area, below: Layout.listHeaderRows, placeholder: meta, into: &buffer) { post, _, y, selected, buffer in
            // A post read before with replies since is news again: shown as unread, with how many.
            let news = !post.state.read || post.newComments > 0
            var style = theme.style(news ? .listUnread : .listNormal)
            if selected { style = theme.style(.listSelected).adding(news ? .bold : []) }
            if selected { buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style) }
            let flagStyle = selected ? style : theme.style(post.state.starred ? .listStarred : .listUnread)
            let metaStyle = selected ? style : meta
            Columns([
                .init(flags(post.state), 2, flagStyle),
                .init(post.newComments > 0 ? "(\(post.newComments) new) \(post.title)" : post.title, widths.title, style),
                .init(post.authorName ?? post.author?.rawValue ?? "", widths.author, metaStyle),
                .init(dateFormat.string(post.published), widths.date, metaStyle),
                .init(post.views.map(String.init) ?? "", widths.views, right: true, metaStyle),
                .init(String(post.commentCount), widths.comments, right: true, metaStyle),
            ]).draw(x: area.x, y: y, into: &buffer)
        }
    }

    /// Columns give way, least useful first, as the pane narrows; the value the list is sorted
    /// by never does (it takes the date's place when there is room for only one).
    public static func columnWidths(_ width: Int, dateWidth: Int = 10, sort: PostSort = .newest)
        -> (title: Int, author: Int, date: Int, views: Int, comments: Int) {
        var author = 0, date = 0, views = 0, comments = 0
        if width >= 26 + min(dateWidth, 24) { date = min(dateWidth, 24) }
        if width >= 60 { author = min(16, width / 6) }
        if width >= 90 { views = 5; comments = 8 }
        switch sort {
        case .views where views == 0:
            views = 5
            if width < 26 + min(dateWidth, 24) + 6 { date = 0 }
        case .comments where comments == 0:
            comments = 8
            if width < 26 + min(dateWidth, 24) + comments + 1 { date = 0 }
        default:
            break
        }
        let used = 3 + [author, date, views, comments].filter { $0 > 0 }.reduce(0) { $0 + $1 + 1 }
        return (max(4, width - used), author, date, views, comments)
    }
}

public enum RosterView {
    static func draw(_ roster: RosterModel, in rect: Rect, focused: Bool, theme: Theme, into buffer: inout Buffer) -> (x: Int, y: Int)? {
        var title = "Members \(roster.window.total)"
        if let country = roster.country { title += " · from " + country }
        if !roster.name.isEmpty { title += " · name: " + roster.name }
        if roster.sort != .name { title += " · " + roster.sort.label }
        drawBox(rect, title: title, focused: focused, theme: theme, into: &buffer)
        let area = rect.inset(1)
        guard area.width > 4, area.height > 1 else { return nil }
        let meta = theme.style(.listMeta)
        // Sorted by posts, the count is always shown.
        let postsWidth = area.width >= 30 || roster.sort == .posts ? 5 : 0
        // Grouped by country, the country column takes half the width: it carries the counts.
        let countryWidth = area.width >= 24 && (roster.sort != .posts || area.width >= 30)
            ? (roster.sort == .country ? area.width / 2 : min(16, area.width / 3)) : 0
        let nameWidth = area.width - (postsWidth > 0 ? postsWidth + 1 : 0) - (countryWidth > 0 ? countryWidth + 1 : 0)
        Columns([.init("NAME", nameWidth, meta), .init("COUNTRY", countryWidth, meta), .init("POSTS", postsWidth, right: true, meta)])
            .draw(x: area.x, y: area.y, into: &buffer)
        if roster.window.total == 0, !roster.name.isEmpty {
            buffer.put("No name has \"\(Sanitizer.line(roster.name))\".", x: area.x + 1, y: area.y + 1, maxWidth: area.width - 1, style: meta)
            return nil
        }
        return ListRows.draw(roster.window, in: area, below: Layout.listHeaderRows, placeholder: meta, into: &buffer) { member, index, y, selected, buffer in
            let style = selected ? theme.style(.listSelected) : theme.style(.rosterName)
            if selected { buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style) }
            Columns([
                .init(member.name, nameWidth, style),
                .init(roster.countryLabel(at: index, width: countryWidth), countryWidth, selected ? style : theme.style(.rosterCountry)),
                .init(String(member.postCount), postsWidth, right: true, selected ? style : meta),
            ]).draw(x: area.x, y: y, into: &buffer)
        }
    }
}
