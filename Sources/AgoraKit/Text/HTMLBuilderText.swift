import Foundation

// Text as HTML lays it out: ASCII whitespace collapsed to single spaces, a space kept in the
// style it was seen in.
extension Builder {
    mutating func appendText(_ raw: String) { text(raw) }

    mutating func text(_ raw: String) {
        var clean = Sanitizer.text(raw)
        if preformatted > 0 {
            append(clean, style: style)
            return
        }
        // HTML collapses ASCII whitespace only (a no-break space stays); those are single bytes,
        // so words are found on the bytes rather than grapheme clusters.
        // After the first word, the words and the single spaces between them are of one style
        // (unless it numbers a link, whose spaces are plain): gathered, and appended once.
        var run: [UInt8] = []
        let gather = !style.contains(.linkNumber)
        // A word of this call is in: the spaces after it are this call's style.
        var started = false
        clean.withUTF8 { bytes in
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C }
            var i = 0
            while i < bytes.count {
                if isSpace(bytes[i]) {
                    if !pendingSpace { pendingSpaceStyle = style.subtracting(.linkNumber) }
                    pendingSpace = true
                    i += 1
                    continue
                }
                var end = i
                while end < bytes.count, !isSpace(bytes[end]) { end += 1 }
                let word = UnsafeBufferPointer(rebasing: bytes[i..<end])
                if gather, started {
                    if pendingSpace { run.append(0x20) }
                    pendingSpace = false
                    run.append(contentsOf: word)
                } else {
                    inline(String(decoding: word, as: UTF8.self), style: style)
                    started = true
                }
                i = end
            }
        }
        if !run.isEmpty { append(String(decoding: run, as: UTF8.self), style: style) }
    }

    /// Appends a word, with the collapsed space before it when there was one.
    mutating func inline(_ word: String, style: RichText.Style) {
        if pendingSpace, hasText {
            append(" ", style: pendingSpaceStyle)
        }
        pendingSpace = false
        append(word, style: style)
    }

    var hasText: Bool {
        guard let last = spans.last else { return false }
        return !last.text.hasSuffix("\n")
    }
}
