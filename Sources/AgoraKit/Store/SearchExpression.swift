import Foundation
import Synchronization

/// Text as search sees it: case, accents and letters written two ways folded (`Folding.key`),
/// and each CJK character its own word, so that 明 finds 李明 although Chinese and Japanese
/// put no spaces between words. The search indexes hold text made by `forIndex`, and queries
/// are made by `fold`: the two agree on every token.
public enum SearchText {
    /// What goes into a search index. ASCII text is left as it is: the index's tokenizer folds
    /// its case, and most text is ASCII, so an import pays for folding only where it counts.
    public static func forIndex(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        return fold(text)
    }

    /// Folded, lower case, CJK characters apart.
    ///
    /// Character by character: ASCII is lowered in place and every other character is folded
    /// once per call (`Folding.key` of that one character, remembered), so a long body with a
    /// few accented names costs little more than an ASCII one. Folding the whole text at once
    /// took a millisecond per body.
    public static func fold(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        var folded: [UInt32: [UInt8]] = [:]
        var lastWasCJK = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                if lastWasCJK, v != 0x20 { out.append(0x20) }
                lastWasCJK = false
                out.append(UInt8(v >= 65 && v <= 90 ? v + 32 : v))
                continue
            }
            let cjk = isCJK(scalar)
            if cjk || lastWasCJK, let last = out.last, last != 0x20 { out.append(0x20) }
            lastWasCJK = cjk
            if scalar.properties.isWhitespace {
                out.append(0x20)
                continue
            }
            if let known = folded[v] {
                out.append(contentsOf: known)
                continue
            }
            let one = Self.folded(scalar)
            folded[v] = one
            out.append(contentsOf: one)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Every character folded so far, for every call: `Folding.key` goes through Foundation and
    /// was a tenth of an import when each body folded its own typographic quotes and names again.
    private static let foldedScalars = Mutex<[UInt32: [UInt8]]>([:])

    private static func folded(_ scalar: Unicode.Scalar) -> [UInt8] {
        if let known = foldedScalars.withLock({ $0[scalar.value] }) { return known }
        let one = Array(Folding.key(String(scalar)).utf8)
        foldedScalars.withLock { table in
            if table.count < 1 << 16 { table[scalar.value] = one }
        }
        return one
    }

    /// Han, kana, Hangul syllables and CJK compatibility letters.
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x3134F: true
        default: false
        }
    }

    /// Tokens as the index's tokenizer (unicode61) makes them: runs of letters and digits.
    static func tokens<S: StringProtocol>(_ text: S) -> [Substring] {
        Substring(text).split(whereSeparator: { character in
            !character.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        })
    }
}

/// What a person typed into search, parsed: words and "quoted phrases" that must all match,
/// and the terms `author:NAME`, `country:NAME`, `tag:NAME`, `is:unread`, `is:starred`,
/// `date:2012`, `date:2012-12`, `date:2012-12-20`.
///
/// The last word matches as a prefix while it is being typed (no space after it yet), so
/// "civil soc" finds "civil society"; filter values always match as prefixes. Nothing typed can
/// make a query fail: as a full-text query every word is quoted, so `"`, `*`, `-`, `:` and
/// keywords such as NOT are only text, and what cannot be understood (an unknown `foo:`, a quote
/// left open) becomes a message in `problems` while the rest is searched.
public struct SearchQuery: Hashable, Sendable {
    public struct Term: Hashable, Sendable {
        /// As typed (sanitised).
        public var text: String
        /// Its tokens, folded as the index holds them.
        public var tokens: [String]
        public var isPhrase: Bool
        /// The last token matches as a prefix.
        public var isPrefix: Bool
    }

    public var terms: [Term] = []
    /// Folded filter values.
    public var author: String?
    public var country: String?
    public var tag: String?
    public var unreadOnly = false
    public var starredOnly = false
    /// `date:`: posts and comments of that year, month or day (UTC), as seconds since 1970,
    /// from (included) to (left out).
    public var dateFrom: Double?
    public var dateTo: Double?
    /// What could not be understood, in words for the person typing.
    public var problems: [String] = []

    public static let fields = ["author", "country", "tag", "is", "date"]

