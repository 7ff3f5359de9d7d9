import Foundation
import KaiyuanCore
import KaiyuanStore

/// Two repositories, on different forges, that are copies of one another: which is upstream,
/// on what evidence, how far the mirror lags, and where the work happens.
public struct MirrorPair: Sendable {
    public struct Evidence: Sendable, Hashable {
        public var what: String
        public var strength: Strength
    }
    public enum Strength: Int, Sendable, Comparable {
        case weak = 1, medium = 2, strong = 3
        public static func < (a: Strength, b: Strength) -> Bool { a.rawValue < b.rawValue }
    }

    public var upstream: ForgeRepo
    public var mirror: ForgeRepo
    public var evidence: [Evidence]
    /// Why that side is upstream, in words.
    public var upstreamBecause: String
    public var confidence: String
    public var sharedCommits: Int?
    public var upstreamOnlyCommits: Int?
    public var mirrorOnlyCommits: Int?
    /// Days the upstream's commits the mirror lacks had waited when the mirror was read: the
    /// oldest of them (how far behind it is), and their median; 0 when it lacks none; nil
    /// without both histories.
    public var lagDaysLatest: Double?
    public var lagDaysMedian: Double?
    /// Each side's share of the pair's issues, pull requests and comments (event facts); nil
    /// when neither side has any.
    public var activityShare: [ForgeRepo: Double]?
    /// Each side's share of the people who opened, commented on or merged there.
    public var peopleShare: [ForgeRepo: Double]?
}

/// Finds mirror pairs in a store. A pair needs one of: two histories sharing a root commit
/// where one is contained in the other, up to the earlier of the times they were read
/// (strong; a shared root with both sides diverged is a fork, not a mirror); a forge API
/// naming a mirror's source (strong); a fork's parent on another forge (medium); the same
/// name with the same description or homepage (weak, and only together). Repositories are
/// compared without case, as the forges and the stores compare them.
public struct MirrorFinder {
    public let store: any DataStore

    public init(store: any DataStore) { self.store = store }

    struct History {
        var record: GitRepoRecord
        /// Commit → commit time; SHAs as their first 16 hex digits.
        var commits: [UInt64: Int64] = [:]
        var roots: Set<UInt64> = []
        /// When it was read; the newest commit time when the store does not say.
        var readAt: Int64 { record.readAt ?? commits.values.max() ?? 0 }
    }

    static func key(_ sha: String) -> UInt64 { UInt64(sha.prefix(16), radix: 16) ?? StableHash.fnv1a([sha]) }

    /// A repository as a key: its platform and lower-cased name.
    static func key(_ r: ForgeRepo) -> ForgeRepo { ForgeRepo(platform: r.platform, name: r.name.lowercased()) }

