@testable import AgoraImport
@testable import AgoraKit
@testable import AgoraTUI
import Foundation

/// The readers of everything that comes from outside, as fuzz targets: feeds (RSS, Atom, JSON
/// Feed), Ning archive files, zips, Agora's JSON, OPML, mail (an mbox, one MIME message), HTML
/// bodies, TOML config and theme files, and search queries. Each must answer any bytes with a value or an error, never a
/// crash, a hang or unbounded memory.
///
/// Built with libFuzzer by `scripts/fuzz.sh` (`-sanitize=fuzzer -DFUZZING`), the target is
/// chosen by AGORA_FUZZ_TARGET. Built plainly, `agora-fuzz TARGET FILE...` runs each file
/// through a target once: how a crash libFuzzer found is replayed, and how a test runs the corpus.
enum Targets {
    static let all: [String: @Sendable (Data) -> Void] = [
        "feed": { data in _ = try? FeedParser.parse(data, path: "fuzz.xml") },
        "ning": { data in _ = try? NingJSON(data: data, path: "ning-fuzz.json") },
        "zip": { data in
            guard let zip = try? ZipArchive(data: data, path: "fuzz.zip") else { return }
            for name in zip.names { _ = try? zip.contents(name) }
        },
        "agora-json": { data in
            guard let file = try? CacheFile.decode(data, path: "fuzz.json") else { return }
            _ = try? ContentCheck.prepared(file.content)
        },
        "opml": { data in _ = try? OPML.parse(data, path: "fuzz.opml") },
        "discourse": { data in
            // The JSON reader itself, then what is read of a topic, a member and a list.
            guard let json = try? JSONValue(parsing: data), let site = Discourse.Site("https://forum.example.org") else { return }
            _ = Discourse.topic(json, site: site)
            _ = Discourse.member(json, site: site)
            _ = Discourse.latest(json)
            _ = Discourse.categories(json)
        },
        "mbox": { data in
            // The mbox splitter, then each message's MIME, charsets and threading.
            let messages = Mbox.messages(data)
            _ = MailImport.content(messages.isEmpty ? [data] : messages, location: "/fuzz.mbox")
            _ = MailDate.parse(String(decoding: data.prefix(80), as: UTF8.self))
        },
        "mime": { data in
            // One message: its headers, its MIME parts, transfer encodings, charsets, flowed
            // text, and the HTML made of it read back as the reader reads it.
            let message = MailMessage.parse(data)
            let html = MailImport.html(message)
            _ = HTMLRenderer.render(html)
            _ = MailImport.letter(data, order: 0)
        },
        "html": { data in
            let rich = HTMLRenderer.render(String(decoding: data, as: UTF8.self))
            _ = ArticleLayout.lines(rich, width: 40)
            _ = PlainText.fromHTML(String(decoding: data, as: UTF8.self))
        },
        "toml": { data in
            let text = String(decoding: data, as: UTF8.self)
            _ = try? TOML.parse(text)
            _ = Config(text: text, path: "fuzz.toml")
            _ = ThemeFile(name: "fuzz", path: "fuzz.toml", text: text)
        },
        "search": { data in
            let query = SearchQuery(String(decoding: data, as: UTF8.self))
            _ = query.fts { _ in nil }
            _ = query.highlights(in: "Marília Maciel on internet governance in São Paulo, 2012")
            _ = Sanitizer.line(String(decoding: data, as: UTF8.self))
        },
    ]

    static var chosen: @Sendable (Data) -> Void {
        let name = ProcessInfo.processInfo.environment["AGORA_FUZZ_TARGET"] ?? ""
        guard let target = all[name] else {
            FileHandle.standardError.write(Data("agora-fuzz: AGORA_FUZZ_TARGET must be one of \(all.keys.sorted().joined(separator: ", "))\n".utf8))
            exit(2)
        }
        return target
    }
}

#if FUZZING
nonisolated(unsafe) private var target: (@Sendable (Data) -> Void)?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    if target == nil { target = Targets.chosen }
    target!(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}

/// The package's executables start at `<module>_main`, so libFuzzer's own `main` never runs:
/// this hands over to its driver instead.
@_cdecl("agora_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    typealias Driver = @convention(c) (UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>, Callback) -> CInt
    guard let symbol = dlsym(nil, "LLVMFuzzerRunDriver") else {
        FileHandle.standardError.write(Data("agora-fuzz: not built with libFuzzer (scripts/fuzz.sh builds it)\n".utf8))
        return 2
    }
    var count = argc
    var arguments = argv
    return unsafeBitCast(symbol, to: Driver.self)(&count, &arguments) { bytes, size in fuzzOne(bytes, size) }
}
#else
@main
struct Replay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.count >= 2, let target = Targets.all[arguments[0]] else {
            FileHandle.standardError.write(Data("usage: agora-fuzz TARGET FILE... (targets: \(Targets.all.keys.sorted().joined(separator: ", ")))\n".utf8))
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            target(data)
        }
    }
}
#endif
