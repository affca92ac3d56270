import AgoraKit
import TerminalCore

/// How a piece of article text looks: its role in the article and its emphasis.
public struct ArticleStyle: Hashable, Sendable {
    public enum Role: Hashable, Sendable {
        case text, heading, marker, quote, rule, preformatted
        /// Parts of the article around the body.
        case title, byline, section, commentAuthor, commentMeta, commentUnread, commentText
    }

    public var role: Role
    public var emphasis: RichText.Style

    public init(_ role: Role, _ emphasis: RichText.Style = []) {
        self.role = role
        self.emphasis = emphasis
    }
}

/// One line of a laid-out article.
public struct ArticleLine: Hashable, Sendable {
    public var pieces: [Wrap.Piece<ArticleStyle>]

    public init(_ pieces: [Wrap.Piece<ArticleStyle>]) { self.pieces = pieces }

    public var text: String { pieces.map(\.text).joined() }
}

/// Lays out rich text at a width: paragraphs wrapped and separated by blank lines, list items
/// with their markers and hanging indents, quotes behind a bar, preformatted text kept as it is.
public enum ArticleLayout {
    /// `foldingQuotes`: a mail's quoted text (with the "... wrote:" line above it), its
    /// signature and an Outlook-style quoted message each become one line that says what is
    /// folded there and how long it is.
    public static func lines(_ text: RichText, width: Int, foldingQuotes: Bool = false) -> [ArticleLine] {
        let width = max(8, width)
        var out: [ArticleLine] = []
        var previous: RichText.Block?
        let blocks = text.blocks
        var index = 0
        while index < blocks.count {
            let block = blocks[index]
            if foldingQuotes, let (end, label) = Self.fold(blocks, at: index) {
                if previous != nil { out.append(blankLine(quoteDepth: 0)) }
                let hidden = writtenLines(blocks[index..<end])
                out.append(ArticleLine([Wrap.Piece("▸ ", ArticleStyle(.quote, .bold)),
                                        Wrap.Piece("\(label) (\(hidden) \(hidden == 1 ? "line" : "lines"))", ArticleStyle(.quote))]))
                previous = RichText.Block(kind: .paragraph, spans: [])
                index = end
                continue
            }
            if let previous, blankBetween(previous, block) {
                out.append(blankLine(quoteDepth: min(previous.quoteDepth, block.quoteDepth)))
            }
            out += lines(block, width: width)
            previous = block
            index += 1
        }
        return out
    }

