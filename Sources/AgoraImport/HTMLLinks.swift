import Foundation

/// Links in HTML made absolute: `href` and `src` values relative to a base (a feed's xml:base or
/// address, a forum's address) become whole addresses, as a reader outside the page needs them.
/// Absolute addresses, fragments (`#top`) and other schemes (`mailto:`, `data:`) stay as they are.
enum HTMLLinks {
    static func absolute(_ html: String, base: URL) -> String {
        lazy var origin = Origin(base)  // worked out at the first link that needs it, once a body
        // One pass over the bytes: a body is copied as it is up to each `href=`/`src=` value,
        // only a value that changes is written anew, and a body with nothing to change is handed
        // back as it is (Foundation's substring search, one pass an attribute, was 40% of
        // importing a feed).
        return html.rewritten { rewrite in
            let bytes = rewrite.source
            let n = bytes.count
            var i = 0
            while i < n {
                // From one `=` to the next (memchr), and back over the name before it: most of a
                // body has no `=`, and was read byte by byte for an `h` or an `s`.
                guard let first = bytes.baseAddress, let found = memchr(first + i, Int32(UInt8(ascii: "=")), n - i) else { break }
                let equals = first.distance(to: found.assumingMemoryBound(to: UInt8.self))
                let named = (equals >= i + 4 && bytes[equals - 4] == UInt8(ascii: "h") && bytes[equals - 3] == UInt8(ascii: "r")
                             && bytes[equals - 2] == UInt8(ascii: "e") && bytes[equals - 1] == UInt8(ascii: "f"))
                    || (equals >= i + 3 && bytes[equals - 3] == UInt8(ascii: "s") && bytes[equals - 2] == UInt8(ascii: "r")
                        && bytes[equals - 1] == UInt8(ascii: "c"))
                guard named, equals + 1 < n else { i = equals + 1; continue }
                let open = equals + 1
                let quote = bytes[open]
                guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { i = open; continue }
                var end = open + 1
                while end < n, bytes[end] != quote { end += 1 }
                guard end < n else { break }
                let raw = UnsafeBufferPointer(rebasing: bytes[(open + 1)..<end])
                if !hasScheme(raw) {
                    let value = String(decoding: raw, as: UTF8.self)
                    let resolved = origin?.resolve(raw) ?? resolve(value, base: base)
                    if resolved != value { rewrite.replace((open + 1)..<end, with: resolved.utf8) }
                }
                i = end + 1
            }
        }
    }

    /// `scheme:` at the start (letters, digits, `+-.` before a colon): a whole address, or one
    /// of a scheme links are not resolved for (`mailto:`, `data:`).
    private static func hasScheme(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < value.count, value[i] == UInt8(ascii: " ") { i += 1 }
        guard i < value.count, (value[i] | 0x20) >= UInt8(ascii: "a"), (value[i] | 0x20) <= UInt8(ascii: "z") else { return false }
        while i < value.count {
            let c = value[i]
            if c == UInt8(ascii: ":") { return true }
            let letter = (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z")
            let digit = c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
            guard letter || digit || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") else { return false }
            i += 1
        }
        return false
    }

    /// A base's `scheme:` and `scheme://authority`, for the links a forum's posts are full of
    /// (`/u/sam`, `/t/slug/12/3`, `//cdn.host/img.png`), which are resolved by putting them
    /// after it. Foundation's resolution, the same answer for these, was a tenth of a forum's
    /// sync; anything else (a relative path, a dot segment, a byte a URL may not hold) still
    /// goes to it.
    struct Origin {
        var scheme: [UInt8]  // "https:"
        var authority: [UInt8]  // "https://host:port"

        init?(_ base: URL) {
            let whole = Array(base.absoluteString.utf8)
            guard let colon = whole.firstIndex(of: UInt8(ascii: ":")), colon > 0, whole.count > colon + 3,
                  whole[colon + 1] == UInt8(ascii: "/"), whole[colon + 2] == UInt8(ascii: "/") else { return nil }
            var end = colon + 3
            while end < whole.count, whole[end] != UInt8(ascii: "/"), whole[end] != UInt8(ascii: "?"), whole[end] != UInt8(ascii: "#") { end += 1 }
            guard end > colon + 3, whole[..<end].allSatisfy(Self.plain) else { return nil }
            scheme = Array(whole[...colon])
            authority = Array(whole[..<end])
        }

        /// The whole address for a value that starts at the root (`/…`) or at the authority
        /// (`//…`); nil for anything else.
        func resolve(_ value: UnsafeBufferPointer<UInt8>) -> String? {
            guard value.count >= 1, value[0] == UInt8(ascii: "/"), value.allSatisfy(Self.plain) else { return nil }
            let network = value.count >= 2 && value[1] == UInt8(ascii: "/")
            // A dot segment in the path ("/a/../b") is left to Foundation, which removes it.
            var i = 0
            while i < value.count, value[i] != UInt8(ascii: "?"), value[i] != UInt8(ascii: "#") {
                if value[i] == UInt8(ascii: "."), value[i - 1] == UInt8(ascii: "/") { return nil }
                i += 1
            }
            if network, value.count == 2 { return nil }
            var out = network ? scheme : authority
            out.append(contentsOf: value)
            return String(decoding: out, as: UTF8.self)
        }

        /// A byte a URL holds as it is: letters, digits, `-._~`, `!$'()*+,;=` and `:@/?#`. Not `&`
        /// (an attribute's `&amp;` is decoded around Foundation's resolution), `%`, space,
        /// controls, quotes, brackets or anything past ASCII.
        static func plain(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "$"),
                 UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","),
                 UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "/"), UInt8(ascii: "?"),
                 UInt8(ascii: "#"): true
            default: false
            }
        }
    }

    /// One address against a base; left as it is when it needs nothing or cannot be made whole.
    /// (On the bytes: a forum's sync resolves every mention and topic link of every reply, and
    /// Foundation's trimming and replacing through NSString were most of the cost.)
    static func resolve(_ value: String, base: URL?) -> String {
        guard let base else { return value }
        let bytes = Array(value.utf8)
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        guard start < end, bytes[start] != UInt8(ascii: "#") else { return value }
        // A scheme already: a colon before any slash or question mark.
        for byte in bytes[start..<end] {
            if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") { break }
            if byte == UInt8(ascii: ":") { return value }
        }
        let trimmed = String(decoding: bytes[start..<end], as: UTF8.self)
        // HTML entities in attribute values (&amp;) stay as they are around the resolution.
        let decoded = bytes[start..<end].contains(UInt8(ascii: "&")) ? trimmed.replacingOccurrences(of: "&amp;", with: "&") : trimmed
        guard let url = URL(string: decoded, relativeTo: base)?.absoluteURL else { return value }
        let whole = url.absoluteString
        return decoded == trimmed ? whole : whole.replacingOccurrences(of: "&", with: "&amp;")
    }
}
