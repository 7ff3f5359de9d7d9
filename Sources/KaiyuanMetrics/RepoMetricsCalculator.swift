import KaiyuanCore

/// Computes every repository metric from the repo's stored facts. Each definition points at
/// its section of `spec/metrics.md`.
public enum RepoMetricsCalculator {
    /// The actor ids whose logins `compute` needs for detail metrics.
    public static func actorsNeedingLogins(_ facts: RepoFacts) -> Set<Int64> {
        var ids = Set<Int64>()
        for kind in [FactKind.issueComment, .issueOpened, .pullOpened, .reviewCommentCreated, .pullMerged] {
            // Activity, bus factor and contributor details name these developers.
            for row in facts[kind] { ids.insert(row.actor) }
        }
        return ids
    }

    /// `bots` are left out where the spec says so (bus factor, new and inactive contributors);
    /// `dataEnd` is the last month with data in the store, where inactivity is measured up to.
    public static func compute(_ facts: RepoFacts, kinds: [PeriodKind] = PeriodKind.allCases,
                               logins: [Int64: String], bots: Set<Int64> = [], dataEnd: Month? = nil,
                               only: Set<RepoMetric>? = nil) -> RepoMetrics {
        var m = RepoMetrics(repo: facts.repo)
        func wants(_ metric: RepoMetric) -> Bool { only?.contains(metric) ?? true }
        func set(_ metric: RepoMetric, _ series: @autoclosure () -> MetricSeries) {
            if wants(metric) { m.scalars[metric] = series() }
        }

        // §4: stored monthly; a quarter or a year is the sum of its months.
        if !facts.openRank.isEmpty { set(.openrank, Buckets.rollUp(facts.openRank, kinds: kinds)) }

        // §3
        if wants(.activity) || wants(.activityDetails) {
            let (activity, details) = Activity.compute(facts, kinds: kinds, logins: logins)
            set(.activity, activity)
            if wants(.activityDetails) { m.details[.activityDetails] = details }
        }

        // §5
        let actor: (FactRow) -> Int64 = { $0.actor }
        let object: (FactRow) -> Int64 = { $0.object }
        let stargazers = wants(.stars) || wants(.attention) ? Buckets.distinct(facts[.star], kinds: kinds, key: actor) : [:]
        set(.stars, stargazers)
        set(.technicalFork, Buckets.count(facts[.fork], kinds: kinds))
        if wants(.attention) {
            var attention = stargazers
            for (p, forkers) in Buckets.distinct(facts[.fork], kinds: kinds, key: actor) {
                attention[p, default: 0] += 2 * forkers
            }
            m.scalars[.attention] = attention
        }
        set(.participants, Buckets.distinct(facts[.participant], kinds: kinds, key: actor))
        set(.contributors, Buckets.distinct(facts[.pullMerged], kinds: kinds, key: actor))
        if wants(.contributorsDetail) {
            m.details[.contributorsDetail] = contributorsDetail(facts[.pullMerged], kinds: kinds, logins: logins)
        }
        set(.issuesNew, Buckets.distinct(facts[.issueOpened], facts[.issueReopened], kinds: kinds, key: object))
        set(.issuesClosed, Buckets.distinct(facts[.issueClosed], kinds: kinds, key: object))
        set(.issueComments, Buckets.count(facts[.issueComment], kinds: kinds))
        set(.changeRequests, Buckets.distinct(facts[.pullOpened], kinds: kinds, key: object))
        set(.changeRequestsAccepted, Buckets.distinct(facts[.pullMerged], kinds: kinds, key: object))
        set(.changeRequestsReviews, Buckets.distinct(facts[.reviewCommentCreated], facts[.reviewCommentOther], kinds: kinds, key: object))
        let add = Buckets.sum(facts.pullRequestLines, kinds: kinds, month: \.month) { Double($0.additions) }
        let remove = Buckets.sum(facts.pullRequestLines, kinds: kinds, month: \.month) { Double($0.deletions) }
        set(.codeChangeLinesAdd, add)
        set(.codeChangeLinesRemove, remove)
        set(.codeChangeLinesSum, add.merging(remove.mapValues { -$0 }, uniquingKeysWith: +))
        set(.issuesAndChangeRequestActive, Buckets.distinct(facts[.issueActive], kinds: kinds, key: object))

        // §6
        if wants(.busFactor) || wants(.busFactorDetail) {
            let (factor, members) = BusFactor.compute(facts, kinds: kinds, bots: bots, logins: logins)
            set(.busFactor, factor)
            if wants(.busFactorDetail) { m.details[.busFactorDetail] = members }
        }
        // §5, over the whole history
        if wants(.newContributors) || wants(.newContributorsDetail) || wants(.inactiveContributors) {
            let merges = Contributors.mergeMonths(facts, bots: bots)
            var (count, names) = Contributors.new(merges, kinds: kinds, logins: logins)
            // Merged PRs by bots alone are input without a value: the file is `{}` (spec §2).
            if count.isEmpty, let first = facts[.pullMerged].first {
                count = [Period(.month, containing: first.month): 0]
                names = [Period(.month, containing: first.month): []]
            }
            set(.newContributors, count)
            if wants(.newContributorsDetail) { m.details[.newContributorsDetail] = names }
            if let end = dataEnd ?? facts.months?.upperBound {
                set(.inactiveContributors, Contributors.inactive(merges, kinds: kinds, through: end))
            }
        }
        // §7
        for (pullRequests, metrics) in [(false, [RepoMetric.issueResponseTime, .issueResolutionDuration, .issueAge]),
                                         (true, [.changeRequestResponseTime, .changeRequestResolutionDuration, .changeRequestAge])]
        where metrics.contains(where: wants) {
            let (response, resolution, age) = Durations.compute(facts, pullRequests: pullRequests, kinds: kinds, bots: bots, dataEnd: dataEnd)
            for (metric, series) in zip(metrics, [response, resolution, age]) where wants(metric) && !series.isEmpty {
                m.durations[metric] = series
            }
        }
        return m
    }

    /// Logins of merged-PR authors per bucket, in byte order (spec §2, changed 2026-11-24).
    static func contributorsDetail(_ merged: [FactRow], kinds: [PeriodKind], logins: [Int64: String]) -> DetailSeries {
        var authors: [Period: Set<Int64>] = [:]
        for row in merged {
            for kind in kinds { authors[Period(kind, containing: row.month), default: []].insert(row.actor) }
        }
        return authors.mapValues { ids -> [DetailEntry] in
            Set(ids.map { logins[$0] ?? "#\($0)" }).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { DetailEntry(login: $0, value: nil) }
        }
    }
}
