import KaiyuanCore
@testable import KaiyuanSources
import TestSupport
import XCTest

final class EventScannerTests: XCTestCase {
    let alice: (Int64, String) = (11, "alice")
    let repo: (Int64, String) = (501, "octo/widgets")

    func scan(_ line: String) throws -> (ScannedEvent, [UInt8]) {
        let bytes = Array(line.utf8)
        var e = ScannedEvent()
        try bytes.withUnsafeBufferPointer { try GHEventScanner.scan($0, into: &e) }
        return (e, bytes)
    }

    func text(_ span: ByteSpan?, _ bytes: [UInt8]) -> String? {
        span.map { s in bytes.withUnsafeBufferPointer { decodeJSONString(UnsafeBufferPointer(rebasing: $0[s.start..<s.start + s.count]), escaped: s.escaped) } }
    }

    /// Dates no event can have: impossible days and offsets are unreadable; a date before GH
    /// Archive, in the future, or more than a day after its file's hour is skipped.
    func testImpossibleAndOutOfEraDatesAreSkipped() throws {
        func parse(_ s: String) -> Int64? { Array(s.utf8).withUnsafeBufferPointer { GHEventScanner.parseTimestamp($0.baseAddress!, $0.count) } }
        XCTAssertNil(parse("2021-02-31T00:00:00Z"))
        XCTAssertNil(parse("2023-02-29T00:00:00Z"))
        XCTAssertNotNil(parse("2024-02-29T00:00:00Z"))
        XCTAssertNil(parse("2021-01-01T00:00:00+99:99"))
        XCTAssertEqual(parse("2014-06-01T08:00:00+08:00"), parse("2014-06-01T00:00:00Z"))
        XCTAssertEqual(parse("2014-06-01T08:00:00+0800"), parse("2014-06-01T00:00:00Z"))
        XCTAssertNil(parse("2014-06-01T08:00:00+08:0"))
        XCTAssertNil(parse("2014-06-01T08:00:00+0860"))

        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = ["2025-01-01T05:10:00Z", "9999-12-31T00:00:00Z", "2010-01-01T00:00:00Z", "2025-01-02T07:00:00Z", "2025-01-02T05:30:00Z"]
            .map { EventJSON.watch(actor: alice, repo: repo, at: $0) }
        let file = try writeEventFile(lines, to: dir.appendingPathComponent("2025-01-01-5.json"))
        let (delta, stats) = try GHArchiveFileReader.read(path: file.path)
        XCTAssertEqual(stats.events, 2)
        XCTAssertEqual(stats.skipped[.badTimestamp], 3)
        XCTAssertEqual(stats.problems.map(\.line), [2, 3, 4])
        XCTAssertEqual(Set(delta.facts.map(\.month)), [Month(year: 2025, month: 1)])
        // Without an hour in its name, a file's events are bounded by now.
        let loose = try writeEventFile(lines, to: dir.appendingPathComponent("events.json"))
        XCTAssertEqual(try GHArchiveFileReader.read(path: loose.path).1.events, 3)
    }

    func testCommonFields() throws {
        let (e, b) = try scan(EventJSON.watch(actor: alice, repo: repo, at: "2024-03-05T14:07:09Z", id: 123))
        XCTAssertEqual(e.id, 123)
        XCTAssertEqual(e.type, .watch)
        XCTAssertEqual(e.actorID, 11)
        XCTAssertEqual(text(e.actorLogin, b), "alice")
        XCTAssertEqual(e.repoID, 501)
        XCTAssertEqual(text(e.repoName, b), "octo/widgets")
        XCTAssertEqual(e.createdAt, 1_709_647_629) // date -d 2024-03-05T14:07:09Z +%s
    }

    func testIssuesEventTakesIssueNotNestedIds() throws {
        let issue = EventJSON.issue(id: 9001, number: 7, author: (12, "bob"), title: "[SNYK] upgrade lodash")
        let (e, b) = try scan(EventJSON.issuesEvent("reopened", issue: issue, actor: alice, repo: repo, at: "2024-03-05T14:00:00Z"))
        XCTAssertEqual(e.type, .issues)
        XCTAssertEqual(e.action, .reopened)
        XCTAssertEqual(e.issue.id, 9001)
        XCTAssertEqual(e.issue.authorID, 12)
        XCTAssertEqual(text(e.issue.authorLogin, b), "bob")
        XCTAssertTrue(e.issue.titleIsSnyk)
        XCTAssertNil(e.pullRequest.id, "payload.issue.pull_request is null here and must not be read as a PR")
    }

