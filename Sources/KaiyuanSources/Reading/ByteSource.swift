#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// Why a file could not be read. Every case names the file, so a message can be shown as is.
public enum SourceError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case readFailed(path: String, reason: String)
    case notGzip(path: String)
    case gzipCorrupt(path: String, reason: String, compressedOffset: Int64)
    case gzipTruncated(path: String, compressedOffset: Int64)
    /// The text ends in the middle of a line that is no event: the file was cut short.
    case endsMidLine(path: String, line: Int)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): "\(path): cannot open (\(reason))"
        case let .readFailed(path, reason): "\(path): read failed (\(reason))"
        case let .notGzip(path): "\(path): named .gz but is not gzip data"
        case let .gzipCorrupt(path, reason, offset):
            // zlib checks a member's CRC-32 and length only at its end: the damage is before.
            if reason.contains("incorrect data check") || reason.contains("incorrect length check") {
                "\(path): corrupt gzip data: the \(reason.contains("length") ? "length" : "CRC-32") check failed at the end of a gzip member (compressed byte \(offset)), so some byte before it is damaged; the whole file was rejected"
            } else {
                "\(path): corrupt gzip data: inflate failed at compressed byte \(offset) (\(reason)); the whole file was rejected"
            }
        case let .gzipTruncated(path, offset): "\(path): gzip stream ends early after \(offset) compressed bytes (truncated download?); the whole file was rejected"
        case let .endsMidLine(path, line): "\(path):\(line): the file ends in the middle of this line (cut short?); the whole file was rejected"
        }
    }
}

/// A stream of bytes read in large blocks.
public protocol ByteSource: AnyObject {
    /// Fills up to `buffer.count` bytes; returns 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int
    /// Bytes consumed from the file on disk so far (compressed bytes for gzip), for progress.
    var fileBytesConsumed: Int64 { get }
    func close()
}

/// A file read with read(2): no Foundation, no per-call allocation.
public final class FileByteSource: ByteSource {
    public let path: String
    fileprivate var fd: Int32
    public private(set) var fileBytesConsumed: Int64 = 0

    public init(path: String) throws(SourceError) {
        self.path = path
        fd = open(path, O_RDONLY)
        if fd < 0 { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Reads an open descriptor (a pipe from a child process, say) and closes it at the end.
    public init(fileDescriptor: Int32, name: String) {
        path = name
        fd = fileDescriptor
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { fileBytesConsumed += Int64(n); return n }
            if errno == EINTR { continue }
            throw .readFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }

    deinit { close() }

    public func close() {
        if fd >= 0 { _ = Glibc.close(fd); fd = -1 }
    }
}

/// Streaming gzip inflate (zlib) over a file: memory stays at the two buffers whatever the
/// file's size. Handles multi-member files (concatenated gzip), as `gzip -d` does.
public final class GzipByteSource: ByteSource {
    private let file: FileByteSource
    private let input: UnsafeMutableRawBufferPointer
    // zlib keeps a pointer back to its z_stream, so the stream must never move.
    private let stream: UnsafeMutablePointer<z_stream>
    private var streamEnded = false
    private var inputEnded = false
    private var initialized = false

    public var fileBytesConsumed: Int64 { file.fileBytesConsumed }
    public var path: String { file.path }

    public init(file: FileByteSource, inputBufferSize: Int = 1 << 20) throws(SourceError) {
        self.file = file
        input = .allocate(byteCount: inputBufferSize, alignment: 16)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 window bits + 16: gzip wrapper only.
        let rc = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            input.deallocate()
            stream.deallocate()
            throw .gzipCorrupt(path: file.path, reason: "zlib init failed (\(rc))", compressedOffset: 0)
        }
        initialized = true
    }

    private var consumedOffset: Int64 { file.fileBytesConsumed - Int64(stream.pointee.avail_in) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
        guard !streamEnded else { return 0 }
        stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(buffer.count)
        while stream.pointee.avail_out > 0 {
            try refillIfEmpty()
            let rc = inflate(stream, Z_NO_FLUSH)
            switch rc {
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress possible: either out of space (handled by the loop) or out of input.
                if stream.pointee.avail_in == 0 && inputEnded {
                    throw .gzipTruncated(path: file.path, compressedOffset: consumedOffset)
                }
            case Z_STREAM_END:
                // Another gzip member may follow; anything else after the end is garbage.
                try refillIfEmpty()
                if stream.pointee.avail_in == 0 && inputEnded {
                    streamEnded = true
                    return buffer.count - Int(stream.pointee.avail_out)
                }
                if stream.pointee.avail_in >= 2 && stream.pointee.next_in[0] == 0x1f && stream.pointee.next_in[1] == 0x8b {
                    inflateReset(stream)
                } else if allZero(stream.pointee.next_in, Int(stream.pointee.avail_in)) {
                    // Zero padding after the last member (tape blocks, preallocated files):
                    // gzip accepts it, however long, as long as nothing but zeros follows.
                    while true {
                        stream.pointee.avail_in = 0
                        try refillIfEmpty()
                        if stream.pointee.avail_in == 0 && inputEnded {
                            streamEnded = true
                            return buffer.count - Int(stream.pointee.avail_out)
                        }
                        if !allZero(stream.pointee.next_in, Int(stream.pointee.avail_in)) {
                            throw .gzipCorrupt(path: file.path, reason: "unexpected bytes after the gzip stream's zero padding", compressedOffset: consumedOffset)
                        }
                    }
                } else {
                    throw .gzipCorrupt(path: file.path, reason: "unexpected bytes after the gzip stream", compressedOffset: consumedOffset)
                }
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                throw .gzipCorrupt(path: file.path, reason: reason, compressedOffset: consumedOffset)
            }
        }
        return buffer.count
    }

    private func refillIfEmpty() throws(SourceError) {
        guard stream.pointee.avail_in == 0 && !inputEnded else { return }
        let n = try file.read(into: input)
        if n == 0 { inputEnded = true; return }
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(n)
    }

    private func allZero(_ p: UnsafeMutablePointer<Bytef>, _ n: Int) -> Bool {
        for i in 0..<n where p[i] != 0 { return false }
        return true
    }

    deinit { close() }

    public func close() {
        if initialized { inflateEnd(stream); initialized = false; input.deallocate(); stream.deallocate() }
        file.close()
    }
}

/// Opens a file as plain or gzip bytes, by its content (the gzip magic), not its name.
public func openEventFile(path: String) throws(SourceError) -> any ByteSource {
    let file = try FileByteSource(path: path)
    var magic: (UInt8, UInt8) = (0, 0)
    let n = withUnsafeMutableBytes(of: &magic) { pread(file.fd, $0.baseAddress, 2, 0) }
    if n == 2 && magic.0 == 0x1f && magic.1 == 0x8b {
        return try GzipByteSource(file: file)
    }
    if path.hasSuffix(".gz") { file.close(); throw .notGzip(path: path) }
    return file
}


