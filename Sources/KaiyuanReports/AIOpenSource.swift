import KaiyuanCore
import KaiyuanMetrics
import KaiyuanPeople

/// The report's "AI open source" section: the labs' adoption on the model hub at the period's
/// last snapshot, beside their GitHub OpenRank and activity in the same period.
public struct AIOpenSource: Sendable {
    public struct Lab: Sendable {
        public var id: String
        public var name: String
        public var organisations: [String]
        public var models: Int
        public var downloads: Int64?
        public var derivatives: Int?
        /// Shares of downloads under OSI-approved and under use-restricted licences.
        public var osiShare: Double?
        public var restrictedShare: Double?
        /// The same label's GitHub numbers in the report's period; nil when it has none.
        public var githubOpenRank: Double?
        public var githubActivity: Double?
    }

    /// The month of the snapshot the section reads (the period's last).
    public var snapshot: Month
    /// Months of the period with a snapshot, for the trend.
    public var snapshotMonths: [Month]
    public var labs: [Lab]
    public var countries: [Lab]
    /// Downloads of all labs' models by licence kind.
    public var downloadsByLicence: [(kind: LicenceKind, downloads: Int64)]
    /// Downloads per snapshot month of the top labs (nil where a month has no count).
    public var trend: [(name: String, downloads: [Double?])]

    /// nil when the period has no snapshot.
    public static func build(_ catalog: HubCatalog, labels: LabelIndex, period: Period, scope: String?,
                             github: [String: (openrank: Double, activity: Double)], top: Int = 15) -> AIOpenSource? {
        let months = Set(catalog.dates.map(\.month)).filter { $0 >= period.firstMonth && $0 <= period.lastMonth }.sorted()
        guard let last = months.last else { return nil }
        let inScope = scope.map { Set(labels.descendants(of: $0)) }
        func labs(_ type: String) -> [Lab] {
            HubLabels.rows(catalog, labels: labels, type: type, period: Period(.month, containing: last))
                .filter { inScope?.contains($0.label.id) ?? true }
                .map { row in
                    let s = row.summary
                    return Lab(id: row.label.id, name: row.label.name + (row.label.nameZh.map { " \($0)" } ?? ""), organisations: row.organisations,
                               models: s.models, downloads: s.downloads.value, derivatives: s.derivatives, osiShare: s.osiShare,
                               restrictedShare: s.downloadShare(.openWeightRestricted),
                               githubOpenRank: github[row.label.id]?.openrank, githubActivity: github[row.label.id]?.activity)
                }
                .sorted { ($0.downloads ?? -1) != ($1.downloads ?? -1) ? ($0.downloads ?? -1) > ($1.downloads ?? -1) : $0.id < $1.id }
                .prefix(top).map { $0 }
        }
        let companies = labs("Company")
        // Each model once, however many labels cover it.
        var byLicence: [LicenceKind: Int64] = [:]
        let labModels = Set(HubLabels.modelIDs(catalog, labels: labels, type: "Company").filter { inScope?.contains($0.key) ?? true }.values.joined())
        for (kind, v) in catalog.summary(of: labModels.sorted(), period: Period(.month, containing: last)).byLicence { byLicence[kind] = v.downloads }
        // Each top lab's downloads at every snapshot month of the period.
        var trend: [(name: String, downloads: [Double?])] = companies.prefix(6).map { ($0.name, []) }
        for month in months {
            let rows = Dictionary(uniqueKeysWithValues: HubLabels.rows(catalog, labels: labels, type: "Company", period: Period(.month, containing: month)).map { ($0.label.id, $0) })
            for (i, lab) in companies.prefix(6).enumerated() { trend[i].downloads.append(rows[lab.id]?.summary.downloads.value.map(Double.init)) }
        }
        return AIOpenSource(snapshot: last, snapshotMonths: months, labs: companies, countries: labs("Division-0"),
                            downloadsByLicence: LicenceKind.allCases.compactMap { k in byLicence[k].map { (k, $0) } }, trend: trend)
    }
}
