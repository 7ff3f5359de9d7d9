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
    }

    /// Builds the month's graph from its pair counts (bots already left out), prunes it
    /// (§4.2) and solves it. `carried` gives a node's decayed earlier value (§4.4), or 0.
    ///
    /// The graph is held as flat arrays indexed by compact Int32 node numbers, and each round
    /// is one pass over the edge list: at GitHub's scale (millions of nodes, tens of millions
    /// of edges) there is no per-node or per-edge object anywhere.
    public static func compute(pairs: [PairKey: PairCounts], carried: (NodeKey) -> Double,
                               tolerance: Double = 1e-8, maxIterations: Int = 10_000) -> MonthResult {
        // §4.1: pairs with activity and a collaboration event, on compact indices.
        var repoIndex: [Int64: Int32] = [:], devIndex: [Int64: Int32] = [:]
        var repoIDs: [Int64] = [], devIDs: [Int64] = []
        var edgeRepo: [Int32] = [], edgeDev: [Int32] = [], edgeA: [Double] = []
        edgeRepo.reserveCapacity(pairs.count); edgeDev.reserveCapacity(pairs.count); edgeA.reserveCapacity(pairs.count)
        for (key, counts) in pairs where counts.isCollaboration {
            let a = counts.activity
            guard a > 0 else { continue }
            let ri = repoIndex[key.repo] ?? { let i = Int32(repoIDs.count); repoIndex[key.repo] = i; repoIDs.append(key.repo); return i }()
            let di = devIndex[key.developer] ?? { let i = Int32(devIDs.count); devIndex[key.developer] = i; devIDs.append(key.developer); return i }()
            edgeRepo.append(ri); edgeDev.append(di); edgeA.append(a)
        }
        repoIndex = [:]; devIndex = [:]

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
        let intoRepos = Adjacency(nodes: r, edges: keepEdge, target: edgeRepo, source: edgeDev) { 0.95 * edgeA[$0] / aDev[Int(edgeDev[$0])] }
        let intoDevs = Adjacency(nodes: d, edges: keepEdge, target: edgeDev, source: edgeRepo) { 0.95 * edgeA[$0] / aRepo[Int(edgeRepo[$0])] }
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

        // §4.6: Jacobi iteration to the fixed point. Each node sends 0.05 to the background,
        // which sends 1/(N−1) of its value to every other node.
        var value = initial
        var next = [Double](repeating: 0, count: n)
        var result = MonthResult()
        let share = 1 / Double(n - 1)
        for iteration in 1...maxIterations {
            let fromBackground = value[bg] * share
            var total = 0.0
            for i in 0..<bg { total += value[i] }
            value.withUnsafeBufferPointer { v in
                next.withUnsafeMutableBufferPointer { x in
                    let p = RoundBuffers(value: v.baseAddress!, next: x.baseAddress!)
                    // Repos read developers' values; developers read repos'. Disjoint writes.
                    DispatchQueue.concurrentPerform(iterations: 2) { side in
                        if side == 0 {
                            intoRepos.gather(from: p.value + r, into: p.next, adding: fromBackground)
                        } else {
                            intoDevs.gather(from: p.value, into: p.next + r, adding: fromBackground)
                        }
                    }
                }
            }
            next[bg] = 0.05 * total
            var residual = 0.0
            for i in 0..<n {
                let nv = base[i] + keep[i] * next[i]
                residual = max(residual, abs(nv - value[i]))
                next[i] = nv
            }
            swap(&value, &next)
            result.iterations = iteration
            result.residual = residual
            if residual < tolerance { break }
        }
        // §4.7
        let lift = value[bg] * share
        result.repos.reserveCapacity(r)
        result.developers.reserveCapacity(d)
        for i in 0..<r { result.repos[keptRepos[i]] = value[i] + lift }
        for j in 0..<d { result.developers[keptDevs[j]] = value[r + j] + lift }
        return result
    }

    /// The two value arrays of a round, shared by the two sides, which write disjoint ranges.
    struct RoundBuffers: @unchecked Sendable {
        let value: UnsafePointer<Double>
        let next: UnsafeMutablePointer<Double>
    }

    /// Incoming weighted edges of one side of the bipartite graph, in compressed rows: the
    /// edges into node i are `offsets[i]..<offsets[i+1]`, each with its source and weight.
    struct Adjacency: @unchecked Sendable {
        var offsets: [Int]
        var sources: [Int32]
        var weights: [Double]

        init(nodes: Int, edges: Int, target: [Int32], source: [Int32], weight: (Int) -> Double) {
            offsets = [Int](repeating: 0, count: nodes + 1)
            for k in 0..<edges { offsets[Int(target[k]) + 1] += 1 }
            for i in 0..<nodes { offsets[i + 1] += offsets[i] }
            var fill = offsets
            sources = [Int32](repeating: 0, count: edges)
            weights = [Double](repeating: 0, count: edges)
            for k in 0..<edges {
                let t = Int(target[k])
                sources[fill[t]] = source[k]
                weights[fill[t]] = weight(k)
                fill[t] += 1
            }
        }

        /// x[i] = base + Σ w·v[source] over the edges into i.
        func gather(from v: UnsafePointer<Double>, into x: UnsafeMutablePointer<Double>, adding base: Double) {
            offsets.withUnsafeBufferPointer { off in
                sources.withUnsafeBufferPointer { src in
                    weights.withUnsafeBufferPointer { w in
                        for i in 0..<(off.count - 1) {
                            var sum = base
                            for k in off[i]..<off[i + 1] { sum += w[k] * v[Int(src[k])] }
                            x[i] = sum
                        }
                    }
                }
            }
        }
    }

    /// §4.4: an earlier value decayed by 0.85 per month since, kept only above 0.01.
    public static func carried(value: Double, from earlier: Month, to month: Month) -> Double {
        let v = value * pow(carryDecay, Double(month - earlier))
        return v > carryFloor ? v : 0
    }
}
