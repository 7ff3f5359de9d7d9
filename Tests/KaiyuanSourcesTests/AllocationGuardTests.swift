import Foundation
import TestSupport
import XCTest

/// The per-event path (scanning a line, folding an event) allocates nothing: checked by
/// `kaiyuan-bench allocations`, which interposes malloc and counts. It must be a release
/// build (an unoptimised build allocates on every call), so CI builds it before the tests
/// (`.ci/run`); elsewhere this test skips, saying how to build it, when the binary is missing
/// or older than the sources it measures.
final class AllocationGuardTests: XCTestCase {
    func testScanningAndFoldingAnEventAllocateNothing() throws {
        let binary = packageRoot.appendingPathComponent(".build/release/kaiyuan-bench")
        let measured = ["Sources/KaiyuanCore", "Sources/KaiyuanSources", "Sources/kaiyuan-bench", "Sources/CMallocCounter"]
        let newestSource = measured.flatMap { folder -> [Date] in
            let url = packageRoot.appendingPathComponent(folder)
            let files = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.contentModificationDateKey])?.compactMap { $0 as? URL } ?? []
            return files.compactMap { try? $0.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate }
        }.max() ?? .distantPast
        let built = (try? binary.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? nil
        guard let built, built >= newestSource else {
            let why = built == nil ? "\(binary.path) is not built" : "\(binary.path) is older than the sources it measures"
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("\(why); .ci/run builds it first") }
            throw XCTSkip("\(why): run `swift build -c release --product kaiyuan-bench` to check allocations")
        }
        let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/gharchive")
        var files = try FileManager.default.contentsOfDirectory(atPath: fixtures.path).filter { $0.hasSuffix(".json.gz") }.sorted()
            .map { fixtures.appendingPathComponent($0).path }
        // The real sample too, when it is there: more event shapes.
        if let sample = try? sharedData("data/gharchive/2021-07-21-06_09.sample.json.gz") { files.append(sample.path) }
        let p = Process()
        p.executableURL = binary
        p.arguments = ["allocations"] + files
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("scan: 0 mallocs"), text)
        XCTAssertTrue(text.contains("ok: no allocation per event"), text)
    }
}
