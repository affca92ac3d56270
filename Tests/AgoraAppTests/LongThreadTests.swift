import AgoraApp
import AgoraKit
import AgoraTUI
import Foundation
import Testing
import TerminalCore

/// A long thread's first frame lays out only its first comments; the rest follows once the
/// frame is up, and the article is then what it would have been laid out whole.
@Suite("Long threads open at once")
struct LongThreadTests {
    static let content: CacheContent = {
        var comments: [AgoraKit.Comment] = []
        for i in 0..<200 {
            comments.append(AgoraKit.Comment(id: AgoraKit.Comment.ID("c\(i)"), post: "p1", parent: i % 4 == 0 ? nil : AgoraKit.Comment.ID("c\(i - 1)"),
                                             authorName: "Writer \(i % 7)", published: Date(timeIntervalSince1970: 1_700_000_000 + Double(i) * 60),
                                             body: "<p>Reply number \(i), with words enough to wrap at a narrow width.</p><blockquote>quoted \(i)</blockquote>"))
        }
        return CacheContent(community: Community(name: "C"), posts: [Post(id: "p1", title: "A long thread", published: Date(timeIntervalSince1970: 1_700_000_000),
                                                                             body: "<p>The first message.</p>")], comments: comments)
    }()

    func document(_ state: AppState) -> ArticleDocument? {
        if case .article(let article) = state.detail { return article.document }
        return nil
    }

    @Test func a_partial_article_completed_is_the_article_laid_out_whole() throws {
        let store = try JSONStore(content: Self.content)
        let detail = try store.post("p1")
        let whole = ArticleDocument(detail, width: 70, folded: ["c4"])
        let partial = ArticleDocument(detail, width: 70, folded: ["c4"], firstComments: 30)
        #expect(partial.isPartial && !whole.isPartial)
        #expect(partial.commentStarts.count == 30)
        // What the first frame shows is the whole article's beginning, then a line for the rest.
        let shared = partial.commentStarts[29]
        #expect(Array(partial.lines.prefix(shared)) == Array(whole.lines.prefix(shared)))
        #expect(partial.lines.last.map { $0.pieces.map(\.text).joined() } == "170 more comments…")
        #expect(partial.completed() == whole)
        #expect(partial.relaid(width: 50).completed() == whole.relaid(width: 50))
    }

    @Test func the_reader_draws_the_first_comments_and_lays_out_the_rest_after_the_frame() throws {
        let store = try JSONStore(content: Self.content)
        let runner = EffectRunner(store: store)
        var state = AppState(width: 100, height: 30, community: try store.community())
        runner.settle(&state, state.start())
        // As the run loop does: what can wait for the frame is handed back.
        var after = runner.settle(&state, state.handle(.key(.enter)), deferWrites: true)
        let first = try #require(document(state))
        #expect(first.isPartial)
        #expect(Screen.render(state).buffer.text.contains("Reply number 0,"))
        #expect(after.contains { if case .completeArticle = $0 { true } else { false } })
        // A key before the rest comes (the loop takes none, but nothing depends on it), then the rest:
        // the reader's place stays.
        after += runner.settle(&state, state.handle(.key(.character("j"))), deferWrites: true)
        let scroll = { (s: AppState) -> Int in if case .article(let a) = s.detail { a.scroll } else { -1 } }
        let before = scroll(state)
        runner.write(after, into: &state)
        after = []
        let whole = try #require(document(state))
        #expect(!whole.isPartial)
        #expect(whole.commentStarts.count == 200)
        #expect(whole == ArticleDocument(whole.detail, width: whole.width))
        #expect(scroll(state) == before)
        #expect(!Screen.render(state).buffer.text.contains("more comments…"))
    }

    @Test func a_thread_opened_at_a_match_or_at_new_replies_is_laid_out_whole_at_once() throws {
        let store = try JSONStore(content: Self.content)
        let runner = EffectRunner(store: store)
        var state = AppState(width: 100, height: 30, community: try store.community())
        runner.settle(&state, state.start())
        /// A key as the run loop takes it: the frame (checked by `frame`), then what waited for it.
        func press(_ key: Key, frame: (AppState) -> Void = { _ in }) {
            let after = runner.settle(&state, state.handle(.key(key)), deferWrites: true)
            frame(state)
            runner.write(after, into: &state)
        }
        press(.character("/"))
        for character in "reply number 150" { press(.character(character)) }
        press(.enter) { state in #expect(document(state).map { !$0.isPartial && $0.commentStarts.count == 200 } == true, "at a match: whole") }
        // Opened, its replies were seen: opened again it has nothing new to go to, and opens partly.
        press(.escape)
        press(.escape)
        press(.enter) { state in #expect(document(state)?.isPartial == true, "read, nothing new: partly") }
        // Read, with replies not seen: it opens at the first of them, laid out whole.
        try store.setRead(false, comments: ["c120", "c121"])
        press(.escape)
        press(.enter) { state in #expect(document(state).map { !$0.isPartial } == true, "new replies: whole") }
    }
}
