import AgoraKit
import Foundation

/// One message read: its headers unfolded (names in lower case), encoded words decoded, its
/// body as text (transfer encoding and charset undone, the text part of a multipart chosen),
/// its attachments listed.
public struct MailMessage: Sendable, Equatable {
    public var headers: [(name: String, value: String)]
    /// The body as text (plain), or as HTML when the message had only an HTML part.
    public var body: String
    public var bodyIsHTML = false
    public var attachments: [Attachment] = []

    public struct Attachment: Sendable, Equatable {
        public var name: String
        public var type: String
        public var size: Int?
        /// Where it is, for an archive that scrubbed it to a link (pipermail).
        public var url: String?

        public init(name: String, type: String, size: Int? = nil, url: String? = nil) {
            self.name = name
            self.type = type
            self.size = size
            self.url = url
        }
    }

    public static func == (a: MailMessage, b: MailMessage) -> Bool {
        a.headers.elementsEqual(b.headers) { $0.name == $1.name && $0.value == $1.value } && a.body == b.body
            && a.bodyIsHTML == b.bodyIsHTML && a.attachments == b.attachments
    }

    /// The first header of that name (in lower case), decoded.
    public func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

    public init(headers: [(name: String, value: String)], body: String) {
        self.headers = headers
        self.body = body
    }

    /// Reads a message's bytes (as an mbox holds it, without the envelope line).
    /// `headers: false` leaves the headers out (only the body is wanted: the import has read them before).
    public static func parse(_ data: Data, headers keepHeaders: Bool = true) -> MailMessage {
        let (rawHeaders, bodyStart) = headerBlock(data)
        let headers = keepHeaders ? rawHeaders.map { (name: $0.name, value: EncodedWords.decode($0.value)) } : []
        var message = MailMessage(headers: headers, body: "")
        // A slice, not a copy: the part reads its body through its own indices.
        let part = MIMEPart(headers: rawHeaders, body: data[(data.startIndex + bodyStart)...])
        let (text, isHTML, attachments) = part.readable()
        message.body = text
        message.bodyIsHTML = isHTML
        message.attachments = attachments + Self.scrubbed(&message.body)
        return message
    }

    /// Only the headers (encoded words decoded): what an import needs of a message before its
    /// body's turn comes.
    static func headersOnly(_ data: Data) -> MailMessage {
        MailMessage(headers: headerBlock(data).headers.map { (name: $0.name, value: EncodedWords.decode($0.value)) }, body: "")
    }

    /// The header block, unfolded (values as raw text), and the body's bytes.
    static func split(_ data: Data) -> ([(name: String, value: String)], Data) {
        let (headers, bodyStart) = headerBlock(data)
        // Offsets into the bytes: `data` may be a slice of a larger file, whose indices do not start at 0.
        return (headers, bodyStart < data.count ? Data(data.dropFirst(bodyStart)) : Data())
    }

    /// The header block, unfolded (values as raw text), and where the body begins.
    static func headerBlock(_ data: Data) -> (headers: [(name: String, value: String)], bodyStart: Int) {
        var headers: [(name: String, value: String)] = []
        var bodyStart = data.count
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            /// The bytes from..<to without spaces and tabs at either end, as text.
            func trimmed(_ from: Int, _ to: Int) -> String {
                var start = from, end = to
                while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
                while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
                return text(UnsafeBufferPointer(rebasing: bytes[start..<end]))
            }
            var i = 0
            while i < bytes.count {
                let end = Mbox.lineEnd(bytes, from: i)
                var lineEnd = end
                if lineEnd > i, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let next = min(bytes.count, end + 1)
                if lineEnd == i {
                    bodyStart = next
                    return
                }
                if bytes[i] == 0x20 || bytes[i] == 0x09 {
                    // A folded line continues the header above it.
                    if !headers.isEmpty { headers[headers.count - 1].value += " " + trimmed(i, lineEnd) }
                    i = next
                    continue
                }
                // A name of printable ASCII without spaces, then a colon.
                var colon = i
                while colon < lineEnd, bytes[colon] > 0x20, bytes[colon] < 0x7F, bytes[colon] != 0x3A { colon += 1 }
                guard colon > i, colon < lineEnd, bytes[colon] == 0x3A else {
                    // Not a header: the body begins here (a message with no blank line after its headers).
                    bodyStart = i
                    return
                }
                let name = String(unsafeUninitializedCapacity: colon - i) { out in
                    for k in i..<colon { out[k - i] = bytes[k] >= 0x41 && bytes[k] <= 0x5A ? bytes[k] | 0x20 : bytes[k] }
                    return colon - i
                }
                headers.append((name, trimmed(colon + 1, lineEnd)))
                i = next
            }
        }
        return (headers, bodyStart)
    }

    /// Header text: UTF-8, else Latin-1 (raw 8-bit headers occur).
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }

    /// Pipermail's scrubbed parts ("-------------- next part --------------", then the URL):
    /// taken out of the body and listed as attachments with their address.
    static func scrubbed(_ body: inout String) -> [Attachment] {
        let marker = "-------------- next part --------------"
        guard body.containsBytes(marker) else { return [] }
        var attachments: [Attachment] = []
        let pieces = body.components(separatedBy: marker)
        for piece in pieces.dropFirst() {
            let lines = piece.split(separator: "\n", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
            let kind = lines.first { $0.hasPrefix("A ") || $0.hasPrefix("An ") }.map { $0.replacingOccurrences(of: " was scrubbed...", with: "") }
            let url = lines.first { $0.hasPrefix("URL:") }.map { $0.dropFirst(4).trimmingCharacters(in: CharacterSet(charactersIn: " <>")) }
            guard let url else { continue }
            let name = kind.map { String($0.split(separator: " ").dropFirst().joined(separator: " ")) } ?? "attachment"
            attachments.append(Attachment(name: name.isEmpty ? "attachment" : name, type: name.lowercased().contains("html") ? "text/html" : "", url: url))
        }
        body = pieces[0]
        return attachments
    }
}

