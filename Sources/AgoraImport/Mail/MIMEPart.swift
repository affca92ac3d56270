import AgoraKit
import Foundation

/// A MIME entity: headers and the bytes of its body. `readable()` finds what a person reads:
/// text/plain first, else HTML; the other parts of a `multipart/mixed` are attachments.
struct MIMEPart {
    var headers: [(name: String, value: String)]
    var body: Data

    /// `text/plain; charset="utf-8"; format=flowed` as its type and its parameters (the first
    /// of each name: LISTSERV repeats them).
    struct ContentType {
        var type = "text/plain"
        var parameters: [String: String] = [:]

        init(_ value: String?) {
            guard let value else { return }
            var pieces = Self.pieces(value)
            if let first = pieces.first, !first.contains("=") {
                type = first.lowercased().spacesTrimmed
                pieces.removeFirst()
            }
            for piece in pieces {
                guard let equals = piece.firstIndex(of: "=") else { continue }
                let name = Substring(piece[..<equals]).spacesTrimmed.lowercased()
                var value = Substring(piece[piece.index(after: equals)...]).spacesTrimmed
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                if parameters[name] == nil { parameters[name] = value }
            }
            if type.isEmpty || !type.contains("/") { type = "text/plain" }
        }

        /// Split at semicolons outside quotes.
        private static func pieces(_ value: String) -> [String] {
            var out: [String] = []
            var start = value.utf8.startIndex
            var quoted = false
            for index in value.utf8.indices {
                let byte = value.utf8[index]
                if byte == 0x22 { quoted.toggle() }
                if byte == 0x3B, !quoted {
                    out.append(Substring(value[start..<index]).spacesTrimmed)
                    start = value.utf8.index(after: index)
                }
            }
            out.append(Substring(value[start...]).spacesTrimmed)
            return out.filter { !$0.isEmpty }
        }
    }

    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

    var contentType: ContentType { ContentType(header("content-type")) }

