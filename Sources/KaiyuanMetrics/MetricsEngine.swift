import KaiyuanCore
import KaiyuanStore

/// Asks the store for facts and turns them into metrics: the one path from stored data to
/// numbers, shared by `show`, `rank` and the export.
public struct MetricsEngine: Sendable {
    public let store: any EventStore
    /// Accounts left out where the spec leaves bots out, besides logins ending in `[bot]`.
    public var extraBots: Set<Int64>
    public var includeBots: Bool

    public init(store: any EventStore, extraBots: Set<Int64> = [], includeBots: Bool = false) {
        self.store = store
        self.extraBots = extraBots
        self.includeBots = includeBots
    }

    /// Accounts left out where bots are: `[bot]` logins and the extra ones, unless bots are kept.
    public func bots() throws -> Set<Int64> {
        includeBots ? [] : try store.accounts(withLoginSuffix: "[bot]").union(extraBots)
    }

    /// The last month with data (from the small per-month version table, not a count of facts).
    private func dataEnd() throws -> Month? { try store.dataVersions().keys.max() }

    /// Metrics that read the whole history ignore a narrower month range.
    private func range(_ months: ClosedRange<Month>?, for only: Set<RepoMetric>?) -> ClosedRange<Month>? {
        (only ?? Set(RepoMetric.allCases)).contains(where: \.needsFullHistory) ? nil : months
    }

    public func metrics(for repo: RepoRef, kinds: [PeriodKind] = PeriodKind.allCases,
                        months: ClosedRange<Month>? = nil, only: Set<RepoMetric>? = nil) throws -> RepoMetrics {
        var facts = try store.facts(for: repo, months: range(months, for: only))
        if only?.contains(.openrank) ?? true { facts.openRank = try openRank(repo.id, months) }
        let logins = try store.logins(for: RepoMetricsCalculator.actorsNeedingLogins(facts))
        return RepoMetricsCalculator.compute(facts, kinds: kinds, logins: logins, bots: try bots(), dataEnd: try dataEnd(), only: only)
    }

    /// Every repository's metrics, one repository at a time (memory stays at one repo, plus
    /// developers' monthly totals when `developers` collects them).
    public func forEachRepository(kinds: [PeriodKind] = PeriodKind.allCases, months: ClosedRange<Month>? = nil,
                                  only: Set<RepoMetric>? = nil, developers: DeveloperActivity? = nil,
                                  _ body: (RepoMetrics) throws -> Void) throws {
        let needsLogins = only.map { !$0.isDisjoint(with: RepoMetric.allCases.filter(\.isDetail)) } ?? true
        let wantsOpenRank = only?.contains(.openrank) ?? true
        let bots = try bots(), end = try dataEnd()
        // Every repository's OpenRank in one read, not one per repository.
        let openRank = wantsOpenRank ? try store.openRank(.repo, months: months ?? Month(index: 0)...Month(index: .max)) : [:]
        try store.forEachRepository(months: range(months, for: only)) { facts in
            developers?.add(facts)
            var facts = facts
            if wantsOpenRank { facts.openRank = openRank[facts.repo.id] ?? [:] }
            let logins = needsLogins ? try store.logins(for: RepoMetricsCalculator.actorsNeedingLogins(facts)) : [:]
            try body(RepoMetricsCalculator.compute(facts, kinds: kinds, logins: logins, bots: bots, dataEnd: end, only: only))
        }
    }

    private func openRank(_ repo: Int64, _ months: ClosedRange<Month>?) throws -> [Month: Double] {
        let all = try store.openRank(.repo, id: repo)
        return months.map { r in all.filter { r.contains($0.key) } } ?? all
    }

    /// Repositories ranked by one metric in one period, highest first.
    public func rank(by metric: RepoMetric, period: Period, top: Int) throws -> [(repo: RepoRef, value: Double)] {
        precondition(!metric.isDetail, "rank takes a scalar metric")
        var all: [(repo: RepoRef, value: Double)] = []
        if metric == .openrank {
            // Straight from the stored values: no facts to read.
            let names = Dictionary(uniqueKeysWithValues: try store.repositories().map { ($0.id, $0) })
            for (id, months) in try store.openRank(.repo, months: period.firstMonth...period.lastMonth) {
                all.append((names[id] ?? RepoRef(id: id, name: "#\(id)"), months.values.reduce(0, +)))
            }
        } else if let counts = try countedByStore(metric, period) {
            // A distinct count over the period: the store counts it where the data is.
            let names = Dictionary(uniqueKeysWithValues: try store.repositories().map { ($0.id, $0) })
            for (id, v) in counts where v != 0 { all.append((names[id] ?? RepoRef(id: id, name: "#\(id)"), v)) }
        } else {
            try forEachRepository(kinds: [period.kind], months: period.firstMonth...period.lastMonth, only: [metric]) { m in
                let v = m.value(metric, period)
                if v != 0 { all.append((m.repo, v)) }
            }
        }
        all.sort { $0.value != $1.value ? $0.value > $1.value : $0.repo.name < $1.repo.name }
        return Array(all.prefix(top))
    }

