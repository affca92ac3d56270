import Foundation

/// A folder of its own for one test, removed when the test lets go of it.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "agora-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `name` (folders made as needed) and returns the path.
    @discardableResult
    public func write(_ name: String, _ data: Data) -> String {
        let target = file(name)
        try! FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! data.write(to: URL(fileURLWithPath: target))
        return target
    }

    @discardableResult
    public func write(_ name: String, _ text: String) -> String { write(name, Data(text.utf8)) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
