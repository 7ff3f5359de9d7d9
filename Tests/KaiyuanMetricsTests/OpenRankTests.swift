import Foundation
import KaiyuanCore
import KaiyuanIngest
@testable import KaiyuanMetrics
import KaiyuanStore
import TestSupport
import XCTest

final class OpenRankTests: XCTestCase {
    typealias Key = OpenRank.PairKey
    typealias Counts = OpenRank.PairCounts

    func counts(issues: Int = 0, comments: Int = 0, closed: Int = 0, reviews: Int = 0, pulls: Int = 0, pullsClosed: Int = 0, pushes: Int = 0) -> Counts {
        var c = Counts()
        c.issuesOpened = issues; c.issueComments = comments; c.issuesClosed = closed
        c.reviewComments = reviews; c.pullsOpened = pulls; c.pullsClosed = pullsClosed; c.pushes = pushes
        return c
    }

    func noCarry(_: OpenRank.NodeKey) -> Double { 0 }

    /// One repository, one developer who opened one PR, worked by hand:
    ///   a = 40.679, so w(u→r) = w(r→u) = 0.95, each node sends 0.05 to B, B sends 1/2 to each.
    ///   init(u) = s = 1/(1+e^(0.10425·(44.08−40.679))), init(r) = init(B) = 0.
    ///   R = 0.7·(0.95·U + 0.5·B)
    ///   U = 0.5·s + 0.5·(0.95·R + 0.5·B)
    ///   B = 0.85·0.05·(R + U)
    /// Substituting B = 0.0425(R+U): R = 0.665U + 0.014875(R+U) → R(0.985125) = 0.679875U → R = kU,
    /// k = 0.679875/0.985125; U = 0.5s + 0.475kU + 0.010625(k+1)U → U = 0.5s / (1 − 0.475k − 0.010625(k+1)).
    /// Reported values add B/2 to R and U.
    func testOneRepoOneDeveloperByHand() {
        let result = OpenRank.compute(pairs: [Key(repo: 1, developer: 10): counts(pulls: 1)], carried: noCarry, tolerance: 1e-13)
        let s = 1 / (1 + exp(0.10425 * (44.08 - 40.679)))
        let k = 0.679875 / 0.985125
        let u = 0.5 * s / (1 - 0.475 * k - 0.010625 * (k + 1))
        let r = k * u
        let b = 0.0425 * (r + u)
        XCTAssertEqual(result.repos[1]!, r + b / 2, accuracy: 1e-9)
        XCTAssertEqual(result.developers[10]!, u + b / 2, accuracy: 1e-9)
        XCTAssertLessThan(result.residual, 1e-13)
        // The default tolerance (1e-8 per round) lands within 1e-7 of the fixed point.
        let quick = OpenRank.compute(pairs: [Key(repo: 1, developer: 10): counts(pulls: 1)], carried: noCarry)
        XCTAssertEqual(quick.repos[1]!, r + b / 2, accuracy: 1e-7)
    }

    /// Ids are numbered in order of first appearance, however many and whatever their value
    /// (the table grows past its first size; Int64.min, its empty mark, is kept aside).
    func testIDNumbering() {
        var numbering = OpenRank.IDNumbering(expected: 4)
        var ids: [Int64] = []
        var random = SystemRandomNumberGenerator()
        var expected: [Int64: Int32] = [:]
        var order: [Int64] = []
        let pool = (0..<5_000).map { _ in Int64.random(in: Int64.min...Int64.max, using: &random) } + [0, -1, Int64.min, Int64.max]
        for _ in 0..<40_000 {
            let id = pool.randomElement(using: &random)!
            if expected[id] == nil { expected[id] = Int32(order.count); order.append(id) }
            XCTAssertEqual(numbering.number(id, &ids), expected[id])
        }
        XCTAssertEqual(ids, order)
    }

