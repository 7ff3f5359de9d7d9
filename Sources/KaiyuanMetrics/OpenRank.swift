import Foundation
import KaiyuanCore

/// OpenDigger's global OpenRank for one month (`spec/metrics.md` §4): a graph of repositories,
/// developers and one background node, solved to its fixed point.
public enum OpenRank {
    // §4.1 weights of the edge activity.
    public static let issueOpenedWeight = 22.235
    public static let issueCommentWeight = 5.252
    public static let issueClosedWeight = 9.712
    public static let reviewCommentWeight = 7.427
    public static let pullOpenedWeight = 40.679
    public static let pushWeight = 14.695
    // §4.2, §4.4, §4.5
    public static let maxReposPerDeveloper = 300
    public static let minRepoActivity = 1.0
    public static let carryDecay = 0.85
    public static let carryFloor = 0.01
    public static let developerRetention = 0.5
    public static let repoRetention = 0.3
    public static let backgroundRetention = 0.15

    /// A developer's distinct counts in one repository and month.
    public struct PairCounts: Sendable, Equatable {
        public var issuesOpened = 0, issueComments = 0, issuesClosed = 0, reviewComments = 0
        public var pullsOpened = 0, pullsClosed = 0, pushes = 0
        public init() {}

        public subscript(kind: FactKind) -> Int {
            get {
                switch kind {
                case .issueOpened: issuesOpened
                case .issueComment: issueComments
                case .issueClosed: issuesClosed
                case .reviewCommentCreated: reviewComments
                case .pullOpened: pullsOpened
                case .pullClosed: pullsClosed
                case .push: pushes
                default: 0
                }
            }
            set {
                switch kind {
                case .issueOpened: issuesOpened = newValue
                case .issueComment: issueComments = newValue
                case .issueClosed: issuesClosed = newValue
                case .reviewCommentCreated: reviewComments = newValue
                case .pullOpened: pullsOpened = newValue
                case .pullClosed: pullsClosed = newValue
                case .push: pushes = newValue
                default: break
                }
            }
        }

        /// §4.1, rounded to 3 decimals.
        public var activity: Double {
            let a = issueOpenedWeight * Double(issuesOpened) + issueCommentWeight * Double(issueComments)
                + issueClosedWeight * Double(issuesClosed) + reviewCommentWeight * Double(reviewComments)
                + pullOpenedWeight * Double(pullsOpened) + pushWeight * Double(pushes)
            return (a * 1000).rounded() / 1000
        }

        /// Pushes alone do not make a pair: one of these must be there too.
        public var isCollaboration: Bool {
            issuesOpened + issuesClosed + issueComments + reviewComments + pullsOpened + pullsClosed > 0
        }
    }

    public struct PairKey: Hashable, Sendable {
        public var repo: Int64
        public var developer: Int64
        public init(repo: Int64, developer: Int64) { self.repo = repo; self.developer = developer }
    }

    public typealias NodeKey = OpenRankNode

    /// One month's result.
    public struct MonthResult: Sendable {
        public var repos: [Int64: Double] = [:]
        public var developers: [Int64: Double] = [:]
        public var iterations = 0
        /// The largest change in the last round.
        public var residual = 0.0
        /// Seconds spent building the graph (numbering, pruning, the two adjacencies) and
        /// iterating it, for benchmarks.
        public var buildSeconds = 0.0
        public var solveSeconds = 0.0
    }

    /// One month's graph as flat arrays: each (repository, developer) pair that counts, with its
    /// §4.1 activity. No per-pair object anywhere; the order of the edges is the order sums run
    /// in, so the same edges in the same order give bit-identical values.
    public struct Edges: Sendable {
        public var repos: [Int64] = []
        public var developers: [Int64] = []
        public var activity: [Double] = []

        public init(reservingCapacity capacity: Int = 0) {
            repos.reserveCapacity(capacity); developers.reserveCapacity(capacity); activity.reserveCapacity(capacity)
        }

        public var count: Int { activity.count }

