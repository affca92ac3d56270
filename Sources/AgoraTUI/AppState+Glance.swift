import AgoraKit
import TerminalCore

/// The at-a-glance screen: choosing its rows and opening what they name.
extension AppState {
    // MARK: At a glance

    /// The at-a-glance screen's document as it is drawn now.
    private func glanceDocument(_ glance: GlanceState) -> GlanceDocument? {
        GlanceView.document(glance, community: community, width: width, height: height, unicode: settings.unicodeCharts)
    }

    /// The rows of the screen inside its box.
    private var glanceRows: Int { max(1, height - 4) }

    mutating func updateGlance(_ action: Action) -> [Effect] {
        guard var current = glance else { mode = .normal; return [] }
        guard case .command(let command) = action else { return [] }
        if [.back, .quit, .glance].contains(command) {
            go(to: current.origin)
            return windowEffects()
        }
        // Help and search work here as everywhere: help comes back to this screen, and so does
        // Esc from a search begun here.
        if command == .help {
            helpReturnsTo = .glance
            mode = .help(scroll: 0)
            return []
        }
        if command == .search {
            search = SearchState(origin: place)
            mode = .search
            return []
        }
        guard let doc = glanceDocument(current), !doc.targets.isEmpty else { return [] }
        let targets = doc.targets
        let rows = glanceRows
        func choose(_ index: Int) {
            current.selected = max(0, min(targets.count - 1, index))
            let line = targets[current.selected]
            // A chart is kept in view whole, down to its years.
            var last = line
            if doc.lines[line].target == .chart {
                last = doc.lines[line...].firstIndex { $0.spans.first?.role == .chartAxis } ?? line
            }
            if current.selected == 0 { current.scroll = 0 }
            if line < current.scroll { current.scroll = line }
            if min(last, line + rows - 1) >= current.scroll + rows { current.scroll = min(last, line + rows - 1) - rows + 1 }
        }
        switch command {
        case .down: choose(current.selected + 1)
        case .up: choose(current.selected - 1)
        case .top: choose(0)
        case .bottom:
            choose(targets.count - 1)
            current.scroll = max(current.scroll, doc.lines.count - rows)
        case .pageDown, .pageUp:
            let step = command == .pageDown ? rows - 1 : -(rows - 1)
            current.scroll = max(0, min(max(0, doc.lines.count - rows), current.scroll + step))
            // The first row that can be chosen on the new page.
            let onPage = targets.firstIndex { $0 >= current.scroll && $0 < current.scroll + rows }
            if let onPage { current.selected = onPage }
        case .nextPane, .previousPane:
            guard doc.lines[targets[current.selected]].target == .chart, !doc.months.isEmpty else {
                message = "\(keymap.label(.previousPane))/\(keymap.label(.nextPane)) move along the chart when it is chosen."
                break
            }
            let month = current.month ?? doc.months.count - 1
            current.month = max(0, min(doc.months.count - 1, month + (command == .nextPane ? 1 : -1)))
        case .open:
            let target = doc.lines[targets[current.selected]].target!
            glance = current
            return openGlance(target, months: doc.months)
        default:
            break
        }
        glance = current
        return []
    }

    /// Enter on a row of the at-a-glance screen: a month's posts (as a search), a country's
    /// members, a member's profile, a post. Esc comes back to the screen.
    private mutating func openGlance(_ target: GlanceTarget, months: [CommunityStats.Month]) -> [Effect] {
        let here = place
        /// A search typed for the reader, whose way back is the screen.
        func search(_ text: String) -> [Effect] {
            var search = SearchState(origin: here)
            let effects = search.begin(with: text, limit: SearchState.limit(height: height))
            self.search = search
            glance = nil
            mode = .search
            return effects
        }
        /// To the reader's panes, with the screen to come back to.
        func leave() {
            remember(here)
            glance = nil
            mode = .normal
        }
        switch target {
        case .chart:
            guard !months.isEmpty else { return [] }
            return search(GlanceDocument.query(for: months[min(months.count - 1, max(0, glance?.month ?? months.count - 1))].month))
        case .month(let month):
            return search(GlanceDocument.query(for: month))
        case .location(let place):
            // Members who typed it: a search of the words, which finds them by their location.
            return search("\"\(place.replacingOccurrences(of: "\"", with: " "))\"")
        case .country(let name):
            leave()
            roster.country = name
            roster.name = ""
            if layout.kind != .wide { rosterInPlaceOfPosts = true }
            focus = .roster
            message = "Roster: members from \(name); \(keymap.label(.clearFilters)) shows everyone."
            return roster.reset(visible: layout.rosterRows)
        case .member(let id):
            leave()
            return [.openMember(id)]
        case .post(let id):
            leave()
            return [.openPost(id)]
        }
    }
}