    public func find() throws -> [MirrorPair] {
        var display: [ForgeRepo: ForgeRepo] = [:]
        func k(_ r: ForgeRepo) -> ForgeRepo { let key = Self.key(r); if display[key] == nil { display[key] = r }; return key }
        // Histories, each read once.
        var histories: [ForgeRepo: History] = [:]
        for record in try store.gitRepositories() where record.commits > 0 {
            var h = History(record: record)
            try store.forEachGitCommit(repository: record.id) { c in
                let key = Self.key(c.sha)
                h.commits[key] = c.commitTime
                if c.parentCount == 0 { h.roots.insert(key) }
            }
            histories[k(record.repo)] = h
        }
        var records: [ForgeRepo: ForgeRepositoryRecord] = [:]
        for r in try store.forgeRepositories() { records[k(r.repo)] = r }

        var evidence: [Pair: [MirrorPair.Evidence]] = [:]
        func add(_ a: ForgeRepo, _ b: ForgeRepo, _ what: String, _ strength: MirrorPair.Strength) {
            guard a.platform != b.platform else { return }
            evidence[Pair(a, b), default: []].append(MirrorPair.Evidence(what: what, strength: strength))
        }
        // Shared root commits, and one history inside the other as of the earlier read.
        var byRoot: [UInt64: [ForgeRepo]] = [:]
        for (repo, h) in histories { for r in h.roots { byRoot[r, default: []].append(repo) } }
        var rootPairs: [Pair: UInt64] = [:]
        for (root, repos) in byRoot where repos.count > 1 {
            let sorted = repos.sorted()
            for i in sorted.indices { for j in sorted.indices where j > i && sorted[i].platform != sorted[j].platform {
                rootPairs[Pair(sorted[i], sorted[j])] = min(rootPairs[Pair(sorted[i], sorted[j])] ?? root, root)
            } }
        }
        for (pair, root) in rootPairs {
            let c = Self.compare(histories[pair.a]!, histories[pair.b]!)
            guard c.aOnly == 0 || c.bOnly == 0 else { continue }  // diverged: a fork, not a mirror
            add(pair.a, pair.b, "the same root commit \(String(root, radix: 16).prefix(12))", .strong)
            let (inner, outer) = c.aOnly == 0 ? (pair.a, pair.b) : (pair.b, pair.a)
            add(pair.a, pair.b, "every commit of \(display[inner]!) up to \(ProjectHealth.day(c.window)) is in \(display[outer]!) (\(c.shared) shared)", .strong)
        }
        // What the APIs say.
        for (repo, r) in records {
            if let source = r.mirrorOf, let other = ForgeRepo(remoteURL: source) {
                add(repo, k(other), "\(repo.platform.rawValue)'s API: a mirror of \(source)", .strong)
            }
            if let parent = r.parent, parent.platform != repo.platform {
                add(repo, k(parent), "\(repo.platform.rawValue)'s API: forked from \(parent)", .medium)
            }
        }
        // Same name on two forges, with the same description or homepage.
        var known = Set(histories.keys).union(records.keys)
        for ref in try store.repositories() { known.insert(k(ForgeRepo(platform: Platform.of(key: ref.id), name: ref.name))) }
        for (_, repos) in Dictionary(grouping: known, by: \.name) where repos.count > 1 {
            let sorted = repos.sorted()
            for i in sorted.indices { for j in sorted.indices where j > i {
                let (a, b) = (sorted[i], sorted[j])
                var weak = ["the same name \(display[a]!.name)"]
                if let da = records[a]?.description, let db = records[b]?.description, Self.comparable(da) == Self.comparable(db), !Self.comparable(da).isEmpty {
                    weak.append("the same description")
                }
                if let ha = Self.homepage(records[a]?.homepage), ha == Self.homepage(records[b]?.homepage) { weak.append("the same homepage \(ha)") }
                for w in weak { add(a, b, w, .weak) }
            } }
        }

        var pairs: [MirrorPair] = []
        for (pair, found) in evidence {
            let strongest = found.map(\.strength).max()!
            // Weak evidence alone needs two kinds (a name is never enough).
            guard strongest > .weak || Set(found.map(\.what)).count >= 2 else { continue }
            pairs.append(try measure(pair.a, pair.b, found, histories: histories, records: records, display: display))
        }
        return pairs.sorted { ($0.upstream, $0.mirror) < ($1.upstream, $1.mirror) }
    }

    /// Two histories compared over the commits both could hold: those committed before the
    /// earlier of the two reads.
    static func compare(_ a: History, _ b: History) -> (shared: Int, aOnly: Int, bOnly: Int, window: Int64) {
        let window = min(a.readAt, b.readAt)
        var shared = 0, aOnly = 0, bOnly = 0
        for (sha, t) in a.commits where t <= window { if b.commits[sha] != nil { shared += 1 } else { aOnly += 1 } }
        for (sha, t) in b.commits where t <= window && a.commits[sha] == nil { bOnly += 1 }
        return (shared, aOnly, bOnly, window)
    }

