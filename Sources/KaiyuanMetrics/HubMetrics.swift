import KaiyuanCore
import KaiyuanStore

/// The model hub's metrics (issue: open-weight AI on Hugging Face), from dated snapshots.
public enum HubMetric: String, CaseIterable, Sendable {
    /// Downloads over the 30 days before the snapshot.
    case downloads
    case downloadsAllTime = "downloads_all_time"
    case likes
    /// Models whose `base_model` tags name this one, in the same snapshot, any author.
    case derivatives
    /// Models published (in a snapshot): for an organisation or a label, not one model.
    case models

    public var summary: String {
        switch self {
        case .downloads: "downloads in the 30 days before the month's last snapshot"
        case .downloadsAllTime: "downloads since the model was published, at the month's last snapshot"
        case .likes: "likes at the month's last snapshot"
        case .derivatives: "models built on this one (fine-tunes, adapters, quantizations, merges), any author"
        case .models: "models in the month's last snapshot (organisations and labels)"
        }
    }
}

/// One model over the snapshots: its record at the last snapshot of each month that lists its
/// author in full (or carries it), and its derivatives counted in that same snapshot.
public struct HubModelSeries: Sendable {
    public var id: String
    public var author: String
    /// Month → the month's last snapshot date and the record on it.
    public var months: [Month: (date: Day, model: HubModel)] = [:]
    /// Months whose last snapshot listed the author in full without this model: it was deleted
    /// or made private by then, so it has no values there.
    public var gone: Set<Month> = []
    /// Month → derivatives by relation, counted in that month's last snapshot; absent where that
    /// snapshot did not list the derivatives (not zero: unknown).
    public var derivatives: [Month: [HubRelation: Int]] = [:]

    /// The newest record.
    public var latest: (date: Day, model: HubModel) { months[months.keys.max()!]! }
    /// The month from which the model is absent, when it was gone at the newest snapshot.
    public var goneSince: Month? {
        guard let last = months.keys.max() else { return nil }
        return gone.filter { $0 > last }.min()
    }
    public var licence: HubLicence { HubLicence.classify(tag: latest.model.licenceTag, name: latest.model.licenceName) }

    /// The month whose snapshot speaks for a period: its last month with one; nil when none
    /// does or the model was gone by then.
    func month(in period: Period) -> Month? {
        let inside = { (m: Month) in m >= period.firstMonth && m <= period.lastMonth }
        guard let last = months.keys.filter(inside).max() else { return nil }
        if let g = gone.filter(inside).max(), g > last { return nil }
        return last
    }

    /// The value of a metric in a period, from the period's last snapshot; nil when the period
    /// has none, the model was gone by then, or the snapshot lacks the count.
    public func value(_ metric: HubMetric, _ period: Period) -> Double? {
        guard let month = month(in: period) else { return nil }
        let model = months[month]!.model
        switch metric {
        case .downloads: return model.downloads.map(Double.init)
        case .downloadsAllTime: return model.downloadsAllTime.map(Double.init)
        case .likes: return model.likes.map(Double.init)
        case .derivatives: return derivatives[month].map { Double($0.values.reduce(0, +)) }
        case .models: return 1
        }
    }

    /// Every period with a value, for OpenDigger's file shape.
    public func series(_ metric: HubMetric) -> [Period: Double] {
        var out: [Period: Double] = [:]
        for month in months.keys {
            for kind in PeriodKind.allCases {
                let p = Period(kind, containing: month)
                if out[p] == nil, let v = value(metric, p) { out[p] = v }
            }
        }
        return out
    }
}

/// Everything the store's hub snapshots say, read once: per model series, and sums per author.
public struct HubCatalog: Sendable {
    /// By model id.
    public private(set) var models: [String: HubModelSeries] = [:]
    public private(set) var dates: [Day] = []

    public init(store: any HubStore) throws {
        let coverage = try store.hubCoverage()
        // base id (lower-cased, as the Hub's ids compare) → date → relation → count
        var derivativeCounts: [String: [Day: [HubRelation: Int]]] = [:]
        var records: [String: [(Day, HubModel)]] = [:]
        var allDates = Set(coverage.keys)
        try store.forEachHubModel { day, model in
            allDates.insert(day)
            records[model.id, default: []].append((day, model))
            for (relation, base) in model.baseModels {
                derivativeCounts[base.lowercased(), default: [:]][day, default: [:]][relation, default: 0] += 1
            }
        }
        dates = allDates.sorted()
        for (id, rows) in records {
            let author = rows.last!.1.author
            var s = HubModelSeries(id: id, author: author)
            let present = Dictionary(rows.map { ($0.0, $0.1) }, uniquingKeysWith: { _, b in b })
            // The days that speak for this model: those it is on, and those listing its author.
            var lastDay: [Month: Day] = [:]
            for day in Set(present.keys).union(coverage.compactMap { $0.value.lists(author) ? $0.key : nil }) {
                lastDay[day.month] = max(lastDay[day.month] ?? day, day)
            }
            for (month, day) in lastDay {
                guard let model = present[day] else { s.gone.insert(month); continue }
                s.months[month] = (day, model)
                if coverage[day]?.hasDerivatives(of: author) == true {
                    s.derivatives[month] = derivativeCounts[id.lowercased()]?[day] ?? [:]
                }
            }
            if !s.months.isEmpty { models[id] = s }
        }
    }

