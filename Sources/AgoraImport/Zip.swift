import AgoraKit
import CZlib
import Foundation

/// Inflates deflate streams: raw (inside a zip) and gzip (a feed sent compressed).
enum Inflate {
    enum Wrapper {
        case raw, gzip

        var windowBits: Int32 { self == .raw ? -15 : 15 + 16 }
    }

    /// The inflated bytes; nil when the stream is broken or would grow past `limit`.
    static func inflate(_ input: Data, wrapper: Wrapper, limit: Int = 1 << 31) -> Data? {
        var stream = z_stream()
        guard agora_inflate_init(&stream, wrapper.windowBits) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output = Data()
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
                output.append(buffer, count: produced)
                if output.count > limit { return Z_MEM_ERROR }
                if result == Z_STREAM_END { return Z_STREAM_END }
                if result != Z_OK { return result }
                if stream.avail_in == 0 && produced == 0 { return Z_BUF_ERROR }
            }
        }
        return status == Z_STREAM_END ? output : nil
    }
}

/// Reads a zip file held in memory: the central directory, then each entry on demand.
/// Entries are never written to disk, so a hostile name ("../../x") cannot land anywhere.
struct ZipArchive {
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
        guard end >= 0 else { throw AgoraError.invalidArgument("\(path): not a zip file this can read (no central directory; is it cut short?)") }
        let count = u16(end + 10)
        var offset = u32(end + 16)
        for index in 0..<count {
            guard offset + 46 <= bytes.count, u32(offset) == 0x0201_4B50 else {
                throw AgoraError.invalidArgument("\(path): broken zip directory at entry \(index + 1)")
            }
            let nameLength = u16(offset + 28), extraLength = u16(offset + 30), commentLength = u16(offset + 32)
            guard offset + 46 + nameLength <= bytes.count else {
                throw AgoraError.invalidArgument("\(path): broken zip directory at entry \(index + 1)")
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
        guard let entry = entries[name] else { throw AgoraError.invalidArgument("\(path): no \(name) in the zip") }
        let bytes = data
        let base = bytes.startIndex + entry.localHeader
        guard entry.localHeader + 30 <= bytes.count, bytes[base] == 0x50, bytes[base + 1] == 0x4B else {
            throw AgoraError.invalidArgument("\(path): \(name): broken zip entry")
        }
        let nameLength = Int(bytes[base + 26]) | Int(bytes[base + 27]) << 8
        let extraLength = Int(bytes[base + 28]) | Int(bytes[base + 29]) << 8
        let start = entry.localHeader + 30 + nameLength + extraLength
        guard start + entry.compressedSize <= bytes.count else {
            throw AgoraError.invalidArgument("\(path): \(name): the zip is cut short")
        }
        let stored = bytes.subdata(in: (bytes.startIndex + start)..<(bytes.startIndex + start + entry.compressedSize))
        switch entry.method {
        case 0:
            return stored
        case 8:
            guard let out = Inflate.inflate(stored, wrapper: .raw, limit: max(entry.size, 1) * 2 + 1 << 20) else {
                throw AgoraError.invalidArgument("\(path): \(name): the compressed data is broken")
            }
            return out
        default:
            throw AgoraError.invalidArgument("\(path): \(name): compressed with method \(entry.method), which this cannot read (only stored and deflate)")
        }
    }
}
