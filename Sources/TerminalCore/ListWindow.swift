// Inlinable: the lists are generic, and the views in other modules walk them for every row of
// every frame; specialised there, a row costs no witness-table calls.

/// A long list seen through a window: the rows loaded from the store (a margin around what is
/// on screen), the selected row and the first visible row, all as positions in the whole list.
public struct ListWindow<Row: Hashable & Sendable>: Hashable, Sendable {
    /// How many rows the whole list has.
    public var total = 0
    /// Where `rows[0]` sits in the whole list.
    public var offset = 0
    public var rows: [Row] = []
    public var selected = 0
    public var top = 0

    @inlinable public init() {}

    @inlinable public func row(_ index: Int) -> Row? {
        let i = index - offset
        return rows.indices.contains(i) ? rows[i] : nil
    }

    @inlinable public var selectedRow: Row? { row(selected) }

    /// Moves the selection, keeping it on screen in `visible` rows.
    @inlinable public mutating func select(_ index: Int, visible: Int) {
        selected = max(0, min(total - 1, index))
        if total == 0 { selected = 0 }
        keepVisible(visible)
    }

    @inlinable public mutating func keepVisible(_ visible: Int) {
        let visible = max(1, visible)
        if selected < top { top = selected }
        if selected >= top + visible { top = selected - visible + 1 }
        top = max(0, min(top, max(0, total - visible)))
    }

    /// The window to load so that what is on screen is covered, with a margin; nil when the
    /// rows loaded already cover it.
    @inlinable public func neededWindow(visible: Int, margin: Int = 30) -> (offset: Int, limit: Int)? {
        let first = top
        let last = min(total, top + max(1, visible))
        if first >= offset && last <= offset + rows.count { return nil }
        if total == 0 { return nil }
        let start = max(0, first - margin)
        return (start, (last - start) + margin)
    }
}
