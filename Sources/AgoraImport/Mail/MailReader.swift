import AgoraKit
import Foundation

extension SourceReader {
    /// A mailing list's archive: an mbox (mboxo, mboxrd, mboxcl2), a pipermail month, a
    /// LISTSERV export, gzip'd or not; a folder of them (its months), one list; or a Maildir.
    public static let mailingList = SourceReader(
        format: "mbox", kind: .mailingList, describes: "a mailing-list archive (mbox, pipermail month, LISTSERV log)",
        recognise: { head in MailArchive.looksLikeMail(head.data) ? .byContent : nil },
        recogniseFolder: { MailArchive.isMaildir($0) || !MailArchive.files(inFolder: $0).isEmpty },
        read: { request in
            // Several files are the list of the folder the first is in: the same list as that
            // folder imported whole.
            let several = !request.morePaths.isEmpty
            let location = URL(fileURLWithPath: several ? (request.path as NSString).deletingLastPathComponent : request.path)
                .standardizedFileURL.path
            // First every message's headers (threads and people need only them), each message
            // remembered by where it is; then the bodies, read again a batch at a time as they are written.
            let files: MailFiles
            var read: [MailImport.Letter] = []
            if request.isFolder, MailArchive.isMaildir(request.path) {
                // One file a message, its flags in its name.
                let found = MailArchive.maildirFiles(request.path)
                files = MailFiles(found.map(\.path))
                read = try MailArchive.letters(ofMaildir: found, files: files)
            } else {
                let paths = request.isFolder ? MailArchive.files(inFolder: request.path) : [request.path] + request.morePaths
                files = MailFiles(paths)
                for (index, file) in paths.enumerated() {
                    request.progress.bar((file as NSString).lastPathComponent, done: index, total: paths.count, unit: "files")
                    // Numbered far apart per file: a file's messages keep their order among its own.
                    read += try MailArchive.letters(ofFile: file, index: index, orderBase: index << 32)
                }
                request.progress.finish()
            }
            let port = try request.open()
            // The letters are let go once the plan is made: it keeps only where their bodies are.
            let plan = try { () throws -> MailImport.Plan in
                let ordered = MailImport.ordered(read)
                read = []
                return try MailImport.plan(ordered, location: location, port: port)
            }()
            var outcome = Outcome(summary: try MailImport.write(plan, files: files, to: port))
            outcome.namesCommunity = plan.content.sources.first
            return outcome
        },
        sync: { sync, source, updated, report, store in try sync.syncList(source, &updated, &report, into: store) },
        adding: .mailingList)
}

/// Files of mail: read whole, inflated when gzip'd (within a cap).
enum MailArchive {
    /// The most a gzip'd archive may inflate to.
    static let largest = 2 << 30

    static func looksLikeMail(_ head: Data) -> Bool {
        let text = Inflate.isGzip(head) ? Inflate.head(ofGzip: head, count: 4_096) : head
        return Mbox.looksLikeMbox(text) || Mbox.looksLikeListservLog(text)
    }

    static func contents(_ path: String) throws -> Data {
        let data = try CacheFile.readData(path: path)
        return Inflate.isGzip(data) ? try inflated(data, path: path) : data
    }

    /// A file's messages' headers read, each message remembered by where it is: an mbox a piece
    /// at a time (16 MiB), so that a 245 MiB archive is never held whole; a gzip'd file or a
    /// LISTSERV log whole (its messages held).
    static func letters(ofFile path: String, index file: Int, orderBase: Int, pieceSize: Int = 16 << 20) throws -> [MailImport.Letter] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return try whole(path, orderBase: orderBase) }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4_096)) ?? Data()
        guard !Inflate.isGzip(head), !Mbox.looksLikeListservLog(head) else { return try whole(path, orderBase: orderBase) }
        var carry = head
        // Where `carry` begins in the file.
        var carryOffset = 0
        var letters: [MailImport.Letter] = []
        var order = orderBase
        while true {
            let piece: Data
            do { piece = try handle.read(upToCount: pieceSize) ?? Data() } catch {
                throw AgoraError.cannotRead(path: path, reason: AgoraError.reason(of: error))
            }
            carry.append(piece)
            let (located, restStart) = Mbox.locate(carry, final: piece.isEmpty)
            letters += MailImport.letters(located, in: carry, file: file, offset: carryOffset, orderBase: order)
            order += located.count
            carry = Data(carry[(carry.startIndex + restStart)...])
            carryOffset += restStart
            if piece.isEmpty { return letters }
        }
    }

    /// A Maildir's messages' headers, each read from its own file (only the first 64 KiB: the headers).
    static func letters(ofMaildir found: [(path: String, flags: MailImport.Flags)], files: MailFiles) throws -> [MailImport.Letter] {
        let indices = Array(found.indices)
        let chunks = stride(from: 0, to: indices.count, by: 256).map { Array(indices[$0..<min(indices.count, $0 + 256)]) }
        let shared = UncheckedSendable(found)
        let copies = OneCopy()
        let read = Concurrently.map(chunks, minimum: 2, chunk: 1) { chunk -> Result<[MailImport.Letter], Error> in
            Result {
                try chunk.compactMap { index -> MailImport.Letter? in
                    let path = shared.value[index].path
                    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
                    let head = try CacheFile.readData(path: path, limit: 64 << 10)
                    return MailImport.letter(head, order: index, flags: shared.value[index].flags,
                                             bytes: .inFile(file: index, offset: 0, count: size ?? head.count, quoted: false), copies: copies)
                }
            }
        }
        return try read.flatMap { try $0.get() }
    }

    private static func whole(_ path: String, orderBase: Int) throws -> [MailImport.Letter] {
        let data = try contents(path)
        let messages = Mbox.looksLikeListservLog(data) ? Mbox.listservMessages(data) : Mbox.messages(data)
        return MailImport.letters(messages, flags: nil, orderBase: orderBase)
    }

    /// Gzip'd mail inflated, within the cap.
    static func inflated(_ data: Data, path: String) throws -> Data {
        switch Inflate.inflate(data, wrapper: .gzip, limit: largest) {
        case .success(let inflated): return inflated
        case .failure(.tooLarge): throw AgoraError.overLimit(.init(path: path), .inflated(largest))
        case .failure: throw AgoraError.badInput(.init(path: path), "the gzip stream is broken")
        }
    }

    /// A Maildir: a folder with `cur` or `new` in it.
    static func isMaildir(_ path: String) -> Bool {
        ["cur", "new"].contains { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(name), isDirectory: &isFolder) && isFolder.boolValue
        }
    }

    /// A Maildir's messages (`cur`, then `new`, each in name order) with the flags their names
    /// carry; a message in `new` has not been seen.
    static func maildirFiles(_ path: String) -> [(path: String, flags: MailImport.Flags)] {
        ["cur", "new"].flatMap { folder -> [(path: String, flags: MailImport.Flags)] in
            let dir = (path as NSString).appendingPathComponent(folder)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
            return names.map { name in
                var flags = MailImport.Flags(maildirName: name)
                if folder == "new" { flags.seen = false }
                return ((dir as NSString).appendingPathComponent(name), flags)
            }
        }
    }

    /// A folder's mail archives (its months), in name order; none for a folder of anything else.
    static func files(inFolder path: String) -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
        return names.map { (path as NSString).appendingPathComponent($0) }.filter { file in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), !isFolder.boolValue,
                  let head = try? CacheFile.readData(path: file, limit: 4_096) else { return false }
            return looksLikeMail(head)
        }
    }
}
