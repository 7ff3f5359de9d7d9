import KaiyuanCore
import KaiyuanStore

/// Asks the store for facts and turns them into metrics: the one path from stored data to
/// numbers, shared by `show`, `rank` and the export.
public struct MetricsEngine: Sendable {
    public let store: any EventStore

    public init(store: any EventStore) { self.store = store }

    public func metrics(for repo: RepoRef, kinds: [PeriodKind] = PeriodKind.allCases,
                        months: ClosedRange<Month>? = nil, only: Set<RepoMetric>? = nil) throws -> RepoMetrics {
        let facts = try store.facts(for: repo, months: months)
        let logins = try store.logins(for: RepoMetricsCalculator.actorsNeedingLogins(facts))
        return RepoMetricsCalculator.compute(facts, kinds: kinds, logins: logins, only: only)
    }

    /// Every repository's metrics, one repository at a time (memory stays at one repo).
    public func forEachRepository(kinds: [PeriodKind] = PeriodKind.allCases, months: ClosedRange<Month>? = nil,
                                  only: Set<RepoMetric>? = nil, _ body: (RepoMetrics) throws -> Void) throws {
        let needsLogins = only.map { !$0.isDisjoint(with: [.activityDetails, .contributorsDetail]) } ?? true
        try store.forEachRepository(months: months) { facts in
            let logins = needsLogins ? try store.logins(for: RepoMetricsCalculator.actorsNeedingLogins(facts)) : [:]
            try body(RepoMetricsCalculator.compute(facts, kinds: kinds, logins: logins, only: only))
        }
    }

    /// Repositories ranked by one metric in one period, highest first.
    public func rank(by metric: RepoMetric, period: Period, top: Int) throws -> [(repo: RepoRef, value: Double)] {
        precondition(!metric.isDetail, "rank takes a scalar metric")
        var all: [(repo: RepoRef, value: Double)] = []
        try forEachRepository(kinds: [period.kind], months: period.firstMonth...period.lastMonth, only: [metric]) { m in
            let v = m.value(metric, period)
            if v != 0 { all.append((m.repo, v)) }
        }
        all.sort { $0.value != $1.value ? $0.value > $1.value : $0.repo.name < $1.repo.name }
        return Array(all.prefix(top))
    }
}