    /// How many lines blocks take as written (each paragraph's lines, a blank line between
    /// paragraphs): what a fold says it hides, the same at every width, and counted without
    /// laying out what is not shown (a 500-message thread has a fold or two in each).
    static func writtenLines(_ blocks: ArraySlice<RichText.Block>) -> Int {
        var count = 0
        var previous: RichText.Block?
        for block in blocks {
            if let previous, blankBetween(previous, block) { count += 1 }
            count += 1 + block.spans.reduce(0) { $0 + $1.text.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
            previous = block
        }
        return count
    }

    /// What folds at `index`, and where it ends: quoted text (with its attribution line),
    /// a signature (from `-- ` to the end), an Outlook-style quoted message (to the end).
    static func fold(_ blocks: [RichText.Block], at index: Int) -> (end: Int, label: String)? {
        let block = blocks[index]
        let text = block.text
        if text.hasPrefix("-- \n") || text == "-- " || text == "--" || text.hasPrefix("--\n") {
            return (blocks.count, "signature")
        }
        if block.quoteDepth == 0,
           text.hasPrefix("-----Original Message-----") || text.hasPrefix("From: ") && (text.contains("\nSent: ") || text.contains("\nDate: ")) {
            return (blocks.count, "quoted message")
        }
        var start = index
        if block.quoteDepth == 0 {
            let ends = text.trimmingTrailingSpaces.hasSuffix("wrote:") || text.trimmingTrailingSpaces.hasSuffix("a écrit :")
            guard ends, index + 1 < blocks.count, blocks[index + 1].quoteDepth > 0, text.count < 400 else { return nil }
            start = index + 1
        }
        var end = start
        while end < blocks.count, blocks[end].quoteDepth > 0 { end += 1 }
        return (end, "quoted text")
    }

    /// "[1] https://..." for each link, wrapped under its number.
    public static func linkLines(_ links: [String], width: Int) -> [ArticleLine] {
        links.enumerated().flatMap { index, url -> [ArticleLine] in
            let number = "[\(index + 1)] "
            let hang = String(repeating: " ", count: number.count)
            return Wrap.lines([Wrap.Piece(url, ArticleStyle(.text, .link))], width: max(1, width - number.count))
                .enumerated().map { row, pieces in
                    ArticleLine([Wrap.Piece(row == 0 ? number : hang, ArticleStyle(.marker, .linkNumber))] + pieces)
                }
        }
    }

    /// Blocks are a blank line apart, but for list items one after another at one depth.
    private static func blankBetween(_ previous: RichText.Block, _ block: RichText.Block) -> Bool {
        !(isListItem(previous) && isListItem(block)) || previous.quoteDepth != block.quoteDepth
    }

    private static func isListItem(_ block: RichText.Block) -> Bool {
        if case .listItem = block.kind { return true }
        return false
    }

    private static func quotePrefix(_ depth: Int) -> String {
        String(repeating: "│ ", count: depth)
    }

    private static func blankLine(quoteDepth: Int) -> ArticleLine {
        let prefix = quotePrefix(quoteDepth)
        return ArticleLine(prefix.isEmpty ? [] : [Wrap.Piece(String(prefix.dropLast()), ArticleStyle(.quote))])
    }

    private static func lines(_ block: RichText.Block, width: Int) -> [ArticleLine] {
        let quote = quotePrefix(block.quoteDepth)
        let listIndent = String(repeating: "  ", count: max(0, block.listDepth - 1))
        var first = listIndent
        var rest = listIndent
        var markerText = ""
        if case .listItem(let marker) = block.kind {
            markerText = marker + " "
            rest += String(repeating: " ", count: DisplayWidth.of(markerText))
        } else if block.listDepth > 0 {
            // A paragraph inside a list item lines up with the item's text.
            first += "  "
            rest += "  "
        }
        let room = max(4, width - DisplayWidth.of(quote) - DisplayWidth.of(first) - DisplayWidth.of(markerText))

        func prefixPieces(_ isFirst: Bool) -> [Wrap.Piece<ArticleStyle>] {
            var pieces: [Wrap.Piece<ArticleStyle>] = []
            if !quote.isEmpty { pieces.append(Wrap.Piece(quote, ArticleStyle(.quote))) }
            let indent = isFirst ? first : rest
            if !indent.isEmpty { pieces.append(Wrap.Piece(indent, ArticleStyle(.text))) }
            if isFirst, !markerText.isEmpty { pieces.append(Wrap.Piece(markerText, ArticleStyle(.marker))) }
            return pieces
        }

        switch block.kind {
        case .rule:
            return [ArticleLine(prefixPieces(true) + [Wrap.Piece(String(repeating: "─", count: room), ArticleStyle(.rule))])]
        case .preformatted:
            let text = block.text
            return text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line -> [ArticleLine] in
                var chunks: [String] = []
                var current = ""
                var used = 0
                for character in line {
                    let w = DisplayWidth.of(character)
                    if used + w > room { chunks.append(current); current = ""; used = 0 }
                    current.append(character)
                    used += w
                }
                chunks.append(current)
                return chunks.map { ArticleLine(prefixPieces(false) + [Wrap.Piece($0, ArticleStyle(.preformatted, .code))]) }
            }
        case .heading, .paragraph, .listItem:
            let role: ArticleStyle.Role = { if case .heading = block.kind { return .heading } else { return .text } }()
            let pieces = block.spans.map { Wrap.Piece($0.text, ArticleStyle(role, $0.style)) }
            let wrapped = Wrap.lines(pieces, width: room)
            return wrapped.enumerated().map { index, line in ArticleLine(prefixPieces(index == 0) + line) }
        }
    }
}

extension String {
    /// Without spaces and line breaks at the end.
    var trimmingTrailingSpaces: Substring {
        var end = endIndex
        while end > startIndex, let last = self[..<end].last, last == " " || last == "\n" || last == "\t" { end = index(before: end) }
        return self[..<end]
    }
}
