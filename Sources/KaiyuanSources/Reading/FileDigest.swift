#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// What the ingest ledger records of a file's content: `crc32:XXXXXXXX` over its bytes as
/// stored (compressed, for gzip). One pass over a file already in the page cache costs a few
/// milliseconds per 40 MB hour, and tells a complete file from the cut one of the same name.
public enum FileDigest {
    public static func of(path: String) throws(SourceError) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let size = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        var crc = crc32(0, nil, 0)
        while true {
            let n = read(fd, buffer, size)
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            crc = crc32(crc, buffer.assumingMemoryBound(to: Bytef.self), uInt(n))
        }
        let hex = String(UInt32(truncatingIfNeeded: crc), radix: 16)
        return "crc32:" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}

extension FileDigest {
    /// The same digest over bytes in memory (an API page as received).
    public static func of(bytes: [UInt8]) -> String {
        let crc = bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        let hex = String(UInt32(truncatingIfNeeded: crc), radix: 16)
        return "crc32:" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}
