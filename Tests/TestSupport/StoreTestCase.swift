import Foundation
import KaiyuanIngest
@_exported import KaiyuanStore
@_exported import KaiyuanStoreSQLite
import XCTest

/// A test with a fresh folder and a fresh store in it, removed afterwards.
open class StoreTestCase: XCTestCase {
    public var dir: URL!
    public var store: SQLiteStore!

    open override func setUpWithError() throws {
        dir = try makeTemporaryDirectory(name)
        store = try SQLiteStore(path: dir.appendingPathComponent("k.db").path)
    }

    open override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Writes event lines as a file in the test's folder and imports it.
    @discardableResult
    public func ingest(_ lines: [String], name: String = "events.json", file: StaticString = #filePath, line: UInt = #line) throws -> ImportSummary {
        let url = try writeEventFile(lines, to: dir.appendingPathComponent(name))
        let summary = GHArchiveImporter(store: store).importFiles([url.path])
        XCTAssertEqual(summary.imported, 1, summary.line, file: file, line: line)
        return summary
    }
}
