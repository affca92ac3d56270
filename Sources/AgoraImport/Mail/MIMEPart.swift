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
            var current = ""
            var quoted = false
            for character in value {
                if character == "\"" { quoted.toggle() }
                if character == ";", !quoted {
                    out.append(current)
                    current = ""
                } else {
                    current.append(character)
                }
            }
            out.append(current)
            return out.map(\.spacesTrimmed).filter { !$0.isEmpty }
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
            let text = String(decoding: body, as: UTF8.self).filter { !$0.isWhitespace }
            let padded = text + String(repeating: "=", count: (4 - text.count % 4) % 4)
            return [UInt8](Data(base64Encoded: padded) ?? Data())
        default: return [UInt8](body)
        }
    }

    /// The part's text, in its charset; flowed text joined.
    var text: String {
        let type = contentType
        var text = Charsets.decode(decoded, charset: type.parameters["charset"])
        if text.utf8.contains(0x0D) { text = text.replacingOccurrences(of: "\r\n", with: "\n") }
        if type.parameters["format"]?.lowercased() == "flowed" {
            text = Self.unflowed(text, deleteSpace: type.parameters["delsp"]?.lowercased() == "yes")
        }
        return text
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
        var out: [String] = []
        var pending: String?
        var pendingDepth = 0
        for raw in MailText.lines(text) {
            var line = Substring(raw)
            let depth = line.prefix { $0 == ">" }.count
            line = line.dropFirst(depth)
            if line.hasPrefix(" ") { line = line.dropFirst() }
            let isSignature = line == "-- "
            let quote = String(repeating: ">", count: depth) + (depth > 0 ? " " : "")
            if let carried = pending, pendingDepth == depth {
                pending = carried + line
            } else {
                if let carried = pending { out.append(carried) }
                pending = quote + line
                pendingDepth = depth
            }
            if isSignature || !line.hasSuffix(" ") {
                out.append(pending ?? "")
                pending = nil
            } else if deleteSpace, var carried = pending {
                carried.removeLast()
                pending = carried
            }
        }
        if let carried = pending { out.append(carried) }
        return out.joined(separator: "\n")
    }
}
