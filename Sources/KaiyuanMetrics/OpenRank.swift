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

    public struct NodeKey: Hashable, Sendable {
        public var kind: EntityKind
        public var id: Int64
        public init(_ kind: EntityKind, _ id: Int64) { self.kind = kind; self.id = id }
    }

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
    public static func compute(pairs: [PairKey: PairCounts], carried: (NodeKey) -> Double,
                               tolerance: Double = 1e-10, maxIterations: Int = 10_000) -> MonthResult {
        // §4.1: pairs with activity and a collaboration event.
        var edges: [(repo: Int64, dev: Int64, a: Double)] = []
        var reposPerDev: [Int64: Int] = [:]
        for (key, counts) in pairs where counts.isCollaboration {
            let a = counts.activity
            guard a > 0 else { continue }
            edges.append((key.repo, key.developer, a))
            reposPerDev[key.developer, default: 0] += 1
        }
        // §4.2: developers on too many repos go, then repos with too little activity.
        edges.removeAll { reposPerDev[$0.dev]! > maxReposPerDeveloper }
        var repoTotal: [Int64: Double] = [:]
        for e in edges { repoTotal[e.repo, default: 0] += e.a }
        edges.removeAll { repoTotal[$0.repo]! < minRepoActivity }
        guard !edges.isEmpty else { return MonthResult() }

        // Compact integer indices: repos first, then developers, then the background node.
        edges.sort { $0.repo != $1.repo ? $0.repo < $1.repo : $0.dev < $1.dev }
        var repoIndex: [Int64: Int32] = [:], devIndex: [Int64: Int32] = [:]
        var repoIDs: [Int64] = [], devIDs: [Int64] = []
        for e in edges where repoIndex[e.repo] == nil { repoIndex[e.repo] = Int32(repoIDs.count); repoIDs.append(e.repo) }
        for e in edges where devIndex[e.dev] == nil { devIndex[e.dev] = Int32(devIDs.count); devIDs.append(e.dev) }
        let r = repoIDs.count, d = devIDs.count
        let n = r + d + 1
        let bg = n - 1

        var aRepo = [Double](repeating: 0, count: r), aDev = [Double](repeating: 0, count: d)
        let er = edges.map { Int(repoIndex[$0.repo]!) }, ed = edges.map { Int(devIndex[$0.dev]!) }
        for (i, e) in edges.enumerated() { aRepo[er[i]] += e.a; aDev[ed[i]] += e.a }
        // §4.3: w(u→r) = 0.95·a/A_u flows into r; w(r→u) = 0.95·a/A_r flows into u.
        let intoRepo = edges.indices.map { 0.95 * edges[$0].a / aDev[ed[$0]] }
        let intoDev = edges.indices.map { 0.95 * edges[$0].a / aRepo[er[$0]] }

        // §4.4, §4.5
        var retention = [Double](repeating: repoRetention, count: n)
        var initial = [Double](repeating: 0, count: n)
        for i in 0..<r { initial[i] = carried(NodeKey(.repo, repoIDs[i])) }
        for j in 0..<d {
            retention[r + j] = developerRetention
            initial[r + j] = carried(NodeKey(.developer, devIDs[j])) + 1 / (1 + exp(0.10425 * (44.08 - aDev[j])))
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
            for i in 0..<(n - 1) { next[i] = fromBackground }
            var total = 0.0
            for i in 0..<(n - 1) { total += value[i] }
            next[bg] = 0.05 * total
            for k in edges.indices {
                next[er[k]] += intoRepo[k] * value[r + ed[k]]
                next[r + ed[k]] += intoDev[k] * value[er[k]]
            }
            var residual = 0.0
            for i in 0..<n {
                let v = base[i] + keep[i] * next[i]
                residual = max(residual, abs(v - value[i]))
                next[i] = v
            }
            swap(&value, &next)
            result.iterations = iteration
            result.residual = residual
            if residual < tolerance { break }
        }
        // §4.7
        let lift = value[bg] * share
        for i in 0..<r { result.repos[repoIDs[i]] = value[i] + lift }
        for j in 0..<d { result.developers[devIDs[j]] = value[r + j] + lift }
        return result
    }

    /// §4.4: an earlier value decayed by 0.85 per month since, kept only above 0.01.
    public static func carried(value: Double, from earlier: Month, to month: Month) -> Double {
        let v = value * pow(carryDecay, Double(month - earlier))
        return v > carryFloor ? v : 0
    }
}
