import KaiyuanCore
@testable import KaiyuanIngest
import KaiyuanSources
import KaiyuanStore
import TestSupport
import XCTest

/// Downloads from a server on 127.0.0.1 that serves files the test writes: never the internet.
final class DownloadTests: XCTestCase {
    var dir: URL!
    var server: LocalHTTPServer!

    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory()
        server = try LocalHTTPServer()
        Interruption.reset()
    }

    override func tearDownWithError() throws {
        server.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    let repo: (Int64, String) = (100, "octo/widgets")

    func hourFile(_ hour: ArchiveHour, events: Int) throws -> Data {
        let (y, m, d, h) = hour.parts
        let stamp = String(format: "%04d-%02d-%02dT%02d", y, m, d, h)
        let lines = (0..<events).map { i in
            EventJSON.watch(actor: (Int64(i + 1), "u\(i)"), repo: repo, at: "\(stamp):\(String(format: "%02d", i % 60)):00Z")
        }
        let url = try writeEventFile(lines, to: dir.appendingPathComponent("src/\(hour.fileName)"))
        return try Data(contentsOf: url)
    }

    func downloader() -> HourDownloader {
        HourDownloader(mirror: server.baseURL, cacheDirectory: dir.appendingPathComponent("cache"), retries: 3, initialBackoff: 0.01, timeout: 10)
    }

    func testRangeImportSkipsGapsRetriesAndSkipsKnownHours() async throws {
        let hours = ArchiveHour.range(ArchiveHour("2025-01-01T00")!, ArchiveHour("2025-01-01T03")!)
        for (i, h) in hours.enumerated() where i != 2 { server.serve("/\(h.fileName)", try hourFile(h, events: 10 + i)) }
        server.fail("/\(hours[1].fileName)", times: 2) // transient: 503 twice, then fine

        let store = try SQLiteStore(path: dir.appendingPathComponent("k.db").path)
        let importer = GHArchiveImporter(store: store)
        let run = HourRangeImport(downloader: downloader())
        let summary = await run.run(hours: hours, importer: importer, store: store)
        XCTAssertEqual(summary.imported, 3)
        XCTAssertEqual(summary.missingUpstream, [hours[2].fileName], "GH Archive has gaps; the rest goes on")
        XCTAssertTrue(summary.rejected.isEmpty, "\(summary.rejected)")
        XCTAssertEqual(try store.summary().events, 10 + 11 + 13)
        let cache = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("cache").path)
        XCTAssertEqual(cache, [], "imported downloads are removed unless kept")

        // A second run downloads nothing it already has.
        let before = server.requestLog().count
        let again = await run.run(hours: hours, importer: importer, store: store)
        XCTAssertEqual(again.alreadyIngested, 3)
        XCTAssertEqual(again.imported, 0)
        XCTAssertEqual(server.requestLog().count - before, 1, "only the missing hour is asked for again")
    }

    func testInterruptedDownloadResumesWithRange() async throws {
        let hour = ArchiveHour("2025-01-02T05")!
        let data = try hourFile(hour, events: 3000)
        server.serve("/\(hour.fileName)", data)
        server.truncateNext("/\(hour.fileName)", after: data.count / 3)

        let d = downloader()
        let outcome = await d.download(hour)
        guard case let .downloaded(path, bytes) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(bytes, Int64(data.count))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), data)
        let log = server.requestLog()
        XCTAssertEqual(log.count, 2)
        XCTAssertNil(log[0].range)
        XCTAssertEqual(log[1].range, "bytes=\(data.count / 3)-", "the second request resumes where the first stopped")
    }

    func testPermanentFailureIsReportedAndPartialKept() async throws {
        let hour = ArchiveHour("2025-01-03T00")!
        server.serve("/\(hour.fileName)", try hourFile(hour, events: 5))
        server.fail("/\(hour.fileName)", times: 100)
        let outcome = await downloader().download(hour)
        guard case let .failed(message) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(message.contains("HTTP 503"), message)
        XCTAssertTrue(message.contains(hour.fileName), message)
        XCTAssertEqual(server.requestLog().count, 4, "1 try + 3 retries")
    }
}
