import KaiyuanCore
import KaiyuanPeople
import KaiyuanStore
import KaiyuanMetrics

extension GitMetricsEngine {
    /// Labels of one type ranked by a git metric summed over the histories they cover.
    /// Labels ranked by a git metric summed over their histories. A mirror counts only for
    /// labels that do not also cover its upstream, so a mirrored project is counted once.
    public func rankLabels(type: String, by metric: GitMetric, period: Period, top: Int,
                           mirrors: [ForgeRepo: ForgeRepo] = [:]) throws -> [(label: LabelDefinition, value: Double, repos: Int)] {
        var tally = LabelTally(labels: context.labels, types: [type])
        try forEachRepository(kinds: [period.kind]) { record, a in
            let v = a.metrics.value(metric, period)
            let upstreamLabels = mirrors[record.repo].map { Set(context.labels.labels(ofRepo: $0)) } ?? []
            if v != 0 { tally.add([v], repo: record.repo, except: upstreamLabels) }
        }
        return tally.ranked(top: top)
    }
}

/// Values added up per label over the repositories each label covers (its children's
/// included, a repository once per label), for labels of some types only.
struct LabelTally {
    let labels: LabelIndex
    let types: Set<String>
    private(set) var totals: [String: (values: [Double], repos: Int)] = [:]

    init(labels: LabelIndex, types: Set<String>) {
        self.labels = labels
        self.types = Set(types.map { $0.lowercased() })
    }

    mutating func add(_ values: [Double], repo: ForgeRepo, githubID: Int64? = nil, except: Set<String> = []) {
        for id in labels.labels(ofRepo: repo, githubID: githubID) where !except.contains(id) {
            guard let l = labels.label(id), types.contains(l.type.lowercased()) else { continue }
            var t = totals[id] ?? ([Double](repeating: 0, count: values.count), 0)
            for i in values.indices { t.values[i] += values[i] }
            t.repos += 1
            totals[id] = t
        }
    }

    /// Labels by their first value, highest first.
    func ranked(top: Int) -> [(label: LabelDefinition, value: Double, repos: Int)] {
        var ranked: [(label: LabelDefinition, value: Double, repos: Int)] = []
        for (id, t) in totals {
            if let l = labels.label(id) { ranked.append((l, t.values[0], t.repos)) }
        }
        ranked.sort { a, b in a.value != b.value ? a.value > b.value : a.label.id < b.label.id }
        return Array(ranked.prefix(top))
    }
}

/// Metrics of labels: every scalar summed over the GitHub repositories a label covers (its
/// children included, each repository once), per period, as OpenDigger's label groupings do.
public struct LabelMetrics: Sendable {
    public let engine: MetricsEngine
    public let labels: LabelIndex

    public init(engine: MetricsEngine, labels: LabelIndex) {
        self.engine = engine
        self.labels = labels
    }

    /// One label's sums, and the repositories they came from.
    public func metrics(of label: String, kinds: [PeriodKind], months: ClosedRange<Month>? = nil,
                        only: [RepoMetric]) throws -> (sums: [RepoMetric: MetricSeries], repos: [RepoRef]) {
        let coverage = labels.coverage(of: label)
        var sums: [RepoMetric: MetricSeries] = [:]
        var repos: [RepoRef] = []
        try engine.forEachRepository(kinds: kinds, months: months, only: Set(only)) { m in
            guard coverage.contains(ForgeRepo(platform: .github, name: m.repo.name), githubID: m.repo.id) else { return }
            repos.append(m.repo)
            for metric in only {
                for (p, v) in m.scalars[metric] ?? [:] { sums[metric, default: [:]][p, default: 0] += v }
            }
        }
        return (sums, repos)
    }

    /// Labels of one type ranked by the sum of a metric over their repositories.
    public func rank(type: String, by metric: RepoMetric, period: Period, top: Int) throws -> [(label: LabelDefinition, value: Double, repos: Int)] {
        var tally = LabelTally(labels: labels, types: [type])
        try engine.forEachRepository(kinds: [period.kind], months: period.firstMonth...period.lastMonth, only: [metric]) { m in
            let v = m.value(metric, period)
            if v != 0 { tally.add([v], repo: ForgeRepo(platform: .github, name: m.repo.name), githubID: m.repo.id) }
        }
        return tally.ranked(top: top)
    }
}

/// Every label's sums, collected in one pass over the repositories (for the export and the
/// server): each scalar metric of each repository is added to every label that covers it.
public final class LabelTotals: @unchecked Sendable {
    public let labels: LabelIndex
    public private(set) var sums: [String: [RepoMetric: MetricSeries]] = [:]
    public private(set) var repos: [String: Int] = [:]

    public init(labels: LabelIndex) { self.labels = labels }

    public func add(_ m: RepoMetrics) {
        let covering = labels.labels(ofRepo: ForgeRepo(platform: .github, name: m.repo.name), githubID: m.repo.id)
        guard !covering.isEmpty else { return }
        for id in covering {
            repos[id, default: 0] += 1
            var s = sums[id] ?? [:]
            for (metric, series) in m.scalars {
                for (p, v) in series where v != 0 { s[metric, default: [:]][p, default: 0] += v }
            }
            sums[id] = s
        }
    }
}
