import AgoraKit
import CZlib
import Foundation

/// Inflates deflate streams: raw (inside a zip) and gzip (a feed sent compressed).
enum Inflate {
    enum Wrapper {
        case raw, gzip

        var windowBits: Int32 { self == .raw ? -15 : 15 + 16 }
    }

    enum Failure: Error { case broken, tooLarge }

    /// The first `count` bytes a gzip stream inflates to, or as many as `input` holds (it may
    /// be the start of a file): enough to tell what the file inside is.
    static func head(ofGzip input: Data, count: Int) -> Data {
        var stream = z_stream()
        guard agora_inflate_init(&stream, Wrapper.gzip.windowBits) == Z_OK else { return Data() }
        defer { inflateEnd(&stream) }
        var buffer = [UInt8](repeating: 0, count: count)
        let produced: Int = input.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int in
            stream.next_in = UnsafeMutablePointer(mutating: raw.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(raw.count)
            return buffer.withUnsafeMutableBufferPointer { out -> Int in
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(count)
                _ = CZlib.inflate(&stream, Z_SYNC_FLUSH)
                return count - Int(stream.avail_out)
            }
        }
        return Data(buffer.prefix(produced))
    }

    static func isGzip(_ data: Data) -> Bool { data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B }

    /// The inflated bytes, made a chunk at a time and stopped as soon as they would grow past
    /// `limit`: a bomb costs no more memory than the limit.
    static func inflate(_ input: Data, wrapper: Wrapper, limit: Int = 1 << 31) -> Result<Data, Failure> {
        var stream = z_stream()
        guard agora_inflate_init(&stream, wrapper.windowBits) == Z_OK else { return .failure(.broken) }
        defer { inflateEnd(&stream) }
        var output = Data()
        output.reserveCapacity(min(limit, max(1 << 16, input.count * 4)))
        let chunk = 1 << 16
        var buffer = [UInt8](repeating: 0, count: chunk)
        let status: Int32 = input.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int32 in
            stream.next_in = UnsafeMutablePointer(mutating: raw.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(raw.count)
            while true {
                let result = buffer.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk - Int(stream.avail_out)
                if output.count + produced > limit { return Z_MEM_ERROR }
                output.append(buffer, count: produced)
                if result == Z_STREAM_END { return Z_STREAM_END }
                if result != Z_OK { return result }
                if stream.avail_in == 0 && produced == 0 { return Z_BUF_ERROR }
            }
        }
        if status == Z_MEM_ERROR { return .failure(.tooLarge) }
        return status == Z_STREAM_END ? .success(output) : .failure(.broken)
    }
}

/// Reads a zip file held in memory: the central directory, then each entry on demand.
/// Entries are never written to disk, so a hostile name ("../../x") cannot land anywhere, and
/// never inflated past what they say they hold or the caps below (docs/limits.md), so a zip
/// bomb is refused before it costs memory.
struct ZipArchive {
    /// The most one entry may hold, inflated.
    static let maximumEntry = 256 << 20
    /// The most all the entries together may hold.
    static let maximumTotal = 1 << 30
    /// How many times its compressed size an entry of more than a MiB may hold (JSON rarely
    /// compresses more than 20 times; a bomb does a thousand).
    static let maximumRatio = 100

    struct Entry {
        var name: String
        var method: UInt16
        var compressedSize: Int
        var size: Int
        var localHeader: Int
    }

    let path: String
    let data: Data
    let entries: [String: Entry]

    static func isZip(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    init(data: Data, path: String) throws {
        self.path = path
        self.data = data
        entries = try data.withUnsafeBytes { try Self.directory($0.bindMemory(to: UInt8.self), path: path) }
        let total = entries.values.reduce(0) { $0 + $1.size }
        if total > Self.maximumTotal {
            throw AgoraError.overLimit(.init(path: path), .archiveTotal(found: total, most: Self.maximumTotal))
        }
    }

    /// The central directory: every file entry by name (folders left out). Read in place, so a
    /// large zip is not copied to be looked at.
    private static func directory(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws -> [String: Entry] {
        var entries: [String: Entry] = [:]
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
        var end = -1
        var at = bytes.count - 22
        while at >= max(0, bytes.count - 22 - 65_535) {
            if bytes[at] == 0x50, bytes[at + 1] == 0x4B, bytes[at + 2] == 0x05, bytes[at + 3] == 0x06 { end = at; break }
            at -= 1
        }
        guard end >= 0 else { throw AgoraError.badInput(.init(path: path), "not a zip file this can read (no central directory; is it cut short?)") }
        let count = u16(end + 10)
        var offset = u32(end + 16)
        for index in 0..<count {
            guard offset + 46 <= bytes.count, u32(offset) == 0x0201_4B50 else {
                throw AgoraError.badInput(.init(path: path), "broken zip directory at entry \(index + 1)")
            }
            let nameLength = u16(offset + 28), extraLength = u16(offset + 30), commentLength = u16(offset + 32)
            guard offset + 46 + nameLength <= bytes.count else {
                throw AgoraError.badInput(.init(path: path), "broken zip directory at entry \(index + 1)")
            }
            let name = String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self)
            let entry = Entry(name: name, method: UInt16(u16(offset + 10)), compressedSize: u32(offset + 20),
                              size: u32(offset + 24), localHeader: u32(offset + 42))
            if !name.hasSuffix("/") { entries[name] = entry }
            offset += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }

    var names: [String] { entries.keys.sorted() }

    func contents(_ name: String) throws -> Data {
        guard let entry = entries[name] else { throw AgoraError.badInput(.init(path: path), "no \(name) in the zip") }
        let bytes = data
        let base = bytes.startIndex + entry.localHeader
        guard entry.localHeader + 30 <= bytes.count, bytes[base] == 0x50, bytes[base + 1] == 0x4B else {
            throw AgoraError.badInput(.init(path: path, entry: name), "broken zip entry")
        }
        let nameLength = Int(bytes[base + 26]) | Int(bytes[base + 27]) << 8
        let extraLength = Int(bytes[base + 28]) | Int(bytes[base + 29]) << 8
        let start = entry.localHeader + 30 + nameLength + extraLength
        guard start + entry.compressedSize <= bytes.count else {
            throw AgoraError.badInput(.init(path: path, entry: name), "the zip is cut short")
        }
        let stored = bytes.subdata(in: (bytes.startIndex + start)..<(bytes.startIndex + start + entry.compressedSize))
        switch entry.method {
        case 0:
            return stored
        case 8:
            if entry.size > Self.maximumEntry {
                throw AgoraError.overLimit(.init(path: path, entry: name), .entrySize(found: entry.size, most: Self.maximumEntry))
            }
            if entry.size > 1 << 20, entry.size / max(1, entry.compressedSize) > Self.maximumRatio {
                throw AgoraError.overLimit(.init(path: path, entry: name), .ratio(found: entry.size / max(1, entry.compressedSize), most: Self.maximumRatio, bytes: entry.size))
            }
            switch Inflate.inflate(stored, wrapper: .raw, limit: entry.size) {
            case .success(let out): return out
            case .failure(.tooLarge):
                throw AgoraError.overLimit(.init(path: path, entry: name), .declaredSize(entry.size))
            case .failure(.broken):
                throw AgoraError.badInput(.init(path: path, entry: name), "the compressed data is broken")
            }
        default:
            throw AgoraError.badInput(.init(path: path, entry: name), "compressed with method \(entry.method), which this cannot read (only stored and deflate)")
        }
    }
}
