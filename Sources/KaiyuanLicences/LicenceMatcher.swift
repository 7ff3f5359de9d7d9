import Foundation

/// How a licence was found.
public enum MatchMethod: String, Sendable, Codable, Comparable {
    /// A licence's full text, every word of it in order.
    case exactText = "exact-text"
    /// A licence's full text with words changed, added or left out (score < 100).
    case nearText = "near-text"
    /// A standard notice, header or reference by name ("Licensed under the Apache License…").
    case notice
    /// An `SPDX-License-Identifier:` tag.
    case spdxTag = "spdx-tag"
    /// A package manifest's licence field.
    case manifest

    public static func < (a: MatchMethod, b: MatchMethod) -> Bool { a.rawValue < b.rawValue }
}

public enum MatchConfidence: String, Sendable, Codable, Comparable {
    case low, high
    public static func < (a: MatchConfidence, b: MatchConfidence) -> Bool { a == .low && b == .high }
}

/// One licence found in one text.
public struct LicenceMatch: Sendable, Hashable, Codable {
    /// An SPDX id or expression (`Apache-2.0`, `GPL-2.0-or-later WITH Classpath-exception-2.0`,
    /// `LicenseRef-kaiyuan-deepseek-1.0`).
    public var id: String
    /// How much of the rule the text covers, in percent (100 for tags and manifest fields).
    public var score: Double
    public var startLine: Int
    public var endLine: Int
    public var method: MatchMethod
    /// `high` for a licence's text, a notice, an SPDX tag or a manifest field; `low` for a
    /// bare mention of a licence's name (`AGPL-3.0` in a comment, "see LICENSE"): evidence
    /// that something is licensed so, too weak to judge compatibility on.
    public var confidence: MatchConfidence

    public init(id: String, score: Double, startLine: Int, endLine: Int, method: MatchMethod, confidence: MatchConfidence = .high) {
        self.id = id; self.score = score; self.startLine = startLine; self.endLine = endLine; self.method = method; self.confidence = confidence
    }

    enum CodingKeys: String, CodingKey {
        case id, score, startLine = "start_line", endLine = "end_line", method, confidence
    }
}

/// Licence-like lines that match nothing known: reported, never forced onto a licence.
public struct UnknownLicenceText: Sendable, Hashable, Codable {
    public var startLine: Int
    public var endLine: Int
    enum CodingKeys: String, CodingKey { case startLine = "start_line", endLine = "end_line" }
}

/// What one text holds.
public struct TextLicences: Sendable, Equatable {
    public var matches: [LicenceMatch]
    public var unknown: [UnknownLicenceText]
}

/// Finds licences in a text: SPDX tags first, then the index's rules by 4-gram seeds that
/// are extended and aligned word by word, the best non-overlapping matches kept.
public struct LicenceMatcher: Sendable {
    public let index: LicenceIndex

    let licenceWordIDs: Set<UInt16>

    public init(index: LicenceIndex) {
        self.index = index
        licenceWordIDs = Set(LicenceMatcher.licenceWords.compactMap { word in
            var w = Array(word.utf8)
            let id = w.withUnsafeMutableBufferPointer { index.tokenID(UnsafeBufferPointer($0)) }
            return id == LicenceIndex.unknownToken ? nil : id
        })
    }

    /// Grams in more rule positions than this do not seed.
    static let commonGram = 4_000

    /// Rules shorter than this many words are mentions, not notices ("GPL-2.0", "MIT license").
    static let shortestNotice = 6

    /// Least share of a rule's words a match must cover, by rule size and kind.
    func threshold(_ rule: LicenceRule) -> Double {
        if rule.minimumCoverage > 0 { return Double(rule.minimumCoverage) / 100 }
        if rule.length < 20 { return 1 }
        switch rule.kind {
        case .licenceText, .ruleText: return rule.length >= 100 ? 0.7 : 0.8
        default: return 0.8
        }
    }

    struct Candidate {
        var rule: Int
        var start: Int     // query token range
        var end: Int
        var matched: Int
        var coverage: Double
    }

    struct Hit: Comparable {
        var rule: Int32, i: Int32, j: Int32
        static func < (a: Hit, b: Hit) -> Bool { (a.rule, a.i, a.j) < (b.rule, b.i, b.j) }
    }

