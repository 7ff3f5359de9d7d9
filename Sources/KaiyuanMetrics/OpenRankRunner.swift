import KaiyuanCore
import KaiyuanStore

/// Computes monthly OpenRank over the store, month after month, incrementally: a month is
/// computed again only when an import added facts to it or to an earlier month, because each
/// month starts from the values of the months before it (§4.4).
///
/// A graph spans one platform (the default: each platform's repositories and accounts are
/// ranked among themselves, as OpenDigger ranks GitHub) or several when asked (`scope`).
public struct OpenRankRunner: Sendable {
    public let store: any EventStore
    /// The platforms whose facts make the graph.
    public var scope: PlatformSet
    /// Accounts left out of the graph besides those whose login ends in `[bot]`.
    public var extraBots: Set<Int64>
    public var includeBots: Bool
    public var tolerance: Double

    public init(store: any EventStore, scope: PlatformSet = .github, extraBots: Set<Int64> = [], includeBots: Bool = false, tolerance: Double = 1e-8) {
        self.store = store
        self.scope = scope
        self.extraBots = extraBots
        self.includeBots = includeBots
        self.tolerance = tolerance
    }

    public struct Plan: Sendable, Equatable {
        /// Months to compute, in order.
        public var months: [Month]
        /// Months up to `to` already computed from their current data.
        public var upToDate: Int
    }

    /// Which months need computing: from the first month (up to `to`) whose data changed since
    /// its OpenRank was computed, or from `from` when `force` is set, through `to`.
    public func plan(from: Month? = nil, to: Month? = nil, force: Bool = false) throws -> Plan {
        let versions = try store.dataVersions(platforms: scope)
        let runs = try store.openRankRuns(scope: scope)
        let months = versions.keys.filter { to == nil || $0 <= to! }.sorted()
        var start = months.first { runs[$0]?.dataVersion != versions[$0] }
        if force, let from, let first = months.first(where: { $0 >= from }) { start = min(start ?? first, first) }
        guard let start else { return Plan(months: [], upToDate: months.count) }
        let todo = months.filter { $0 >= start }
        return Plan(months: todo, upToDate: months.count - todo.count)
    }

    /// Computes the planned months and stores each as it is done (a stop loses no finished month).
    @discardableResult
    public func run(_ plan: Plan, progress: ((OpenRankMonthRecord) -> Void)? = nil) throws -> [OpenRankMonthRecord] {
        guard let start = plan.months.first else { return [] }
        let versions = try store.dataVersions(platforms: scope)
        let bots = includeBots ? [] : try store.accounts(withLoginSuffix: "[bot]").union(extraBots)
        // Earlier values from the store, from before `start` only, since every stored value
        // from `start` on is about to be replaced; then this run's, month by month.
        var latest = try store.latestOpenRanks(before: start, scope: scope)
        var records: [OpenRankMonthRecord] = []
        for month in plan.months {
            let pairs = try pairCounts(month: month, bots: bots)
            let result = OpenRank.compute(pairs: pairs, carried: { node in
                latest[node].map { OpenRank.carried(value: $0.value, from: $0.month, to: month) } ?? 0
            }, tolerance: tolerance)
            let record = OpenRankMonthRecord(month: month, dataVersion: versions[month] ?? 0, repos: result.repos.count,
                                             developers: result.developers.count, iterations: result.iterations, residual: result.residual)
            try store.replaceOpenRank(record, scope: scope, repos: result.repos, developers: result.developers)
            for (id, v) in result.repos { latest[OpenRank.NodeKey(.repo, id)] = (month, v) }
            for (id, v) in result.developers { latest[OpenRank.NodeKey(.developer, id)] = (month, v) }
            records.append(record)
            progress?(record)
        }
        return records
    }

    /// The platforms that have facts, each its own graph: what `compute openrank` runs by default.
    public static func platformsWithData(in store: any EventStore) throws -> [PlatformSet] {
        try Platform.allCases.filter { !(try store.dataVersions(platforms: PlatformSet([$0])).isEmpty) }.map { PlatformSet([$0]) }
    }

    static let kinds: [FactKind] = FactKind.allCases.filter(\.countsForOpenRank)

    /// §4.1: distinct counts per (repo, developer), bots and `[snyk]` events left out.
    func pairCounts(month: Month, bots: Set<Int64>) throws -> [OpenRank.PairKey: OpenRank.PairCounts] {
        var pairs: [OpenRank.PairKey: OpenRank.PairCounts] = [:]
        try store.factCounts(month: month, kinds: Self.kinds, platforms: scope, excludedOnly: false) { c in
            guard !bots.contains(c.actor) else { return }
            pairs[OpenRank.PairKey(repo: c.repo, developer: c.actor), default: OpenRank.PairCounts()][c.kind] += c.count
        }
        try store.factCounts(month: month, kinds: Self.kinds, platforms: scope, excludedOnly: true) { c in
            let key = OpenRank.PairKey(repo: c.repo, developer: c.actor)
            pairs[key]?[c.kind] -= c.count
        }
        return pairs
    }
}
