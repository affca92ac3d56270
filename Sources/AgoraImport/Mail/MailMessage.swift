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
    public static func parse(_ data: Data) -> MailMessage {
        let (rawHeaders, bodyBytes) = split(data)
        let headers = rawHeaders.map { (name: $0.name, value: EncodedWords.decode($0.value)) }
        var message = MailMessage(headers: headers, body: "")
        let part = MIMEPart(headers: rawHeaders, body: bodyBytes)
        let (text, isHTML, attachments) = part.readable()
        message.body = text
        message.bodyIsHTML = isHTML
        message.attachments = attachments + Self.scrubbed(&message.body)
        return message
    }

    /// The header block, unfolded (values as raw text), and the body's bytes.
    static func split(_ data: Data) -> ([(name: String, value: String)], Data) {
        var headers: [(name: String, value: String)] = []
        var bodyStart = data.count
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = 0
            while i < bytes.count {
                var end = i
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                var lineEnd = end
                if lineEnd > i, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let next = min(bytes.count, end + 1)
                if lineEnd == i {
                    bodyStart = next
                    return
                }
                let line = text(UnsafeBufferPointer(rebasing: bytes[i..<lineEnd]))
                if bytes[i] == 0x20 || bytes[i] == 0x09 {
                    // A folded line continues the header above it.
                    if !headers.isEmpty { headers[headers.count - 1].value += " " + line.spacesTrimmed }
                } else if let colon = line.firstIndex(of: ":"), colon > line.startIndex,
                          line[..<colon].unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) {
                    headers.append((String(line[..<colon]).lowercased(), line[line.index(after: colon)...].spacesTrimmed))
                } else {
                    // Not a header: the body begins here (a message with no blank line after its headers).
                    bodyStart = i
                    return
                }
                i = next
            }
        }
        // Offsets into the bytes: `data` may be a slice of a larger file, whose indices do not start at 0.
        return (headers, bodyStart < data.count ? Data(data.dropFirst(bodyStart)) : Data())
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
