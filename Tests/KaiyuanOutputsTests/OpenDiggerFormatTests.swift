import KaiyuanCore
import KaiyuanIngest
import KaiyuanMetrics
import KaiyuanPeople
import KaiyuanStore
@testable import KaiyuanOutputs
import TestSupport
import XCTest

final class OpenDiggerFormatTests: XCTestCase {
    func series(_ values: [String: Double]) -> MetricSeries {
        Dictionary(uniqueKeysWithValues: values.map { (Period($0.key)!, $0.value) })
    }

    func testLineCountsAreNotRepairedForOctober2021() {
        var m = RepoMetrics(repo: RepoRef(id: 1, name: "a/b"))
        let values = series(["2021-09": 10, "2021-10": 1, "2021-11": 30])
        m.scalars[.codeChangeLinesAdd] = values
        m.scalars[.issueComments] = values
        let files = Dictionary(uniqueKeysWithValues: OpenDiggerFormat.files(for: m).map { ($0.name, $0.json) })
        XCTAssertEqual(files["code_change_lines_add.json"], #"{"2021-09":10,"2021-10":1,"2021-11":30}"#)
        // 0.15·Aug (= Dec, missing: 0) + 0.35·10 + 0.35·30 + 0.15·0 = 14
        XCTAssertEqual(files["issue_comments.json"], #"{"2021-09":10,"2021-10":14,"2021-11":30,"2021-10-raw":1}"#)
    }

    func testRoundingZerosAndKeys() {
        let object = OpenDiggerFormat.scalarObject(series(["2024": 12.345, "2024Q1": 0.004, "2024-01": 3.0, "2024-02": 0]))
        XCTAssertEqual(object, ["2024": 12.35, "2024-01": 3], "0.004 rounds to 0 and is left out, like an exact 0")
        XCTAssertEqual(OpenDiggerFormat.scalarObject(series(["2024-01": 0])), [:], "input but no non-zero value: {}")
        XCTAssertNil(OpenDiggerFormat.scalarObject(series([:])), "no input, no file")
        // Years, months, the raw October 2021 value, quarters (spec §2, changed 2026-11-24).
        XCTAssertEqual(OpenDiggerFormat.json(["2024-01": 3, "2024": 12.35, "2024Q1": 1.5]), #"{"2024":12.35,"2024-01":3,"2024Q1":1.5}"#)
        XCTAssertEqual(OpenDiggerFormat.json(["2021Q4": 9, "2021-10-raw": 2, "2022-01": 1, "2021": 9, "2021-10": 3, "2022": 1, "2021-12": 4, "2021Q3": 1, "2021-09": 1]),
                       #"{"2021":9,"2022":1,"2021-09":1,"2021-10":3,"2021-12":4,"2022-01":1,"2021-10-raw":2,"2021Q3":1,"2021Q4":9}"#)
    }

    /// OpenDigger's October 2021 repair, worked by hand:
    /// 0.15 × 10 + 0.35 × 20 + 0.35 × 40 + 0.15 × 30 = 1.5 + 7 + 14 + 4.5 = 27.
    func testOctober2021Repair() {
        let object = OpenDiggerFormat.scalarObject(series(["2021-08": 10, "2021-09": 20, "2021-10": 5, "2021-11": 40, "2021-12": 30, "2021": 105]))!
        XCTAssertEqual(object["2021-10"], 27)
        XCTAssertEqual(object["2021-10-raw"], 5)
        XCTAssertEqual(object["2021"], 105, "only the month is repaired")
        // Missing August takes December's value, missing September takes November's:
        // 0.15 × 8 + 0.35 × 6 + 0.35 × 6 + 0.15 × 8 = 1.2 + 2.1 + 2.1 + 1.2 = 6.6 → 7.
        let sparse = OpenDiggerFormat.scalarObject(series(["2021-10": 1, "2021-11": 6, "2021-12": 8]))!
        XCTAssertEqual(sparse["2021-10"], 7)
        // No value in October: nothing to repair.
        XCTAssertNil(OpenDiggerFormat.scalarObject(series(["2021-09": 4]))!["2021-10-raw"])
    }

    func testDetailJSON() {
        let json = OpenDiggerFormat.json(["2024-01": [DetailEntry(login: "李雷", value: 2.885359), DetailEntry(login: "bob\"s", value: 1)]])
        XCTAssertEqual(json, #"{"2024-01":[["李雷",2.89],["bob\"s",1]]}"#)
        XCTAssertEqual(OpenDiggerFormat.json(["2024": [DetailEntry(login: "alice", value: nil)]]), #"{"2024":["alice"]}"#)
    }

    func testDurationJSON() throws {
        var series = DurationSeries()
        series[Period("2024-01")!] = KaiyuanMetrics.DurationStats(days: [1, 2, 3, 4], bounds: [3, 7, 15], unanswered: 2)
        let json = try XCTUnwrap(OpenDiggerFormat.json(series, unanswered: true))
        XCTAssertEqual(json, #"{"avg":{"2024-01":2.5},"levels":{"2024-01":[3,1,0,0]},"quantile_0":{"2024-01":1},"quantile_1":{"2024-01":1.75},"quantile_2":{"2024-01":2.5},"quantile_3":{"2024-01":3.25},"quantile_4":{"2024-01":4},"unanswered":{"2024-01":2}}"#)
        XCTAssertNil(OpenDiggerFormat.json(DurationSeries(), unanswered: false))
    }

    func testTableCSVAndJSON() {
        var t = DataTable(columns: ["repo", "activity"])
        t.rows = [[.text("a/b"), .number(4.77)], [.text("开源/观察,x"), .number(12)]]
        XCTAssertEqual(t.render(.csv), "repo,activity\na/b,4.77\n\"开源/观察,x\",12\n")
        XCTAssertEqual(t.render(.json), "[{\"repo\":\"a/b\",\"activity\":4.77},\n {\"repo\":\"开源/观察,x\",\"activity\":12}]")
        let table = t.render(.table).split(separator: "\n")
        XCTAssertEqual(table.count, 4)
        XCTAssertTrue(table[3].hasSuffix("12"), "numbers are right-aligned")
        XCTAssertEqual(DataTable.width("开源"), 4)
    }

    /// The whole pipeline on the real sample, against an independent reading of the same
    /// events with Foundation's JSON decoder and the definitions of spec/metrics.md §5.
    func testExportOfRealSampleMatchesIndependentCounts() throws {
        let sample = try sharedData("data/gharchive/2021-07-21-06_09.sample.json.gz")
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("k.db").path)
        let summary = GHArchiveImporter(store: store).importFiles([sample.path])
        XCTAssertEqual(summary.events, 800)
        XCTAssertEqual(summary.skippedTotal, 0)

        let writer = try OpenDiggerExportWriter(outputDirectory: dir.appendingPathComponent("out").path)
        try MetricsEngine(store: store).forEachRepository { try writer.write($0) }
        try writer.finish()

        // Independent: decode every event and count per repo name.
        let text = String(decoding: try gunzip(sample), as: UTF8.self)
        var stars: [String: Set<Int>] = [:], forks: [String: Int] = [:], participants: [String: Set<Int>] = [:]
        var opened: [String: Set<Int>] = [:], comments: [String: Int] = [:], added: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let e = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let repo = (e["repo"] as! [String: Any])["name"] as! String
            let actor = (e["actor"] as! [String: Any])["id"] as! Int
            let payload = e["payload"] as? [String: Any] ?? [:]
            switch e["type"] as! String {
            case "WatchEvent": stars[repo, default: []].insert(actor)
            case "ForkEvent": forks[repo, default: 0] += 1
            case "IssueCommentEvent":
                participants[repo, default: []].insert(actor)
                if payload["action"] as? String == "created" { comments[repo, default: 0] += 1 }
            case "IssuesEvent", "PullRequestReviewCommentEvent": participants[repo, default: []].insert(actor)
            case "PullRequestEvent":
                participants[repo, default: []].insert(actor)
                let pr = payload["pull_request"] as! [String: Any]
                if payload["action"] as? String == "opened" { opened[repo, default: []].insert(pr["id"] as! Int) }
                added[repo, default: 0] += pr["additions"] as? Int ?? 0
            default: break
            }
        }
        func exported(_ repo: String, _ metric: String) throws -> Double? {
            let url = dir.appendingPathComponent("out/github/\(repo)/\(metric).json")
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Double]
            XCTAssertEqual(object["2021-07"], object["2021"], "one month of data: the month is the year")
            return object["2021-07"]
        }
        var checked = 0
        for (repo, s) in stars { XCTAssertEqual(try exported(repo, "stars"), Double(s.count), repo); checked += 1 }
        for (repo, n) in forks { XCTAssertEqual(try exported(repo, "technical_fork"), Double(n), repo); checked += 1 }
        for (repo, s) in participants { XCTAssertEqual(try exported(repo, "participants"), Double(s.count), repo); checked += 1 }
        for (repo, s) in opened { XCTAssertEqual(try exported(repo, "change_requests"), Double(s.count), repo); checked += 1 }
        for (repo, n) in comments { XCTAssertEqual(try exported(repo, "issue_comments"), Double(n), repo); checked += 1 }
        for (repo, n) in added where n > 0 { XCTAssertEqual(try exported(repo, "code_change_lines_add"), Double(n), repo); checked += 1 }
        XCTAssertGreaterThan(checked, 150)
        let list = try String(contentsOf: dir.appendingPathComponent("out/github/repo_list.csv"), encoding: .utf8)
        XCTAssertEqual(list.split(separator: "\n").first, "id,repo_name")
        XCTAssertEqual(list.split(separator: "\n").count - 1, writer.repositoriesWritten)
    }

}

/// Two exports of one store, each its own process (and so its own hash seed): the same bytes.
final class ExportDeterminismTests: XCTestCase {
    func testTwoExportsAreByteIdentical() throws {
        let sample = try sharedData("data/gharchive/2021-07-21-06_09.sample.json.gz")
        let nacos = try sharedData("data/gitlog/alibaba__nacos.gitlog.gz")
        let labels = try sharedData("data/labels")
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("k.db").path
        for args in [["ingest", "gharchive", "--store", db, sample.path],
                     ["ingest", "git", "--store", db, "--repo", "github:alibaba/nacos", "--log-file", nacos.path],
                     ["labels", "import", "--store", db, labels.path], ["compute", "openrank", "--store", db]] {
            XCTAssertEqual(try KaiyuanBinary.run(args, in: dir).status, 0, "\(args.prefix(2))")
        }
        let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
        XCTAssertEqual(try KaiyuanBinary.run(["export", "opendigger", "--store", db, "--out", a.path], in: dir).status, 0)
        XCTAssertEqual(try KaiyuanBinary.run(["export", "opendigger", "--store", db, "--out", b.path], in: dir).status, 0)
        let (ta, tb) = (try treeContents(a), try treeContents(b))
        XCTAssertGreaterThan(ta.count, 700)
        XCTAssertEqual(treeDifferences(ta, tb), [])
    }
}

/// Which files (spec §2, changed 2026-11-24): a metric with input but no non-zero value is `{}`.
final class AllZeroFileTests: StoreTestCase {
    func testMetricsWithInputButNoValueAreWrittenAsEmptyObjects() throws {
        let repo: (Int64, String) = (5, "acme/rocket")
        let bot: (Int64, String) = (9, "helper[bot]")
        // One PR by a bot, merged, that changed no lines.
        try ingest([EventJSON.pullRequestEvent("opened", pr: EventJSON.pullRequest(id: 501, number: 1, author: bot, additions: 0, deletions: 0),
                                               actor: bot, repo: repo, at: "2024-03-01T10:00:00Z"),
                    EventJSON.pullRequestEvent("closed", pr: EventJSON.pullRequest(id: 501, number: 1, author: bot, merged: true, additions: 0, deletions: 0),
                                               actor: bot, repo: repo, at: "2024-03-02T10:00:00Z")])
        let m = try MetricsEngine(store: store).metrics(for: XCTUnwrap(store.repository(named: "acme/rocket")))
        let files = Dictionary(uniqueKeysWithValues: OpenDiggerFormat.files(for: m).map { ($0.name, $0.json) })
        XCTAssertEqual(files["code_change_lines_add.json"], "{}")
        XCTAssertEqual(files["code_change_lines_sum.json"], "{}")
        XCTAssertEqual(files["new_contributors.json"], "{}", "the only merged PR is a bot's")
        XCTAssertEqual(files["new_contributors_detail.json"], "{}")
        XCTAssertEqual(files["inactive_contributors.json"], nil, "bots' merges are left out, so no author has input here")
        XCTAssertNotNil(files["change_requests.json"])
        XCTAssertNil(files["stars.json"], "no input, no file")
    }
}

final class ExportNameTests: XCTestCase {
    /// A name too long for the file system skips that repository, with a reason; the rest is written.
    func testANameTooLongForAFileIsSkippedNotFatal() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let writer = try OpenDiggerExportWriter(outputDirectory: dir.path)
        var long = RepoMetrics(repo: RepoRef(id: 1, name: "owner/" + String(repeating: "x", count: 300)))
        long.scalars[.stars] = [Period("2024")!: 1]
        var fine = RepoMetrics(repo: RepoRef(id: 2, name: "owner/fine"))
        fine.scalars[.stars] = [Period("2024")!: 2]
        try writer.write(long)
        try writer.write(fine)
        try writer.finish()
        XCTAssertEqual(writer.repositoriesWritten, 1)
        XCTAssertEqual(writer.skippedNames.count, 1)
        XCTAssertTrue(writer.skippedNames[0].contains("File name too long"), writer.skippedNames[0])
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("github/owner/fine/stars.json"), encoding: .utf8), #"{"2024":2}"#)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("github/repo_list.csv"), encoding: .utf8), "id,repo_name\n2,owner/fine\n")
    }
}

/// §12: meta.json and the root lists, worked by hand.
final class ExportMetaTests: XCTestCase {
    func testMetaAndRootLists() {
        let labels = LabelIndex([
            LabelDefinition(id: ":divisions/CN", type: "Division-0", name: "China", children: [":companies/acme"]),
            LabelDefinition(id: ":companies/acme", type: "Company", name: "Acme", children: [":companies/acme/rocket"],
                            members: [LabelMember(platform: .github, kind: .org, id: nil, name: "acme")]),
            LabelDefinition(id: ":companies/acme/rocket", type: "Project", name: "Rocket",
                            members: [LabelMember(platform: .github, kind: .repo, id: 7, name: "acme/rocket")]),
            LabelDefinition(id: ":divisions/CN/CN-BJ", type: "Division-1", name: "Beijing", children: [":companies/acme"]),
            LabelDefinition(id: ":foundations/apache", type: "Foundation", name: #"Apache "ASF""#,
                            members: [LabelMember(platform: .github, kind: .repo, id: nil, name: "acme/rocket")]),
        ])
        let meta = ExportMeta(updatedAt: 1_700_000_000_000, labels: labels)
        XCTAssertEqual(meta.repo(RepoRef(id: 7, name: "acme/rocket")),
                       #"{"updatedAt":1700000000000,"type":"repo","id":7,"labels":[{"id":":divisions/CN","name":"China","type":"Division-0"},{"id":":foundations/apache","name":"Apache \"ASF\"","type":"Foundation"},{"id":":companies/acme","name":"Acme","type":"Company"},{"id":":companies/acme/rocket","name":"Rocket","type":"Project"}]}"#,
                       "Division-1 is not listed; the order is by type, then id")
        XCTAssertEqual(meta.repo(RepoRef(id: 9, name: "other/thing")), #"{"updatedAt":1700000000000,"type":"repo","id":9}"#)
        XCTAssertEqual(meta.user(id: Platform.gitee.key(42)), #"{"updatedAt":1700000000000,"type":"user","id":42}"#)
        XCTAssertEqual(ExportMeta.rootList(header: "id,platform,repo_name", [(5, .github, "b/b", 1.5), (3, .gitee, "a,a", 2.0), (4, .github, "c/c", 1.5)]),
                       "id,platform,repo_name\n3,gitee,\"a,a\"\n4,github,c/c\n5,github,b/b\n")
        XCTAssertEqual(ExportMeta.latestOpenRank([Period("2024")!: 9, Period("2024-03")!: 2, Period("2024-05")!: 1]), 1)
        XCTAssertEqual(ExportMeta.latestOpenRank([Period("2024-05")!: 1.004999]), 1.0, "the value as openrank.json writes it")
        let a = ExportMeta.latestOpenRank([Period("2024-05")!: 0.1 + 0.2])!, b = ExportMeta.latestOpenRank([Period("2024-05")!: 0.3])!
        XCTAssertEqual(ExportMeta.rootList(header: "h", [(2, .github, "x", a), (1, .github, "y", b)]), "h\n1,github,y\n2,github,x\n",
                       "sums that differ in the last bit are a tie, broken by id")
    }
}
