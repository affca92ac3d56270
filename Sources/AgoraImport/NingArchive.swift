import AgoraKit
import Foundation

/// What an importer hands to a cache, with anything the person should know about how it went.
public struct ImportPlan: Sendable {
    public var content: CacheContent
    /// Things worth saying once the import is done ("12 records were not UTF-8 ...").
    public var notes: [String]

    public init(content: CacheContent, notes: [String] = []) {
        self.content = content
        self.notes = notes
    }
}

/// A Ning Network Archiver export: a folder of `ning-*.json` files (and folders of media), a
/// zip of one, or a single `ning-*.json` file. See docs/importing.md for every field read and
/// every quirk worked around.
public struct NingArchive {
    /// The kinds of file the archiver writes, in the order they are read (members first, so
    /// that authors' names are known).
    enum FileKind: String, CaseIterable {
        case members, blogs, discussions, pages, groups, events, photos, videos, notes, music

        var postKind: Post.Kind? {
            switch self {
            case .members, .music: nil
            case .blogs: .blogPost
            case .discussions: .discussion
            case .pages, .notes: .page
            case .groups: .group
            case .events: .event
            case .photos: .photo
            case .videos: .video
            }
        }

        /// `ning-blogs-local.json` -> .blogs
        init?(fileName: String) {
            var name = fileName.lowercased()
            guard name.hasPrefix("ning-"), name.hasSuffix(".json") else { return nil }
            name = String(name.dropFirst(5).dropLast(5))
            if name.hasSuffix("-local") { name = String(name.dropLast(6)) }
            self.init(rawValue: name)
        }
    }

    private enum Storage {
        case folder(URL)
        case zip(ZipArchive, prefix: String)
    }

    private let storage: Storage
    /// What the person named, for messages.
    public let path: String
    /// The files to read, by kind: the `-local` copy where there is one.
    private var files: [FileKind: String] = [:]
    /// Set when a single file was named: only that one is read.
    private var onlyFile: String?

