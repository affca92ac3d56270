import AgoraKit
import Foundation
import Testing

@Suite("HTML to text")
struct HTMLRendererTests {
    private func blocks(_ html: String) -> [String] { HTMLRenderer.render(html).blocks.map(\.text) }

    @Test func paragraphs_and_whitespace_collapse_like_a_browser() {
        #expect(blocks("<p>One\n   two\tthree</p>\n\n<p>  Four  </p>") == ["One two three", "Four"])
        #expect(blocks("<b>bold </b> text") == ["bold text"])
        #expect(blocks("Loose text<p>and a paragraph</p>tail") == ["Loose text", "and a paragraph", "tail"])
        #expect(blocks("<div><div>nested</div></div>") == ["nested"])
        #expect(blocks("") == [])
        #expect(blocks("<p>   </p>") == [])
    }

    @Test func line_breaks_are_kept_inside_nested_inline_elements() {
        // newsboat #512: breaks lost in nested spans.
        #expect(blocks("<p><span><span>first<br>second</span></span><br/>third</p>") == ["first\nsecond\nthird"])
    }

    @Test func headings_lists_and_quotes_keep_their_kind() {
        let text = HTMLRenderer.render("""
            <h2>Title</h2><ul><li>one</li><li>two<ul><li>deep</li></ul></li></ul>
            <ol start="3"><li>three</li><li>four</li></ol><blockquote><p>quoted</p><blockquote>twice</blockquote></blockquote>
            """)
        let kinds = text.blocks.map(\.kind)
        #expect(kinds == [.heading(level: 2), .listItem(marker: "•"), .listItem(marker: "•"), .listItem(marker: "•"),
                          .listItem(marker: "3."), .listItem(marker: "4."), .paragraph, .paragraph])
        #expect(text.blocks.map(\.text) == ["Title", "one", "two", "deep", "three", "four", "quoted", "twice"])
        #expect(text.blocks.map(\.listDepth) == [0, 1, 1, 2, 1, 1, 0, 0])
        #expect(text.blocks.map(\.quoteDepth) == [0, 0, 0, 0, 0, 0, 1, 2])
    }

    @Test func bold_and_italic_are_styled_spans() {
        let spans = HTMLRenderer.render("<p>plain <strong>bold <em>both</em></strong> <i>it</i></p>").blocks[0].spans
        #expect(spans == [
            .init("plain "), .init("bold ", style: .bold), .init("both", style: [.bold, .italic]),
            .init(" "), .init("it", style: .italic),
        ])
    }

    @Test func links_are_numbered_in_order_and_kept() {
        let text = HTMLRenderer.render("""
            <p>See <a href="https://a.example">the site</a> and <a href="https://b.example">another</a>,
            then <a href="https://a.example">the first again</a>. <a href="#top">Top</a> <a href="javascript:alert(1)">x</a></p>
            """)
        #expect(text.links == ["https://a.example", "https://b.example"])
        #expect(text.blocks[0].text == "See the site[1] and another[2], then the first again[1]. Top x")
        #expect(text.blocks[0].spans.contains(.init("[2]", style: .linkNumber)))
        #expect(text.blocks[0].spans.contains(.init("the site", style: .link)))
        #expect(HTMLRenderer.render(#"<a href="https://c.example"></a>"#).blocks[0].text == "https://c.example[1]")
    }

    @Test func entities_are_decoded() {
        #expect(blocks("<p>Caf&eacute; &amp; &lt;tag&gt; &#8220;quoted&#x201D; &nbsp;x</p>") == ["Café & <tag> “quoted” \u{00A0}x"])
    }

    @Test func scripts_styles_and_comments_are_dropped() {
        #expect(blocks("<style>p{color:red}</style><p>visible<script>alert('x')</script></p><!-- hidden -->") == ["visible"])
    }

    @Test func preformatted_text_keeps_its_spaces() {
        let text = HTMLRenderer.render("<pre>\nline 1\n    indented\n</pre>")
        #expect(text.blocks.map(\.kind) == [.preformatted])
        #expect(text.blocks[0].text == "line 1\n    indented")
    }

    @Test func broken_html_still_gives_its_text() {
        #expect(blocks("<p>unclosed <b>bold <i>both</p><p>next") == ["unclosed bold both", "next"])
        #expect(blocks("just text & more") == ["just text & more"])
        #expect(blocks("<<<>>>") != [])
    }

    @Test func images_show_their_alt_text() {
        #expect(blocks(#"<p>Look: <img src="x.png" alt="a map"></p>"#) == ["Look: [image: a map]"])
    }

    @Test func control_characters_in_html_never_reach_the_text() {
        let text = HTMLRenderer.render("<p>a\u{1B}[31mred\u{1B}[0m b&#27;c&#x9b;2J</p>")
        #expect(!text.plainText.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        // libxml2 drops the invalid &#27; itself; the C1 CSI it decodes goes with its "2J".
        #expect(text.plainText == "ared bc")
    }
}

