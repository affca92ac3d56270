import Foundation

/// The community at a glance as one SVG picture, for sharing (`agora stats --svg FILE`): the
/// same charts as the screen, posts, comments and unread by month with the years marked, members
/// by country, top posters and commenters, the most viewed and most commented posts. Every name
/// and title is text from the community, escaped; nothing in it is a script or a link.
public enum StatsSVG {
    static let width = 960
    static let margin = 24

    public static func render(community: Community, stats: CommunityStats) -> String {
        var body: [String] = []
        var y = margin
        func text(_ s: String, x: Int = margin, size: Int = 13, weight: String = "normal", fill: String = "#222", anchor: String = "start") {
            body.append("<text x=\"\(x)\" y=\"\(y)\" font-size=\"\(size)\" font-weight=\"\(weight)\" fill=\"\(fill)\" text-anchor=\"\(anchor)\">\(escape(s))</text>")
        }
        func number(_ n: Int) -> String { n.grouped }

        y += 8
        text(community.name, size: 22, weight: "bold")
        if let tagline = community.tagline { y += 22; text(tagline, size: 14, fill: "#555") }
        y += 22
        text("\(number(stats.posts)) posts (\(number(stats.unread)) unread) · \(number(stats.comments)) comments · "
             + "\(number(stats.members)) members from \(number(stats.countries)) countries", fill: "#333")

        // Posts, comments and unread by month: a bar a month, the years under them.
        let months = CommunityStats.filled(stats.months)
        if !months.isEmpty {
            let plot = width - 2 * margin
            let step = Double(plot) / Double(months.count)
            func chart(_ title: String, _ values: [Int], color: String, height: Int) {
                y += 30
                let most = max(1, values.max() ?? 1)
                text("\(title) by month (most: \(number(most)))", size: 14, weight: "bold")
                y += 8
                let base = y + height
                for (i, value) in values.enumerated() where value > 0 {
                    let h = max(1.0, Double(value) / Double(most) * Double(height))
                    let x = Double(margin) + Double(i) * step
                    body.append(String(format: "<rect class=\"month\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%@\"><title>%@</title></rect>",
                                       x, Double(base) - h, max(0.5, step - 0.5), h, color, escape("\(months[i].month): \(number(value))")))
                }
                body.append("<line x1=\"\(margin)\" y1=\"\(base)\" x2=\"\(width - margin)\" y2=\"\(base)\" stroke=\"#999\" stroke-width=\"1\"/>")
                y = base
            }
            chart("Posts", months.map(\.posts), color: "#3465a4", height: 90)
            chart("Comments", months.map(\.comments), color: "#4e9a06", height: 90)
            chart("Unread", months.map(\.unread), color: "#c4a000", height: 45)
            y += 16
            var lastEnd = -1000.0
            for (i, month) in months.enumerated() where i == 0 || month.month.hasSuffix("-01") {
                let x = Double(margin) + Double(i) * step
                guard x - lastEnd > 34 else { continue }
                body.append(String(format: "<text x=\"%.2f\" y=\"%d\" font-size=\"11\" fill=\"#777\">%@</text>", x, y, String(month.month.prefix(4))))
                lastEnd = x
            }
            let busiest = months.sorted { ($1.posts + $1.comments, $0.month) < ($0.posts + $0.comments, $1.month) }
                .prefix(3).filter { $0.posts + $0.comments > 0 }
            if !busiest.isEmpty {
                y += 22
                text("Busiest months: " + busiest.map { "\($0.month) (\(number($0.posts)) posts, \(number($0.comments)) comments)" }
                    .joined(separator: "; "), fill: "#333")
            }
        }

        // Rows with bars, two sections side by side.
        func bars(_ title: String, _ rows: [CommunityStats.Count], others: Int = 0, x: Int, top: Int, color: String) -> Int {
            guard !rows.isEmpty else { return top }
            var y = top + 30
            body.append("<text x=\"\(x)\" y=\"\(y)\" font-size=\"14\" font-weight=\"bold\" fill=\"#222\">\(escape(title))</text>")
            let all = rows.map { ($0.name, $0.count) } + (others > 0 ? [("others", others)] : [])
            let most = max(1, all.map(\.1).max() ?? 1)
            let column = (width - 3 * margin) / 2
            let nameWidth = 200
            let barSpace = column - nameWidth - 50
            for (name, count) in all {
                y += 18
                let shown = name.count > 30 ? String(name.prefix(29)) + "…" : name
                body.append("<text x=\"\(x)\" y=\"\(y)\" font-size=\"12\" fill=\"#222\">\(escape(shown))</text>")
                let w = max(1.0, Double(count) / Double(most) * Double(barSpace))
                body.append(String(format: "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.2f\" height=\"12\" fill=\"%@\"/>", x + nameWidth, y - 10, w, color))
                body.append(String(format: "<text x=\"%.2f\" y=\"%d\" font-size=\"11\" fill=\"#555\">%@</text>", Double(x + nameWidth) + w + 4, y, number(count)))
            }
            return y
        }
        let right = margin * 2 + (width - 3 * margin) / 2
        var left = bars("Members by country", stats.byCountry, others: stats.otherCountries, x: margin, top: y, color: "#75507b")
        left = bars("Members by location (no country given)", stats.byLocation, others: stats.otherLocations, x: margin, top: left, color: "#75507b")
        var other = bars("Top posters", stats.topPosters, x: right, top: y, color: "#3465a4")
        other = bars("Top commenters", stats.topCommenters, x: right, top: other, color: "#4e9a06")
        y = max(left, other)
        left = bars("Most viewed", stats.mostViewed, x: margin, top: y, color: "#ce5c00")
        other = bars("Most commented", stats.mostCommented, x: right, top: y, color: "#ce5c00")
        y = max(left, other) + margin

        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(y)" viewBox="0 0 \(width) \(y)" \
            font-family="DejaVu Sans, Verdana, sans-serif">
            <rect width="100%" height="100%" fill="#ffffff"/>
            \(body.joined(separator: "\n"))
            </svg>

            """
    }

    /// Text as XML character data: markup characters escaped, control characters (which XML
    /// does not allow) left out.
    static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = scalar.value
                if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
