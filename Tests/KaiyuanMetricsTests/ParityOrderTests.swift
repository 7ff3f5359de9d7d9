import KaiyuanCore
@testable import KaiyuanMetrics
import XCTest

/// Rules of spec/metrics.md changed on 2026-11-24, worked by hand.
final class ParityOrderTests: XCTestCase {
    let jan = Month(year: 2024, month: 1)

    func testInactiveContributorsOnlyForBucketsThatHaveEnded() {
        // One author, one merge in January; the data ends in August.
        let merges: [Int64: [Month]] = [7: [jan]]
        let series = Contributors.inactive(merges, kinds: PeriodKind.allCases, through: Month(year: 2024, month: 8))
        // June: T = July 1, the window [January 1, July 1] holds the merge: active.
        // July and August: the merge is before the window: inactive.
        XCTAssertEqual(series.filter { $0.value != 0 }, [Period("2024-07")!: 1, Period("2024-08")!: 1])
        // Every ended bucket has its value, 0 included: the repository has input for the metric.
        XCTAssertEqual(series[Period("2024Q2")!], 0)
        XCTAssertEqual(series[Period("2024-01")!], 0)
        // Q2 ended (T = July 1) with the merge inside its window: no value. Q3 and 2024 have not
        // ended inside the data: no key at all, even though the author is inactive by August.
        XCTAssertNil(series[Period("2024Q3")!])
        XCTAssertNil(series[Period("2024")!])
    }

    func testDetailOrders() {
        // contributors_detail: logins in byte order ("Zed" before "ann"), whatever the counts.
        var facts = RepoFacts(repo: RepoRef(id: 1, name: "a/b"))
        facts.byKind[.pullMerged] = [FactRow(month: jan, object: 1, actor: 1), FactRow(month: jan, object: 2, actor: 1),
                                     FactRow(month: jan, object: 3, actor: 2), FactRow(month: jan, object: 4, actor: 3)]
        let logins: [Int64: String] = [1: "bob", 2: "Zed", 3: "ann"]
        let details = RepoMetricsCalculator.contributorsDetail(facts[.pullMerged], kinds: [.month], logins: logins)
        XCTAssertEqual(details[Period(.month, containing: jan)]?.map(\.login), ["Zed", "ann", "bob"])

        // bus_factor_detail: score descending, then login in byte order. Three developers with
        // one opened issue each (n = ceil(√2.2235) = 2): all three make the median.
        facts.byKind = [.issueOpened: [FactRow(month: jan, object: 10, actor: 1), FactRow(month: jan, object: 11, actor: 2),
                                       FactRow(month: jan, object: 12, actor: 3)]]
        let (factor, members) = BusFactor.compute(facts, kinds: [.month], bots: [], logins: logins)
        XCTAssertEqual(factor[Period(.month, containing: jan)], 3)
        XCTAssertEqual(members[Period(.month, containing: jan)]?.map(\.login), ["Zed", "ann", "bob"])

        // A developer who only closed an issue scores 0 and makes no difference while others
        // score; when everyone scores 0, all are counted, each listed with 0.
        facts.byKind[.participant] = [FactRow(month: jan, object: 1, actor: 1), FactRow(month: jan, object: 2, actor: 2),
                                      FactRow(month: jan, object: 3, actor: 3), FactRow(month: jan, object: 4, actor: 4)]
        let (withCloser, _) = BusFactor.compute(facts, kinds: [.month], bots: [], logins: logins)
        XCTAssertEqual(withCloser[Period(.month, containing: jan)], 3)
        let feb = Month(year: 2024, month: 2)
        var closers = RepoFacts(repo: RepoRef(id: 1, name: "a/b"))
        closers.byKind[.issueClosed] = [FactRow(month: feb, object: 10, actor: 2), FactRow(month: feb, object: 11, actor: 3)]
        closers.byKind[.participant] = [FactRow(month: feb, object: 2, actor: 2), FactRow(month: feb, object: 3, actor: 3),
                                        FactRow(month: feb, object: 9, actor: 9)]
        let (zero, zeroMembers) = BusFactor.compute(closers, kinds: [.month], bots: [9], logins: logins)
        XCTAssertEqual(zero[Period(.month, containing: feb)], 2, "both closers, the bot left out")
        XCTAssertEqual(zeroMembers[Period(.month, containing: feb)]?.map(\.login), ["Zed", "ann"])
        XCTAssertEqual(zeroMembers[Period(.month, containing: feb)]?.map(\.value), [0, 0])
    }
}
