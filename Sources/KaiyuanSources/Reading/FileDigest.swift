#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib
import CISAL

/// What the ingest ledger records of a file's content: `crc32:XXXXXXXX` over its bytes as
/// stored (compressed, for gzip). One pass over a file already in the page cache costs a few
/// milliseconds per 40 MB hour, and tells a complete file from the cut one of the same name.
/// ISA-L computes it when the machine has it (the same CRC-32, several times faster).
public enum FileDigest {
    /// zlib's crc32() continued over `count` bytes, by ISA-L when present.
    static func crc32(_ crc: UInt32, _ bytes: UnsafeRawPointer?, _ count: Int, library: GzipInflater = .preferred) -> UInt32 {
        guard let bytes, count > 0 else { return crc }
        if library == .isal && GzipInflater.isalAvailable {
            return kaiyuan_isal_crc32(crc, bytes.assumingMemoryBound(to: UInt8.self), UInt64(count))
        }
        return UInt32(truncatingIfNeeded: crc32_z(uLong(crc), bytes.assumingMemoryBound(to: Bytef.self), z_size_t(count)))
    }

    static func hex(_ crc: UInt32) -> String {
        let hex = String(crc, radix: 16)
        return "crc32:" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    public static func of(path: String) throws(SourceError) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let size = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        var crc: UInt32 = 0
        while true {
            let n = read(fd, buffer, size)
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            crc = crc32(crc, buffer, n)
        }
        return hex(crc)
    }
}

extension FileDigest {
    /// The same digest over bytes in memory (an API page as received).
    public static func of(bytes: [UInt8]) -> String {
        hex(bytes.withUnsafeBytes { crc32(0, $0.baseAddress, $0.count) })
    }
}
