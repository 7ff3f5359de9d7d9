import Foundation
import KaiyuanCore
import KaiyuanIngest
@testable import KaiyuanMetrics
import KaiyuanStore
@testable import KaiyuanStoreClickHouse
import KaiyuanStores
import TestSupport
import XCTest

/// What only a cluster can get wrong: where rows go, half-written files, nodes that are down
/// or die, and locations that name the wrong thing. And the point of it all: the same export
/// as SQLite, byte for byte.
final class ClickHouseStoreTests: XCTestCase {
    nonisolated(unsafe) static var cluster: ClickHouseCluster?
    nonisolated(unsafe) static var startError: Error?
    var dir: URL!

    override class func setUp() {
        do { cluster = try ClickHouseCluster(nodes: 2) } catch { startError = error }
    }
    override class func tearDown() { cluster?.stop(); cluster = nil }
    override func setUpWithError() throws { dir = try makeTemporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func cluster() throws -> ClickHouseCluster {
        if let e = Self.startError { throw e }
        return try XCTUnwrap(Self.cluster)
    }

    func testRowsLiveOnTheShardTheDistributedTableNames() throws {
        let cluster = try cluster()
        let location = cluster.location(database: "routing")
        let store = try ClickHouseStore(try ClickHouseLocation(parsing: location))
        var delta = FileDelta()
        delta.facts = (1...200).map { Fact(repo: Int64($0) * 7919, kind: .star, month: Month(year: 2025, month: 1), object: 1, actor: 1) }
        delta.finish()
        try store.commit(delta, file: IngestedFile(name: "f", size: 1, events: 200, skippedLines: 0, ingestedAt: 0))
        // Each node holds exactly the repositories ClickHouse's own intHash64 sends to it.
        for k in 1...2 {
            let shards = try cluster.query("SELECT DISTINCT intHash64(repo_id) % 2 FROM routing.facts_local FORMAT TabSeparated", node: k)
            XCTAssertEqual(shards.trimmingCharacters(in: .whitespacesAndNewlines), String(k - 1))
        }
        XCTAssertEqual(try cluster.query("SELECT count() FROM routing.facts FORMAT TabSeparated").trimmingCharacters(in: .whitespacesAndNewlines), "200")
        XCTAssertEqual(try store.summary().repositories, 0)
        XCTAssertEqual(try store.summary().facts, 200)
    }

    func testAFileWithoutItsLedgerRowDoesNotCount() throws {
        let cluster = try cluster()
        let store = try ClickHouseStore(try ClickHouseLocation(parsing: cluster.location(database: "ledger")))
        try store.commit(StoreContract.delta(), file: StoreContract.file("a"))
        let before = try store.summary()
        var reposBefore: [RepoFacts] = []
        try store.forEachRepository(months: nil) { reposBefore.append($0) }
        // What a crash between a file's rows and its ledger row leaves: rows of file "b" on a shard.
        let b = ClickHouseStore.fileID(name: "b", digest: "")
        for (repo, object) in [(Int64(1), 77), (2, 78)] {
            _ = try cluster.query("INSERT INTO ledger.facts_local (repo_id, kind, month, object_id, actor_id, file_id) VALUES (\(repo), 1, 24290, \(object), \(object), \(b))",
                                  node: store.shard(of: repo) + 1)
        }
        XCTAssertEqual(try store.summary().facts, before.facts)
        var reposAfter: [RepoFacts] = []
        try store.forEachRepository(months: nil) { reposAfter.append($0) }
        XCTAssertEqual(reposAfter.map { $0.byKind.values.map(\.count).reduce(0, +) }, reposBefore.map { $0.byKind.values.map(\.count).reduce(0, +) })
        XCTAssertNil(try store.ingestedFile(named: "b"))
        // The re-run stores the file; its facts count once.
        var delta = FileDelta()
        delta.facts = [Fact(repo: 1, kind: .star, month: Month(index: 24290), object: 77, actor: 77)]
        XCTAssertTrue(try store.commit(delta, file: StoreContract.file("b")))
        XCTAssertEqual(try store.summary().facts, before.facts + 2, "both half-written rows now count, once each")
        XCTAssertEqual(try store.summary().files, 2)
    }

    func testErrorsSayWhatToDo() throws {
        let cluster = try cluster()
        let ports = cluster.urls.map { $0.port! }
        func message(_ location: String, readOnly: Bool = false) -> String {
            do { _ = try openStore(try StoreLocation(parsing: location), readOnly: readOnly); return "opened" } catch { return "\(error)" }
        }
        // A port with nothing behind it: the URL is named.
        let dead = message("clickhouse://127.0.0.1:1/kaiyuan")
        XCTAssertTrue(dead.contains("http://127.0.0.1:1/") && dead.contains("does not answer"), dead)
        let unknownCluster = message("clickhouse://127.0.0.1:\(ports[0]),127.0.0.1:\(ports[1])/x?cluster=nosuch")
        XCTAssertTrue(unknownCluster.contains("knows no cluster 'nosuch'"), unknownCluster)
        let oneOfTwo = message("clickhouse://127.0.0.1:\(ports[0])/x?cluster=kaiyuan")
        XCTAssertTrue(oneOfTwo.contains("has 2 shards but the location lists 1 node"), oneOfTwo)
        let missing = message(cluster.location(database: "never_written"), readOnly: true)
        XCTAssertTrue(missing.contains("ingest something first"), missing)
        let newer = cluster.location(database: "from_the_future")
        _ = try ClickHouseStore(try ClickHouseLocation(parsing: newer))
        _ = try cluster.query("INSERT INTO from_the_future.kaiyuan_schema (version, written_at) VALUES (99, 0)")
        XCTAssertTrue(message(newer).contains("newer kaiyuan"), message(newer))
        let r = try KaiyuanBinary.run(["status", "--store", "mysql://h:1/db"], in: dir)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.err.contains("unknown scheme 'mysql'"), r.err)
    }

