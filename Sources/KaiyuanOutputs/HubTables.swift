import KaiyuanCore
import KaiyuanMetrics
import KaiyuanPeople
import KaiyuanReports

/// The model hub's numbers as tables: one model's series, a label's adoption.
public enum HubTables {
    /// Parameters as model cards write them: 684.5B, 7.6B, 335M.
    static func parameterCount(_ n: Int64) -> String {
        let v = Double(n)
        if v >= 1e9 { return String(format: "%.1fB", v / 1e9) }
        if v >= 1e6 { return String(format: "%.0fM", v / 1e6) }
        return String(n)
    }

    /// A count, or missing.
    static func cell(_ v: Int64?) -> DataTable.Cell { v.map { .number(Double($0)) } ?? .empty }
    static func cell(_ v: Double?) -> DataTable.Cell { v.map { .number($0) } ?? .empty }

    /// A model: what it is (licence with its evidence, task, size, base models), then its
    /// counts per period.
    public static func model(_ s: HubModelSeries, kind: PeriodKind, format: OutputFormat) -> [String] {
        let (date, m) = s.latest
        let licence = s.licence
        var facts = DataTable(title: format == .table ? "huggingface:\(s.id) — as of \(date)" : nil, columns: ["field", "value"])
        func add(_ k: String, _ v: String?) { facts.rows.append([.text(k), v.map { .text($0) } ?? .empty]) }
        add("author", s.author.isEmpty ? nil : s.author)
        if let gone = s.goneSince { add("absent", "from the snapshot of \(gone.key) on: deleted or made private (its author was listed in full without it)") }
        add("licence", "\(licence.id) (\(licence.kind.rawValue)\(licence.osi ? ", OSI-approved" : "")); evidence: \(licence.evidence)")
        add("task", m.pipelineTag)
        add("library", m.libraryName)
        add("parameters", m.parameters.map { "\(parameterCount($0)) (\(m.sizeClass.rawValue))" })
        add("gated", m.gated)
        add("created", m.createdAt)
        add("last modified", m.lastModified)
        add("built on", m.baseModels.isEmpty ? nil : m.baseModels.map { "\($0.base) (\($0.relation.rawValue))" }.joined(separator: ", "))
        if let d = s.derivatives[s.months.keys.max()!] {
            add("derivatives", d.isEmpty ? "0" : d.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", "))
        }
        var counts = DataTable(title: format == .table ? "huggingface:\(s.id) — per \(kind.rawValue) (each from the \(kind.rawValue)'s last snapshot)" : nil,
                               columns: [kind.rawValue, "snapshot", "downloads_30d", "downloads_all_time", "likes", "derivatives"])
        var periods: [Period: Month] = [:]
        for month in s.months.keys { let p = Period(kind, containing: month); periods[p] = max(periods[p] ?? month, month) }
        for (p, month) in periods.sorted(by: { $0.key < $1.key }) {
            counts.rows.append([.text(p.key), .text(s.months[month]!.date.description),
                                cell(s.value(.downloads, p)), cell(s.value(.downloadsAllTime, p)), cell(s.value(.likes, p)), cell(s.value(.derivatives, p))])
        }
        return format == .table ? [facts.render(format), counts.render(format)] : [counts.render(format)]
    }

    /// An organisation: its models summed per period (each model at the period's last
    /// snapshot), then the newest snapshot's mix of licences, sizes and tasks.
    public static func organisation(_ name: String, ids: [String], catalog: HubCatalog, kind: PeriodKind, format: OutputFormat) -> [String] {
        var periods: Set<Period> = []
        for id in ids { for month in catalog.models[id]!.months.keys { periods.insert(Period(kind, containing: month)) } }
        var counts = DataTable(title: format == .table ? "huggingface:\(name) — \(ids.count) models, per \(kind.rawValue)" : nil,
                               columns: [kind.rawValue, "models", "new_models", "downloads_30d", "downloads_all_time", "likes", "derivatives"])
        var latest: HubSummary?
        for p in periods.sorted() {
            let s = catalog.summary(of: ids, period: p)
            latest = s
            counts.rows.append([.text(p.key), .number(Double(s.models)), cell(s.newModels.map(Int64.init)), cell(s.downloads.value),
                                cell(s.downloadsAllTime.value), cell(s.likes.value), cell(s.derivatives.map(Int64.init))])
        }
        guard format == .table, let s = latest else { return [counts.render(format)] }
        var mix = DataTable(title: "huggingface:\(name) — newest snapshot", columns: ["breakdown", "value", "models", "downloads_share"])
        for k in LicenceKind.allCases { if let l = s.byLicence[k] { mix.rows.append([.text("licence"), .text(k.rawValue), .number(Double(l.models)), cell(s.downloadShare(k).map { ($0 * 10_000).rounded() / 10_000 })]) } }
        for c in HubSizeClass.allCases { if let n = s.bySize[c] { mix.rows.append([.text("size"), .text(c.rawValue), .number(Double(n)), .empty]) } }
        for (task, n) in s.byModality.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }).prefix(8) {
            mix.rows.append([.text("task"), .text(task), .number(Double(n)), .empty])
        }
        for r in HubRelation.allCases { if let n = s.derivativesByRelation[r] { mix.rows.append([.text("derivatives"), .text(r.rawValue), .number(Double(n)), .empty]) } }
        return [counts.render(format), mix.render(format)]
    }

    /// A label's Hub adoption in one month: its organisations (with the evidence for each),
    /// counts, derivatives by relation, and licence openness by models and by downloads.
    public static func labelAdoption(_ row: HubLabelRow, month: Month, user: [String: String]) -> String {
        let s = row.summary
        var lines = ["Hugging Face, snapshot of \(month.key): \(s.models) models by \(row.organisations.joined(separator: ", "))"]
        for org in row.organisations {
            lines.append("  \(HubLabs.evidence(organisation: org, user: user) ?? "\(org) → \(row.label.id) (an organisation the label lists)")")
        }
        func n(_ v: Int64?) -> String { v.map { compactCount(Double($0)) } ?? "missing" }
        lines.append("downloads (30 days) \(n(s.downloads.value))\(s.downloads.missing > 0 ? " (\(s.downloads.missing) models without a count)" : ""); "
                     + "all time \(n(s.downloadsAllTime.value)); likes \(n(s.likes.value))")
        if let d = s.derivatives {
            lines.append("derivatives \(d)" + (s.derivativesByRelation.isEmpty ? "" : ": " + s.derivativesByRelation.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")))
        } else {
            lines.append("derivatives missing (the snapshot carries no base_model tags)")
        }
        var licences = DataTable(title: "licences", columns: ["kind", "models", "downloads_share"])
        for kind in LicenceKind.allCases {
            guard let l = s.byLicence[kind] else { continue }
            licences.rows.append([.text(kind.rawValue), .number(Double(l.models)), s.downloadShare(kind).map { .number(OpenDiggerFormat.round2($0 * 100) / 100) } ?? .empty])
        }
        lines.append(licences.render(.table))
        if let osi = s.osiShare { lines.append("downloads under OSI-approved licences: \(Int((osi * 100).rounded()))%") }
        lines.append("sizes: " + HubSizeClass.allCases.compactMap { c in s.bySize[c].map { "\($0) \(c.rawValue)" } }.joined(separator: ", "))
        lines.append("tasks: " + s.byModality.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(6).map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}
