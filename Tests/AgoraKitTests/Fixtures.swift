import AgoraTestSupport
import AgoraKit
import Foundation
import Testing

/// The two caches, for tests that every store must pass.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, json

    var testDescription: String { rawValue }

    var fileName: String { self == .json ? "cache.json" : "cache.sqlite" }
}

/// A folder that goes away with the test.
/// A store of the given kind in a fresh folder, holding `content`.
func makeStore(_ kind: StoreKind, _ content: CacheContent = Fixture.content) throws -> (any CommunityStore, TemporaryDirectory) {
    let directory = TemporaryDirectory()
    let path = directory.file(kind.fileName)
    let store: any CommunityStore = kind == .json ? try JSONStore(path: path) : try SQLiteStore(path: path)
    try store.importContent(content)
    return (store, directory)
}

func reopen(_ kind: StoreKind, _ directory: TemporaryDirectory) throws -> any CommunityStore {
    let path = directory.file(kind.fileName)
    return kind == .json ? try JSONStore(path: path, create: false) : try SQLiteStore(path: path, create: false)
}

func day(_ n: Int) -> Date { Date(timeIntervalSince1970: 1_600_000_000 + Double(n) * 86_400) }

/// A small community with what makes real ones hard: accents, CJK, a near-duplicate name,
/// threads, tags in different cases, posts without dates.
enum Fixture {
    static let members: [Member] = [
        Member(id: "marilia", name: "Marília Maciel", country: "Brazil", countryCode: "BR", role: .admin),
        Member(id: "marilia-2", name: "Marilia Maciel", country: "Brazil", countryCode: "BR"),
        Member(id: "xu-jing", name: "Xu Jing", country: "China", countryCode: "CN", location: "Beijing"),
        Member(id: "nnenna", name: "Nnenna Nwakanma", country: "Côte d'Ivoire", countryCode: "CI"),
        Member(id: "li-ming", name: "李明", country: "China", countryCode: "CN"),
        Member(id: "andres", name: "Andrés Piazza", country: "Argentina", countryCode: "AR",
               bio: "<p>Works on <b>IPv6</b>.</p>", profile: [.init(question: "Occupation", answer: "Engineer")]),
        Member(id: "ivar", name: "Ivar Hartmann"),
    ]

    static let posts: [Post] = [
        Post(id: "p1", kind: .blogPost, title: "WCIT is not about taking control", author: "xu-jing",
             published: day(1), category: "Policy", tags: ["ITU", "wcit"], views: 146,
             body: "<p>The Secretary General met <b>civil society</b>.</p><p>See <a href=\"https://itu.int\">ITU</a>.</p>"),
        Post(id: "p2", kind: .discussion, title: "Net neutrality in Latin America", author: "marilia",
             published: day(5), tags: ["Neutralité"], views: 20, body: "<p>Marília asks about zero rating.</p>"),
        Post(id: "p3", kind: .blogPost, title: "IPv6 adoption", author: "andres", published: day(3),
             category: "Infrastructure", views: 300, body: "<p>Addresses are running out.</p>"),
        Post(id: "p4", kind: .page, title: "Terms of use", published: nil, body: "<p>Be kind.</p>"),
        Post(id: "p5", kind: .event, title: "中文 讨论 session", author: "li-ming", published: day(2), views: 5,
             body: "<p>互联网 治理</p>"),
        Post(id: "p6", kind: .blogPost, title: "Capacity building", author: "nnenna", published: day(4), views: 20,
             body: "<p>Training in Abidjan.</p>"),
    ]

    static let comments: [AgoraKit.Comment] = [
        AgoraKit.Comment(id: "c1", post: "p1", author: "marilia", authorName: "Marília Maciel", published: day(1).addingTimeInterval(60),
                body: "<p>Thanks for the report.</p>"),
        AgoraKit.Comment(id: "c2", post: "p1", author: "xu-jing", authorName: "Xu Jing", published: day(1).addingTimeInterval(120),
                body: "<p>A second thought on Abidjan.</p>"),
        AgoraKit.Comment(id: "c3", post: "p1", parent: "c1", author: "andres", authorName: "Andrés Piazza",
                published: day(1).addingTimeInterval(180), body: "<p>Agreed with Marília.</p>"),
        AgoraKit.Comment(id: "c4", post: "p1", parent: "c3", author: "marilia", authorName: "Marília Maciel",
                published: day(1).addingTimeInterval(240), body: "<p>Glad to hear.</p>"),
        AgoraKit.Comment(id: "c5", post: "p2", author: "xu-jing", authorName: "Xu Jing", published: day(6), body: "<p>Zero rating is everywhere.</p>"),
    ]

    static let community = Community(name: "Test Community", tagline: "Stay networked.", url: "https://example.org",
                                     links: [.init(title: "Website", url: "https://example.org/ig")])

    static var content: CacheContent {
        CacheContent(community: community, sources: [Source(id: "test", kind: .agoraJSON, name: "Test")],
                     members: members, posts: posts, comments: comments)
    }
}

// Caches keep times to the millisecond; compare them so.
extension Date {
    var millisecond: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}

extension PostState {
    var rounded: [Int64?] { [read ? 1 : 0, starred ? 1 : 0, readAt?.millisecond] }
}

extension CommentState {
    var rounded: [Int64?] { [read ? 1 : 0, readAt?.millisecond] }
}
