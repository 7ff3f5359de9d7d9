import KaiyuanCore
import KaiyuanMetrics
import KaiyuanPeople
import KaiyuanReports
import KaiyuanStore
import TestSupport
import XCTest

/// The Hub's metrics from snapshots, worked by hand: which snapshot a month, a quarter and a
/// year take, derivatives per relation, missing versus zero, licence kinds, and labels.
final class HubMetricsTests: StoreTestCase {
    func snapshot(_ date: String, _ authors: Set<String>, _ models: [HubModel], derivativesOf: Set<String> = []) throws {
        try store.replaceHubSnapshot(HubSnapshot(date: Day(date)!, authors: authors, models: models, source: "test", derivativesOf: derivativesOf))
    }

    func testEachPeriodTakesItsLastSnapshot() throws {
        // Two snapshots in January (the 31st wins), one in March; none in February.
        try snapshot("2025-01-10", ["qwen"], [HubModel(id: "Qwen/Q", downloads: 100, likes: 1, tags: ["license:apache-2.0"])])
        try snapshot("2025-01-31", ["qwen"], [HubModel(id: "Qwen/Q", downloads: 150, likes: 2, tags: ["license:apache-2.0"])])
        try snapshot("2025-03-31", ["qwen"], [HubModel(id: "Qwen/Q", downloads: 90, likes: 5, tags: ["license:apache-2.0"]),
                                              HubModel(id: "Qwen/New", createdAt: "2025-03-02T00:00:00.000Z", downloads: nil, likes: 0)])
        let q = try XCTUnwrap(HubCatalog(store: store).models["Qwen/Q"])
        XCTAssertEqual(q.value(.downloads, Period("2025-01")!), 150)
        XCTAssertNil(q.value(.downloads, Period("2025-02")!), "no snapshot in February: missing")
        XCTAssertEqual(q.value(.downloads, Period("2025Q1")!), 90)
        XCTAssertEqual(q.value(.likes, Period("2025")!), 5)
        XCTAssertNil(q.value(.downloadsAllTime, Period("2025")!), "never given: missing, not 0")
        XCTAssertNil(q.value(.derivatives, Period("2025")!), "no snapshot has base_model tags: unknown")
        XCTAssertEqual(q.series(.downloads).mapKeys(\.key), ["2025": 90, "2025Q1": 90, "2025-01": 150, "2025-03": 90])
        XCTAssertEqual(q.licence.kind, .open)

        let catalog = try HubCatalog(store: store)
        let march = catalog.summary(of: catalog.ids(author: "Qwen"), period: Period("2025-03")!)
        XCTAssertEqual(march.models, 2)
        XCTAssertEqual(march.newModels, nil, "Qwen/Q's creation date is unknown")
        XCTAssertEqual(march.downloads.value, 90)
        XCTAssertEqual(march.downloads.missing, 1)
        XCTAssertEqual(march.byLicence[.open]?.models, 1)
        XCTAssertEqual(march.byLicence[.unknown]?.models, 1)
        XCTAssertEqual(march.osiShare, 1)
    }

    func testDerivativesAreCountedPerRelationInTheSameSnapshot() throws {
        let base = "deepseek-ai/DeepSeek-V3"
        try snapshot("2025-04-30", ["deepseek-ai"], [HubModel(id: base, downloads: 10, tags: ["license:mit"])])
        try snapshot("2025-04-30", [], [
            HubModel(id: "a/gguf", tags: ["base_model:\(base)", "base_model:quantized:\(base)"]),
            HubModel(id: "b/ft", tags: ["base_model:finetune:\(base)"]),
            HubModel(id: "c/plain", tags: ["base_model:\(base)"]),
            HubModel(id: "d/merge", tags: ["base_model:merge:\(base.uppercased())", "base_model:merge:other/x"]),
        ], derivativesOf: ["DeepSeek-AI"])
        // A later snapshot with one derivative: each month counts its own snapshot.
        try snapshot("2025-05-31", ["deepseek-ai"], [HubModel(id: base, downloads: 20, tags: ["license:mit"])])
        try snapshot("2025-05-31", [], [HubModel(id: "b/ft", tags: ["base_model:finetune:\(base)"])], derivativesOf: ["deepseek-ai"])
        // June: listed without its derivatives (a run without --with-derivatives): unknown, not 0.
        try snapshot("2025-06-30", ["deepseek-ai"], [HubModel(id: base, downloads: 30, tags: ["license:mit"])])
        let v3 = try XCTUnwrap(HubCatalog(store: store).models[base])
        XCTAssertEqual(v3.derivatives[Month(year: 2025, month: 4)], [.quantized: 1, .finetune: 1, .unspecified: 1, .merge: 1],
                       "ids compare without case, as the Hub's do")
        XCTAssertEqual(v3.value(.derivatives, Period("2025-04")!), 4)
        XCTAssertEqual(v3.value(.derivatives, Period("2025-05")!), 1)
        XCTAssertNil(v3.value(.derivatives, Period("2025Q2")!), "June speaks for the quarter, and June's are unknown")
        XCTAssertEqual(v3.value(.downloads, Period("2025Q2")!), 30)
        XCTAssertNil(try HubCatalog(store: store).models["other/x"], "a base that was not read has no series")
    }

