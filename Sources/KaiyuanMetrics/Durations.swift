import KaiyuanCore

/// The distribution of one duration metric in one bucket, in days.
public struct DurationStats: Sendable, Equatable {
    public var count: Int
    public var average: Double
    /// Minimum, first quartile, median, third quartile, maximum.
    public var quantiles: [Double]
    /// How many fall in each of the four ranges of the metric's `levelBounds`.
    public var levels: [Int]
    /// Items opened in the bucket that nobody answered by the end of the data (response
    /// times only).
    public var unanswered: Int

    /// Exact quantiles with linear interpolation between order statistics (R's type 7).
    public init(days values: [Double], bounds: [Double], unanswered: Int = 0) {
        let sorted = values.sorted()
        count = sorted.count
        average = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
        quantiles = (0...4).map { q in
            guard !sorted.isEmpty else { return 0 }
            let h = Double(sorted.count - 1) * Double(q) / 4
            let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
            return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
        }
        levels = [0, 0, 0, 0]
        for v in sorted { levels[bounds.firstIndex { v <= $0 } ?? 3] += 1 }
        self.unanswered = unanswered
    }
}

public typealias DurationSeries = [Period: DurationStats]

/// Response, resolution and age of issues and change requests (`spec/metrics.md` §7),
/// measured as exact elapsed time from each item's timeline. Items opened by bots, and
/// answers by bots, are left out; an item whose opening is not in the data is not measured.
enum Durations {
    static let responseBounds: [Double] = [3, 7, 15]
    static let ageBounds: [Double] = [15, 30, 60]

    struct Item {
        var openedAt: Int64
        var author: Int64
        var isPullRequest: Bool
        var firstResponse: Int64?
        var events: [ItemEvent]

        /// Closed at `t`: the last close or reopen at or before `t` is a close.
        func closed(at t: Int64) -> Bool {
            events.last { $0.at <= t && ($0.kind == .closed || $0.kind == .reopened) }?.kind == .closed
        }
    }

    static func items(_ events: [ItemEvent], bots: Set<Int64>) -> [Item] {
        var out: [Item] = []
        var i = 0
        while i < events.count {
            var j = i
            while j < events.count && events[j].number == events[i].number { j += 1 }
            let timeline = Array(events[i..<j])
            i = j
            guard let opened = timeline.first(where: { $0.kind == .opened }), !bots.contains(opened.actor) else { continue }
            let answer = timeline.first {
                $0.at >= opened.at && !bots.contains($0.actor)
                    && (($0.kind == .response && $0.actor != opened.actor) || $0.kind == .closed)
            }
            out.append(Item(openedAt: opened.at, author: opened.actor, isPullRequest: timeline.contains(where: \.isPullRequest),
                            firstResponse: answer?.at, events: timeline))
        }
        return out
    }

    static func days(_ seconds: Int64) -> Double { Double(seconds) / 86_400 }

    /// (response time, resolution duration, age) for issues or for change requests.
    static func compute(_ facts: RepoFacts, pullRequests: Bool, kinds: [PeriodKind], bots: Set<Int64>,
                        dataEnd: Month?) -> (DurationSeries, DurationSeries, DurationSeries) {
        let all = items(facts.itemEvents, bots: bots).filter { $0.isPullRequest == pullRequests }
        guard !all.isEmpty else { return ([:], [:], [:]) }
        var response: [Period: [Double]] = [:], unanswered: [Period: Int] = [:], resolution: [Period: [Double]] = [:]
        for item in all {
            let opened = Month(unixTime: item.openedAt)
            for k in kinds {
                let p = Period(k, containing: opened)
                if let r = item.firstResponse { response[p, default: []].append(days(r - item.openedAt)) } else { unanswered[p, default: 0] += 1 }
                if let last = item.events.last(where: { $0.kind == .closed || $0.kind == .reopened }), last.kind == .closed {
                    resolution[p, default: []].append(days(last.at - item.openedAt))
                }
            }
        }
        var responseSeries: DurationSeries = [:]
        for p in Set(response.keys).union(unanswered.keys) {
            responseSeries[p] = DurationStats(days: response[p] ?? [], bounds: responseBounds, unanswered: unanswered[p] ?? 0)
        }
        let resolutionSeries = resolution.mapValues { DurationStats(days: $0, bounds: responseBounds) }

        // Ages at the end of each bucket, from the first opening to the end of the data.
        var ages: DurationSeries = [:]
        let first = Month(unixTime: all.map(\.openedAt).min()!)
        let last = dataEnd ?? Month(unixTime: all.flatMap { $0.events.map(\.at) }.max()!)
        var periods = Set<Period>()
        var m = first
        while m <= last { for k in kinds { periods.insert(Period(k, containing: m)) }; m = m + 1 }
        for p in periods {
            let end = (min(p.lastMonth, last) + 1).startUnixTime
            let open = all.filter { $0.openedAt < end && !$0.closed(at: end - 1) }.map { days(end - $0.openedAt) }
            if !open.isEmpty { ages[p] = DurationStats(days: open, bounds: ageBounds) }
        }
        return (responseSeries, resolutionSeries, ages)
    }
}
