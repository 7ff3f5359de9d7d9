#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib
import CISAL

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
            if reason.contains("incorrect data check") || reason.contains("incorrect length check") || reason.contains("incorrect data or length check") {
                "\(path): corrupt gzip data: the \(reason.contains("data or length") ? "CRC-32 or length" : reason.contains("length") ? "length" : "CRC-32") check failed at the end of a gzip member (compressed byte \(offset)), so some byte before it is damaged; the whole file was rejected"
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

/// Which library inflates gzip. ISA-L (Intel's, loaded at run time when the machine has
/// `libisal.so.2`) inflates GH Archive hours several times faster than zlib; zlib is always
/// there. `$KAIYUAN_INFLATE=zlib|isal` chooses; otherwise ISA-L when present.
public enum GzipInflater: String, Sendable, CaseIterable {
    case isal, zlib

    /// Whether ISA-L was found (and kaiyuan was built with its header).
    public static var isalAvailable: Bool { kaiyuan_isal_available() != 0 }

    /// What `openEventFile` uses: `$KAIYUAN_INFLATE` when it names an available one, else
    /// ISA-L when present, else zlib.
    public static let preferred: GzipInflater = {
        if let name = getenv("KAIYUAN_INFLATE").map({ String(cString: $0) }), let chosen = GzipInflater(rawValue: name) {
            return chosen == .isal && !isalAvailable ? .zlib : chosen
        }
        return isalAvailable ? .isal : .zlib
    }()
}

/// One inflate library behind the member logic of `GzipByteSource`.
private protocol Inflating: AnyObject {
    var availIn: Int { get }
    var nextIn: UnsafePointer<UInt8> { get }
    func setInput(_ start: UnsafePointer<UInt8>, count: Int)
    /// Inflates into `output`; `.memberEnd` once a member's trailer was checked.
    func inflate(into output: UnsafeMutablePointer<UInt8>, capacity: Int) -> (produced: Int, result: InflateResult)
    /// Starts the next gzip member on the unread input.
    func startNextMember()
    func end()
}

private enum InflateResult { case ok, memberEnd, failed(String) }

private final class ZlibInflating: Inflating {
    // zlib keeps a pointer back to its z_stream, so the stream must never move.
    private let stream: UnsafeMutablePointer<z_stream>

    init?() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 window bits + 16: gzip wrapper only.
        guard inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            return nil
        }
    }

    var availIn: Int { Int(stream.pointee.avail_in) }
    var nextIn: UnsafePointer<UInt8> { UnsafePointer(stream.pointee.next_in) }

    func setInput(_ start: UnsafePointer<UInt8>, count: Int) {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: start)
        stream.pointee.avail_in = uInt(count)
    }

    func inflate(into output: UnsafeMutablePointer<UInt8>, capacity: Int) -> (produced: Int, result: InflateResult) {
        stream.pointee.next_out = output
        stream.pointee.avail_out = uInt(capacity)
        let rc = CZlib.inflate(stream, Z_NO_FLUSH)
        let produced = capacity - Int(stream.pointee.avail_out)
        switch rc {
        case Z_OK, Z_BUF_ERROR: return (produced, .ok)   // Z_BUF_ERROR: no progress possible now
        case Z_STREAM_END: return (produced, .memberEnd)
        default: return (produced, .failed(stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"))
        }
    }

    func startNextMember() { inflateReset(stream) }
    func end() { inflateEnd(stream); stream.deallocate() }
}

private final class ISALInflating: Inflating {
    private let state: OpaquePointer

    init?() {
        guard let state = kaiyuan_isal_new() else { return nil }
        self.state = state
    }

    var availIn: Int { Int(kaiyuan_isal_avail_in(state)) }
    var nextIn: UnsafePointer<UInt8> { kaiyuan_isal_next_in(state) }
    func setInput(_ start: UnsafePointer<UInt8>, count: Int) { kaiyuan_isal_set_input(state, start, UInt32(count)) }

    func inflate(into output: UnsafeMutablePointer<UInt8>, capacity: Int) -> (produced: Int, result: InflateResult) {
        var produced: UInt32 = 0
        let rc = kaiyuan_isal_inflate(state, output, UInt32(capacity), &produced)
        if rc < 0 { return (Int(produced), .failed(Self.reason(rc))) }
        return (Int(produced), kaiyuan_isal_member_finished(state) != 0 ? .memberEnd : .ok)
    }

    // In zlib's words, so that a message reads the same whichever library found the damage.
    private static func reason(_ rc: Int32) -> String {
        switch rc {
        case -1: "invalid block type"
        case -2: "invalid code (bad symbol)"
        case -3: "invalid distance too far back"
        case -4: "incorrect header check"
        case -5: "unknown compression method"
        // ISA-L checks the CRC-32 and the length in one comparison.
        case -6: "incorrect data or length check"
        default: "ISA-L error \(rc)"
        }
    }

    func startNextMember() { kaiyuan_isal_reset(state) }
    func end() { kaiyuan_isal_free(state) }
}

/// Streaming gzip inflate over a file (ISA-L or zlib): memory stays at the two buffers whatever
/// the file's size. Handles multi-member files (concatenated gzip), as `gzip -d` does.
public final class GzipByteSource: ByteSource {
    private let file: FileByteSource
    private let input: UnsafeMutableRawBufferPointer
    private let inflater: any Inflating
    public let library: GzipInflater
    private var streamEnded = false
    private var inputEnded = false
    private var open = true

    public var fileBytesConsumed: Int64 { file.fileBytesConsumed }
    public var path: String { file.path }

    public init(file: FileByteSource, inflater library: GzipInflater = .preferred, inputBufferSize: Int = 1 << 20) throws(SourceError) {
        self.file = file
        let made: (any Inflating)? = library == .isal ? ISALInflating() : ZlibInflating()
        guard let made else {
            throw .gzipCorrupt(path: file.path, reason: "\(library.rawValue) could not be initialised", compressedOffset: 0)
        }
        inflater = made
        self.library = library
        input = .allocate(byteCount: max(inputBufferSize, 16), alignment: 16)
    }

    private var consumedOffset: Int64 { file.fileBytesConsumed - Int64(inflater.availIn) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
        guard !streamEnded, buffer.count > 0 else { return 0 }
        let out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var written = 0
        while written < buffer.count {
            try refillIfEmpty()
            let before = inflater.availIn
            let (produced, result) = inflater.inflate(into: out + written, capacity: buffer.count - written)
            written += produced
            switch result {
            case .ok:
                if produced == 0 && inflater.availIn == 0 && inputEnded {
                    throw .gzipTruncated(path: file.path, compressedOffset: consumedOffset)
                }
                if produced == 0 && inflater.availIn == before && before > 0 {
                    throw .gzipCorrupt(path: file.path, reason: "inflate made no progress", compressedOffset: consumedOffset)
                }
            case .memberEnd:
                // Another gzip member may follow; anything else after the end is garbage.
                try refill(atLeast: 2)
                if inflater.availIn == 0 && inputEnded {
                    streamEnded = true
                    return written
                }
                if inflater.availIn >= 2 && inflater.nextIn[0] == 0x1f && inflater.nextIn[1] == 0x8b {
                    inflater.startNextMember()
                } else if allZero(inflater.nextIn, inflater.availIn) {
                    // Zero padding after the last member (tape blocks, preallocated files):
                    // gzip accepts it, however long, as long as nothing but zeros follows.
                    while true {
                        inflater.setInput(inflater.nextIn, count: 0)
                        try refillIfEmpty()
                        if inflater.availIn == 0 && inputEnded {
                            streamEnded = true
                            return written
                        }
                        if !allZero(inflater.nextIn, inflater.availIn) {
                            throw .gzipCorrupt(path: file.path, reason: "unexpected bytes after the gzip stream's zero padding", compressedOffset: consumedOffset)
                        }
                    }
                } else {
                    throw .gzipCorrupt(path: file.path, reason: "unexpected bytes after the gzip stream", compressedOffset: consumedOffset)
                }
            case .failed(let reason):
                throw .gzipCorrupt(path: file.path, reason: reason, compressedOffset: consumedOffset)
            }
        }
        return written
    }

    private func refillIfEmpty() throws(SourceError) {
        guard inflater.availIn == 0 && !inputEnded else { return }
        try refill(atLeast: 1)
    }

    /// Makes at least `count` unread bytes available unless the file ends first, keeping the
    /// unread ones: a member's magic can straddle two reads.
    private func refill(atLeast count: Int) throws(SourceError) {
        while inflater.availIn < count && !inputEnded {
            let kept = inflater.availIn
            let base = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
            if kept > 0 { (input.baseAddress!).copyMemory(from: inflater.nextIn, byteCount: kept) }
            let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: input[kept...]))
            if n == 0 { inputEnded = true }
            inflater.setInput(base, count: kept + n)
        }
    }

    private func allZero(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        for i in 0..<n where p[i] != 0 { return false }
        return true
    }

    deinit { close() }

    public func close() {
        if open { inflater.end(); input.deallocate(); open = false }
        file.close()
    }
}

/// Opens a file as plain or gzip bytes, by its content (the gzip magic), not its name.
public func openEventFile(path: String, inflater: GzipInflater = .preferred) throws(SourceError) -> any ByteSource {
    let file = try FileByteSource(path: path)
    var magic: (UInt8, UInt8) = (0, 0)
    let n = withUnsafeMutableBytes(of: &magic) { pread(file.fd, $0.baseAddress, 2, 0) }
    if n == 2 && magic.0 == 0x1f && magic.1 == 0x8b {
        return try GzipByteSource(file: file, inflater: inflater)
    }
    if path.hasSuffix(".gz") { file.close(); throw .notGzip(path: path) }
    return file
}


