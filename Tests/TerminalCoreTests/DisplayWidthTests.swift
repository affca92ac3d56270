import Testing
import TerminalCore

@Suite("Display width")
struct DisplayWidthTests {
    @Test func latin_with_accents_takes_one_column_per_letter() {
        #expect(DisplayWidth.of("Marília") == 7)
        #expect(DisplayWidth.of("Mari\u{0301}lia") == 7, "a combining accent takes no column")
        #expect(DisplayWidth.of("Côte d'Ivoire") == 13)
    }

    @Test func cjk_and_fullwidth_take_two() {
        #expect(DisplayWidth.of("徐静") == 4)
        #expect(DisplayWidth.of("佐藤 花子") == 9)
        #expect(DisplayWidth.of("김민준") == 6)
        #expect(DisplayWidth.of("ＡＢ") == 4)
    }

    @Test func emoji_take_two_and_zero_width_characters_none() {
        #expect(DisplayWidth.of("👍") == 2)
        #expect(DisplayWidth.of("❤️") == 2, "VS16 makes a text-style heart an emoji")
        #expect(DisplayWidth.of("👩🏽‍💻") == 2)
        #expect(DisplayWidth.of("a\u{200B}b") == 2)
        #expect(DisplayWidth.of("") == 0)
    }

    @Test func other_scripts_take_one() {
        #expect(DisplayWidth.of("Олена") == 5)
        #expect(DisplayWidth.of("Αλέξανδρος") == 10)
        #expect(DisplayWidth.of("محمد") == 4)
        #expect(DisplayWidth.of("Nguyễn") == 6)
    }

    @Test func truncating_and_padding_count_columns_not_characters() {
        #expect(DisplayWidth.truncate("Marília Maciel", to: 8) == "Marília…")
        #expect(DisplayWidth.truncate("徐静徐静", to: 5) == "徐静…")
        #expect(DisplayWidth.truncate("short", to: 10) == "short")
        #expect(DisplayWidth.truncate("abc", to: 0) == "")
        #expect(DisplayWidth.pad("徐静", to: 6) == "徐静  ")
        #expect(DisplayWidth.pad("7", to: 3, alignRight: true) == "  7")
        #expect(DisplayWidth.of(DisplayWidth.pad("徐静徐静徐静", to: 7)) == 7)
    }
}

@Suite("Word wrap")
struct WrapTests {
    @Test func words_wrap_at_spaces_within_the_width() {
        #expect(Wrap.lines("the quick brown fox jumps", width: 10) == ["the quick", "brown fox", "jumps"])
        #expect(Wrap.lines("", width: 10) == [""])
    }

    @Test func a_word_wider_than_the_line_is_broken() {
        #expect(Wrap.lines("abcdefghij xy", width: 4) == ["abcd", "efgh", "ij", "xy"])
    }

    @Test func wide_characters_wrap_by_columns() {
        let lines = Wrap.lines("徐静徐静徐静 ok", width: 5)
        #expect(lines == ["徐静", "徐静", "徐静", "ok"])
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 5 })
    }

    @Test func hard_breaks_are_kept_and_styles_follow_their_text() {
        let lines = Wrap.lines([Wrap.Piece("one\ntwo ", 0), Wrap.Piece("bold", 1)], width: 20)
        #expect(lines.map { $0.map(\.text).joined() } == ["one", "two bold"])
        #expect(lines[1] == [Wrap.Piece("two ", 0), Wrap.Piece("bold", 1)])
    }

    @Test func touching_pieces_stay_together() {
        // A link and its number "[1]" are one word.
        let lines = Wrap.lines([Wrap.Piece("see the site", 0), Wrap.Piece("[1]", 1)], width: 10)
        #expect(lines.map { $0.map(\.text).joined() } == ["see the", "site[1]"])
    }
}