    /// The edges in any order give the same values (to rounding: sums run in another order),
    /// and the same edges in the same order give the same bits, run after run.
    func testEdgeOrderAndDeterminism() {
        var random = SystemRandomNumberGenerator()
        var pairs: [Key: Counts] = [:]
        for _ in 0..<3_000 {
            pairs[Key(repo: Int64.random(in: 1...200, using: &random), developer: Int64.random(in: 1...900, using: &random))] =
                counts(issues: Int.random(in: 0...2, using: &random), comments: Int.random(in: 0...5, using: &random), pushes: Int.random(in: 0...3, using: &random))
        }
        let sorted = OpenRank.compute(pairs: pairs, carried: noCarry, tolerance: 1e-12)
        XCTAssertEqual(OpenRank.compute(pairs: pairs, carried: noCarry, tolerance: 1e-12).repos, sorted.repos)
        var shuffled = OpenRank.Edges()
        for (key, c) in pairs.shuffled(using: &random) { shuffled.add(repo: key.repo, developer: key.developer, counts: c) }
        let other = OpenRank.compute(edges: shuffled, carried: noCarry, tolerance: 1e-12)
        XCTAssertGreaterThan(sorted.repos.count, 100)
        XCTAssertEqual(Set(other.repos.keys), Set(sorted.repos.keys))
        XCTAssertEqual(Set(other.developers.keys), Set(sorted.developers.keys))
        for (id, v) in sorted.repos { XCTAssertEqual(other.repos[id]!, v, accuracy: 1e-10 * max(1, v)) }
        for (id, v) in sorted.developers { XCTAssertEqual(other.developers[id]!, v, accuracy: 1e-10 * max(1, v)) }
    }

