import AgoraApp
import AgoraKit
import AgoraTUI
import Foundation
import Testing
import TerminalCore

/// Threads that fold: z folds the chosen comment's replies, Z every thread to its first
/// comment; ] and [ step over what is folded; the folds stay with the post while reading.
@Suite("Threads that fold")
struct FoldTests {
    static let content: CacheContent = {
        var comments: [AgoraKit.Comment] = []
        var minute = 0.0
        func add(_ id: String, parent: String?) {
            minute += 1
            comments.append(AgoraKit.Comment(id: AgoraKit.Comment.ID(id), post: "p1", parent: parent.map { AgoraKit.Comment.ID($0) }, authorName: "Someone \(id)",
                                    published: Date(timeIntervalSince1970: 1_700_000_000 + minute * 60), body: "<p>Text of \(id)</p>"))
        }
        add("a", parent: nil)
        for i in 1...5 { add("a\(i)", parent: i == 1 ? "a" : "a\(i - 1)") }
        add("b", parent: nil)
        add("b1", parent: "b")
        add("c", parent: nil)
        let posts = [Post(id: "p1", title: "Threads", published: Date(timeIntervalSince1970: 1_700_000_000)),
                     Post(id: "p2", title: "Other", published: Date(timeIntervalSince1970: 1_600_000_000))]
        return CacheContent(community: Community(name: "C"), posts: posts, comments: comments)
    }()

    func article(_ reader: Harness) -> ArticleModel? {
        if case .article(let article) = reader.state.detail { return article }
        return nil
    }

    @Test func z_folds_a_thread_and_brackets_step_over_it() throws {
        let reader = try Harness(width: 100, height: 40, content: Self.content)
        reader.press(.enter, .character("]"))
        #expect(article(reader)?.currentComment == 0)
        reader.press(.character("z"))
        #expect(reader.state.message == "Folded 5 replies.")
        let folded = try #require(article(reader))
        #expect(folded.document.hidden == [1, 2, 3, 4, 5])
        let text = folded.document.lines.map(\.text).joined(separator: "\n")
        #expect(text.contains("▸ 5 replies, 5 new"))
        #expect(!text.contains("Text of a3"))
        reader.press(.character("]"))
        #expect(article(reader)?.currentComment == 6, "over the folded replies to the next thread")
        reader.press(.character("["))
        #expect(article(reader)?.currentComment == 0)
        reader.press(.character("z"))
        #expect(reader.state.message == "Unfolded 5 replies.")
        #expect(article(reader)?.document.hidden.isEmpty == true)
    }

    @Test func Z_folds_every_thread_and_the_folds_stay_with_the_post() throws {
        let reader = try Harness(width: 100, height: 40, content: Self.content)
        reader.press(.enter, .character("Z"))
        #expect(reader.state.message == "Folded 2 threads to their first comments.")
        let all = try #require(article(reader))
        #expect(all.document.hidden == [1, 2, 3, 4, 5, 7])
        let text = all.document.lines.map(\.text).joined(separator: "\n")
        for root in ["Text of a", "Text of b", "Text of c"] { #expect(text.contains(root)) }
        #expect(text.contains("▸ 1 reply"))
        // Another post and back: still folded.
        reader.press(.escape, .character("j"), .enter, .escape, .character("k"), .enter)
        #expect(article(reader)?.id == "p1")
        #expect(article(reader)?.document.hidden == [1, 2, 3, 4, 5, 7])
        reader.press(.character("Z"))
        #expect(reader.state.message == "Every thread unfolded.")
    }
}
