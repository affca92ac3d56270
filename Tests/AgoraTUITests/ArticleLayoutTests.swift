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

    @Test func a_mails_quoted_text_signature_and_outlook_block_fold_to_a_line_each() {
        let html = "<p>Agreed.</p><p>On Mon, 3 Mar 2014, Ana Lima wrote:</p><blockquote><p>one two three</p><p>four</p></blockquote>"
            + "<p>Then more.</p><p>-- <br>Ana<br>Diplo</p>"
        let folded = ArticleLayout.lines(HTMLRenderer.render(html), width: 10, foldingQuotes: true).map(\.text)
        // The lines as written, whatever the width: the attribution, a blank, "one two three",
        // a blank, "four": five lines, one fold.
        #expect(folded == ["Agreed.", "", "▸ quoted text (5 lines)", "", "Then more.", "", "▸ signature (3 lines)"])
        #expect(ArticleLayout.lines(HTMLRenderer.render(html), width: 60, foldingQuotes: true).map(\.text).contains("▸ quoted text (5 lines)"))
        #expect(text(html, width: 10).contains("│ four"), "unfolded, as any other post")
        let outlook = "<p>Fine by me.</p><p>-----Original Message-----<br>From: Ana<br>Sent: Monday</p><p>The old text.</p>"
        #expect(ArticleLayout.lines(HTMLRenderer.render(outlook), width: 40, foldingQuotes: true).map(\.text)
                == ["Fine by me.", "", "▸ quoted message (5 lines)"])
        // A quote with no "wrote:" line above it folds alone.
        #expect(ArticleLayout.lines(HTMLRenderer.render("<p>Yes.</p><blockquote><p>q</p></blockquote>"), width: 40, foldingQuotes: true)
            .map(\.text) == ["Yes.", "", "▸ quoted text (1 line)"])
    }

    @Test func only_a_mailing_lists_messages_fold_and_x_shows_them_whole() {
        let html = "<p>Reply.</p><blockquote><p>the quoted words</p></blockquote>"
        func document(_ kind: Source.Kind) -> ArticleDocument {
            ArticleDocument(PostDetail(post: Post(id: "p", title: "T", body: html), state: .unread, commentCount: 0, author: nil, comments: [],
                                       source: Source(id: "s", kind: kind, name: "S")), width: 60)
        }
        let mail = document(.mailingList)
        #expect(mail.lines.map(\.text).contains("▸ quoted text (1 line)"))
        #expect(!mail.lines.map(\.text).contains("│ the quoted words"))
        #expect(mail.requoted(open: true).lines.map(\.text).contains("│ the quoted words"))
        #expect(mail.requoted(open: true).relaid(width: 40).quotesOpen, "a new width keeps them open")
        #expect(document(.feed).lines.map(\.text).contains("│ the quoted words"))
    }

    /// A long thread is laid out on every core: each comment's lines are its own, in its place,
    /// at its depth's indent, folded as a list's are, whatever order they were made in.
    @Test func a_long_threads_comments_are_each_in_their_place() {
        let comments = (0..<120).map { n in
            CommentItem(comment: Comment(id: Comment.ID("c\(n)"), post: "p", authorName: "Person \(n % 7)",
                                         body: "<p>Body number \(n) says something long enough to wrap at this width, twice over at least.</p>"
                                            + (n % 3 == 0 ? "<p>On Monday, Ana wrote:</p><blockquote><p>quoted \(n)</p></blockquote>" : "")),
                        state: CommentState(read: n % 2 == 0), depth: n % 4)
        }
        let document = ArticleDocument(PostDetail(post: Post(id: "p", title: "T", body: "<p>b</p>"), state: .unread, commentCount: comments.count,
                                                  author: nil, comments: comments, source: Source(id: "s", kind: .mailingList, name: "S")),
                                       width: 40)
        let text = document.lines.map(\.text)
        #expect(document.commentStarts.count == 120)
        for n in 0..<120 {
            let start = document.commentStarts[n]
            let indent = String(repeating: " ", count: 2 * (n % 4))
            #expect(text[start].hasPrefix(indent) && text[start].contains("Person \(n % 7)"), "comment \(n)'s head: \(text[start])")
            #expect(text[start + 1].hasPrefix(indent + "Body number \(n) says"), "comment \(n)'s first line: \(text[start + 1])")
            let end = n + 1 < 120 ? document.commentStarts[n + 1] : text.count
            #expect(text[start..<end].allSatisfy { $0.count <= 40 }, "comment \(n) wrapped within the width at its indent")
            #expect(text[start..<end].contains(indent + "▸ quoted text (3 lines)") == (n % 3 == 0), "comment \(n)'s fold")
        }
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

@Suite("A forum's HTML, laid out")
struct ForumHTMLTests {
    private func text(_ html: String, width: Int = 60) -> [String] {
        ArticleLayout.lines(HTMLRenderer.render(html), width: width).map(\.text)
    }

    @Test func a_quote_says_who_is_quoted_and_leaves_the_forums_title_bar_out() {
        let html = """
            <aside class="quote no-group" data-username="sam" data-post="2" data-topic="57">
            <div class="title"><div class="quote-controls"></div><img class="avatar" src="/a.png" alt=""> sam:</div>
            <blockquote><p>The sandbox is reset daily.</p></blockquote></aside><p>Good to know.</p>
            """
        let lines = text(html)
        let quoted = lines.filter { $0.contains("sam:") || $0.contains("reset daily") }
        #expect(quoted.count == 2, "\(lines)")
        #expect(lines.first { $0.contains("sam:") }.map { !$0.hasPrefix("sam") } == true, "inside the quote block: \(lines)")
        #expect(lines.contains { $0.hasSuffix("Good to know.") && !$0.contains("│") && !$0.contains(">") })
    }

    @Test func a_quote_is_headed_as_the_forum_heads_it() {
        // The forum's own title names the person: that is the heading.
        let named = text("""
            <aside class="quote" data-username="wanjiru" data-post="3" data-topic="101">
            <div class="title"><div class="quote-controls"></div><img class="avatar" src="/w.png" alt=""> Wanjiru Kamau:</div>
            <blockquote><p>Remote hubs work.</p></blockquote></aside>
            """)
        #expect(named.contains { $0.contains("Wanjiru Kamau:") }, "\(named)")
        #expect(!named.contains { $0.contains("wanjiru:") }, "\(named)")
        // No title: the name the quote carries, else the username.
        let full = text(#"<aside class="quote" data-username="wk" data-full-name="Wanjiru Kamau"><blockquote><p>x</p></blockquote></aside>"#)
        #expect(full.contains { $0.contains("Wanjiru Kamau:") }, "\(full)")
        // A title that is only the username gives way to the name, as the forum's page does.
        let replaced = text(#"<aside class="quote" data-username="wanjiru" data-full-name="Wanjiru Kamau"><div class="title"> wanjiru:</div><blockquote><p>x</p></blockquote></aside>"#)
        #expect(replaced.contains { $0.contains("Wanjiru Kamau:") }, "\(replaced)")
        let bare = text(#"<aside class="quote" data-username="wk"><blockquote><p>x</p></blockquote></aside>"#)
        #expect(bare.contains { $0.contains("wk:") }, "\(bare)")
    }

    @Test func a_link_preview_is_its_title_as_a_link() {
        let html = """
            <aside class="onebox allowlistedgeneric" data-onebox-src="https://igf.org/x"><header class="source"><a href="https://igf.org">igf.org</a></header>
            <article class="onebox-body"><img src="https://igf.org/pic.png" class="thumbnail"><h3><a href="https://igf.org/x">IGF 2024 in Riyadh</a></h3>
            <p>A long description nobody reads in a terminal.</p></article></aside>
            """
        let rich = HTMLRenderer.render(html)
        #expect(rich.links == ["https://igf.org/x"])
        let lines = text(html)
        #expect(lines.contains { $0.contains("IGF 2024 in Riyadh[1]") }, "\(lines)")
        #expect(!lines.contains { $0.contains("description") })
    }

    @Test func a_poll_shows_its_options() {
        let html = """
            <div class="poll" data-poll-status="open" data-poll-name="poll"><div><div class="poll-container"><ul>
            <li data-poll-option-id="a1">Multistakeholder</li><li data-poll-option-id="b2">Multilateral</li></ul></div>
            <div class="poll-info"><p><span class="info-number">0</span><span class="info-label">voters</span></p></div></div>
            <div class="poll-buttons"><a class="button">Show results</a></div></div>
            """
        let lines = text(html).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(lines.first == "Poll:", "\(lines)")
        #expect(lines.contains { $0.hasSuffix("Multistakeholder") } && lines.contains { $0.hasSuffix("Multilateral") })
        #expect(!lines.contains { $0.contains("voters") || $0.contains("Show results") })
    }

    @Test func emoji_pictures_become_emoji_and_details_show_their_summary() {
        let lines = text(#"<p>Great <img class="emoji" title=":tada:" alt=":tada:" src="/e/tada.png"> and <img class="emoji" alt=":unheard_of:"></p><details><summary>Spoiler</summary><p>hidden text</p></details>"#)
        #expect(lines.contains("Great 🎉 and :unheard_of:"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("▸") && $0.contains("Spoiler") }, "\(lines)")
        #expect(lines.contains("hidden text"))
    }
}
