import Foundation
import TestSupport
import XCTest

/// The README's first command, and the data commands' formats, run as a user runs them.
final class CommandLineTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try makeTemporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func kaiyuan(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let binary = packageRoot.appendingPathComponent(".build/debug/kaiyuan")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("\(binary.path) is not built; `swift build` first")
        }
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = dir
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func testFixturesIngestRankShowExport() throws {
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("Tests/Fixtures/gharchive").path)
            .filter { $0.hasSuffix(".json.gz") }.sorted()
            .map { packageRoot.appendingPathComponent("Tests/Fixtures/gharchive/\($0)").path }
        XCTAssertEqual(fixtures.count, 3)

        let ingest = try kaiyuan(["ingest", "gharchive"] + fixtures)
        XCTAssertEqual(ingest.status, 0, ingest.err)
        XCTAssertTrue(ingest.out.contains("3 files imported; 240 events"), ingest.out)
        XCTAssertTrue(ingest.out.contains("0 lines skipped"), ingest.out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("kaiyuan.db").path), "the default store is ./kaiyuan.db")

        let again = try kaiyuan(["ingest", "gharchive"] + fixtures)
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.out.contains("3 already ingested"), again.out)

        let rank = try kaiyuan(["rank", "repos", "--by", "activity", "--period", "2024", "--format", "csv"])
        XCTAssertEqual(rank.status, 0, rank.err)
        let rows = rank.out.split(separator: "\n")
        XCTAssertEqual(rows.first, "rank,repo,activity")
        XCTAssertEqual(rows.count, 4, rank.out)

        let show = try kaiyuan(["show", "repo", "kaiyuan-demo/observatory", "--period", "quarter", "--metric", "stars", "--format", "json"])
        XCTAssertEqual(show.status, 0, show.err)
        let parsed = try JSONSerialization.jsonObject(with: Data(show.out.utf8)) as! [[String: Any]]
        XCTAssertEqual(parsed.map { $0["quarter"] as! String }, ["2024Q1", "2024Q2"])

        let missing = try kaiyuan(["show", "repo", "nobody/nothing"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.err.contains("no repository named nobody/nothing"), missing.err)

        let export = try kaiyuan(["export", "opendigger", "--out", "out"])
        XCTAssertEqual(export.status, 0, export.err)
        let activity = dir.appendingPathComponent("out/github/kaiyuan-demo/observatory/activity.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: activity)) as! [String: Double]
        XCTAssertEqual(Set(object.keys), ["2024", "2024Q1", "2024Q2", "2024-03", "2024-04", "2024-05"])
    }

    func testSkippedLinesGiveExitStatusTwo() throws {
        let file = dir.appendingPathComponent("2024-01-01-0.json")
        try Data("{\"id\":\"1\",\"type\":\"WatchEvent\",\"actor\":{\"id\":1,\"login\":\"a\"},\"repo\":{\"id\":2,\"name\":\"o/r\"},\"created_at\":\"2024-01-01T00:00:00Z\"}\n{broken\n".utf8).write(to: file)
        let r = try kaiyuan(["ingest", "gharchive", "--db", "k.db", file.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.err.contains("\(file.path):2: malformed JSON"), r.err)
        XCTAssertTrue(r.out.contains("1 lines skipped: 1 malformed JSON"), r.out)
    }

    func testUsageErrorsTeach() throws {
        let r = try kaiyuan(["ingest", "gharchive"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.err.contains("--from and --to"), r.err)
    }
}