    /// What `analyze` says of a repository: "mirror of X, N days behind" or "mirrored to Y".
    public static func sentences(about repo: ForgeRepo, in pairs: [MirrorPair]) -> [String] {
        let key = Self.key(repo)
        var out: [String] = []
        for p in pairs {
            if Self.key(p.mirror) == key {
                let behind = p.lagDaysLatest.map { $0 == 0 ? "up to date when read" : "\(DayCount.text($0)) behind" } ?? "lag unknown (one history only)"
                out.append("mirror of \(p.upstream), \(behind) (\(p.confidence) confidence: \(p.evidence.first?.what ?? ""))")
            } else if Self.key(p.upstream) == key {
                out.append("mirrored to \(p.mirror) (\(p.confidence) confidence: \(p.evidence.first?.what ?? ""))")
            }
        }
        return out
    }

    /// The burden over the repositories a label covers (`covers` nil: all the store knows).
    public func burden(covers: ((ForgeRepo) -> Bool)?) throws -> MirrorBurden {
        MirrorBurden.of(try find(), repositories: try knownRepositories(), covers: covers)
    }

    /// Every repository the store knows (histories, forge records, repositories with events),
    /// each once whatever the case of its name.
    public func knownRepositories() throws -> Set<ForgeRepo> {
        var known: [ForgeRepo: ForgeRepo] = [:]
        func add(_ r: ForgeRepo) { if known[Self.key(r)] == nil { known[Self.key(r)] = r } }
        for r in try store.gitRepositories() where r.commits > 0 { add(r.repo) }
        for r in try store.forgeRepositories() { add(r.repo) }
        for ref in try store.repositories() { add(ForgeRepo(platform: Platform.of(key: ref.id), name: ref.name)) }
        return Set(known.values)
    }

    /// Mirror → upstream, for the pairs whose mirror holds no commit of its own: what git
    /// rankings and label sums leave out, so that a mirrored project counts once.
    public func gitMirrors() throws -> [ForgeRepo: ForgeRepo] {
        var out: [ForgeRepo: ForgeRepo] = [:]
        for p in try find() where (p.sharedCommits ?? 0) > 0 && p.mirrorOnlyCommits == 0 { out[p.mirror] = p.upstream }
        return out
    }

    struct Pair: Hashable {
        let a: ForgeRepo, b: ForgeRepo
        init(_ x: ForgeRepo, _ y: ForgeRepo) { (a, b) = x < y ? (x, y) : (y, x) }
    }

    static func comparable(_ s: String) -> String { s.lowercased().filter { !$0.isWhitespace && !$0.isPunctuation } }

    /// A homepage that says something: not the forge's own page for the repository.
    static func homepage(_ s: String?) -> String? {
        guard var h = s?.lowercased().trimmingCharacters(in: .whitespaces), !h.isEmpty else { return nil }
        for prefix in ["https://", "http://", "www."] where h.hasPrefix(prefix) { h.removeFirst(prefix.count) }
        while h.hasSuffix("/") { h.removeLast() }
        for forge in ["github.com", "gitee.com", "gitcode.com", "gitcode.net", "atomgit.com", "gitlab.com"] where h.hasPrefix(forge) { return nil }
        return h
    }

