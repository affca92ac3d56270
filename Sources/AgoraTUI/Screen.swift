import AgoraKit
import TerminalCore

/// The whole frame: each pane's view given its own model and its rectangle of the layout.
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
        // Cut with an ellipsis, so that it is seen to be cut.
        let used = buffer.put(DisplayWidth.truncate(Sanitizer.line(state.headerTitle), to: max(0, state.width - 2)), x: 1, y: 0,
                              style: theme.style(.header))
        if let tagline = state.community.tagline, state.headerTitle == state.community.name, used + 6 < state.width {
            buffer.put(DisplayWidth.truncate(" — " + Sanitizer.line(tagline), to: max(0, state.width - used - 2)), x: 1 + used, y: 0,
                       style: theme.style(.tagline))
        }
        let status = StatusBar.Content(state)
        var cursor: (x: Int, y: Int)?
        if let search = state.search, state.mode == .search {
            let body = Rect(x: 0, y: 1, width: state.width, height: state.height - 2)
            cursor = SearchView.draw(search, limit: SearchState.limit(height: state.height), dateFormat: state.settings.dateFormat,
                                     keys: keymap, in: body, theme: theme, into: &buffer)
            StatusBar.draw(status, in: layout.status, theme: theme, into: &buffer)
            return (buffer, cursor)
        }
        if let glance = state.glance, state.mode == .glance {
            GlanceView.draw(glance, community: state.community, unicode: state.settings.unicodeCharts, keys: keymap,
                            in: Rect(x: 0, y: 1, width: state.width, height: state.height - 2), theme: theme, into: &buffer)
            StatusBar.draw(status, in: layout.status, theme: theme, into: &buffer)
            return (buffer, nil)
        }
        if let sources = state.sourcesScreen, state.mode == .sources {
            SourcesView.draw(sources, dateFormat: state.settings.dateFormat, unicode: state.settings.unicodeCharts, keys: keymap,
                             in: Rect(x: 0, y: 1, width: state.width, height: state.height - 2), theme: theme, into: &buffer)
            StatusBar.draw(status, in: layout.status, theme: theme, into: &buffer)
            return (buffer, nil)
        }
        for pane in layout.panes {
            guard let rect = layout.rects[pane] else { continue }
            let focused = pane == state.focus
            let paneCursor: (x: Int, y: Int)?
            switch pane {
            case .posts:
                paneCursor = PostListView.draw(state.postList, dateFormat: state.settings.dateFormat, in: rect, focused: focused,
                                               theme: theme, into: &buffer)
            case .roster:
                paneCursor = RosterView.draw(state.roster, in: rect, focused: focused, theme: theme, into: &buffer)
            case .detail:
                switch state.detail {
                case .profile(let profile):
                    paneCursor = ProfileView.draw(profile, in: rect, focused: focused, theme: theme, into: &buffer)
                case .article(let article):
                    ArticleView.draw(article, hint: "", in: rect, focused: focused, theme: theme, into: &buffer)
                    paneCursor = (rect.x + 1, rect.y + 1)
                case .none:
                    let hint = state.posts.total == 0 ? "Nothing to read yet." : "\(keymap.label(.open)) opens the selected post."
                    ArticleView.draw(nil, hint: hint, community: state.community, openLinkKey: keymap.label(.openLink),
                                     in: rect, focused: focused, theme: theme, into: &buffer)
                    paneCursor = (rect.x + 1, rect.y + 1)
                }
            }
            if focused { cursor = paneCursor }
        }
        StatusBar.draw(status, in: layout.status, theme: theme, into: &buffer)
        if case .help(let scroll) = state.mode {
            HelpView.draw(scroll: scroll, keymap: keymap, problems: state.problems,
                          in: Rect(x: 0, y: 1, width: state.width, height: state.height - 2), theme: theme, into: &buffer)
            cursor = nil
        }
        return (buffer, cursor)
    }
}

/// The bottom line: the counts, the list's filter, a message or the question being asked on
/// the left; the focused pane's key hints on the right.
public enum StatusBar {
    /// What the status line shows, taken from the state once per frame.
    struct Content {
        var left: String
        var highlighted: Role?
        var hints: [String]

