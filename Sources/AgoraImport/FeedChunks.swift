import AgoraKit
import Foundation

/// The input of a feed in pieces, from memory or read from a file as it is parsed.
extension FeedStream {
    /// The input in pieces: HTML's named entities (which XML does not know) made numeric, and
    /// whitespace before the XML declaration dropped (Ning's activity feed starts with a newline).
    struct Chunks {
        var next: () throws -> Data?
    }

    static func chunks(of data: Data) -> Chunks {
        var offset = data.startIndex
        var carry = Data()
        var first = true
        return Chunks {
            guard offset < data.endIndex || !carry.isEmpty else { return nil }
            let end = min(data.endIndex, offset + (1 << 20))
            var piece = carry + data[offset..<end]
            offset = end
            carry = Data()
            if end < data.endIndex { carry = holdBackEntity(&piece) }
            if first { trimLeadingSpace(&piece); first = false }
            return HTMLEntities.numbered(piece)
        }
    }

    static func chunks(ofFile path: String, progress: ((Int, Int) -> Void)?) throws -> Chunks {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw AgoraError.cannotRead(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        var done = 0
        var carry = Data()
        var first = true
        return Chunks {
            let read = (try? handle.read(upToCount: 1 << 20)) ?? nil
            guard let read, !read.isEmpty else {
                try? handle.close()
                if carry.isEmpty { return nil }
                defer { carry = Data() }
                return HTMLEntities.numbered(carry)
            }
            done += read.count
            progress?(done, size)
            var piece = carry + read
            carry = holdBackEntity(&piece)
            if first { trimLeadingSpace(&piece); first = false }
            return HTMLEntities.numbered(piece)
        }
    }

    /// An `&name` cut by the end of a chunk waits for the next one.
    private static func holdBackEntity(_ piece: inout Data) -> Data {
        let tail = piece.suffix(12)
        guard let amp = tail.lastIndex(of: UInt8(ascii: "&")), !piece[amp...].contains(UInt8(ascii: ";")) else { return Data() }
        let held = Data(piece[amp...])
        piece = Data(piece[..<amp])
        return held
    }

    private static func trimLeadingSpace(_ piece: inout Data) {
        var start = piece.startIndex
        if piece.starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
        while start < piece.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(piece[start]) { start += 1 }
        if start != piece.startIndex, start + 5 <= piece.endIndex, piece[start..<(start + 5)].elementsEqual(Array("<?xml".utf8)) {
            piece = Data(piece[start...])
        }
    }
}
