import Foundation
import Synchronization
import GRDB
import GRDBSQLite
import KaiyuanCore
import KaiyuanStore

/// The default store: one SQLite file (WAL mode), readable while an import writes to it.
///
/// It keeps facts, not events: one row per distinct (repo, kind, month, object, actor),
/// which is what every metric of `spec/metrics.md` §3 and §5 is counted from.
public final class SQLiteStore: DataStore, @unchecked Sendable {
    public let path: String
    let pool: DatabasePool
    /// A connection of its own for the look-ups made while a scan on `pool` is delivering rows
    /// (logins, OpenRank values, bots): no read ever re-enters another.
    let lookups: DatabasePool

    public var location: String { "sqlite:\(path)" }

    /// How long a command waits for another process's write before giving up.
    public static let lockWait: TimeInterval = 600

    private static let announced = Atomic<Bool>(false)

    private static func announceWait(_ path: String) {
        if !announced.exchange(true, ordering: .relaxed) {
            FileHandle.standardError.write(Data("another kaiyuan process is writing to \(path); waiting for it (up to \(Int(lockWait)) s)…\n".utf8))
        }
    }

    /// Two processes opening a new or older store both migrate it: the one that loses the race
    /// finds the migration done by the other ("table already exists", or, for a migration that
    /// can run twice, its identifier already recorded), its transaction rolls back whole, and it
    /// tries again, which skips what is applied, until nothing is left to do.
    static func migrate(_ pool: DatabasePool, path: String) throws {
        let start = Date()
        while true {
            do {
                return try retryingWhileBusy(path) { try SQLiteSchema.migrator.migrate(pool) }
            } catch let error as DatabaseError where error.message?.contains("already exists") == true
                        || (error.resultCode == .SQLITE_CONSTRAINT && error.message?.contains("grdb_migrations") == true) {
                guard Date().timeIntervalSince(start) < lockWait else { throw error }
                let applied = try retryingWhileBusy(path) { try pool.read { try SQLiteSchema.migrator.appliedIdentifiers($0) } }
                if Set(SQLiteSchema.migrator.migrations).isSubset(of: applied) { return }
                announceWait(path)
                usleep(50_000)
            }
        }
    }

