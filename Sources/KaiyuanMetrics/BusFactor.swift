import KaiyuanCore

/// Bus factor (`spec/metrics.md` §6).
public enum BusFactor {
    /// Per bucket: the number of developers who together make up the weighted median of
    /// rounded-up activity, and those developers with their n. Every developer with an issue,
    /// comment, pull request or review comment event in the bucket is scored, with n = 0 when
    /// their activity is 0 (spec §6, changed 2026-11-24): a bucket where all score 0 keeps all.
    static func compute(_ facts: RepoFacts, kinds: [PeriodKind], bots: Set<Int64>, logins: [Int64: String]) -> (MetricSeries, DetailSeries) {
        // Distinct ids per developer over each whole bucket (not summed months).
        struct Sets { var comments = Set<Int64>(), issues = Set<Int64>(), pulls = Set<Int64>(), reviews = Set<Int64>(), merged = Set<Int64>() }
        var perBucket: [Period: [Int64: Sets]] = [:]
        func collect(_ kind: FactKind, _ field: WritableKeyPath<Sets, Set<Int64>>) {
            for row in facts[kind] where !bots.contains(row.actor) {
                for k in kinds { perBucket[Period(k, containing: row.month), default: [:]][row.actor, default: Sets()][keyPath: field].insert(row.object) }
            }
        }
        collect(.issueComment, \.comments)
        collect(.issueOpened, \.issues)
        collect(.pullOpened, \.pulls)
        collect(.reviewCommentCreated, \.reviews)
        collect(.pullMerged, \.merged)
        for row in facts[.participant] where !bots.contains(row.actor) {
            for k in kinds {
                let p = Period(k, containing: row.month)
                if perBucket[p]?[row.actor] == nil { perBucket[p, default: [:]][row.actor] = Sets() }
            }
        }

        var series: MetricSeries = [:], details: DetailSeries = [:]
        for (period, devs) in perBucket {
            var ns: [(id: Int64, n: Int)] = []
            for (id, s) in devs {
                var c = Activity.Counts()
                c.issueComment = s.comments.count; c.openIssue = s.issues.count; c.openPull = s.pulls.count
                c.reviewComment = s.reviews.count; c.mergedPull = s.merged.count
                ns.append((id, Int(c.activity.rounded(.up))))
            }
            guard let (factor, members) = busFactor(ns) else { continue }
            series[period] = Double(factor)
            // By score descending, then login in byte order (spec §2, changed 2026-11-24).
            details[period] = members.map { (login: logins[$0.id] ?? "#\($0.id)", n: $0.n) }
                .sorted { $0.n != $1.n ? $0.n > $1.n : $0.login.utf8.lexicographicallyPrecedes($1.login.utf8) }
                .map { DetailEntry(login: $0.login, value: Double($0.n)) }
        }
        return (series, details)
    }

    /// m is the smallest n at which the cumulative weight, counted from the smallest n up,
    /// reaches ceil(Σn / 2) (m = 0 when Σn = 0); the bus factor is the number of developers
    /// with n ≥ m.
    public static func busFactor(_ ns: [(id: Int64, n: Int)]) -> (Int, [(id: Int64, n: Int)])? {
        guard !ns.isEmpty else { return nil }
        let ascending = ns.sorted { $0.n != $1.n ? $0.n < $1.n : $0.id < $1.id }
        let total = ascending.reduce(0) { $0 + $1.n }
        let half = (total + 1) / 2
        var cumulative = 0
        var median = total == 0 ? 0 : ascending.last!.n
        for e in ascending {
            cumulative += e.n
            if cumulative >= half { median = e.n; break }
        }
        let members = ascending.filter { $0.n >= median }.reversed()
        return (members.count, Array(members))
    }
}