        /// Adds the pair when it makes an edge (§4.1: a collaboration event, activity above 0).
        public mutating func add(repo: Int64, developer: Int64, counts: PairCounts) {
            guard counts.isCollaboration else { return }
            let a = counts.activity
            guard a > 0 else { return }
            append(repo: repo, developer: developer, activity: a)
        }

        public mutating func append(repo: Int64, developer: Int64, activity a: Double) {
            repos.append(repo); developers.append(developer); activity.append(a)
        }
    }

    /// Builds the month's graph from its pair counts (bots already left out), prunes it
    /// (§4.2) and solves it. `carried` gives a node's decayed earlier value (§4.4), or 0.
    /// The pairs are taken in (repository, developer) order.
    public static func compute(pairs: [PairKey: PairCounts], carried: (NodeKey) -> Double,
                               tolerance: Double = 1e-8, maxIterations: Int = 10_000) -> MonthResult {
        var edges = Edges(reservingCapacity: pairs.count)
        for (key, counts) in pairs.sorted(by: { ($0.key.repo, $0.key.developer) < ($1.key.repo, $1.key.developer) }) {
            edges.add(repo: key.repo, developer: key.developer, counts: counts)
        }
        return compute(edges: edges, carried: carried, tolerance: tolerance, maxIterations: maxIterations)
    }