    func testPullRequestFields() throws {
        let pr = EventJSON.pullRequest(id: 777, number: 3, author: (12, "bob"), merged: true, additions: 120, deletions: 30)
        let (e, _) = try scan(EventJSON.pullRequestEvent("closed", pr: pr, actor: alice, repo: repo, at: "2024-03-05T14:00:00Z"))
        XCTAssertEqual(e.type, .pullRequest)
        XCTAssertEqual(e.action, .closed)
        XCTAssertEqual(e.pullRequest.id, 777)
        XCTAssertEqual(e.pullRequest.authorID, 12, "the PR's user, not head.user")
        XCTAssertEqual(e.pullRequest.merged, true)
        XCTAssertEqual(e.pullRequest.additions, 120)
        XCTAssertEqual(e.pullRequest.deletions, 30)
        XCTAssertFalse(e.pullRequest.titleIsSnyk)
    }

    func testCommentsAndPushes() throws {
        let issue = EventJSON.issue(id: 1, number: 1, author: alice)
        let (c, _) = try scan(EventJSON.issueComment(commentID: 4242, issue: issue, actor: alice, repo: repo, at: "2024-03-05T14:00:00Z"))
        XCTAssertEqual(c.commentID, 4242)
        XCTAssertEqual(c.action, .created)
        let pr = EventJSON.pullRequest(id: 5, number: 2, author: alice)
        let (r, _) = try scan(EventJSON.reviewComment(commentID: 99, pr: pr, actor: alice, repo: repo, at: "2024-03-05T14:00:00Z", action: "edited"))
        XCTAssertEqual(r.type, .pullRequestReviewComment)
        XCTAssertEqual(r.commentID, 99)
        XCTAssertEqual(r.action, .edited)
        XCTAssertEqual(r.pullRequest.id, 5)
        let (p, _) = try scan(EventJSON.push(pushID: 555, actor: alice, repo: repo, at: "2024-03-05T14:00:00Z"))
        XCTAssertEqual(p.pushID, 555)
    }

    func testKeyOrderAndWhitespaceDoNotMatter() throws {
        let line = #"{ "created_at" : "2024-03-05T14:00:00Z", "payload": {"pull_request": {"merged": false, "id": 8}, "action": "opened"}, "repo": {"name": "a/b", "id": 2}, "type": "PullRequestEvent", "actor": {"login": "z", "id": 3}, "id": 77 }"#
        let (e, _) = try scan(line)
        XCTAssertEqual(e.id, 77)
        XCTAssertEqual(e.type, .pullRequest)
        XCTAssertEqual(e.action, .opened)
        XCTAssertEqual(e.pullRequest.id, 8)
        XCTAssertEqual(e.repoID, 2)
        XCTAssertEqual(e.actorID, 3)
    }

    func testEscapedAndNonASCIINames() throws {
        let line = #"{"id":"1","type":"WatchEvent","actor":{"id":5,"login":"\u674e\u96f7"},"repo":{"id":6,"name":"开源/观察"},"payload":{"s":"a \"quoted\" \\ string with } and {"},"created_at":"2024-03-05T14:00:00Z"}"#
        let (e, b) = try scan(line)
        XCTAssertEqual(text(e.actorLogin, b), "李雷")
        XCTAssertEqual(text(e.repoName, b), "开源/观察")
        XCTAssertEqual(e.type, .watch)
    }

    func testNULInANameIsReplacedNotACut() throws {
        let line = #"{"id":"1","type":"WatchEvent","actor":{"id":5,"login":"a\u0000b"},"repo":{"id":6,"name":"own\u0000er/re\u0000po"},"created_at":"2024-03-05T14:00:00Z"}"#
        let (e, b) = try scan(line)
        XCTAssertEqual(text(e.repoName, b), "own\u{FFFD}er/re\u{FFFD}po")
        XCTAssertEqual(text(e.actorLogin, b), "a\u{FFFD}b")
    }

