import TerminalCore

/// What each piece of the screen is, so that a theme can say how it looks.
public enum Role: String, CaseIterable, Hashable, Sendable {
    case header, tagline
    case border, borderFocused, paneTitle, paneTitleFocused
    case listNormal, listSelected, listUnread, listStarred, listMeta
    case articleTitle, byline, body, heading, quote, link, linkNumber, code, rule
    case commentAuthor, commentMeta, commentUnread
    case rosterName, rosterCountry
    case profileName, profileLabel
    case statusBar, statusMessage, statusHint
    case help, helpKey, dialog, tooSmall
}

/// How each role looks. Attributes alone must carry what matters (selected, unread, links),
/// so that a terminal with no colour, or NO_COLOR, still shows it.
public struct Theme: Sendable {
    public var styles: [Role: Style]

    public init(styles: [Role: Style]) { self.styles = styles }

    public func style(_ role: Role) -> Style { styles[role] ?? .plain }

    /// The default theme: colours on the terminal's own background.
    public static let standard = Theme(styles: [
        .header: Style(foreground: .cyan, attributes: .bold),
        .tagline: Style(foreground: .brightBlack),
        .border: Style(foreground: .brightBlack),
        .borderFocused: Style(foreground: .cyan, attributes: .bold),
        .paneTitle: Style(foreground: .brightBlack),
        .paneTitleFocused: Style(foreground: .cyan, attributes: .bold),
        .listNormal: Style(),
        .listSelected: Style(attributes: .reverse),
        .listUnread: Style(attributes: .bold),
        .listStarred: Style(foreground: .yellow, attributes: .bold),
        .listMeta: Style(foreground: .brightBlack),
        .articleTitle: Style(attributes: .bold),
        .byline: Style(foreground: .brightBlack),
        .body: Style(),
        .heading: Style(foreground: .cyan, attributes: .bold),
        .quote: Style(foreground: .green),
        .link: Style(foreground: .blue, attributes: .underline),
        .linkNumber: Style(foreground: .brightBlack),
        .code: Style(foreground: .magenta),
        .rule: Style(foreground: .brightBlack),
        .commentAuthor: Style(foreground: .cyan, attributes: .bold),
        .commentMeta: Style(foreground: .brightBlack),
        .commentUnread: Style(foreground: .yellow, attributes: .bold),
        .rosterName: Style(),
        .rosterCountry: Style(foreground: .brightBlack),
        .profileName: Style(attributes: .bold),
        .profileLabel: Style(foreground: .brightBlack),
        .statusBar: Style(attributes: .reverse),
        .statusMessage: Style(attributes: [.reverse, .bold]),
        .statusHint: Style(attributes: .reverse),
        .help: Style(),
        .helpKey: Style(foreground: .cyan, attributes: .bold),
        .dialog: Style(attributes: [.reverse, .bold]),
        .tooSmall: Style(attributes: .bold),
    ])

    /// The same theme with every colour taken away (NO_COLOR, or a terminal without colours).
    public var withoutColor: Theme {
        Theme(styles: styles.mapValues { Style(attributes: $0.attributes) })
    }
}