    /// Solves the month whose edges are given (§4.2–4.7).
    ///
    /// The graph is held as flat arrays indexed by compact Int32 node numbers, and each round
    /// is one pass over each side's compressed adjacency: at GitHub's scale (millions of nodes,
    /// tens of millions of edges) there is no per-node or per-edge object anywhere, and ids are
    /// numbered through open-addressing tables of plain integers.
    public static func compute(edges input: Edges, carried: (NodeKey) -> Double,
                               tolerance: Double = 1e-8, maxIterations: Int = 10_000) -> MonthResult {
        let buildStart = DispatchTime.now().uptimeNanoseconds
        // Compact indices in order of first appearance; repositories on one core, developers
        // on the other.
        let numbered = Sides<(numbers: [Int32], ids: [Int64])>()
        DispatchQueue.concurrentPerform(iterations: 2) { side in
            let ids = side == 0 ? input.repos : input.developers
            // Sized for a month of GitHub without growing much (they grow when more come).
            var numbering = IDNumbering(expected: side == 0 ? min(input.count / 8, 1 << 20) : min(input.count / 4, 1 << 21))
            var numbers = [Int32](repeating: 0, count: ids.count), seen: [Int64] = []
            for k in ids.indices { numbers[k] = numbering.number(ids[k], &seen) }
            numbered[side] = (numbers, seen)
        }
        var edgeRepo = numbered[0].numbers, edgeDev = numbered[1].numbers
        let repoIDs = numbered[0].ids, devIDs = numbered[1].ids
        numbered.clear()
        var edgeA = input.activity

        // §4.2: developers on too many repos go, then repos with too little activity.
        var reposPerDev = [Int32](repeating: 0, count: devIDs.count)
        for d in edgeDev { reposPerDev[Int(d)] += 1 }
        var repoTotal = [Double](repeating: 0, count: repoIDs.count)
        for k in edgeA.indices where reposPerDev[Int(edgeDev[k])] <= maxReposPerDeveloper { repoTotal[Int(edgeRepo[k])] += edgeA[k] }
        var keepEdge = 0
        for k in edgeA.indices where reposPerDev[Int(edgeDev[k])] <= maxReposPerDeveloper && repoTotal[Int(edgeRepo[k])] >= minRepoActivity {
            edgeRepo[keepEdge] = edgeRepo[k]; edgeDev[keepEdge] = edgeDev[k]; edgeA[keepEdge] = edgeA[k]
            keepEdge += 1
        }
        edgeRepo.removeLast(edgeRepo.count - keepEdge); edgeDev.removeLast(edgeDev.count - keepEdge); edgeA.removeLast(edgeA.count - keepEdge)
        guard keepEdge > 0 else { return MonthResult() }

        // Renumber the nodes that are left: repos first, then developers, then the background.
        // Developers are numbered in the order of their repos, so that the developers of one
        // repository sit together in memory and a round's reads stay in cache.
        var repoNew = [Int32](repeating: -1, count: repoIDs.count), devNew = [Int32](repeating: -1, count: devIDs.count)
        var keptRepos: [Int64] = [], keptDevs: [Int64] = []
        for k in 0..<keepEdge {
            let r = Int(edgeRepo[k])
            if repoNew[r] < 0 { repoNew[r] = Int32(keptRepos.count); keptRepos.append(repoIDs[r]) }
            edgeRepo[k] = repoNew[r]
        }
        var byRepo = [Int](repeating: 0, count: keptRepos.count + 1)
        for k in 0..<keepEdge { byRepo[Int(edgeRepo[k]) + 1] += 1 }
        for i in 0..<keptRepos.count { byRepo[i + 1] += byRepo[i] }
        var order = [Int32](repeating: 0, count: keepEdge)
        for k in 0..<keepEdge { let r = Int(edgeRepo[k]); order[byRepo[r]] = Int32(k); byRepo[r] += 1 }
        for k in order {
            let d = Int(edgeDev[Int(k)])
            if devNew[d] < 0 { devNew[d] = Int32(keptDevs.count); keptDevs.append(devIDs[d]) }
        }
        for k in 0..<keepEdge { edgeDev[k] = devNew[Int(edgeDev[k])] }
        let r = keptRepos.count, d = keptDevs.count
        let n = r + d + 1
        let bg = n - 1

        var aRepo = [Double](repeating: 0, count: r), aDev = [Double](repeating: 0, count: d)
        for k in 0..<keepEdge { aRepo[Int(edgeRepo[k])] += edgeA[k]; aDev[Int(edgeDev[k])] += edgeA[k] }
        // §4.3: w(u→r) = 0.95·a/A_u flows into r; w(r→u) = 0.95·a/A_r flows into u. Each side
        // gets its own compressed adjacency (CSR), so a round reads neighbours and writes each
        // node once, and the two sides can run on two cores.
        let sides = Sides<Adjacency>()
        do {
            let (toRepos, toDevs, activity, devTotals, repoTotals) = (edgeRepo, edgeDev, edgeA, aDev, aRepo)
            DispatchQueue.concurrentPerform(iterations: 2) { side in
                sides[side] = side == 0
                    ? Adjacency(nodes: r, target: toRepos, source: toDevs, activity: activity, sourceTotals: devTotals)
                    : Adjacency(nodes: d, target: toDevs, source: toRepos, activity: activity, sourceTotals: repoTotals)
            }
        }
        let intoRepos = sides[0], intoDevs = sides[1]
        sides.clear()
        edgeA = []; edgeRepo = []; edgeDev = []

        // §4.4, §4.5
        var retention = [Double](repeating: repoRetention, count: n)
        var initial = [Double](repeating: 0, count: n)
        for i in 0..<r { initial[i] = carried(NodeKey(.repo, keptRepos[i])) }
        for j in 0..<d {
            retention[r + j] = developerRetention
            initial[r + j] = carried(NodeKey(.developer, keptDevs[j])) + 1 / (1 + exp(0.10425 * (44.08 - aDev[j])))
        }
        retention[bg] = backgroundRetention
        let base = (0..<n).map { retention[$0] * initial[$0] }
        let keep = (0..<n).map { 1 - retention[$0] }

        var result = MonthResult()
        let solveStart = DispatchTime.now().uptimeNanoseconds
        result.buildSeconds = Double(solveStart - buildStart) / 1e9

        // §4.6: Jacobi iteration to the fixed point. Each node sends 0.05 to the background,
        // which sends 1/(N−1) of its value to every other node. Each side gathers its nodes'
        // inflow, applies retention, and sums its new values and largest change in the same
        // pass: one pass per side per round, the two sides on two cores.
        var value = initial
        var next = [Double](repeating: 0, count: n)
        let share = 1 / Double(n - 1)
        var total = 0.0
        for i in 0..<bg { total += value[i] }
        let partial = Sides<(total: Double, residual: Double)>()
        for iteration in 1...maxIterations {
            let fromBackground = value[bg] * share
            value.withUnsafeBufferPointer { v in
                next.withUnsafeMutableBufferPointer { x in
                    base.withUnsafeBufferPointer { b in
                        keep.withUnsafeBufferPointer { k in
                            let p = RoundBuffers(value: v.baseAddress!, next: x.baseAddress!, base: b.baseAddress!, keep: k.baseAddress!)
                            // Repos read developers' values; developers read repos'. Disjoint writes.
                            DispatchQueue.concurrentPerform(iterations: 2) { side in
                                partial[side] = side == 0
                                    ? intoRepos.round(p, reading: r, writing: 0, adding: fromBackground)
                                    : intoDevs.round(p, reading: 0, writing: r, adding: fromBackground)
                            }
                        }
                    }
                }
            }
            next[bg] = base[bg] + keep[bg] * (0.05 * total)
            let residual = max(partial[0].residual, partial[1].residual, abs(next[bg] - value[bg]))
            total = partial[0].total + partial[1].total
            swap(&value, &next)
            result.iterations = iteration
            result.residual = residual
            if residual < tolerance { break }
        }
        result.solveSeconds = Double(DispatchTime.now().uptimeNanoseconds - solveStart) / 1e9
        // §4.7
        let lift = value[bg] * share
        result.repos.reserveCapacity(r)
        result.developers.reserveCapacity(d)
        for i in 0..<r { result.repos[keptRepos[i]] = value[i] + lift }
        for j in 0..<d { result.developers[keptDevs[j]] = value[r + j] + lift }
        return result
    }

