import Foundation
import KaiyuanCore
import KaiyuanSources
import TestSupport
import XCTest

/// `analyze --as-of DAY` judges the project as it was that day: commits after it are not read.
final class AnalyzeAsOfTests: XCTestCase {
    func testAsOfCutsTheHistory() throws {
        let log = try sharedData("data/gitlog/deepseek-ai__DeepSeek-V3.gitlog.gz")
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The day's end, UTC, as --as-of takes it.
        let cutOff = CivilDate.days(year: 2025, month: 6, day: 30) * 86_400 + 86_399
        var reader = GitLogReader(source: try openEventFile(path: log.path), path: log.path)
        var before = 0, after = 0
        try reader.forEachCommit { c in
            guard !c.isMerge else { return }
            if c.authorTime <= cutOff { before += 1 } else { after += 1 }
        }
        XCTAssertGreaterThan(after, 0, "the export has commits after the day")
        let r = try KaiyuanBinary.run(["analyze", log.path, "--repo", "github:deepseek-ai/DeepSeek-V3", "--as-of", "2025-06-30", "--format", "json"], in: dir)
        XCTAssertEqual(r.status, 0, r.err)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        XCTAssertEqual(json["commits"] as? Int, before)
        // Shares are written with four decimals, never as 0.20440000000000003.
        let shares = r.out.components(separatedBy: "\n").filter { $0.contains("\"share\"") }
        XCTAssertFalse(shares.isEmpty)
        for line in shares {
            let value = line.split(separator: ":").last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " ,")) } ?? ""
            XCTAssertLessThanOrEqual(value.split(separator: ".").last?.count ?? 0, 4, line)
        }
    }
}
