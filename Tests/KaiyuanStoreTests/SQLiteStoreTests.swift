import GRDB
import KaiyuanCore
@testable import KaiyuanStoreSQLite
import KaiyuanStore
import TestSupport
import XCTest

final class SQLiteStoreTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try makeTemporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    let march = Month(year: 2024, month: 3)

    func delta() -> FileDelta {
        var d = FileDelta()
        d.facts = [
            Fact(repo: 2, kind: .star, month: march, object: 7, actor: 7),
            Fact(repo: 1, kind: .pullOpened, month: march, object: 50, actor: 7),
            Fact(repo: 1, kind: .star, month: march, object: 8, actor: 8),
            Fact(repo: 1, kind: .star, month: march, object: 8, actor: 8),
        ]
        d.finish()
        d.pullRequestLines = [PullRequestLines(eventID: 99, repo: 3, month: march, additions: 4, deletions: 1)]
        d.repoNames.record(NameSighting(id: 1, name: "a/one", firstSeen: 10, lastSeen: 20))
        d.repoNames.record(NameSighting(id: 1, name: "a/uno", firstSeen: 30, lastSeen: 40))
        d.repoNames.record(NameSighting(id: 2, name: "b/two", firstSeen: 10, lastSeen: 10))
        d.repoNames.record(NameSighting(id: 3, name: "c/three", firstSeen: 10, lastSeen: 10))
        d.actorLogins.record(NameSighting(id: 7, name: "old-login", firstSeen: 1, lastSeen: 2))
        d.actorLogins.record(NameSighting(id: 7, name: "new-login", firstSeen: 3, lastSeen: 4))
        return d
    }

    func testFinishSortsAndDeduplicates() {
        let d = delta()
        XCTAssertEqual(d.facts.count, 3)
        XCTAssertEqual(d.facts, d.facts.sorted())
        XCTAssertEqual(d.facts.first?.repo, 1)
    }

    func testCommitOncePerFileName() throws {
        let store = try SQLiteStore(path: dir.appendingPathComponent("k.db").path)
        let file = IngestedFile(name: "2024-03-01-0.json.gz", size: 10, events: 4, skippedLines: 0, ingestedAt: 0)
        XCTAssertTrue(try store.commit(delta(), file: file))
        XCTAssertFalse(try store.commit(delta(), file: file), "a second commit of the same file is refused")
        XCTAssertEqual(try store.ingestedFile(named: file.name), file)
        XCTAssertEqual(try store.summary().facts, 3)
        XCTAssertEqual(try store.summary().events, 4)
    }

    func testNamesLoginsAndScans() throws {
        let store = try SQLiteStore(path: dir.appendingPathComponent("k.db").path)
        try store.commit(delta(), file: IngestedFile(name: "f", size: 1, events: 1, skippedLines: 0, ingestedAt: 0))
        XCTAssertEqual(try store.repositories().map(\.name), ["a/uno", "b/two", "c/three"])
        XCTAssertEqual(try store.repository(named: "A/ONE")?.name, "a/uno", "former names and any case find the repo")
        XCTAssertEqual(try store.logins(for: [7]), [7: "new-login"])

        var seen: [Int64: RepoFacts] = [:]
        try store.forEachRepository(months: nil) { seen[$0.repo.id] = $0 }
        XCTAssertEqual(Set(seen.keys), [1, 2, 3], "a repo with only PR lines is visited too")
        XCTAssertEqual(seen[1]?[.star].count, 1)
        XCTAssertEqual(seen[1]?[.pullOpened].first?.object, 50)
        XCTAssertEqual(seen[3]?.pullRequestLines.first?.additions, 4)
        XCTAssertEqual(seen[1]?.repo.name, "a/uno")

        let april = try store.facts(for: RepoRef(id: 1, name: "a/uno"), months: Month(year: 2024, month: 4)...Month(year: 2024, month: 12))
        XCTAssertTrue(april.isEmpty)
    }

    func testReadOnlyOpenOfMissingStoreSaysWhatToDo() {
        XCTAssertThrowsError(try SQLiteStore(path: dir.appendingPathComponent("none.db").path, readOnly: true)) { error in
            XCTAssertTrue("\(error)".contains("ingest something first"), "\(error)")
        }
    }

    func testStoreFromANewerVersionIsRefused() throws {
        let path = dir.appendingPathComponent("k.db").path
        let store = try SQLiteStore(path: path)
        try store.pool.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999')") }
        XCTAssertThrowsError(try SQLiteStore(path: path, readOnly: true)) { error in
            XCTAssertTrue("\(error)".contains("newer kaiyuan"), "\(error)")
        }
    }

    /// The search box's queries read the NOCASE name indexes, never every name.
    func testPrefixSearchUsesTheNameIndexes() throws {
        let store = try SQLiteStore(path: dir.appendingPathComponent("k.db").path)
        for (query, index) in [(SQLiteStore.repositoryPrefixQuery, "repo_names_by_name"), (SQLiteStore.loginPrefixQuery, "actor_logins_by_login")] {
            let plan = try store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + query, arguments: ["ab%", 20]).map { $0["detail"] as String? ?? "" }
            }
            XCTAssertTrue(plan.contains { $0.contains("USING COVERING INDEX \(index)") }, "\(plan)")
            XCTAssertFalse(plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
        }
    }
}

final class StoreLocationTests: XCTestCase {
    func testLocationsParse() throws {
        XCTAssertEqual(try StoreLocation(parsing: "kaiyuan.db"), .sqlite(path: "kaiyuan.db"))
        XCTAssertEqual(try StoreLocation(parsing: "sqlite:/tmp/a.db"), .sqlite(path: "/tmp/a.db"))
        XCTAssertEqual(try StoreLocation(parsing: "./x/y.db"), .sqlite(path: "./x/y.db"))
        let c = try StoreLocation(parsing: "clickhouse://127.0.0.1:8123,127.0.0.1:8124/kaiyuan?cluster=two")
        XCTAssertEqual(c, .clickhouse(ClickHouseLocation(nodes: [.init(host: "127.0.0.1", port: 8123), .init(host: "127.0.0.1", port: 8124)],
                                                         database: "kaiyuan", cluster: "two")))
        XCTAssertEqual(c.description, "clickhouse://127.0.0.1:8123,127.0.0.1:8124/kaiyuan?cluster=two")
        XCTAssertEqual(try StoreLocation.resolve(nil, environment: ["KAIYUAN_STORE": "sqlite:e.db", "KAIYUAN_DB": "d.db"]), .sqlite(path: "e.db"))
        XCTAssertEqual(try StoreLocation.resolve(nil, environment: ["KAIYUAN_DB": "d.db"]), .sqlite(path: "d.db"))
        XCTAssertEqual(try StoreLocation.resolve(nil, environment: [:]), .sqlite(path: "kaiyuan.db"))
    }

    func testBadLocationsSayWhatToWrite() {
        for (text, expected) in [("postgres://h:5432/db", "unknown scheme 'postgres'"),
                                 ("clickhouse://h:8123", "no database"),
                                 ("clickhouse://h/db", "not HOST:PORT"),
                                 ("clickhouse://h:1,h:2/db", "?cluster=NAME"),
                                 ("clickhouse://h:1/db?shards=2", "unknown parameter 'shards'"),
                                 ("clickhouse://h:1/my-db", "letters, digits and _")] {
            XCTAssertThrowsError(try StoreLocation(parsing: text), text) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(text): \(error)")
            }
        }
    }
}
