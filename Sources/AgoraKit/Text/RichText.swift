/// A post or comment body as blocks of styled text, ready to be laid out at any width.
///
/// Made from HTML by `HTMLRenderer`; every string in it has passed the sanitiser.
public struct RichText: Hashable, Sendable {
    public struct Style: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let bold = Style(rawValue: 1 << 0)
        public static let italic = Style(rawValue: 1 << 1)
        public static let code = Style(rawValue: 1 << 2)
        /// The text of a link.
        public static let link = Style(rawValue: 1 << 3)
        /// A link's number, "[1]".
        public static let linkNumber = Style(rawValue: 1 << 4)
        public static let underline = Style(rawValue: 1 << 5)
    }

    public struct Span: Hashable, Sendable {
        /// May hold "\n" for a hard line break (`<br>`).
        public var text: String
        public var style: Style

        public init(_ text: String, style: Style = []) {
            self.text = text
            self.style = style
        }
    }

    public enum Kind: Hashable, Sendable {
        case paragraph
        case heading(level: Int)
        /// A list item; `marker` is "•" or "3." and so on.
        case listItem(marker: String)
        /// Text whose line breaks and spaces are kept.
        case preformatted
        case rule
    }

    public struct Block: Hashable, Sendable {
        public var kind: Kind
        public var spans: [Span]
        /// How many block quotes it sits in.
        public var quoteDepth: Int
        /// How many lists it sits in (1 for a top-level list item).
        public var listDepth: Int

        public init(kind: Kind, spans: [Span], quoteDepth: Int = 0, listDepth: Int = 0) {
            self.kind = kind
            self.spans = spans
            self.quoteDepth = quoteDepth
            self.listDepth = listDepth
        }

        public var text: String { spans.map(\.text).joined() }
    }

    public var blocks: [Block]
    /// The links, numbered from 1 in the order they first appear: `links[0]` is "[1]".
    public var links: [String]

    public init(blocks: [Block] = [], links: [String] = []) {
        self.blocks = blocks
        self.links = links
    }

    /// The text of every block, one block per paragraph, for search indexes and plain output.
    public var plainText: String {
        blocks.map(\.text).joined(separator: "\n\n")
    }
}
