extension UnsafeBufferPointer<UInt8> {
    /// Where `needle` next starts at or after `from`, comparing bytes (no Unicode rules, no
    /// Foundation): the search a body or a header is given many times over in an import.
    func firstIndex(ofBytes needle: [UInt8], from: Int = 0) -> Int? {
        guard let first = needle.first else { return from <= count ? from : nil }
        guard count >= needle.count else { return nil }
        var i = from
        let last = count - needle.count
        while i <= last {
            if self[i] == first {
                var j = 1
                while j < needle.count, self[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}

/// A text changed in a few places, on its bytes: copied as it is up to each change, and made at
/// all only when something changes (the common case, nothing to change, costs no copy). Links
/// made whole, quotes given their names and avatars sized all rewrite this way.
struct BytesRewrite {
    let source: UnsafeBufferPointer<UInt8>
    private var out: [UInt8] = []
    private var copied = 0  // source[..<copied] is in out
    private var changed = false

    init(_ source: UnsafeBufferPointer<UInt8>) { self.source = source }

    /// `source[range]` becomes `bytes` (an empty range inserts them); ranges come in order.
    mutating func replace(_ range: Range<Int>, with bytes: some Sequence<UInt8>) {
        if !changed {
            out.reserveCapacity(source.count + 256)
            changed = true
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: source[copied..<range.lowerBound]))
        out.append(contentsOf: bytes)
        copied = range.upperBound
    }

    /// The text with its changes, or nil when nothing changed.
    mutating func result() -> String? {
        guard changed else { return nil }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: source[copied...]))
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// The text `rewrite` makes of this one's bytes, or this one itself when it changes nothing.
    func rewritten(_ rewrite: (inout BytesRewrite) -> Void) -> String {
        var text = self
        return text.withUTF8 { bytes in
            var rewriter = BytesRewrite(bytes)
            rewrite(&rewriter)
            return rewriter.result()
        } ?? self
    }
}