    /// A model absent from a later snapshot that lists its author in full is gone: it has no
    /// value in a month, quarter or year that snapshot speaks for, and sums leave it out.
    func testAModelDeletedWithinAMonthIsGone() throws {
        try snapshot("2025-07-10", ["acme"], [HubModel(id: "acme/a", downloads: 5), HubModel(id: "acme/b", downloads: 7)])
        try snapshot("2025-07-31", ["ACME"], [HubModel(id: "acme/a", downloads: 6)])
        try snapshot("2025-08-31", ["acme"], [HubModel(id: "acme/a", downloads: 8), HubModel(id: "acme/b", downloads: 9)])
        let catalog = try HubCatalog(store: store)
        let b = try XCTUnwrap(catalog.models["acme/b"])
        XCTAssertNil(b.value(.downloads, Period("2025-07")!), "gone by the month's last snapshot")
        XCTAssertEqual(b.value(.downloads, Period("2025-08")!), 9, "back in August")
        XCTAssertEqual(b.value(.downloads, Period("2025Q3")!), 9)
        XCTAssertEqual(catalog.summary(of: catalog.ids(author: "acme"), period: Period("2025-07")!).downloads.value, 6)
        try snapshot("2025-09-30", ["acme"], [HubModel(id: "acme/a", downloads: 1)])
        let later = try XCTUnwrap(HubCatalog(store: store).models["acme/b"])
        XCTAssertNil(later.value(.downloads, Period("2025")!), "gone at the year's last snapshot")
        XCTAssertEqual(later.goneSince, Month(year: 2025, month: 9))
    }

    func testLicenceKinds() {
        func kind(_ tag: String?, _ name: String? = nil) -> String {
            let l = HubLicence.classify(tag: tag, name: name)
            return "\(l.id) \(l.kind.rawValue) \(l.osi)"
        }
        XCTAssertEqual(kind("apache-2.0"), "apache-2.0 open true")
        XCTAssertEqual(kind("MIT"), "mit open true")
        XCTAssertEqual(kind("cc-by-4.0"), "cc-by-4.0 open false")
        XCTAssertEqual(kind("llama3.1"), "llama3.1 open-weight-restricted false")
        XCTAssertEqual(kind("gemma"), "gemma open-weight-restricted false")
        XCTAssertEqual(kind("openrail++"), "openrail++ open-weight-restricted false")
        XCTAssertEqual(kind("other", "deepseek"), "deepseek open-weight-restricted false")
        XCTAssertEqual(kind("other", "tongyi-qianwen"), "tongyi-qianwen open-weight-restricted false")
        XCTAssertEqual(kind("other", "qwen-research"), "qwen-research non-commercial false")
        XCTAssertEqual(kind("cc-by-nc-sa-4.0"), "cc-by-nc-sa-4.0 non-commercial false")
        XCTAssertEqual(kind("other", "my-own-terms"), "my-own-terms other false")
        XCTAssertEqual(kind("other"), "other other false")
        XCTAssertEqual(kind(nil), "none unknown false")
        XCTAssertEqual(kind("unknown"), "unknown unknown false")
        XCTAssertEqual(kind("cc"), "cc other false")
        XCTAssertTrue(HubLicence.classify(tag: "other", name: "deepseek").evidence.contains("license_name deepseek"))
    }

