import KaiyuanCore
import KaiyuanIngest
@testable import KaiyuanMetrics
import KaiyuanStore
import TestSupport
import XCTest

/// Bus factor (§6), new and inactive contributors (§5), worked by hand.
final class HealthMetricsTests: StoreTestCase {
    func factor(_ ns: [Int]) -> (Int, [Int]) {
        let (f, members) = BusFactor.busFactor(ns.enumerated().map { (Int64($0.offset), $0.element) })!
        return (f, members.map(\.n))
    }

    func testWeightedMedian() {
        // Σ = 19, ceil(19/2) = 10; from the smallest: 1, 4, 9, 19 ≥ 10 at n = 10 → one developer.
        XCTAssertEqual(factor([10, 5, 3, 1]).0, 1)
        // Σ = 12, half 6: 4, 8 ≥ 6 at n = 4 → all three.
        XCTAssertEqual(factor([4, 4, 4]).0, 3)
        // Σ = 12, half 6: 1, 6 ≥ 6 at n = 5 → the 6 and the 5.
        XCTAssertEqual(factor([6, 5, 1]).1, [6, 5])
        XCTAssertNil(BusFactor.busFactor([]))
    }

    let alice: (Int64, String) = (1, "alice"), bob: (Int64, String) = (2, "bob"), bot: (Int64, String) = (3, "merge-o-matic[bot]")
    let carol: (Int64, String) = (4, "carol")
    let repo: (Int64, String) = (100, "octo/widgets")

    func opened(_ id: Int64, _ who: (Int64, String), _ at: String) -> String {
        EventJSON.pullRequestEvent("opened", pr: EventJSON.pullRequest(id: id, number: Int(id), author: who), actor: who, repo: repo, at: at)
    }
    func merged(_ id: Int64, _ who: (Int64, String), _ at: String) -> String {
        EventJSON.pullRequestEvent("closed", pr: EventJSON.pullRequest(id: id, number: Int(id), author: who, merged: true), actor: carol, repo: repo, at: at)
    }

    func metrics(_ lines: [String]) throws -> RepoMetrics {
        try ingest(lines)
        return try MetricsEngine(store: store).metrics(for: try XCTUnwrap(try store.repository(named: repo.1)))
    }

    func testBusFactorCountsOverTheWholeBucketAndLeavesBotsOut() throws {
        var lines = [
            opened(1, alice, "2024-01-05T00:00:00Z"),
            opened(2, alice, "2024-02-05T00:00:00Z"),
            EventJSON.issueComment(commentID: 9, issue: EventJSON.issue(id: 50, number: 50, author: bob), actor: bob, repo: repo, at: "2024-01-06T00:00:00Z"),
        ]
        for i in 0..<10 { lines.append(opened(100 + Int64(i), bot, "2024-01-07T00:00:0\(i)Z")) }
        let m = try metrics(lines)
        // January: alice √4.0679 = 2.02 → 3; bob √0.5252 = 0.72 → 1; the bot is left out.
        // Σ = 4, half 2: 1, 4 ≥ 2 at n = 3 → alice alone.
        XCTAssertEqual(m.value(.busFactor, Period("2024-01")!), 1)
        XCTAssertEqual(m.details[.busFactorDetail]?[Period("2024-01")!], [DetailEntry(login: "alice", value: 3)])
        // Q1: alice's two PRs under one root, √(2 × 4.0679) = 2.85 → 3 (not 3 + 3).
        XCTAssertEqual(m.details[.busFactorDetail]?[Period("2024Q1")!]?.first, DetailEntry(login: "alice", value: 3))
        XCTAssertEqual(m.value(.busFactor, Period("2024Q1")!), 1)
    }

    func testNewAndInactiveContributors() throws {
        let m = try metrics([
            merged(1, alice, "2024-01-05T00:00:00Z"),
            merged(2, bob, "2024-03-05T00:00:00Z"),
            merged(3, bob, "2024-06-05T00:00:00Z"),
            merged(4, bot, "2024-03-06T00:00:00Z"),
            // Data runs to December: carol's comment is the last event.
            EventJSON.issueComment(commentID: 9, issue: EventJSON.issue(id: 50, number: 50, author: carol), actor: carol, repo: repo, at: "2024-12-06T00:00:00Z"),
        ])
        XCTAssertEqual(m.value(.newContributors, Period("2024-01")!), 1)
        XCTAssertEqual(m.value(.newContributors, Period("2024-03")!), 1, "bob; the bot is left out")
        XCTAssertEqual(m.value(.newContributors, Period("2024-06")!), 0, "bob's second merge is not new")
        XCTAssertEqual(m.value(.newContributors, Period("2024")!), 2)
        XCTAssertEqual(m.details[.newContributorsDetail]?[Period("2024")!]?.map(\.login), ["alice", "bob"])
        // alice's last merge is January: at the end of June the window is Jan…Jun (still active);
        // at the end of July it is Feb…Jul (inactive). bob's last is June: inactive from December.
        XCTAssertEqual(m.value(.inactiveContributors, Period("2024-06")!), 0)
        XCTAssertEqual(m.value(.inactiveContributors, Period("2024-07")!), 1)
        XCTAssertEqual(m.value(.inactiveContributors, Period("2024-11")!), 1)
        XCTAssertEqual(m.value(.inactiveContributors, Period("2024-12")!), 2)
        XCTAssertEqual(m.value(.inactiveContributors, Period("2024Q3")!), 1, "a quarter is measured at its end, September")
        XCTAssertEqual(m.value(.inactiveContributors, Period("2024")!), 2, "a year at December")
    }
}
