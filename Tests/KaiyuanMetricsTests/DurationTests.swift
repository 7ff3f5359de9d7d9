import KaiyuanCore
import KaiyuanIngest
@testable import KaiyuanMetrics
import KaiyuanStore
import TestSupport
import XCTest

/// Response, resolution and age (§7), on timelines worked out by hand.
final class DurationTests: StoreTestCase {
    func testQuantilesAndLevels() {
        let s = DurationStats(days: [4, 1, 3, 2, 20], bounds: [3, 7, 15])
        XCTAssertEqual(s.count, 5)
        XCTAssertEqual(s.average, 6)
        XCTAssertEqual(s.quantiles, [1, 2, 3, 4, 20])
        XCTAssertEqual(s.levels, [3, 1, 0, 1], "[0,3]: 1 2 3; (3,7]: 4; >15: 20")
        // Between order statistics: h = 3 × q/4 over [1, 2, 3, 4].
        XCTAssertEqual(DurationStats(days: [1, 2, 3, 4], bounds: [3, 7, 15]).quantiles, [1, 1.75, 2.5, 3.25, 4])
    }

    let alice: (Int64, String) = (1, "alice"), bob: (Int64, String) = (2, "bob"), carol: (Int64, String) = (3, "carol")
    let bot: (Int64, String) = (4, "triage[bot]")
    let repo: (Int64, String) = (100, "octo/widgets")

    func testIssueAndChangeRequestDurations() throws {
        let issue1 = EventJSON.issue(id: 11, number: 1, author: alice)
        let issue2 = EventJSON.issue(id: 12, number: 2, author: bob)
        let issue3 = EventJSON.issue(id: 13, number: 3, author: bot)
        let pr4 = EventJSON.pullRequest(id: 14, number: 4, author: carol)
        let pr4merged = EventJSON.pullRequest(id: 14, number: 4, author: carol, merged: true)
        let lines = [
            EventJSON.issuesEvent("opened", issue: issue1, actor: alice, repo: repo, at: "2024-01-01T00:00:00Z"),
            EventJSON.issueComment(commentID: 1, issue: issue1, actor: alice, repo: repo, at: "2024-01-01T01:00:00Z"), // the author: no answer
            EventJSON.issueComment(commentID: 2, issue: issue1, actor: bot, repo: repo, at: "2024-01-01T02:00:00Z"),   // a bot: no answer
            EventJSON.issueComment(commentID: 3, issue: issue1, actor: bob, repo: repo, at: "2024-01-02T12:00:00Z"),   // 1.5 days
            EventJSON.issuesEvent("closed", issue: issue1, actor: alice, repo: repo, at: "2024-01-04T00:00:00Z"),
            EventJSON.issuesEvent("reopened", issue: issue1, actor: alice, repo: repo, at: "2024-01-05T00:00:00Z"),
            EventJSON.issuesEvent("closed", issue: issue1, actor: bot, repo: repo, at: "2024-01-11T00:00:00Z"),        // final: 10 days
            EventJSON.issuesEvent("opened", issue: issue2, actor: bob, repo: repo, at: "2024-01-10T00:00:00Z"),        // never answered
            EventJSON.issuesEvent("opened", issue: issue3, actor: bot, repo: repo, at: "2024-01-10T00:00:00Z"),        // a bot's: left out
            EventJSON.pullRequestEvent("opened", pr: pr4, actor: carol, repo: repo, at: "2024-01-05T00:00:00Z"),
            EventJSON.event("PullRequestReviewEvent", actor: bob, repo: repo, at: "2024-01-05T06:00:00Z",
                            payload: #"{"action":"created","review":{"id":9,"state":"approved"},"pull_request":\#(pr4)}"#), // 0.25 days
            EventJSON.pullRequestEvent("closed", pr: pr4merged, actor: bob, repo: repo, at: "2024-01-07T00:00:00Z"),  // 2 days
            EventJSON.watch(actor: carol, repo: repo, at: "2024-02-15T00:00:00Z"),                                     // data runs to February
        ]
        try ingest(lines)
        let m = try MetricsEngine(store: store).metrics(for: try XCTUnwrap(try store.repository(named: repo.1)))
        let jan = Period("2024-01")!, feb = Period("2024-02")!

        let response = try XCTUnwrap(m.durations[.issueResponseTime]?[jan])
        XCTAssertEqual(response.count, 1)
        XCTAssertEqual(response.average, 1.5, accuracy: 1e-9)
        XCTAssertEqual(response.unanswered, 1, "issue 2")
        XCTAssertEqual(response.levels, [1, 0, 0, 0])

        let resolution = try XCTUnwrap(m.durations[.issueResolutionDuration]?[jan])
        XCTAssertEqual(resolution.count, 1)
        XCTAssertEqual(resolution.average, 10, accuracy: 1e-9, "opening to the final close")
        XCTAssertEqual(resolution.levels, [0, 0, 1, 0])

        // Issue 2 is open at the end of January (22 days) and of February (22 + 29 = 51, a leap year).
        XCTAssertEqual(m.durations[.issueAge]?[jan]?.quantiles[2] ?? 0, 22, accuracy: 1e-9)
        XCTAssertEqual(m.durations[.issueAge]?[jan]?.count, 1, "issue 1 is closed by then")
        XCTAssertEqual(m.durations[.issueAge]?[feb]?.average ?? 0, 51, accuracy: 1e-9)
        XCTAssertEqual(m.durations[.issueAge]?[feb]?.levels, [0, 0, 1, 0])

        XCTAssertEqual(m.durations[.changeRequestResponseTime]?[jan]?.average ?? 0, 0.25, accuracy: 1e-9, "a review is an answer")
        XCTAssertEqual(m.durations[.changeRequestResolutionDuration]?[jan]?.average ?? 0, 2, accuracy: 1e-9)
        XCTAssertNil(m.durations[.changeRequestAge]?[jan], "nothing open at the end of January")
        XCTAssertEqual(m.durations[.issueResponseTime]?[Period("2024")!]?.unanswered, 1)
    }
}
