import AgoraKit
import Foundation

/// Turns archive records into members, posts and comments.
struct RecordReader {
    let archive: NingArchive
    let source: Source.ID
    var members: [Member] = []
    var posts: [Post] = []
    var comments: [Comment] = []
    var names: [String: String] = [:]
    var memberIndex: [String: Int] = [:]
    var postIDs = Set<String>()
    var drafts = 0
    var refusedPaths = 0

    init(archive: NingArchive, source: Source.ID) {
        self.archive = archive
        self.source = source
    }

    // MARK: Members

    mutating func learnName(_ r: [String: Any]) {
        if let screenName = string(r["contributorName"]), let fullName = string(r["fullName"]) { names[screenName] = fullName }
    }

    mutating func member(_ r: [String: Any], at location: NingArchive.Location) throws {
        guard let screenName = string(r["contributorName"]) else { throw location.error("a member with no contributorName") }
        let fullName = string(r["fullName"]) ?? screenName
        var answers: [Member.ProfileAnswer] = []
        var bio: String?
        if let questions = r["profileQuestions"] as? [String: Any] {
            for (question, value) in questions.sorted(by: { $0.key < $1.key }) {
                let label = PlainText.fromHTML(question)
                guard let answer = string(value) ?? (value as? [Any]).map({ $0.compactMap(string).joined(separator: ", ") }),
                      !answer.isEmpty else { continue }
                if Folding.key(label) == "about me" { bio = answer } else { answers.append(.init(question: label, answer: answer)) }
            }
        }
        let code = string(r["country"]).map { $0.uppercased() }
        let avatar = string(r["profilePhoto"]).flatMap { raw -> String? in
            if NingArchive.hasScheme(raw) { return nil }
            guard let safe = archive.safeRelativePath(raw) else { refusedPaths += 1; return nil }
            return safe
        }
        var member = Member(
            id: Member.ID(screenName), name: fullName, country: code.flatMap(Countries.name), countryCode: code.flatMap { Countries.name($0) != nil ? $0 : nil },
            location: string(r["location"]), joined: date(r["createdDate"]), role: role(string(r["level"])),
            state: string(r["state"]).flatMap { Member.State(rawValue: $0.lowercased()) } ?? .active,
            bio: bio, profile: answers, avatarPath: avatar)
        if member.country == nil, let raw = string(r["country"]), raw.count > 2 { member.country = raw }
        member.wall = wall(r["comments"], owner: screenName)
        names[screenName] = fullName
        if let existing = memberIndex[screenName] {
            members[existing] = member  // a member listed twice: the later record wins
        } else {
            memberIndex[screenName] = members.count
            members.append(member)
        }
    }

