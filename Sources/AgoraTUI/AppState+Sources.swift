import AgoraKit
import TerminalCore

/// The sources screen: choosing a source (or a forum's category), reading it, marking it read.
extension AppState {
    mutating func openSources() -> [Effect] {
        // Opened again, it keeps the row that was chosen.
        var screen = SourcesState(origin: place)
        if let last = sourcesScreen {
            screen.selected = last.selected
            screen.scroll = last.scroll
            screen.rows = last.rows
        }
        sourcesScreen = screen
        mode = .sources
        return [.loadSources]
    }

    /// The rows of the screen's list.
    private var sourcesRows: Int { SourcesView.visibleRows(height: height) }

    mutating func updateSources(_ action: Action) -> [Effect] {
        guard var screen = sourcesScreen else { mode = .normal; return [] }
        defer { sourcesScreen = screen }
        if screen.confirming {
            screen.confirming = false
            guard case .command(.yes) = action, let row = screen.chosen else {
                message = "Nothing marked."
                return []
            }
            return [.markAllRead(row.filter)]
        }
        guard case .command(let command) = action else { return [] }
        switch command {
        case .back, .quit, .sources:
            closeSources()
            return windowEffects()
        case .help:
            helpReturnsTo = .sources
            mode = .help(scroll: 0)
            return []
        case .down: screen.choose(screen.selected + 1, visible: sourcesRows)
        case .up: screen.choose(screen.selected - 1, visible: sourcesRows, step: -1)
        case .top: screen.choose(0, visible: sourcesRows)
        case .bottom: screen.choose(Int.max / 2, visible: sourcesRows, step: -1)
        case .pageDown: screen.choose(screen.selected + sourcesRows - 1, visible: sourcesRows)
        case .pageUp: screen.choose(screen.selected - sourcesRows + 1, visible: sourcesRows, step: -1)
        case .open:
            guard let row = screen.chosen else { return [] }
            return readSource(row)
        case .markAllRead:
            guard let row = screen.chosen else { return [] }
            guard row.unread > 0 else {
                message = "Nothing unread in \(row.name)."
                break
            }
            guard settings.confirmMarkAllRead else { return [.markAllRead(row.filter)] }
            screen.confirming = true
        case .undo:
            return [.undo]
        case .sync:
            return [.sync()]
        case .syncSource:
            guard let source = screen.chosen?.source, source.isSynced else {
                message = "This source is not synced: \(keymap.label(.sync)) syncs every feed and forum."
                break
            }
            return [.sync(source.id)]
        default:
            break
        }
        return []
    }

    /// The post list shows one source (or one category of it); X shows every post again.
    private mutating func readSource(_ row: SourcesRow) -> [Effect] {
        closeSources()
        var filter = row.filter
        filter.unreadOnly = postFilter.unreadOnly
        postList.sourceName = row.name
        let effects = setPostFilter(filter)
        focus = .posts
        message = "Showing \(row.name); \(keymap.label(.clearFilters)) shows every post, \(keymap.label(.sources)) the sources."
        return effects
    }

    private mutating func closeSources() {
        if let origin = sourcesScreen?.origin { go(to: origin) }
        mode = .normal
    }

    /// The sources as the store has them now.
    mutating func receiveSources(_ sources: [Source], _ counts: [SourceCount]) {
        self.sources = sources
        // The rows are made only for the screen that shows them.
        if var screen = sourcesScreen, mode == .sources {
            // The same row stays chosen when rows come and go above it.
            let before = screen.chosen
            let rows = SourcesRow.rows(SourceTally.tally(sources, counts: counts))
            screen.rows = rows
            if let before, let index = rows.firstIndex(where: { $0.source?.id == before.source?.id && $0.category == before.category }) {
                screen.selected = index
            }
            screen.choose(screen.selected, visible: sourcesRows)
            sourcesScreen = screen
        }
        // The list's title names its source by the name it has now.
        if let id = postFilter.source, let source = sources.first(where: { $0.id == id }) {
            postList.sourceName = SourcesRow.name(source, category: postFilter.category)
        }
    }

    /// The header's words: the community's name, or how many sources there are when the cache
    /// holds several (the community's name is then only the first one's).
    public var headerTitle: String {
        let named = sources.filter { !$0.kind.traits.isCommunitysOwn }
        guard sources.count > 1, !named.isEmpty else { return community.name }
        return "\(sources.count) sources: " + sources.map(\.name).joined(separator: ", ")
    }
}
