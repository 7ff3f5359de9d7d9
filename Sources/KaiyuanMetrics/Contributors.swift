import KaiyuanCore

/// New and inactive contributors (`spec/metrics.md` §5), from the merged PRs of a
/// repository's whole ingested history.
enum Contributors {
    /// Each non-bot author's months with a merged PR, sorted.
    static func mergeMonths(_ facts: RepoFacts, bots: Set<Int64>) -> [Int64: [Month]] {
        var months: [Int64: Set<Month>] = [:]
        for row in facts[.pullMerged] where !bots.contains(row.actor) { months[row.actor, default: []].insert(row.month) }
        return months.mapValues { $0.sorted() }
    }

    /// Authors whose first merged PR falls in the bucket.
    static func new(_ merges: [Int64: [Month]], kinds: [PeriodKind], logins: [Int64: String]) -> (MetricSeries, DetailSeries) {
        var byPeriod: [Period: [String]] = [:]
        for (id, months) in merges {
            for k in kinds { byPeriod[Period(k, containing: months[0]), default: []].append(logins[id] ?? "#\(id)") }
        }
        return (byPeriod.mapValues { Double($0.count) },
                byPeriod.mapValues { $0.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { DetailEntry(login: $0, value: nil) } })
    }

    /// At the end T of each bucket that has ended inside the data (every month; a quarter or
    /// a year only once its last month has data: spec §5, changed 2026-11-24): authors with a
    /// merged PR before T and none in the 6 months up to T.
    static func inactive(_ merges: [Int64: [Month]], kinds: [PeriodKind], through dataEnd: Month) -> MetricSeries {
        guard let first = merges.values.map({ $0[0] }).min(), first <= dataEnd else { return [:] }
        var out: MetricSeries = [:]
        var periods = Set<Period>()
        var m = first
        while m <= dataEnd {
            for k in kinds { periods.insert(Period(k, containing: m)) }
            m = m + 1
        }
        for period in periods where period.lastMonth <= dataEnd {
            let end = period.lastMonth
            let windowStart = end + (-5)
            var count = 0
            for months in merges.values where months[0] <= end {
                // The last merge at or before T.
                let last = months.last { $0 <= end }!
                if last < windowStart { count += 1 }
            }
            // 0 too: a repository with merged PRs has input for the metric (its file is `{}`
            // when no author was ever inactive).
            out[period] = Double(count)
        }
        return out
    }
}
