import KaiyuanCore
import KaiyuanIngest
@testable import KaiyuanMetrics
import KaiyuanStore
import TestSupport
import XCTest

/// Small histories whose metrics are worked out by hand in the comments, run through the
/// whole pipeline: file → scanner → facts → SQLite → metrics.
final class HandWorkedMetricsTests: StoreTestCase {
    let alice: (Int64, String) = (1, "alice")
    let bob: (Int64, String) = (2, "bob")
    let carol: (Int64, String) = (3, "carol")
    let dave: (Int64, String) = (4, "dave")
    let eve: (Int64, String) = (5, "eve")
    let bot: (Int64, String) = (6, "ci-helper[bot]")
    let repo: (Int64, String) = (100, "octo/widgets")

    func metrics() throws -> RepoMetrics {
        let ref = try XCTUnwrap(try store.repository(named: repo.1))
        return try MetricsEngine(store: store).metrics(for: ref)
    }

    let march = Period(.month, containing: Month(year: 2024, month: 3))
    let april = Period(.month, containing: Month(year: 2024, month: 4))
    let q1 = Period(kind: .quarter, year: 2024, number: 1)
    let q2 = Period(kind: .quarter, year: 2024, number: 2)
    let y2024 = Period(kind: .year, year: 2024, number: 0)

    func testActivityAndCounts() throws {
        let issue10 = EventJSON.issue(id: 10, number: 1, author: alice)
        let pr20open = EventJSON.pullRequest(id: 20, number: 2, author: alice, additions: 50, deletions: 5)
        let pr20merged = EventJSON.pullRequest(id: 20, number: 2, author: alice, merged: true, additions: 60, deletions: 6)
        let march1 = [
            EventJSON.issuesEvent("opened", issue: issue10, actor: alice, repo: repo, at: "2024-03-05T14:00:01Z"),
            EventJSON.pullRequestEvent("opened", pr: pr20open, actor: alice, repo: repo, at: "2024-03-05T14:00:02Z"),
            EventJSON.issueComment(commentID: 100, issue: issue10, actor: bob, repo: repo, at: "2024-03-05T14:00:03Z"),
            EventJSON.issueComment(commentID: 101, issue: issue10, actor: bob, repo: repo, at: "2024-03-05T14:00:04Z"),
            EventJSON.issueComment(commentID: 101, issue: issue10, actor: bob, repo: repo, at: "2024-03-05T14:00:05Z", action: "edited"),
            // bob merges alice's PR: the merge is credited to alice, the author.
            EventJSON.pullRequestEvent("closed", pr: pr20merged, actor: bob, repo: repo, at: "2024-03-05T14:00:06Z"),
            EventJSON.reviewComment(commentID: 300, pr: pr20open, actor: carol, repo: repo, at: "2024-03-05T14:00:07Z"),
            EventJSON.reviewComment(commentID: 300, pr: pr20open, actor: carol, repo: repo, at: "2024-03-05T14:00:08Z", action: "edited"),
            EventJSON.watch(actor: dave, repo: repo, at: "2024-03-05T14:00:09Z"),
            EventJSON.fork(actor: eve, repo: repo, at: "2024-03-05T14:00:10Z"),
            EventJSON.fork(actor: eve, repo: repo, at: "2024-03-05T14:00:11Z"),
            EventJSON.issuesEvent("closed", issue: issue10, actor: bot, repo: repo, at: "2024-03-05T14:00:12Z"),
        ]
        let april1 = [
            EventJSON.issueComment(commentID: 102, issue: issue10, actor: alice, repo: repo, at: "2024-04-10T09:00:00Z"),
            EventJSON.issuesEvent("reopened", issue: issue10, actor: alice, repo: repo, at: "2024-04-10T09:00:01Z"),
            EventJSON.watch(actor: dave, repo: repo, at: "2024-04-10T09:00:02Z"),
        ]
        try ingest(march1, name: "2024-03-05-14.json.gz")
        try ingest(april1, name: "2024-04-10-9.json.gz")
        let m = try metrics()

        // March, per developer (§3):
        //   alice: open_issue 1, open_pull 1, merged_pull 1 → √(2.2235 + 4.0679 + 2.0339) = √8.3253 = 2.885360
        //   bob:   issue_comment 2 (the edit is not a creation) → √(2 × 0.5252) = √1.0504 = 1.024890
        //   carol: review_comment 1 (the edit is not) → √0.7427 = 0.861800
        //   sum = 4.772050
        // April: alice issue_comment 1 → √0.5252 = 0.724707
        XCTAssertEqual(m.value(.activity, march), 4.772050, accuracy: 1e-5)
        XCTAssertEqual(m.value(.activity, april), 0.724707, accuracy: 1e-5)
        XCTAssertEqual(m.value(.activity, q1), 4.772050, accuracy: 1e-5)
        XCTAssertEqual(m.value(.activity, y2024), 5.496757, accuracy: 1e-5, "a year is the sum of its months")

        let details = try XCTUnwrap(m.details[.activityDetails]?[march])
        XCTAssertEqual(details.map(\.login), ["alice", "bob", "carol"])
        // For the year, one entry per developer-month (spec §3, changed 2026-11-24): alice twice,
        // each with one month's value rounded, by value then login.
        let year = try XCTUnwrap(m.details[.activityDetails]?[y2024])
        XCTAssertEqual(year.map(\.login), ["alice", "bob", "carol", "alice"])
        XCTAssertEqual(year.map { $0.value ?? 0 }, [2.89, 1.02, 0.86, 0.72])

        // §5. dave starred in March and April: once per month, once for the year.
        XCTAssertEqual(m.value(.stars, march), 1)
        XCTAssertEqual(m.value(.stars, april), 1)
        XCTAssertEqual(m.value(.stars, y2024), 1, "distinct over the year, not a sum")
        XCTAssertEqual(m.value(.technicalFork, march), 2, "two fork events")
        XCTAssertEqual(m.value(.attention, march), 1 + 2 * 1, "1 stargazer + 2 × 1 distinct forker")
        // participants in March: alice, bob, carol, the bot (dave and eve only starred and forked).
        XCTAssertEqual(m.value(.participants, march), 4)
        XCTAssertEqual(m.value(.participants, y2024), 4)
        XCTAssertEqual(m.value(.contributors, march), 1)
        XCTAssertEqual(m.details[.contributorsDetail]?[march]?.map(\.login), ["alice"])
        XCTAssertEqual(m.value(.issuesNew, march), 1)
        XCTAssertEqual(m.value(.issuesNew, april), 1, "reopened counts as new")
        XCTAssertEqual(m.value(.issuesNew, y2024), 1, "the same issue, distinct over the year")
        XCTAssertEqual(m.value(.issuesClosed, march), 1)
        XCTAssertEqual(m.value(.issueComments, march), 2)
        XCTAssertEqual(m.value(.issueComments, y2024), 3)
        XCTAssertEqual(m.value(.changeRequests, march), 1)
        XCTAssertEqual(m.value(.changeRequestsAccepted, march), 1)
        XCTAssertEqual(m.value(.changeRequestsReviews, march), 1, "one review comment, created then edited")
        // Every PullRequestEvent counts its lines: 50 + 60 added, 5 + 6 removed.
        XCTAssertEqual(m.value(.codeChangeLinesAdd, march), 110)
        XCTAssertEqual(m.value(.codeChangeLinesRemove, march), 11)
        XCTAssertEqual(m.value(.codeChangeLinesSum, march), 99)
        // Active: issue 10 and PR 20.
        XCTAssertEqual(m.value(.issuesAndChangeRequestActive, march), 2)
        XCTAssertEqual(m.value(.issuesAndChangeRequestActive, q2), 1)
    }

