/// Widgets more than one view draws: a box with a title, a row of columns, the rows of a
/// windowed list. They take styles, not a theme: what a style means is the caller's business.

/// A box around a pane with its title; the focused pane's box is drawn in heavy lines.
public enum Box {
    public static func draw(_ rect: Rect, title: String, focused: Bool, border: Style, titleStyle: Style, into buffer: inout Buffer) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let (h, v) = focused ? ("━", "┃") : ("─", "│")
        let corners = focused ? ("┏", "┓", "┗", "┛") : ("┌", "┐", "└", "┘")
        buffer.put(corners.0 + String(repeating: h, count: rect.width - 2) + corners.1, x: rect.x, y: rect.y, style: border)
        buffer.put(corners.2 + String(repeating: h, count: rect.width - 2) + corners.3, x: rect.x, y: rect.maxY - 1, style: border)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            buffer.put(v, x: rect.x, y: y, style: border)
            buffer.put(v, x: rect.maxX - 1, y: y, style: border)
        }
        let text = " " + DisplayWidth.truncate(title, to: max(0, rect.width - 6)) + " "
        buffer.put(text, x: rect.x + 2, y: rect.y, maxWidth: rect.width - 4, style: titleStyle)
    }
}

/// A row of cells laid out in columns, cut to width by display width.
public struct Columns {
    public struct Cell {
        public var text: String
        public var width: Int
        public var right: Bool
        public var style: Style

        public init(_ text: String, _ width: Int, right: Bool = false, _ style: Style) {
            self.text = text
            self.width = width
            self.right = right
            self.style = style
        }
    }

    public var cells: [Cell]

    public init(_ cells: [Cell]) { self.cells = cells }

    public func draw(x: Int, y: Int, into buffer: inout Buffer) {
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
/// row gets the terminal's cursor (screen readers follow it).
public enum ListRows {
    @inlinable
    public static func draw<Row>(
        _ list: ListWindow<Row>, in area: Rect, below headerRows: Int, placeholder: Style, into buffer: inout Buffer,
        row draw: (_ row: Row, _ index: Int, _ y: Int, _ selected: Bool, _ buffer: inout Buffer) -> Void
    ) -> (x: Int, y: Int)? {
        var cursor: (x: Int, y: Int)?
        for line in 0..<max(0, area.height - headerRows) {
            let index = list.top + line
            guard index < list.total else { break }
            let y = area.y + headerRows + line
            guard let row = list.row(index) else {
                buffer.put("…", x: area.x + 2, y: y, style: placeholder)
                continue
            }
            let selected = index == list.selected
            draw(row, index, y, selected, &buffer)
            if selected { cursor = (area.x, y) }
        }
        return cursor
    }
}
