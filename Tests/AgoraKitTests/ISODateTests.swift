import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// The hand-read ISO 8601 dates give what Foundation's parse strategies give, and leave to them
/// whatever they do not read.
struct ISODateTests {
    /// Foundation's reading, as `ISODate.parse` asked it before the hand-read shapes.
    private func foundation(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)) { return date }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .colon)) { return date }
        if let date = try? Date(text, strategy: .iso8601.year().month().day()) { return date }
        return nil
    }

    @Test func agreesWithFoundationOnTheCommonShapes() {
        var generator = SystemRandomNumberGenerator.Seeded(7)
        let zones = ["Z", "+00:00", "-05:30", "+0200", "-1100", "+14:00"]
        let fractions = ["", ".5", ".482", ".418500", ".123456789", ".999"]
        var checked = 0
        for _ in 0..<4_000 {
            let year = 1900 + Int(generator.next() % 250), month = 1 + Int(generator.next() % 12)
            let day = 1 + Int(generator.next() % UInt64(CivilTime.days(inMonth: month, of: year)))
            let day2 = String(format: "%04d-%02d-%02d", year, month, day)
            let time = String(format: "T%02d:%02d:%02d", Int(generator.next() % 24), Int(generator.next() % 60), Int(generator.next() % 60))
            let fraction = fractions[Int(generator.next() % UInt64(fractions.count))]
            let zone = zones[Int(generator.next() % UInt64(zones.count))]
            for text in [day2, day2 + time + fraction + zone] {
                guard let expected = foundation(text) else { continue }
                let mine = ISODate.common(text)
                #expect(mine != nil, "\(text) not read by hand")
                // To the microsecond (Foundation adds the fraction through its calendar), and the
                // same to the millisecond, which is what a cache keeps.
                #expect(abs((mine?.timeIntervalSince1970 ?? 0) - expected.timeIntervalSince1970) < 1e-6, "\(text)")
                #expect(mine?.toTheMillisecond == expected.toTheMillisecond, "\(text)")
                #expect(ISODate.parse(text)?.toTheMillisecond == expected.toTheMillisecond)
                checked += 1
            }
        }
        #expect(checked > 7_000)
    }

    @Test func leavesTheRestToFoundation() {
        // Not read by hand; what Foundation makes of them stays the answer.
        for text in ["2024-02-30", "2023-02-29T10:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T10:00:60Z", "2024-01-01T10:00Z",
                     "2024-01-01 10:00:00Z", "2024-01-01T10:00:00", "2024-01-01T10:00:00.Z", "2024-01-01T10:00:00+2:00",
                     "2024-01-01T10:00:00.1234567890Z", "2024-13-01", "+2024-01-01", " 2024-01-01", "2024-01-01T10:00:00z"] {
            #expect(ISODate.common(text) == nil, "\(text)")
            #expect(ISODate.parse(text) == foundation(text), "\(text)")
        }
        #expect(ISODate.common("2024-02-29") == foundation("2024-02-29"))
        #expect(ISODate.common("2000-02-29T23:59:59-00:30") == foundation("2000-02-29T23:59:59-00:30"))
    }
}
