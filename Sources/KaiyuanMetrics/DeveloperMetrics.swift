import KaiyuanCore

/// The developer metrics of OpenDigger's export (`spec/metrics.md` §3, §4).
public enum DeveloperMetric: String, CaseIterable, Sendable {
    case openrank
    case activity
    case openIssue = "open_issue"
    case issueComment = "issue_comment"
    case openPull = "open_pull"
    case mergedPull = "merged_pull"
    case reviewComment = "review_comment"

    public var summary: String {
        switch self {
        case .openrank: "OpenRank, summed over months"
        case .activity: "Σ over repositories of the monthly activity"
        case .openIssue: "issues opened"
        case .issueComment: "issue comments created"
        case .openPull: "PRs opened"
        case .mergedPull: "own PRs merged"
        case .reviewComment: "review comments created"
        }
    }
}

/// One developer's metrics.
public struct DeveloperMetrics: Sendable {
    public var id: Int64
    public var login: String
    public var scalars: [DeveloperMetric: MetricSeries] = [:]

    public init(id: Int64, login: String) { self.id = id; self.login = login }

    public func value(_ metric: DeveloperMetric, _ period: Period) -> Double { scalars[metric]?[period] ?? 0 }
}

/// Collects developers' monthly activity and counts from repositories' facts, one repository
/// at a time: a developer's value is the sum over repositories of the per-repo monthly values.
public final class DeveloperActivity: @unchecked Sendable {
    struct Monthly { var activity = 0.0, openIssue = 0, issueComment = 0, openPull = 0, mergedPull = 0, reviewComment = 0 }
    private var byDeveloper: [Int64: [Month: Monthly]] = [:]
    /// Only this developer, when set.
    let only: Int64?

    public init(only: Int64? = nil) { self.only = only }

    public func add(_ facts: RepoFacts) {
        for (key, c) in Activity.counts(facts) where only == nil || key.actor == only {
            var m = byDeveloper[key.actor, default: [:]][key.month, default: Monthly()]
            m.activity += c.activity
            m.openIssue += c.openIssue; m.issueComment += c.issueComment; m.openPull += c.openPull
            m.mergedPull += c.mergedPull; m.reviewComment += c.reviewComment
            byDeveloper[key.actor, default: [:]][key.month] = m
        }
    }

    public var developers: [Int64] { Array(byDeveloper.keys) }

    /// One developer's activity per month, summed over repositories.
    public func monthlyActivity(_ id: Int64) -> [Month: Double] { (byDeveloper[id] ?? [:]).mapValues(\.activity) }

    /// The developer's metrics, OpenRank included when given (monthly values).
    public func metrics(id: Int64, login: String, openRank: [Month: Double], kinds: [PeriodKind]) -> DeveloperMetrics {
        var d = DeveloperMetrics(id: id, login: login)
        let months = byDeveloper[id] ?? [:]
        func roll(_ value: (Monthly) -> Double) -> MetricSeries {
            Buckets.rollUp(months.mapValues(value), kinds: kinds)
        }
        d.scalars[.activity] = roll(\.activity)
        d.scalars[.openIssue] = roll { Double($0.openIssue) }
        d.scalars[.issueComment] = roll { Double($0.issueComment) }
        d.scalars[.openPull] = roll { Double($0.openPull) }
        d.scalars[.mergedPull] = roll { Double($0.mergedPull) }
        d.scalars[.reviewComment] = roll { Double($0.reviewComment) }
        if !openRank.isEmpty { d.scalars[.openrank] = Buckets.rollUp(openRank, kinds: kinds) }
        return d
    }
}