    /// "owner admin" -> owner: the highest of the words.
    func role(_ level: String?) -> Member.Role {
        let words = Set((level ?? "").lowercased().split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init))
        for role in [Member.Role.owner, .admin, .moderator] where words.contains(role.rawValue) { return role }
        return .member
    }

    func wall(_ value: Any?, owner: String) -> [Member.WallComment] {
        let items = (value as? [Any])?.compactMap { $0 as? [String: Any] } ?? []
        // Newest first in the file; oldest first on the wall.
        return items.reversed().enumerated().compactMap { index, c in
            let body = string(c["description"]) ?? ""
            guard !body.isEmpty else { return nil }
            let author = string(c["contributorName"])
            return Member.WallComment(
                id: Comment.ID(string(c["id"]) ?? "\(owner):wall:\(index + 1)"), author: author.map { Member.ID($0) },
                authorName: author.map { names[$0] ?? $0 }, published: date(c["createdDate"]), body: body)
        }
    }

    // MARK: Posts

    mutating func post(_ r: [String: Any], kind: Post.Kind, at location: NingArchive.Location) throws {
        if let status = string(r["publishStatus"]), status.lowercased() != "publish" {
            drafts += 1
            return
        }
        let id = string(r["id"]) ?? string(r["url"]).map { "\(kind.rawValue):\($0)" }
        guard let id else { throw location.error("a \(kind.label) with no id") }
        guard postIDs.insert(id).inserted else { return }  // listed twice: the first (newest) stays
        let author = string(r["contributorName"])
        var body = rewriteLinks(string(r["description"]) ?? "")
        var link: String?
        switch kind {
        case .event: body = eventDetails(r) + body
        case .photo:
            if let photo = string(r["photoUrl"]) { body = media(photo, label: "Photo") + body }
        case .video:
            if let embed = string(r["embedCode"]), let url = Self.videoURL(embed) {
                link = url
                body = "<p>Video: <a href=\"\(FeedParser.escape(url))\">\(FeedParser.escape(url))</a></p>" + body
            } else if let file = string(r["videoAttachmentUrl"]) {
                body = media(file, label: "Video") + body
            }
        case .group:
            let count = (r["members"] as? [Any])?.count ?? 0
            if count > 0 { body += "<p>\(NingArchive.plural(count, "member"))</p>" }
        default: break
        }
        body += attachments(r["fileAttachments"])
        let title = string(r["title"]).map(PlainText.fromHTML) ?? ""
        let category = string(r["category"]).flatMap { Folding.key($0) == "uncategorized" ? nil : $0 }
        posts.append(Post(
            id: Post.ID(id), source: source, kind: kind, title: title.isEmpty ? "(untitled \(kind.label))" : title,
            author: author.map { Member.ID($0) }, authorName: author.map { names[$0] ?? $0 },
            published: date(r["publishTime"]) ?? date(r["createdDate"]) ?? date(r["startDate"]),
            updated: date(r["updatedDate"]), category: category, tags: (r["tags"] as? [Any])?.compactMap(string) ?? [],
            body: body, link: link))
        let items = (r["comments"] as? [Any])?.compactMap { $0 as? [String: Any] } ?? []
        for (index, c) in items.reversed().enumerated() {
            let commentBody = rewriteLinks(string(c["description"]) ?? "") + attachments(c["fileAttachments"])
            guard !commentBody.isEmpty else { continue }
            let commentAuthor = string(c["contributorName"])
            comments.append(Comment(
                id: Comment.ID(string(c["id"]) ?? "\(id):comment:\(index + 1)"), post: Post.ID(id),
                author: commentAuthor.map { Member.ID($0) }, authorName: commentAuthor.map { names[$0] ?? $0 },
                published: date(c["createdDate"]), body: commentBody))
        }
    }

    func eventDetails(_ r: [String: Any]) -> String {
        var rows: [String] = []
        if let start = string(r["startDate"]) {
            rows.append("When: " + start + (string(r["endDate"]).map { " to " + $0 } ?? ""))
        }
        let place = ["location", "street", "city"].compactMap { string(r[$0]) }.joined(separator: ", ")
        if !place.isEmpty { rows.append("Where: " + place) }
        if let by = string(r["organizedBy"]) { rows.append("Organised by: " + by) }
        if let site = string(r["website"]) { rows.append("Website: " + site) }
        if let contact = string(r["contactInfo"]) { rows.append("Contact: " + contact) }
        return rows.isEmpty ? "" : "<ul>" + rows.map { "<li>\(FeedParser.escape($0))</li>" }.joined() + "</ul>"
    }

    mutating func media(_ raw: String, label: String) -> String {
        if NingArchive.hasScheme(raw) {
            return "<p>\(label): <a href=\"\(FeedParser.escape(raw))\">\(FeedParser.escape(raw))</a></p>"
        }
        guard let safe = archive.safeRelativePath(raw) else { refusedPaths += 1; return "" }
        if let url = archive.fileURL(safe) {
            return "<p>\(label): <a href=\"\(FeedParser.escape(url))\">\(FeedParser.escape(safe))</a></p>"
        }
        return "<p>\(label): \(FeedParser.escape(safe)) (in the archive)</p>"
    }

    mutating func attachments(_ value: Any?) -> String {
        let paths = (value as? [Any])?.compactMap { string($0) ?? string(($0 as? [String: Any])?["url"]) } ?? []
        let items = paths.compactMap { raw -> String? in
            let html = media(raw, label: "Attachment")
            return html.isEmpty ? nil : html
        }
        return items.joined()
    }

    /// Relative `href` and `src` values in a body point into the archive: made into file URLs
    /// when they stay inside it, dropped when they would leave it.
    mutating func rewriteLinks(_ html: String) -> String {
        guard html.contains("href=") || html.contains("src=") else { return html }
        var out = ""
        var rest = Substring(html)
        while let range = rest.range(of: #"(href|src)\s*=\s*["']"#, options: [.regularExpression, .caseInsensitive]) {
            let quote = rest[rest.index(before: range.upperBound)]
            out += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            guard let close = rest.firstIndex(of: quote) else { break }
            let value = String(rest[..<close])
            rest = rest[close...]
            if value.isEmpty || value.hasPrefix("#") || value.hasPrefix("//") || NingArchive.hasScheme(value) {
                out += value
            } else if let safe = archive.safeRelativePath(value) {
                out += archive.fileURL(safe) ?? value
            } else {
                refusedPaths += 1
                out += "#"
            }
        }
        return out + rest
    }

    /// The address of an embedded video: an iframe's or object's source, or a YouTube "v/ID".
    static func videoURL(_ embed: String) -> String? {
        for pattern in [#"src\s*=\s*["']([^"']+)["']"#, #"value\s*=\s*["'](https?://[^"']+)["']"#] {
            if let range = embed.range(of: pattern, options: .regularExpression) {
                let match = String(embed[range])
                guard let open = match.firstIndex(where: { $0 == "\"" || $0 == "'" }) else { continue }
                var url = String(match[match.index(after: open)...].dropLast())
                if url.hasPrefix("//") { url = "https:" + url }
                if url.hasPrefix("http") { return url }
            }
        }
        return nil
    }

    // MARK: Values

    func string(_ value: Any?) -> String? {
        switch value {
        case let s as String:
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        case let n as NSNumber:
            return n.stringValue
        default:
            return nil
        }
    }

    func date(_ value: Any?) -> Date? { string(value).flatMap(FeedDate.parse) }
}

/// ISO 3166-1 alpha-2 codes to the English names people use.
enum Countries {
    /// Where the platform's names differ from the usual ones.
    private static let preferred = ["CN": "China", "HK": "Hong Kong", "MO": "Macao", "PS": "Palestine"]
    private static let known = Set(Locale.Region.isoRegions.map(\.identifier))

    static func name(_ code: String) -> String? {
        let code = code.uppercased()
        guard code.count == 2, known.contains(code) else { return nil }
        if let name = preferred[code] { return name }
        return Locale(identifier: "en_US").localizedString(forRegionCode: code)
    }
}
