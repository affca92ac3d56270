import AgoraKit
import Foundation

/// Two members for the tests of muting: Ana wrote p0-p3, Bo p4-p9; Ana commented on p4 and Bo
/// answered her. Every title and comment says "routing".
public enum MuteFixture {
    public static let content: CacheContent = {
        let day = { (n: Double) in Date(timeIntervalSince1970: 1_600_000_000 + n * 86_400) }
        let posts = (0..<10).map { i in
            Post(id: Post.ID("p\(i)"), title: "Routing note \(i)", author: Member.ID(i < 4 ? "ana" : "bo"), published: day(Double(i)))
        }
        let comments = [
            AgoraKit.Comment(id: "c1", post: "p4", author: "ana", published: day(20), body: "<p>Words from Ana on routing</p>"),
            AgoraKit.Comment(id: "c2", post: "p4", parent: "c1", author: "bo", published: day(21), body: "<p>Bo answers on routing</p>"),
        ]
        return CacheContent(community: Community(name: "Mute test"),
                            members: [Member(id: "ana", name: "Ana Lima", country: "Brazil"), Member(id: "bo", name: "Bo Chen", country: "Kenya")],
                            posts: posts, comments: comments)
    }()
}
