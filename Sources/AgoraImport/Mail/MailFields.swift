import AgoraKit
import Foundation

/// Dates as mail writes them: RFC 5322 and the obsolete forms archives are full of (no weekday,
/// two-digit years, zone names, no zone, comments, asctime).
public enum MailDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let zones = ["gmt": 0, "ut": 0, "utc": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
                                "mst": -420, "mdt": -360, "pst": -480, "pdt": -420, "cet": 60, "cest": 120, "bst": 60,
                                "met": 60, "mest": 120, "eet": 120, "eest": 180, "jst": 540, "ist": 330]

    public static func parse(_ raw: String) -> Date? {
        // Comments go: "(CET)", "(GMT Standard Time)"; words in lower case, split at spaces and commas.
        var parts: [String] = []
        var word: [UInt8] = []
        var depth = 0
        for byte in raw.utf8 {
            if byte == 0x28 { depth += 1; continue }
            if byte == 0x29 { depth = max(0, depth - 1); continue }
            guard depth == 0 else { continue }
            if byte == 0x20 || byte == 0x2C || (byte >= 0x09 && byte <= 0x0D) {
                if !word.isEmpty { parts.append(String(decoding: word, as: UTF8.self)); word.removeAll(keepingCapacity: true) }
            } else {
                word.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            }
        }
        if !word.isEmpty { parts.append(String(decoding: word, as: UTF8.self)) }
        if let first = parts.first, first.count >= 3, months.firstIndex(of: String(first.prefix(3))) == nil, Int(first) == nil {
            parts.removeFirst()  // the weekday
        }
        // asctime: "Nov 1 11:19:12 2001" (after the weekday) -> "1 Nov 2001 11:19:12".
        if parts.count >= 4, months.contains(String(parts[0].prefix(3))), Int(parts[1]) != nil, parts[2].contains(":") {
            parts = [parts[1], parts[0], parts[3], parts[2]] + parts.dropFirst(4)
        }
        guard parts.count >= 4, let day = Int(parts[0]), (1...31).contains(day),
              let month = months.firstIndex(of: String(parts[1].prefix(3))), var year = Int(parts[2]) else { return nil }
        if parts[2].count <= 2 { year += year < 50 ? 2000 : 1900 } else if parts[2].count == 3 { year += 1900 }
        let clock = parts[3].split(separator: ":").compactMap { Int($0) }
        guard clock.count >= 2, (0...23).contains(clock[0]), (0...59).contains(clock[1]) else { return nil }
        let second = clock.count >= 3 ? min(clock[2], 60) : 0
        var offset = 0
        if parts.count >= 5 {
            let zone = parts[4]
            if let sign = zone.first, sign == "+" || sign == "-", let value = Int(zone.dropFirst()), zone.count == 5 {
                offset = (value / 100) * 60 + value % 100
                if sign == "-" { offset = -offset }
            } else if let known = zones[zone] {
                offset = known
            }
        }
        return CivilTime.date(year: year, month: month, day: day, hour: clock[0], minute: clock[1], second: second, offsetMinutes: offset)
    }
}

/// A sender as a message names them: a name and an address, in any of the forms archives use.
public struct MailAddress: Sendable, Equatable {
    public var name: String?
    /// In lower case, `user at host` written back as `user@host`.
    public var address: String?
    /// "NAME via LIST": the list rewrote the sender; the real address is elsewhere.
    public var viaList = false

    public init(name: String?, address: String?, viaList: Bool = false) {
        self.name = name
        self.address = address
        self.viaList = viaList
    }

    /// `Name <user@host>`, `"Last, First" <user@host>`, `user@host (Name)`, `user at host (Name)`,
    /// `"Last, First"   user@HOST` (LISTSERV), a bare address.
    public static func parse(_ raw: String) -> MailAddress {
        var text = raw.spacesTrimmed
        var name: String?
        var address: String?
        if let open = text.utf8.lastIndex(of: 0x3C), let close = text.utf8[open...].firstIndex(of: 0x3E) {
            address = String(text[text.index(after: open)..<close])
            name = String(text[..<open])
        } else if let open = text.utf8.firstIndex(of: 0x28), let close = text.utf8.lastIndex(of: 0x29), open < close {
            name = String(text[text.index(after: open)..<close])
            address = String(text[..<open])
        } else {
            if text.containsBytes(" at ") { text = text.replacingOccurrences(of: " at ", with: "@") }
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let last = words.last, last.utf8.contains(0x40) {
                address = String(last)
                name = words.dropLast().joined(separator: " ")
            } else {
                name = text
            }
        }
        var cleanName = name.map(Self.cleanName)
        var via = false
        if let named = cleanName, named.containsBytes(" via "), let range = named.range(of: " via ", options: .backwards) {
            cleanName = String(named[..<range.lowerBound])
            via = true
        }
        return MailAddress(name: cleanName?.isEmpty == false ? cleanName : nil, address: address.flatMap(Self.cleanAddress), viaList: via)
    }

    private static func cleanName(_ raw: String) -> String {
        var name = raw.spacesTrimmed
        if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
        if name.hasPrefix("'"), name.hasSuffix("'"), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
        if name.containsBytes("\\\"") { name = name.replacingOccurrences(of: "\\\"", with: "\"") }
        return Sanitizer.line(name).spacesTrimmed
    }

    /// Lower case, `at` written back, a truncated end (`user@host....`) dropped; nil for no address.
    private static func cleanAddress(_ raw: String) -> String? {
        let edge: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }
        guard let first = raw.utf8.firstIndex(where: { !edge($0) }), let last = raw.utf8.lastIndex(where: { !edge($0) }) else { return nil }
        var address = String(raw[first...last])
        if address.containsBytes(" at ") { address = address.replacingOccurrences(of: " at ", with: "@") }
        while address.hasSuffix(".") { address.removeLast() }
        address = address.lowercased()
        guard let at = address.firstIndex(of: "@"), at > address.startIndex, address.index(after: at) < address.endIndex,
              !address.utf8.contains(where: { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }),
              address.utf8.allSatisfy({ $0 < 0x80 }) || !address.contains(where: \.isWhitespace) else { return nil }
        return address
    }

    /// A name as people are matched by: accents and case folded, "Last, First" turned round,
    /// the words in order of their letters, parentheses left out.
    public static func nameKey(_ name: String) -> String {
        var text = name
        if let comma = text.firstIndex(of: ","), !text[text.index(after: comma)...].contains(",") {
            text = String(text[text.index(after: comma)...]) + " " + String(text[..<comma])
        }
        var plain = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 } else if character == ")" { depth = max(0, depth - 1) } else if depth == 0 { plain.append(character) }
        }
        let words = Folding.key(plain).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init).filter { !$0.isEmpty }
        return words.sorted().joined(separator: " ")
    }
}