    func testInvalidUTF8NameIsReplacedNotRejected() throws {
        var bytes = Array(#"{"id":"1","type":"WatchEvent","actor":{"id":5,"login":"ab"},"repo":{"id":6,"name":"o/r"},"created_at":"2024-03-05T14:00:00Z"}"#.utf8)
        let at = bytes.firstIndex(of: UInt8(ascii: "b"))!
        bytes[at] = 0xFF
        var e = ScannedEvent()
        try bytes.withUnsafeBufferPointer { try GHEventScanner.scan($0, into: &e) }
        XCTAssertEqual(text(e.actorLogin, bytes), "a\u{FFFD}")
    }

    func testMissingAndNullFieldsAreAbsentNotZero() throws {
        let line = #"{"id":"1","type":"PullRequestEvent","actor":{"id":5,"login":"a"},"repo":{"id":6,"name":"o/r"},"payload":{"action":"closed","pull_request":{"id":9,"merged":null}},"created_at":"2024-03-05T14:00:00Z"}"#
        let (e, _) = try scan(line)
        XCTAssertNil(e.pullRequest.merged)
        XCTAssertNil(e.pullRequest.additions)
        XCTAssertNil(e.pullRequest.authorID)
        let nullPayload = #"{"id":"2","type":"IssuesEvent","actor":{"id":5,"login":"a"},"repo":{"id":6,"name":"o/r"},"payload":null,"created_at":"2024-03-05T14:00:00Z"}"#
        let (n, _) = try scan(nullPayload)
        XCTAssertEqual(n.type, .issues)
        XCTAssertNil(n.issue.id)
    }

    func testUnknownTypeIsReported() throws {
        let (e, b) = try scan(#"{"id":"1","type":"TeleportEvent","actor":{"id":5,"login":"a"},"repo":{"id":6,"name":"o/r"},"created_at":"2024-03-05T14:00:00Z"}"#)
        XCTAssertEqual(e.type, .unknown)
        XCTAssertEqual(text(e.typeName, b), "TeleportEvent")
    }

    func testMalformedLinesThrow() {
        let cases = [
            #"{"id":"1","type":"WatchEvent","actor":{"id":5,"login":"a"#,   // truncated
            #"not json at all"#,
            #"["an","array"]"#,
            #"{"id":"1","type":"WatchEvent"} trailing"#,
            #"{"id":"1" "type":"WatchEvent"}"#,                              // missing comma
        ]
        for line in cases {
            XCTAssertThrowsError(try scan(line), line)
        }
    }

    func testTimestamps() {
        func ts(_ s: String) -> Int64? { Array(s.utf8).withUnsafeBufferPointer { GHEventScanner.parseTimestamp($0.baseAddress!, $0.count) } }
        XCTAssertEqual(ts("1970-01-01T00:00:00Z"), 0)
        XCTAssertEqual(ts("2021-10-31T23:59:59Z"), 1_635_724_799)
        XCTAssertEqual(ts("2012-03-10T17:04:55-08:00"), 1_331_427_895)
        XCTAssertEqual(ts("2024-02-29T12:00:00.123Z"), 1_709_208_000)
        XCTAssertNil(ts("2024-13-01T00:00:00Z"))
        XCTAssertNil(ts("yesterday"))
    }

    /// Real events: GitHub's PushEvent payload in 2024 and after its late-2025 trim.
    func testRealPushSchemaDrift() throws {
        let url = try sharedData("data/gharchive/push-schema-drift-2024-2025.jsonl")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2)
        for line in lines {
            let (e, _) = try scan(line)
            XCTAssertEqual(e.type, .push)
            XCTAssertNotNil(e.pushID, "both shapes keep push_id")
            // Cross-check against Foundation's JSON decoding of the same line.
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let payload = object["payload"] as! [String: Any]
            XCTAssertEqual(e.pushID, (payload["push_id"] as! NSNumber).int64Value)
            XCTAssertEqual(e.repoID, ((object["repo"] as! [String: Any])["id"] as! NSNumber).int64Value)
        }
    }
}
