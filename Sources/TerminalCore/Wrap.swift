/// Word wrapping by display width, for any kind of styled text.
public enum Wrap {
    /// A piece of text with a style of the caller's choosing.
    public struct Piece<Style: Hashable & Sendable>: Hashable, Sendable {
        public var text: String
        public var style: Style

        public init(_ text: String, _ style: Style) {
            self.text = text
            self.style = style
        }
    }

    /// Breaks pieces into lines of at most `width` columns: at spaces where it can, inside a
    /// word only when the word alone is wider than a line. "\n" in a piece forces a break.
    /// Spaces at the start of a wrapped line are dropped.
    // Inlinable, so that each caller's style is specialised: generic wrapping paid a metadata
    // look-up per piece (a 500-message mail thread opened in 74 ms, most of it here).
    @inlinable
    public static func lines<Style>(_ pieces: [Piece<Style>], width: Int) -> [[Piece<Style>]] {
        let width = max(1, width)
        var lines: [[Piece<Style>]] = []
        var line: [Piece<Style>] = []
        var used = 0

        func add(_ text: Substring, _ style: Style) {
            guard !text.isEmpty else { return }
            if let last = line.last, last.style == style {
                line[line.count - 1].text += text
            } else {
                line.append(Piece(String(text), style))
            }
        }
        func endLine() {
            // Trailing spaces never show.
            while let last = line.last {
                var text = last.text
                while text.utf8.last == 0x20 { text.removeLast() }
                if text.isEmpty { line.removeLast() } else { line[line.count - 1].text = text; break }
            }
            lines.append(line)
            line = []
            used = 0
        }

        // Split into words (with the spaces after them) and hard breaks. Spaces and newlines are
        // single ASCII bytes, so the split works on bytes, not on grapheme clusters; a word is a
        // slice of its piece, not a string of its own.
        var tokens: [WrapToken<Style>] = []
        for piece in pieces {
            let text = piece.text
            var wordStart = text.startIndex
            var index = text.startIndex
            let utf8 = text.utf8
            while index < text.endIndex {
                let byte = utf8[index]
                if byte == 0x20 || byte == 0x0A {
                    if wordStart < index { tokens.append(.word(text[wordStart..<index], piece.style)) }
                    tokens.append(byte == 0x0A ? .newline : .space(piece.style))
                    index = utf8.index(after: index)
                    wordStart = index
                } else {
                    index = utf8.index(after: index)
                }
            }
            if wordStart < text.endIndex { tokens.append(.word(text[wordStart..<text.endIndex], piece.style)) }
        }

        // Words that touch (a link and its "[1]") must stay together: group them.
        var group: [(text: Substring, style: Style, width: Int)] = []
        var index = 0
        while index < tokens.count {
            switch tokens[index] {
            case .newline:
                endLine()
                index += 1
            case .space(let style):
                if used > 0, used < width {
                    add(" ", style)
                    used += 1
                }
                index += 1
            case .word:
                group.removeAll(keepingCapacity: true)
                var groupWidth = 0
                while index < tokens.count, case .word(let text, let style) = tokens[index] {
                    let columns = DisplayWidth.of(text)
                    group.append((text, style, columns))
                    groupWidth += columns
                    index += 1
                }
                if used + groupWidth > width, used > 0 { endLine() }
                for (text, style, columns) in group {
                    if used + columns <= width {
                        add(text, style)
                        used += columns
                        continue
                    }
                    // Wider than a whole line: break it by characters.
                    for character in text {
                        let w = DisplayWidth.of(character)
                        if used + w > width, used > 0 { endLine() }
                        add(Substring(String(character)), style)
                        used += w
                    }
                }
            }
        }
        if !line.isEmpty || lines.isEmpty { endLine() }
        return lines
    }

    /// Plain text wrapped to `width` columns.
    public static func lines(_ text: String, width: Int) -> [String] {
        lines([Piece(text, 0)], width: width).map { $0.map(\.text).joined() }
    }
}

@usableFromInline
enum WrapToken<Style> {
    case word(Substring, Style)
    case space(Style)
    case newline
}
