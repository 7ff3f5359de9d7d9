#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a line is not a well-formed event.
public enum ScanError: Error, Equatable, CustomStringConvertible {
    case notAnObject
    case unexpectedEnd
    case unexpected(byte: UInt8, offset: Int)
    case trailingBytes(offset: Int)
    case tooDeep

    public var description: String {
        switch self {
        case .notAnObject: "not a JSON object"
        case .unexpectedEnd: "JSON ends early (truncated line?)"
        case let .unexpected(byte, offset):
            "unexpected \(byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))") at byte \(offset)"
        case let .trailingBytes(offset): "extra characters after the JSON object at byte \(offset)"
        case .tooDeep: "JSON nested too deeply"
        }
    }
}

/// A forward-only reader over one line of JSON. It walks the structure and skips whatever
/// the caller does not ask for, without building values: strings are skipped with memchr,
/// kept ones are returned as spans.
struct JSONCursor {
    let base: UnsafePointer<UInt8>
    let end: Int
    var i = 0

    init(_ line: UnsafeBufferPointer<UInt8>) {
        base = line.baseAddress!
        end = line.count
    }

    @inline(__always) var atEnd: Bool { i >= end }

    @inline(__always) mutating func skipWhitespace() {
        while i < end {
            let c = base[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    @inline(__always) mutating func peek() throws(ScanError) -> UInt8 {
        skipWhitespace()
        guard i < end else { throw .unexpectedEnd }
        return base[i]
    }

    @inline(__always) mutating func expect(_ byte: UInt8) throws(ScanError) {
        let c = try peek()
        guard c == byte else { throw .unexpected(byte: c, offset: i) }
        i += 1
    }

    /// Iterates the members of an object, calling `member` with each key's span; `member` must
    /// consume the value. Returns false (having consumed the value) when the value is not an
    /// object, e.g. `null`.
    @inline(__always)
    mutating func forEachMember(_ member: (inout JSONCursor, ByteSpan) throws(ScanError) -> Void) throws(ScanError) -> Bool {
        if try peek() != UInt8(ascii: "{") { try skipValue(); return false }
        i += 1
        if try peek() == UInt8(ascii: "}") { i += 1; return true }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw .unexpected(byte: base[i], offset: i) }
            let key = try readString()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
            let c = try peek()
            i += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "}") { return true }
            throw .unexpected(byte: c, offset: i - 1)
        }
    }

    /// Reads a string at the cursor (which must be at its opening quote) and returns its span
    /// without the quotes.
    @inline(__always) mutating func readString() throws(ScanError) -> ByteSpan {
        let start = i + 1
        try skipString()
        let count = i - 1 - start
        let escaped = count > 0 && memchr(base + start, 0x5C, count) != nil
        return ByteSpan(start: start, count: count, escaped: escaped)
    }

    /// Skips a string starting at its opening quote.
    @inline(__always) mutating func skipString() throws(ScanError) {
        var j = i + 1
        while true {
            guard j < end, let q = memchr(base + j, 0x22, end - j) else { throw .unexpectedEnd }
            let qi = base.distance(to: q.assumingMemoryBound(to: UInt8.self))
            // The quote is escaped when an odd number of backslashes precede it.
            var k = qi - 1
            var slashes = 0
            while k >= j && base[k] == 0x5C { slashes += 1; k -= 1 }
            j = qi + 1
            if slashes & 1 == 0 { i = j; return }
        }
    }

