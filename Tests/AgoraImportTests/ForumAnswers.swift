@testable import AgoraImport
import AgoraKit
import Foundation

// A forum's answers as the tests write them, in Swift's own values: the reader takes `JSONValue`,
// which these make of them.
extension JSONValue {
    /// Swift's own values (`["id": 1, "hidden": true]`), as tests write a forum's answers; a
    /// Foundation number is a number (its true and false are 1 and 0).
    init(any: Any?) {
        guard let any, !(any is NSNull) else {
            self = .null
            return
        }
        switch any {
        case let s as String: self = .string(s)
        case let b as Bool where type(of: any) == Bool.self: self = .bool(b)
        case let i as Int where type(of: any) == Int.self: self = .int(i)
        case let d as Double where type(of: any) == Double.self: self = .double(d)
        case let n as NSNumber:
            let d = n.doubleValue
            self = d.rounded() == d && abs(d) < 9.2e18 ? .int(Int(d)) : .double(d)
        case let a as [Any]: self = .array(a.map { JSONValue(any: $0) })
        case let o as [String: Any]: self = .object(o.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSONValue(any: $0.value)) })
        default: self = .null
        }
    }
}

extension Discourse {
    static func topic(_ json: [String: Any], site: Site, categories: [Int: String] = [:], morePosts: [[String: Any]] = [],
                      knownNumbers: [Int: Comment.ID] = [:]) -> Topic? {
        topic(JSONValue(any: json), site: site, categories: categories, morePosts: morePosts.map { JSONValue(any: $0) }, knownNumbers: knownNumbers)
    }

    static func member(_ json: [String: Any], site: Site) -> Member? { member(JSONValue(any: json), site: site) }

    static func latest(_ json: [String: Any]) -> (topics: [Listed], more: Bool) { latest(JSONValue(any: json)) }
}
