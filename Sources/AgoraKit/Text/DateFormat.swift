import Foundation

/// How dates look: a strftime-style pattern, in UTC. `%Y-%m-%d` gives 2012-12-20.
public struct DateFormat: Hashable, Sendable {
    public var pattern: String

    public static let standard = DateFormat(pattern: "%Y-%m-%d")
    /// What the pattern may use.
    public static let fields: [(Character, String)] = [
        ("Y", "year, 2012"), ("y", "year, 12"), ("m", "month, 01-12"), ("b", "month, Dec"), ("B", "month, December"),
        ("d", "day, 01-31"), ("e", "day, 1-31"), ("a", "weekday, Thu"), ("A", "weekday, Thursday"),
        ("H", "hour, 00-23"), ("M", "minute, 00-59"), ("%", "a % sign"),
    ]

    public init(pattern: String) { self.pattern = pattern }

    /// The first field the pattern uses that is not known, if any.
    public var unknownField: String? {
        var chars = pattern.makeIterator()
        while let c = chars.next() {
            guard c == "%" else { continue }
            guard let f = chars.next() else { return "%" }
            if !Self.fields.contains(where: { $0.0 == f }) { return "%" + String(f) }
        }
        return nil
    }

    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                                 "October", "November", "December"]
    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// The date in this format, or a dash for none.
    public func string(_ date: Date?) -> String {
        // A date no cache keeps (see ContentCheck) is no date, rather than a crash converting it.
        guard let date, date.timeIntervalSince1970.isFinite, abs(date.timeIntervalSince1970) < 1e13 else { return "—" }
        return string(secondsSince1970: Int(date.timeIntervalSince1970.rounded(.down)))
    }

    /// A time given as seconds since 1970 in this format.
    public func string(secondsSince1970 seconds: Int) -> String {
        // Civil date from days since 1970 (Howard Hinnant's algorithm): no calendar objects per row.
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilDate.of(days: days)
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var out = ""
        var chars = pattern.makeIterator()
        while let c = chars.next() {
            guard c == "%", let f = chars.next() else {
                out.append(c)
                continue
            }
            switch f {
            case "Y": out += String(year)
            case "y": out += two(((year % 100) + 100) % 100)
            case "m": out += two(month)
            case "b": out += String(Self.months[month - 1].prefix(3))
            case "B": out += Self.months[month - 1]
            case "d": out += two(day)
            case "e": out += String(day)
            case "a": out += String(Self.weekdays[weekday].prefix(3))
            case "A": out += Self.weekdays[weekday]
            case "H": out += two(secondOfDay / 3600)
            case "M": out += two(secondOfDay % 3600 / 60)
            case "%": out += "%"
            default: out += "%" + String(f)
            }
        }
        return out
    }
}

/// Days since 1970-01-01 and the civil (proleptic Gregorian) calendar's year, month and day, by
/// Howard Hinnant's arithmetic: no calendar objects, for code that turns many dates.
public enum CivilDate {
    public static func of(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
