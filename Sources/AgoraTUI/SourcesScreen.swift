import AgoraKit
import TerminalCore

/// The sources screen (`F`): every feed, forum and archive in the cache with its unread and
/// total posts and how its last sync went, a forum's categories under it. Enter reads one (or one
/// category) in the post list; mark-all-read marks it read, asking first, and undo takes it back.
public struct SourcesState: Hashable, Sendable {
    /// Nil until the store answers; made once from its counts.
    public var rows: [SourcesRow]?
    /// The chosen row, an index into `rows`.
    public var selected = 0
    /// The first row shown.
    public var scroll = 0
    /// Asking whether to mark the chosen row's posts read.
    public var confirming = false
    /// Where the reader was when it opened (Esc goes back there).
    public var origin: Place { get { from.place } set { from = PlaceBox(newValue) } }
    private var from: PlaceBox

    public init(origin: Place) { from = PlaceBox(origin) }

    public var chosen: SourcesRow? {
        guard let rows, rows.indices.contains(selected), rows[selected].heading == nil else { return nil }
        return rows[selected]
    }

    /// Keeps the choice on a row and in view, `visible` rows high; a folder's heading is not
    /// chosen but passed over, on in the direction of the move (`step`).
    mutating func choose(_ index: Int, visible: Int, step: Int = 1) {
        let rows = self.rows ?? []
        let count = rows.count
        let choosable = rows.indices.filter { rows[$0].heading == nil }
        guard let first = choosable.first, let last = choosable.last else { return }
        let target = max(0, min(count - 1, index))
        selected = step < 0 ? (choosable.last { $0 <= target } ?? first) : (choosable.first { $0 >= target } ?? last)
        if selected < scroll { scroll = selected }
        // A heading just above the choice is kept in view with it.
        if selected > 0, rows[selected - 1].heading != nil, selected - 1 < scroll { scroll = selected - 1 }
        if selected >= scroll + visible { scroll = selected - visible + 1 }
        scroll = max(0, min(scroll, max(0, count - visible)))
    }
}

/// A row of the sources screen: a source, or one of a forum's categories under it.
public struct SourcesRow: Hashable, Sendable {
    /// Nil: posts that came from no source the cache names.
    public var source: Source?
    public var category: String?
    public var posts: Int
    public var unread: Int
    /// Replies that came in on posts already read (a forum's).
    public var newReplies: Int
    /// A folder's heading (an OPML list's folder), above its sources; not chosen.
    public var heading: String? = nil

    /// The posts Enter shows and mark-all-read marks.
    public var filter: PostFilter {
        PostFilter(source: source?.id, category: category)
    }

    /// "The Forum", "The Forum › Policy".
    public var name: String { Self.name(source, category: category) }

    /// What a source (or one category of it) is called on screen: the list's title says it too.
    static func name(_ source: Source?, category: String?) -> String {
        let base = source.map { Sanitizer.line($0.name) } ?? "Posts of no source"
        return category.map { "\(base) › \(Sanitizer.line($0))" } ?? base
    }

    static func rows(_ tally: [SourceTally]) -> [SourcesRow] {
        var out: [SourcesRow] = []
        var folder: String?
        for source in tally {
            if let inFolder = source.source?.folder, inFolder != folder {
                let inside = tally.filter { $0.source?.folder == inFolder }
                out.append(SourcesRow(source: nil, category: nil, posts: inside.reduce(0) { $0 + $1.posts },
                                      unread: inside.reduce(0) { $0 + $1.unread }, newReplies: inside.reduce(0) { $0 + $1.newReplies },
                                      heading: inFolder))
                folder = inFolder
            }
            out.append(SourcesRow(source: source.source, category: nil, posts: source.posts, unread: source.unread, newReplies: source.newReplies))
            out += source.categories.map {
                SourcesRow(source: source.source, category: $0.category, posts: $0.posts, unread: $0.unread, newReplies: $0.newReplies)
            }
        }
        return out
    }

    /// How its last sync went: "ok", "failed: HTTP 404", "waiting until 21:40"; nothing for a
    /// source that is not synced.
    func syncStatus(dateFormat: DateFormat) -> String {
        guard let source, category == nil, source.isSynced else { return "" }
        if let until = source.retryAfter { return "waiting until " + Self.clock.string(until) }
        guard let last = source.lastSync else { return "never synced" }
        // A cache from before results were kept as values shows its words whole.
        let status = Sanitizer.line(source.lastResult?.brief ?? source.lastStatus ?? "")
        return dateFormat.string(last) + " " + Self.clock.string(last) + (status.isEmpty ? "" : " " + status)
    }