    /// Two repositories and three developers, against a dense solve of the same equations
    /// built straight from §4's wording (no shared code with the sparse iteration).
    func testTwoReposThreeDevelopersAgainstDenseSolve() {
        let pairs: [Key: Counts] = [
            Key(repo: 1, developer: 10): counts(issues: 2, comments: 3, pushes: 4),
            Key(repo: 1, developer: 11): counts(reviews: 2, pulls: 1),
            Key(repo: 2, developer: 11): counts(comments: 1, closed: 1),
            Key(repo: 2, developer: 12): counts(issues: 1, pullsClosed: 1, pushes: 2),
            Key(repo: 2, developer: 13): counts(pushes: 5), // pushes alone: not a pair
        ]
        let carriedRepo2 = 0.4
        let result = OpenRank.compute(pairs: pairs, carried: { $0 == OpenRank.NodeKey(.repo, 2) ? carriedRepo2 : 0 }, tolerance: 1e-13)
        XCTAssertNil(result.developers[13], "a developer who only pushed is not in the graph")
        XCTAssertEqual(result.repos.count, 2)
        XCTAssertEqual(result.developers.count, 3)

        // Dense reference. Nodes: r1, r2, u10, u11, u12, B.
        let dense = Self.denseOpenRank(pairs, carried: [OpenRank.NodeKey(.repo, 2): carriedRepo2])
        XCTAssertEqual(dense.count, 5)
        for (node, v) in dense {
            XCTAssertEqual(node.kind == .repo ? result.repos[node.id]! : result.developers[node.id]!, v, accuracy: 1e-8)
        }
        func a(_ c: Counts) -> Double {
            (22.235 * Double(c.issuesOpened) + 5.252 * Double(c.issueComments) + 9.712 * Double(c.issuesClosed)
                + 7.427 * Double(c.reviewComments) + 40.679 * Double(c.pullsOpened) + 14.695 * Double(c.pushes))
        }
        let edges: [(Int, Int, Double)] = [(0, 2, a(pairs[Key(repo: 1, developer: 10)]!)), (0, 3, a(pairs[Key(repo: 1, developer: 11)]!)),
                                           (1, 3, a(pairs[Key(repo: 2, developer: 11)]!)), (1, 4, a(pairs[Key(repo: 2, developer: 12)]!))]
        let n = 6
        var w = [[Double]](repeating: [Double](repeating: 0, count: n), count: n) // w[from][to]
        var total = [Double](repeating: 0, count: n)
        for (r, u, x) in edges { total[r] += x; total[u] += x }
        for (r, u, x) in edges { w[r][u] = 0.95 * x / total[r]; w[u][r] = 0.95 * x / total[u] }
        for i in 0..<5 { w[i][5] = 0.05; w[5][i] = 1.0 / 5 }
        let rho = [0.3, 0.3, 0.5, 0.5, 0.5, 0.15]
        var initial = [0, carriedRepo2, 0, 0, 0, 0.0]
        for u in 2...4 { initial[u] = 1 / (1 + exp(0.10425 * (44.08 - total[u]))) }
        // (I − diag(1−ρ)·Wᵀ) x = ρ·init
        var m = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n)
        for i in 0..<n {
            for j in 0..<n { m[i][j] = (i == j ? 1 : 0) - (1 - rho[i]) * w[j][i] }
            m[i][n] = rho[i] * initial[i]
        }
        for c in 0..<n { // Gauss–Jordan
            let p = (c..<n).max { abs(m[$0][c]) < abs(m[$1][c]) }!
            m.swapAt(c, p)
            for r in 0..<n where r != c {
                let f = m[r][c] / m[c][c]
                for k in c...n { m[r][k] -= f * m[c][k] }
            }
        }
        let x = (0..<n).map { m[$0][n] / m[$0][$0] }
        let lift = x[5] / 5
        XCTAssertEqual(result.repos[1]!, x[0] + lift, accuracy: 1e-8)
        XCTAssertEqual(result.repos[2]!, x[1] + lift, accuracy: 1e-8)
        XCTAssertEqual(result.developers[10]!, x[2] + lift, accuracy: 1e-8)
        XCTAssertEqual(result.developers[11]!, x[3] + lift, accuracy: 1e-8)
        XCTAssertEqual(result.developers[12]!, x[4] + lift, accuracy: 1e-8)
    }

    /// §4 solved directly: build the full matrix from the wording of the spec (pairs with a
    /// collaboration event, no pruning needed for small graphs) and run Gauss–Jordan.
    static func denseOpenRank(_ pairs: [Key: Counts], carried: [OpenRank.NodeKey: Double]) -> [OpenRank.NodeKey: Double] {
        let edges = pairs.filter { $0.value.isCollaboration && $0.value.activity > 0 }.sorted { ($0.key.repo, $0.key.developer) < ($1.key.repo, $1.key.developer) }
        let repos = Array(Set(edges.map(\.key.repo))).sorted(), devs = Array(Set(edges.map(\.key.developer))).sorted()
        let nodes = repos.map { OpenRank.NodeKey(.repo, $0) } + devs.map { OpenRank.NodeKey(.developer, $0) }
        let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1, $0) })
        let n = nodes.count + 1, bg = n - 1
        var w = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var total = [Double](repeating: 0, count: n)
        for e in edges {
            let r = index[OpenRank.NodeKey(.repo, e.key.repo)]!, u = index[OpenRank.NodeKey(.developer, e.key.developer)]!
            total[r] += e.value.activity; total[u] += e.value.activity
        }
        for e in edges {
            let r = index[OpenRank.NodeKey(.repo, e.key.repo)]!, u = index[OpenRank.NodeKey(.developer, e.key.developer)]!
            w[r][u] = 0.95 * e.value.activity / total[r]; w[u][r] = 0.95 * e.value.activity / total[u]
        }
        for i in 0..<bg { w[i][bg] = 0.05; w[bg][i] = 1.0 / Double(n - 1) }
        let rho = nodes.map { $0.kind == .repo ? 0.3 : 0.5 } + [0.15]
        let initial = nodes.map { node in (carried[node] ?? 0) + (node.kind == .developer ? 1 / (1 + exp(0.10425 * (44.08 - total[index[node]!]))) : 0) } + [0]
        var m = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n)
        for i in 0..<n {
            for j in 0..<n { m[i][j] = (i == j ? 1 : 0) - (1 - rho[i]) * w[j][i] }
            m[i][n] = rho[i] * initial[i]
        }
        for c in 0..<n {
            let p = (c..<n).max { abs(m[$0][c]) < abs(m[$1][c]) }!
            m.swapAt(c, p)
            for r in 0..<n where r != c && m[r][c] != 0 {
                let f = m[r][c] / m[c][c]
                for k in c...n { m[r][k] -= f * m[c][k] }
            }
        }
        let x = (0..<n).map { m[$0][n] / m[$0][$0] }
        return Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1, x[$0] + x[bg] / Double(n - 1)) })
    }

    func testDeveloperOnMoreThan300ReposIsRemoved() {
        var pairs: [Key: Counts] = [:]
        for repo in 1...301 { pairs[Key(repo: Int64(repo), developer: 99)] = counts(comments: 1) }
        pairs[Key(repo: 1, developer: 10)] = counts(issues: 1)
        let result = OpenRank.compute(pairs: pairs, carried: noCarry)
        XCTAssertNil(result.developers[99])
        XCTAssertEqual(Set(result.repos.keys), [1], "repos left with no pair are gone too")
        XCTAssertEqual(Set(result.developers.keys), [10])

        pairs[Key(repo: 301, developer: 99)] = nil // 300 repos: allowed
        XCTAssertNotNil(OpenRank.compute(pairs: pairs, carried: noCarry).developers[99])
    }

    func testCarriedValueDecays() {
        let m = Month(year: 2024, month: 1)
        XCTAssertEqual(OpenRank.carried(value: 2, from: m, to: m + 3), 2 * 0.85 * 0.85 * 0.85, accuracy: 1e-12)
        XCTAssertEqual(OpenRank.carried(value: 0.011, from: m, to: m + 1), 0, "0.00935 is below 0.01: dropped")
        XCTAssertEqual(OpenRank.PairCounts().activity, 0)
        XCTAssertEqual(counts(issues: 1, comments: 1).activity, 27.487)
    }
}