@Suite("Sanitiser")
struct SanitizerTests {
    @Test func csi_sequences_are_removed_whole() {
        #expect(Sanitizer.line("\u{1B}[31mred\u{1B}[0m") == "red")
        #expect(Sanitizer.line("a\u{1B}[2Jb") == "ab")
        #expect(Sanitizer.line("a\u{1B}[?1049hb") == "ab")
    }

    @Test func osc_52_clipboard_writes_are_removed() {
        #expect(Sanitizer.line("x\u{1B}]52;c;ZXZpbA==\u{07}y") == "xy")
        #expect(Sanitizer.line("x\u{1B}]0;title\u{1B}\\y") == "xy")
        #expect(Sanitizer.line("x\u{9D}8;;http://evil\u{9C}y") == "xy")
    }

    @Test func c1_csi_0x9b_is_removed() {
        #expect(Sanitizer.line("a\u{9B}31mb") == "ab")
        #expect(Sanitizer.line("a\u{85}b\u{80}c") == "abc")
    }

    @Test func bidi_overrides_are_removed_and_marks_kept_only_in_bodies() {
        #expect(Sanitizer.line("abc\u{202E}fed\u{202C}") == "abcfed")
        #expect(Sanitizer.line("\u{2066}x\u{2069}") == "x")
        #expect(Sanitizer.line("שלום\u{200F}") == "שלום")
        #expect(Sanitizer.text("שלום\u{200F} עולם") == "שלום\u{200F} עולם")
    }

    @Test func what_cannot_be_seen_is_dropped_from_one_line_fields_and_ids() {
        // Zero-width space, word joiner, BOM, Hangul filler, soft hyphen, the language tag.
        let hidden = "a\u{200B}d\u{2060}m\u{FEFF}i\u{3164}n\u{00AD}\u{E0001}"
        #expect(Sanitizer.line(hidden) == "admin")
        #expect(Sanitizer.identifier(" \u{200B}admin\u{200D} ") == "admin")
        #expect(Sanitizer.line("one\u{2028}two") == "one two")
        // A joiner stays where it joins: an emoji sequence, a Persian word; not at an edge or
        // between ASCII letters.
        #expect(Sanitizer.line("👩🏽\u{200D}💻") == "👩🏽\u{200D}💻")
        #expect(Sanitizer.line("می\u{200C}خواهم") == "می\u{200C}خواهم")
        #expect(Sanitizer.line("ad\u{200D}min\u{200C}") == "admin")
        #expect(Sanitizer.identifier("👩\u{200D}💻") == "👩💻")
        // Bodies keep them: a zero-width space can be a line-break hint there.
        #expect(Sanitizer.text("a\u{200B}b") == "a\u{200B}b")
        #expect(Sanitizer.text("a\u{200D} b\u{2028}c") == "a\u{200D} b\u{2028}c")
    }

    @Test func c0_controls_go_and_layout_is_kept_only_in_bodies() {
        #expect(Sanitizer.line("a\u{07}b\u{08}c\u{00}d\u{7F}e") == "abcde")
        #expect(Sanitizer.line("one\ntwo\tthree\r\nfour") == "one two three four")
        #expect(Sanitizer.text("one\ntwo\tthree\r\nfour\rfive") == "one\ntwo\tthree\nfour\nfive")
    }

    @Test func an_unterminated_string_loses_only_its_introducer() {
        #expect(Sanitizer.line("a\u{1B}]52;never ends") == "a52;never ends")
        #expect(Sanitizer.line("end\u{1B}") == "end")
    }

    @Test func clean_text_is_returned_as_it_is() {
        let text = "Marília Maciel — 徐静 👩🏽‍💻 café"
        #expect(Sanitizer.line(text) == text)
    }
}

@Suite("Folding and plain text")
struct FoldingTests {
    @Test func case_and_accents_fold_in_every_script() {
        #expect(Folding.key("Marília") == Folding.key("MARILIA"))
        #expect(Folding.key("Côte d’Ivoire") == "cote d'ivoire")
        #expect(Folding.key("Straße") == "strasse")
        #expect(Folding.key("Müller") == "muller")
        #expect(Folding.key("ΑΛΈΞΑΝΔΡΟΣ") == Folding.key("αλεξανδροσ") || Folding.key("ΑΛΈΞΑΝΔΡΟΣ") == "αλεξανδρος")
        #expect(Folding.key("Олена") == "олена")
        // The letters folding keeps, spelled out, beside other scripts and each once.
        #expect(Folding.key("Œuvre Æsir Øresund Đorđe Łódź Iı — Москва’s ßß") == "oeuvre aesir oresund dorde lodz ii — москва's ssss")
        #expect(Folding.key("  two   words ") == "two words")
        #expect(Folding.slug("Virginia (Ginger) Paque") == "virginia-ginger-paque")
        #expect(Folding.slug("Sergio Alves Júnior") == "sergio-alves-junior")
    }