    /// What two threads compute side by side, one slot each, read once both are done.
    final class Sides<T>: @unchecked Sendable {
        // Two stored properties, not an array: the two threads write disjoint memory.
        private var first: T?
        private var second: T?
        subscript(side: Int) -> T {
            get { side == 0 ? first! : second! }
            set { if side == 0 { first = newValue } else { second = newValue } }
        }
        func clear() { first = nil; second = nil }
    }

    /// The two value arrays of a round, shared by the two sides, which write disjoint ranges.
    struct RoundBuffers: @unchecked Sendable {
        let value: UnsafePointer<Double>
        let next: UnsafeMutablePointer<Double>
        /// retention·initial and 1 − retention, per node (§4.5).
        let base: UnsafePointer<Double>
        let keep: UnsafePointer<Double>
    }

    /// Incoming weighted edges of one side of the bipartite graph, in compressed rows: the
    /// edges into node i are `offsets[i]..<offsets[i+1]`, each with its source and weight.
    struct Adjacency: @unchecked Sendable {
        var offsets: [Int]
        var sources: [Int32]
        var weights: [Double]

        /// Edge k runs from `source[k]` into `target[k]` with weight 0.95·a/A, A being its
        /// source's total activity (§4.3). Targets already in order (repositories, as the
        /// store gives edges) are taken as they are; otherwise the edges are placed by a
        /// counting sort.
        init(nodes: Int, target: [Int32], source: [Int32], activity: [Double], sourceTotals: [Double]) {
            let edges = target.count
            offsets = [Int](repeating: 0, count: nodes + 1)
            for t in target { offsets[Int(t) + 1] += 1 }
            for i in 0..<nodes { offsets[i + 1] += offsets[i] }
            var ordered = true
            for k in target.indices.dropFirst() where target[k] < target[k - 1] { ordered = false; break }
            if ordered {
                sources = source
                weights = [Double](unsafeUninitializedCapacity: edges) { w, count in
                    for k in 0..<edges { w[k] = 0.95 * activity[k] / sourceTotals[Int(source[k])] }
                    count = edges
                }
                return
            }
            var fill = offsets
            sources = [Int32](repeating: 0, count: edges)
            weights = [Double](repeating: 0, count: edges)
            for k in 0..<edges {
                let t = Int(target[k])
                sources[fill[t]] = source[k]
                weights[fill[t]] = 0.95 * activity[k] / sourceTotals[Int(source[k])]
                fill[t] += 1
            }
        }

