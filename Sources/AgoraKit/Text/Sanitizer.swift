/// Makes text from content safe to show in a terminal.
///
/// Removes C0 and C1 control characters, whole escape sequences (CSI, OSC, DCS, SOS, PM, APC and
/// two-character ESC sequences, in their 7-bit and 8-bit forms) and bidi embeddings, overrides and
/// isolates, which can make text read differently from what it is (U+202E). Tabs and newlines
/// survive in `text`; `line` turns them into spaces for one-line fields.
public enum Sanitizer {
    /// For titles, names and other one-line fields.
    public static func line(_ string: String) -> String {
        clean(string, keepLayout: false)
    }

    /// For bodies: keeps newlines and tabs.
    public static func text(_ string: String) -> String {
        clean(string, keepLayout: true)
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

    /// The same test on UTF-8 bytes, without decoding: C0 is one byte, DEL is 7F, C1 is C2 80-9F,
    /// the bidi embeddings and overrides are E2 80 AA-AE, the isolates E2 81 A6-A9.
    private static func isClean(utf8 b: UnsafeBufferPointer<UInt8>, keepLayout: Bool) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c >= 0x20 && c < 0x7F { i += 1; continue }
            if c < 0x20 {
                if keepLayout && (c == 0x0A || c == 0x09) { i += 1; continue }
                return false
            }
            if c == 0x7F { return false }
            if c == 0xC2, i + 1 < n, b[i + 1] <= 0x9F { return false }
            if c == 0xE2, i + 2 < n {
                if b[i + 1] == 0x80, (0xAA...0xAE).contains(b[i + 2]) { return false }
                if b[i + 1] == 0x81, (0xA6...0xA9).contains(b[i + 2]) { return false }
            }
            i += 1
        }
        return true
    }

    private static func needsWork(_ v: UInt32, keepLayout: Bool) -> Bool {
        if v < 0x20 { return !(keepLayout && (v == 0x0A || v == 0x09)) }
        if v < 0x7F { return false }
        if v <= 0x9F { return true }
        return isBidiControl(v)
    }

    /// Embeddings, overrides and isolates. The marks (U+200E, U+200F, U+061C) are kept: Arabic and
    /// Hebrew text uses them and they cannot hide anything.
    static func isBidiControl(_ v: UInt32) -> Bool {
        (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    private static func clean(_ string: String, keepLayout: Bool) -> String {
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
            default:
                if v < 0x20 || (0x7F...0x9F).contains(v) || isBidiControl(v) {
                    i += 1
                } else {
                    out.append(scalars[i])
                    i += 1
                }
            }
        }
        return String(out)
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
