/// Makes text from content safe to show in a terminal.
///
/// Removes C0 and C1 control characters, whole escape sequences (CSI, OSC, DCS, SOS, PM, APC and
/// two-character ESC sequences, in their 7-bit and 8-bit forms) and bidi embeddings, overrides and
/// isolates, which can make text read differently from what it is (U+202E). Tabs and newlines
/// survive in `text`; `line` turns them into spaces for one-line fields, and also drops what is
/// there but cannot be seen (zero-width spaces, the bidi marks, the word joiner, Hangul fillers,
/// a byte-order mark ...), which would let two names or ids that look the same differ; a
/// zero-width joiner or non-joiner stays only between two letters or symbols it can join (emoji
/// sequences, Persian and Indic words). `identifier` drops those too.
public enum Sanitizer {
    /// For titles, names and other one-line fields.
    public static func line(_ string: String) -> String {
        clean(string, keepLayout: false, joiners: true)
    }

    /// For bodies: keeps newlines and tabs.
    public static func text(_ string: String) -> String {
        clean(string, keepLayout: true, joiners: true)
    }

    /// For ids and references to them: one line, nothing invisible, no spaces around it.
    public static func identifier(_ string: String) -> String {
        clean(string, keepLayout: false, joiners: false).trimmed  // one line already: no newline to trim
    }

    /// True when `line` would change nothing: the common case, checked without allocating.
    static func isClean(_ string: String, keepLayout: Bool) -> Bool {
        if let clean = string.utf8.withContiguousStorageIfAvailable({ isClean(utf8: $0, keepLayout: keepLayout) }) {
            return clean
        }
        for scalar in string.unicodeScalars where needsWork(scalar.value, keepLayout: keepLayout) {
            return false
        }
        return true
    }