    /// The body with its transfer encoding undone.
    var decoded: [UInt8] {
        let encoding = (header("content-transfer-encoding") ?? "").lowercased().spacesTrimmed
        switch encoding {
        case "quoted-printable": return QuotedPrintable.decode([UInt8](body))
        case "base64":
            var text = body.filter { !($0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D)) }
            text.append(contentsOf: [UInt8](repeating: 0x3D, count: (4 - text.count % 4) % 4))
            return [UInt8](Data(base64Encoded: text) ?? Data())
        default: return [UInt8](body)
        }
    }

    /// The part's text, in its charset; flowed text joined.
    var text: String {
        let type = contentType
        var text = Charsets.decode(decoded, charset: type.parameters["charset"])
        if text.utf8.contains(0x0D) { text = Self.withoutCarriageReturns(text) }
        if type.parameters["format"]?.lowercased() == "flowed" {
            text = Self.unflowed(text, deleteSpace: type.parameters["delsp"]?.lowercased() == "yes")
        }
        return text
    }

    /// `\r\n` as `\n`, on the bytes.
    static func withoutCarriageReturns(_ text: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        var pending: UInt8?
        while let byte = iterator.next() {
            if let held = pending, !(held == 0x0D && byte == 0x0A) { out.append(held) }
            pending = byte
        }
        if let held = pending { out.append(held) }
        return String(decoding: out, as: UTF8.self)
    }

    /// What a person reads of it: the text, whether it is HTML, and the attachments.
    func readable(depth: Int = 0) -> (String, Bool, [MailMessage.Attachment]) {
        let type = contentType
        if type.type.hasPrefix("multipart/"), depth < 8, let boundary = type.parameters["boundary"], !boundary.isEmpty {
            let parts = Self.parts(of: body, boundary: boundary)
            guard !parts.isEmpty else { return (text, false, []) }
            if type.type == "multipart/alternative" {
                let chosen = parts.first { $0.contentType.type == "text/plain" } ?? parts.first { $0.contentType.type == "text/html" } ?? parts[0]
                return chosen.readable(depth: depth + 1)
            }
            // mixed, related, signed ...: the first readable part is the body, the rest attachments.
            var body: (String, Bool)?
            var attachments: [MailMessage.Attachment] = []
            for part in parts {
                let partType = part.contentType
                let disposition = (part.header("content-disposition") ?? "").lowercased()
                let isText = partType.type == "text/plain" || partType.type == "text/html" || partType.type.hasPrefix("multipart/")
                if body == nil, isText, !disposition.hasPrefix("attachment") {
                    let (text, html, inner) = part.readable(depth: depth + 1)
                    body = (text, html)
                    attachments += inner
                } else if partType.type != "application/pgp-signature" {
                    attachments.append(part.attachment)
                }
            }
            return (body?.0 ?? "", body?.1 ?? false, attachments)
        }
        return (text, type.type == "text/html", [])
    }

    /// An attachment's name (Content-Disposition's filename, else Content-Type's name), type and size.
    var attachment: MailMessage.Attachment {
        let type = contentType
        let disposition = ContentType("x/x; " + (header("content-disposition").map { $0.split(separator: ";", maxSplits: 1).dropFirst().joined() } ?? ""))
        let name = EncodedWords.decode(disposition.parameters["filename"] ?? type.parameters["name"] ?? "attachment")
        return MailMessage.Attachment(name: Sanitizer.line(name), type: type.type, size: decoded.count)
    }

    /// A multipart body's parts, between `--boundary` lines, up to `--boundary--`.
    static func parts(of body: Data, boundary: String) -> [MIMEPart] {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [MIMEPart] = []
        var current: Int?
        var lineStart = 0
        let bytes = [UInt8](body)
        while lineStart < bytes.count {
            var end = lineStart
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let line = bytes[lineStart..<end]
            if line.starts(with: delimiter) {
                let rest = line.dropFirst(delimiter.count)
                if let start = current {
                    // The line break before the delimiter belongs to the delimiter.
                    var stop = lineStart
                    if stop > start, bytes[stop - 1] == 0x0A { stop -= 1 }
                    if stop > start, bytes[stop - 1] == 0x0D { stop -= 1 }
                    let (headers, partBody) = MailMessage.split(Data(bytes[start..<max(start, stop)]))
                    parts.append(MIMEPart(headers: headers, body: partBody))
                }
                if rest.starts(with: [0x2D, 0x2D]) { return parts }
                current = min(bytes.count, end + 1)
            }
            lineStart = min(bytes.count, end + 1)
        }
        if let start = current, start < bytes.count {
            let (headers, partBody) = MailMessage.split(Data(bytes[start...]))
            parts.append(MIMEPart(headers: headers, body: partBody))
        }
        return parts
    }

    /// format=flowed (RFC 3676): a line ending in a space goes on in the next; a space that
    /// starts a line was added to protect it; quoted lines flow only with lines of their depth.
    static func unflowed(_ text: String, deleteSpace: Bool) -> String {
        var text = text
        let out = text.withUTF8 { bytes -> [UInt8] in
            var out = [UInt8]()
            out.reserveCapacity(bytes.count)
            // Whether a line is being joined (its start written), and its depth.
            var joining = false
            var joiningDepth = 0
            var first = true
            var start = 0
            while start <= bytes.count {
                let end = Mbox.lineEnd(bytes, from: start)
                var from = start
                while from < end, bytes[from] == 0x3E { from += 1 }
                let depth = from - start
                if from < end, bytes[from] == 0x20 { from += 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[from..<end])
                let isSignature = line.count == 3 && line[0] == 0x2D && line[1] == 0x2D && line[2] == 0x20
                if !(joining && joiningDepth == depth) {
                    // A new line: the one being joined (if any) ends, this one's quote marks begin it.
                    if !first { out.append(0x0A) }
                    first = false
                    out.append(contentsOf: repeatElement(0x3E, count: depth))
                    if depth > 0 { out.append(0x20) }
                    joiningDepth = depth
                }
                out.append(contentsOf: line)
                if isSignature || line.last != 0x20 {
                    joining = false
                } else {
                    joining = true
                    if deleteSpace { out.removeLast() }
                }
                start = end + 1
            }
            return out
        }
        return String(decoding: out, as: UTF8.self)
    }
}