    public init(_ typed: String) {
        let text = Sanitizer.line(typed)
        var words: [(text: String, quoted: Bool, closed: Bool)] = []
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c.isWhitespace {
                i = text.index(after: i)
                continue
            }
            if c == "\"" {
                let start = text.index(after: i)
                if let end = text[start...].firstIndex(of: "\"") {
                    words.append((String(text[start..<end]), true, true))
                    i = text.index(after: end)
                } else {
                    words.append((String(text[start...]), true, false))
                    problems.append("a quote is not closed: searching for the words after it as a phrase")
                    i = text.endIndex
                }
                continue
            }
            // A word runs to the next space; `field:"a value"` takes the quoted value whole.
            var end = i
            var value: (String, Bool)?
            while end < text.endIndex, !text[end].isWhitespace {
                if text[end] == ":", text.index(after: end) < text.endIndex, text[text.index(after: end)] == "\"" {
                    let open = text.index(after: end)
                    let start = text.index(after: open)
                    if let close = text[start...].firstIndex(of: "\"") {
                        value = (String(text[start..<close]), true)
                        end = text.index(after: close)
                    } else {
                        value = (String(text[start...]), false)
                        end = text.endIndex
                    }
                    break
                }
                end = text.index(after: end)
            }
            let word = String(text[i..<end])
            if let value {
                let field = String(word[..<word.firstIndex(of: ":")!])
                addField(field, value: value.0, whole: word)
                if !value.1 { problems.append("a quote is not closed in \(field):") }
            } else if let colon = word.firstIndex(of: ":"), colon != word.startIndex,
                      word[..<colon].allSatisfy({ $0.isLetter }) {
                addField(String(word[..<colon]), value: String(word[word.index(after: colon)...]), whole: word)
            } else {
                words.append((word, false, true))
            }
            i = end
        }
        let typingLast = !(text.last.map { $0.isWhitespace || $0 == "\"" } ?? true)
        for (index, word) in words.enumerated() {
            let tokens = SearchText.tokens(SearchText.fold(word.text)).map(String.init)
            guard !tokens.isEmpty else { continue }
            let isLast = index == words.count - 1
            // One letter is a word of its own until a second is typed: a prefix of one letter
            // would be half the dictionary, and no faster to read.
            let longEnough = (tokens.last?.count ?? 0) >= 2
            terms.append(Term(text: word.text, tokens: tokens, isPhrase: word.quoted,
                              isPrefix: isLast && longEnough && (word.quoted ? !word.closed : typingLast)))
        }
    }

    private mutating func addField(_ name: String, value: String, whole: String) {
        let folded = SearchText.fold(value)
        let key = Folding.key(value)
        switch name.lowercased() {
        case "author":
            let tokens = SearchText.tokens(folded)
            author = tokens.isEmpty ? nil : tokens.joined(separator: " ")
        case "country": country = key.isEmpty ? nil : key
        case "tag": tag = key.isEmpty ? nil : key
        case "is":
            switch folded {
            case "unread": unreadOnly = true
            case "starred": starredOnly = true
            case "", "u", "un", "unr", "unre", "unrea", "s", "st", "sta", "star", "starr", "starre": break  // still typing
            default: problems.append("is:\(value) is not known; use is:unread or is:starred")
            }
        case "date":
            // A range of periods: date:2012-12-17..2012-12-23, date:2011..2012.
            let halves = value.components(separatedBy: "..")
            if halves.count == 2 {
                if let (from, _) = Self.period(halves[0]), let (_, to) = Self.period(halves[1]), from < to {
                    dateFrom = from
                    dateTo = to
                } else if Self.period(halves[0]) == nil || !(halves[1].isEmpty || Self.beingTyped(halves[1])) {
                    problems.append("date:\(value) is not a range of dates; use date:2012-12-17..2012-12-23")
                }
            } else if let (from, to) = Self.period(value) {
                dateFrom = from
                dateTo = to
            } else if !value.isEmpty, !Self.beingTyped(value), !(value.hasSuffix(".") && Self.period(String(value.dropLast())) != nil) {
                problems.append("date:\(value) is not a date; use date:2012, date:2012-12, date:2012-12-20 or date:2012-12-17..2012-12-23")
            }
        default:
            problems.append("'\(name):' is not a search term; use author:, country:, tag:, date:, is:unread or is:starred")
        }
    }

    /// A year, month or day (UTC) as the seconds it starts and ends at.
    static func period(_ text: String) -> (Double, Double)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count == 2 }),
              let year = Int(parts[0]), (1970...9998).contains(year) else { return nil }
        let month = parts.count > 1 ? Int(parts[1]) : nil
        let day = parts.count > 2 ? Int(parts[2]) : nil
        if parts.count > 1, !(1...12).contains(month ?? 0) { return nil }
        if parts.count > 2, !(1...31).contains(day ?? 0) { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let start = calendar.date(from: DateComponents(year: year, month: month ?? 1, day: day ?? 1)),
              calendar.component(.month, from: start) == (month ?? 1),
              let end = calendar.date(byAdding: day != nil ? .day : month != nil ? .month : .year, value: 1, to: start) else { return nil }
        return (start.timeIntervalSince1970, end.timeIntervalSince1970)
    }

    /// A date not finished yet ("201", "2012-1"): no complaint while it is typed.
    static func beingTyped(_ text: String) -> Bool {
        let shape = "0000-00-00"
        let fits = text.count < shape.count && text.enumerated().allSatisfy { index, c in
            let wanted = shape[shape.index(shape.startIndex, offsetBy: index)]
            return wanted == "-" ? c == "-" : c.isASCII && c.isNumber
        }
        // A whole month that is none (13) will not become one.
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if fits, parts.count > 1, parts[1].count == 2, !(1...12).contains(Int(parts[1]) ?? 0) { return false }
        return fits
    }

    /// Nothing to search for yet.
    public var isEmpty: Bool { terms.isEmpty && !hasFilters }
    public var hasFilters: Bool { author != nil || country != nil || tag != nil || unreadOnly || starredOnly || dateFrom != nil }
    /// Filters that only posts have: comments and members are left out of the results.
    public var hasPostOnlyFilters: Bool { tag != nil || starredOnly }

    /// The words as a full-text (FTS5) query: each term quoted, the one being typed a prefix.
    public var fts: String? { fts(expand: { _ in nil }) }

    /// The same, with a word being typed (one word of 4 letters or more) replaced by the words
    /// it begins when `expand` knows them: `("internet" OR "internal")` is read lazily in the
    /// index's order, where `"inter"*` gathers every match of every such word first.
    func fts(expand: (String) -> [String]?) -> String? {
        guard !terms.isEmpty else { return nil }
        func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return terms.map { term in
            if term.isPrefix, term.tokens.count == 1, term.tokens[0].count >= 4, let words = expand(term.tokens[0]), !words.isEmpty {
                return "(" + words.map(quoted).joined(separator: " OR ") + ")"
            }
            return quoted(term.tokens.joined(separator: " ")) + (term.isPrefix ? "*" : "")
        }.joined(separator: " AND ")
    }

    /// A name as an FTS5 query on one column, every word a prefix: "xu jin" -> name : ("xu"* "jin"*).
    static func ftsPrefix(_ folded: String, column: String) -> String? {
        let tokens = SearchText.tokens(folded)
        guard !tokens.isEmpty else { return nil }
        return "\(column) : (" + tokens.map { "\"" + $0 + "\"*" }.joined(separator: " ") + ")"
    }

    /// Whether folded text (`SearchText.fold`) holds every term, each as consecutive tokens.
    public func matches(folded text: String) -> Bool {
        Self.matches(terms, tokens: SearchText.tokens(text))
    }

    static func matches(_ terms: [Term], tokens: [Substring]) -> Bool {
        terms.allSatisfy { term in
            tokens.indices.contains { start in
                guard start + term.tokens.count <= tokens.count else { return false }
                for (offset, part) in term.tokens.enumerated() {
                    let token = tokens[start + offset]
                    let last = offset == term.tokens.count - 1
                    if last && term.isPrefix ? !token.hasPrefix(part) : token != part { return false }
                }
                return true
            }
        }
    }

    /// Whether a name matches a filter value (folded): each of its words begins a word of the name.
    static func nameMatches(_ value: String, _ name: String) -> Bool {
        let tokens = SearchText.tokens(SearchText.fold(name))
        return SearchText.tokens(value).allSatisfy { wanted in tokens.contains { $0.hasPrefix(wanted) } }
    }

    /// Where in `text` the query's words are, for highlighting: ranges of whole tokens that a
    /// term's token equals (or begins, for the word being typed).
    public func highlights(in text: String) -> [Range<String.Index>] {
        let all = terms.flatMap { term in term.tokens.enumerated().map { ($0.element, term.isPrefix && $0.offset == term.tokens.count - 1) } }
        guard !all.isEmpty else { return [] }
        var ranges: [Range<String.Index>] = []
        var i = text.startIndex
        while i < text.endIndex {
            guard Self.isTokenCharacter(text[i]) else { i = text.index(after: i); continue }
            var end = i
            while end < text.endIndex, Self.isTokenCharacter(text[end]) { end = text.index(after: end) }
            let word = text[i..<end]
            let folded = SearchText.fold(String(word))
            let pieces = SearchText.tokens(folded)
            // CJK runs fold into one token per character: highlight the characters that match.
            if pieces.count > 1, word.count == pieces.count {
                for (offset, piece) in pieces.enumerated() where all.contains(where: { piece == $0.0 }) {
                    let start = word.index(word.startIndex, offsetBy: offset)
                    ranges.append(start..<word.index(after: start))
                }
            } else if let token = pieces.first,
                      all.contains(where: { $0.1 ? token.hasPrefix($0.0) : token == $0.0 }) {
                ranges.append(i..<end)
            }
            i = end
        }
        return ranges
    }

    static func isTokenCharacter(_ c: Character) -> Bool {
        c.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }
}
