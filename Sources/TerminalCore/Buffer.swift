/// One cell of the screen: one character (a base and its combining marks) and its style. The
/// cell after a wide character holds an empty symbol.
public struct Cell: Hashable, Sendable {
    public var symbol: String
    public var style: Style

    public init(_ symbol: String = " ", style: Style = .plain) {
        self.symbol = symbol
        self.style = style
    }
}

/// A grid of cells that views draw into; the backend puts it on the screen. Tests read it back
/// as lines of text.
///
/// Nothing that is not printable gets in: control characters (and bidi overrides) are dropped
/// as they are written, whatever the caller passed, so no escape sequence can reach a terminal
/// through a buffer.
public struct Buffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, style: Style = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(" ", style: style), count: self.width * self.height)
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    public mutating func fill(_ rect: Rect, style: Style) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { self[x, y] = Cell(" ", style: style) }
        }
    }

    /// Writes text from (x, y), clipped to `maxWidth` columns and to the buffer. Returns the
    /// columns used. A wide character that would not fit whole is not written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, maxWidth: Int? = nil, style: Style) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, maxWidth.map { x + max(0, $0) } ?? width)
        var column = x
        // Most text is ASCII: a cell a byte, with no grapheme breaking.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in text.utf8 where byte >= 0x20 && byte != 0x7F {
                if column + 1 > limit { break }
                if column >= 0 { cells[y * width + column] = Cell(String(UnicodeScalar(byte)), style: style) }
                column += 1
            }
            return column - x
        }
        for character in text {
            guard let first = character.unicodeScalars.first else { continue }
            let v = first.value
            // Never a control character, nor a bidi embedding, override or isolate.
            if v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
                continue
            }
            let w = DisplayWidth.of(character)
            if w == 0 {
                // A mark with no base before it in this run: attach it to the previous cell.
                if column > x, column - 1 < width, column - 1 >= 0 { self[column - 1, y].symbol.append(character) }
                continue
            }
            if column + w > limit { break }
            if column >= 0 {
                self[column, y] = Cell(String(character), style: style)
                if w == 2, column + 1 < width { self[column + 1, y] = Cell("", style: style) }
            }
            column += w
        }
        return column - x
    }

    /// Sets the style of cells without changing their text.
    public mutating func setStyle(_ rect: Rect, _ style: Style) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { self[x, y].style = style }
        }
    }

    /// The screen as text, one string a row (a wide character once, trailing spaces kept).
    public var lines: [String] {
        (0..<height).map { line($0) }
    }

    public func line(_ y: Int) -> String {
        var out = ""
        for x in 0..<width { out += self[x, y].symbol }
        return out
    }

    /// The whole screen as one string, for snapshots.
    public var text: String { lines.joined(separator: "\n") }
}
