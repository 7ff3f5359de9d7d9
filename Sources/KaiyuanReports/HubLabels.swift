import KaiyuanCore
import KaiyuanMetrics
import KaiyuanPeople

/// A label's adoption on the model hub: its organisations' models summed in one period.
public struct HubLabelRow: Sendable {
    public var label: LabelDefinition
    /// The Hub organisations with models under the label, sorted.
    public var organisations: [String]
    public var summary: HubSummary
}

extension HubSummary {
    /// A label- or organisation-level value of a hub metric; nil when unknown.
    public func value(_ metric: HubMetric) -> Double? {
        switch metric {
        case .downloads: downloads.value.map(Double.init)
        case .downloadsAllTime: downloadsAllTime.value.map(Double.init)
        case .likes: likes.value.map(Double.init)
        case .derivatives: derivatives.map(Double.init)
        case .models: Double(models)
        }
    }
}

/// Labels ranked by their organisations' Hub adoption: every model whose author a label covers
/// (the label's own Hub organisations and its children's, each model once per label).
public enum HubLabels {
    /// Label id → the ids of the models it covers, for labels of a type (nil: every type).
    public static func modelIDs(_ catalog: HubCatalog, labels: LabelIndex, type: String?) -> [String: [String]] {
        var byLabel: [String: [String]] = [:]
        let wanted = type?.lowercased()
        for (id, series) in catalog.models where !series.author.isEmpty {
            for l in labels.labels(ofRepo: ForgeRepo(platform: .huggingface, name: id)) {
                guard let def = labels.label(l), wanted == nil || def.type.lowercased() == wanted else { continue }
                byLabel[l, default: []].append(id)
            }
        }
        return byLabel.mapValues { $0.sorted() }
    }

    public static func rows(_ catalog: HubCatalog, labels: LabelIndex, type: String?, period: Period) -> [HubLabelRow] {
        let byLabel = modelIDs(catalog, labels: labels, type: type)
        return byLabel.keys.sorted().compactMap { l in
            let summary = catalog.summary(of: byLabel[l]!, period: period)
            guard summary.models > 0, let def = labels.label(l) else { return nil }
            let orgs = Set(byLabel[l]!.compactMap { catalog.models[$0]?.author })
            return HubLabelRow(label: def, organisations: orgs.sorted(), summary: summary)
        }
    }

    /// One label's row: the models its coverage (children included) holds; nil when none.
    public static func row(_ catalog: HubCatalog, labels: LabelIndex, label id: String, period: Period) -> HubLabelRow? {
        guard let def = labels.label(id) else { return nil }
        let coverage = labels.coverage(of: id)
        let ids = catalog.models.values.filter { !$0.author.isEmpty && coverage.contains(ForgeRepo(platform: .huggingface, name: $0.id)) }.map(\.id).sorted()
        let summary = catalog.summary(of: ids, period: period)
        guard summary.models > 0 else { return nil }
        return HubLabelRow(label: def, organisations: Set(ids.compactMap { catalog.models[$0]?.author }).sorted(), summary: summary)
    }

    /// `rows` sorted by a metric (missing last), ties by label id, at most `top`.
    public static func rank(_ catalog: HubCatalog, labels: LabelIndex, type: String, by metric: HubMetric, period: Period, top: Int) -> [HubLabelRow] {
        let sorted = rows(catalog, labels: labels, type: type, period: period).sorted { a, b in
            let x = a.summary.value(metric) ?? -1, y = b.summary.value(metric) ?? -1
            return x != y ? x > y : a.label.id < b.label.id
        }
        return Array(sorted.prefix(top))
    }
}
