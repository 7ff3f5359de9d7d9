import KaiyuanCore

/// Bucketing by period lives here and only here (`spec/metrics.md` §2): a distinct count is
/// distinct over the whole bucket, never a sum of its months.
enum Buckets {
    /// Number of distinct `key(row)` per bucket, over one or more fact lists.
    static func distinct(_ lists: [FactRow]..., kinds: [PeriodKind], key: (FactRow) -> Int64) -> MetricSeries {
        var sets: [Period: Set<Int64>] = [:]
        for rows in lists {
            for row in rows {
                let k = key(row)
                for kind in kinds { sets[Period(kind, containing: row.month), default: []].insert(k) }
            }
        }
        return sets.mapValues { Double($0.count) }
    }

    /// Number of rows per bucket (for metrics that count events; the facts are already
    /// unique per event).
    static func count(_ rows: [FactRow], kinds: [PeriodKind]) -> MetricSeries {
        var out: MetricSeries = [:]
        for row in rows {
            for kind in kinds { out[Period(kind, containing: row.month), default: 0] += 1 }
        }
        return out
    }

    /// Σ `value(item)` per bucket.
    static func sum<T>(_ items: [T], kinds: [PeriodKind], month: (T) -> Month, value: (T) -> Double) -> MetricSeries {
        var out: MetricSeries = [:]
        for item in items {
            let v = value(item)
            for kind in kinds { out[Period(kind, containing: month(item)), default: 0] += v }
        }
        return out
    }

    /// Monthly values summed into every requested bucket.
    static func rollUp(_ monthly: [Month: Double], kinds: [PeriodKind]) -> MetricSeries {
        var out: MetricSeries = [:]
        for (month, v) in monthly {
            for kind in kinds { out[Period(kind, containing: month), default: 0] += v }
        }
        return out
    }
}
