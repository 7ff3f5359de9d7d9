import KaiyuanCore
import KaiyuanIngest
@testable import KaiyuanMetrics
@testable import KaiyuanReports
import KaiyuanPeople
import KaiyuanSources
import KaiyuanStore
import TestSupport
import XCTest

/// Labels summed over the repositories they cover, worked by hand.
final class LabelMetricsTests: StoreTestCase {
    let a: (Int64, String) = (1, "ana"), b: (Int64, String) = (2, "ben"), c: (Int64, String) = (3, "cai")

    func testSumsOverCoveredRepositoriesChildrenIncluded() throws {
        // acme/rocket (listed by id, since renamed), acme-labs/* (an org of a child label),
        // and other/thing (not covered). Stars: 2 + 1 covered, 1 not.
        try ingest([
            EventJSON.watch(actor: a, repo: (99, "acme/rocket-renamed"), at: "2024-03-01T00:00:00Z"),
            EventJSON.watch(actor: b, repo: (99, "acme/rocket-renamed"), at: "2024-03-02T00:00:00Z"),
            EventJSON.watch(actor: a, repo: (50, "acme-labs/probe"), at: "2024-04-01T00:00:00Z"),
            EventJSON.watch(actor: c, repo: (70, "other/thing"), at: "2024-04-01T00:00:00Z"),
        ])
        let labels = LabelIndex([
            LabelDefinition(id: ":companies/acme", type: "Company", name: "Acme", children: [":companies/acme/labs"],
                            members: [LabelMember(platform: .github, kind: .repo, id: 99, name: "acme/rocket")]),
            LabelDefinition(id: ":companies/acme/labs", type: "Project", name: "Labs",
                            members: [LabelMember(platform: .github, kind: .org, id: nil, name: "acme-labs")]),
            LabelDefinition(id: ":companies/other", type: "Company", name: "Other",
                            members: [LabelMember(platform: .github, kind: .org, id: nil, name: "other")]),
        ])
        let lm = LabelMetrics(engine: MetricsEngine(store: store), labels: labels)
        let (sums, repos) = try lm.metrics(of: ":companies/acme", kinds: [.year, .month], only: [.stars])
        XCTAssertEqual(Set(repos.map(\.id)), [99, 50])
        XCTAssertEqual(sums[.stars]?[Period(kind: .year, year: 2024, number: 0)], 3)
        XCTAssertEqual(sums[.stars]?[Period(.month, containing: Month(year: 2024, month: 3))], 2)
        let ranked = try lm.rank(type: "Company", by: .stars, period: Period(kind: .year, year: 2024, number: 0), top: 10)
        XCTAssertEqual(ranked.map(\.label.id), [":companies/acme", ":companies/other"])
        XCTAssertEqual(ranked.map(\.value), [3, 1])
        XCTAssertEqual(ranked.map(\.repos), [2, 1])
    }

    /// The real sample and OpenDigger's real labels: each company's sum equals the sum, done
    /// here, over the repositories its coverage contains.
    func testRealLabelsOnTheRealSample() throws {
        let sample = try sharedData("data/gharchive/2021-07-21-06_09.sample.json.gz")
        let (defs, _) = try LabelReader.read(directory: try sharedData("data/labels").path)
        XCTAssertEqual(GHArchiveImporter(store: store).importFiles([sample.path]).imported, 1)
        let labels = LabelIndex(defs)
        let engine = MetricsEngine(store: store)
        let year = Period(kind: .year, year: 2021, number: 0)
        let ranked = try LabelMetrics(engine: engine, labels: labels).rank(type: "Company", by: .activity, period: year, top: 1000)
        XCTAssertFalse(ranked.isEmpty, "some companies of OpenDigger's labels have repositories in the sample")
        var perRepo: [(RepoRef, Double)] = []
        try engine.forEachRepository(kinds: [.year], only: [.activity]) { perRepo.append(($0.repo, $0.value(.activity, year))) }
        for r in ranked {
            let coverage = labels.coverage(of: r.label.id)
            let expected = perRepo.filter { coverage.contains(ForgeRepo(platform: .github, name: $0.0.name), githubID: $0.0.id) && $0.1 != 0 }
            XCTAssertEqual(r.value, expected.reduce(0) { $0 + $1.1 }, accuracy: 1e-9, r.label.id)
            XCTAssertEqual(r.repos, expected.count, r.label.id)
        }
    }
}