    @Test func plain_text_for_the_index_strips_tags_and_decodes_entities() {
        #expect(PlainText.fromHTML("<p>One&nbsp;two</p><p>three <b>f</b>our</p><script>x()</script><style>p{}</style>")
            == "One two three four")
        #expect(PlainText.fromHTML("a &lt;b&gt; &#233; &#xE9; &unknown; <!-- c -->d") == "a <b> é é &unknown; d")
        #expect(PlainText.fromHTML("<a title=\"x > y\">link</a>") == "link")
        #expect(PlainText.fromHTML("unclosed <b") == "unclosed")
    }

    @Test func threads_survive_missing_parents_and_loops() {
        func item(_ id: String, _ parent: String?) -> CommentItem {
            CommentItem(comment: AgoraKit.Comment(id: .init(id), post: "p", parent: parent.map { .init($0) }), state: .init())
        }
        let ordered = CommentThreads.ordered([item("a", nil), item("b", "x"), item("c", "a"), item("d", "e"), item("e", "d")])
        #expect(ordered.map(\.id.rawValue) == ["a", "c", "b", "d", "e"])
        #expect(ordered.map(\.depth) == [0, 1, 0, 0, 1])
        let deep = (0..<500).map { item("n\($0)", $0 == 0 ? nil : "n\($0 - 1)") }
        #expect(CommentThreads.ordered(deep).last?.depth == 499)
    }
}

@Suite("HTML without a parser")
struct SimpleHTMLTests {
    /// The shortcut for plain paragraphs must give exactly what the parser gives.
    @Test(arguments: ["<p>Comment  number\n 3.</p>", "plain text only", "<p>  spaced   out  </p>", "<p></p>", "Touré\u{00A0}met",
                      "<p>a</p><p>b</p>", "<p>x &amp; y</p>", "<p>1 < 2</p>", "text\u{1B}[31m red"])
    func plain_paragraphs_render_as_the_parser_renders_them(html: String) {
        let shortcut = HTMLRenderer.render(html)
        // Force the parser by wrapping in a div, which adds no block of its own.
        let parsed = HTMLRenderer.render("<div>" + html + "</div>")
        #expect(shortcut == parsed, "\(html)")
    }
}

@Suite("Links handed to a browser")
struct LinkTests {
    @Test func only_web_and_mail_links_go_and_none_that_reads_as_an_option() {
        for link in ["https://example.org/a?b=1&c=2", "http://x.org", "HTTPS://X.ORG", "mailto:a@b.org"] {
            #expect(Links.problem(link) == nil, "\(link)")
        }
        #expect(Links.problem("--help") == "a link that begins with '-' is not opened")
        #expect(Links.problem("-oProxyCommand=touch /tmp/x") == "a link that begins with '-' is not opened")
        #expect(Links.problem("--renderer-cmd-prefix=xterm") == "a link that begins with '-' is not opened")
        #expect(Links.problem("file:///etc/passwd") == "file: links are not opened (only http, https, mailto)")
        #expect(Links.problem("javascript:alert(1)") == "javascript: links are not opened (only http, https, mailto)")
        #expect(Links.problem("/etc/passwd") == "a link with no scheme is not opened (only http, https, mailto)")
        #expect(Links.problem("https://x.org/a b") == "a link with spaces or control characters is not opened")
    }

    @Test func the_link_is_one_argument_after_double_dash_where_the_browser_takes_it() {
        #expect(Links.command(browser: "firefox", link: "https://a.org") == ["firefox", "--", "https://a.org"])
        #expect(Links.command(browser: "/usr/bin/chromium --incognito", link: "https://a.org") == ["/usr/bin/chromium", "--incognito", "--", "https://a.org"])
        #expect(Links.command(browser: "w3m", link: "https://a.org/?a=1&b=2") == ["w3m", "https://a.org/?a=1&b=2"])
        #expect(Links.command(browser: "my-open %s --new-tab", link: "https://a.org/x y") == ["my-open", "https://a.org/x y", "--new-tab"])
        #expect(Links.command(browser: "xdg-open", link: "mailto:a@b.org") == ["xdg-open", "mailto:a@b.org"])
    }
}
