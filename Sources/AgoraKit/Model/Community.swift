import Foundation

/// The community a cache holds: its name, its motto and the links it points readers to.
public struct Community: Hashable, Sendable, Codable {
    public struct Link: Hashable, Sendable, Codable {
        public var title: String
        public var url: String?
        public var note: String?

        public init(title: String, url: String? = nil, note: String? = nil) {
            self.title = title
            self.url = url
            self.note = note
        }
    }

    public var name: String
    public var tagline: String?
    /// The community's own address, where it has one.
    public var url: String?
    public var links: [Link]
    /// What the community calls its links ("Follow us").
    public var linksHeading: String?
    /// Who may comment, as the community says it ("You need to be a member of ... to add
    /// comments!"), and where to join.
    public var commentPolicy: String?
    public var join: Link?

    public init(name: String, tagline: String? = nil, url: String? = nil, links: [Link] = [], linksHeading: String? = nil,
                commentPolicy: String? = nil, join: Link? = nil) {
        self.name = name
        self.tagline = tagline
        self.url = url
        self.links = links
        self.linksHeading = linksHeading
        self.commentPolicy = commentPolicy
        self.join = join
    }

    /// Every address the community points to, in the order they are shown and numbered: its
    /// own, its links', where to join.
    public var addresses: [String] {
        ([url] + links.map(\.url) + [join?.url]).compactMap { $0 }
    }

    /// What an empty cache calls itself until something is imported.
    public static let unnamed = Community(name: "Agora")
}

// Hand-written JSON may leave out what has an obvious default.
extension Community {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decode(String.self, forKey: .name),
            tagline: try c.decodeIfPresent(String.self, forKey: .tagline),
            url: try c.decodeIfPresent(String.self, forKey: .url),
            links: try c.decodeIfPresent([Link].self, forKey: .links) ?? [],
            linksHeading: try c.decodeIfPresent(String.self, forKey: .linksHeading),
            commentPolicy: try c.decodeIfPresent(String.self, forKey: .commentPolicy),
            join: try c.decodeIfPresent(Link.self, forKey: .join))
    }
}
