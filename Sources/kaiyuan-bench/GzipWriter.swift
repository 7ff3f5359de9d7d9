import CZlib
import Foundation

/// Streams bytes into a gzip file (zlib's deflate with the gzip wrapper, as GH Archive's
/// files are written).
final class GzipWriter {
    private let stream: UnsafeMutablePointer<z_stream>
    private let out: UnsafeMutablePointer<UInt8>
    private let outSize = 1 << 20
    private let handle: FileHandle
    private var pending = [UInt8]()

    init(path: String, level: Int32 = 6) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let h = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteNoPermission) }
        handle = h
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        out = .allocate(capacity: outSize)
        guard deflateInit2_(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CocoaError(.fileWriteUnknown)
        }
        pending.reserveCapacity(1 << 20)
    }

    func write(_ text: String) {
        pending.append(contentsOf: text.utf8)
        if pending.count >= 1 << 20 { flush(Z_NO_FLUSH) }
    }

    private func flush(_ mode: Int32) {
        pending.withUnsafeMutableBufferPointer { buf in
            stream.pointee.next_in = buf.baseAddress
            stream.pointee.avail_in = uInt(buf.count)
            repeat {
                stream.pointee.next_out = out
                stream.pointee.avail_out = uInt(outSize)
                deflate(stream, mode)
                let n = outSize - Int(stream.pointee.avail_out)
                if n > 0 { handle.write(Data(bytes: out, count: n)) }
            } while stream.pointee.avail_out == 0
        }
        pending.removeAll(keepingCapacity: true)
    }

    func close() {
        flush(Z_FINISH)
        deflateEnd(stream)
        stream.deallocate()
        out.deallocate()
        try? handle.close()
    }
}