    func measure(_ a: ForgeRepo, _ b: ForgeRepo, _ evidence: [MirrorPair.Evidence],
                 histories: [ForgeRepo: History], records: [ForgeRepo: ForgeRepositoryRecord], display: [ForgeRepo: ForgeRepo]) throws -> MirrorPair {
        let name = { (r: ForgeRepo) in display[r] ?? r }
        var compared: (shared: Int, aOnly: Int, bOnly: Int, window: Int64)?
        if let ha = histories[a], let hb = histories[b] { compared = Self.compare(ha, hb) }
        let activity = try activityAndPeople([name(a), name(b)])
        // Upstream: what an API says is the mirror; then where the commits land first (the side
        // with commits the other lacks, over the commits both could hold); then where the
        // issues and pull requests happen, when both sides' events were read.
        var upstream = a, because = ""
        if records[a]?.isMirror == true || records[b]?.isMirror == true, records[a]?.isMirror != records[b]?.isMirror {
            upstream = records[a]?.isMirror == true ? b : a
            because = "\(name(upstream == a ? b : a))'s API says it is a mirror"
        } else if let c = compared, c.aOnly != c.bOnly {
            upstream = c.aOnly > c.bOnly ? a : b
            let other = upstream == a ? b : a
            because = "\(name(upstream)) has \(max(c.aOnly, c.bOnly)) commits \(name(other)) lacks, \(name(other)) \(min(c.aOnly, c.bOnly)) it lacks (commits up to \(ProjectHealth.day(c.window)), when the earlier was read)"
        } else if let share = activity.share, let sa = share[name(a)], let sb = share[name(b)], sa != sb {
            upstream = sa > sb ? a : b
            because = "the histories tell nothing apart; the issues and pull requests are mostly on \(name(upstream))"
        } else {
            // Nothing tells them apart: GitHub's side, where most projects are first published.
            upstream = [a, b].min { ($0.platform == .github ? 0 : 1, $0) < ($1.platform == .github ? 0 : 1, $1) }!
            because = "nothing tells them apart; \(upstream.platform.rawValue) taken as upstream by default (low confidence)"
        }
        let mirror = upstream == a ? b : a
        // Behind: the oldest upstream commit the mirror lacks had waited this long when the
        // mirror was read (commits made after that read cannot be on it yet).
        var latest: Double?, median: Double?
        if let hu = histories[upstream], let hm = histories[mirror] {
            let read = hm.readAt
            let waits = hu.commits.filter { hm.commits[$0.key] == nil && $0.value <= read }.map { Double(read - $0.value) / 86_400 }.sorted()
            latest = waits.last ?? 0
            median = waits.isEmpty ? 0 : (waits.count % 2 == 1 ? waits[waits.count / 2] : (waits[waits.count / 2 - 1] + waits[waits.count / 2]) / 2)
        }
        let strongCount = evidence.filter { $0.strength == .strong }.count
        let strongest = evidence.map(\.strength).max()!
        let confidence = because.contains("low confidence") ? "low" : strongCount >= 2 ? "high" : strongest == .strong ? "medium" : "low"
        let upOnly = compared.map { upstream == a ? $0.aOnly : $0.bOnly }, mirOnly = compared.map { upstream == a ? $0.bOnly : $0.aOnly }
        return MirrorPair(upstream: name(upstream), mirror: name(mirror),
                          evidence: evidence.sorted { ($1.strength, $0.what) < ($0.strength, $1.what) },
                          upstreamBecause: because, confidence: confidence,
                          sharedCommits: compared?.shared, upstreamOnlyCommits: upOnly, mirrorOnlyCommits: mirOnly,
                          lagDaysLatest: latest.map { ($0 * 100).rounded() / 100 }, lagDaysMedian: median.map { ($0 * 100).rounded() / 100 },
                          activityShare: activity.share, peopleShare: activity.people)
    }

    /// Issues, pull requests and comments (event facts, all time) on each side, and the
    /// people behind them; nil unless both sides' events were read (a side never read is not
    /// a side without work).
    func activityAndPeople(_ repos: [ForgeRepo]) throws -> (share: [ForgeRepo: Double]?, people: [ForgeRepo: Double]?) {
        let kinds: Set<FactKind> = [.issueOpened, .issueComment, .pullOpened, .reviewCommentCreated]
        var counts: [ForgeRepo: Int] = [:], people: [ForgeRepo: Set<Int64>] = [:]
        for repo in repos {
            guard let ref = try store.repository(named: repo.name, platform: repo.platform) else { return (nil, nil) }
            let facts = try store.facts(for: ref, months: nil)
            counts[repo] = 0
            for (kind, rows) in facts.byKind where kinds.contains(kind) {
                counts[repo, default: 0] += rows.count
                for r in rows { people[repo, default: []].insert(r.actor) }
            }
        }
        let total = Double(counts.values.reduce(0, +))
        let everyone = Double(people.values.reduce(Set<Int64>()) { $0.union($1) }.count)
        return (total > 0 ? Dictionary(uniqueKeysWithValues: repos.map { ($0, Double(counts[$0] ?? 0) / total) }) : nil,
                everyone > 0 ? Dictionary(uniqueKeysWithValues: repos.map { ($0, Double(people[$0]?.count ?? 0) / everyone) }) : nil)
    }
}

