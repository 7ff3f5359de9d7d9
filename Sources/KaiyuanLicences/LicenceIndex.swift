import Foundation
import KaiyuanSources

/// A licence the index knows: ScanCode's key, its SPDX id (or `LicenseRef-scancode-…` /
/// `LicenseRef-kaiyuan-…`), its category and whether the OSI approved it.
public struct KnownLicence: Sendable, Hashable {
    public var key: String
    public var spdx: String
    public var category: LicenceCategory
    public var osiApproved: Bool
    public var isException: Bool
    public var name: String
}

/// One pattern to find: a licence's full text, or a rule (a notice, a reference by name, a
/// manifest tag, or a known false positive) with the licence expression it stands for.
public struct LicenceRule: Sendable {
    public enum Kind: UInt8, Sendable {
        case licenceText, ruleText, notice, reference, tag, falsePositive
        /// "Licensed under the": a licence follows, or an unknown one is meant.
        case intro
    }
    /// ScanCode keys, e.g. `apache-2.0 OR mit`; empty for a false positive.
    public var expression: String
    public var kind: Kind
    public var relevance: Int
    /// The rule's own least coverage (percent), 0 when it sets none.
    public var minimumCoverage: Int
    /// Where its tokens are in `LicenceIndex.ruleTokens`.
    public var start: Int
    public var length: Int
    /// Token ranges (within the rule) a match must contain word for word: ScanCode's required
    /// phrases (`{{…}}`, a licence's name or version), or the whole of a continuous rule.
    public var required: [Range<Int>] = []
}

public enum LicenceIndexError: Error, CustomStringConvertible {
    case missing(String)
    case malformed(String, line: Int, reason: String)
    public var description: String {
        switch self {
        case let .missing(path): "the licence index is missing (\(path)); rebuild kaiyuan (`swift build`) or regenerate it with scripts/licence-index/build.py"
        case let .malformed(path, line, reason): "\(path):\(line): the licence index is damaged (\(reason)); regenerate it with scripts/licence-index/build.py"
        }
    }
}

/// The licence database kaiyuan ships (built from ScanCode's data by
/// `scripts/licence-index/build.py`), loaded once, with a table of token 4-grams for finding
/// candidate rules quickly.
public final class LicenceIndex: @unchecked Sendable {
    public let licences: [KnownLicence]
    public let licenceByKey: [String: Int]
    let licenceBySPDX: [String: Int]
    public let rules: [LicenceRule]
    /// Every rule's tokens, one after another.
    let ruleTokens: [UInt16]
    let vocabulary: TokenTable
    /// 4-gram → postings (rule index << 32 | position in the rule), sampled every 4 tokens.
    let grams: GramTable
    /// Rules shorter than 4 tokens, by their packed tokens (see `shortKey`).
    let shortRules: [UInt64: [Int32]]
    /// Token ids that begin a short rule.
    let shortStarts: Set<UInt16>
    /// How many sampled grams each rule has (the most hits a whole match gives).
    let sampledGrams: [Int32]
    /// The attribution line of the data it was built from.
    public let source: String

    public static let unknownToken: UInt16 = 0xFFFF
    static let gramStep = 4