/// OpenRank through the store: carried values across months, bots, `[snyk]`, incremental runs.
final class OpenRankRunnerTests: StoreTestCase {    let alice: (Int64, String) = (1, "alice"), bob: (Int64, String) = (2, "bob"), bot: (Int64, String) = (3, "helper[bot]")
    let carol: (Int64, String) = (4, "carol"), dave: (Int64, String) = (5, "dave")
    let repo: (Int64, String) = (100, "octo/widgets"), other: (Int64, String) = (200, "octo/other")


    func issue(_ id: Int64, _ who: (Int64, String), _ r: (Int64, String), _ at: String, title: String = "bug") -> String {
        EventJSON.issuesEvent("opened", issue: EventJSON.issue(id: id, number: Int(id), author: who, title: title), actor: who, repo: r, at: at)
    }

    func testReturningNodeCarriesItsDecayedValue() throws {
        try ingest([issue(1, alice, repo, "2024-01-10T00:00:00Z")], name: "2024-01-10-0.json")
        try ingest([issue(2, bob, other, "2024-02-10T00:00:00Z")], name: "2024-02-10-0.json")
        try ingest([issue(3, alice, repo, "2024-04-10T00:00:00Z")], name: "2024-04-10-0.json")
        let runner = OpenRankRunner(store: store)
        try runner.run(try runner.plan())
        let series = try store.openRank(.repo, id: repo.0)
        XCTAssertEqual(Set(series.keys), [Month(year: 2024, month: 1), Month(year: 2024, month: 4)], "no value in months it was not active")
        let january = try XCTUnwrap(series[Month(year: 2024, month: 1)])
        let aliceJanuary = try XCTUnwrap(try store.openRank(.developer, id: alice.0)[Month(year: 2024, month: 1)])
        // April is January's graph again, starting from January's values decayed three months.
        let expected = OpenRank.compute(pairs: [OpenRank.PairKey(repo: repo.0, developer: alice.0): {
            var c = OpenRank.PairCounts(); c.issuesOpened = 1; return c }()], carried: { node in
            node.kind == .repo ? january * pow(0.85, 3) : aliceJanuary * pow(0.85, 3)
        })
        XCTAssertEqual(series[Month(year: 2024, month: 4)]!, expected.repos[repo.0]!, accuracy: 1e-9)
        XCTAssertGreaterThan(series[Month(year: 2024, month: 4)]!, january, "it starts from more than nothing")
    }

    /// `[snyk]` is left out event by event (spec §4.1, changed 2026-11-24): an issue opened with
    /// a `[snyk]` title and closed after it was renamed counts its close, not its opening.
    func testSnykIsLeftOutEventByEvent() throws {
        let snykIssue = EventJSON.issue(id: 7, number: 7, author: bob, title: "[snyk] Fix for 3 vulnerabilities")
        let renamed = EventJSON.issue(id: 7, number: 7, author: bob, title: "Upgrade lodash")
        // The close comes first in the file: the order of events must not matter.
        try ingest([EventJSON.issuesEvent("closed", issue: renamed, actor: carol, repo: repo, at: "2024-02-11T00:00:00Z"),
                    EventJSON.issuesEvent("opened", issue: snykIssue, actor: bob, repo: repo, at: "2024-02-10T00:00:00Z"),
                    EventJSON.issuesEvent("closed", issue: snykIssue, actor: dave, repo: repo, at: "2024-02-12T00:00:00Z"),
                    // Closed again by carol with the snyk title: her close still counts, once.
                    EventJSON.issuesEvent("closed", issue: snykIssue, actor: carol, repo: repo, at: "2024-02-13T00:00:00Z")],
                   name: "snyk-2024-02.json")
        var excluded: [FactCount] = []
        try store.factCounts(month: Month(year: 2024, month: 2), kinds: [.issueOpened, .issueClosed], platforms: .github, excludedOnly: true) { excluded.append($0) }
        XCTAssertEqual(Set(excluded.map { "\($0.actor) \($0.kind)" }), ["\(bob.0) issueOpened", "\(dave.0) issueClosed"])
    }

