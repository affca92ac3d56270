import Foundation

/// ISO 8601 dates with or without fractional seconds, in UTC or with an offset, or a day alone.
public enum ISODate {
    /// `2026-11-29T17:13:12.482Z`: rounded to the millisecond (the formatter's own fraction is
    /// cut, not rounded, so a date read back would be a millisecond early).
    public static func string(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1_000).rounded())
        let (seconds, fraction) = (ms >= 0 ? ms / 1_000 : (ms - 999) / 1_000, ((ms % 1_000) + 1_000) % 1_000)
        let whole = Date(timeIntervalSince1970: Double(seconds))
            .formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
        guard whole.hasSuffix("Z") else { return whole }
        return String(whole.dropLast()) + "." + String(format: "%03d", Int(fraction)) + "Z"
    }

    public static func parse(_ text: String) -> Date? {
        if let date = common(text) { return date }
        if let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)) { return date }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .colon)) { return date }
        if let date = try? Date(text, strategy: .iso8601.year().month().day()) { return date }
        return nil
    }

    /// The shapes caches, feeds and forums write, read by hand: `YYYY-MM-DD`, or that with
    /// `THH:MM:SS`, an optional fraction of up to nine digits and `Z`, `±HH:MM` or `±HHMM`.
    /// Anything else (a leap second, a day past its month's end, a week date) is nil here and
    /// left to Foundation's parser. (Foundation's parse strategies were a fifth of a forum
    /// sync's time, and most of opening a JSON cache's dates.)
    public static func common(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { b -> Date? in
            let n = b.count
            guard n == 10 || n >= 20 else { return nil }
            func digits(_ at: Int, _ count: Int) -> Int? {
                var value = 0
                for i in at..<(at + count) {
                    let d = Int(b[i]) &- 48
                    guard d >= 0, d <= 9 else { return nil }
                    value = value * 10 + d
                }
                return value
            }
            guard let year = digits(0, 4), b[4] == UInt8(ascii: "-"), let month = digits(5, 2), b[7] == UInt8(ascii: "-"),
                  let day = digits(8, 2), (1...12).contains(month), day >= 1, day <= CivilTime.days(inMonth: month, of: year) else { return nil }
            if n == 10 { return CivilTime.date(year: year, month: month - 1, day: day, hour: 0, minute: 0, second: 0, offsetMinutes: 0) }
            guard b[10] == UInt8(ascii: "T"), let hour = digits(11, 2), b[13] == UInt8(ascii: ":"), let minute = digits(14, 2),
                  b[16] == UInt8(ascii: ":"), let second = digits(17, 2), hour <= 23, minute <= 59, second <= 59 else { return nil }
            var i = 19
            var fraction = 0.0
            if b[i] == UInt8(ascii: ".") {
                var value = 0, scale = 1
                i += 1
                while i < n, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") {
                    guard scale < 1_000_000_000 else { return nil }
                    value = value * 10 + Int(b[i] - 48)
                    scale *= 10
                    i += 1
                }
                guard scale > 1 else { return nil }
                fraction = Double(value) / Double(scale)
            }
            guard i < n else { return nil }
            var offset = 0
            switch b[i] {
            case UInt8(ascii: "Z"):
                guard i + 1 == n else { return nil }
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let colon = n - i == 6
                guard n - i == 5 || colon, let hours = digits(i + 1, 2), !colon || b[i + 3] == UInt8(ascii: ":"),
                      let minutes = digits(i + (colon ? 4 : 3), 2), hours <= 23, minutes <= 59 else { return nil }
                offset = (hours * 60 + minutes) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            default:
                return nil
            }
            let whole = CivilTime.date(year: year, month: month - 1, day: day, hour: hour, minute: minute, second: second, offsetMinutes: offset)
            return fraction == 0 ? whole : Date(timeIntervalSince1970: whole.timeIntervalSince1970 + fraction)
        }
    }
}

/// A civil date and time at an offset from UTC as a Date, by Howard Hinnant's days-from-civil:
/// no Calendar (a hundred thousand Calendar calls take seconds). `month` counts from 0.
public enum CivilTime {
    public static func date(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offsetMinutes: Int) -> Date {
        let y = month < 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = month + 1
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + day - 1
        let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3_600 + minute * 60 + second - offsetMinutes * 60))
    }

    /// The days of a month (counted from 1) in the proleptic Gregorian calendar.
    public static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