    /// The §5 metrics that are one distinct count over a bucket (`RepoMetricsCalculator`
    /// computes the same from facts): per repository, from the store's own aggregation.
    func countedByStore(_ metric: RepoMetric, _ period: Period) throws -> [Int64: Double]? {
        let months = period.firstMonth...period.lastMonth
        func count(_ kinds: [FactKind], _ key: FactCountKey) throws -> [Int64: Double] {
            try store.countPerRepository(kinds: kinds, key: key, months: months).mapValues(Double.init)
        }
        switch metric {
        case .stars: return try count([.star], .actor)
        case .technicalFork: return try count([.fork], .fact)
        case .attention:
            // Stargazers + 2 × distinct forkers.
            return try count([.star], .actor).merging(try count([.fork], .actor).mapValues { 2 * $0 }, uniquingKeysWith: +)
        case .participants: return try count([.participant], .actor)
        case .contributors: return try count([.pullMerged], .actor)
        case .issuesNew: return try count([.issueOpened, .issueReopened], .object)
        case .issuesClosed: return try count([.issueClosed], .object)
        case .issueComments: return try count([.issueComment], .fact)
        case .changeRequests: return try count([.pullOpened], .object)
        case .changeRequestsAccepted: return try count([.pullMerged], .object)
        case .changeRequestsReviews: return try count([.reviewCommentCreated, .reviewCommentOther], .object)
        case .issuesAndChangeRequestActive: return try count([.issueActive], .object)
        default: return nil
        }
    }

    // MARK: Developers

    /// Every developer's metrics (after one pass over the store), in login order.
    public func forEachDeveloper(kinds: [PeriodKind] = PeriodKind.allCases, _ body: (DeveloperMetrics) throws -> Void) throws {
        let activity = DeveloperActivity()
        try forEachRepository(kinds: kinds, only: [], developers: activity) { _ in }
        try developers(from: activity, kinds: kinds, body)
    }

    /// Developers' metrics from totals already collected (by an export's pass over repos).
    public func developers(from activity: DeveloperActivity, kinds: [PeriodKind] = PeriodKind.allCases,
                           _ body: (DeveloperMetrics) throws -> Void) throws {
        let openRank = try store.openRank(.developer, months: Month(index: 0)...Month(index: .max))
        let ids = Set(activity.developers).union(openRank.keys)
        let logins = try store.logins(for: ids)
        let ordered = ids.map { (id: $0, login: logins[$0] ?? "#\($0)") }.sorted { $0.login < $1.login }
        for (id, login) in ordered {
            try body(activity.metrics(id: id, login: login, openRank: openRank[id] ?? [:], kinds: kinds))
        }
    }

    /// One developer's metrics, by login.
    public func developer(login: String, kinds: [PeriodKind] = PeriodKind.allCases) throws -> DeveloperMetrics? {
        guard let id = try store.account(login: login) else { return nil }
        let activity = DeveloperActivity(only: id)
        try store.forEachRepository(months: nil, actor: id) { activity.add($0) }
        let current = try store.logins(for: [id])[id] ?? login
        return activity.metrics(id: id, login: current, openRank: try store.openRank(.developer, id: id), kinds: kinds)
    }

    /// Developers ranked by one metric in one period, highest first.
    /// Bots are left out unless the engine keeps them (`--with-bots`): a ranking of people.
    public func rankDevelopers(by metric: DeveloperMetric, period: Period, top: Int) throws -> [(login: String, value: Double)] {
        var all: [(id: Int64, value: Double)] = []
        let bots = try bots()
        if metric == .openrank {
            for (id, months) in try store.openRank(.developer, months: period.firstMonth...period.lastMonth) where !bots.contains(id) {
                all.append((id, months.values.reduce(0, +)))
            }
        } else {
            let activity = DeveloperActivity()
            try forEachRepository(kinds: [period.kind], months: period.firstMonth...period.lastMonth, only: [], developers: activity) { _ in }
            for id in activity.developers where !bots.contains(id) {
                let v = activity.metrics(id: id, login: "", openRank: [:], kinds: [period.kind]).value(metric, period)
                if v != 0 { all.append((id, v)) }
            }
        }
        all.sort { $0.value != $1.value ? $0.value > $1.value : $0.id < $1.id }
        let top = Array(all.prefix(top))
        let logins = try store.logins(for: Set(top.map(\.id)))
        return top.map { (logins[$0.id] ?? "#\($0.id)", $0.value) }
    }
}
