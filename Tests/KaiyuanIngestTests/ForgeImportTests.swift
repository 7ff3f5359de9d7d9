import Foundation
import KaiyuanCore
import KaiyuanIngest
import KaiyuanMetrics
import KaiyuanSources
import KaiyuanStore
import KaiyuanStores
import TestSupport
import XCTest

/// Gitee's v5 API replayed on 127.0.0.1: the 49 real responses of `../shared/data/gitee/`
/// (kit101/drone-yml-test) plus pages recorded here in the same shapes (stargazers, forks,
/// a second page, a 429, a page cut short).
final class ForgeImportTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try makeTemporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    let repo = "kit101/drone-yml-test"

    func gitee(_ file: String) throws -> Data { try Data(contentsOf: try sharedData("data/gitee/\(file)")) }

    /// A server answering the real responses, the pulls split over two pages.
    func server(_ api: inout ForgeAPI) throws -> LocalHTTPServer {
        let server = try LocalHTTPServer()
        addTeardownBlock { server.stop() }
        api = ForgeAPI(platform: .gitee, base: server.baseURL.appendingPathComponent("api/v5"), token: "secret-token",
                       client: HTTPClient(retries: 2, initialBackoff: 0.05))
        let p = { (u: URL) in LocalHTTPServer.requestPath(u) }
        server.serve(p(api.repositoryURL(repo)), try gitee("repo.json"))
        let base = "/api/v5/repos/\(repo)/"
        // Issues as Gitee lists them: only those updated since `since`, when it is given.
        let issuesData = try gitee("issues.json")
        server.route(prefix: base + "issues?") { path in
            let issues = (try? JSONSerialization.jsonObject(with: issuesData)) as? [[String: Any]] ?? []
            let since = URLComponents(string: path)?.queryItems?.first { $0.name == "since" }?.value.flatMap(ForgeFolder.time)
            let kept = issues.filter { since == nil || ForgeFolder.time($0["updated_at"])! >= since! }
            return (try? JSONSerialization.data(withJSONObject: kept)) ?? Data()
        }
        server.serve(prefix: base + "issues/comments?", try gitee("issue_comments.json"), headers: "total_page: 1")
        server.serve(prefix: base + "pulls/comments?", try gitee("pr_comments.json"), headers: "total_page: 1")
        // Asked with `since`, the pulls come on one page.
        server.serve(prefix: base + "pulls?", try gitee("pulls.json"), headers: "total_page: 1")
        let pulls = try XCTUnwrap(JSONSerialization.jsonObject(with: try gitee("pulls.json")) as? [Any])
        let first = p(api.listURL(repo, .pulls, since: nil))
        server.serve(first, try JSONSerialization.data(withJSONObject: Array(pulls[..<2])))
        server.headers(first, "total_page: 2")
        server.serve(first + "&page=2", try JSONSerialization.data(withJSONObject: Array(pulls[2...])))
        server.headers(first + "&page=2", "total_page: 2")
        server.serve(prefix: base + "stargazers?", Data(#"[{"id":2001,"login":"mei","name":"梅","star_at":"2021-10-01T10:00:00+08:00"},{"id":2002,"login":"lei","star_at":"2021-09-30T23:59:59Z"}]"#.utf8), headers: "total_page: 1")
        server.serve(prefix: base + "forks?", Data(#"[{"id":900001,"full_name":"mei/drone-yml-test","owner":{"id":2001,"login":"mei"},"created_at":"2021-10-02T08:00:00+08:00","updated_at":"2021-10-02T08:00:00+08:00"}]"#.utf8), headers: "total_page: 1")
        return server
    }

    /// The real responses become the facts GH Archive would give, checked by hand: 2 issues
    /// opened and 1 closed in September 2021 (UTC+8 kept as instants), 3 pull requests opened,
    /// comments, stars in two months, a fork; a second run changes nothing.
    func testTheRealGiteeResponsesBecomeFacts() async throws {
        var api = ForgeAPI(platform: .gitee)
        let server = try server(&api)
        server.rateLimit(LocalHTTPServer.requestPath(api.listURL(repo, .pulls, since: nil)), times: 1, retryAfter: 1)
        let store = try openStore(.sqlite(path: dir.appendingPathComponent("k.db").path), readOnly: false)
        let outcome = try await ForgeImporter(store: store).importRepository(api, repo, since: nil)
        XCTAssertEqual(outcome.problems, [])
        XCTAssertEqual(outcome.items, [.issues: 2, .issueComments: 1, .pulls: 3, .pullComments: 1, .stargazers: 2, .forks: 1])
        XCTAssertEqual(outcome.line, "gitee:kit101/drone-yml-test: 2 issues, 1 issue comments, 3 pulls, 1 pull comments, 2 stargazers, 1 forks (8 pages read, 0 unchanged)")
        XCTAssertFalse(server.requestLog().contains { !$0.path.contains("access_token=secret-token") }, "the token is sent")

        let ref = try XCTUnwrap(store.repository(named: repo, platform: .gitee))
        XCTAssertEqual(ref.id, Platform.gitee.key(14836026))
        let m = try MetricsEngine(store: store).metrics(for: ref, kinds: [.month])
        let sep = Period("2021-09")!, oct = Period("2021-10")!
        XCTAssertEqual(m.value(.issuesNew, sep), 2)
        XCTAssertEqual(m.value(.issuesClosed, sep), 1)
        XCTAssertEqual(m.value(.changeRequests, sep), 3)
        XCTAssertEqual(m.value(.changeRequestsAccepted, sep), 0)
        XCTAssertEqual(m.value(.issueComments, sep), 1)
        XCTAssertEqual(m.value(.participants, sep), 1, "kit101 alone")
        XCTAssertEqual(m.value(.participants, oct), 1, "kit101's comment on pull 7")
        XCTAssertEqual(m.value(.stars, sep), 1, "lei starred at 23:59:59 UTC on 30 September")
        XCTAssertEqual(m.value(.stars, oct), 1, "mei starred at 02:00 UTC on 1 October")
        XCTAssertEqual(m.value(.technicalFork, oct), 1)
        XCTAssertGreaterThan(m.value(.activity, sep), 0)
        // The closed issue's timeline: opened 11:05:30, closed 11:05:49 (+08:00): 19 s.
        let resolution = try XCTUnwrap(m.durations[.issueResolutionDuration]?[sep])
        XCTAssertEqual(resolution.count, 1)
        XCTAssertEqual(resolution.average, 19.0 / 86_400, accuracy: 1e-9)
        XCTAssertEqual(try store.logins(for: [Platform.gitee.key(1535738)]), [Platform.gitee.key(1535738): "kit101"])
        // The close's actor is unknown: counted, but not in OpenRank.
        XCTAssertEqual(try store.openRankExclusions().map(\.kind), [.issueClosed, .pullClosed])

        // The same run again: every page unchanged, nothing added.
        let before = try store.summary()
        let again = try await ForgeImporter(store: store).importRepository(api, repo, since: nil)
        XCTAssertEqual(again.pages, 7)
        XCTAssertEqual(again.unchangedPages, 5, "every page but the pulls (now on one page) and the issues (one, since the cursor)")
        XCTAssertEqual(try store.summary().facts, before.facts)
        // It asked only for what changed since the newest update of the last finished run (a
        // second early, for ties), and got the issue updated then again.
        XCTAssertTrue(server.requestLog().contains { $0.path.contains("/issues?") && $0.path.contains("since=2021-09-29T03:05:48Z") },
                      server.requestLog().map(\.path).joined(separator: "\n"))
        XCTAssertEqual(again.items[.issues], 1, "I4CE7W, updated at 03:05:49")
    }

    /// A page cut short is named with its URL (the token hidden) and ends that endpoint for
    /// this run; the next run asks again from the last page stored, and gets it.
    func testAPageCutShortIsNamedAndReadAgainLater() async throws {
        var api = ForgeAPI(platform: .gitee)
        let server = try server(&api)
        let second = LocalHTTPServer.requestPath(api.listURL(repo, .pulls, since: nil)) + "&page=2"
        let good = try XCTUnwrap(JSONSerialization.data(withJSONObject: [try XCTUnwrap(JSONSerialization.jsonObject(with: try gitee("pulls.json")) as? [Any])[2]]))
        server.serve(second, good.prefix(good.count / 2))
        let store = try openStore(.sqlite(path: dir.appendingPathComponent("k.db").path), readOnly: false)
        let first = try await ForgeImporter(store: store).importRepository(api, repo, since: nil)
        XCTAssertEqual(first.problems.count, 1)
        XCTAssertTrue(first.problems[0].contains("page=2") && first.problems[0].contains("not a JSON list"), first.problems[0])
        XCTAssertFalse(first.problems[0].contains("secret-token"), "the token is never printed")
        XCTAssertEqual(first.items[.pulls], 2)
        XCTAssertEqual(first.items[.stargazers], 2, "the other endpoints went on")

        server.serve(second, good)
        let later = try await ForgeImporter(store: store).importRepository(api, repo, since: nil)
        XCTAssertEqual(later.problems, [])
        let ref = try XCTUnwrap(store.repository(named: repo, platform: .gitee))
        XCTAssertEqual(try MetricsEngine(store: store).metrics(for: ref, kinds: [.month]).value(.changeRequests, Period("2021-09")!), 3)
    }

    /// Gitee's error body for a repository that does not exist (or is private), and a revoked
    /// token, each said in words.
    func testMissingRepositoryAndRevokedToken() async throws {
        var api = ForgeAPI(platform: .gitee)
        let server = try server(&api)
        let store = try openStore(.sqlite(path: dir.appendingPathComponent("k.db").path), readOnly: false)
        server.respond(LocalHTTPServer.requestPath(api.repositoryURL("kit101/gone")), status: 404, body: try gitee("error.json"))
        do {
            _ = try await ForgeImporter(store: store).importRepository(api, "kit101/gone", since: nil)
            XCTFail("a missing repository must fail")
        } catch {
            XCTAssertTrue("\(error)".contains("no repository kit101/gone") && "\(error)".contains("private"), "\(error)")
            XCTAssertFalse("\(error)".contains("secret-token"))
        }
        server.respond(LocalHTTPServer.requestPath(api.repositoryURL(repo)), status: 401, body: Data(#"{"message":"401 Unauthorized: Access token is expired"}"#.utf8))
        do {
            _ = try await ForgeImporter(store: store).importRepository(api, repo, since: nil)
            XCTFail("a revoked token must fail")
        } catch {
            XCTAssertTrue("\(error)".contains("invalid, expired or revoked"), "\(error)")
        }
        XCTAssertEqual(try store.summary().facts, 0)
    }

    func testIssueNumbersAndInstants() {
        XCTAssertEqual(ForgeFolder.issueNumber("I4CE7W"), Int64("I4CE7W", radix: 36))
        XCTAssertEqual(ForgeFolder.issueNumber(6), 6)
        XCTAssertEqual(ForgeFolder.issueNumber("1885"), 1885, "GitCode's numbers are decimal")
        XCTAssertNil(ForgeFolder.issueNumber("not a number!"))
        XCTAssertEqual(ForgeFolder.time("2021-09-29T11:05:30+08:00"), 1_632_884_730)
        XCTAssertEqual(ForgeFolder.time("2021-09-29T03:05:30Z"), 1_632_884_730)
        XCTAssertEqual(ForgeFolder.time("2021-09-28T22:05:30-05:00"), 1_632_884_730)
        XCTAssertEqual(ForgeFolder.time("2021-09-29T03:05:30.123Z"), 1_632_884_730)
        XCTAssertEqual(ForgeFolder.time("2021-09-29T11:05:30+0800"), 1_632_884_730)
        XCTAssertNil(ForgeFolder.time("2021-02-31T00:00:00+08:00"))
        XCTAssertNil(ForgeFolder.time("yesterday"))
    }
}

/// `kaiyuan ingest gitee` as a user runs it: an owner's repositories, the facts shown by
/// `show repo gitee:…`, mistakes in one line.
final class ForgeCommandLineTests: XCTestCase {
    func testIngestGiteeOwnerThenShow() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try LocalHTTPServer()
        defer { server.stop() }
        let api = ForgeAPI(platform: .gitee, base: server.baseURL.appendingPathComponent("api/v5"))
        func data(_ f: String) throws -> Data { try Data(contentsOf: try sharedData("data/gitee/\(f)")) }
        server.serve(prefix: "/api/v5/users/kit101/repos?", try data("repos.json"), headers: "total_page: 1")
        server.serve(LocalHTTPServer.requestPath(api.repositoryURL("kit101/drone-yml-test")), try data("repo.json"))
        let base = "/api/v5/repos/kit101/drone-yml-test/"
        for (path, file) in [("issues?", "issues.json"), ("issues/comments?", "issue_comments.json"), ("pulls?", "pulls.json"), ("pulls/comments?", "pr_comments.json")] {
            server.serve(prefix: base + path, try data(file), headers: "total_page: 1")
        }
        server.serve(prefix: base + "stargazers?", Data("[]".utf8), headers: "total_page: 1")
        server.serve(prefix: base + "forks?", Data("[]".utf8), headers: "total_page: 1")
        let apiURL = server.baseURL.appendingPathComponent("api/v5").absoluteString
        let r = try KaiyuanBinary.run(["ingest", "gitee", "kit101", "--db", "k.db", "--api", apiURL], in: dir)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.out, "gitee:kit101/drone-yml-test: 2 issues, 1 issue comments, 3 pulls, 1 pull comments, 0 stargazers, 0 forks (7 pages read, 0 unchanged)\n")
        let show = try KaiyuanBinary.run(["show", "repo", "gitee:kit101/drone-yml-test", "--db", "k.db", "--metric", "issues_new", "--metric", "change_requests", "--format", "csv"], in: dir)
        XCTAssertEqual(show.out, "month,issues_new,change_requests\n2021-09,2,3\n\n", show.err)

        let missing = try KaiyuanBinary.run(["ingest", "gitee", "nobody", "--db", "k.db", "--api", apiURL], in: dir)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.err.contains("no user or organisation nobody"), missing.err)
        let bad = try KaiyuanBinary.run(["ingest", "gitee", "a/b/c", "--db", "k.db"], in: dir)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.err.contains("expected OWNER/REPO or OWNER"), bad.err)
    }
}
