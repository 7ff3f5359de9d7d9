import KaiyuanCore
@testable import KaiyuanIngest
import KaiyuanSources
import KaiyuanStore
import TestSupport
import XCTest

final class ImporterTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try makeTemporaryDirectory(); Interruption.reset() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir); Interruption.reset() }

    let repo: (Int64, String) = (100, "octo/widgets")

    func goodLines(_ n: Int, hour: String = "2024-03-05T14") -> [String] {
        (0..<n).map { i in EventJSON.watch(actor: (Int64(1000 + i), "user\(i)"), repo: repo, at: "\(hour):\(String(format: "%02d", i % 60)):00Z") }
    }

    func makeStore(_ name: String = "k.db") throws -> SQLiteStore {
        try SQLiteStore(path: dir.appendingPathComponent(name).path)
    }

    /// Everything a store holds, as comparable text.
    func dump(_ store: SQLiteStore) throws -> [String] {
        var out: [String] = []
        try store.forEachRepository(months: nil) { f in
            for kind in FactKind.allCases { for r in f[kind] { out.append("\(f.repo.id) \(kind) \(r.month) \(r.object) \(r.actor)") } }
            for l in f.pullRequestLines { out.append("\(l)") }
        }
        let s = try store.summary()
        out.append("files \(s.files) events \(s.events) repos \(s.repositories) devs \(s.developers)")
        return out
    }

    /// Files are read while the one before commits: the outcome is the same as one at a time,
    /// in the same order, and a name seen twice in one run is still ingested once.
    func testPipelinedImportEqualsOneFileAtATime() throws {
        var paths: [String] = []
        for h in 0..<5 {
            let hour = "2024-03-0\(h + 1)T10"
            paths.append(try writeEventFile(goodLines(200 + h * 50, hour: hour), to: dir.appendingPathComponent("a/2024-03-0\(h + 1)-10.json.gz")).path)
        }
        // The same hour again under another folder, and a damaged file in the middle.
        paths.insert(dir.appendingPathComponent("a/2024-03-02-10.json.gz").path, at: 3)
        let broken = dir.appendingPathComponent("a/2024-03-09-10.json.gz")
        try Data([0x1f, 0x8b, 0x08, 0x00, 0x00]).write(to: broken)
        paths.insert(broken.path, at: 2)

        let together = try makeStore("together.db")
        let summary = GHArchiveImporter(store: together).importFiles(paths)
        XCTAssertEqual(summary.imported, 5)
        XCTAssertEqual(summary.alreadyIngested, 1)
        XCTAssertEqual(summary.rejected.map(\.path), [broken.path])
        XCTAssertEqual(summary.events, 200 + 250 + 300 + 350 + 400)

        let single = try makeStore("single.db")
        let importer = GHArchiveImporter(store: single)
        for p in paths { _ = importer.importFile(p) }
        XCTAssertEqual(try dump(together), try dump(single))
    }

    func testBadLinesAreSkippedCountedAndNamed() throws {
        var lines = goodLines(5)
        lines.insert("{\"id\":\"1\",\"type\":\"WatchEvent\",\"actor\":{\"id\":5", at: 1)            // line 2: truncated
        lines.insert(EventJSON.event("TeleportEvent", actor: (7, "x"), repo: repo, at: "2024-03-05T14:00:00Z"), at: 3) // line 4
        lines.insert(#"{"id":"9","type":"WatchEvent","actor":{"id":5,"login":"a"},"repo":{"name":"o/r"},"created_at":"2024-03-05T14:00:00Z"}"#, at: 5) // line 6: no repo.id
        let file = try writeEventFile(lines, to: dir.appendingPathComponent("2024-03-05-14.json.gz"))
        let store = try makeStore()
        let result = GHArchiveImporter(store: store).importFile(file.path)
        guard case .imported = result.outcome else { return XCTFail("\(result.outcome)") }
        XCTAssertEqual(result.stats.events, 5)
        XCTAssertEqual(result.stats.skipped[.malformedJSON], 1)
        XCTAssertEqual(result.stats.skipped[.unknownEventType], 1)
        XCTAssertEqual(result.stats.skipped[.missingField], 1)
        XCTAssertEqual(result.stats.problems.map(\.line), [2, 4, 6])
        XCTAssertTrue(result.stats.problems[0].description.hasPrefix("\(file.path):2: malformed JSON"), result.stats.problems[0].description)
        XCTAssertTrue(result.stats.problems[1].description.contains("TeleportEvent"))
        XCTAssertEqual(try store.summary().events, 5)
    }

    func testDamagedGzipIsRejectedWholeAndCanBeImportedLater() throws {
        let lines = goodLines(3000)
        let good = try writeEventFile(lines, to: dir.appendingPathComponent("full/2024-03-05-14.json.gz"))
        let data = try Data(contentsOf: good)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("cut"), withIntermediateDirectories: true)
        let cut = dir.appendingPathComponent("cut/2024-03-05-14.json.gz")
        try data.prefix(data.count * 2 / 3).write(to: cut)

        let store = try makeStore()
        let importer = GHArchiveImporter(store: store)
        let summary = importer.importFiles([cut.path])
        XCTAssertEqual(summary.rejected.count, 1)
        XCTAssertTrue(summary.rejected[0].reason.contains(cut.path), summary.rejected[0].reason)
        XCTAssertTrue(summary.hadProblems)
        XCTAssertEqual(try store.summary().facts, 0, "nothing from a damaged file is kept")
        XCTAssertNil(try store.ingestedFile(named: "2024-03-05-14.json.gz"))

        let again = importer.importFiles([good.path])
        XCTAssertEqual(again.imported, 1)
        XCTAssertEqual(try store.summary().events, 3000)
    }

    func testFileThatIsNotGHArchiveIsRejected() throws {
        let file = dir.appendingPathComponent("notes.json")
        try Data("hello\nthis is a shopping list\n".utf8).write(to: file)
        let store = try makeStore()
        let summary = GHArchiveImporter(store: store).importFiles([file.path])
        XCTAssertEqual(summary.rejected.count, 1)
        XCTAssertTrue(summary.rejected[0].reason.contains("is this a GH Archive file"), summary.rejected[0].reason)
        XCTAssertNil(try store.ingestedFile(named: "notes.json"))
    }

    /// A file recorded with no or partial events must never block the real file of its name
    /// (issue: a 0-byte `.json`, an empty gzip, a file of newlines or a plain file cut mid-line
    /// was recorded, and the complete file was then skipped as "already ingested").
    func testEmptyOrCutFilesAreNotRecordedAndTheRealFileIsRead() throws {
        let name = "2024-03-05-14.json"
        let full = try writeEventFile(goodLines(40), to: dir.appendingPathComponent("full/\(name)"))
        let text = try Data(contentsOf: full)
        var cases: [(String, Data)] = [("zero", Data()), ("newlines", Data("\n\n\n".utf8))]
        // Cut in the middle of the 21st line.
        let lines = text.split(separator: 0x0A, omittingEmptySubsequences: false)
        cases.append(("cut", Data(lines.prefix(20).joined(separator: [0x0A])) + Data([0x0A]) + Data(lines[20].prefix(30))))
        let store = try makeStore()
        let importer = GHArchiveImporter(store: store)
        for (folder, bytes) in cases {
            let url = dir.appendingPathComponent("\(folder)/\(name)")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try bytes.write(to: url)
            let r = importer.importFiles([url.path])
            XCTAssertEqual(r.rejected.count, 1, folder)
            XCTAssertEqual(r.imported, 0, folder)
            XCTAssertNil(try store.ingestedFile(named: name), "\(folder): nothing recorded")
        }
        let cutReason = importer.importFiles([dir.appendingPathComponent("cut/\(name)").path]).rejected.first?.reason ?? ""
        XCTAssertTrue(cutReason.contains(":21: the file ends in the middle of this line"), cutReason)
        let emptyGz = try writeEventFile([], to: dir.appendingPathComponent("gz/2024-03-05-15.json.gz"))
        XCTAssertEqual(importer.importFiles([emptyGz.path]).rejected.count, 1, "a gzip of empty input")
        XCTAssertEqual(importer.importFiles([full.path]).imported, 1)
        XCTAssertEqual(try store.summary().events, 40)
    }

    /// The same name with other bytes (the complete file after a shorter one) is read again;
    /// its facts join what is there, and the same bytes again change nothing.
    func testAChangedFileIsReadAgainAndItsFactsJoin() throws {
        let name = "2024-03-05-14.json.gz"
        let part = try writeEventFile(Array(goodLines(40).prefix(25)), to: dir.appendingPathComponent("a/\(name)"))
        let whole = try writeEventFile(goodLines(40), to: dir.appendingPathComponent("b/\(name)"))
        let store = try makeStore()
        let importer = GHArchiveImporter(store: store)
        XCTAssertEqual(importer.importFiles([part.path]).imported, 1)
        XCTAssertEqual(try store.summary().facts, 25)
        XCTAssertEqual(importer.importFiles([whole.path]).imported, 1, "other bytes under the same name")
        XCTAssertEqual(try store.summary().facts, 40, "the first 25 stars are the same facts")
        XCTAssertEqual(try store.summary().files, 1)
        XCTAssertEqual(try store.summary().events, 40, "events of the name's fullest reading")
        XCTAssertEqual(importer.importFiles([whole.path, part.path]).alreadyIngested, 2)
    }

    func testReimportChangesNothing() throws {
        let a = try writeEventFile(goodLines(50), to: dir.appendingPathComponent("2024-03-05-14.json.gz"))
        let b = try writeEventFile(goodLines(30, hour: "2024-04-01T00"), to: dir.appendingPathComponent("2024-04-01-0.json"))
        let store = try makeStore()
        let first = GHArchiveImporter(store: store).importFiles([a.path, b.path])
        XCTAssertEqual(first.imported, 2)
        let before = try dump(store)
        let second = GHArchiveImporter(store: store).importFiles([a.path, b.path])
        XCTAssertEqual(second.imported, 0)
        XCTAssertEqual(second.alreadyIngested, 2)
        XCTAssertFalse(second.hadProblems)
        XCTAssertEqual(try dump(store), before)
    }

    /// Ctrl-C in the middle of the second file: the first stays committed, the second leaves
    /// nothing, and a re-run ends with exactly what an uninterrupted import gives.
    func testInterruptedImportResumesToTheSameStore() throws {
        let files = try (0..<3).map { i in
            try writeEventFile(goodLines(4000, hour: "2024-03-0\(i + 1)T00"), to: dir.appendingPathComponent("2024-03-0\(i + 1)-0.json.gz"))
        }
        let clean = try makeStore("clean.db")
        _ = GHArchiveImporter(store: clean).importFiles(files.map(\.path))

        final class StopDuringSecond: ImportObserver, @unchecked Sendable {
            var index = -1
            func fileStarted(path: String, index: Int, total: Int, bytes: Int64) { self.index = index }
            func fileProgress(bytesRead: Int64) { if index == 1 && bytesRead > 0 { Interruption.request() } }
            func fileFinished(_ result: FileImportResult) {}
        }
        let store = try makeStore("interrupted.db")
        let summary = GHArchiveImporter(store: store, observer: StopDuringSecond()).importFiles(files.map(\.path))
        XCTAssertTrue(summary.interrupted)
        XCTAssertEqual(summary.imported, 1)
        XCTAssertEqual(try store.summary().files, 1)
        Interruption.reset()
        let resumed = GHArchiveImporter(store: store).importFiles(files.map(\.path))
        XCTAssertEqual(resumed.imported, 2)
        XCTAssertEqual(resumed.alreadyIngested, 1)
        XCTAssertEqual(try dump(store), try dump(clean))
    }

    /// Ctrl-C before a file's reading began (here: before the import) leaves files unread: the
    /// summary says the import was interrupted, so the exit status is 130, not 0.
    func testCtrlCBetweenFilesIsReported() throws {
        let files = try (0..<2).map { i in
            try writeEventFile(goodLines(100, hour: "2024-03-0\(i + 1)T00"), to: dir.appendingPathComponent("2024-03-0\(i + 1)-0.json.gz"))
        }
        let store = try makeStore("stopped.db")
        Interruption.request()
        let summary = GHArchiveImporter(store: store).importFiles(files.map(\.path))
        XCTAssertTrue(summary.interrupted)
        XCTAssertTrue(summary.hadProblems)
        XCTAssertEqual(summary.imported, 0)
        XCTAssertTrue(summary.line.contains("interrupted: re-run to continue"), summary.line)
        Interruption.reset()
        XCTAssertEqual(GHArchiveImporter(store: store).importFiles(files.map(\.path)).imported, 2)
    }

    /// Files read whole are committed together; when that transaction fails, each file is
    /// committed again on its own, so only the file at fault is rejected, with its reason.
    func testAFailedBatchRejectsOnlyTheFileAtFault() throws {
        let files = try (0..<3).map { i in
            try writeEventFile(goodLines(50, hour: "2024-03-0\(i + 1)T00"), to: dir.appendingPathComponent("2024-03-0\(i + 1)-0.json.gz"))
        }
        let path = dir.appendingPathComponent("refusing.db").path
        let store = try SQLiteStore(path: path)
        try runSQL("""
            CREATE TRIGGER refuse BEFORE INSERT ON ingested_files WHEN NEW.name = '2024-03-02-0.json.gz'
            BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
            """, onStoreAt: path)
        let importer = GHArchiveImporter(store: store)
        let reads = files.enumerated().map { importer.readFile($1.path, index: $0, total: files.count) }
        let results = importer.commit(reads)
        XCTAssertEqual(results.map { "\($0.outcome)" }.map { $0.hasPrefix("rejected") }, [false, true, false])
        guard case .rejected(let reason) = results[1].outcome else { return XCTFail() }
        XCTAssertTrue(reason.contains("2024-03-02-0.json.gz") && reason.contains("refused by the test"), reason)
        XCTAssertEqual(try store.summary().files, 2)
    }

    /// The same, with the process killed for real (SIGKILL) mid-import.
    func testKilledProcessLosesNothingCommitted() throws {
        let binary = packageRoot.appendingPathComponent(".build/debug/kaiyuan")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("\(binary.path) is not built; `swift build` first")
        }
        let files = try (0..<6).map { i in
            try writeEventFile(goodLines(20000, hour: "2024-03-0\(i + 1)T00"), to: dir.appendingPathComponent("2024-03-0\(i + 1)-0.json.gz"))
        }
        let db = dir.appendingPathComponent("killed.db").path
        let p = Process()
        p.executableURL = binary
        p.arguments = ["ingest", "gharchive", "--db", db] + files.map(\.path)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Kill it once at least one file is in.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let s = try? SQLiteStore(path: db, readOnly: true), let n = try? s.summary().files, n >= 1 { break }
            usleep(20_000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()

        let store = try makeStore("killed.db")
        let committed = try store.summary().files
        XCTAssertGreaterThanOrEqual(committed, 1)
        XCTAssertEqual(try store.summary().events, committed * 20000, "only whole files are in the store")
        _ = GHArchiveImporter(store: store).importFiles(files.map(\.path))
        let clean = try makeStore("clean.db")
        _ = GHArchiveImporter(store: clean).importFiles(files.map(\.path))
        XCTAssertEqual(try dump(store), try dump(clean))
    }
}
