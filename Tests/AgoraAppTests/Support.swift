import AgoraApp
import AgoraKit
import AgoraTUI
import Foundation
import Testing
import TerminalCore

/// A reader on a cache held in memory, driven as the run loop drives it: no terminal, no file.
final class Harness: @unchecked Sendable {
    let store: any CommunityStore
    let runner: EffectRunner
    var state: AppState
    var opened: [String] = []

    convenience init(width: Int, height: Int, content: CacheContent? = nil, settings: ReaderSettings = ReaderSettings()) throws {
        try self.init(width: width, height: height, store: try JSONStore(content: try content ?? SampleCommunity.content()), settings: settings)
    }

    /// A reader on a given cache (a SQLite file, for the tests that run on both caches).
    init(width: Int, height: Int, store: any CommunityStore, settings: ReaderSettings = ReaderSettings()) throws {
        self.store = store
        runner = EffectRunner(store: store)
        state = AppState(width: width, height: height, community: try store.community(), settings: settings)
        runner.settle(&state, state.start())
    }

    func press(_ keys: Key...) {
        for key in keys { send(.key(key)) }
    }

    func type(_ text: String) {
        for character in text { send(.key(.character(character))) }
    }

    func send(_ event: Event) {
        runner.settle(&state, state.handle(event)) { url in
            self.opened.append(url)
            return "Opened \(url)"
        }
    }

    var frame: Buffer { Screen.render(state).buffer }
    var screen: String { frame.text }
    var cursor: (x: Int, y: Int)? { Screen.render(state).cursor }
}

/// Compares a frame with a snapshot file in Snapshots/; AGORA_RECORD_SNAPSHOTS=1 writes them anew.
func expectSnapshot(_ buffer: Buffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    var url = URL(fileURLWithPath: #filePath)
    url.deleteLastPathComponent()
    let file = url.appendingPathComponent("Snapshots/\(name).txt")
    let text = buffer.lines.map { line in
        // Trailing spaces are kept as a visible end mark so that widths are checked too.
        line + "|"
    }.joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["AGORA_RECORD_SNAPSHOTS"] != nil {
        try text.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("no snapshot \(name); run with AGORA_RECORD_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
        return
    }
    if expected != text {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = text.split(separator: "\n", omittingEmptySubsequences: false)
        let diff = zip(a.indices, zip(a, b)).filter { $0.1.0 != $0.1.1 }.prefix(5)
            .map { "line \($0.0 + 1):\n  expected \($0.1.0)\n  actual   \($0.1.1)" }.joined(separator: "\n")
        Issue.record("snapshot \(name) differs:\n\(diff)", sourceLocation: sourceLocation)
    }
}

/// A community that makes screens hard: long titles, CJK and accented names, a 300-comment thread.
enum Hard {
    static var content: CacheContent {
        let members = [
            Member(id: "li", name: "李明 (Li Ming)", country: "China"),
            Member(id: "zoe", name: "Zoë Ångström-Þórsdóttir", country: "Iceland"),
            Member(id: "nguyen", name: "Nguyễn Thị Lan", country: "Viet Nam"),
        ]
        var posts: [Post] = []
        for i in 0..<30 {
            posts.append(Post(
                id: Post.ID(String(format: "p%02d", i)),
                title: i == 0 ? "互联网治理论坛的多利益相关方模式：一个非常长的标题，用来测试宽字符的截断" : "A rather long title about multistakeholder governance, number \(i), that goes on",
                author: members[i % 3].id, published: Date(timeIntervalSince1970: 1_700_000_000 - Double(i) * 86_400),
                views: i * 7, body: "<p>Body of post \(i) with <a href=\"https://example.org/\(i)\">a link</a>.</p>"))
        }
        var comments: [AgoraKit.Comment] = []
        for n in 0..<300 {
            comments.append(AgoraKit.Comment(
                id: AgoraKit.Comment.ID(String(format: "c%03d", n)), post: "p00",
                parent: n % 3 == 0 || n == 0 ? nil : AgoraKit.Comment.ID(String(format: "c%03d", n - 1)),
                author: members[n % 3].id, authorName: members[n % 3].name,
                published: Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 60), body: "<p>Comment number \(n).</p>"))
        }
        return CacheContent(community: Community(name: "Hard Cases", tagline: "Wide, long and deep"), members: members,
                            posts: posts, comments: comments)
    }
}

/// The package's Themes/ folder, read as the program reads it.
enum BundledThemes {
    static var folder: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Themes")
    }

    static func theme(_ name: String) throws -> Theme {
        let sources = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".toml") }.sorted().map {
            ThemeSource(name: String($0.dropLast(5)), path: "Themes/" + $0,
                        text: try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8), isUser: false)
        }
        return try #require(ThemeCatalog(sources).theme(named: name)).theme
    }
}

/// Each cell as a letter naming its style, with the legend underneath.
func styleMap(_ frame: Buffer) -> Buffer {
    var styles: [Style] = []
    var lines: [String] = []
    let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    for y in 0..<frame.height {
        var line = ""
        for x in 0..<frame.width {
            let style = frame[x, y].style
            let index = styles.firstIndex(of: style) ?? { styles.append(style); return styles.count - 1 }()
            line.append(index < letters.count ? letters[index] : "?")
        }
        lines.append(line)
    }
    for (i, style) in styles.enumerated() where i < letters.count {
        lines.append("\(letters[i]) = \(style.foreground) on \(style.background) \(attributeNames(style.attributes))")
    }
    var buffer = Buffer(width: max(frame.width, lines.map(\.count).max() ?? 0), height: lines.count)
    for (y, line) in lines.enumerated() { buffer.put(line, x: 0, y: y, style: Style()) }
    return buffer
}

func attributeNames(_ attributes: Attributes) -> String {
    ThemeFile.attributeNames.filter { attributes.contains($0.1) }.map(\.0).joined(separator: "+")
}