    /// `rank` takes the §5 count metrics from the store's own aggregation: on both stores it
    /// must equal what the metrics compute from the facts, for every such metric and period kind.
    func testCountsInTheStoreEqualCountsFromFacts() throws {
        let cluster = try cluster()
        let sample = try sharedData("data/gharchive/2021-07-21-06_09.sample.json.gz")
        let db = dir.appendingPathComponent("k.db").path, location = cluster.location()
        for store in [db, location] {
            XCTAssertEqual(try KaiyuanBinary.run(["ingest", "gharchive", "--store", store, sample.path], in: dir).status, 0)
        }
        for opened in [try openStore(.sqlite(path: db), readOnly: true), try openStore(try StoreLocation(parsing: location), readOnly: true)] {
            let engine = MetricsEngine(store: opened)
            var checked = 0
            for period in [Period("2021")!, Period("2021Q3")!, Period("2021-07")!, Period("2021-08")!] {
                for metric in RepoMetric.allCases {
                    guard let pushed = try engine.countedByStore(metric, period) else { continue }
                    var fromFacts: [Int64: Double] = [:]
                    try engine.forEachRepository(kinds: [period.kind], months: period.firstMonth...period.lastMonth, only: [metric]) { m in
                        let v = m.value(metric, period)
                        if v != 0 { fromFacts[m.repo.id] = v }
                    }
                    XCTAssertEqual(pushed.filter { $0.value != 0 }, fromFacts, "\(metric) \(period) on \(opened.location)")
                    if !fromFacts.isEmpty { checked += 1 }
                }
            }
            XCTAssertGreaterThan(checked, 20, "most count metrics have values in the sample's month")
        }
    }

    // MARK: Same numbers

    /// Every input into a store, then OpenRank and the export: what a user does.
    func pipeline(store: String, events: [String], gitLogs: [(repo: String, file: String)], labels: String?, out: URL, hubModels: [String] = []) throws {
        var steps: [[String]] = [["ingest", "gharchive", "--store", store] + events]
        for (repo, file) in gitLogs { steps.append(["ingest", "git", "--store", store, "--repo", repo, "--log-file", file]) }
        for file in hubModels { steps.append(["ingest", "huggingface", "--store", store, "--models-file", file]) }
        if let labels { steps.append(["labels", "import", "--store", store, labels]) }
        steps.append(["compute", "openrank", "--store", store])
        steps.append(["export", "opendigger", "--store", store, "--out", out.path])
        for args in steps {
            let r = try KaiyuanBinary.run(args, in: dir)
            XCTAssertEqual(r.status, 0, "\(args.prefix(2)): \(r.err)")
        }
    }

