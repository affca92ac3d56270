@testable import AgoraImport
import AgoraTestSupport
import Foundation
import Testing

/// The forum's JSON reader: what it reads is what JSONSerialization reads, on real forums'
/// answers and on generated documents; what JSONSerialization refuses, it refuses, saying where.
@Suite("JSON, as a forum's answers are read")
struct JSONValueTests {
    /// Whether `value` is what Foundation read as `foundation`.
    static func same(_ value: JSONValue, _ foundation: Any) -> Bool {
        switch value {
        case .null: return foundation is NSNull
        case .bool(let b): return (foundation as? NSNumber)?.boolValue == b || (foundation as? Bool) == b
        case .int(let i): return (foundation as? NSNumber).map { $0.doubleValue == Double(i) } ?? false
        case .double(let d): return (foundation as? NSNumber).map { $0.doubleValue == d } ?? false
        case .string(let s): return (foundation as? String) == s
        case .array(let items):
            guard let other = foundation as? [Any], other.count == items.count else { return false }
            return zip(items, other).allSatisfy { same($0, $1) }
        case .object(let members):
            guard let other = foundation as? [String: Any] else { return false }
            var last: [String: JSONValue] = [:]
            for member in members { last[member.key] = member.value }
            guard Set(last.keys) == Set(other.keys) else { return false }
            return last.allSatisfy { key, value in same(value, other[key]!) }
        }
    }

    @Test func reads_real_forums_answers_as_foundation_does() throws {
        let folder = Fixtures.discourse
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count >= 8)
        for name in names {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let foundation = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            let mine = try JSONValue(parsing: data)
            #expect(Self.same(mine, foundation), "\(name)")
        }
    }

    @Test func reads_generated_documents_as_foundation_does() throws {
        var random = SystemRandomNumberGenerator.Seeded(11)
        let pieces = ["\"a\"", "\"\\u00e9\\n\\t\\\"\\\\\\/\"", "\"\\ud83d\\ude00 ok\"", "\"é – ☃\"", "0", "-0", "12", "-7", "3.25", "1e3", "-2.5E-3",
                      "9223372036854775807", "9223372036854775808", "123456789012345678901234", "true", "false", "null", "[]", "{}"]
        func document(_ depth: Int) -> String {
            let roll = Int(random.next() % 10)
            if depth > 4 || roll < 5 { return pieces[Int(random.next() % UInt64(pieces.count))] }
            let count = Int(random.next() % 5)
            if roll < 8 {
                return "{" + (0..<count).map { "\"k\($0 % 3)\" : " + document(depth + 1) }.joined(separator: ", ") + "}"
            }
            return "[ " + (0..<count).map { _ in document(depth + 1) }.joined(separator: ",\n") + " ]"
        }
        for _ in 0..<500 {
            let text = document(0)
            let data = Data(text.utf8)
            let foundation = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            #expect(Self.same(try JSONValue(parsing: data), foundation), "\(text)")
        }
    }

    @Test func refuses_what_is_not_json_and_says_where() {
        let broken = ["", " ", "{", "[,]", "{,}", "[1,,]", "{'a':1}", "{a:1}", "01", "1.", ".5", "-", "+1", "\"a\u{01}b\"", "\"\\x\"", "\"\\u12\"",
                      "\"abc", "[1 2]", "{\"a\" 1}", "tru", "NaN", "Infinity", "// c\n1", "[1] x", "{\"a\":1}}", "1e", "1e+", "-x"]
        for text in broken {
            #expect(throws: JSONValue.SyntaxError.self, "\(text.debugDescription)") { try JSONValue(parsing: Data(text.utf8)) }
            #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) == nil, "Foundation refuses \(text.debugDescription) too: \(String(describing: try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])))")
        }
        do {
            _ = try JSONValue(parsing: Data("{\"a\": [1, 2,, 3]}".utf8))
            Issue.record("a double comma was read")
        } catch let error as JSONValue.SyntaxError {
            #expect(error.offset == 12, "\(error)")
            #expect(error.description == "unexpected character at byte 12")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func nesting_is_bounded() throws {
        let deep = String(repeating: "[", count: JSONValue.maximumDepth) + String(repeating: "]", count: JSONValue.maximumDepth)
        #expect(try JSONValue(parsing: Data(deep.utf8)).array?.count == 1)
        let deeper = "[" + deep + "]"
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue(parsing: Data(deeper.utf8)) }
        // A hostile depth is an error, not a stack overflow.
        let hostile = String(repeating: "{\"a\":", count: 100_000)
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue(parsing: Data(hostile.utf8)) }
    }

    @Test func a_comma_before_a_closing_bracket_is_let_pass_as_foundation_did() throws {
        for text in ["[1,]", "{\"a\":1,}", "[ 1 , ]", "{\"a\": [2,], }"] {
            let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            #expect(Self.same(try JSONValue(parsing: Data(text.utf8)), foundation), "\(text)")
        }
    }

    @Test func escapes_surrogates_numbers_and_lookups() throws {
        let json = try JSONValue(parsing: Data(#"{"s":"\ud83d\ude00\u00e9\/","lone":"a\ud800b","low":"\udc00","id":"42","n":12.0,"big":1e300,"t":true,"z":0,"dup":1,"dup":2}"#.utf8))
        #expect(json["s"]?.string == "😀é/")
        #expect(json["lone"]?.string == "a\u{FFFD}b")
        #expect(json["low"]?.string == "\u{FFFD}")
        #expect(json["id"]?.int == 42, "a number written as a string")
        #expect(json["n"]?.int == 12)
        #expect(json["big"]?.int == nil)
        #expect(json["t"]?.isTrue == true && json["z"]?.isTrue == false && json["missing"] == nil)
        #expect(json["dup"]?.int == 2, "the last of a name, as Foundation keeps")
        #expect(json["s"]?["x"] == nil, "a member of a string is nothing")
        // Bytes that are not UTF-8 are read as U+FFFD.
        #expect(try JSONValue(parsing: Data([0x22, 0x61, 0xFF, 0x22])).string == "a\u{FFFD}")
    }
}
