import Foundation

/// Folds text for matching and sorting: case, accents and a few letters that are written two
/// ways ("ß" and "ss"), so that "marilia" matches "Marília" and "MARILIA".
public enum Folding {
    public static func key(_ string: String) -> String {
        // Most keys are ASCII: lower case and single spaces, on the bytes.
        if string.utf8.allSatisfy({ $0 < 0x80 }) {
            var out = [UInt8]()
            out.reserveCapacity(string.utf8.count)
            var space = false
            for byte in string.utf8 {
                if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                    space = !out.isEmpty
                    continue
                }
                if space { out.append(0x20) }
                space = false
                out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            }
            return String(decoding: out, as: UTF8.self)
        }
        var folded = string.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        if folded.unicodeScalars.contains(where: { !$0.isASCII }) {
            folded = folded
                .replacingOccurrences(of: "ß", with: "ss")
                .replacingOccurrences(of: "æ", with: "ae")
                .replacingOccurrences(of: "œ", with: "oe")
                .replacingOccurrences(of: "ø", with: "o")
                .replacingOccurrences(of: "đ", with: "d")
                .replacingOccurrences(of: "ł", with: "l")
                .replacingOccurrences(of: "ı", with: "i")
                .replacingOccurrences(of: "\u{2019}", with: "'")
        }
        return folded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// A lowercase ASCII slug for ids derived from names: "Marília Maciel" -> "marilia-maciel".
    public static func slug(_ string: String) -> String {
        var out = ""
        var dash = false
        for scalar in key(string).unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if dash, !out.isEmpty { out.append("-") }
                dash = false
                out.unicodeScalars.append(scalar)
            } else {
                dash = true
            }
        }
        return out
    }
}
