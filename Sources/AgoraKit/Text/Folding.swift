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
            // The letters folding leaves as they are, spelled out; one pass over the scalars
            // (eight of Foundation's replacements, through NSString, were most of a forum
            // member's import when their location was in Cyrillic).
            var out = String.UnicodeScalarView()
            for scalar in folded.unicodeScalars {
                switch scalar {
                case "ß": out.append(contentsOf: "ss".unicodeScalars)
                case "æ": out.append(contentsOf: "ae".unicodeScalars)
                case "œ": out.append(contentsOf: "oe".unicodeScalars)
                case "ø": out.append("o")
                case "đ": out.append("d")
                case "ł": out.append("l")
                case "ı": out.append("i")
                case "\u{2019}": out.append("'")
                default: out.append(scalar)
                }
            }
            folded = String(out)
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
