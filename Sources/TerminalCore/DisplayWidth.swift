/// How many terminal columns text takes: 2 for East Asian wide and fullwidth characters and
/// emoji, 0 for combining marks and other zero-width characters, 1 for the rest.
///
/// A table of its own rather than libc's `wcwidth`, which answers -1 for everything non-ASCII
/// under the C locale and differs between systems.
public enum DisplayWidth {
    /// A string's width, without generics (wrapping asks it of every word).
    public static func of(_ string: String) -> Int { of(string[...]) }

    /// A slice's width: most text is ASCII, one column a printable byte, no grapheme breaking needed.
    public static func of(_ string: Substring) -> Int {
        var ascii = 0
        for byte in string.utf8 {
            if byte >= 0x80 {
                var width = 0
                for character in string { width += of(character) }
                return width
            }
            if byte >= 0x20 && byte != 0x7F { ascii += 1 }
        }
        return ascii
    }

    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.isASCII { return first.value < 0x20 || first.value == 0x7F ? 0 : 1 }
        let base = of(first)
        // An emoji presentation selector or a skin tone makes a narrow base wide.
        if base == 1, scalars.count > 1,
           scalars.contains(where: { $0.value == 0xFE0F || (0x1F3FB...0x1F3FF).contains($0.value) }),
           first.properties.isEmoji {
            return 2
        }
        if base == 0, scalars.count > 1 {
            // A cluster that starts with a mark (a stray combining character): the widest part.
            return scalars.dropFirst().map(of).max() ?? 0
        }
        return base
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x7F { return v < 0x20 ? 0 : 1 }
        if v < 0xA0 { return 0 }
        // Quick answers for what screens are mostly made of: Latin letters before the combining
        // marks, dashes, quotes and ellipses, box drawing.
        if v < 0x0300 || (0x2010...0x2027).contains(v) || (0x2500...0x25FC).contains(v) { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if (0x1160...0x11FF).contains(v) || v == 0x200B { return 0 }  // Hangul medial vowels, ZWSP
        if isWide(v) { return 2 }
        if scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
        0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
        0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
        0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
        0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
        0x1F200...0x1F2FF, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB,
        0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    private static func isWide(_ v: UInt32) -> Bool {
        guard v >= 0x1100 else { return false }
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = wideRanges[mid]
            if v < range.lowerBound { high = mid - 1 } else if v > range.upperBound { low = mid + 1 } else { return true }
        }
        return false
    }

    /// Cuts text to at most `width` columns, ending with "…" when anything was cut.
    /// The end of the string that fits in `width` columns, behind an ellipsis when cut (a long
    /// query shows what is being typed).
    public static func tail(_ string: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if of(string) <= width { return string }
        var kept: [Character] = []
        var used = 1
        for character in string.reversed() {
            let w = of(String(character))
            if used + w > width { break }
            kept.append(character)
            used += w
        }
        return "…" + String(kept.reversed())
    }

    public static func truncate(_ string: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(string) <= width { return string }
        let room = width - of(ellipsis)
        guard room >= 0 else { return String(repeating: ".", count: width) }
        if string.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return String(decoding: string.utf8.prefix(room), as: UTF8.self) + ellipsis
        }
        var out = ""
        var used = 0
        for character in string {
            let w = of(character)
            if used + w > room { break }
            out.append(character)
            used += w
        }
        return out + ellipsis
    }

    /// Pads text with spaces to exactly `width` columns (cutting it first when it is wider).
    public static func pad(_ string: String, to width: Int, alignRight: Bool = false) -> String {
        let cut = truncate(string, to: width)
        let missing = width - of(cut)
        guard missing > 0 else { return cut }
        let fill = String(repeating: " ", count: missing)
        return alignRight ? fill + cut : cut + fill
    }
}