/// Days in words: "3.5 days", "1 day".
enum DayCount {
    static func text(_ d: Double) -> String {
        let r = (d * 10).rounded() / 10
        let n = r == r.rounded() ? String(Int(r)) : String(r)
        return n + (r == 1 ? " day" : " days")
    }
}

/// The mirror burden of a label (or of everything): how many of its projects are mirrored,
/// how far the mirrors lag, and on which forge the work happens.
public struct MirrorBurden: Sendable {
    /// The label's projects: repositories it covers, a mirrored pair counted once.
    public var projects: Int
    public var pairs: [MirrorPair]
    /// `lag_days_latest` of the pairs that have one, sorted.
    public var lags: [Double]
    /// Per platform, the mean share of a pair's activity (issues, pull requests, comments)
    /// that happens there, over the pairs with any.
    public var activityByPlatform: [Platform: Double]
    /// Where the upstreams are.
    public var upstreamPlatforms: [Platform: Int]

    public var medianLag: Double? { lags.isEmpty ? nil : lags.count % 2 == 1 ? lags[lags.count / 2] : (lags[lags.count / 2 - 1] + lags[lags.count / 2]) / 2 }

    /// `repositories`: every repository the store knows (events, histories, forge records);
    /// `covers`: whether the label covers one (nil: everything).
    public static func of(_ all: [MirrorPair], repositories: Set<ForgeRepo>, covers: ((ForgeRepo) -> Bool)?) -> MirrorBurden {
        let pairs = all.filter { covers == nil || covers!($0.upstream) || covers!($0.mirror) }
        let covered = repositories.filter { covers?($0) ?? true }
        let mirrors = Set(pairs.map(\.mirror.description).map { $0.lowercased() })
        let projects = covered.filter { !mirrors.contains($0.description.lowercased()) }.count
            + pairs.filter { p in !covered.contains { $0.description.lowercased() == p.upstream.description.lowercased() } }.count
        var shares: [Platform: [Double]] = [:]
        for p in pairs { if let s = p.activityShare { for (repo, v) in s { shares[repo.platform, default: []].append(v) } } }
        return MirrorBurden(projects: projects, pairs: pairs, lags: pairs.compactMap(\.lagDaysLatest).sorted(),
                            activityByPlatform: shares.mapValues { $0.reduce(0, +) / Double($0.count) },
                            upstreamPlatforms: Dictionary(grouping: pairs, by: \.upstream.platform).mapValues(\.count))
    }

    /// One paragraph for `show label` and the report.
    public var sentence: String {
        guard !pairs.isEmpty else { return "No mirrored project among \(projects)." }
        var s = "\(pairs.count) of \(projects) projects are mirrored"
        s += " (upstreams on " + upstreamPlatforms.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ") + ")"
        if let m = medianLag, let lo = lags.first, let hi = lags.last {
            s += "; the mirrors lag \(DayCount.text(m)) at the median (\(DayCount.text(lo)) to \(DayCount.text(hi)))"
        }
        if !activityByPlatform.isEmpty {
            s += "; of the pairs' issues, pull requests and comments, " + activityByPlatform.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\(Int(($0.value * 100).rounded()))% happen on \($0.key.rawValue)" }.joined(separator: ", ")
        }
        return s + "."
    }
}
