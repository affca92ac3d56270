import AgoraApp
import AgoraKit
import AgoraTUI
import Foundation
import Testing
import TerminalCore

/// Under an article, who commented and how often; a name's number opens the profile, and the
/// profile lists the threads the member commented in, with counts.
@Suite("Who commented")
struct WhoCommentedTests {
    static let content: CacheContent = {
        let members = [Member(id: "m1", name: "Marília Maciel", country: "Brazil"), Member(id: "m2", name: "Xu Jing", country: "China")]
        var comments: [AgoraKit.Comment] = []
        for (i, author) in ["m1", "m2", "m1", "m1", "m2"].enumerated() {
            comments.append(AgoraKit.Comment(id: AgoraKit.Comment.ID("c\(i)"), post: "p1", author: Member.ID(author),
                                             published: Date(timeIntervalSince1970: 1_700_000_000 + Double(i) * 60), body: "<p>Comment \(i)</p>"))
        }
        comments.append(AgoraKit.Comment(id: "g", post: "p1", authorName: "A Guest", published: Date(timeIntervalSince1970: 1_700_001_000), body: "<p>Hi</p>"))
        comments.append(AgoraKit.Comment(id: "c9", post: "p2", author: "m1", published: Date(timeIntervalSince1970: 1_700_002_000), body: "<p>Elsewhere</p>"))
        let posts = [Post(id: "p1", title: "Busy post", published: Date(timeIntervalSince1970: 1_700_000_000)),
                     Post(id: "p2", title: "Quiet post", published: Date(timeIntervalSince1970: 1_600_000_000))]
        return CacheContent(community: Community(name: "C"), members: members, posts: posts, comments: comments)
    }()

    @Test func the_line_counts_each_person_and_a_number_opens_the_profile() throws {
        let reader = try Harness(width: 120, height: 40, content: Self.content)
        reader.press(.enter)
        guard case .article(let article) = reader.state.detail else { Issue.record("no article"); return }
        let text = article.document.lines.map(\.text).joined(separator: " ")
        #expect(text.contains("6 comments from 3 people: Marília Maciel (3)[1], Xu Jing (2)[2], A Guest (1)"), "\(text)")
        reader.press(.character("o"), .character("1"))
        guard case .profile(let profile) = reader.state.detail else { Issue.record("no profile"); return }
        #expect(profile.profile.member.name == "Marília Maciel")
        #expect(reader.opened.isEmpty)
        // The threads she commented in, with how many comments each.
        let threads = profile.items.filter { $0.kind == .comment }.map(\.text)
        #expect(threads == ["on Quiet post", "3 comments on Busy post"])
        reader.press(.escape)
        guard case .article = reader.state.detail else { Issue.record("Esc did not come back"); return }
    }
}
