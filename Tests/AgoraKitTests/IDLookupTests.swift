@testable import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// Which ids a cache holds, asked a slice at a time through padded, cached statements: every
/// length of question gets the right answer, whatever id pads it.
struct IDLookupTests {
    @Test func every_length_of_question_is_answered_exactly() throws {
        let directory = TemporaryDirectory()
        let store = try SQLiteStore(path: directory.file("c.sqlite"))
        let held = (0..<700).map { Member(id: Member.ID("m\($0)"), name: "Member \($0)") }
        try store.importContent(CacheContent(members: held))
        var random = SystemRandomNumberGenerator.Seeded(5)
        for count in [0, 1, 2, 15, 16, 17, 63, 64, 65, 499, 500, 501, 1_203] {
            // Half held, half not, in a shuffled order: the padding id is sometimes one, sometimes the other.
            let asked = (0..<count).map { i in Member.ID(i % 2 == 0 ? "m\(Int(random.next() % 700))" : "absent\(i)") }.shuffled(using: &random)
            let expected = Set(asked.filter { $0.rawValue.hasPrefix("m") })
            #expect(try store.knownMembers(asked) == expected, "\(count) asked")
        }
    }
}