        init(_ state: AppState) {
            let keys = state.keymap
            left = " \(state.unread)/\(state.posts.total) unread"
            highlighted = nil
            hints = []
            switch state.mode {
            case .confirmMarkAllRead:
                left = " Mark all \(state.unread) unread posts read? (\(keys.label(.yes, in: .confirm)): yes, any other key: no)"
                highlighted = .dialog
            case .link(let digits):
                left = " Open link number: \(digits)  (\(keys.label(.open, in: .link)) opens, 0 or \(keys.label(.open, in: .link)) alone: this post's page, \(keys.label(.back, in: .link)) cancels)"
                highlighted = .dialog
            case .help:
                let move = [keys.firstKey(.down), keys.firstKey(.up)].compactMap { $0 }.joined(separator: "/")
                left = " Help — \(move.isEmpty ? "" : move + " scroll, ")any other key closes"
            case .search:
                let choose = "\(keys.label(.up, in: .search))/\(keys.label(.down, in: .search))"
                left = " Search — type; \(choose) choose, \(keys.label(.open, in: .search)) opens, \(keys.label(.back, in: .search)) goes back"
            case .glance:
                let move = [keys.firstKey(.down), keys.firstKey(.up)].compactMap { $0 }.joined(separator: "/")
                // The arrows when they are bound: they say "along the chart" best.
                func key(_ command: Command, _ arrow: Key) -> String? {
                    let bound = keys.keys(command)
                    return (bound.first { $0.keys == [arrow] } ?? bound.first)?.name
                }
                let month = [key(.previousPane, .left), key(.nextPane, .right)].compactMap { $0 }.joined(separator: "/")
                left = " At a glance — \(move) choose, \(month) month, \(keys.label(.open)) opens, \(keys.label(.back)) closes"
                if let message = state.message { left = " " + Sanitizer.line(message); highlighted = .statusMessage }
            case .sources:
                let move = [keys.firstKey(.down), keys.firstKey(.up)].compactMap { $0 }.joined(separator: "/")
                left = " Sources — \(move) choose, \(keys.label(.open)) reads, \(keys.label(.markAllRead)) marks read, "
                    + "\(keys.label(.undo)) undoes, \(keys.label(.back)) closes"
                if let screen = state.sourcesScreen, screen.confirming, let row = screen.chosen {
                    left = " Mark \(row.unread) unread \(row.unread == 1 ? "post" : "posts") of \(row.name) read? "
                        + "(\(keys.label(.yes, in: .confirm)): yes, any other key: no)"
                    highlighted = .dialog
                } else if let message = state.message {
                    left = " " + Sanitizer.line(message)
                    highlighted = .statusMessage
                }
            case .rosterFilter:
                left = " Filter the roster: \(Sanitizer.line(state.memberName))▏ \(keys.label(.open, in: .rosterFilter)) keeps it, "
                    + "\(keys.label(.back, in: .rosterFilter)) clears it"
                highlighted = .dialog
            case .normal:
                let shown = state.postList.summary
                if !shown.isEmpty { left += " · " + shown }
                if !state.pendingKeys.isEmpty {
                    left += " · " + KeySequence(state.pendingKeys).name + " …"
                    highlighted = .statusMessage
                } else if let message = state.message {
                    left += " · " + Sanitizer.line(message)
                    highlighted = .statusMessage
                }
            }
            // The pane's hints only where its keys work: not while typing into a line, answering
            // the question or reading the help (which says its own keys).
            hints = state.mode == .normal ? keys.hints(in: state.focus) : []
        }
    }

    static func draw(_ content: Content, in rect: Rect, theme: Theme, into buffer: inout Buffer) {
        buffer.fill(rect, style: theme.style(.statusBar))
        let used = buffer.put(DisplayWidth.truncate(content.left, to: rect.width), x: 0, y: rect.y,
                              style: theme.style(content.highlighted ?? .statusBar))
        // As many of the focused pane's hints as fit, most useful first.
        var hints = ""
        for hint in content.hints {
            let next = hints.isEmpty ? hint : hints + "  " + hint
            if used + 3 + DisplayWidth.of(next) > rect.width { break }
            hints = next
        }
        if !hints.isEmpty {
            buffer.put(hints + " ", x: rect.width - DisplayWidth.of(hints) - 1, y: rect.y, style: theme.style(.statusHint))
        }
    }
}

public enum HelpView {
    static func lineCount(_ keymap: KeyMap, problems: [String] = []) -> Int { entries(keymap, problems: problems).count + 2 }

    /// The config's and themes' problems first, each whole (`file:line: what`), then the keys.
    static func entries(_ keymap: KeyMap, problems: [String]) -> [(keys: String, help: String)] {
        guard !problems.isEmpty else { return keymap.helpLines() }
        return [("", "\(plural(problems.count, "problem")) in the config or a theme (what is wrong is left at its default):")]
            + problems.map { ("!", $0) } + [("", "")] + keymap.helpLines()
    }

    static func draw(scroll: Int, keymap: KeyMap, problems: [String] = [], in rect: Rect, theme: Theme, into buffer: inout Buffer) {
        buffer.fill(rect, style: theme.style(.help))
        drawBox(rect, title: "Help: keys (\(keymap.label(.back)) closes)", focused: true, theme: theme, into: &buffer)
        let area = rect.inset(1)
        let entries = entries(keymap, problems: problems)
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
