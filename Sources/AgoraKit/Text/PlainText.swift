/// A fast, forgiving HTML-to-text pass for search indexes: tags dropped, scripts and styles
/// skipped, entities decoded, whitespace collapsed. Importing 100,000 bodies must not wait on a
/// full parse of each; what a reader sees comes from `HTMLRenderer`.
public enum PlainText {
    public static func fromHTML(_ html: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(html.utf8.count)
        var space = false
        html.utf8.withContiguousStorageIfAvailable { bytes in
            scan(bytes, into: &out, space: &space)
        } ?? {
            let copy = Array(html.utf8)
            copy.withUnsafeBufferPointer { scan($0, into: &out, space: &space) }
        }()
        return Sanitizer.line(String(decoding: out, as: UTF8.self))
    }

    private static func scan(_ b: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], space: inout Bool) {
        var i = 0
        let n = b.count
        func emitSpace() { if !out.isEmpty { space = true } }
        func emit(_ byte: UInt8) {
            if space { out.append(0x20); space = false }
            out.append(byte)
        }
        while i < n {
            let c = b[i]
            switch c {
            case UInt8(ascii: "<"):
                // A tag, a comment or a declaration.
                if i + 3 < n, b[i + 1] == UInt8(ascii: "!"), b[i + 2] == UInt8(ascii: "-"), b[i + 3] == UInt8(ascii: "-") {
                    i = find(b, "-->", from: i + 4).map { $0 + 3 } ?? n
                    continue
                }
                var j = i + 1
                var quote: UInt8 = 0
                while j < n {
                    let d = b[j]
                    if quote != 0 { if d == quote { quote = 0 } }
                    else if d == UInt8(ascii: "\"") || d == UInt8(ascii: "'") { quote = d }
                    else if d == UInt8(ascii: ">") { break }
                    j += 1
                }
                let name = tagName(b, from: i + 1, to: j)
                if !inlineTags.contains(name) { emitSpace() }
                i = j + 1
                if name == "script" || name == "style" {
                    i = findClosing(b, name: name, from: i) ?? n
                }
            case UInt8(ascii: "&"):
                if let (scalar, end) = entity(b, at: i) {
                    if scalar == " " || scalar == "\u{00A0}" {
                        emitSpace()
                    } else {
                        for byte in String(scalar).utf8 { emit(byte) }
                    }
                    i = end
                } else {
                    emit(c)
                    i += 1
                }
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
                emitSpace()
                i += 1
            default:
                // A run of plain text goes over whole.
                var j = i + 1
                while j < n {
                    let d = b[j]
                    if d == UInt8(ascii: "<") || d == UInt8(ascii: "&") || d == 0x20 || d == 0x09 || d == 0x0A || d == 0x0D || d == 0x0C { break }
                    j += 1
                }
                if space { out.append(0x20); space = false }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<j]))
                i = j
            }
        }
    }

    private static func tagName(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> String {
        var j = start
        if j < end, b[j] == UInt8(ascii: "/") { j += 1 }  // a closing tag: the same name
        let start = j
        var name: [UInt8] = []
        while j < end, j - start < 10 {
            let d = b[j] | 0x20  // lower case for letters
            if d >= UInt8(ascii: "a") && d <= UInt8(ascii: "z") { name.append(d) } else { break }
            j += 1
        }
        return String(decoding: name, as: UTF8.self)
    }

    private static func find(_ b: UnsafeBufferPointer<UInt8>, _ needle: String, from start: Int) -> Int? {
        let n = Array(needle.utf8)
        guard b.count >= n.count else { return nil }
        var i = start
        while i + n.count <= b.count {
            if b[i] == n[0] {
                var k = 1
                while k < n.count, b[i + k] | 0x20 == n[k] | 0x20 { k += 1 }
                if k == n.count { return i }
            }
            i += 1
        }
        return nil
    }

    private static func findClosing(_ b: UnsafeBufferPointer<UInt8>, name: String, from start: Int) -> Int? {
        guard let at = find(b, "</" + name, from: start) else { return nil }
        var j = at
        while j < b.count, b[j] != UInt8(ascii: ">") { j += 1 }
        return j + 1
    }

    /// `&amp;`, `&#233;`, `&#xE9;` and the named entities content commonly uses.
    private static func entity(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> (Character, Int)? {
        var j = start + 1
        var name: [UInt8] = []
        while j < b.count, j - start <= 12, b[j] != UInt8(ascii: ";") {
            name.append(b[j])
            j += 1
        }
        guard j < b.count, b[j] == UInt8(ascii: ";"), !name.isEmpty else { return nil }
        let text = String(decoding: name, as: UTF8.self)
        if text.hasPrefix("#") {
            let digits = text.dropFirst()
            let value = digits.first == "x" || digits.first == "X"
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            guard let value, let scalar = Unicode.Scalar(value) else { return nil }
            return (Character(scalar), j + 1)
        }
        guard let character = named[text] else { return nil }
        return (character, j + 1)
    }

    /// Tags that do not break a word: "<b>M</b>arília" is one word.
    private static let inlineTags: Set<String> = [
        "a", "b", "strong", "i", "em", "u", "span", "font", "code", "small", "sup", "sub", "abbr",
        "cite", "mark", "s", "strike", "tt", "kbd", "samp", "var", "ins", "del", "q", "big",
    ]

    private static let named: [String: Character] = HTMLEntityNames.codes.merging(HTMLEntityNames.xml) { a, _ in a }
        .compactMapValues { Unicode.Scalar($0).map(Character.init) }
}
