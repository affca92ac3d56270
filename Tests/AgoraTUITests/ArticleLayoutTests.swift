import AgoraKit
import AgoraTUI
import Testing

@Suite("Article layout")
struct ArticleLayoutTests {
    private func text(_ html: String, width: Int) -> [String] {
        ArticleLayout.lines(HTMLRenderer.render(html), width: width).map(\.text)
    }

    @Test func paragraphs_are_wrapped_and_separated_by_one_blank_line() {
        #expect(text("<p>one two three four</p><p>five</p>", width: 10) == ["one two", "three four", "", "five"])
    }

    @Test func list_items_hang_under_their_marker_without_blank_lines_between() {
        #expect(text("<ul><li>alpha beta gamma</li><li>delta</li></ul><ol><li>first</li></ol>", width: 12) == [
            "• alpha beta", "  gamma", "• delta", "1. first",
        ])
        #expect(text("<ul><li>top<ul><li>nested item</li></ul></li></ul>", width: 20) == ["• top", "  • nested item"])
    }

    @Test func quotes_are_marked_on_every_line() {
        #expect(text("<p>said:</p><blockquote><p>one two three</p><p>four</p></blockquote>", width: 10) == [
            "said:", "", "│ one two", "│ three", "│", "│ four",
        ])
    }

    @Test func links_are_listed_with_their_numbers() {
        let rich = HTMLRenderer.render(#"<p><a href="https://example.org/a/very/long/address">x</a></p>"#)
        #expect(ArticleLayout.lines(rich, width: 40).map(\.text) == ["x[1]"])
        #expect(ArticleLayout.linkLines(rich.links, width: 20).map(\.text) == ["[1] https://example.", "    org/a/very/long/", "    address"])
    }

    @Test func emphasis_and_roles_reach_the_pieces() {
        let lines = ArticleLayout.lines(HTMLRenderer.render("<h1>Title</h1><p>a <b>b</b></p>"), width: 20)
        #expect(lines[0].pieces.first?.style == ArticleStyle(.heading, .bold))
        #expect(lines[2].pieces.last?.style == ArticleStyle(.text, .bold))
    }
}