    public var isEmpty: Bool { models.isEmpty }

    /// The month of the newest snapshot.
    public var latestMonth: Month? { dates.last?.month }

    /// Models ranked by a metric in a period (ties by id), only those with a value.
    public func rank(by metric: HubMetric, period: Period, top: Int, authors: Set<String>? = nil) -> [(id: String, value: Double)] {
        let lowered = authors.map { Set($0.map { $0.lowercased() }) }
        var out: [(id: String, value: Double)] = []
        for (id, s) in models {
            if let lowered, !lowered.contains(s.author.lowercased()) { continue }
            if let v = s.value(metric, period) { out.append((id, v)) }
        }
        out.sort { $0.value != $1.value ? $0.value > $1.value : $0.id < $1.id }
        return Array(out.prefix(top))
    }

    /// Sums over a set of models (an author's, or a label's) in one period.
    public func summary(of ids: [String], period: Period) -> HubSummary {
        var s = HubSummary()
        var created = 0
        for id in ids {
            guard let series = models[id], let month = series.month(in: period) else { continue }
            let model = series.months[month]!.model
            s.models += 1
            if let c = model.createdAt.flatMap(Day.init) {
                if c.month >= period.firstMonth && c.month <= period.lastMonth { created += 1 }
            } else { s.createdUnknown += 1 }
            s.downloads.add(model.downloads)
            s.downloadsAllTime.add(model.downloadsAllTime)
            s.likes.add(model.likes)
            if let d = series.derivatives[month] {
                for (r, n) in d { s.derivativesByRelation[r, default: 0] += n }
                s.derivatives = (s.derivatives ?? 0) + d.values.reduce(0, +)
            }
            s.bySize[model.sizeClass, default: 0] += 1
            s.byModality[model.pipelineTag ?? "unknown", default: 0] += 1
            let licence = HubLicence.classify(tag: model.licenceTag, name: model.licenceName)
            s.byLicence[licence.kind, default: (0, 0)].models += 1
            s.byLicence[licence.kind, default: (0, 0)].downloads += model.downloads ?? 0
            if licence.osi { s.osiDownloads += model.downloads ?? 0 }
        }
        s.newModels = s.createdUnknown > 0 ? nil : created
        return s
    }

    /// The ids of an author's models (case-insensitive, as the Hub's URLs are).
    public func ids(author: String) -> [String] {
        let a = author.lowercased()
        return models.values.filter { $0.author.lowercased() == a }.map(\.id).sorted()
    }

    /// Every author with models, sorted.
    public var authors: [String] { Array(Set(models.values.map(\.author))).sorted() }
}

/// A count summed over models where some may lack it: nil when none had it.
public struct PartialSum: Sendable, Equatable {
    public var value: Int64?
    public var missing = 0
    public init() {}
    mutating func add(_ v: Int64?) {
        if let v { value = (value ?? 0) + v } else { missing += 1 }
    }
}

/// What a set of models adds up to in one period.
public struct HubSummary: Sendable {
    public var models = 0
    /// Models created in the period; nil when some model's creation date is unknown.
    public var newModels: Int?
    public var createdUnknown = 0
    public var downloads = PartialSum()
    public var downloadsAllTime = PartialSum()
    public var likes = PartialSum()
    /// nil when no snapshot of these models carries `base_model` tags.
    public var derivatives: Int?
    public var derivativesByRelation: [HubRelation: Int] = [:]
    public var bySize: [HubSizeClass: Int] = [:]
    public var byModality: [String: Int] = [:]
    public var byLicence: [LicenceKind: (models: Int, downloads: Int64)] = [:]
    public var osiDownloads: Int64 = 0

    /// Share of downloads under each licence kind (nil when no downloads are known).
    public func downloadShare(_ kind: LicenceKind) -> Double? {
        guard let total = downloads.value, total > 0 else { return nil }
        return Double(byLicence[kind]?.downloads ?? 0) / Double(total)
    }

    /// Share of downloads under OSI-approved licences.
    public var osiShare: Double? {
        guard let total = downloads.value, total > 0 else { return nil }
        return Double(osiDownloads) / Double(total)
    }
}