    /// Whether `path` looks like a Ning archive: a folder with `ning-*.json` files, a zip of
    /// one, or a file named `ning-*.json`.
    public static func looksLikeArchive(path: String, data: Data?) -> Bool {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.contains { FileKind(fileName: $0) != nil }
        }
        if FileKind(fileName: (path as NSString).lastPathComponent) != nil { return true }
        if let data, ZipArchive.isZip(data), let zip = try? ZipArchive(data: data, path: path) {
            return zip.names.contains { FileKind(fileName: ($0 as NSString).lastPathComponent) != nil }
        }
        return false
    }

    public init(path: String) throws {
        self.path = path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw AgoraError.missing(path: path, folder: true)
        }
        if isFolder.boolValue {
            let url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
            storage = .folder(url)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = Self.choose(names)
        } else {
            let data = try CacheFile.readData(path: path)
            if ZipArchive.isZip(data) {
                let zip = try ZipArchive(data: data, path: path)
                // The archive's files may sit in a folder inside the zip.
                let json = zip.names.filter { FileKind(fileName: ($0 as NSString).lastPathComponent) != nil }
                let prefix = json.map { ($0 as NSString).deletingLastPathComponent }.min { $0.count < $1.count } ?? ""
                storage = .zip(zip, prefix: prefix.isEmpty ? "" : prefix + "/")
                files = Self.choose(json.filter { ($0 as NSString).deletingLastPathComponent == prefix }
                    .map { ($0 as NSString).lastPathComponent })
            } else {
                let url = URL(fileURLWithPath: path).standardizedFileURL
                let name = url.lastPathComponent
                guard let kind = FileKind(fileName: name) else {
                    throw AgoraError.badInput(.init(path: path), "not a Ning archive file (their names are ning-members.json, ning-blogs.json, ...)")
                }
                storage = .folder(url.deletingLastPathComponent())
                files = [kind: name]
                onlyFile = name
            }
        }
        if files.isEmpty {
            throw AgoraError.badInput(.init(path: path), "no ning-*.json files in it (at least ning-members.json is expected)")
        }
    }

    /// `ning-X-local.json` is preferred to `ning-X.json`: it points at the media in the folder.
    private static func choose(_ names: [String]) -> [FileKind: String] {
        var chosen: [FileKind: String] = [:]
        for name in names.sorted() {
            guard let kind = FileKind(fileName: name) else { continue }
            if chosen[kind] == nil || name.lowercased().hasSuffix("-local.json") { chosen[kind] = name }
        }
        return chosen
    }

    /// The names of the files that will be read, in reading order.
    public var fileNames: [String] { FileKind.allCases.compactMap { files[$0] } }

    private func data(_ name: String) throws -> Data {
        switch storage {
        case .folder(let url): try CacheFile.readData(path: url.appendingPathComponent(name).path)
        case .zip(let zip, let prefix): try zip.contents(prefix + name)
        }
    }

    private func shownPath(_ name: String) -> String {
        switch storage {
        case .folder: onlyFile != nil ? path : (path as NSString).appendingPathComponent(name)
        case .zip(_, let prefix): "\(path)!/\(prefix)\(name)"
        }
    }

    // MARK: Reading

    /// Reads every file into posts, comments and members. `progress` hears the file being
    /// read, and the records done and in all after each one.
    public func read(progress: ((_ file: String, _ done: Int, _ total: Int) -> Void)? = nil) throws -> ImportPlan {
        let sourceName = ((onlyFile.map { _ in (path as NSString).deletingLastPathComponent } ?? path) as NSString).lastPathComponent
        let source = Source(id: Source.ID("ning:" + (Folding.slug(sourceName).isEmpty ? "archive" : Folding.slug(sourceName))),
                            kind: .ningArchive, name: sourceName.isEmpty ? "Ning archive" : sourceName, location: path)
        var parsed: [(FileKind, String, NingJSON)] = []
        var total = 0
        for kind in FileKind.allCases {
            guard let name = files[kind] else { continue }
            let file = try NingJSON(data: try data(name), path: shownPath(name))
            parsed.append((kind, name, file))
            total += file.records.count
        }
        var reader = RecordReader(archive: self, source: source.id)
        var notes: [String] = []
        var done = 0
        // Members first: posts and walls name their authors by screen name.
        for (kind, _, file) in parsed where kind == .members {
            for record in file.records { reader.learnName(record) }
        }
        for (kind, name, file) in parsed where kind == .members {
            for (index, record) in file.records.enumerated() {
                try reader.member(record, at: Location(file: shownPath(name), record: index + 1, line: file.lines[index]))
                done += 1
                if done % 500 == 0 { progress?(name, done, total) }
            }
            progress?(name, done, total)
        }
        for (kind, name, file) in parsed where kind != .members {
            guard let postKind = kind.postKind else {
                notes.append("\(name): \(Self.plural(file.records.count, "record")) skipped (Agora has no place for \(kind.rawValue) yet)")
                done += file.records.count
                progress?(name, done, total)
                continue
            }
            // The archiver writes newest first; read oldest first, so ties keep their order.
            for (index, record) in file.records.enumerated().reversed() {
                try reader.post(record, kind: postKind, at: Location(file: shownPath(name), record: index + 1, line: file.lines[index]))
                done += 1
                if done % 500 == 0 { progress?(name, done, total) }
            }
            progress?(name, done, total)
        }
        let recoded = parsed.reduce(0) { $0 + $1.2.windows1252 }
        if recoded > 0 {
            notes.append("\(Self.plural(recoded, "record")) \(recoded == 1 ? "was" : "were") not UTF-8 and \(recoded == 1 ? "was" : "were") read as Windows-1252")
        }
        if reader.drafts > 0 { notes.append("\(Self.plural(reader.drafts, "draft")) left out (not published)") }
        if reader.refusedPaths > 0 {
            notes.append("\(Self.plural(reader.refusedPaths, "file path")) pointed outside the archive and \(reader.refusedPaths == 1 ? "was" : "were") dropped")
        }
        var content = CacheContent(sources: [source], members: reader.members, posts: reader.posts, comments: reader.comments)
        content.members.sort { $0.id < $1.id }
        return ImportPlan(content: content, notes: notes)
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    struct Location {
        var file: String
        var record: Int
        var line: Int

        func error(_ message: String) -> AgoraError {
            .badInput(.init(path: file, line: line, record: record), message)
        }
    }

    // MARK: Paths

    /// A path from the archive made safe: relative, inside the archive, query dropped. Nil for
    /// one that would leave it (absolute, `..`, a link pointing out) and for URLs.
    func safeRelativePath(_ raw: String) -> String? {
        var text = raw.trimmingCharacters(in: .whitespaces)
        if let cut = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = String(text[..<cut]) }
        text = text.removingPercentEncoding ?? text
        while text.hasPrefix("./") { text.removeFirst(2) }
        guard !text.isEmpty, !text.hasPrefix("/"), !text.contains("\\"), !text.contains("\0"), !text.contains(":") else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.contains(where: { $0 == ".." || $0 == "." }) else { return nil }
        let relative = parts.joined(separator: "/")
        if case .folder(let folder) = storage {
            // A symbolic link inside the archive may still point out of it.
            let base = folder.resolvingSymlinksInPath().path
            let target = folder.appendingPathComponent(relative).resolvingSymlinksInPath().path
            guard target.hasPrefix(base.hasSuffix("/") ? base : base + "/") else { return nil }
        }
        return relative
    }

    /// Where a relative path can be opened from: a file URL for a folder, nothing for a zip
    /// (the file stays inside it).
    func fileURL(_ relative: String) -> String? {
        guard case .folder(let folder) = storage else { return nil }
        return folder.appendingPathComponent(relative).absoluteString
    }

    /// True when `value` looks like a URL with a scheme (http:, https:, mailto:, ...).
    static func hasScheme(_ value: String) -> Bool {
        guard let colon = value.firstIndex(of: ":") else { return false }
        let scheme = value[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }
}

