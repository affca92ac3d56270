import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// A comment's author is shown by the member's name wherever comments are shown: a post's
/// comments, search hits, a profile's comments; the source's name where no member matches.
@Suite("Comment authors by name")
struct CommentAuthorTests {
    static let content = CacheContent(
        members: [Member(id: "member-00047", name: "Marília Maciel")],
        posts: [Post(id: "p1", title: "Governance", body: "<p>Body</p>")],
        comments: [
            Comment(id: "c1", post: "p1", author: "member-00047", published: Date(timeIntervalSince1970: 1_000), body: "<p>A reply about routing</p>"),
            Comment(id: "c2", post: "p1", author: "gone-member", authorName: "Someone Gone", published: Date(timeIntervalSince1970: 2_000),
                    body: "<p>Another about routing</p>"),
            Comment(id: "c3", post: "p1", authorName: "A Guest", published: Date(timeIntervalSince1970: 3_000), body: "<p>Guest words</p>"),
        ])

    @Test(arguments: StoreKind.allCases)
    func every_view_of_comments_names_the_member(kind: StoreKind) throws {
        let (store, folder) = try makeStore(kind, Self.content)
        _ = folder
        let names = try store.post("p1").comments.map(\.comment.authorName)
        #expect(names == ["Marília Maciel", "Someone Gone", "A Guest"])
        let hits = try store.search("routing").comments
        #expect(Set(hits.compactMap(\.authorName)) == ["Marília Maciel", "Someone Gone"])
        #expect(try store.member("member-00047").comments.first?.comment.authorName == "Marília Maciel")
        // What is stored stays as the source gave it: an export carries no name it did not have.
        #expect(try store.exportContent().comments.first { $0.id == "c1" }?.authorName == nil)
    }
}