    /// The same test on UTF-8 bytes: ASCII is looked at byte by byte; of the rest only the
    /// scalars whose first byte can begin one that needs work are decoded (C1 and the soft
    /// hyphen C2, U+034F CD, U+061C D8, U+1xxx E1, U+2xxx E2, U+3164 E3, U+FExx-FFxx EF,
    /// U+E0001 F3), so text in other scripts costs one comparison a scalar.
    private static func isClean(utf8 b: UnsafeBufferPointer<UInt8>, keepLayout: Bool) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c >= 0x20 && c < 0x7F { i += 1; continue }
            if c < 0x80 {
                if keepLayout && (c == 0x0A || c == 0x09) { i += 1; continue }
                return false
            }
            // A multi-byte scalar (the string is valid UTF-8).
            let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
            guard c == 0xC2 || c == 0xCD || c == 0xD8 || (c >= 0xE1 && c <= 0xE3) || c == 0xEF || c == 0xF3 else {
                i += length
                continue
            }
            guard i + length <= n else { return false }
            var v = UInt32(c) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for k in 1..<length { v = v << 6 | UInt32(b[i + k] & 0x3F) }
            if needsWork(v, keepLayout: keepLayout) { return false }
            i += length
        }
        return true
    }

    private static func needsWork(_ v: UInt32, keepLayout: Bool) -> Bool {
        if v < 0x20 { return !(keepLayout && (v == 0x0A || v == 0x09)) }
        if v < 0x7F { return false }
        if v <= 0x9F { return true }
        return isBidiControl(v) || (!keepLayout && (isInvisible(v) || isJoiner(v)))
    }

    /// Embeddings, overrides and isolates: dropped everywhere.
    public static func isBidiControl(_ v: UInt32) -> Bool {
        (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// What takes no room and shows nothing, in one-line fields: the zero-width space, the bidi
    /// marks, the word joiner and invisible operators, the byte-order mark, the Mongolian vowel
    /// separator, Hangul and Khmer fillers, the grapheme joiner, the soft hyphen, the language tag,
    /// and the line and paragraph separators.
    public static func isInvisible(_ v: UInt32) -> Bool {
        switch v {
        case 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x200B, 0x200E, 0x200F,
             0x2028, 0x2029, 0x2060...0x2064, 0x3164, 0xFEFF, 0xFFA0, 0xE0001: true
        default: false
        }
    }

    /// Zero-width non-joiner and joiner.
    public static func isJoiner(_ v: UInt32) -> Bool { v == 0x200C || v == 0x200D }

    private static func clean(_ string: String, keepLayout: Bool, joiners: Bool) -> String {
        if isClean(string, keepLayout: keepLayout) { return string }
        let scalars = Array(string.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            let v = scalars[i].value
            switch v {
            case 0x1B:  // ESC
                i = skipEscape(scalars, from: i)
            case 0x9B:  // 8-bit CSI
                i = skipControlSequence(scalars, from: i + 1)
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F:  // 8-bit DCS, SOS, OSC, PM, APC
                i = skipString(scalars, from: i + 1, introducer: i)
            case 0x0A, 0x09:
                out.append(keepLayout ? scalars[i] : " ")
                i += 1
            case 0x0D:
                // CR LF becomes LF; a lone CR (which would move the cursor) becomes a line break.
                if i + 1 < scalars.count, scalars[i + 1].value == 0x0A {
                    i += 1
                } else {
                    out.append(keepLayout ? "\n" : " ")
                    i += 1
                }
            case 0x2028 where !keepLayout, 0x2029 where !keepLayout:
                out.append(" ")
                i += 1
            case 0x200C where !keepLayout, 0x200D where !keepLayout:
                // Kept between two letters or symbols it can join, when joiners may stay at all.
                if joiners, let before = out.last, i + 1 < scalars.count, canJoin(before), canJoin(scalars[i + 1]) {
                    out.append(scalars[i])
                }
                i += 1
            default:
                if v < 0x20 || (0x7F...0x9F).contains(v) || isBidiControl(v) || (!keepLayout && isInvisible(v)) {
                    i += 1
                } else {
                    out.append(scalars[i])
                    i += 1
                }
            }
        }
        return String(out)
    }

    /// Whether a joiner may stand next to this: a visible scalar beyond ASCII.
    private static func canJoin(_ s: Unicode.Scalar) -> Bool {
        s.value > 0x7F && !s.properties.isWhitespace && !isInvisible(s.value) && !isJoiner(s.value) && !isBidiControl(s.value)
    }

    /// ESC at `i`: skips the whole sequence it starts.
    private static func skipEscape(_ s: [Unicode.Scalar], from i: Int) -> Int {
        guard i + 1 < s.count else { return i + 1 }
        switch s[i + 1].value {
        case 0x5B: return skipControlSequence(s, from: i + 2)  // ESC [
        case 0x5D, 0x50, 0x58, 0x5E, 0x5F: return skipString(s, from: i + 2, introducer: i)  // ] P X ^ _
        case 0x20...0x2F:
            // ESC with intermediates, then a final character (e.g. ESC ( B).
            var j = i + 1
            while j < s.count, (0x20...0x2F).contains(s[j].value) { j += 1 }
            return j < s.count ? j + 1 : j
        case 0x30...0x7E: return i + 2  // ESC 7, ESC c ...
        default: return i + 1
        }
    }

    /// Parameters and intermediates (0x20-0x3F), then one final character (0x40-0x7E).
    private static func skipControlSequence(_ s: [Unicode.Scalar], from start: Int) -> Int {
        var j = start
        while j < s.count {
            let v = s[j].value
            if (0x40...0x7E).contains(v) { return j + 1 }
            if !(0x20...0x3F).contains(v) { return j }  // malformed: stop before the stray character
            j += 1
        }
        return j
    }

    /// A control string ends at BEL, ST (ESC \) or 8-bit ST. One that never ends loses only its
    /// introducer: the rest is shown as text rather than silently dropped.
    private static func skipString(_ s: [Unicode.Scalar], from start: Int, introducer: Int) -> Int {
        var j = start
        while j < s.count {
            let v = s[j].value
            if v == 0x07 || v == 0x9C { return j + 1 }
            if v == 0x1B, j + 1 < s.count, s[j + 1].value == 0x5C { return j + 2 }
            j += 1
        }
        return start
    }
}
