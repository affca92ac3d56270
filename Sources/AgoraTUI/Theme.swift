import TerminalCore

/// What each piece of the screen is, so that a theme can say how it looks. Theme files name
/// roles in kebab case (`list-selected`); a role a theme leaves out looks like its fallback.
public enum Role: String, CaseIterable, Hashable, Sendable {
    case body
    case header, tagline
    case border, borderFocused, paneTitle, paneTitleFocused
    case listNormal, listSelected, listUnread, listStarred, listMeta
    case articleTitle, byline, heading, quote, link, linkNumber, code, rule
    case commentAuthor, commentMeta, commentUnread, commentBody
    case rosterName, rosterCountry
    case profileName, profileLabel
    case statusBar, statusMessage, statusHint
    case help, helpKey, dialog, tooSmall
    case searchMatch
    case chartPosts, chartComments, chartUnread, chartBar, chartAxis

    /// The name in theme files: `listSelected` is `list-selected`.
    public var name: String { Self.names[self] ?? rawValue }

    public static func named(_ name: String) -> Role? { byName[name] }

    // Made once: every theme file read at start-up looks up its roles by name.
    private static let names: [Role: String] = Dictionary(uniqueKeysWithValues: allCases.map { role in
        var out = ""
        for c in role.rawValue.unicodeScalars {
            if ("A"..."Z").contains(c) { out += "-" + String(c).lowercased() } else { out.unicodeScalars.append(c) }
        }
        return (role, out)
    })
    private static let byName: [String: Role] = Dictionary(uniqueKeysWithValues: names.map { ($0.value, $0.key) })

    /// Where a role takes what its theme does not say. `body` is the root: what it leaves out
    /// is the terminal's own.
    public var fallback: Role? {
        switch self {
        case .body: nil
        case .header, .border, .articleTitle, .byline, .heading, .quote, .link, .code, .listNormal, .commentBody,
             .statusBar, .help, .tooSmall, .searchMatch: .body
        case .tagline: .header
        case .borderFocused, .paneTitle: .border
        case .paneTitleFocused: .borderFocused
        case .listSelected, .listUnread, .listMeta, .rosterName: .listNormal
        case .listStarred: .listUnread
        case .linkNumber: .link
        case .rule: .border
        case .commentAuthor: .byline
        case .commentMeta: .byline
        case .commentUnread: .commentAuthor
        case .rosterCountry: .listMeta
        case .profileName: .articleTitle
        case .profileLabel: .byline
        case .statusMessage, .statusHint: .statusBar
        case .helpKey: .help
        case .dialog: .statusMessage
        case .chartPosts, .chartBar: .heading
        case .chartComments: .quote
        case .chartUnread: .listUnread
        case .chartAxis: .listMeta
        }
    }

    /// What the role is, for docs/themes.md and `agora themes`.
    public var summary: String {
        switch self {
        case .body: "article text, and everything a theme leaves out (its background fills the screen)"
        case .header: "the community's name on the top line"
        case .tagline: "the tagline after the name"
        case .border: "pane borders"
        case .borderFocused: "the border of the pane with the focus"
        case .paneTitle: "pane titles"
        case .paneTitleFocused: "the title of the pane with the focus"
        case .listNormal: "a read post in the list"
        case .listSelected: "the selected row of any list"
        case .listUnread: "an unread post in the list, and the N mark"
        case .listStarred: "the star mark of a starred post"
        case .listMeta: "dates, counts and column heads in lists"
        case .articleTitle: "the article's title"
        case .byline: "the article's byline: author, date, views"
        case .heading: "headings inside an article, and section titles (Comments)"
        case .quote: "quoted text and its bar"
        case .link: "links in an article"
        case .linkNumber: "the [N] numbers of links, and the link list"
        case .code: "code and preformatted text"
        case .rule: "horizontal rules"
        case .commentAuthor: "a comment's author"
        case .commentMeta: "a comment's date"
        case .commentUnread: "the N mark of a comment new since last time"
        case .commentBody: "a comment's text"
        case .rosterName: "a member's name in the roster"
        case .rosterCountry: "a member's country in the roster"
        case .profileName: "the member's name on a profile"
        case .profileLabel: "labels on a profile (Country, Joined ...)"
        case .statusBar: "the status line"
        case .statusMessage: "a message or question in the status line"
        case .statusHint: "key hints at the right of the status line"
        case .help: "the help screen"
        case .helpKey: "keys on the help screen"
        case .dialog: "questions that need an answer"
        case .tooSmall: "the note shown when the terminal is too small"
        case .searchMatch: "matching words in search results"
        case .chartPosts: "the posts-by-month chart on the at-a-glance screen"
        case .chartComments: "the comments-by-month chart"
        case .chartUnread: "the unread-by-month chart"
        case .chartBar: "bars of countries, posters, commenters and posts"
        case .chartAxis: "the years under the charts"
        }
    }

