import AgoraKit
import TerminalCore

/// The member roster: the window of members loaded, its order, the name typed to filter it and,
/// grouped by country, how many members each country has.
public struct RosterModel: Hashable, Sendable {
    public var window = ListWindow<MemberSummary>()
    public var sort = MemberSort.name
    public var name = ""
    /// Only the members of this country (chosen on the at-a-glance screen).
    public var country: String?
    public var countryCounts: [String: Int] = [:]

    public init() {}

    func load(offset: Int, limit: Int) -> Effect {
        .loadMembers(offset: offset, limit: limit, name: name.isEmpty ? nil : name, country: country, sort: sort)
    }

    /// The roster from its start, with the order and name in force.
    mutating func reset(visible: Int) -> [Effect] {
        window = ListWindow()
        return [load(offset: 0, limit: max(visible, 20) + 20)]
    }

    func neededLoad(visible: Int) -> Effect? {
        window.neededWindow(visible: visible).map { load(offset: $0.offset, limit: $0.limit) }
    }

    mutating func receive(offset: Int, rows: [MemberSummary], total: Int, visible: Int) {
        window.offset = offset
        window.rows = rows
        window.total = total
        window.select(window.selected, visible: visible)
    }

    /// The next order; the country order needs the counts of each country.
    mutating func cycleSort(visible: Int) -> [Effect] {
        let all = MemberSort.allCases
        sort = all[(all.firstIndex(of: sort)! + 1) % all.count]
        return reset(visible: visible) + (sort == .country ? [.loadCountries] : [])
    }

    /// A key while the name is typed: a character goes in, erase takes the last back, the
    /// movement keys move. Returns the loads it needs.
    mutating func edit(_ action: Action, visible: Int) -> [Effect] {
        let before = name
        switch action {
        case .insert(let c): name.append(c)
        case .command(.erase): if !name.isEmpty { name.removeLast() }
        case .command(.clearLine): name = ""
        case .command(let move):
            let delta: Int
            switch move {
            case .down: delta = 1
            case .up: delta = -1
            case .pageDown: delta = visible - 1
            case .pageUp: delta = -(visible - 1)
            default: return []
            }
            window.select(window.selected.clampedAdding(delta), visible: visible)
            return neededLoad(visible: visible).map { [$0] } ?? []
        default: return []
        }
        return name == before ? [] : reset(visible: visible)
    }

    /// The country a row shows: on the first row of a country when grouped by country, with its
    /// count; nothing on the rows after it.
    func countryLabel(at index: Int, width: Int) -> String {
        guard let member = window.row(index) else { return "" }
        guard sort == .country else { return member.country ?? "—" }
        if index > window.top, let previous = window.row(index - 1), previous.country == member.country { return "" }
        guard let name = member.country, let count = countryCounts[name] else { return member.country ?? "—" }
        // The count stays whole; a long name gives way.
        let label = " (\(count))"
        return DisplayWidth.truncate(name, to: max(1, width - label.count)) + label
    }
}

extension Int {
    /// Adds without overflowing: a jump to the top or bottom is a very large step.
    func clampedAdding(_ delta: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(delta)
        return overflow ? (delta > 0 ? Int.max / 2 : 0) : sum
    }
}
