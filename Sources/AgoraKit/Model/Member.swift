import Foundation

/// A person in the community's roster.
public struct Member: Identifiable, Hashable, Sendable, Codable {
    public typealias ID = Identifier<Member>

    public enum Role: String, Hashable, Sendable, Codable, CaseIterable {
        case owner, admin, moderator, member
    }

    public enum State: String, Hashable, Sendable, Codable, CaseIterable {
        case active, suspended, left, pending
    }

    /// One answer to a profile question ("About me", "Occupation" ...).
    public struct ProfileAnswer: Hashable, Sendable, Codable {
        public var question: String
        public var answer: String
        /// The answer is a list with its items apart by this ("a@x, b@y"): a later write adds
        /// its items to the ones kept (a mailing list's member, synced a month at a time, keeps
        /// every address they wrote from). Nil: a later answer replaces this one.
        public var separator: String?

        public init(question: String, answer: String, separator: String? = nil) {
            self.question = question
            self.answer = answer
            self.separator = separator
        }

        /// The items of a list answer, in order, none empty.
        public var items: [String] { separator.map { Self.items(answer, separatedBy: $0) } ?? [answer] }

        /// The items of `text` apart by `separator`, in order, none empty.
        public static func items(_ text: String, separatedBy separator: String) -> [String] {
            text.components(separatedBy: separator).filter { !$0.isEmpty }
        }
    }

    /// A comment left on a member's profile (a Ning "comment wall"): it is on no post.
    public struct WallComment: Hashable, Sendable, Codable {
        public var id: Comment.ID
        public var author: Member.ID?
        public var authorName: String?
        public var published: Date?
        /// The body as HTML.
        public var body: String

        public init(id: Comment.ID, author: Member.ID? = nil, authorName: String? = nil, published: Date? = nil, body: String) {
            self.id = id
            self.author = author
            self.authorName = authorName
            self.published = published
            self.body = body
        }
    }

    public var id: ID
    /// The name as the community shows it, accents and all.
    public var name: String
    /// The country's name as the source gives it ("Côte d'Ivoire", "UK").
    public var country: String?
    /// ISO 3166-1 alpha-2 code, where known.
    public var countryCode: String?
    public var location: String?
    public var joined: Date?
    public var role: Role
    public var state: State
    /// About the member, as HTML.
    public var bio: String?
    public var profile: [ProfileAnswer]
    /// A path relative to the source it came from; never resolved outside it.
    public var avatarPath: String?
    /// Comments on the member's profile, oldest first.
    public var wall: [WallComment]

    public init(
        id: ID, name: String, country: String? = nil, countryCode: String? = nil,
        location: String? = nil, joined: Date? = nil, role: Role = .member,
        state: State = .active, bio: String? = nil, profile: [ProfileAnswer] = [],
        avatarPath: String? = nil, wall: [WallComment] = []
    ) {
        self.id = id
        self.name = name
        self.country = country
        self.countryCode = countryCode
        self.location = location
        self.joined = joined
        self.role = role
        self.state = state
        self.bio = bio
        self.profile = profile
        self.avatarPath = avatarPath
        self.wall = wall
    }
}

// Hand-written JSON may leave out what has an obvious default.
extension Member {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(ID.self, forKey: .id),
            name: try c.decode(String.self, forKey: .name),
            country: try c.decodeIfPresent(String.self, forKey: .country),
            countryCode: try c.decodeIfPresent(String.self, forKey: .countryCode),
            location: try c.decodeIfPresent(String.self, forKey: .location),
            joined: try c.decodeIfPresent(Date.self, forKey: .joined),
            role: try c.decodeIfPresent(Role.self, forKey: .role) ?? .member,
            state: try c.decodeIfPresent(State.self, forKey: .state) ?? .active,
            bio: try c.decodeIfPresent(String.self, forKey: .bio),
            profile: try c.decodeIfPresent([ProfileAnswer].self, forKey: .profile) ?? [],
            avatarPath: try c.decodeIfPresent(String.self, forKey: .avatarPath),
            wall: try c.decodeIfPresent([WallComment].self, forKey: .wall) ?? [])
    }
}
