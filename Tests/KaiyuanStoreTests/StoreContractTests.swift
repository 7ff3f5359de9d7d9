import Foundation
import KaiyuanStore
import KaiyuanStores
import TestSupport
import XCTest

final class SQLiteContractTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try makeTemporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    var contract: StoreContract {
        StoreContract { try openStore(.sqlite(path: self.dir.appendingPathComponent("\(UUID().uuidString).db").path), readOnly: false) }
    }

    func testCommittingTwiceChangesNothing() throws { try contract.committingTwiceChangesNothing() }
    func testScansComeInKeyOrderWithEverything() throws { try contract.scansComeInKeyOrderWithEverything() }
    func testNamesArePerPlatform() throws { try contract.namesArePerPlatform() }
    func testSearchIsLiteral() throws { try contract.searchIsLiteral() }
    func testCountsPerRepositoryAreDistinctOverTheRange() throws { try contract.countsPerRepositoryAreDistinctOverTheRange() }
    func testOpenRankIsStoredExactlyPerGraph() throws { try contract.openRankIsStoredExactlyPerGraph() }
    func testGitHistoriesRoundTrip() throws { try contract.gitHistoriesRoundTrip() }
    func testLabelsAndDomainsAreReplacedWhole() throws { try contract.labelsAndDomainsAreReplacedWhole() }
    func testHubSnapshotsReplaceByDateAndAuthor() throws { try contract.hubSnapshotsReplaceByDateAndAuthor() }
}

/// The same contract on a real two-shard ClickHouse cluster (two clickhouse-server processes).
final class ClickHouseContractTests: XCTestCase {
    nonisolated(unsafe) static var cluster: ClickHouseCluster?
    nonisolated(unsafe) static var startError: Error?

    override class func setUp() {
        do { cluster = try ClickHouseCluster(nodes: 2) } catch { startError = error }
    }
    override class func tearDown() { cluster?.stop(); cluster = nil }

    func clusterOrSkip() throws -> ClickHouseCluster {
        if let e = Self.startError { throw e }
        return try XCTUnwrap(Self.cluster)
    }

    var contract: StoreContract {
        get throws {
            let cluster = try clusterOrSkip()
            return StoreContract { try openStore(try StoreLocation(parsing: cluster.location()), readOnly: false) }
        }
    }

    func testCommittingTwiceChangesNothing() throws { try contract.committingTwiceChangesNothing() }
    func testScansComeInKeyOrderWithEverything() throws { try contract.scansComeInKeyOrderWithEverything() }
    func testNamesArePerPlatform() throws { try contract.namesArePerPlatform() }
    func testSearchIsLiteral() throws { try contract.searchIsLiteral() }
    func testCountsPerRepositoryAreDistinctOverTheRange() throws { try contract.countsPerRepositoryAreDistinctOverTheRange() }
    func testOpenRankIsStoredExactlyPerGraph() throws { try contract.openRankIsStoredExactlyPerGraph() }
    func testGitHistoriesRoundTrip() throws { try contract.gitHistoriesRoundTrip() }
    func testLabelsAndDomainsAreReplacedWhole() throws { try contract.labelsAndDomainsAreReplacedWhole() }
    func testHubSnapshotsReplaceByDateAndAuthor() throws { try contract.hubSnapshotsReplaceByDateAndAuthor() }
}