    static func retryingWhileBusy<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let start = Date()
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED)
                && Date().timeIntervalSince(start) < lockWait {
                announceWait(path)
                usleep(50_000)
            }
        }
    }

    static func waitForOtherWriter(path: String) -> Database.BusyCallback {
        let since = Mutex<Date>(Date())
        return { tries in
            if tries == 0 {
                since.withLock { $0 = Date() }
                announceWait(path)
            }
            if since.withLock({ Date().timeIntervalSince($0) }) > lockWait { return false }
            usleep(20_000)
            return true
        }
    }

    /// Opens (creating and migrating as needed) the store at `path`.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        var config = Configuration()
        config.readonly = readOnly
        // Another process writing the store (a second import): wait for it, saying so once,
        // rather than fail every file with "database is locked".
        config.busyMode = .callback(Self.waitForOtherWriter(path: path))
        config.prepareDatabase { db in
            // WAL + NORMAL: a crash of the process never loses a committed transaction.
            // The writer keeps a 16 MB page cache: as fast as 64 MB for imports (inserts come
            // sorted per file) and an import of many hours stays at ~130 MB. Readers, which
            // scan for metrics and reports, keep 64 MB.
            let readsOnly = sqlite3_db_readonly(db.sqliteConnection, "main") == 1
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = \(readsOnly ? -65536 : -16384); PRAGMA temp_store = MEMORY")
        }
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            throw StoreError.missing(path: path)
        }
        // Switching a new file to WAL takes an exclusive lock that SQLite's busy handler does
        // not wait for: a second process creating the same store retries here instead.
        let pool = try Self.retryingWhileBusy(path) { try DatabasePool(path: path, configuration: config) }
        self.pool = pool
        let applied = try Self.retryingWhileBusy(path) { try pool.read { try SQLiteSchema.migrator.appliedIdentifiers($0) } }
        let known = Set(SQLiteSchema.migrator.migrations)
        if !applied.isSubset(of: known) { throw StoreError.newerSchema(path: path) }
        if !readOnly {
            try Self.migrate(pool, path: path)
        } else if applied != known {
            throw StoreError.olderSchema(path: path)
        }
        var lookupConfig = config
        lookupConfig.readonly = true
        lookupConfig.maximumReaderCount = 2
        lookups = try Self.retryingWhileBusy(path) { try DatabasePool(path: path, configuration: lookupConfig) }
    }

    /// The ledger's rows that `condition` picks, as records.
    func ledger(_ condition: String, _ arguments: StatementArguments) throws -> [IngestedFile] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, size, events, skipped_lines, ingested_at, digest FROM ingested_files \(condition)", arguments: arguments)
                .map { IngestedFile(name: $0[0], size: $0[1], events: $0[2], skippedLines: $0[3], ingestedAt: $0[4], digest: $0[5]) }
        }
    }

    public func ingestedFile(named name: String) throws -> IngestedFile? {
        try ledger("WHERE name = ? ORDER BY ingested_at DESC, digest LIMIT 1", [name]).first
    }

    public func ingestedFile(named name: String, digest: String) throws -> IngestedFile? {
        try ledger("WHERE name = ? AND digest = ?", [name, digest]).first
    }

    @discardableResult
    public func commit(_ delta: FileDelta, file: IngestedFile) throws -> Bool {
        try pool.write { db in try Self.insert(delta, file: file, db) }
    }

    /// One transaction for the batch: an hour's facts land all over the facts B-tree (it is
    /// ordered by repository), so a transaction per file would write most of its pages again
    /// for every file.
    public func commit(batch: [(delta: FileDelta, file: IngestedFile)]) -> [Result<Bool, any Error>] {
        do {
            return try pool.write { db in try batch.map { .success(try Self.insert($0.delta, file: $0.file, db)) } }
        } catch {
            // The transaction stored nothing: each file alone, so only the one at fault fails.
            return batch.count == 1 ? [.failure(error)] : batch.map { item in Result { try commit(item.delta, file: item.file) } }
        }
    }

    private static func insert(_ delta: FileDelta, file: IngestedFile, _ db: Database) throws -> Bool {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM ingested_files WHERE name = ? AND digest = ?", arguments: [file.name, file.digest]) == true {
            return false
        }
        let changedMonths = try insertFacts(delta.facts, db)
        try insertRows(delta.pullRequestLines, db, sql: "INSERT OR IGNORE INTO pull_request_lines (event_id, repo_id, month, additions, deletions) VALUES (?, ?, ?, ?, ?)") { s, l in
            sqlite3_bind_int64(s, 1, l.eventID); sqlite3_bind_int64(s, 2, l.repo); sqlite3_bind_int64(s, 3, Int64(l.month.index))
            sqlite3_bind_int64(s, 4, l.additions); sqlite3_bind_int64(s, 5, l.deletions)
        }
        try insertRows(delta.itemEvents.sorted(), db, sql: "INSERT OR IGNORE INTO item_events (repo_id, number, at, kind, actor_id, is_pr) VALUES (?, ?, ?, ?, ?, ?)") { s, e in
            sqlite3_bind_int64(s, 1, e.repo); sqlite3_bind_int64(s, 2, e.number); sqlite3_bind_int64(s, 3, e.at)
            sqlite3_bind_int64(s, 4, Int64(e.kind.rawValue)); sqlite3_bind_int64(s, 5, e.actor); sqlite3_bind_int64(s, 6, e.isPullRequest ? 1 : 0)
        }
        let bump = try db.makeStatement(sql: "INSERT INTO month_versions (platform, month, version) VALUES (?, ?, 1) ON CONFLICT (platform, month) DO UPDATE SET version = version + 1")
        for changed in changedMonths.sorted(by: { ($0.platform, $0.month) < ($1.platform, $1.month) }) {
            try bump.execute(arguments: [changed.platform, Int64(changed.month.index)])
        }
        try upsert(delta.repoNames, table: "repo_names", idColumn: "repo_id", nameColumn: "name", db)
        try upsert(delta.actorLogins, table: "actor_logins", idColumn: "actor_id", nameColumn: "login", db)
        try insertRows(delta.openRankExclusions.sorted(), db, sql: "INSERT OR IGNORE INTO openrank_excluded (repo_id, kind, month, object_id, actor_id) VALUES (?, ?, ?, ?, ?)") { s, f in
            sqlite3_bind_int64(s, 1, f.repo); sqlite3_bind_int64(s, 2, Int64(f.kind.rawValue)); sqlite3_bind_int64(s, 3, Int64(f.month.index))
            sqlite3_bind_int64(s, 4, f.object); sqlite3_bind_int64(s, 5, f.actor)
        }
        try db.execute(sql: "INSERT INTO ingested_files (name, digest, size, events, skipped_lines, ingested_at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [file.name, file.digest, file.size, file.events, file.skippedLines, file.ingestedAt])
        return true
    }

    /// One execution of a bound insert, then its reset (the bindings stay for the next row);
    /// an error is thrown with SQLite's message.
    @inline(__always) static func insertStep(_ s: OpaquePointer, _ db: Database) throws {
        let rc = sqlite3_step(s)
        sqlite3_reset(s)
        guard rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    /// Rows bound straight through SQLite's C API: tens of thousands per file, with no
    /// per-row allocation.
    private static func insertRows<Row>(_ rows: [Row], _ db: Database, sql: String, bind: (OpaquePointer, Row) -> Void) throws {
        guard !rows.isEmpty else { return }
        let stmt = try db.makeStatement(sql: sql)
        let s = stmt.sqliteStatement
        for row in rows {
            bind(s, row)
            try insertStep(s, db)
        }
    }

    /// The per-fact insert is the store's hot path: bound straight through SQLite's C API,
    /// in key order, with no per-row allocation. Returns the (platform, month)s that gained a fact.
    private static func insertFacts(_ facts: [Fact], _ db: Database) throws -> Set<PlatformMonth> {
        var changed = Set<PlatformMonth>()
        let stmt = try db.makeStatement(sql: "INSERT OR IGNORE INTO facts (repo_id, kind, month, object_id, actor_id) VALUES (?, ?, ?, ?, ?)")
        let s = stmt.sqliteStatement
        for f in facts {
            sqlite3_bind_int64(s, 1, f.repo)
            sqlite3_bind_int64(s, 2, Int64(f.kind.rawValue))
            sqlite3_bind_int64(s, 3, Int64(f.month.index))
            sqlite3_bind_int64(s, 4, f.object)
            sqlite3_bind_int64(s, 5, f.actor)
            try insertStep(s, db)
            if sqlite3_changes(db.sqliteConnection) > 0 { changed.insert(PlatformMonth(platform: f.repo >> Platform.idBits, month: f.month)) }
        }
        return changed
    }

    private static func upsert(_ sightings: NameSightings, table: String, idColumn: String, nameColumn: String, _ db: Database) throws {
        let stmt = try db.makeStatement(sql: """
            INSERT INTO \(table) (\(idColumn), \(nameColumn), first_seen, last_seen) VALUES (?, ?, ?, ?)
            ON CONFLICT (\(idColumn), \(nameColumn)) DO UPDATE SET
              first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)
            """)
        let s = stmt.sqliteStatement
        // In key order; the name is copied by SQLite (transient), never by Swift.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for sighting in sightings.all.sorted(by: { ($0.id, $0.name) < ($1.id, $1.name) }) {
            sqlite3_bind_int64(s, 1, sighting.id)
            // withCString hands over the string's own bytes when they are contiguous UTF-8.
            _ = sighting.name.withCString { sqlite3_bind_text(s, 2, $0, Int32(sighting.name.utf8.count), transient) }
            sqlite3_bind_int64(s, 3, sighting.firstSeen)
            sqlite3_bind_int64(s, 4, sighting.lastSeen)
            try insertStep(s, db)
        }
    }

    public func repositories() throws -> [RepoRef] {
        try pool.read { db in
            // The current name is the one seen last.
            try Row.fetchAll(db, sql: """
                SELECT repo_id, name FROM (
                  SELECT repo_id, name, row_number() OVER (PARTITION BY repo_id ORDER BY last_seen DESC, name) AS k
                  FROM repo_names) WHERE k = 1 ORDER BY repo_id
                """).map { RepoRef(id: $0[0], name: $0[1]) }
        }
    }

    public func repository(named name: String, platform: Platform) throws -> RepoRef? {
        try pool.read { db in
            guard let id = try Int64.fetchOne(db, sql: """
                SELECT repo_id FROM repo_names WHERE name = ? COLLATE NOCASE AND repo_id BETWEEN ? AND ? ORDER BY last_seen DESC LIMIT 1
                """, arguments: [name, platform.keys.lowerBound, platform.keys.upperBound]) else { return nil }
            let current = try String.fetchOne(db, sql: "SELECT name FROM repo_names WHERE repo_id = ? ORDER BY last_seen DESC, name LIMIT 1", arguments: [id])
            return RepoRef(id: id, name: current ?? name)
        }
    }

    public func facts(for repo: RepoRef, months: ClosedRange<Month>?) throws -> RepoFacts {
        var result: RepoFacts?
        try scanFacts(repoID: repo.id, months: months) { facts in result = facts }
        var facts = result ?? RepoFacts(repo: repo)
        facts.repo = repo
        return facts
    }

    public func forEachRepository(months: ClosedRange<Month>?, _ body: (RepoFacts) throws -> Void) throws {
        let names = Dictionary(uniqueKeysWithValues: try repositories().map { ($0.id, $0.name) })
        try scanFacts(repoID: nil, months: months) { facts in
            var facts = facts
            facts.repo.name = names[facts.repo.id] ?? "#\(facts.repo.id)"
            try body(facts)
        }
    }

    public func forEachRepository(months: ClosedRange<Month>?, actor: Int64, _ body: (RepoFacts) throws -> Void) throws {
        let names = Dictionary(uniqueKeysWithValues: try repositories().map { ($0.id, $0.name) })
        try scanFacts(repoID: nil, months: months, actorID: actor) { facts in
            var facts = facts
            facts.repo.name = names[facts.repo.id] ?? "#\(facts.repo.id)"
            try body(facts)
        }
    }

    public func account(login: String, platform: Platform) throws -> Int64? {
        try pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT actor_id FROM actor_logins WHERE login = ? COLLATE NOCASE AND actor_id BETWEEN ? AND ? ORDER BY last_seen DESC LIMIT 1",
                               arguments: [login, platform.keys.lowerBound, platform.keys.upperBound])
        }
    }

    /// One ordered pass over the facts (and the pull request lines alongside), grouped by repo.
    /// With `actorID`, only that actor's facts (a full scan: there is no index by actor).
    private func scanFacts(repoID: Int64?, months: ClosedRange<Month>?, actorID: Int64? = nil, _ body: (RepoFacts) throws -> Void) throws {
        try pool.read { db in
            var conditions: [String] = []
            var args: [DatabaseValueConvertible] = []
            if let repoID { conditions.append("repo_id = ?"); args.append(repoID) }
            if let months {
                conditions.append("month BETWEEN ? AND ?")
                args.append(Int64(months.lowerBound.index)); args.append(Int64(months.upperBound.index))
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            var factConditions = conditions, factArgs = args
            if let actorID { factConditions.append("actor_id = ?"); factArgs.append(actorID) }
            let factWhere = factConditions.isEmpty ? "" : "WHERE " + factConditions.joined(separator: " AND ")

            // Lines are few next to facts: read them per repo into a dictionary first.
            var lines: [Int64: [PullRequestLines]] = [:]
            let lineRows = actorID != nil ? nil : try Row.fetchCursor(db, sql: "SELECT event_id, repo_id, month, additions, deletions FROM pull_request_lines \(whereClause) ORDER BY repo_id, month", arguments: StatementArguments(args))
            while let r = try lineRows?.next() {
                let l = PullRequestLines(eventID: r[0], repo: r[1], month: Month(index: Int32(r[2] as Int64)), additions: r[3], deletions: r[4])
                lines[l.repo, default: []].append(l)
            }

            let stmt = try db.makeStatement(sql: "SELECT repo_id, kind, month, object_id, actor_id FROM facts \(factWhere) ORDER BY repo_id, kind, month, object_id, actor_id")
            try stmt.setArguments(StatementArguments(factArgs))
            let s = stmt.sqliteStatement
            var current: RepoFacts?
            var kind: FactKind?
            var rows: [FactRow] = []
            func flushKind() {
                if let k = kind, !rows.isEmpty { current?.byKind[k] = rows }
                rows.removeAll(keepingCapacity: true)
            }
            // Timelines are read whole, whatever the months: an item's durations need its life.
            let itemStatement = actorID != nil ? nil : try db.makeStatement(sql: "SELECT number, at, kind, actor_id, is_pr FROM item_events WHERE repo_id = ? ORDER BY number, at, kind, actor_id")
            func itemEvents(_ repo: Int64) throws -> [ItemEvent] {
                guard let itemStatement else { return [] }
                let rows = try Row.fetchCursor(itemStatement, arguments: [repo])
                var out: [ItemEvent] = []
                while let r = try rows.next() {
                    guard let kind = ItemEventKind(rawValue: UInt8(truncatingIfNeeded: r[2] as Int64)) else { continue }
                    out.append(ItemEvent(repo: repo, number: r[0], isPullRequest: r[4], kind: kind, at: r[1], actor: r[3]))
                }
                return out
            }
            // Repos with PR lines but no facts, in repo order between the ones with facts.
            let lineRepos = lines.keys.sorted()
            var nextLineRepo = 0
            func flushLinesOnly(before repo: Int64) throws {
                while nextLineRepo < lineRepos.count && lineRepos[nextLineRepo] < repo {
                    if let only = lines.removeValue(forKey: lineRepos[nextLineRepo]) {
                        var facts = RepoFacts(repo: RepoRef(id: lineRepos[nextLineRepo], name: ""))
                        facts.pullRequestLines = only
                        try body(facts)
                    }
                    nextLineRepo += 1
                }
            }
            func flushRepo() throws {
                flushKind()
                if var c = current {
                    c.pullRequestLines = lines.removeValue(forKey: c.repo.id) ?? []
                    c.itemEvents = try itemEvents(c.repo.id)
                    try body(c)
                }
            }
            while true {
                let rc = sqlite3_step(s)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                let repo = sqlite3_column_int64(s, 0)
                if current?.repo.id != repo {
                    try flushRepo()
                    try flushLinesOnly(before: repo)
                    current = RepoFacts(repo: RepoRef(id: repo, name: ""))
                    kind = nil
                }
                guard let k = FactKind(rawValue: UInt8(truncatingIfNeeded: sqlite3_column_int64(s, 1))) else { continue }
                if k != kind { flushKind(); kind = k }
                rows.append(FactRow(month: Month(index: Int32(truncatingIfNeeded: sqlite3_column_int64(s, 2))),
                                    object: sqlite3_column_int64(s, 3), actor: sqlite3_column_int64(s, 4)))
            }
            try flushRepo()
            try flushLinesOnly(before: .max)
        }
    }

    public func logins(for ids: Set<Int64>) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        // Metrics ask for logins while forEachRepository's read is still open: its own connection.
        return try lookups.read { db in
            var result: [Int64: String] = [:]
            var seen: [Int64: Int64] = [:]
            let sorted = Array(ids)
            // SQLite limits bound parameters; ask in chunks.
            for start in stride(from: 0, to: sorted.count, by: 500) {
                let chunk = sorted[start..<min(start + 500, sorted.count)]
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchCursor(db, sql: "SELECT actor_id, login, last_seen FROM actor_logins WHERE actor_id IN (\(marks))", arguments: StatementArguments(Array(chunk)))
                while let r = try rows.next() {
                    let id: Int64 = r[0], last: Int64 = r[2]
                    if let s = seen[id], s >= last { continue }
                    seen[id] = last
                    result[id] = r[1]
                }
            }
            return result
        }
    }

    public func ingestedEvents() throws -> Int { try pool.read { try ingestedEvents($0) } }

    private func ingestedEvents(_ db: Database) throws -> Int {
        // A file read again after it changed (a cut download, then the whole one) counts once.
        try Int.fetchOne(db, sql: "SELECT coalesce(sum(e), 0) FROM (SELECT max(events) AS e FROM ingested_files GROUP BY name)") ?? 0
    }

    public func summary() throws -> StoreSummary {
        try pool.read { db in
            let files = try Int.fetchOne(db, sql: "SELECT count(DISTINCT name) FROM ingested_files WHERE name NOT LIKE 'kaiyuan-copy:%'") ?? 0
            let repos = try Int.fetchOne(db, sql: "SELECT count(DISTINCT repo_id) FROM repo_names") ?? 0
            let devs = try Int.fetchOne(db, sql: "SELECT count(DISTINCT actor_id) FROM actor_logins") ?? 0
            let facts = try Int.fetchOne(db, sql: "SELECT count(*) FROM facts") ?? 0
            let lo = try Int64.fetchOne(db, sql: "SELECT min(month) FROM facts")
            let hi = try Int64.fetchOne(db, sql: "SELECT max(month) FROM facts")
            return StoreSummary(files: files, events: try ingestedEvents(db), repositories: repos, developers: devs, facts: facts,
                                firstMonth: lo.map { Month(index: Int32($0)).key }, lastMonth: hi.map { Month(index: Int32($0)).key })
        }
    }
}

