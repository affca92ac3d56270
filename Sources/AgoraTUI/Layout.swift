import TerminalCore

/// Where each pane goes for a terminal size. Wide (120 columns or more): posts | article |
/// roster. Medium (80-119): posts (or the roster) | article. Narrow (under 80 columns or 20
/// rows): one pane at a time. Under 30x8: a note until the terminal grows. The config file's
/// [layout] moves the 120 and the 80, sets the wide panes' widths, and can leave the roster out
/// of the wide layout (it then shows as in the medium one).
public struct Layout: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case wide, medium, narrow, tooSmall }

    public static let minimumWidth = 30
    public static let minimumHeight = 8
    /// The column heads above the rows of the post list and the roster.
    public static let listHeaderRows = 1

    public let kind: Kind
    public let header: Rect
    public let status: Rect
    public let rects: [Pane: Rect]
    /// The panes on screen, left to right.
    public let panes: [Pane]
    /// Where the detail pane goes once something is opened, when it is not on screen yet (a
    /// medium terminal shows the list alone until then): an article is laid out for it.
    private var detailWhenOpened: Rect?

    /// The panes for a size and the config's [layout]; which pane is on the left (medium) or
    /// on screen (narrow) follows the focus, the roster standing in for the posts, and whether
    /// there is anything in the detail pane.
    /// `rosterUseful`: whether the roster has anything a pane of its own is for (any member); a
    /// cache of feeds that name no authors leaves its room to the posts.
    public init(width: Int, height: Int, settings: LayoutSettings = LayoutSettings(), focus: Pane = .posts,
                rosterInPlaceOfPosts: Bool = false, hasDetail: Bool = false, rosterUseful: Bool = true) {
        if width < Self.minimumWidth || height < Self.minimumHeight {
            kind = .tooSmall
            header = Rect(x: 0, y: 0, width: 0, height: 0)
            status = header
            rects = [:]
            panes = []
            return
        }
        header = Rect(x: 0, y: 0, width: width, height: 1)
        status = Rect(x: 0, y: height - 1, width: width, height: 1)
        let body = Rect(x: 0, y: 1, width: width, height: height - 2)
        if width >= settings.wideFrom && height >= 20 && settings.showRoster && rosterUseful {
            kind = .wide
            let postsWidth = width * settings.postsWidth / 100
            let rosterWidth = max(26, width * settings.rosterWidth / 100)
            rects = [
                .posts: Rect(x: 0, y: body.y, width: postsWidth, height: body.height),
                .detail: Rect(x: postsWidth, y: body.y, width: width - postsWidth - rosterWidth, height: body.height),
                .roster: Rect(x: width - rosterWidth, y: body.y, width: rosterWidth, height: body.height),
            ]
            panes = [.posts, .detail, .roster]
        } else if width >= settings.stackBelow && width < settings.wideFrom && height >= 20 && !hasDetail {
            // Nothing open yet: the list (or the roster) has the whole width, so that titles
            // have room; opening a post or a profile splits it.
            kind = .medium
            let left: Pane = rosterInPlaceOfPosts ? .roster : .posts
            rects = [left: body]
            panes = [left]
            let split = Layout(width: width, height: height, settings: settings, focus: focus, rosterInPlaceOfPosts: rosterInPlaceOfPosts,
                               hasDetail: true, rosterUseful: rosterUseful)
            detailWhenOpened = split.rects[.detail]
        } else if width >= settings.stackBelow && height >= 20 {
            kind = .medium
            // Wide but with no roster: the posts' share, and the roster's too when it was left out
            // for having nothing to show.
            let share = settings.postsWidth + (settings.showRoster ? settings.rosterWidth : 0)
            let leftWidth = width >= settings.wideFrom ? width * share / 100 : width * 40 / 100
            let left: Pane = rosterInPlaceOfPosts ? .roster : .posts
            rects = [
                left: Rect(x: 0, y: body.y, width: leftWidth, height: body.height),
                .detail: Rect(x: leftWidth, y: body.y, width: width - leftWidth, height: body.height),
            ]
            panes = [left, .detail]
        } else {
            kind = .narrow
            let pane = focus == .detail && !hasDetail ? .posts : focus
            rects = [pane: body]
            // Tab still walks through every pane, one at a time.
            panes = hasDetail ? [.posts, .detail, .roster] : [.posts, .roster]
        }
    }

    /// Inside the pane's border.
    public func content(of pane: Pane) -> Rect {
        guard let rect = rects[pane] else { return Rect(x: 0, y: 0, width: 0, height: 0) }
        return rect.inset(1)
    }

    /// The size a pane has when it is on screen (narrow terminals show one at a time).
    private func contentWhenShown(_ pane: Pane) -> Rect {
        if let rect = rects[pane] { return rect.inset(1) }
        if pane == .detail, let rect = detailWhenOpened { return rect.inset(1) }
        if let any = rects.values.first { return any.inset(1) }
        return Rect(x: 0, y: 0, width: 0, height: 0)
    }

    public var postsRows: Int { max(1, contentWhenShown(.posts).height - Self.listHeaderRows) }
    public var rosterRows: Int { max(1, contentWhenShown(.roster).height - Self.listHeaderRows) }
    public var detailRows: Int { max(1, contentWhenShown(.detail).height) }
    public var detailTextWidth: Int { max(8, contentWhenShown(.detail).width - 1) }

    public func rows(for pane: Pane) -> Int {
        switch pane {
        case .posts: postsRows
        case .roster: rosterRows
        case .detail: detailRows
        }
    }

    public func pane(at x: Int, y: Int) -> Pane? {
        rects.first { $0.value.contains(x: x, y: y) }?.key
    }
}