    /// Labs: the built-in map puts the Hub organisations under OpenDigger's labels, defines
    /// the labs OpenDigger lacks under their province, and a user's mapping overrides it.
    func testLabsAreSummedUnderTheirLabelsAndCountries() throws {
        let base = [
            LabelDefinition(id: ":divisions/CN", type: "Division-0", name: "China", children: [":divisions/CN/CN-BJ", ":divisions/CN/CN-ZJ"], code: "CN"),
            LabelDefinition(id: ":divisions/CN/CN-BJ", type: "Division-1", name: "Beijing", code: "CN-BJ"),
            LabelDefinition(id: ":divisions/CN/CN-ZJ", type: "Division-1", name: "Zhejiang", children: [":companies/alibaba", ":companies/deepseek"], code: "CN-ZJ"),
            LabelDefinition(id: ":divisions/US", type: "Division-0", name: "United States", children: [":companies/meta"], code: "US"),
            LabelDefinition(id: ":companies/alibaba", type: "Company", name: "Alibaba"),
            LabelDefinition(id: ":companies/deepseek", type: "Company", name: "DeepSeek"),
            LabelDefinition(id: ":companies/meta", type: "Company", name: "Meta"),
            LabelDefinition(id: ":companies/acme", type: "Company", name: "Acme"),
        ]
        let labels = LabelIndex(HubLabs.augment(base, user: ["acme-ai": ":companies/acme", "qwen": ":companies/acme"]))
        XCTAssertEqual(labels.label(":companies/zhipu")?.name, "Zhipu AI")
        XCTAssertEqual(labels.ancestors(of: ":companies/zhipu").sorted(), [":divisions/CN", ":divisions/CN/CN-BJ"])
        XCTAssertTrue(HubLabs.augment([], user: [:]).isEmpty, "no labels imported: none invented")

        let day = "2025-06-30"
        try snapshot(day, ["deepseek-ai", "THUDM", "zai-org", "Qwen", "meta-llama", "acme-ai"], [
            HubModel(id: "deepseek-ai/V3", downloads: 100, tags: ["license:mit"]),
            HubModel(id: "THUDM/glm", downloads: 30, tags: ["license:other"], licenceName: "glm-4"),
            HubModel(id: "zai-org/GLM-4.5", downloads: 20, tags: ["license:mit"]),
            HubModel(id: "Qwen/Qwen3", downloads: 500, tags: ["license:apache-2.0"]),
            HubModel(id: "meta-llama/Llama", downloads: 300, tags: ["license:llama3.1"]),
            HubModel(id: "acme-ai/tiny", downloads: 1, tags: []),
        ])
        let catalog = try HubCatalog(store: store)
        let june = Period(day.prefix(7).description)!
        let companies = HubLabels.rank(catalog, labels: labels, type: "Company", by: .downloads, period: june, top: 10)
        XCTAssertEqual(companies.map { "\($0.label.id) \($0.summary.downloads.value!)" },
                       [":companies/acme 501", ":companies/meta 300", ":companies/deepseek 100", ":companies/zhipu 50"],
                       "Qwen moved to Acme by the user's mapping; THUDM and zai-org are both Zhipu")
        let zhipu = companies[3].summary
        XCTAssertEqual(zhipu.downloadShare(.openWeightRestricted), 0.6)
        XCTAssertEqual(zhipu.osiShare, 0.4)
        let countries = HubLabels.rank(catalog, labels: labels, type: "Division-0", by: .downloads, period: june, top: 10)
        XCTAssertEqual(countries.map { "\($0.label.id) \($0.summary.models)" }, [":divisions/US 1", ":divisions/CN 3"],
                       "China: DeepSeek (Zhejiang) and Zhipu (Beijing); Acme has no country")
    }
}

extension Dictionary where Key == Period {
    func mapKeys(_ f: (Period) -> String) -> [String: Value] { Dictionary<String, Value>(uniqueKeysWithValues: map { (f($0.key), $0.value) }) }
}