    public func scan(_ text: UnsafeBufferPointer<UInt8>) -> TextLicences {
        var ids: [UInt16] = []
        var lines: [Int32] = []
        ids.reserveCapacity(text.count / 5)
        lines.reserveCapacity(text.count / 5)
        LicenceTokenizer.forEachToken(text) { token, line in
            ids.append(index.tokenID(token))
            lines.append(line)
        }
        // "spdx license identifier" in the token stream marks a tag line.
        var matches: [LicenceMatch] = []
        var taken = [Bool](repeating: false, count: ids.count)
        if let spdx = vocabID("spdx"), let license = vocabID("license"), let identifier = vocabID("identifier"), ids.count >= 3 {
            var tagLines = Set<Int32>()
            for i in 0..<(ids.count - 2) where ids[i] == spdx && ids[i + 1] == license && ids[i + 2] == identifier { tagLines.insert(lines[i]) }
            if !tagLines.isEmpty {
                for (n, line) in SPDXTag.lines(of: text, numbers: tagLines) {
                    if let expression = SPDXTag.expression(in: line) {
                        matches.append(LicenceMatch(id: LicenceExpression.canonical(expression, index: index), score: 100, startLine: n, endLine: n, method: .spdxTag))
                    }
                }
                for (i, l) in lines.enumerated() where tagLines.contains(l) { taken[i] = true }
            }
        }
        let selected = select(candidates(ids), taken: &taken)
        // An intro ("licensed under the") followed by a licence within two lines is part of
        // that licence's notice; alone, it is a reference to a licence not named.
        let kept = selected.filter { c in
            guard index.rules[c.rule].kind == .intro else { return true }
            let end = Int(lines[c.end - 1])
            return !selected.contains { o in
                index.rules[o.rule].kind != .intro && o.start >= c.end && Int(lines[o.start]) <= end + 2
            }
        }
        for c in kept {
            let rule = index.rules[c.rule]
            let method: MatchMethod
            switch rule.kind {
            case .licenceText, .ruleText: method = c.matched == rule.length && c.end - c.start == rule.length ? .exactText : .nearText
            default: method = .notice
            }
            // A rule of a few words, or one that only names a licence, is a mention.
            let mention = rule.kind == .reference || rule.kind == .intro || rule.length < LicenceMatcher.shortestNotice
            matches.append(LicenceMatch(id: LicenceExpression.spdx(rule.expression, index: index),
                                        score: (c.coverage * 10_000).rounded() / 100,
                                        startLine: Int(lines[c.start]), endLine: Int(lines[c.end - 1]), method: method,
                                        confidence: mention ? .low : .high))
        }
        return TextLicences(matches: LicenceMatcher.subsumed(LicenceMatcher.merged(matches)), unknown: unknownRegions(ids: ids, lines: lines, taken: taken))
    }

    /// Matches of one licence on overlapping or adjacent lines are one finding (a notice
    /// whose parts are separate rules, a text with a gap): the widest lines, the best score
    /// and method.
    static func merged(_ matches: [LicenceMatch]) -> [LicenceMatch] {
        let sorted = matches.sorted { ($0.startLine, $0.endLine, $0.id, $0.method) < ($1.startLine, $1.endLine, $1.id, $1.method) }
        let rank: (MatchMethod) -> Int = { [.exactText, .nearText, .notice, .manifest, .spdxTag].firstIndex(of: $0)! }
        var out: [LicenceMatch] = []
        var lastOf: [String: Int] = [:]   // the latest merged match of each id: linear, not quadratic
        for m in sorted {
            if m.method != .spdxTag, let k = lastOf[m.id], out[k].method != .spdxTag, m.startLine <= out[k].endLine + 1 {
                let best = out[k].score != m.score ? (out[k].score > m.score ? out[k] : m) : (rank(out[k].method) <= rank(m.method) ? out[k] : m)
                out[k] = LicenceMatch(id: m.id, score: best.score, startLine: min(out[k].startLine, m.startLine),
                                      endLine: max(out[k].endLine, m.endLine), method: best.method, confidence: max(out[k].confidence, m.confidence))
            } else {
                out.append(m)
                if m.method != .spdxTag { lastOf[m.id] = out.count - 1 }
            }
        }
        return out
    }

    /// A licence's family: its id without `-only`, `-or-later` or `+` (GPL-2.0-only and
    /// GPL-2.0-or-later are both GPL-2.0).
    static func family(_ id: String) -> String {
        var s = id.components(separatedBy: " WITH ")[0]
        for suffix in ["-only", "-or-later", "+"] where s.hasSuffix(suffix) { s.removeLast(suffix.count) }
        return s
    }