    func assertSameExport(events: [String], gitLogs: [(repo: String, file: String)], labels: String?, minimumFiles: Int, hubModels: [String] = []) throws {
        let cluster = try cluster()
        let a = dir.appendingPathComponent("sqlite"), b = dir.appendingPathComponent("clickhouse")
        try pipeline(store: dir.appendingPathComponent("k.db").path, events: events, gitLogs: gitLogs, labels: labels, out: a, hubModels: hubModels)
        try pipeline(store: cluster.location(), events: events, gitLogs: gitLogs, labels: labels, out: b, hubModels: hubModels)
        let (ta, tb) = (try treeContents(a), try treeContents(b))
        XCTAssertGreaterThan(ta.count, minimumFiles)
        XCTAssertEqual(treeDifferences(ta, tb), [])
    }

    func testSameExportAsSQLiteOnTheRealSample() throws {
        let sample = try sharedData("data/gharchive/2021-07-21-06_09.sample.json.gz")
        let nacos = try sharedData("data/gitlog/alibaba__nacos.gitlog.gz"), deepseek = try sharedData("data/gitlog/deepseek-ai__DeepSeek-V3.gitlog.gz")
        let labels = try sharedData("data/labels")
        let hub = try HubFixtures.snapshots(from: try sharedData("data/huggingface/models-2022.jsonl.gz"), in: dir)
        try assertSameExport(events: [sample.path], gitLogs: [("github:alibaba/nacos", nacos.path), ("github:deepseek-ai/DeepSeek-V3", deepseek.path)],
                             labels: labels.path, minimumFiles: 700, hubModels: hub)
        // The first model of the listing has one derivative in the second snapshot only (the
        // first carries no base_model tag at all: missing, not 0).
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("clickhouse/huggingface/007J/smile/derivatives.json"), encoding: .utf8),
                       #"{"2022":1,"2022-03":1,"2022Q1":1}"#)
    }

    func testSameExportAsSQLiteOnGeneratedMonths() throws {
        // Months on both sides of the October 2021 repair, a quarter and a year boundary.
        var files: [String] = []
        for (i, hour) in ["2021-09-14-3", "2021-10-02-11", "2021-10-30-23", "2021-12-31-23", "2022-01-05-8", "2022-03-20-16"].enumerated() {
            let path = dir.appendingPathComponent("\(hour).json.gz").path
            try GeneratedInput.hour(events: 4000, seed: i + 3, to: path)
            files.append(path)
        }
        let log = dir.appendingPathComponent("gen.gitlog.gz").path
        try GeneratedInput.gitLog(commits: 3000, authors: 150, seed: 9, to: log)
        try assertSameExport(events: files, gitLogs: [("gitee:gen/history", log)], labels: nil, minimumFiles: 2000)
    }

    /// A laptop's store moved to the cluster: stopped half-way, resumed, and then it gives the
    /// same export as the laptop; copied back, the same again.
    func testStoreCopyResumesAndGivesTheSameExport() throws {
        let cluster = try cluster()
        let sample = try sharedData("data/gharchive/2021-07-21-06_09.sample.json.gz")
        let deepseek = try sharedData("data/gitlog/deepseek-ai__DeepSeek-V3.gitlog.gz")
        let db = dir.appendingPathComponent("laptop.db").path
        let a = dir.appendingPathComponent("laptop"), b = dir.appendingPathComponent("cluster"), c = dir.appendingPathComponent("back")
        let hub = try HubFixtures.snapshots(from: try sharedData("data/huggingface/models-2022.jsonl.gz"), in: dir)
        try pipeline(store: db, events: [sample.path], gitLogs: [("github:deepseek-ai/DeepSeek-V3", deepseek.path)], labels: nil, out: a, hubModels: hub)

        let location = cluster.location()
        let source = try openStore(.sqlite(path: db), readOnly: true), target = try openStore(try StoreLocation(parsing: location), readOnly: false)
        var copier = StoreCopier(from: source, to: target)
        copier.chunkFacts = 100
        struct Stop: Error {}
        XCTAssertThrowsError(try copier.run { p in if p.stage == "facts" && p.done == 300 { throw Stop() } })
        let resumed = try copier.run()
        XCTAssertGreaterThan(resumed.chunksAlreadyThere, 2, "the chunks committed before the stop are not copied again")
        XCTAssertGreaterThan(resumed.chunksCopied, 2)
        XCTAssertEqual(resumed.commitsAdded, 73)
        XCTAssertEqual(resumed.hubSnapshots, 2)
        let again = try copier.run()
        XCTAssertEqual(again.chunksCopied, 0)
        XCTAssertEqual(try target.summary().files, try source.summary().files)
        XCTAssertEqual(try target.ingestedEvents(), try source.ingestedEvents())

        let status = try KaiyuanBinary.run(["compute", "openrank", "--store", location], in: dir)
        XCTAssertTrue(status.out.contains("up to date"), "copied OpenRank counts as current: \(status.out)")
        XCTAssertEqual(try KaiyuanBinary.run(["export", "opendigger", "--store", location, "--out", b.path], in: dir).status, 0)
        let back = dir.appendingPathComponent("back.db").path
        let copyBack = try KaiyuanBinary.run(["store", "copy", "--from", location, "--to", back], in: dir)
        XCTAssertEqual(copyBack.status, 0, copyBack.err)
        XCTAssertEqual(try KaiyuanBinary.run(["export", "opendigger", "--store", back, "--out", c.path], in: dir).status, 0)
        let (ta, tb, tc) = (try treeContents(a), try treeContents(b), try treeContents(c))
        XCTAssertGreaterThan(ta.count, 700)
        XCTAssertEqual(treeDifferences(ta, tb), [])
        XCTAssertEqual(treeDifferences(ta, tc), [])
    }

    /// The importer killed (SIGKILL) half-way into the cluster: only whole files count, and
    /// the re-run gives the export of a clean run.
    func testAKilledImportLosesNothingCommitted() throws {
        let cluster = try cluster()
        let files = try GeneratedInput.hours(6, events: 3000, seed: 8, from: "2025-04-30", in: dir.appendingPathComponent("hours"))
        let location = cluster.location()
        let ingest = Process()
        ingest.executableURL = try KaiyuanBinary.require()
        ingest.arguments = ["ingest", "gharchive", "--store", location] + files
        ingest.standardOutput = FileHandle.nullDevice
        ingest.standardError = FileHandle.nullDevice
        try ingest.run()
        let store = try ClickHouseStore(try ClickHouseLocation(parsing: location))
        let deadline = Date().addingTimeInterval(60)
        while (try? store.summary().files) ?? 0 < 2 && Date() < deadline && ingest.isRunning { usleep(10_000) }
        kill(ingest.processIdentifier, SIGKILL)
        ingest.waitUntilExit()
        let committed = try store.summary().files
        XCTAssertLessThan(committed, 6, "killed before the end")
        XCTAssertEqual(try store.ingestedEvents(), committed * 3000, "only whole files are counted")
        XCTAssertEqual(try KaiyuanBinary.run(["ingest", "gharchive", "--store", location] + files, in: dir).status, 0)
        let a = dir.appendingPathComponent("clean"), b = dir.appendingPathComponent("resumed")
        try pipeline(store: dir.appendingPathComponent("clean.db").path, events: files, gitLogs: [], labels: nil, out: a)
        XCTAssertEqual(try KaiyuanBinary.run(["compute", "openrank", "--store", location], in: dir).status, 0)
        XCTAssertEqual(try KaiyuanBinary.run(["export", "opendigger", "--store", location, "--out", b.path], in: dir).status, 0)
        let (ta, tb) = (try treeContents(a), try treeContents(b))
        XCTAssertGreaterThan(ta.count, 500)
        XCTAssertEqual(treeDifferences(ta, tb), [])
    }

    /// A node killed while files are being ingested: the files not fully committed are
    /// reported, the node comes back, the same command finishes the job, and the export is
    /// what a clean run gives.
    func testANodeKilledMidIngestLosesNothing() throws {
        let cluster = try cluster()
        let files = try GeneratedInput.hours(6, events: 3000, seed: 4, from: "2025-02-28", in: dir.appendingPathComponent("hours"))
        XCTAssertEqual(files.count, 6)

        let location = cluster.location()
        let ingest = Process()
        ingest.executableURL = try KaiyuanBinary.require()
        ingest.arguments = ["ingest", "gharchive", "--store", location] + files
        let errURL = dir.appendingPathComponent("ingest.err")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        ingest.standardError = try FileHandle(forWritingTo: errURL)
        ingest.standardOutput = FileHandle.nullDevice
        try ingest.run()
        // Once some files are in, kill the second shard.
        let store = try ClickHouseStore(try ClickHouseLocation(parsing: location))
        let deadline = Date().addingTimeInterval(60)
        while (try? store.summary().files) ?? 0 < 2 && Date() < deadline && ingest.isRunning { usleep(20_000) }
        try cluster.kill(node: 2)
        ingest.waitUntilExit()
        let err = try String(contentsOf: errURL, encoding: .utf8)
        try cluster.restart(node: 2)
        let committed = try store.summary().files
        XCTAssertLessThan(committed, 6, "the node died before the import was done")
        XCTAssertNotEqual(ingest.terminationStatus, 0)
        XCTAssertTrue(err.contains("127.0.0.1:\(cluster.urls[1].port!)"), "the error names the node: \(err)")
        let rerun = try KaiyuanBinary.run(["ingest", "gharchive", "--store", location] + files, in: dir)
        XCTAssertEqual(rerun.status, 0, rerun.err)
        XCTAssertEqual(try store.summary().files, 6)

        let a = dir.appendingPathComponent("clean"), b = dir.appendingPathComponent("recovered")
        try pipeline(store: dir.appendingPathComponent("clean.db").path, events: files, gitLogs: [], labels: nil, out: a)
        XCTAssertEqual(try KaiyuanBinary.run(["compute", "openrank", "--store", location], in: dir).status, 0)
        XCTAssertEqual(try KaiyuanBinary.run(["export", "opendigger", "--store", location, "--out", b.path], in: dir).status, 0)
        let (ta, tb) = (try treeContents(a), try treeContents(b))
        XCTAssertGreaterThan(ta.count, 1000)
        XCTAssertEqual(treeDifferences(ta, tb), [])
    }
}

