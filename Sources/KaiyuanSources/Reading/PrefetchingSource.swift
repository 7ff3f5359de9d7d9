import Foundation
import Synchronization

/// Reads (and for gzip, inflates) the next blocks of a file on a second thread while the
/// caller parses the current one: decompression is most of an import's time, and this
/// overlaps it with scanning and folding.
public final class PrefetchingSource: ByteSource, @unchecked Sendable {
    private let inner: any ByteSource
    private let blockSize: Int
    private var blocks: [UnsafeMutableRawBufferPointer]
    private var lengths: [Int]
    private var failure: SourceError?
    private let free = DispatchSemaphore(value: 0)
    private let ready = DispatchSemaphore(value: 0)
    private let stop = Atomic<Bool>(false)
    private let consumed = Atomic<Int64>(0)
    private let finished = DispatchSemaphore(value: 0)
    // Consumer side.
    private var current = -1
    private var offset = 0
    private var ended = false
    private var closed = false

    public init(_ inner: any ByteSource, blockSize: Int = 4 << 20, depth: Int = 3) {
        self.inner = inner
        self.blockSize = blockSize
        blocks = (0..<depth).map { _ in .allocate(byteCount: blockSize, alignment: 16) }
        lengths = Array(repeating: 0, count: depth)
        for _ in 0..<depth { free.signal() }
        let thread = Thread { [self] in produce() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    public var fileBytesConsumed: Int64 { consumed.load(ordering: .relaxed) }

    private func produce() {
        defer { finished.signal() }
        var i = 0
        while true {
            free.wait()
            if stop.load(ordering: .relaxed) { return }
            do {
                let n = try inner.read(into: blocks[i])
                lengths[i] = n
                consumed.store(inner.fileBytesConsumed, ordering: .relaxed)
                ready.signal()
                if n == 0 { return }
            } catch {
                failure = error
                lengths[i] = -1
                ready.signal()
                return
            }
            i = (i + 1) % blocks.count
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
        var written = 0
        while written < buffer.count && !ended {
            if current < 0 {
                ready.wait()
                current = nextIndex
                offset = 0
                if lengths[current] < 0 { ended = true; throw failure! }
                if lengths[current] == 0 { ended = true; break }
            }
            let n = min(buffer.count - written, lengths[current] - offset)
            (buffer.baseAddress! + written).copyMemory(from: blocks[current].baseAddress! + offset, byteCount: n)
            written += n
            offset += n
            if offset == lengths[current] {
                nextIndex = (current + 1) % blocks.count
                current = -1
                free.signal()
            }
        }
        return written
    }

    private var nextIndex = 0

    public func close() {
        guard !closed else { return }
        closed = true
        stop.store(true, ordering: .relaxed)
        free.signal()           // wake a producer waiting for room
        finished.wait()         // and wait for it to leave before freeing what it writes into
        for b in blocks { b.deallocate() }
        inner.close()
    }

    deinit { close() }
}
