import Dispatch
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

    /// Where one month's time went, in seconds.
    public struct MonthTimings: Sendable {
        /// Reading the month's counts from the store into edges.
        public var read = 0.0
        /// Numbering, pruning and the two adjacencies.
        public var graph = 0.0
        /// The iteration.
        public var solve = 0.0
        /// Replacing the month's stored values (and keeping them for the next month).
        public var store = 0.0
        public var total: Double { read + graph + solve + store }
    }

    /// Computes the planned months and stores each as it is done (a stop loses no finished month).
    @discardableResult
    public func run(_ plan: Plan, progress: ((OpenRankMonthRecord, MonthTimings) -> Void)? = nil) throws -> [OpenRankMonthRecord] {
        guard let start = plan.months.first else { return [] }
        let versions = try store.dataVersions(platforms: scope)
        let bots = includeBots ? [] : try store.accounts(withLoginSuffix: "[bot]").union(extraBots)
        // Earlier values from the store, from before `start` only, since every stored value
        // from `start` on is about to be replaced; then this run's, month by month.
        var latest = try store.latestOpenRanks(before: start, scope: scope)
        var records: [OpenRankMonthRecord] = []
        for month in plan.months {
            var timings = MonthTimings()
            var lap = DispatchTime.now().uptimeNanoseconds
            func seconds() -> Double {
                let now = DispatchTime.now().uptimeNanoseconds
                defer { lap = now }
                return Double(now - lap) / 1e9
            }
            let edges = try self.edges(month: month, bots: bots)
            timings.read = seconds()
            let result = OpenRank.compute(edges: edges, carried: { node in
                latest[node].map { OpenRank.carried(value: $0.value, from: $0.month, to: month) } ?? 0
            }, tolerance: tolerance)
            timings.solve = result.solveSeconds
            timings.graph = seconds() - result.solveSeconds   // the graph, and the values handed back
            let record = OpenRankMonthRecord(month: month, dataVersion: versions[month] ?? 0, repos: result.repos.count,
                                             developers: result.developers.count, iterations: result.iterations, residual: result.residual)
            try store.replaceOpenRank(record, scope: scope, repos: result.repos, developers: result.developers)
            for (id, v) in result.repos { latest[OpenRank.NodeKey(.repo, id)] = (month, v) }
            for (id, v) in result.developers { latest[OpenRank.NodeKey(.developer, id)] = (month, v) }
            timings.store = seconds()
            records.append(record)
            progress?(record, timings)
        }
        return records
    }

    /// The platforms that have facts, each its own graph: what `compute openrank` runs by default.
    public static func platformsWithData(in store: any EventStore) throws -> [PlatformSet] {
        try Platform.allCases.filter { !(try store.dataVersions(platforms: PlatformSet([$0])).isEmpty) }.map { PlatformSet([$0]) }
    }

    static let kinds: [FactKind] = FactKind.allCases.filter(\.countsForOpenRank)

    /// One count the store gave, packed flat: 24 bytes, no object.
    struct PackedCount: Comparable {
        var repo: Int64
        var actor: Int64
        var count: Int32
        var kind: UInt8
        static func < (a: PackedCount, b: PackedCount) -> Bool { a.repo != b.repo ? a.repo < b.repo : a.actor < b.actor }
        static func == (a: PackedCount, b: PackedCount) -> Bool { a.repo == b.repo && a.actor == b.actor }
    }

    /// §4.1: distinct counts per (repo, developer), bots and `[snyk]` events left out, handed
    /// to `body` in (repo, developer) order. No hash map of pairs: the store's counts are
    /// gathered into one flat array and sorted. They arrive as sorted runs (one per kind and
    /// shard, the exclusions after: both stores order their counts), which the standard
    /// library's merge sort finds and merges.
    func forEachPair(month: Month, bots: Set<Int64>, _ body: (Int64, Int64, OpenRank.PairCounts) -> Void) throws {
        var counts: [PackedCount] = []
        let noBots = bots.isEmpty
        try store.factCounts(month: month, kinds: Self.kinds, platforms: scope, excludedOnly: false) { c in
            guard noBots || !bots.contains(c.actor) else { return }
            counts.append(PackedCount(repo: c.repo, actor: c.actor, count: Int32(clamping: c.count), kind: c.kind.rawValue))
        }
        try store.factCounts(month: month, kinds: Self.kinds, platforms: scope, excludedOnly: true) { c in
            guard noBots || !bots.contains(c.actor) else { return }
            counts.append(PackedCount(repo: c.repo, actor: c.actor, count: -Int32(clamping: c.count), kind: c.kind.rawValue))
        }
        counts.sort()
        var i = 0
        while i < counts.count {
            let first = counts[i]
            var pair = OpenRank.PairCounts()
            while i < counts.count && counts[i] == first {
                if let kind = FactKind(rawValue: counts[i].kind) { pair[kind] += Int(counts[i].count) }
                i += 1
            }
            body(first.repo, first.actor, pair)
        }
    }

    /// The month's edges, in (repo, developer) order.
    func edges(month: Month, bots: Set<Int64>) throws -> OpenRank.Edges {
        var edges = OpenRank.Edges()
        try forEachPair(month: month, bots: bots) { repo, developer, counts in
            edges.add(repo: repo, developer: developer, counts: counts)
        }
        return edges
    }

    /// The same counts as a dictionary, for tests that solve the month another way.
    func pairCounts(month: Month, bots: Set<Int64>) throws -> [OpenRank.PairKey: OpenRank.PairCounts] {
        var pairs: [OpenRank.PairKey: OpenRank.PairCounts] = [:]
        try forEachPair(month: month, bots: bots) { repo, developer, counts in
            pairs[OpenRank.PairKey(repo: repo, developer: developer)] = counts
        }
        return pairs
    }
}
