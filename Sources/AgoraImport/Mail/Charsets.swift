import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Bytes in a named charset as text, through the system's iconv: the charsets archives use
/// (iso-8859-*, windows-125x, koi8-r, gb2312, big5, iso-2022-jp, shift_jis ...). A wrong or
/// missing charset is guessed: UTF-8 when the bytes are UTF-8, else Windows-1252; never a crash.
public enum Charsets {
    public static func decode(_ bytes: [UInt8], charset: String?) -> String {
        var name = (charset ?? "").lowercased().spacesTrimmed
        if name.hasPrefix("\"") || name.hasPrefix("'") { name = String(name.dropFirst().dropLast()) }
        if name.isEmpty || name == "utf-8" || name == "utf8" || name == "us-ascii" || name == "ascii" {
            return guessed(bytes)
        }
        if bytes.allSatisfy({ $0 < 0x80 }), !name.hasPrefix("iso-2022"), !name.hasPrefix("utf-16") {
            return String(decoding: bytes, as: UTF8.self)
        }
        // Latin-1 is Windows-1252 in practice (its C1 controls are the quotes and dashes).
        let asked = name == "iso-8859-1" || name == "latin1" || name == "latin-1" ? "windows-1252" : name
        return converted(bytes, from: asked) ?? guessed(bytes)
    }

    /// UTF-8 when the bytes are, else Windows-1252.
    public static func guessed(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return converted(bytes, from: "windows-1252") ?? String(decoding: bytes, as: UTF8.self)
    }

    /// Through iconv; nil for a charset it does not know or bytes that are not in it.
    static func converted(_ bytes: [UInt8], from charset: String) -> String? {
        guard charset.utf8.count < 40, charset.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ":" || $0 == "." }) else { return nil }
        let cd = iconv_open("UTF-8", charset)
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
        let written: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer -> Int? in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                guard iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft) != -1 else { return nil }
                _ = iconv(cd, nil, nil, &outPointer, &outLeft)
                return outBuffer.count - outLeft
            }
        }
        guard let written else { return nil }
        return String(decoding: output[0..<written], as: UTF8.self)
    }
}
