import CZlib
import Foundation

/// Deflate for tests: gzip answers from the test server, deflated entries in test zips.
public enum Deflate {
    public static func raw(_ data: Data) -> Data { compress(data, windowBits: -15) }
    public static func gzip(_ data: Data) -> Data { compress(data, windowBits: 15 + 16) }

    private static func compress(_ input: Data, windowBits: Int32) -> Data {
        var stream = z_stream()
        precondition(agora_deflate_init(&stream, windowBits) == Z_OK)
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
        var bytes = [UInt8](input)
        let produced = bytes.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer -> Int in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        return Data(output[..<produced])
    }
}

/// Writes zip files as archivers do: local headers, data, central directory.
public struct ZipWriter {
    private var body = Data()
    private var directory = Data()
    private var count = 0

    public init() {}

    public mutating func add(_ name: String, _ data: Data, deflate: Bool = true) {
        let stored = deflate ? Deflate.raw(data) : data
        let crc = data.withUnsafeBytes { UInt32(crc32(0, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count))) }
        let nameBytes = Data(name.utf8)
        let method: UInt16 = deflate ? 8 : 0
        let offset = UInt32(body.count)
        var local = Data()
        local.le32(0x0403_4B50); local.le16(20); local.le16(0x0800); local.le16(method); local.le16(0); local.le16(0)
        local.le32(crc); local.le32(UInt32(stored.count)); local.le32(UInt32(data.count))
        local.le16(UInt16(nameBytes.count)); local.le16(0)
        body += local + nameBytes + stored
        var central = Data()
        central.le32(0x0201_4B50); central.le16(20); central.le16(20); central.le16(0x0800); central.le16(method)
        central.le16(0); central.le16(0); central.le32(crc); central.le32(UInt32(stored.count)); central.le32(UInt32(data.count))
        central.le16(UInt16(nameBytes.count)); central.le16(0); central.le16(0); central.le16(0); central.le16(0)
        central.le32(0); central.le32(offset)
        directory += central + nameBytes
        count += 1
    }

    public var data: Data {
        var end = Data()
        end.le32(0x0605_4B50); end.le16(0); end.le16(0); end.le16(UInt16(count)); end.le16(UInt16(count))
        end.le32(UInt32(directory.count)); end.le32(UInt32(body.count)); end.le16(0)
        return body + directory + end
    }
}

extension Data {
    mutating func le16(_ value: UInt16) { append(contentsOf: [UInt8(value & 0xFF), UInt8(value >> 8)]) }
    mutating func le32(_ value: UInt32) {
        append(contentsOf: [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)])
    }
}
