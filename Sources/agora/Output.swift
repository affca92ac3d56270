import AgoraKit
import AgoraTUI
import Foundation
import TerminalCore

#if canImport(Glibc)
import Glibc
#endif

/// Everything the CLI prints goes through here: text from content is sanitised on the way out,
/// columns are aligned by display width, JSON is written with stable field names.
enum Output {
    static func line(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// A one-line message for a person on stderr, such as "created a new cache". Messages quote
    /// what they were given (an id, a file's text, a server's answer): sanitised like content.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data(("agora: " + Sanitizer.line(text) + "\n").utf8))
    }

    /// Lines for stderr that are not ours to word (the argument parser's usage messages, which
    /// quote the arguments): sanitised, their line breaks kept.
    static func errorText(_ text: String) {
        FileHandle.standardError.write(Data(Sanitizer.text(text).utf8))
    }

    /// An error in words (AgoraError.words).
    static func describe(_ error: any Error) -> String { AgoraError.words(for: error) }

    /// Content is untrusted: one line, no control characters or escape sequences.
    static func safe(_ text: String?) -> String { Sanitizer.line(text ?? "") }

    /// The width to fit human output to: the terminal's when stdout is one, else nil (no limit),
    /// so that pipes get whole lines.
    /// Asked once: a command's output is laid out for one width.
    static let terminalWidth: Int? = {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }()

    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var data = escapingControls(try encoder.encode(value))
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }

    /// JSON with every control character, C1 control, bidi control and invisible character
    /// written as a `\uXXXX` escape, as JSON allows for any character: a terminal showing it
    /// raw sees only text. They can stand only inside strings, so the bytes are rewritten in place.
    static func escapingControls(_ data: Data) -> Data {
        data.withUnsafeBytes { raw -> Data in
            let bytes = raw.bindMemory(to: UInt8.self)
            // The lead bytes of everything that may need escaping; most output has none of them.
            func mayNeed(_ c: UInt8) -> Bool {
                (c < 0x20 && c != 0x0A) || c == 0x7F || c == 0xC2 || c == 0xCD || c == 0xD8 || (c >= 0xE1 && c <= 0xE3)
                    || c == 0xEF || c == 0xF3
            }
            guard bytes.contains(where: mayNeed) else { return data }
            var out = [UInt8]()
            out.reserveCapacity(bytes.count + 64)
            func escape(_ v: UInt32) { out.append(contentsOf: Array(String(format: "\\u%04x", v).utf8)) }
            var i = 0
            while i < bytes.count {
                // Runs that need nothing are copied whole.
                var j = i
                while j < bytes.count, !mayNeed(bytes[j]) { j += 1 }
                if j > i {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j]))
                    i = j
                    continue
                }
                let c = bytes[i]
                if c < 0x80 {
                    // Structure and line breaks between values are ASCII; raw controls in strings are not.
                    if c == 0x7F || (c < 0x20 && c != 0x0A) { escape(UInt32(c)) } else { out.append(c) }
                    i += 1
                    continue
                }
                let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
                let end = min(bytes.count, i + length)
                var v = UInt32(c) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for k in (i + 1)..<end { v = v << 6 | UInt32(bytes[k] & 0x3F) }
                if (0x80...0x9F).contains(v) || Sanitizer.isBidiControl(v) || Sanitizer.isInvisible(v) || Sanitizer.isJoiner(v) {
                    escape(v)
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<end]))
                }
                i = end
            }
            return Data(out)
        }
    }

    static func date(_ date: Date?) -> String { DateFormat.standard.string(date) }

    static func flags(_ state: PostState) -> String { PostListView.flags(state) }

    static func plural(_ count: Int, _ word: String, _ plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? word : (plural ?? word + "s"))
    }
}

/// Columns aligned by display width (accents take one column, CJK two). The flexible column is
/// cut with an ellipsis to fit the terminal; in a pipe nothing is cut.
struct Table {
    enum Alignment { case left, right }

    struct Column {
        var title: String
        var alignment: Alignment = .left
        /// At most this wide; nil for no limit.
        var maxWidth: Int?
        /// This column gives up room when the line is too wide for the terminal.
        var flexible = false
    }

    var columns: [Column]
    var rows: [[String]] = []

    init(_ columns: [Column]) { self.columns = columns }

    mutating func add(_ row: [String]) { rows.append(row.map { Output.safe($0) }) }

    func render(width: Int? = Output.terminalWidth, header: Bool = true) -> [String] {
        var widths = columns.indices.map { index in
            let cells = rows.map { DisplayWidth.of($0[index]) } + [header ? DisplayWidth.of(columns[index].title) : 0]
            return min(cells.max() ?? 0, columns[index].maxWidth ?? .max)
        }
        if let width, let flexible = columns.firstIndex(where: \.flexible) {
            let others = widths.enumerated().filter { $0.offset != flexible }.reduce(0) { $0 + $1.element }
            let gaps = 2 * (columns.count - 1)
            widths[flexible] = max(8, min(widths[flexible], width - others - gaps))
        }
        func format(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { index, cell in
                let last = index == cells.count - 1
                let column = columns[index]
                if last, column.alignment == .left { return DisplayWidth.truncate(cell, to: widths[index]) }
                return DisplayWidth.pad(cell, to: widths[index], alignRight: column.alignment == .right)
            }
            return padded.joined(separator: "  ")
        }
        return (header ? [format(columns.map(\.title))] : []) + rows.map(format)
    }

    func print(header: Bool = true) {
        for line in render(header: header) { Output.line(line) }
    }
}

/// Progress for a person watching: on stderr, only when it is a terminal; silent otherwise.
final class Progress: @unchecked Sendable {
    let enabled: Bool
    private let lock = NSLock()
    private var width = 0

    init(enabled: Bool = isatty(STDERR_FILENO) == 1) { self.enabled = enabled }

    /// Redraws one line in place: "ning-blogs.json  [#######.......]  1200/3400".
    func bar(_ label: String, done: Int, total: Int, unit: String = "records") {
        guard enabled else { return }
        let cells = 24
        let filled = total > 0 ? min(cells, done * cells / total) : cells
        let text = "\(Output.safe(label))  [" + String(repeating: "#", count: filled)
            + String(repeating: ".", count: cells - filled) + "]  \(done)/\(total) \(unit)"
        rewrite(text)
    }

    /// How far the search index has got, as a bar (an import's index, or the one a search makes first).
    func indexing(_ state: SearchIndexProgress) {
        bar("indexing for search", done: state.postsIndexed + state.commentsIndexed, total: state.posts + state.comments, unit: "posts and comments")
    }

    /// One line redrawn in place, as it changes (a forum's sync).
    func status(_ text: String) {
        guard enabled else { return }
        rewrite(Output.safe(text))
    }

    /// A line of its own, after whatever bar was showing.
    func line(_ text: String) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let clear = width > 0 ? "\r" + String(repeating: " ", count: width) + "\r" : ""
        width = 0
        FileHandle.standardError.write(Data((clear + Output.safe(text) + "\n").utf8))
    }

    func finish() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        if width > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
        width = 0
    }

    private func rewrite(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        let padding = max(0, width - text.count)
        FileHandle.standardError.write(Data(("\r" + text + String(repeating: " ", count: padding)).utf8))
        width = text.count
    }
}