    static let clock = DateFormat(pattern: "%H:%M")
}

/// Draws the sources screen in a box over the panes.
public enum SourcesView {
    /// Rows of the list inside the box, at a terminal's height (the box, its column header).
    static func visibleRows(height: Int) -> Int { max(1, height - 5) }

    static func draw(_ state: SourcesState, dateFormat: DateFormat, unicode: Bool, keys: KeyMap, in rect: Rect, theme: Theme,
                     into buffer: inout Buffer) {
        buffer.fill(rect, style: theme.style(.body))
        drawBox(rect, title: "Sources (\(keys.label(.open)) reads one, \(keys.label(.markAllRead)) marks one read, \(keys.label(.back)) closes)",
                focused: true, theme: theme, into: &buffer)
        let area = rect.inset(1)
        guard area.width > 4, area.height > 1 else { return }
        let meta = theme.style(.listMeta)
        guard let rows = state.rows else {
            buffer.put("Counting…", x: area.x + 1, y: area.y, maxWidth: area.width - 2, style: meta)
            return
        }
        if rows.isEmpty {
            buffer.put("No sources yet: agora import FILE or agora sources add URL brings one in.", x: area.x + 1, y: area.y,
                       maxWidth: area.width - 2, style: meta)
            return
        }
        let replies = rows.contains { $0.source?.kind.traits.repliesArrive == true }
        let widths = columnWidths(area.width, counts: rows.map { "\($0.unread)/\($0.posts)" }.map(\.count).max() ?? 3, replies: replies)
        Columns([.init("SOURCE", widths.name, meta), .init("KIND", widths.kind, meta), .init("UNREAD", widths.counts, right: true, meta),
                 .init("NEW REPLIES", widths.replies, right: true, meta), .init("LAST SYNC", widths.status, meta)])
            .draw(x: area.x + 1, y: area.y, into: &buffer)
        let arrow = unicode ? "› " : "> "
        for line in 0..<(area.height - 1) {
            let index = state.scroll + line
            guard index < rows.count else { break }
            let row = rows[index]
            let y = area.y + 1 + line
            let selected = index == state.selected
            var style = theme.style(row.unread > 0 ? .listUnread : .listNormal)
            if selected {
                style = theme.style(.listSelected).adding(row.unread > 0 ? [.bold] : [])
                buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style)
            }
            let metaStyle = selected ? style : meta
            if let heading = row.heading {
                // A folder: its name and what its sources hold together.
                Columns([.init(Sanitizer.line(heading) + "/", widths.name, theme.style(.heading)), .init("folder", widths.kind, meta),
                         .init("\(row.unread)/\(row.posts)", widths.counts, right: true, meta)])
                    .draw(x: area.x + 1, y: y, into: &buffer)
                continue
            }
            let indent = row.source?.folder == nil ? "" : "  "
            let name = indent + (row.category.map { "  " + arrow + Sanitizer.line($0) } ?? (row.source.map { Sanitizer.line($0.name) } ?? "(posts of no source)"))
            Columns([
                .init(name, widths.name, style),
                .init(row.category == nil ? row.source?.kind.label ?? "" : "category", widths.kind, metaStyle),
                .init("\(row.unread)/\(row.posts)", widths.counts, right: true, style),
                .init(row.newReplies > 0 ? String(row.newReplies) : "", widths.replies, right: true, row.newReplies > 0 ? style : metaStyle),
                .init(row.syncStatus(dateFormat: dateFormat), widths.status, metaStyle),
            ]).draw(x: area.x + 1, y: y, into: &buffer)
        }
    }

    /// The name takes what the kind, the counts and the sync's status leave, and those give
    /// way first as the screen narrows.
    static func columnWidths(_ width: Int, counts: Int, replies: Bool = false) -> (name: Int, kind: Int, counts: Int, replies: Int, status: Int) {
        let countsWidth = max(6, counts)
        var kind = 0, status = 0, repliesWidth = 0
        if width >= 56 { kind = 12 }
        if replies, width >= 70 { repliesWidth = 11 }
        if width >= 90 { status = min(40, width - 60 - (repliesWidth > 0 ? 12 : 0)) }
        let used = 2 + countsWidth + 1 + [kind, repliesWidth, status].filter { $0 > 0 }.reduce(0) { $0 + $1 + 1 }
        return (max(4, width - used), kind, countsWidth, repliesWidth, status)
    }
}
