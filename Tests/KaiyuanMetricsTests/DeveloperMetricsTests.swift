import KaiyuanCore
import KaiyuanIngest
@testable import KaiyuanMetrics
import KaiyuanStore
import TestSupport
import XCTest

final class DeveloperMetricsTests: StoreTestCase {
    let alice: (Int64, String) = (1, "alice"), bob: (Int64, String) = (2, "bob")
    let one: (Int64, String) = (100, "octo/one"), two: (Int64, String) = (200, "octo/two")

    /// alice in March: one issue in octo/one, one PR in octo/two (merged by bob), a comment in
    /// octo/one. Her activity is summed over repos of each repo's monthly √:
    ///   octo/one: √(2.2235 + 0.5252) = √2.7487 = 1.657920
    ///   octo/two: √(4.0679 + 2.0339) = √6.1018 = 2.470182
    func testActivityIsSummedOverRepositories() throws {
        try ingest([
            EventJSON.issuesEvent("opened", issue: EventJSON.issue(id: 10, number: 1, author: alice), actor: alice, repo: one, at: "2024-03-01T00:00:00Z"),
            EventJSON.issueComment(commentID: 5, issue: EventJSON.issue(id: 10, number: 1, author: alice), actor: alice, repo: one, at: "2024-03-01T00:00:01Z"),
            EventJSON.pullRequestEvent("opened", pr: EventJSON.pullRequest(id: 20, number: 2, author: alice), actor: alice, repo: two, at: "2024-03-01T00:00:02Z"),
            EventJSON.pullRequestEvent("closed", pr: EventJSON.pullRequest(id: 20, number: 2, author: alice, merged: true), actor: bob, repo: two, at: "2024-03-02T00:00:00Z"),
        ], name: "2024-03-01-0.json")
        let engine = MetricsEngine(store: store)
        let march = Period("2024-03")!
        let dev = try XCTUnwrap(try engine.developer(login: "ALICE"))
        XCTAssertEqual(dev.login, "alice")
        XCTAssertEqual(dev.value(.activity, march), 1.657920 + 2.470182, accuracy: 1e-5)
        XCTAssertEqual(dev.value(.openIssue, march), 1)
        XCTAssertEqual(dev.value(.issueComment, march), 1)
        XCTAssertEqual(dev.value(.openPull, march), 1)
        XCTAssertEqual(dev.value(.mergedPull, march), 1, "credited to the author, not bob who merged")
        XCTAssertEqual(dev.value(.activity, Period("2024")!), dev.value(.activity, march), accuracy: 1e-12)

        // The export's one pass gives the same numbers.
        var all: [String: DeveloperMetrics] = [:]
        try engine.forEachDeveloper { all[$0.login] = $0 }
        XCTAssertEqual(all["alice"]?.value(.activity, march) ?? 0, dev.value(.activity, march), accuracy: 1e-12)
        XCTAssertNil(all["bob"], "merging someone else's PR is no activity of one's own")

        let ranked = try engine.rankDevelopers(by: .activity, period: march, top: 5)
        XCTAssertEqual(ranked.map(\.login), ["alice"])
        XCTAssertNil(try engine.developer(login: "nobody"))
    }

    /// A ranking of developers is of people: bots are left out unless asked for.
    func testBotsAreLeftOutOfDeveloperRankingsUnlessKept() throws {
        let bot: (Int64, String) = (9, "renovate[bot]")
        try ingest((0..<5).map { i in
            EventJSON.pullRequestEvent("opened", pr: EventJSON.pullRequest(id: 30 + Int64(i), number: 3 + i, author: bot), actor: bot, repo: one, at: "2024-03-0\(i + 1)T00:00:00Z")
        } + [EventJSON.issuesEvent("opened", issue: EventJSON.issue(id: 10, number: 1, author: alice), actor: alice, repo: one, at: "2024-03-01T00:00:00Z")],
                   name: "2024-03-01-0.json")
        let march = Period("2024-03")!
        XCTAssertEqual(try MetricsEngine(store: store).rankDevelopers(by: .activity, period: march, top: 5).map(\.login), ["alice"])
        XCTAssertEqual(try MetricsEngine(store: store, includeBots: true).rankDevelopers(by: .activity, period: march, top: 5).map(\.login),
                       ["renovate[bot]", "alice"])
        XCTAssertEqual(try MetricsEngine(store: store, extraBots: [alice.0], includeBots: false).rankDevelopers(by: .activity, period: march, top: 5).map(\.login), [],
                       "the extra bots of --bots too")
    }
}