    /// A notice of a line or two right beside a longer match of the same licence family is part
    /// of it ("version 2 can be found in /usr/share/common-licenses/GPL-2" after a GPL-2+
    /// notice), not a licence of its own.
    static func subsumed(_ matches: [LicenceMatch]) -> [LicenceMatch] {
        // Matches are in line order: only those starting within a few lines can contain or touch one.
        matches.enumerated().filter { n, m in
            guard m.method == .notice, m.endLine - m.startLine <= 1 else { return true }
            let families = Set(LicenceExpression.atoms(m.id).map(family))
            var k = n - 1
            while k >= 0 && matches[k].startLine >= m.startLine - 400 { k -= 1 }
            for o in matches[(k + 1)...] {
                if o.startLine > m.endLine + 1 { break }
                if o != m && o.method != .spdxTag && o.endLine - o.startLine > m.endLine - m.startLine + 1 && m.startLine <= o.endLine + 1
                    && families.isSubset(of: Set(LicenceExpression.atoms(o.id).map(family))) { return false }
            }
            return true
        }.map(\.element)
    }

    func vocabID(_ word: String) -> UInt16? {
        var w = Array(word.utf8)
        let id = w.withUnsafeMutableBufferPointer { index.tokenID(UnsafeBufferPointer($0)) }
        return id == LicenceIndex.unknownToken ? nil : id
    }

    /// Every rule that some stretch of the text matches well enough.
    func candidates(_ ids: [UInt16]) -> [Candidate] {
        let n = ids.count
        var hits: [Hit] = []
        var out: [Candidate] = []
        if n >= 4 {
            for i in 0...(n - 4) {
                let a = ids[i], b = ids[i + 1], c = ids[i + 2], d = ids[i + 3]
                if a == LicenceIndex.unknownToken || b == LicenceIndex.unknownToken || c == LicenceIndex.unknownToken || d == LicenceIndex.unknownToken { continue }
                guard let run = index.grams.find(LicenceIndex.gramKey(a, b, c, d)) else { continue }
                // A gram shared by thousands of rules ("the software is provided") seeds nothing
                // the rarer grams around it do not: without it, a file of many licence copies
                // stays linear in memory.
                if run.count > LicenceMatcher.commonGram { continue }
                for p in run {
                    let posting = index.grams.postings[p]
                    hits.append(Hit(rule: Int32(posting >> 32), i: Int32(i), j: Int32(truncatingIfNeeded: posting & 0xFFFF_FFFF)))
                }
            }
        }
        // Short rules: the whole rule at once.
        for i in 0..<n where index.shortStarts.contains(ids[i]) {
            for len in 1...3 where i + len <= n {
                guard let rules = index.shortRules[LicenceIndex.shortKey(ids[i..<(i + len)])] else { continue }
                for r in rules { out.append(Candidate(rule: Int(r), start: i, end: i + len, matched: len, coverage: 1)) }
            }
        }
        // Group by rule in linear time (a counting sort); within a rule the hits stay in text
        // order, as they were found.
        var counts = [Int32](repeating: 0, count: index.rules.count + 1)
        for h in hits { counts[Int(h.rule) + 1] += 1 }
        for r in 0..<index.rules.count { counts[r + 1] += counts[r] }
        var grouped = hits
        var next = counts
        for h in hits { grouped[Int(next[Int(h.rule)])] = h; next[Int(h.rule)] += 1 }
        for r in 0..<index.rules.count where counts[r + 1] > counts[r] {
            chains(rule: r, hits: grouped[Int(counts[r])..<Int(counts[r + 1])], ids: ids, into: &out)
        }
        return out
    }

    /// Splits one rule's hits into chains (increasing in text and rule): the longest such
    /// chain, cut where the text and the rule drift apart, then again on the hits left (a
    /// second copy of the licence), while enough are left.
    func chains(rule r: Int, hits: ArraySlice<Hit>, ids: [UInt16], into out: inout [Candidate]) {
        let rule = index.rules[r]
        let need = max(1, Int((Double(index.sampledGrams[r]) * 0.3).rounded(.up)))
        guard hits.count >= need else { return }
        let slack = max(16, rule.length / 4)
        // By text position, and at one position the later rule position first, so that a
        // chain takes one of them only.
        var left = hits.map { (i: Int($0.i), j: Int($0.j)) }
        var s0 = 0
        while s0 < left.count {
            var e0 = s0
            while e0 + 1 < left.count && left[e0 + 1].i == left[s0].i { e0 += 1 }
            if e0 > s0 { left[s0...e0].sort { $0.j > $1.j } }
            s0 = e0 + 1
        }
        // One round per copy of the licence in the text; the hits spent each round bound the work.
        while left.count >= need {
            let lis = LongestChain.indices(left.map(\.j))
            var used = [Bool](repeating: false, count: left.count)
            for k in lis { used[k] = true }
            var chain: [(i: Int, j: Int)] = []
            func close() {
                if chain.count >= need, let c = align(rule: r, chain: chain, ids: ids), c.coverage >= threshold(rule),
                   hasRequiredPhrases(rule: r, in: ids[c.start..<c.end]) { out.append(c) }
                chain.removeAll(keepingCapacity: true)
            }
            for k in lis {
                let h = left[k]
                if let last = chain.last, abs((h.i - last.i) - (h.j - last.j)) > slack || h.i <= last.i { close() }
                chain.append(h)
            }
            close()
            if lis.count < need { break }
            // Hits inside the text the chain spans are spent as well.
            if let lo = lis.first.map({ left[$0].i }), let hi = lis.last.map({ left[$0].i }) {
                for (k, h) in left.enumerated() where h.i >= lo && h.i <= hi { used[k] = true }
            }
            left = left.indices.filter { !used[$0] }.map { left[$0] }
        }
    }