/// RFC 2047 encoded words in header text: `=?utf-8?q?Toftg=C3=A5rd?=`, `=?ISO-8859-1?B?...?=`;
/// adjacent encoded words join without the space between them.
public enum EncodedWords {
    public static func decode(_ text: String) -> String {
        guard text.containsBytes("=?") else { return text }
        var out = ""
        var rest = Substring(text)
        var lastWasEncoded = false
        while let start = rest.range(of: "=?") {
            let before = rest[..<start.lowerBound]
            guard let (decoded, after) = word(rest[start.lowerBound...]) else {
                out += before + "=?"
                rest = rest[start.upperBound...]
                lastWasEncoded = false
                continue
            }
            // White space between two encoded words is dropped.
            if !(lastWasEncoded && before.allSatisfy(\.isWhitespace)) { out += before }
            out += decoded
            rest = after
            lastWasEncoded = true
        }
        return out + rest
    }

    /// One encoded word at the start of `text`, decoded, and what follows it.
    private static func word(_ text: Substring) -> (String, Substring)? {
        let parts = text.dropFirst(2).split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[3].hasPrefix("="), parts[0].count < 40 else { return nil }
        let charset = parts[0].split(separator: "*").first.map(String.init) ?? ""
        let encoding = parts[1].lowercased()
        let payload = parts[2]
        let bytes: [UInt8]
        switch encoding {
        case "b": bytes = [UInt8](Data(base64Encoded: padded(String(payload))) ?? Data())
        case "q": bytes = QuotedPrintable.decode(Array(payload.utf8), underscoreIsSpace: true)
        default: return nil
        }
        let consumed = 2 + parts[0].count + 1 + parts[1].count + 1 + payload.count + 2
        return (Charsets.decode(bytes, charset: charset), text.dropFirst(consumed))
    }

    private static func padded(_ base64: String) -> String {
        let trimmed = base64.filter { !$0.isWhitespace }
        return trimmed + String(repeating: "=", count: (4 - trimmed.count % 4) % 4)
    }
}

/// Quoted-printable (RFC 2045): `=XX` bytes, soft line breaks (`=` at a line's end).
public enum QuotedPrintable {
    public static func decode(_ bytes: [UInt8], underscoreIsSpace: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x37
            case 0x61...0x66: b - 0x57
            default: nil
            }
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x3D {
                if i + 2 < bytes.count || i + 2 == bytes.count {
                    if i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 2; continue }
                    if i + 2 < bytes.count, bytes[i + 1] == 0x0D, bytes[i + 2] == 0x0A { i += 3; continue }
                    if i + 2 < bytes.count, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2]) {
                        out.append(high << 4 | low)
                        i += 3
                        continue
                    }
                }
                if i + 1 == bytes.count { break }
                out.append(b)
            } else if underscoreIsSpace, b == 0x5F {
                out.append(0x20)
            } else {
                out.append(b)
            }
            i += 1
        }
        return out
    }
}
