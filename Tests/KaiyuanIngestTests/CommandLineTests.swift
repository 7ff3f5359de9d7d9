import Foundation
#if canImport(Glibc)
import Glibc
#endif
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

    /// Runtime errors say what to do, in one line, with no usage text; a rejected import leaves
    /// no empty store behind; a store named with --store must exist; a busy port is named.
    func testErrorsAreOneLineAndLeaveNothingBehind() throws {
        try Data("hello\n".utf8).write(to: dir.appendingPathComponent("notes.json"))
        let rejected = try kaiyuan(["ingest", "gharchive", "--store", "new.db", "notes.json"])
        XCTAssertEqual(rejected.status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("new.db").path), "no empty store left behind")

        let missing = try kaiyuan(["status", "--store", "nosuch.db"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.err.contains("ingest something first"), missing.err)
        XCTAssertFalse(missing.err.contains("Usage:"), missing.err)
        let analyze = try kaiyuan(["analyze", packageRoot.path, "--store", "nosuch.db"])
        XCTAssertNotEqual(analyze.status, 0, "a store named with --store must be there")
        XCTAssertTrue(analyze.err.contains("nosuch.db"), analyze.err)

        // A port already taken.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(fd, 1)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = UInt16(bigEndian: addr.sin_port)
        let fixture = packageRoot.appendingPathComponent("Tests/Fixtures/gharchive/2024-03-05-14.json.gz").path
        XCTAssertEqual(try kaiyuan(["ingest", "gharchive", "--store", "k.db", fixture]).status, 0)
        let busy = try kaiyuan(["serve", "--store", "k.db", "--port", String(port)])
        XCTAssertNotEqual(busy.status, 0)
        XCTAssertTrue(busy.err.contains("127.0.0.1:\(port) is already in use"), busy.err)
    }

    /// A git export or a label folder that cannot be read is a failed run (exit 2, one line),
    /// not a usage error, and leaves no empty history record behind.
    func testUnreadableInputsFailInOneLineAndRecordNothing() throws {
        let missing = try kaiyuan(["ingest", "git", "--store", "k.db", "--repo", "gitee:a/b", "--log-file", "nonexistent.gitlog"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.err.contains("nonexistent.gitlog: cannot open"), missing.err)
        XCTAssertFalse(missing.err.contains("Usage:"), missing.err)
        try Data("not a git log\n".utf8).write(to: dir.appendingPathComponent("bad.gitlog"))
        XCTAssertEqual(try kaiyuan(["ingest", "git", "--store", "k.db", "--repo", "gitee:a/b", "--log-file", "bad.gitlog"]).status, 2)
        XCTAssertEqual(try SQLiteStore(path: dir.appendingPathComponent("k.db").path, readOnly: true).gitRepositories().count, 0,
                       "no empty history record")
        let labels = try kaiyuan(["labels", "import", "--store", "k.db", "no-such-folder"])
        XCTAssertEqual(labels.status, 2)
        XCTAssertTrue(labels.err.contains("no-such-folder is not a folder"), labels.err)
        XCTAssertFalse(labels.err.contains("NSCocoaErrorDomain") || labels.err.contains("Usage:"), labels.err)
    }

    /// `--verbose` names every skipped line, not the first 20.
    func testVerboseNamesEverySkippedLine() throws {
        let good = #"{"id":"1","type":"WatchEvent","actor":{"id":5,"login":"a"},"repo":{"id":7,"name":"o/r"},"payload":{"action":"started"},"created_at":"2024-03-05T14:00:00Z"}"#
        let text = (0..<30).map { "{bad json \($0)" }.joined(separator: "\n") + "\n" + good + "\n"
        try Data(text.utf8).write(to: dir.appendingPathComponent("2024-03-05-14.json"))
        let quiet = try kaiyuan(["ingest", "gharchive", "--store", "q.db", "2024-03-05-14.json"])
        XCTAssertEqual(quiet.err.components(separatedBy: "\n").filter { $0.hasPrefix("skipped") }.count, 5)
        XCTAssertTrue(quiet.err.contains("… and 25 more skipped lines"), quiet.err)
        let verbose = try kaiyuan(["ingest", "gharchive", "--store", "v.db", "--verbose", "2024-03-05-14.json"])
        XCTAssertEqual(verbose.err.components(separatedBy: "\n").filter { $0.hasPrefix("skipped") }.count, 30)
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

    /// The Hub from the command line: a listing in, the model, the organisation and the
    /// rankings out, in every format; mistakes answered in one line.
    func testHuggingFaceCommands() throws {
        let listing = dir.appendingPathComponent("models.jsonl")
        try """
            {"id":"deepseek-ai/DeepSeek-V3","downloads":500,"downloadsAllTime":9000,"likes":40,"tags":["license:other"],"cardData":{"license_name":"deepseek"},"safetensors":{"total":684531386000},"pipeline_tag":"text-generation","createdAt":"2024-12-26T00:00:00.000Z"}
            {"id":"deepseek-ai/DeepSeek-R1","downloads":900,"likes":90,"tags":["license:mit"]}
            {"id":"unsloth/DeepSeek-V3-GGUF","downloads":70,"likes":1,"tags":["license:mit","base_model:quantized:deepseek-ai/DeepSeek-V3"]}
            {"id":"broken
            """.write(to: listing, atomically: true, encoding: .utf8)
        let cut = try kaiyuan(["ingest", "huggingface", "--db", "k.db", "--models-file", listing.path, "--as-of", "2025-01-31"])
        XCTAssertEqual(cut.status, 2, "a listing whose last line is cut is refused: \(cut.out)")
        XCTAssertTrue(cut.err.contains("models.jsonl"), cut.err)
        try (String(contentsOf: listing, encoding: .utf8).components(separatedBy: "\n").dropLast().joined(separator: "\n") + "\n").write(to: listing, atomically: true, encoding: .utf8)
        let ok = try kaiyuan(["ingest", "huggingface", "--db", "k.db", "--models-file", listing.path, "--as-of", "2025-01-31"])
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertEqual(ok.out, "huggingface: 3 models of 2 authors stored as the snapshot of 2025-01-31\n")

        let model = try kaiyuan(["show", "repo", "--db", "k.db", "huggingface:deepseek-ai/DeepSeek-V3"])
        XCTAssertEqual(model.status, 0, model.err)
        XCTAssertTrue(model.out.contains("deepseek (open-weight-restricted); evidence: license:other, card license_name deepseek"), model.out)
        XCTAssertTrue(model.out.contains("684.5B (>100B)"), model.out)
        XCTAssertTrue(model.out.contains("1 quantized"), model.out)
        let json = try kaiyuan(["show", "repo", "--db", "k.db", "huggingface:deepseek-ai/DeepSeek-V3", "--format", "json"])
        XCTAssertEqual(json.out.trimmingCharacters(in: .whitespacesAndNewlines),
                       #"[{"month":"2025-01","snapshot":"2025-01-31","downloads_30d":500,"downloads_all_time":9000,"likes":40,"derivatives":1}]"#)
        let org = try kaiyuan(["show", "repo", "--db", "k.db", "huggingface:deepseek-ai", "--format", "csv"])
        XCTAssertEqual(org.out, "month,models,new_models,downloads_30d,downloads_all_time,likes,derivatives\n2025-01,2,,1400,9000,130,1\n\n",
                       "R1's creation date is unknown, so new models are; only V3 gave all-time downloads")
        let rank = try kaiyuan(["rank", "repos", "--db", "k.db", "--platform", "huggingface", "--by", "downloads", "--format", "csv"])
        XCTAssertEqual(rank.out, "rank,repo,hf_downloads\n1,huggingface:deepseek-ai/DeepSeek-R1,900\n2,huggingface:deepseek-ai/DeepSeek-V3,500\n3,huggingface:unsloth/DeepSeek-V3-GGUF,70\n\n")
        let status = try kaiyuan(["status", "--db", "k.db", "--format", "csv"])
        XCTAssertTrue(status.out.contains("hugging face snapshots,1"), status.out)

        for (args, says) in [
            (["ingest", "huggingface", "--db", "k.db"], "--author ORG"),
            (["ingest", "huggingface", "--db", "k.db", "--author", "a", "--models-file", "x"], "one of them"),
            (["ingest", "huggingface", "--db", "k.db", "--models-file", "missing.jsonl"], "missing.jsonl"),
            (["ingest", "huggingface", "--db", "k.db", "--models-file", listing.path, "--as-of", "2025-02-30"], "as-of"),
            (["rank", "repos", "--db", "k.db", "--platform", "gitee", "--by", "hf_downloads"], "Hugging Face metric"),
            (["rank", "repos", "--db", "k.db", "--by", "hf_models"], "rank labels --by hf_models"),
            (["show", "repo", "--db", "k.db", "huggingface:nobody/nothing"], "kaiyuan ingest huggingface --author nobody"),
            (["labels", "add-hub-org", "--db", "k.db", "Skywork", "--label", ":companies/kunlun"], "labels import"),
        ] {
            let r = try kaiyuan(args)
            XCTAssertNotEqual(r.status, 0, args.joined(separator: " "))
            XCTAssertTrue(r.err.contains(says), "\(args.joined(separator: " ")): \(r.err)")
        }
    }
}