        /// One round for this side's nodes, numbered from `writing`, whose sources are
        /// numbered from `reading`: next = base + keep·(inflow + Σ w·value[source]). Returns
        /// the sum of the new values and the largest change.
        func round(_ p: RoundBuffers, reading: Int, writing: Int, adding inflow: Double) -> (total: Double, residual: Double) {
            let v = p.value + reading
            var total = 0.0, residual = 0.0
            offsets.withUnsafeBufferPointer { off in
                sources.withUnsafeBufferPointer { src in
                    weights.withUnsafeBufferPointer { w in
                        for i in 0..<(off.count - 1) {
                            var sum = inflow
                            for k in off[i]..<off[i + 1] { sum += w[k] * v[Int(src[k])] }
                            let node = writing + i
                            let nv = p.base[node] + p.keep[node] * sum
                            residual = max(residual, abs(nv - p.value[node]))
                            total += nv
                            p.next[node] = nv
                        }
                    }
                }
            }
            return (total, residual)
        }
    }

    /// Numbers ids 0, 1, 2… in order of first appearance: open addressing over two flat
    /// arrays (no per-entry object, no hashing of a struct), sized for the expected ids.
    struct IDNumbering {
        private var keys: [Int64]
        private var numbers: [Int32]
        private var mask: Int
        private var shift: UInt64
        private var used = 0
        private var emptyIDNumber: Int32?
        private static let empty = Int64.min

        init(expected: Int) {
            var capacity = 16
            while capacity < expected * 2 { capacity <<= 1 }
            keys = [Int64](repeating: Self.empty, count: capacity)
            numbers = [Int32](repeating: 0, count: capacity)
            mask = capacity - 1
            shift = UInt64(64 - capacity.trailingZeroBitCount)
        }

        /// The number of `id`, giving it the next one (and appending it to `ids`) when new.
        mutating func number(_ id: Int64, _ ids: inout [Int64]) -> Int32 {
            // Edges come grouped by repository: the same id again costs no probe.
            if id == lastID, let n = lastNumber { return n }
            let n = probe(id, &ids)
            lastID = id; lastNumber = n
            return n
        }

        private var lastID: Int64 = 0
        private var lastNumber: Int32?

        private mutating func probe(_ id: Int64, _ ids: inout [Int64]) -> Int32 {
            if id == Self.empty {   // the one id the table cannot hold: kept aside
                if let n = emptyIDNumber { return n }
                emptyIDNumber = Int32(ids.count)
                ids.append(id)
                return emptyIDNumber!
            }
            if used * 2 >= keys.count { grow() }
            var slot = Self.slot(id, shift)
            while true {
                let k = keys[slot]
                if k == id { return numbers[slot] }
                if k == Self.empty {
                    let n = Int32(ids.count)
                    keys[slot] = id; numbers[slot] = n
                    ids.append(id)
                    used += 1
                    return n
                }
                slot = (slot + 1) & mask
            }
        }

        // Fibonacci hashing: the product's top bits.
        private static func slot(_ id: Int64, _ shift: UInt64) -> Int {
            Int(truncatingIfNeeded: (UInt64(bitPattern: id) &* 0x9E37_79B9_7F4A_7C15) >> shift)
        }

        private mutating func grow() {
            let oldKeys = keys, oldNumbers = numbers
            keys = [Int64](repeating: Self.empty, count: oldKeys.count * 2)
            numbers = [Int32](repeating: 0, count: oldKeys.count * 2)
            mask = keys.count - 1
            shift -= 1
            for i in oldKeys.indices where oldKeys[i] != Self.empty {
                var slot = Self.slot(oldKeys[i], shift)
                while keys[slot] != Self.empty { slot = (slot + 1) & mask }
                keys[slot] = oldKeys[i]; numbers[slot] = oldNumbers[i]
            }
        }
    }

    /// §4.4: an earlier value decayed by 0.85 per month since, kept only above 0.01.
    public static func carried(value: Double, from earlier: Month, to month: Month) -> Double {
        let v = value * pow(carryDecay, Double(month - earlier))
        return v > carryFloor ? v : 0
    }
}
