/// Splits text into the words licence texts are compared by: ScanCode's query tokenizer
/// (`[^_\W]+\+?[^_\W]*`, lower-cased, markup stopwords left out), except that each CJK
/// character is a word of its own so that Chinese texts compare word by word.
///
/// It works on UTF-8 bytes and calls back with each token's bytes and line; it allocates
/// nothing per token on ASCII text.
public enum LicenceTokenizer {
    /// Calls `body(bytes, line)` for every token of `text` (lines count from 1).
    public static func forEachToken(_ text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Int32) -> Void) {
        var scratch = [UInt8](repeating: 0, count: 256)
        scratch.withUnsafeMutableBufferPointer { buf in
            var line: Int32 = 1
            var i = 0
            let n = text.count
            var len = 0
            var tokenLine: Int32 = 1
            var sawPlus = false
            @inline(__always) func flush() {
                if len > 0 {
                    if !isStopword(UnsafeBufferPointer(rebasing: buf[0..<len])) { body(UnsafeBufferPointer(rebasing: buf[0..<len]), tokenLine) }
                    len = 0
                }
                sawPlus = false
            }
            @inline(__always) func append(_ b: UInt8) {
                if len == 0 { tokenLine = line }
                if len < buf.count { buf[len] = b; len += 1 }
            }
            while i < n {
                let b = text[i]
                if b < 0x80 {
                    if (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) { append(b) }
                    else if b >= 0x41 && b <= 0x5a { append(b | 0x20) }
                    else if b == 0x2b && len > 0 && !sawPlus { append(b); sawPlus = true }
                    else {
                        flush()
                        if b == 0x0a { line += 1 }
                    }
                    i += 1
                    continue
                }
                // A multi-byte scalar: decode it.
                let (scalar, width) = decode(text, at: i)
                i += width
                guard let scalar else { flush(); continue }
                let v = scalar.value
                if isCJK(v) {
                    flush()
                    var unit = [UInt8](); unit.reserveCapacity(4)
                    for u in String(Character(scalar)).utf8 { unit.append(u) }
                    tokenLine = line
                    unit.withUnsafeBufferPointer { body($0, line) }
                    continue
                }
                let p = scalar.properties
                if p.isAlphabetic || p.numericType != nil {
                    for u in (p.changesWhenLowercased ? p.lowercaseMapping : String(Character(scalar))).utf8 { append(u) }
                } else {
                    flush()
                }
            }
            flush()
        }
    }

    /// Tokens of a Swift string (for rules and tests).
    public static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { b in
            forEachToken(UnsafeBufferPointer(b)) { t, _ in out.append(String(decoding: t, as: UTF8.self)) }
        }
        return out
    }

    static func isCJK(_ v: UInt32) -> Bool {
        (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0x3040...0x30FF).contains(v) || (0xAC00...0xD7AF).contains(v)
    }

    @inline(__always) static func decode(_ t: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar?, Int) {
        let b0 = UInt32(t[i])
        let width = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 1
        guard width > 1, i + width <= t.count else { return (nil, 1) }
        var v = b0 & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
        for k in 1..<width {
            let c = UInt32(t[i + k])
            guard c & 0xC0 == 0x80 else { return (nil, 1) }
            v = v << 6 | (c & 0x3F)
        }
        return (Unicode.Scalar(v), width)
    }

    /// ScanCode's markup stopwords (licensedcode/stopwords.py).
    static let stopwords: Set<UInt64> = Set("""
        a abbr alt amp apos auto bdquo bull bullet class colon comma div dnl echo em emdash
        emsp ensp ge gt h1 h2 h3 h4 h5 hairsp head1 head2 head3 height hr href img ldquo ldquor le li lists lpar lsaquo
        lsquo lsquor lt mdash nav nbsp ndash numsp ol p padding para period pre printf puncsp quot raquo rdquo rdquor rel
        rem rpar rsaquo rsquo rsquor sbquo script semi side span src td th thinsp tilde tr ul ulink width x3c x3e
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { word in
            Array(word.utf8).withUnsafeBufferPointer { packed($0) }
        })

    /// Up to 8 bytes in one integer: stopwords compare without an allocation.
    @inline(__always) static func packed(_ t: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var v: UInt64 = 0
        for b in t { v = v << 8 | UInt64(b) }
        return v
    }

    static let blockquote = Array("blockquote".utf8)

    @inline(__always) static func isStopword(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        if t.count <= 8 { return stopwords.contains(packed(t)) }
        return t.count == 10 && t.elementsEqual(blockquote)
    }
}