    /// Skips any value.
    mutating func skipValue() throws(ScanError) {
        let c = try peek()
        switch c {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipNested()
        default:
            // A number or a literal: up to the next delimiter.
            let start = i
            while i < end {
                let b = base[i]
                if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]") || b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { break }
                i += 1
            }
            if i == start { throw .unexpected(byte: c, offset: i) }
        }
    }

    /// Skips an object or array by counting brackets, skipping strings whole.
    private mutating func skipNested() throws(ScanError) {
        var depth = 0
        while i < end {
            let b = base[i]
            switch b {
            case UInt8(ascii: "\""):
                try skipString()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > 512 { throw .tooDeep }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { i += 1; return }
            default:
                break
            }
            i += 1
        }
        throw .unexpectedEnd
    }

    /// An integer, or a string of digits (GH Archive writes event ids as strings). Anything
    /// else (null, a fraction, text) is consumed and gives nil.
    mutating func readInteger() throws(ScanError) -> Int64? {
        var c = try peek()
        let quoted = c == UInt8(ascii: "\"")
        if quoted {
            let span = try readString()
            return parseInteger(span.start, span.start + span.count)
        }
        let start = i
        if c == UInt8(ascii: "-") { i += 1 }
        while i < end {
            c = base[i]
            if c < 0x30 || c > 0x39 { break }
            i += 1
        }
        let digitsEnd = i
        if i < end, base[i] == UInt8(ascii: ".") || base[i] == UInt8(ascii: "e") || base[i] == UInt8(ascii: "E") || digitsEnd == start {
            i = start
            try skipValue()
            return nil
        }
        return parseInteger(start, digitsEnd)
    }

    private func parseInteger(_ start: Int, _ stop: Int) -> Int64? {
        var j = start
        var negative = false
        if j < stop && base[j] == UInt8(ascii: "-") { negative = true; j += 1 }
        guard j < stop, stop - j <= 18 else { return nil }
        var value: Int64 = 0
        while j < stop {
            let d = base[j] &- 0x30
            guard d < 10 else { return nil }
            value = value &* 10 &+ Int64(d)
            j += 1
        }
        return negative ? -value : value
    }

    /// true or false; anything else is consumed and gives nil.
    mutating func readBool() throws(ScanError) -> Bool? {
        let c = try peek()
        if c == UInt8(ascii: "t"), end - i >= 4, base[i + 1] == UInt8(ascii: "r") { i += 4; return true }
        if c == UInt8(ascii: "f"), end - i >= 5, base[i + 1] == UInt8(ascii: "a") { i += 5; return false }
        try skipValue()
        return nil
    }

    /// A string value's span, or nil (having consumed the value) when it is not a string.
    mutating func readStringValue() throws(ScanError) -> ByteSpan? {
        if try peek() == UInt8(ascii: "\"") { return try readString() }
        try skipValue()
        return nil
    }

    @inline(__always) func spanEquals(_ span: ByteSpan, _ literal: StaticString) -> Bool {
        span.count == literal.utf8CodeUnitCount && memcmp(base + span.start, literal.utf8Start, span.count) == 0
    }

    @inline(__always) func spanEquals(_ span: ByteSpan, _ bytes: [UInt8]) -> Bool {
        span.count == bytes.count && bytes.withUnsafeBufferPointer { memcmp(base + span.start, $0.baseAddress!, span.count) == 0 }
    }
}

/// Decodes a JSON string's contents (escapes included) into a String. Invalid UTF-8, and NUL
/// (`\u0000`, which C APIs and SQLite would cut a name at), are replaced with U+FFFD rather
/// than rejected: a name is still a name.
public func decodeJSONString(_ bytes: UnsafeBufferPointer<UInt8>, escaped: Bool) -> String {
    guard escaped else { return String(decoding: bytes, as: UTF8.self) }
    var out = [UInt8]()
    out.reserveCapacity(bytes.count)
    var i = 0
    func hex4(_ at: Int) -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for k in at..<at + 4 {
            let c = bytes[k]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }
    while i < bytes.count {
        let c = bytes[i]
        guard c == 0x5C, i + 1 < bytes.count else { out.append(c); i += 1; continue }
        let e = bytes[i + 1]
        i += 2
        switch e {
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "u"):
            guard var scalar = hex4(i) else { out.append(contentsOf: "\u{FFFD}".utf8); continue }
            i += 4
            if (0xD800..<0xDC00).contains(scalar), i + 6 <= bytes.count, bytes[i] == 0x5C, bytes[i + 1] == UInt8(ascii: "u"),
               let low = hex4(i + 2), (0xDC00..<0xE000).contains(low) {
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                i += 6
            }
            out.append(contentsOf: String(scalar == 0 ? "\u{FFFD}" : Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
        default: out.append(e)
        }
    }
    return String(decoding: out, as: UTF8.self)
}
