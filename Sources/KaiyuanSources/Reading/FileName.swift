#if canImport(Glibc)
import Glibc
#endif

/// File names as the file system has them: bytes, not always UTF-8 (a GBK name from an old
/// Windows tool, a Latin-1 one from an old tarball). Such a name becomes a String that keeps
/// every byte: each byte that is not part of valid UTF-8 becomes one of U+F780…U+F7FF (a
/// private-use range), and `bytes(_:)` gives the exact name back for open(2) and friends.
public enum FileName {
    private static let escapeBase: UInt32 = 0xF700

    /// The name's bytes as a String, invalid UTF-8 bytes escaped.
    public static func string<C: Collection>(_ raw: C) -> String where C.Element == UInt8 {
        let bytes = Array(raw)
        // A name that is UTF-8 stays as it is, unless it holds the escapes themselves: their
        // bytes are escaped too, so that every name comes back exactly.
        if let valid = String(validating: bytes, as: UTF8.self), !isEscaped(valid) { return valid }
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            if let (scalar, width) = decodeScalar(bytes, at: i), !isEscape(scalar) {
                scalars.append(scalar)
                i += width
            } else {
                scalars.append(Unicode.Scalar(escapeBase | UInt32(bytes[i]))!)
                i += 1
            }
        }
        return String(scalars)
    }

    /// The exact bytes of a name made by `string(_:)`, NUL-terminated, for system calls.
    public static func bytes(_ path: String) -> [CChar] {
        var out: [CChar] = []
        out.reserveCapacity(path.utf8.count + 1)
        for scalar in path.unicodeScalars {
            if isEscape(scalar) {
                out.append(CChar(bitPattern: UInt8(scalar.value & 0xFF)))
            } else {
                for b in String(scalar).utf8 { out.append(CChar(bitPattern: b)) }
            }
        }
        out.append(0)
        return out
    }

    /// Whether the name had bytes that are not UTF-8.
    public static func isEscaped(_ path: String) -> Bool { path.unicodeScalars.contains(where: isEscape) }

    private static func isEscape(_ s: Unicode.Scalar) -> Bool { s.value >= escapeBase | 0x80 && s.value <= escapeBase | 0xFF }

    /// The raw bytes (without the NUL), for decoding the name another way.
    public static func rawBytes(_ path: String) -> [UInt8] { bytes(path).dropLast().map { UInt8(bitPattern: $0) } }

    /// One valid UTF-8 sequence at `i` (no overlong forms, no surrogates, nothing past U+10FFFF).
    private static func decodeScalar(_ b: [UInt8], at i: Int) -> (Unicode.Scalar, Int)? {
        let lead = b[i]
        func cont(_ k: Int) -> UInt32? { i + k < b.count && b[i + k] & 0xC0 == 0x80 ? UInt32(b[i + k] & 0x3F) : nil }
        switch lead {
        case 0x00...0x7F: return (Unicode.Scalar(lead), 1)
        case 0xC2...0xDF:
            guard let c1 = cont(1) else { return nil }
            return Unicode.Scalar(UInt32(lead & 0x1F) << 6 | c1).map { ($0, 2) }
        case 0xE0...0xEF:
            guard let c1 = cont(1), let c2 = cont(2) else { return nil }
            let v = UInt32(lead & 0x0F) << 12 | c1 << 6 | c2
            guard v >= 0x800 else { return nil }
            return Unicode.Scalar(v).map { ($0, 3) }
        case 0xF0...0xF4:
            guard let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) else { return nil }
            let v = UInt32(lead & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            guard v >= 0x10000 else { return nil }
            return Unicode.Scalar(v).map { ($0, 4) }
        default: return nil
        }
    }
}
