import Foundation
import TestSupport
import XCTest

/// A store written before platforms (the v2 fixture, made by the release before them) is
/// upgraded in place and loses nothing: its export equals a fresh import of the same inputs.
final class MigrationTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try makeTemporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testV2StoreUpgradesWithoutLosingAnything() throws {
        let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")
        let old = dir.appendingPathComponent("old.db")
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("store-v2/kaiyuan-v2.db"), to: old)

        // Read-only commands refuse an old schema and say how to upgrade it.
        let refused = try KaiyuanBinary.run(["status", "--store", old.path], in: dir)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.err.contains("older schema"), refused.err)

        // Any writing command migrates; OpenRank computed before the upgrade is still current.
        let upgraded = try KaiyuanBinary.run(["compute", "openrank", "--store", "sqlite:" + old.path], in: dir)
        XCTAssertEqual(upgraded.status, 0, upgraded.err)
        XCTAssertTrue(upgraded.out.contains("OpenRank is up to date (3 months)"), upgraded.out)

        // The same inputs into a new store.
        let fresh = dir.appendingPathComponent("fresh.db").path
        let hours = try FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent("gharchive").path)
            .sorted().map { fixtures.appendingPathComponent("gharchive/\($0)").path }
        for args in [["ingest", "gharchive", "--store", fresh] + hours,
                     ["ingest", "git", "--store", fresh, "--repo", "gitee:demo/small", "--log-file", fixtures.appendingPathComponent("store-v2/small.gitlog.gz").path],
                     ["labels", "import", "--store", fresh, fixtures.appendingPathComponent("store-v2/labels").path],
                     ["compute", "openrank", "--store", fresh],
                     ["labels", "add-domain", "--store", fresh, "example.cn", "--organisation", "Example Corp", "--country", "CN"]] {
            let r = try KaiyuanBinary.run(args, in: dir)
            XCTAssertEqual(r.status, 0, "\(args): \(r.err)")
        }

        let status = try KaiyuanBinary.run(["status", "--store", old.path, "--format", "json"], in: dir)
        XCTAssertEqual(status.out, try KaiyuanBinary.run(["status", "--store", fresh, "--format", "json"], in: dir).out)
        XCTAssertTrue(status.out.contains("300"), status.out)  // the 300 commits of gitee:demo/small

        let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
        XCTAssertEqual(try KaiyuanBinary.run(["export", "opendigger", "--store", old.path, "--out", a.path], in: dir).status, 0)
        XCTAssertEqual(try KaiyuanBinary.run(["export", "opendigger", "--store", fresh, "--out", b.path], in: dir).status, 0)
        let (ta, tb) = (try treeContents(a), try treeContents(b))
        XCTAssertGreaterThan(ta.count, 50)
        XCTAssertNotNil(ta["/github/kaiyuan-demo/observatory/openrank.json"], "OpenRank survived the upgrade")
        XCTAssertNotNil(ta["/gitee/demo/small/commits.json"])
        XCTAssertEqual(treeDifferences(ta, tb), [])

        // Upgrading twice changes nothing.
        XCTAssertEqual(try KaiyuanBinary.run(["compute", "openrank", "--store", old.path], in: dir).status, 0)
        XCTAssertEqual(try KaiyuanBinary.run(["status", "--store", old.path, "--format", "json"], in: dir).out, status.out)
    }
}