    /// The index built into kaiyuan, loaded on first use.
    public static func shared() throws -> LicenceIndex {
        try sharedLock.withLock {
            if let loaded = sharedIndex { return loaded }
            // Beside the executable first (an installed copy), then where SwiftPM built it;
            // `Bundle.module` would trap when neither is there.
            let name = "kaiyuan_KaiyuanLicences.resources/licence-index.txt.gz"
            let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
            var candidates = [executable.appendingPathComponent(name).path]
            if let env = ProcessInfo.processInfo.environment["KAIYUAN_LICENCE_INDEX"] { candidates.insert(env, at: 0) }
            candidates += Bundle.allBundles.map { $0.bundleURL.appendingPathComponent(name).path }
            candidates += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent(name).path }
            guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw LicenceIndexError.missing("\(name) beside the kaiyuan binary, or $KAIYUAN_LICENCE_INDEX")
            }
            let index = try LicenceIndex(gzipPath: path)
            sharedIndex = index
            return index
        }
    }
    nonisolated(unsafe) private static var sharedIndex: LicenceIndex?
    private static let sharedLock = NSLock()

    public convenience init(gzipPath: String) throws {
        let source: any ByteSource
        do { source = try GzipByteSource(file: try FileByteSource(path: gzipPath)) } catch { throw LicenceIndexError.missing(gzipPath) }
        defer { source.close() }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        try self.init(text: bytes, path: gzipPath)
    }

    init(text: [UInt8], path: String) throws {
        var lines = text.split(separator: 0x0A, omittingEmptySubsequences: false)[...]
        var lineNo = 0
        func next() throws -> ArraySlice<UInt8> {
            guard let l = lines.popFirst() else { throw LicenceIndexError.malformed(path, line: lineNo, reason: "ends early") }
            lineNo += 1
            return l
        }
        func count(_ word: String) throws -> Int {
            let l = String(decoding: try next(), as: UTF8.self)
            guard l.hasPrefix(word + " "), let n = Int(l.dropFirst(word.count + 1)) else {
                throw LicenceIndexError.malformed(path, line: lineNo, reason: "expected `\(word) N`")
            }
            return n
        }
        guard String(decoding: try next(), as: UTF8.self) == "kaiyuan-licence-index 2" else {
            throw LicenceIndexError.malformed(path, line: 1, reason: "not a kaiyuan licence index of version 2")
        }
        source = String(decoding: try next(), as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "# "))
        let tokenCount = try count("tokens")
        guard tokenCount < Int(LicenceIndex.unknownToken) else { throw LicenceIndexError.malformed(path, line: lineNo, reason: "too many tokens") }
        var vocab = TokenTable(capacity: tokenCount)
        for id in 0..<tokenCount { vocab.insert(Array(try next()), id: UInt16(id)) }
        vocabulary = vocab

        var licences: [KnownLicence] = []
        var byKey: [String: Int] = [:]
        for _ in 0..<(try count("licences")) {
            let f = String(decoding: try next(), as: UTF8.self).split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 6 else { throw LicenceIndexError.malformed(path, line: lineNo, reason: "a licence needs 6 fields") }
            byKey[f[0]] = licences.count
            licences.append(KnownLicence(key: f[0], spdx: f[1], category: LicenceCategory(scancode: f[2], key: f[0]),
                                         osiApproved: f[3] == "1", isException: f[4] == "1", name: f[5]))
        }
        self.licences = licences
        licenceByKey = byKey
        var bySPDX: [String: Int] = [:]
        for (n, l) in licences.enumerated() where bySPDX[l.spdx.lowercased()] == nil { bySPDX[l.spdx.lowercased()] = n }
        licenceBySPDX = bySPDX

        var rules: [LicenceRule] = []
        var tokens: [UInt16] = []
        tokens.reserveCapacity(text.count / 3)
        for _ in 0..<(try count("rules")) {
            let l = try next()
            let f = l.split(separator: 0x09, maxSplits: 5, omittingEmptySubsequences: false)
            guard f.count == 6, let kindByte = f[1].first else { throw LicenceIndexError.malformed(path, line: lineNo, reason: "a rule needs 6 fields") }
            let kind: LicenceRule.Kind
            switch kindByte {
            case UInt8(ascii: "x"): kind = .licenceText
            case UInt8(ascii: "t"): kind = .ruleText
            case UInt8(ascii: "n"): kind = .notice
            case UInt8(ascii: "r"): kind = .reference
            case UInt8(ascii: "g"): kind = .tag
            case UInt8(ascii: "f"): kind = .falsePositive
            case UInt8(ascii: "i"): kind = .intro
            default: throw LicenceIndexError.malformed(path, line: lineNo, reason: "unknown rule kind")
            }
            let start = tokens.count
            var value = 0, inNumber = false
            for b in f[4] {
                if b == 0x20 {
                    if inNumber { tokens.append(UInt16(value)); value = 0; inNumber = false }
                    continue
                }
                let d = b >= 0x61 ? Int(b) - 0x61 + 10 : Int(b) - 0x30
                guard d >= 0, d < 36 else { throw LicenceIndexError.malformed(path, line: lineNo, reason: "bad token id") }
                value = value * 36 + d
                guard value < tokenCount else { throw LicenceIndexError.malformed(path, line: lineNo, reason: "token id out of range") }
                inNumber = true
            }
            if inNumber { tokens.append(UInt16(value)) }
            guard tokens[start...].allSatisfy({ Int($0) < tokenCount }) else { throw LicenceIndexError.malformed(path, line: lineNo, reason: "token id out of range") }
            let expression = String(decoding: f[0], as: UTF8.self)
            let length = tokens.count - start
            var required: [Range<Int>] = []
            for span in f[5].split(separator: UInt8(ascii: ",")) {
                let ends = span.split(separator: UInt8(ascii: "-")).compactMap { Int(String(decoding: $0, as: UTF8.self)) }
                guard ends.count == 2, ends[0] < ends[1], ends[1] <= length else { throw LicenceIndexError.malformed(path, line: lineNo, reason: "bad required phrase") }
                required.append(ends[0]..<ends[1])
            }
            rules.append(LicenceRule(expression: expression == "-" ? "" : expression, kind: kind,
                                     relevance: Int(String(decoding: f[2], as: UTF8.self)) ?? 100,
                                     minimumCoverage: Int(String(decoding: f[3], as: UTF8.self)) ?? 0,
                                     start: start, length: length, required: required))
        }
        self.rules = rules
        ruleTokens = tokens

        // The gram table: every rule of 4 tokens or more, a gram every `gramStep` tokens and its
        // last one; shorter rules by their whole packed sequence.
        var entries: [(key: UInt64, posting: UInt64)] = []
        entries.reserveCapacity(tokens.count / LicenceIndex.gramStep + rules.count)
        var short: [UInt64: [Int32]] = [:]
        var starts = Set<UInt16>()
        var sampled = [Int32](repeating: 0, count: rules.count)
        for (r, rule) in rules.enumerated() {
            if rule.length < 4 {
                let key = LicenceIndex.shortKey(tokens[rule.start..<(rule.start + rule.length)])
                short[key, default: []].append(Int32(r))
                starts.insert(tokens[rule.start])
                continue
            }
            var positions = Array(stride(from: 0, through: rule.length - 4, by: LicenceIndex.gramStep))
            if positions.last != rule.length - 4 { positions.append(rule.length - 4) }
            for j in positions {
                let s = rule.start + j
                entries.append((LicenceIndex.gramKey(tokens[s], tokens[s + 1], tokens[s + 2], tokens[s + 3]), UInt64(r) << 32 | UInt64(j)))
            }
            sampled[r] = Int32(positions.count)
        }
        entries.sort { $0.key != $1.key ? $0.key < $1.key : $0.posting < $1.posting }
        grams = GramTable(sorted: entries)
        shortRules = short
        shortStarts = starts
        sampledGrams = sampled
    }

    @inline(__always) static func gramKey(_ a: UInt16, _ b: UInt16, _ c: UInt16, _ d: UInt16) -> UInt64 {
        UInt64(a) << 48 | UInt64(b) << 32 | UInt64(c) << 16 | UInt64(d)
    }

    /// A sequence of 1–3 tokens packed with 0xFFFF (never a token) in the unused places.
    static func shortKey(_ t: ArraySlice<UInt16>) -> UInt64 {
        var key: UInt64 = 0
        var i = 0
        for v in t { key = key << 16 | UInt64(v); i += 1 }
        while i < 4 { key = key << 16 | 0xFFFF; i += 1 }
        return key
    }

    /// The id of a token's bytes, or `unknownToken`.
    @inline(__always) func tokenID(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt16 {
        vocabulary.lookup(bytes)
    }

    public func licence(key: String) -> KnownLicence? { licenceByKey[key].map { licences[$0] } }

    /// A licence by its SPDX id, in any case.
    public func licence(spdx: String) -> KnownLicence? {
        let id = spdx.lowercased()
        if let n = licenceBySPDX[id] { return licences[n] }
        // SPDX's deprecated forms, still everywhere: `GPL-2.0+`, `GPL-2.0` (= -only).
        if id.hasSuffix("+"), let n = licenceBySPDX[String(id.dropLast()) + "-or-later"] { return licences[n] }
        if let n = licenceBySPDX[id + "-only"] { return licences[n] }
        return nil
    }

    /// The tokens of rule `r`.
    func tokens(of r: Int) -> ArraySlice<UInt16> { ruleTokens[rules[r].start..<(rules[r].start + rules[r].length)] }
}