    /// Whether every required phrase of the rule (a licence's name or version) is in the
    /// matched text word for word: "version 2" where the rule says "version 3" is no match.
    func hasRequiredPhrases(rule r: Int, in text: ArraySlice<UInt16>) -> Bool {
        let rule = index.rules[r]
        guard !rule.required.isEmpty else { return true }
        let tokens = index.tokens(of: r)
        for span in rule.required {
            let phrase = tokens[(tokens.startIndex + span.lowerBound)..<(tokens.startIndex + span.upperBound)]
            guard let first = phrase.first, phrase.count <= text.count else { return false }
            var found = false
            var k = text.startIndex
            while k + phrase.count <= text.endIndex {
                if text[k] == first && text[k..<(k + phrase.count)].elementsEqual(phrase) { found = true; break }
                k += 1
            }
            if !found { return false }
        }
        return true
    }

    /// Counts the rule's words the text matches around a chain of seeds.
    func align(rule r: Int, chain: [(i: Int, j: Int)], ids: [UInt16]) -> Candidate? {
        let tokens = index.tokens(of: r)
        let base = tokens.startIndex
        let length = tokens.count
        var matched = 0
        // Between seeds.
        for (a, b) in zip(chain, chain.dropFirst()) {
            let ra = a.j, rb = b.j, qa = a.i, qb = b.i
            if rb - ra == qb - qa {
                for d in 0..<(rb - ra) where tokens[base + ra + d] == ids[qa + d] { matched += 1 }
            } else {
                matched += LCS.approximate(tokens[(base + ra)..<(base + rb)], ids[qa..<qb])
            }
        }
        // The last seed, then forward.
        let last = chain[chain.count - 1]
        matched += 4
        var end = last.i + 4
        var rj = last.j + 4
        while rj < length && end < ids.count && tokens[base + rj] == ids[end] { rj += 1; end += 1; matched += 1 }
        if rj < length {
            let rest = length - rj
            let window = min(ids.count, end + rest + 8)
            let more = LCS.approximate(tokens[(base + rj)..<(base + length)], ids[end..<window])
            matched += more
            if more * 2 >= rest { end = min(window, end + rest) }
        }
        // The first seed, then backward.
        let first = chain[0]
        var start = first.i
        var lj = first.j
        while lj > 0 && start > 0 && tokens[base + lj - 1] == ids[start - 1] { lj -= 1; start -= 1; matched += 1 }
        if lj > 0 {
            let lo = max(0, start - lj - 8)
            let more = LCS.approximate(tokens[base..<(base + lj)], ids[lo..<start])
            matched += more
            if more * 2 >= lj { start = max(lo, start - lj) }
        }
        matched = min(matched, length)
        guard end > start else { return nil }
        return Candidate(rule: r, start: start, end: end, matched: matched, coverage: Double(matched) / Double(length))
    }

    /// The best matches that do not overlap: the most words matched less five for each of
    /// the rule's words missing, so that a longer licence which contains this one (ICU around
    /// MIT) or differs from it in a word (ScanCode's many near-copies of MIT filed as
    /// proprietary) does not win over an exact match on the words they share; then coverage,
    /// relevance and rule order. False positives take their place and are dropped.
    func select(_ candidates: [Candidate], taken: inout [Bool]) -> [Candidate] {
        func weight(_ c: Candidate) -> Int { c.matched - 5 * (index.rules[c.rule].length - c.matched) }
        let ordered = candidates.sorted { a, b in
            if weight(a) != weight(b) { return weight(a) > weight(b) }
            if a.coverage != b.coverage { return a.coverage > b.coverage }
            let ra = index.rules[a.rule], rb = index.rules[b.rule]
            if ra.relevance != rb.relevance { return ra.relevance > rb.relevance }
            if a.start != b.start { return a.start < b.start }
            return a.rule < b.rule
        }
        var kept: [Candidate] = []
        for c in ordered {
            if taken[c.start..<c.end].contains(true) { continue }
            for i in c.start..<c.end { taken[i] = true }
            if index.rules[c.rule].kind != .falsePositive { kept.append(c) }
        }
        return kept
    }