/// Every statement the ClickHouse store sends, replayed on current ClickHouse (chDB,
/// in-process): the SQL must work on Debian's 18.16, which the other tests run on, and on
/// today's ClickHouse alike.
final class ClickHouseSQLOnCurrentClickHouseTests: XCTestCase {
    func testEveryStatementAlsoRunsOnChDB() throws {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import chdb"]
        check.standardError = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        if check.terminationStatus != 0 {
            let message = "chdb is not installed (pip install chdb): the SQL was not checked on current ClickHouse"
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("under CI=true: \(message)") }
            throw XCTSkip(message)
        }
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("sql.jsonl")
        let cluster = try ClickHouseCluster(nodes: 2)
        defer { cluster.stop() }
        // The CLI, in child processes that log what they send: every kind of statement.
        let location = cluster.location()
        let sample = try sharedData("data/gharchive/2021-07-21-06_09.sample.json.gz")
        let deepseek = try sharedData("data/gitlog/deepseek-ai__DeepSeek-V3.gitlog.gz")
        let labels = try sharedData("data/labels")
        let db = dir.appendingPathComponent("k.db").path
        for args in [["ingest", "gharchive", "--store", db, sample.path],
                     ["store", "copy", "--from", db, "--to", location],
                     ["ingest", "git", "--store", location, "--repo", "github:deepseek-ai/DeepSeek-V3", "--log-file", deepseek.path],
                     ["labels", "import", "--store", location, labels.path],
                     ["labels", "add-domain", "--store", location, "example.cn", "--organisation", "Example"],
                     ["compute", "openrank", "--store", location, "--force", "--platforms", "github,gitee"],
                     ["compute", "openrank", "--store", location],
                     ["status", "--store", location],
                     ["rank", "repos", "--store", location, "--by", "openrank"],
                     ["show", "dev", "--store", location, "--period", "year", "aws-connector-for-github[bot]"],
                     ["show", "people", "--store", location, "github:deepseek-ai/DeepSeek-V3"],
                     ["export", "opendigger", "--store", location, "--out", dir.appendingPathComponent("out").path],
                     ["store", "copy", "--from", location, "--to", dir.appendingPathComponent("back.db").path]] {
            let p = Process()
            p.executableURL = try KaiyuanBinary.require()
            p.arguments = args
            p.environment = ProcessInfo.processInfo.environment.merging(["KAIYUAN_CLICKHOUSE_LOG": log.path]) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "\(args.prefix(2))")
        }
        let replay = Process()
        replay.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        replay.arguments = ["python3", packageRoot.appendingPathComponent("bench/chdb_check.py").path, log.path]
        let out = Pipe()
        replay.standardOutput = out
        try replay.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        replay.waitUntilExit()
        XCTAssertEqual(replay.terminationStatus, 0, text)
        XCTAssertTrue(text.contains(" 0 failed"), text)
    }
}
