import AgoraApp
import AgoraKit
import AgoraTUI
import Foundation
import Testing
import TerminalCore

/// Counts on screen follow what the cache holds, whichever way a post is opened.
@Suite("Counts after opening")
struct CountsAfterOpeningTests {
    @Test func a_post_opened_from_a_profile_is_counted_read_at_once() throws {
        // The member's posts are the oldest of 600: far past the rows the list has loaded.
        let member = Member(id: "m1", name: "Xu Jing")
        let posts = (1...600).map { Post(id: Post.ID("p\($0)"), title: "Post \($0)", author: $0 <= 3 ? "m1" : nil,
                                         published: Date(timeIntervalSince1970: Double($0) * 86_400)) }
        let reader = try Harness(width: 120, height: 40, content: CacheContent(community: Community(name: "C"), members: [member], posts: posts))
        #expect(reader.state.postList.unread == 600)
        while reader.state.focus != .roster { reader.press(.tab) }
        reader.press(.enter)
        guard case .profile = reader.state.detail else { Issue.record("no profile"); return }
        reader.press(.character("j"), .enter)
        guard case .article = reader.state.detail else { Issue.record("no article"); return }
        #expect(try reader.store.statistics().unread == 599)
        #expect(reader.state.postList.unread == 599, "the count on screen is the cache's")
        #expect(reader.screen.contains("599/600 unread"))
    }
}
