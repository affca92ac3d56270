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
