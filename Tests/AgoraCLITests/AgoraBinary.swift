import AgoraKit
import Foundation
import Testing

/// Runs the built `agora` as a person would: in its own process, with a temporary home.
struct AgoraBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let path: String = {
        let fm = FileManager.default
        var candidates: [URL] = []
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0])
        candidates.append(argv0.deletingLastPathComponent().appendingPathComponent("agora"))
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("agora"))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("agora"))
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        candidates.append(root.appendingPathComponent(".build/debug/agora"))
        for candidate in candidates where fm.isExecutableFile(atPath: candidate.path) { return candidate.path }
        return candidates.last!.path
    }()

    let home: String

    init() {
        home = NSTemporaryDirectory() + "agora-cli-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { home + "/" + name }

    /// What `agora` runs with: the temporary home, a plain PATH, a UTF-8 locale.
    var environment: [String: String] { ["HOME": home, "XDG_DATA_HOME": home + "/data", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"] }

    /// The cache a fresh machine would use.
    var defaultCache: String { home + "/data/agora/agora.sqlite" }

    @discardableResult
    func run(_ arguments: [String], environment extra: [String: String] = [:], stdin: String? = nil,
             executable: String = Self.path) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = self.environment
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: home)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        // A program just copied into place can be "busy" for a moment: another thread's child,
        // forked while the copy was open for writing, holds it until it runs its own program.
        let deadline = Date().addingTimeInterval(5)
        while true {
            do {
                try process.run()
                break
            } catch let error as NSError where (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(ETXTBSY) && Date() < deadline {
                continue
            }
        }
        // Read both pipes while it runs, so a large output cannot block it.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        process.waitUntilExit()
        group.wait()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    func json(_ arguments: [String]) throws -> Any {
        let result = try run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    func remove() { try? FileManager.default.removeItem(atPath: home) }
}

/// Display columns at which each of `needles` starts in `line`.
func column(of needle: String, in line: String) -> Int? {
    guard let range = line.range(of: needle) else { return nil }
    return displayWidth(String(line[..<range.lowerBound]))
}

func displayWidth(_ s: String) -> Int {
    s.reduce(0) { total, ch in
        let v = ch.unicodeScalars.first!.value
        let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFF60).contains(v) || (0x20000...0x3FFFD).contains(v)
        return total + (wide ? 2 : 1)
    }
}