/// Token bytes → id: open addressing over one byte buffer, no allocation per lookup.
struct TokenTable {
    private var bytes: [UInt8] = []
    private var offsets: [Int32] = []   // start of token id in `bytes`; count+1 entries
    private var slots: [Int32]           // token id + 1, 0 = empty
    private let mask: Int

    init(capacity: Int) {
        var size = 1
        while size < capacity * 2 + 16 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        offsets = [0]
    }

    @inline(__always) static func hash(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf29ce484222325
        for x in b { h = (h ^ UInt64(x)) &* 0x100000001b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    mutating func insert(_ token: [UInt8], id: UInt16) {
        precondition(Int(id) == offsets.count - 1)
        bytes.append(contentsOf: token)
        offsets.append(Int32(bytes.count))
        var slot = token.withUnsafeBufferPointer { TokenTable.hash($0) } & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(id) + 1
    }

    @inline(__always) func lookup(_ token: UnsafeBufferPointer<UInt8>) -> UInt16 {
        var slot = TokenTable.hash(token) & mask
        return bytes.withUnsafeBufferPointer { all in
            while true {
                let v = slots[slot]
                if v == 0 { return LicenceIndex.unknownToken }
                let id = Int(v - 1)
                let s = Int(offsets[id]), e = Int(offsets[id + 1])
                if e - s == token.count && memcmp(all.baseAddress! + s, token.baseAddress!, token.count) == 0 { return UInt16(id) }
                slot = (slot + 1) & mask
            }
        }
    }
}

/// Gram key → a run of postings; the keys sorted once, found by open addressing.
struct GramTable {
    private var keys: [UInt64] = []
    private var runs: [Int32] = []      // start of key k's postings; count+1 entries
    let postings: [UInt64]
    private var slots: [Int32]
    private let mask: Int

    init(sorted entries: [(key: UInt64, posting: UInt64)]) {
        postings = entries.map(\.posting)
        var i = 0
        while i < entries.count {
            keys.append(entries[i].key)
            runs.append(Int32(i))
            let k = entries[i].key
            while i < entries.count && entries[i].key == k { i += 1 }
        }
        runs.append(Int32(entries.count))
        var size = 1
        while size < keys.count * 2 + 16 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        for (n, k) in keys.enumerated() {
            var slot = GramTable.hash(k) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(n) + 1
        }
    }

    @inline(__always) static func hash(_ k: UInt64) -> Int {
        var h = k &* 0x9E3779B97F4A7C15
        h ^= h >> 31
        return Int(truncatingIfNeeded: h)
    }

    /// The postings of `key`, as a range of `postings`.
    @inline(__always) func find(_ key: UInt64) -> Range<Int>? {
        var slot = GramTable.hash(key) & mask
        while true {
            let v = slots[slot]
            if v == 0 { return nil }
            let n = Int(v - 1)
            if keys[n] == key { return Int(runs[n])..<Int(runs[n + 1]) }
            slot = (slot + 1) & mask
        }
    }
}