    func testDuplicateEventsAcrossFilesCountOnce() throws {
        let fork = EventJSON.fork(actor: eve, repo: repo, at: "2024-03-05T14:59:59Z", id: 42)
        let pr = EventJSON.pullRequestEvent("opened", pr: EventJSON.pullRequest(id: 20, number: 2, author: alice, additions: 7, deletions: 1),
                                            actor: alice, repo: repo, at: "2024-03-05T14:59:59Z", id: 43)
        // The same events at the end of one hour file and the start of the next, and twice in one file.
        try ingest([fork, pr, fork], name: "2024-03-05-14.json.gz")
        try ingest([fork, pr], name: "2024-03-05-15.json.gz")
        let m = try metrics()
        XCTAssertEqual(m.value(.technicalFork, march), 1)
        XCTAssertEqual(m.value(.changeRequests, march), 1)
        XCTAssertEqual(m.value(.codeChangeLinesAdd, march), 7)
    }

    func testRepoRenamedMidMonthIsOneRepo() throws {
        let old: (Int64, String) = (100, "octo/old-name")
        try ingest([
            EventJSON.watch(actor: dave, repo: old, at: "2024-03-01T10:00:00Z"),
            EventJSON.watch(actor: eve, repo: repo, at: "2024-03-20T10:00:00Z"),
        ], name: "2024-03-20-10.json.gz")
        let byOld = try XCTUnwrap(try store.repository(named: "octo/old-name"))
        XCTAssertEqual(byOld.name, "octo/widgets", "the current name is the one seen last")
        XCTAssertEqual(try store.repositories().count, 1)
        XCTAssertEqual(try metrics().value(.stars, march), 2)
    }
}
