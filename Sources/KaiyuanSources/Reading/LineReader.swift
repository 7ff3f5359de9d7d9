#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream into lines without copying them: each line is handed out as a view
/// into one reusable buffer, valid only during the callback.
public struct LineReader {
    private let source: any ByteSource
    private let path: String
    private let maxLineLength: Int
    private var blockSize: Int
    /// Whether the text ended without a newline after its last line.
    public private(set) var endedMidLine = false
    /// Lines of `maxLineLength` bytes or more, skipped whole: their numbers and lengths. One
    /// such line costs the line, never the file.
    public private(set) var overlongLines: [(line: Int, bytes: Int)] = []
    /// The text ended inside an over-long line (no newline after it): a file cut short.
    public private(set) var endedInOverlongLine = false

    public init(source: any ByteSource, path: String, blockSize: Int = 4 << 20, maxLineLength: Int = 256 << 20) {
        self.source = source
        self.path = path
        self.blockSize = blockSize
        self.maxLineLength = maxLineLength
    }

    /// Calls `body` with every non-empty line (without its `\n` or `\r\n`) and its 1-based
    /// line number.
    /// `overlong` hears of each skipped over-long line where it stands in the text (its
    /// number and length), for readers whose lines depend on the ones before.
    public mutating func forEachLine(
        overlong: (Int, Int) throws -> Void = { _, _ in },
        _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
    ) throws {
        var capacity = blockSize
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0
        var lineNumber = 0
        var atEnd = false
        // Bytes of an over-long line dropped so far (-1: not in one).
        var skipped = -1

        while !atEnd {
            if filled == capacity {
                // A line longer than the buffer: grow it, within reason; beyond that, drop it
                // up to its newline.
                if capacity >= maxLineLength {
                    skipped = max(skipped, 0) + filled
                    filled = 0
                } else {
                    let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                    bigger.copyMemory(from: buffer, byteCount: filled)
                    buffer.deallocate()
                    buffer = bigger
                    capacity *= 2
                }
            }
            let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + filled, count: capacity - filled))
            if n == 0 { atEnd = true }
            filled += n

            let bytes = buffer.assumingMemoryBound(to: UInt8.self)
            var start = 0
            if skipped >= 0 {
                if let nl = memchr(bytes, 0x0A, filled) {
                    let end = bytes.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                    lineNumber += 1
                    overlongLines.append((lineNumber, skipped + end))
                    try overlong(lineNumber, skipped + end)
                    skipped = -1
                    start = end + 1
                } else if atEnd {
                    lineNumber += 1
                    overlongLines.append((lineNumber, skipped + filled))
                    try overlong(lineNumber, skipped + filled)
                    endedMidLine = true
                    endedInOverlongLine = true
                    break
                } else {
                    skipped += filled
                    filled = 0
                    continue
                }
            }
            while start < filled {
                let rest = filled - start
                guard let nl = memchr(bytes + start, 0x0A, rest) else { break }
                let end = bytes.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                lineNumber += 1
                try emit(bytes, start, end, lineNumber, body)
                start = end + 1
            }
            if atEnd && start < filled {
                endedMidLine = true
                lineNumber += 1
                try emit(bytes, start, filled, lineNumber, body)
                start = filled
            }
            // Keep the incomplete last line at the front of the buffer.
            if start > 0 {
                if start < filled { memmove(buffer, buffer + start, filled - start) }
                filled -= start
            }
        }
    }

    @inline(__always)
    private func emit(_ bytes: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int, _ line: Int,
                      _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        var end = end
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        if end > start {
            try body(UnsafeBufferPointer(start: bytes + start, count: end - start), line)
        }
    }
}