// MARK: - OpenRank

extension SQLiteStore {
    public func factCounts(month: Month, kinds: [FactKind], platforms: PlatformSet, excludedOnly: Bool, _ body: (FactCount) throws -> Void) throws {
        guard !kinds.isEmpty, !platforms.platforms.isEmpty else { return }
        let kindList = kinds.map { String($0.rawValue) }.joined(separator: ",")
        let inPlatforms = "(" + platforms.platforms.map { "repo_id BETWEEN \($0.keys.lowerBound) AND \($0.keys.upperBound)" }.joined(separator: " OR ") + ")"
        // The excluded facts are facts: counted the same way, from their own table. The month's
        // facts are read in the index's order and counted here, a run of equal (kind, repo,
        // actor) at a time: twice as fast as SQLite's GROUP BY over tens of millions of rows.
        let sql = excludedOnly ? """
            SELECT kind, repo_id, actor_id FROM openrank_excluded
            WHERE month = ? AND kind IN (\(kindList)) AND \(inPlatforms) ORDER BY kind, repo_id, actor_id
            """ : """
            SELECT kind, repo_id, actor_id FROM facts INDEXED BY facts_by_month
            WHERE month = ? AND kind IN (\(kindList)) AND \(inPlatforms) ORDER BY kind, repo_id, actor_id
            """
        try lookups.read { db in
            let stmt = try db.makeStatement(sql: sql)
            try stmt.setArguments([Int64(month.index)])
            let s = stmt.sqliteStatement
            var run: (kind: Int64, repo: Int64, actor: Int64)?
            var count = 0
            func flush() throws {
                if let r = run, count > 0, let kind = FactKind(rawValue: UInt8(truncatingIfNeeded: r.kind)) {
                    try body(FactCount(repo: r.repo, actor: r.actor, kind: kind, count: count))
                }
            }
            while true {
                let rc = sqlite3_step(s)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                let row = (kind: sqlite3_column_int64(s, 0), repo: sqlite3_column_int64(s, 1), actor: sqlite3_column_int64(s, 2))
                if let r = run, r == row {
                    count += 1
                } else {
                    try flush()
                    run = row
                    count = 1
                }
            }
            try flush()
        }
    }