    func testBotsAndSnykAreLeftOut() throws {
        try ingest([
            issue(1, alice, repo, "2024-01-10T00:00:00Z"),
            issue(2, bot, repo, "2024-01-10T00:00:01Z"),
            issue(3, bob, repo, "2024-01-10T00:00:02Z", title: "[Snyk] Upgrade lodash"),
            EventJSON.issueComment(commentID: 50, issue: EventJSON.issue(id: 3, number: 3, author: bob, title: "[Snyk] Upgrade lodash"),
                                   actor: bob, repo: repo, at: "2024-01-10T00:00:03Z"),
        ], name: "2024-01-10-0.json")
        let runner = OpenRankRunner(store: store)
        try runner.run(try runner.plan())
        let devs = try store.openRank(.developer, months: Month(year: 2024, month: 1)...Month(year: 2024, month: 1))
        XCTAssertEqual(Set(devs.keys), [alice.0], "the bot and bob's [snyk]-only activity are left out")
        // The other metrics keep them.
        let m = try MetricsEngine(store: store).metrics(for: try XCTUnwrap(try store.repository(named: repo.1)))
        XCTAssertEqual(m.value(.issuesNew, Period("2024-01")!), 3)

        let withBots = OpenRankRunner(store: store, includeBots: true)
        try withBots.run(try withBots.plan(from: Month(year: 2024, month: 1), force: true))
        let all = try store.openRank(.developer, months: Month(year: 2024, month: 1)...Month(year: 2024, month: 1))
        XCTAssertEqual(Set(all.keys), [alice.0, bot.0])
    }

    /// The real sample (800 events, 2021-07): the stored values against a dense solve of the
    /// same month's graph, built from the counts the store gives.
    func testRealSampleAgainstDenseSolve() throws {
        let sample = try sharedData("data/gharchive/2021-07-21-06_09.sample.json.gz")
        XCTAssertEqual(GHArchiveImporter(store: store).importFiles([sample.path]).imported, 1)
        let runner = OpenRankRunner(store: store)
        try runner.run(try runner.plan())
        let month = Month(year: 2021, month: 7)
        let pairs = try runner.pairCounts(month: month, bots: try store.accounts(withLoginSuffix: "[bot]"))
        let dense = OpenRankTests.denseOpenRank(pairs, carried: [:])
        let repos = try store.openRank(.repo, months: month...month), devs = try store.openRank(.developer, months: month...month)
        XCTAssertGreaterThan(repos.count, 20)
        XCTAssertEqual(repos.count + devs.count, dense.count)
        for (node, v) in dense {
            let stored = node.kind == .repo ? repos[node.id]?[month] : devs[node.id]?[month]
            XCTAssertEqual(try XCTUnwrap(stored), v, accuracy: 1e-6 * max(1, v))
        }
    }

    func testOnlyChangedMonthsAndLaterOnesAreRecomputed() throws {
        try ingest([issue(1, alice, repo, "2024-01-10T00:00:00Z")], name: "2024-01-10-0.json")
        try ingest([issue(2, alice, repo, "2024-02-10T00:00:00Z")], name: "2024-02-10-0.json")
        try ingest([issue(3, alice, repo, "2024-03-10T00:00:00Z")], name: "2024-03-10-0.json")
        let runner = OpenRankRunner(store: store)
        XCTAssertEqual(try runner.plan().months.count, 3)
        try runner.run(try runner.plan())
        XCTAssertEqual(try runner.plan(), OpenRankRunner.Plan(months: [], upToDate: 3))
        let march = try store.openRank(.repo, id: repo.0)[Month(year: 2024, month: 3)]!

        // The same data again under another file name changes nothing.
        try ingest([issue(2, alice, repo, "2024-02-10T00:00:00Z")], name: "copy-of-2024-02-10-0.json")
        XCTAssertEqual(try runner.plan().months, [])

        // New data for February: February and March again, January untouched.
        try ingest([issue(4, bob, repo, "2024-02-11T00:00:00Z")], name: "2024-02-11-0.json")
        XCTAssertEqual(try runner.plan().months, [Month(year: 2024, month: 2), Month(year: 2024, month: 3)])
        try runner.run(try runner.plan())
        XCTAssertNotEqual(try store.openRank(.repo, id: repo.0)[Month(year: 2024, month: 3)]!, march, "March starts from a different February")

        // A fresh store computing everything at once gives the same values.
        let fresh = try SQLiteStore(path: dir.appendingPathComponent("fresh.db").path)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.map { dir.appendingPathComponent($0).path }
        _ = GHArchiveImporter(store: fresh).importFiles(files)
        let freshRunner = OpenRankRunner(store: fresh)
        try freshRunner.run(try freshRunner.plan())
        let a = try store.openRank(.repo, id: repo.0), b = try fresh.openRank(.repo, id: repo.0)
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted())
        for (k, v) in a { XCTAssertEqual(v, b[k]!, accuracy: 1e-9) }
    }
}