    /// Words that licences use, to find licence-like text that matched nothing.
    static let licenceWords: Set<String> = [
        "license", "licence", "licensed", "licenses", "licences", "licensor", "licensee", "sublicense", "copyleft",
        "redistribute", "redistribution", "redistributions", "warranty", "warranties", "liability", "liable",
        "permission", "permitted", "royalty", "infringement", "merchantability", "许", "可", "授", "权", "担", "保",
    ]

    /// Runs of lines dense with licence words that no match covers.
    func unknownRegions(ids: [UInt16], lines: [Int32], taken: [Bool]) -> [UnknownLicenceText] {
        var regions: [UnknownLicenceText] = []
        var startLine = -1, lastWordLine = -1, hits = 0, tokens = 0
        var distinct = Set<UInt16>()
        func close() {
            if startLine >= 0 && hits >= 4 && distinct.count >= 3 && tokens >= 20 {
                regions.append(UnknownLicenceText(startLine: startLine, endLine: lastWordLine))
            }
            startLine = -1; hits = 0; tokens = 0; distinct.removeAll()
        }
        for (i, id) in ids.enumerated() where !taken[i] {
            let line = Int(lines[i])
            if startLine >= 0 && line > lastWordLine + 2 { close() }
            if licenceWordIDs.contains(id) {
                if startLine < 0 { startLine = line }
                hits += 1
                distinct.insert(id)
                lastWordLine = line
            }
            if startLine >= 0 { tokens += 1 }
        }
        close()
        return regions
    }
}

/// The longest strictly increasing subsequence (indices), in O(n log n).
enum LongestChain {
    static func indices(_ values: [Int]) -> [Int] {
        var tails: [Int] = []          // index of the smallest tail of each length
        var previous = [Int](repeating: -1, count: values.count)
        for (k, v) in values.enumerated() {
            var lo = 0, hi = tails.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if values[tails[mid]] < v { lo = mid + 1 } else { hi = mid }
            }
            if lo > 0 { previous[k] = tails[lo - 1] }
            if lo == tails.count { tails.append(k) } else { tails[lo] = k }
        }
        var out: [Int] = []
        var k = tails.last ?? -1
        while k >= 0 { out.append(k); k = previous[k] }
        return out.reversed()
    }
}

extension LCS {
    /// The exact LCS when the runs are small; else the words shared at their start and their
    /// end (an insertion or deletion between two seeds), which is what a licence text with a
    /// changed phrase looks like, in linear time.
    static func approximate(_ a: ArraySlice<UInt16>, _ b: ArraySlice<UInt16>) -> Int {
        if a.count * b.count <= 1_024 { return length(a, b) }
        var p = 0
        while p < min(a.count, b.count) && a[a.startIndex + p] == b[b.startIndex + p] { p += 1 }
        var s = 0
        while s < min(a.count, b.count) - p && a[a.endIndex - 1 - s] == b[b.endIndex - 1 - s] { s += 1 }
        let rest = length(a[(a.startIndex + p)..<(a.endIndex - s)].prefix(32), b[(b.startIndex + p)..<(b.endIndex - s)].prefix(32))
        return p + s + rest
    }
}

/// Longest common subsequence length of two token runs, in O(a·b) time and O(b) space;
/// runs too long for that count their common prefix and suffix only.
enum LCS {
    static func length(_ a: ArraySlice<UInt16>, _ b: ArraySlice<UInt16>) -> Int {
        if a.isEmpty || b.isEmpty { return 0 }
        if a.count * b.count > 4_000_000 {
            var p = 0
            while p < min(a.count, b.count) && a[a.startIndex + p] == b[b.startIndex + p] { p += 1 }
            var s = 0
            while s < min(a.count, b.count) - p && a[a.endIndex - 1 - s] == b[b.endIndex - 1 - s] { s += 1 }
            return p + s
        }
        var prev = [Int32](repeating: 0, count: b.count + 1)
        var cur = prev
        for x in a {
            for (k, y) in b.enumerated() {
                cur[k + 1] = x == y ? prev[k] + 1 : max(prev[k + 1], cur[k])
            }
            swap(&prev, &cur)
        }
        return Int(prev[b.count])
    }
}