    public func countPerRepository(kinds: [FactKind], key: FactCountKey, months: ClosedRange<Month>) throws -> [Int64: Int] {
        guard !kinds.isEmpty else { return [:] }
        let kindList = kinds.map { String($0.rawValue) }.joined(separator: ",")
        let counted = switch key { case .actor: "count(DISTINCT actor_id)"; case .object: "count(DISTINCT object_id)"; case .fact: "count(*)" }
        return try lookups.read { db in
            var out: [Int64: Int] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT repo_id, \(counted) FROM facts INDEXED BY facts_by_month
                WHERE month BETWEEN ? AND ? AND kind IN (\(kindList)) GROUP BY repo_id
                """, arguments: [Int64(months.lowerBound.index), Int64(months.upperBound.index)])
            while let r = try rows.next() { out[r[0]] = r[1] }
            return out
        }
    }

    public func accounts(withLoginSuffix suffix: String) throws -> Set<Int64> {
        try lookups.read { db in
            Set(try Int64.fetchAll(db, sql: "SELECT DISTINCT actor_id FROM actor_logins WHERE substr(login, -?) = ?",
                                   arguments: [suffix.count, suffix]))
        }
    }

    public func dataVersions(platforms: PlatformSet?) throws -> [Month: Int64] {
        try lookups.read { db in
            var out: [Month: Int64] = [:]
            let filter = platforms.map { "WHERE platform IN (" + $0.platforms.map { String($0.code) }.joined(separator: ",") + ")" } ?? ""
            for row in try Row.fetchAll(db, sql: "SELECT month, sum(version) FROM month_versions \(filter) GROUP BY month") {
                out[Month(index: Int32(row[0] as Int64))] = row[1]
            }
            return out
        }
    }

    public func openRankRuns(scope: PlatformSet) throws -> [Month: OpenRankMonthRecord] {
        try lookups.read { db in
            var out: [Month: OpenRankMonthRecord] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT month, data_version, repos, developers, iterations, residual FROM openrank_months WHERE scope = ?",
                                        arguments: [scope.description]) {
                let m = Month(index: Int32(row[0] as Int64))
                out[m] = OpenRankMonthRecord(month: m, dataVersion: row[1], repos: row[2], developers: row[3], iterations: row[4], residual: row[5])
            }
            return out
        }
    }

    public func latestOpenRanks(before month: Month, scope: PlatformSet) throws -> [OpenRankNode: (month: Month, value: Double)] {
        try lookups.read { db in
            var out: [OpenRankNode: (month: Month, value: Double)] = [:]
            // In month order, so each node keeps its latest value.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT node_kind, node_id, month, value FROM openrank_values WHERE scope = ? AND month < ? ORDER BY month
                """, arguments: [scope.description, Int64(month.index)])
            while let r = try rows.next() {
                guard let kind = EntityKind(rawValue: r[0]) else { continue }
                out[OpenRankNode(kind, r[1])] = (Month(index: Int32(r[2] as Int64)), r[3])
            }
            return out
        }
    }

    public func replaceOpenRank(_ record: OpenRankMonthRecord, scope: PlatformSet, repos: [Int64: Double], developers: [Int64: Double]) throws {
        try pool.write { db in
            let m = Int64(record.month.index)
            try db.execute(sql: "DELETE FROM openrank_values WHERE scope = ? AND month = ?", arguments: [scope.description, m])
            // Millions of rows for a month of GitHub: in key order (appending to the B-tree),
            // bound through SQLite's C API; the bindings that do not change are bound once.
            let insert = try db.makeStatement(sql: "INSERT INTO openrank_values (scope, node_kind, node_id, month, value) VALUES (?, ?, ?, ?, ?)")
            try insert.setArguments([scope.description, 0, 0, m, 0.0])
            let s = insert.sqliteStatement
            for (kind, values) in [(EntityKind.repo, repos), (.developer, developers)] {
                sqlite3_bind_int64(s, 2, Int64(kind.rawValue))
                for (id, v) in values.sorted(by: { $0.key < $1.key }) {
                    sqlite3_bind_int64(s, 3, id)
                    sqlite3_bind_double(s, 5, v)
                    try Self.insertStep(s, db)
                }
            }
            try db.execute(sql: """
                INSERT OR REPLACE INTO openrank_months (scope, month, data_version, repos, developers, iterations, residual, computed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, strftime('%s', 'now'))
                """, arguments: [scope.description, m, record.dataVersion, record.repos, record.developers, record.iterations, record.residual])
        }
    }

    public func openRank(_ kind: EntityKind, id: Int64) throws -> [Month: Double] {
        try lookups.read { db in
            var out: [Month: Double] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT month, value FROM openrank_values WHERE scope = ? AND node_kind = ? AND node_id = ?",
                                        arguments: [Platform.of(key: id).rawValue, kind.rawValue, id]) {
                out[Month(index: Int32(row[0] as Int64))] = row[1]
            }
            return out
        }
    }

    public func openRank(_ kind: EntityKind, months: ClosedRange<Month>, scope: PlatformSet?) throws -> [Int64: [Month: Double]] {
        try lookups.read { db in
            var out: [Int64: [Month: Double]] = [:]
            // Without a scope, each node's own platform's graph: the single-platform scopes.
            let scopeFilter = scope == nil ? "instr(scope, ',') = 0" : "scope = ?"
            var args: [DatabaseValueConvertible] = [Int64(months.lowerBound.index), Int64(months.upperBound.index), kind.rawValue]
            if let scope { args.append(scope.description) }
            let rows = try Row.fetchCursor(db, sql: "SELECT node_id, month, value FROM openrank_values WHERE month BETWEEN ? AND ? AND node_kind = ? AND \(scopeFilter)",
                                           arguments: StatementArguments(args))
            while let row = try rows.next() {
                out[row[0], default: [:]][Month(index: Int32(row[1] as Int64))] = row[2]
            }
            return out
        }
    }
}

/// A month of one platform's data (`Platform.code`).
struct PlatformMonth: Hashable {
    var platform: Int64
    var month: Month
}