    /// What a role must still show when colours are gone or too few: selection, unread and
    /// links never depend on colour alone.
    public var essentialAttributes: Attributes {
        switch self {
        case .listSelected, .statusBar, .statusMessage, .statusHint, .dialog, .searchMatch: .reverse
        case .listUnread, .borderFocused, .paneTitleFocused, .helpKey, .commentUnread, .header: .bold
        case .link: .underline
        default: []
        }
    }
}

/// A role as a theme file writes it: anything left out comes from the role's fallback.
public struct StyleSpec: Hashable, Sendable {
    public var foreground: Color?
    public var background: Color?
    public var attributes: Attributes?

    public init(foreground: Color? = nil, background: Color? = nil, attributes: Attributes? = nil) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// How each role looks, every role resolved.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var styles: [Role: Style]
    /// The fewest colours the theme needs to look as written.
    public var depth: ColorDepth

    /// Resolves every role through its fallbacks: a spec's missing colours and attributes come
    /// from the fallback role, and so on up to `body`.
    public init(name: String, specs: [Role: StyleSpec]) {
        self.name = name
        var resolved: [Role: Style] = [:]
        func resolve(_ role: Role) -> Style {
            if let done = resolved[role] { return done }
            let base = role.fallback.map(resolve) ?? Style()
            let spec = specs[role] ?? StyleSpec()
            let style = Style(foreground: spec.foreground ?? base.foreground, background: spec.background ?? base.background,
                              attributes: spec.attributes ?? base.attributes)
            resolved[role] = style
            return style
        }
        for role in Role.allCases { _ = resolve(role) }
        styles = resolved
        depth = resolved.values.map { max($0.foreground.depth, $0.background.depth) }.max() ?? .none
    }

    public func style(_ role: Role) -> Style { styles[role] ?? Style() }

    /// The theme on a terminal with `depth` colours: each colour becomes the nearest it has.
    /// Brought down to 16 colours or fewer from more, the roles that carry meaning gain their attributes (reverse
    /// for the selection, bold for unread, underline for links), so nothing depends on a colour
    /// that is gone or merged with another.
    public func reduced(to depth: ColorDepth) -> Theme {
        var copy = self
        // #RRGGBB on 256 colours stays near enough; 16 or 8 merge colours.
        let short = depth < self.depth && depth < .indexed256
        for (role, style) in styles {
            var s = Style(foreground: style.foreground.reduced(to: depth), background: style.background.reduced(to: depth),
                          attributes: style.attributes)
            if short { s.attributes.formUnion(role.essentialAttributes) }
            copy.styles[role] = s
        }
        copy.depth = min(self.depth, depth)
        return copy
    }

    /// The theme with every colour taken away (NO_COLOR, or a terminal without colours).
    public var withoutColor: Theme { reduced(to: .none) }

    /// The built-in theme: the same as Themes/default.toml (a test holds them equal), used when
    /// no theme files are found next to the program.
    public static let standard = Theme(name: "default", specs: [
        .header: StyleSpec(foreground: .cyan, attributes: .bold),
        .tagline: StyleSpec(foreground: .brightBlack, attributes: []),
        .border: StyleSpec(foreground: .brightBlack),
        .borderFocused: StyleSpec(foreground: .cyan, attributes: .bold),
        .paneTitle: StyleSpec(foreground: .brightBlack),
        .paneTitleFocused: StyleSpec(foreground: .cyan, attributes: .bold),
        .listSelected: StyleSpec(attributes: .reverse),
        .listUnread: StyleSpec(attributes: .bold),
        .listStarred: StyleSpec(foreground: .yellow, attributes: .bold),
        .listMeta: StyleSpec(foreground: .brightBlack),
        .articleTitle: StyleSpec(attributes: .bold),
        .byline: StyleSpec(foreground: .brightBlack),
        .heading: StyleSpec(foreground: .cyan, attributes: .bold),
        .quote: StyleSpec(foreground: .green),
        .link: StyleSpec(foreground: .blue, attributes: .underline),
        .linkNumber: StyleSpec(foreground: .brightBlack, attributes: []),
        .code: StyleSpec(foreground: .magenta),
        .commentAuthor: StyleSpec(foreground: .cyan, attributes: .bold),
        .commentMeta: StyleSpec(foreground: .brightBlack, attributes: []),
        .commentUnread: StyleSpec(foreground: .yellow, attributes: .bold),
        .rosterName: StyleSpec(),
        .profileName: StyleSpec(attributes: .bold),
        .profileLabel: StyleSpec(foreground: .brightBlack),
        .statusBar: StyleSpec(attributes: .reverse),
        .statusMessage: StyleSpec(attributes: [.reverse, .bold]),
        .helpKey: StyleSpec(foreground: .cyan, attributes: .bold),
        .dialog: StyleSpec(attributes: [.reverse, .bold]),
        .tooSmall: StyleSpec(attributes: .bold),
        .searchMatch: StyleSpec(foreground: .yellow, attributes: [.bold, .reverse]),
    ])
}
