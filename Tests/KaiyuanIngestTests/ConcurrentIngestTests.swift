import Foundation
import TestSupport
import XCTest

/// Two imports into one SQLite store at once (issue: the second failed every file with
/// "database is locked", or died on a new store): the second waits, says so, and both finish.
final class ConcurrentIngestTests: XCTestCase {
    func testTwoImportsIntoOneNewStoreBothFinish() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sets = try ["2025-02-01", "2025-03-01"].enumerated().map { i, day in
            try GeneratedInput.hours(3, events: 4000, seed: 10 + i, from: day, in: dir.appendingPathComponent("set\(i)"))
        }
        let db = dir.appendingPathComponent("shared.db").path
        var processes: [(Process, URL)] = []
        for (i, files) in sets.enumerated() {
            let p = Process()
            p.executableURL = try KaiyuanBinary.require()
            p.arguments = ["ingest", "gharchive", "--store", db] + files
            let err = dir.appendingPathComponent("err\(i)")
            FileManager.default.createFile(atPath: err.path, contents: nil)
            p.standardError = try FileHandle(forWritingTo: err)
            p.standardOutput = FileHandle.nullDevice
            processes.append((p, err))
        }
        for (p, _) in processes { try p.run() }
        for (p, err) in processes {
            p.waitUntilExit()
            let text = try String(contentsOf: err, encoding: .utf8)
            XCTAssertEqual(p.terminationStatus, 0, text)
            XCTAssertFalse(text.contains("locked"), text)
        }
        let status = try KaiyuanBinary.run(["status", "--store", db, "--format", "json"], in: dir)
        XCTAssertTrue(status.out.contains(#"{"what":"files ingested","value":6}"#), status.out)
        XCTAssertTrue(status.out.contains(#"{"what":"events","value":24000}"#), status.out)
    }
}
