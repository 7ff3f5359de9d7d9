import Foundation
import KaiyuanCore
import KaiyuanStore

/// A kaiyuan store on a ClickHouse cluster, over the HTTP interface (see `ClickHouseSchema`
/// for the tables and why re-ingesting changes nothing). Ordered scans read each shard's
/// local table in key order and merge the shards by repository; look-ups and counts that span
/// shards go through the `Distributed` tables.
public final class ClickHouseStore: DataStore, @unchecked Sendable {
    public let config: ClickHouseLocation
    let nodes: [ClickHouseNode]
    let db: String
    var coordinator: ClickHouseNode { nodes[0] }
    public var location: String { config.description }

    public init(_ config: ClickHouseLocation, readOnly: Bool = false) throws {
        self.config = config
        db = config.database
        nodes = config.nodes.map { ClickHouseNode(node: $0, user: config.user, password: config.password) }
        for node in nodes { try node.execute("SELECT 1") }
        if let cluster = config.cluster { try checkCluster(cluster) }
        if readOnly {
            let exists = try coordinator.rows("SELECT count() FROM system.tables WHERE database = \(TSV.quote(db)) AND name = 'kaiyuan_schema'")
            guard exists.first?.first == "1" else { throw StoreError.missing(path: location) }
        } else {
            try createTables()
        }
        let versions = try coordinator.rows("SELECT max(version) FROM \(db).kaiyuan_schema").first?.first.flatMap { Int($0) } ?? 0
        if versions > ClickHouseSchema.version { throw StoreError.newerSchema(path: location) }
        if versions < ClickHouseSchema.version {
            if readOnly { throw StoreError.olderSchema(path: location) }
            try coordinator.execute("INSERT INTO \(db).kaiyuan_schema (version, written_at) VALUES (\(ClickHouseSchema.version), \(Int64(Date().timeIntervalSince1970)))")
        }
    }

    /// The cluster must exist and have one shard per listed node. kaiyuan routes every row
    /// itself, so the numbers do not depend on the order the nodes are listed in; listing them
    /// in shard order also keeps the `Distributed` tables' own routing the same as kaiyuan's.
    private func checkCluster(_ cluster: String) throws {
        let rows = try coordinator.rows("SELECT shard_num, host_address, port FROM system.clusters WHERE cluster = \(TSV.quote(cluster)) ORDER BY shard_num")
        guard !rows.isEmpty else { throw StoreError.unknownCluster(url: coordinator.url, cluster: cluster) }
        let shards = Set(rows.map { $0[0] }).count
        guard shards == nodes.count else {
            throw StoreError.badLocation(location, "cluster '\(cluster)' has \(shards) shard\(shards == 1 ? "" : "s") but the location lists \(nodes.count) node\(nodes.count == 1 ? "" : "s"): list every shard's HTTP address, in shard order")
        }
    }

    private func createTables() throws {
        for node in nodes {
            try node.execute("CREATE DATABASE IF NOT EXISTS \(db)")
            for t in ClickHouseSchema.sharded {
                try node.execute("CREATE TABLE IF NOT EXISTS \(db).\(t.name)_local (\(t.columns)) ENGINE = MergeTree ORDER BY (\(t.orderBy))")
                if let cluster = config.cluster {
                    try node.execute("CREATE TABLE IF NOT EXISTS \(db).\(t.name) AS \(db).\(t.name)_local ENGINE = Distributed(\(cluster), \(db), \(t.name)_local, intHash64(\(t.shardKey)))")
                }
            }
        }
        for t in ClickHouseSchema.coordinator {
            try coordinator.execute("CREATE TABLE IF NOT EXISTS \(db).\(t.name) \(t.definition)")
        }
    }

    // MARK: Routing

    /// The shard a key lives on: what the Distributed tables' `intHash64(key)` picks.
    func shard(of key: Int64) -> Int { Int(intHash64(key) % UInt64(nodes.count)) }

    /// The table that spans every shard (the Distributed table; the local one on a single server).
    func spanning(_ table: String) -> String { config.cluster == nil ? "\(db).\(table)_local" : "\(db).\(table)" }

    /// Ids of the files in the ledger, as an SQL list: only their rows count. Read again after
    /// this store's own commits and at most a second after another process's.
    func committedFiles() throws -> String {
        lock.lock(); defer { lock.unlock() }
        if let c = committedCache, Date().timeIntervalSince(c.at) < 1 { return c.list }
        let ids = try coordinator.rows("SELECT DISTINCT file_id FROM \(db).ingested_files ORDER BY file_id").map { $0[0] }
        let list = ids.isEmpty ? "(0)" : "(" + ids.joined(separator: ",") + ")"
        committedCache = (Date(), list)
        return list
    }

    let lock = NSLock()
    var committedCache: (at: Date, list: String)?
    /// Every account's current login, for the committed files it was read with: metrics ask
    /// for a few logins per repository, and one query for all beats one per repository.
    var loginCache: (files: String, logins: [Int64: String])?

    private func forgetCaches() {
        lock.lock(); defer { lock.unlock() }
        committedCache = nil
        loginCache = nil
    }

    /// A file's id in every row it wrote: its name and content, so the same file gives the same
    /// id and a re-run after a crash rewrites the same rows.
    static func fileID(name: String, digest: String) -> UInt64 {
        max(StableHash.fnv1a([name, digest]) >> 1, 1)
    }

    // MARK: Ingest

    static let ledgerColumns = "name, size, events, skipped_lines, ingested_at, digest"

    static func ledgerRecord(_ r: [String]) -> IngestedFile {
        IngestedFile(name: r[0], size: Int64(r[1]) ?? 0, events: Int(r[2]) ?? 0, skippedLines: Int(r[3]) ?? 0, ingestedAt: Int64(r[4]) ?? 0, digest: r[5])
    }

    public func ingestedFile(named name: String) throws -> IngestedFile? {
        try coordinator.rows("SELECT \(Self.ledgerColumns) FROM \(db).ingested_files WHERE name = \(TSV.quote(name)) ORDER BY ingested_at DESC, digest LIMIT 1")
            .first.map(Self.ledgerRecord)
    }

    public func ingestedFile(named name: String, digest: String) throws -> IngestedFile? {
        try coordinator.rows("SELECT \(Self.ledgerColumns) FROM \(db).ingested_files WHERE name = \(TSV.quote(name)) AND digest = \(TSV.quote(digest)) LIMIT 1")
            .first.map(Self.ledgerRecord)
    }

    @discardableResult
    public func commit(_ delta: FileDelta, file: IngestedFile) throws -> Bool {
        if try ingestedFile(named: file.name, digest: file.digest) != nil { return false }
        let id = Self.fileID(name: file.name, digest: file.digest)
        // Rows are written field by field into each shard's buffer: nothing is built per row.
        let idField = Array(String(id).utf8) + [10]
        @inline(__always) func put(_ v: Int64, _ buffer: inout [UInt8]) { TSV.append(v, to: &buffer); buffer.append(9) }
        @inline(__always) func end(_ buffer: inout [UInt8]) { buffer += idField }
        var facts = [[UInt8]](repeating: [], count: nodes.count)
        var platformMonths = Set<Int64>()
        var last: Fact?
        for f in delta.facts {
            if f == last { continue }
            last = f
            let s = shard(of: f.repo)
            put(f.repo, &facts[s]); put(Int64(f.kind.rawValue), &facts[s]); put(Int64(f.month.index), &facts[s])
            put(f.object, &facts[s]); put(f.actor, &facts[s]); end(&facts[s])
            platformMonths.insert((f.repo >> Platform.idBits) << 32 | Int64(f.month.index))
        }
        var lines = [[UInt8]](repeating: [], count: nodes.count)
        for l in delta.pullRequestLines {
            let s = shard(of: l.repo)
            put(l.eventID, &lines[s]); put(l.repo, &lines[s]); put(Int64(l.month.index), &lines[s])
            put(l.additions, &lines[s]); put(l.deletions, &lines[s]); end(&lines[s])
        }
        var items = [[UInt8]](repeating: [], count: nodes.count)
        for e in delta.itemEvents {
            let s = shard(of: e.repo)
            put(e.repo, &items[s]); put(e.number, &items[s]); put(e.at, &items[s]); put(Int64(e.kind.rawValue), &items[s])
            put(e.actor, &items[s]); put(e.isPullRequest ? 1 : 0, &items[s]); end(&items[s])
        }
        var excluded = [[UInt8]](repeating: [], count: nodes.count)
        for f in delta.openRankExclusions.sorted() {
            let s = shard(of: f.repo)
            put(f.repo, &excluded[s]); put(Int64(f.kind.rawValue), &excluded[s]); put(Int64(f.month.index), &excluded[s])
            put(f.object, &excluded[s]); put(f.actor, &excluded[s]); end(&excluded[s])
        }
        func names(_ sightings: NameSightings) -> [[UInt8]] {
            var out = [[UInt8]](repeating: [], count: nodes.count)
            for n in sightings.all {
                let s = shard(of: n.id)
                put(n.id, &out[s])
                TSV.append(n.name, to: &out[s]); out[s].append(9)
                put(n.firstSeen, &out[s]); put(n.lastSeen, &out[s]); end(&out[s])
            }
            return out
        }
        let repoNames = names(delta.repoNames), actorLogins = names(delta.actorLogins)
        let table = Dictionary(uniqueKeysWithValues: ClickHouseSchema.sharded.map { ($0.name, $0) })
        for (i, node) in nodes.enumerated() {
            for (name, rows) in [("facts", facts[i]), ("pr_lines", lines[i]), ("item_events", items[i]), ("openrank_excluded", excluded[i]),
                                 ("repo_names", repoNames[i]), ("actor_logins", actorLogins[i])] {
                try node.insert(into: "\(db).\(name)_local", columns: table[name]!.insertColumns, rows: rows)
            }
        }
        // Last: the ledger row that makes the file's rows count.
        var ledger: [UInt8] = []
        TSV.append(file.name, to: &ledger); ledger.append(9)
        TSV.append(file.digest, to: &ledger); ledger.append(9)
        TSV.append(id, to: &ledger); ledger.append(9)
        for v in [file.size, Int64(file.events), Int64(file.skippedLines), file.ingestedAt] { TSV.append(v, to: &ledger); ledger.append(9) }
        ledger += Array(("[" + platformMonths.sorted().map(String.init).joined(separator: ",") + "]\n").utf8)
        try coordinator.insert(into: "\(db).ingested_files", columns: "name, digest, file_id, size, events, skipped_lines, ingested_at, platform_months", rows: ledger)
        forgetCaches()
        return true
    }

    // MARK: Names

    /// (id, name, last seen) per distinct sighting, the current one picked as SQLite picks it:
    /// latest `last_seen`, then the smallest name.
    func currentNames(_ table: String, idColumn: String, nameColumn: String, where condition: String) throws -> [Int64: String] {
        let files = try committedFiles()
        var best: [Int64: (name: String, last: Int64)] = [:]
        for r in try coordinator.rows("""
            SELECT \(idColumn), \(nameColumn), max(last_seen) FROM \(spanning(table))
            WHERE file_id IN \(files) AND (\(condition)) GROUP BY \(idColumn), \(nameColumn)
            """) {
            guard let id = Int64(r[0]), let last = Int64(r[2]) else { continue }
            if let b = best[id], b.last > last || (b.last == last && !r[1].utf8.lexicographicallyPrecedes(b.name.utf8)) { continue }
            best[id] = (r[1], last)
        }
        return best.mapValues(\.name)
    }

    public func repositories() throws -> [RepoRef] {
        try currentNames("repo_names", idColumn: "repo_id", nameColumn: "name", where: "1")
            .map { RepoRef(id: $0.key, name: $0.value) }.sorted { $0.id < $1.id }
    }

    public func repository(named name: String, platform: Platform) throws -> RepoRef? {
        let files = try committedFiles()
        guard let id = try coordinator.rows("""
            SELECT repo_id FROM \(spanning("repo_names")) WHERE file_id IN \(files) AND lower(name) = lower(\(TSV.quote(name)))
            AND repo_id BETWEEN \(platform.keys.lowerBound) AND \(platform.keys.upperBound) ORDER BY last_seen DESC LIMIT 1
            """).first.flatMap({ Int64($0[0]) }) else { return nil }
        let current = try currentNames("repo_names", idColumn: "repo_id", nameColumn: "name", where: "repo_id = \(id)")[id]
        return RepoRef(id: id, name: current ?? name)
    }

    public func account(login: String, platform: Platform) throws -> Int64? {
        let files = try committedFiles()
        return try coordinator.rows("""
            SELECT actor_id FROM \(spanning("actor_logins")) WHERE file_id IN \(files) AND lower(login) = lower(\(TSV.quote(login)))
            AND actor_id BETWEEN \(platform.keys.lowerBound) AND \(platform.keys.upperBound) ORDER BY last_seen DESC LIMIT 1
            """).first.flatMap { Int64($0[0]) }
    }

    public func logins(for ids: Set<Int64>) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        let files = try committedFiles()
        lock.lock()
        let cached = loginCache?.files == files ? loginCache?.logins : nil
        lock.unlock()
        let all: [Int64: String]
        if let cached {
            all = cached
        } else {
            all = try currentNames("actor_logins", idColumn: "actor_id", nameColumn: "login", where: "1")
            lock.lock(); loginCache = (files, all); lock.unlock()
        }
        var out: [Int64: String] = [:]
        for id in ids { if let l = all[id] { out[id] = l } }
        return out
    }

    public func accounts(withLoginSuffix suffix: String) throws -> Set<Int64> {
        let files = try committedFiles()
        let pattern = "%" + String(likePrefix(suffix).dropLast())
        return Set(try coordinator.rows("""
            SELECT DISTINCT actor_id FROM \(spanning("actor_logins")) WHERE file_id IN \(files) AND login LIKE \(TSV.quote(pattern))
            """).compactMap { Int64($0[0]) })
    }

    // MARK: Facts

    public func facts(for repo: RepoRef, months: ClosedRange<Month>?) throws -> RepoFacts {
        var result: RepoFacts?
        try scan(repo: repo.id, months: months, actor: nil) { result = $0 }
        var facts = result ?? RepoFacts(repo: repo)
        facts.repo = repo
        return facts
    }

    public func forEachRepository(months: ClosedRange<Month>?, _ body: (RepoFacts) throws -> Void) throws {
        let names = try currentNames("repo_names", idColumn: "repo_id", nameColumn: "name", where: "1")
        try scan(repo: nil, months: months, actor: nil) { facts in
            var facts = facts
            facts.repo.name = names[facts.repo.id] ?? "#\(facts.repo.id)"
            try body(facts)
        }
    }

    public func forEachRepository(months: ClosedRange<Month>?, actor: Int64, _ body: (RepoFacts) throws -> Void) throws {
        let names = try currentNames("repo_names", idColumn: "repo_id", nameColumn: "name", where: "1")
        try scan(repo: nil, months: months, actor: actor) { facts in
            var facts = facts
            facts.repo.name = names[facts.repo.id] ?? "#\(facts.repo.id)"
            try body(facts)
        }
    }

    /// Every shard's repositories in key order, merged: each shard's scan is complete for its
    /// repositories, so the smallest next repository among the shards comes next.
    private func scan(repo: Int64?, months: ClosedRange<Month>?, actor: Int64?, _ body: (RepoFacts) throws -> Void) throws {
        let files = try committedFiles()
        var conditions = ["file_id IN \(files)"]
        if let repo { conditions.append("repo_id = \(repo)") }
        if let months { conditions.append("month BETWEEN \(months.lowerBound.index) AND \(months.upperBound.index)") }
        var factConditions = conditions
        if let actor { factConditions.append("actor_id = \(actor)") }
        let targets = repo.map { [nodes[shard(of: $0)]] } ?? nodes
        var scans: [ShardScan] = []
        for node in targets {
            let facts = try node.lines("SELECT repo_id, kind, month, object_id, actor_id FROM \(db).facts_local WHERE \(factConditions.joined(separator: " AND ")) ORDER BY repo_id, kind, month, object_id, actor_id")
            // A developer's own view has no lines or timelines (as in SQLite).
            let lines = actor != nil ? nil : try node.lines("SELECT repo_id, month, event_id, additions, deletions FROM \(db).pr_lines_local WHERE \(conditions.joined(separator: " AND ")) ORDER BY repo_id, month, event_id")
            var itemConditions = ["file_id IN \(files)"]
            if let repo { itemConditions.append("repo_id = \(repo)") }
            let items = actor != nil ? nil : try node.lines("SELECT repo_id, number, at, kind, actor_id, is_pr FROM \(db).item_events_local WHERE \(itemConditions.joined(separator: " AND ")) ORDER BY repo_id, number, at, kind, actor_id")
            scans.append(try ShardScan(facts: facts, lines: lines, items: items, url: node.url))
        }
        while true {
            var next: Int?
            for (i, s) in scans.enumerated() {
                guard let r = s.nextRepo else { continue }
                if next == nil || r < scans[next!].nextRepo! { next = i }
            }
            guard let i = next else { break }
            try body(try scans[i].take())
        }
    }

    // MARK: Summary

    private func scalar(_ sql: String, on node: ClickHouseNode? = nil) throws -> Int64 {
        try (node ?? coordinator).rows(sql).first.flatMap { Int64($0[0]) } ?? 0
    }

    public func ingestedEvents() throws -> Int {
        // A file read again after it changed counts once.
        Int(try scalar("SELECT sum(e) FROM (SELECT name, max(events) AS e FROM \(db).ingested_files GROUP BY name)"))
    }

    public func summary() throws -> StoreSummary {
        let files = try committedFiles()
        var facts: Int64 = 0, lo: Int64?, hi: Int64?
        for node in nodes {
            facts += try scalar("SELECT count() FROM (SELECT DISTINCT repo_id, kind, month, object_id, actor_id FROM \(db).facts_local WHERE file_id IN \(files))", on: node)
            if let r = try node.rows("SELECT min(month), max(month), count() FROM \(db).facts_local WHERE file_id IN \(files)").first, r[2] != "0",
               let a = Int64(r[0]), let b = Int64(r[1]) {
                lo = min(lo ?? a, a); hi = max(hi ?? b, b)
            }
        }
        return StoreSummary(
            files: Int(try scalar("SELECT uniqExact(name) FROM \(db).ingested_files WHERE NOT (name LIKE 'kaiyuan-copy:%')")), events: try ingestedEvents(),
            repositories: Int(try scalar("SELECT uniqExact(repo_id) FROM \(spanning("repo_names")) WHERE file_id IN \(files)")),
            developers: Int(try scalar("SELECT uniqExact(actor_id) FROM \(spanning("actor_logins")) WHERE file_id IN \(files)")),
            facts: Int(facts), firstMonth: lo.map { Month(index: Int32($0)).key }, lastMonth: hi.map { Month(index: Int32($0)).key })
    }

    // MARK: OpenRank

    public func factCounts(month: Month, kinds: [FactKind], platforms: PlatformSet, excludedOnly: Bool, _ body: (FactCount) throws -> Void) throws {
        guard !kinds.isEmpty, !platforms.platforms.isEmpty else { return }
        let files = try committedFiles()
        let kindList = kinds.map { String($0.rawValue) }.joined(separator: ",")
        let inPlatforms = "(" + platforms.platforms.map { "repo_id BETWEEN \($0.keys.lowerBound) AND \($0.keys.upperBound)" }.joined(separator: " OR ") + ")"
        // The excluded facts are facts: counted the same way, from their own table.
        let table = excludedOnly ? "openrank_excluded_local" : "facts_local"
        var row: [Int64] = []
        // Per shard: a repository's facts are all on one shard, so its distinct counts are whole.
        for node in nodes {
            let lines = try node.lines("""
                SELECT repo_id, actor_id, kind, count() FROM (
                  SELECT DISTINCT repo_id, kind, object_id, actor_id FROM \(db).\(table)
                  WHERE month = \(month.index) AND kind IN (\(kindList)) AND \(inPlatforms) AND file_id IN \(files))
                GROUP BY kind, repo_id, actor_id ORDER BY kind, repo_id, actor_id
                """)
            while let line = try lines.nextLine() {
                try TSV.integers(line, into: &row, url: node.url)
                guard row.count == 4, let kind = FactKind(rawValue: UInt8(truncatingIfNeeded: row[2])) else { continue }
                try body(FactCount(repo: row[0], actor: row[1], kind: kind, count: Int(row[3])))
            }
        }
    }

    public func countPerRepository(kinds: [FactKind], key: FactCountKey, months: ClosedRange<Month>) throws -> [Int64: Int] {
        guard !kinds.isEmpty else { return [:] }
        let files = try committedFiles()
        let kindList = kinds.map { String($0.rawValue) }.joined(separator: ",")
        let range = "month BETWEEN \(months.lowerBound.index) AND \(months.upperBound.index) AND kind IN (\(kindList)) AND file_id IN \(files)"
        let sql = switch key {
        case .actor: "SELECT repo_id, uniqExact(actor_id) FROM \(db).facts_local WHERE \(range) GROUP BY repo_id"
        case .object: "SELECT repo_id, uniqExact(object_id) FROM \(db).facts_local WHERE \(range) GROUP BY repo_id"
        // A fact stored twice (a file ingested twice under two names) is one fact.
        case .fact: "SELECT repo_id, count() FROM (SELECT DISTINCT repo_id, kind, month, object_id, actor_id FROM \(db).facts_local WHERE \(range)) GROUP BY repo_id"
        }
        var out: [Int64: Int] = [:]
        var row: [Int64] = []
        // Per shard: a repository's facts are all on one shard.
        for node in nodes {
            let lines = try node.lines(sql)
            while let line = try lines.nextLine() {
                try TSV.integers(line, into: &row, url: node.url)
                if row.count == 2 { out[row[0]] = Int(row[1]) }
            }
        }
        return out
    }

    public func dataVersions(platforms: PlatformSet?) throws -> [Month: Int64] {
        var out: [Month: Int64] = [:]
        let codes = platforms.map { Set($0.platforms.map(\.code)) }
        // A month's version: how many ledger files added facts to it.
        for r in try coordinator.rows("""
            SELECT pm, count() FROM (SELECT name, digest, any(platform_months) AS pms FROM \(db).ingested_files GROUP BY name, digest)
            ARRAY JOIN pms AS pm GROUP BY pm
            """) {
            guard let pm = Int64(r[0]), let n = Int64(r[1]) else { continue }
            if let codes, !codes.contains(pm >> 32) { continue }
            out[Month(index: Int32(truncatingIfNeeded: pm & 0xFFFF_FFFF)), default: 0] += n
        }
        return out
    }

    /// The current run of each (scope, month): its latest record.
    private func currentRuns(scope: String?) throws -> [(scope: String, month: Int32, run: UInt64, row: [String])] {
        let filter = scope.map { "WHERE scope = \(TSV.quote($0))" } ?? ""
        var latest: [String: (scope: String, month: Int32, run: UInt64, row: [String])] = [:]
        for r in try coordinator.rows("SELECT scope, month, run_id, data_version, repos, developers, iterations, residual_bits FROM \(db).openrank_months \(filter)") {
            guard let m = Int32(r[1]), let run = UInt64(r[2]) else { continue }
            let key = r[0] + "\t" + r[1]
            if let l = latest[key], l.run >= run { continue }
            latest[key] = (r[0], m, run, r)
        }
        return latest.values.sorted { ($0.scope, $0.month) < ($1.scope, $1.month) }
    }

    public func openRankRuns(scope: PlatformSet) throws -> [Month: OpenRankMonthRecord] {
        var out: [Month: OpenRankMonthRecord] = [:]
        for run in try currentRuns(scope: scope.description) {
            let r = run.row
            let month = Month(index: run.month)
            out[month] = OpenRankMonthRecord(month: month, dataVersion: Int64(r[3]) ?? 0, repos: Int(r[4]) ?? 0, developers: Int(r[5]) ?? 0,
                                             iterations: Int(r[6]) ?? 0, residual: Double(bitPattern: UInt64(bitPattern: Int64(r[7]) ?? 0)))
        }
        return out
    }

    /// `(scope, month, run_id) IN (…)` for the current runs, or nil when there are none.
    private func currentRunFilter(scope: String?) throws -> String? {
        let runs = try currentRuns(scope: scope)
        guard !runs.isEmpty else { return nil }
        return "(scope, month, run_id) IN (" + runs.map { "(\(TSV.quote($0.scope)), \($0.month), \($0.run))" }.joined(separator: ",") + ")"
    }

    private func openRankValues(_ conditions: [String], scope: String?, _ row: (Int64, Int64, Int32, Double) -> Void) throws {
        guard let runs = try currentRunFilter(scope: scope) else { return }
        let lines = try coordinator.lines("SELECT node_kind, node_id, month, bits FROM \(db).openrank_values WHERE \(runs) AND \((conditions + ["1"]).joined(separator: " AND ")) ORDER BY month, node_kind, node_id")
        var r: [Int64] = []
        while let line = try lines.nextLine() {
            try TSV.integers(line, into: &r, url: coordinator.url)
            guard r.count == 4 else { continue }
            row(r[0], r[1], Int32(truncatingIfNeeded: r[2]), Double(bitPattern: UInt64(bitPattern: r[3])))
        }
    }

    public func latestOpenRanks(before month: Month, scope: PlatformSet) throws -> [OpenRankNode: (month: Month, value: Double)] {
        var out: [OpenRankNode: (month: Month, value: Double)] = [:]
        try openRankValues(["month < \(month.index)"], scope: scope.description) { kind, id, m, v in
            guard let k = EntityKind(rawValue: Int(kind)) else { return }
            out[OpenRankNode(k, id)] = (Month(index: m), v)
        }
        return out
    }

    public func replaceOpenRank(_ record: OpenRankMonthRecord, scope: PlatformSet, repos: [Int64: Double], developers: [Int64: Double]) throws {
        let previous = try currentRuns(scope: scope.description).first { $0.month == record.month.index }?.run ?? 0
        let run = max(UInt64(Date().timeIntervalSince1970 * 1_000_000), previous + 1)
        var rows: [UInt8] = []
        for (kind, values) in [(EntityKind.repo, repos), (.developer, developers)] {
            for (id, v) in values.sorted(by: { $0.key < $1.key }) {
                TSV.append(scope.description, to: &rows); rows.append(9)
                for x in [Int64(record.month.index)] { TSV.append(x, to: &rows); rows.append(9) }
                TSV.append(run, to: &rows); rows.append(9)
                TSV.append(Int64(kind.rawValue), to: &rows); rows.append(9)
                TSV.append(id, to: &rows); rows.append(9)
                rows += Array("\(v)".utf8); rows.append(9)
                TSV.append(Int64(bitPattern: v.bitPattern), to: &rows); rows.append(10)
            }
        }
        try coordinator.insert(into: "\(db).openrank_values", columns: "scope, month, run_id, node_kind, node_id, value, bits", rows: rows)
        // The record last: until it is written, the month's earlier run still counts.
        var rec: [UInt8] = []
        TSV.append(scope.description, to: &rec); rec.append(9)
        TSV.append(Int64(record.month.index), to: &rec); rec.append(9)
        TSV.append(run, to: &rec); rec.append(9)
        for v in [record.dataVersion, Int64(record.repos), Int64(record.developers), Int64(record.iterations),
                  Int64(bitPattern: record.residual.bitPattern), Int64(Date().timeIntervalSince1970)] {
            TSV.append(v, to: &rec); rec.append(9)
        }
        rec[rec.count - 1] = 10
        try coordinator.insert(into: "\(db).openrank_months", columns: "scope, month, run_id, data_version, repos, developers, iterations, residual_bits, computed_at", rows: rec)
        // Older runs of the month are garbage now; ClickHouse removes them in the background
        // (a mutation rewrites parts, so only when there was an older run).
        if previous > 0 { try coordinator.execute("ALTER TABLE \(db).openrank_values DELETE WHERE scope = \(TSV.quote(scope.description)) AND month = \(record.month.index) AND run_id < \(run)") }
    }

    public func openRank(_ kind: EntityKind, months: ClosedRange<Month>, scope: PlatformSet?) throws -> [Int64: [Month: Double]] {
        var out: [Int64: [Month: Double]] = [:]
        // Without a scope, each node's own platform's graph: the single-platform scopes.
        let scopeCondition = scope == nil ? ["position(scope, ',') = 0"] : []
        try openRankValues(["node_kind = \(kind.rawValue)", "month BETWEEN \(months.lowerBound.index) AND \(months.upperBound.index)"] + scopeCondition,
                           scope: scope?.description) { _, id, m, v in
            out[id, default: [:]][Month(index: m)] = v
        }
        return out
    }

    public func openRank(_ kind: EntityKind, id: Int64) throws -> [Month: Double] {
        var out: [Month: Double] = [:]
        try openRankValues(["node_kind = \(kind.rawValue)", "node_id = \(id)"], scope: Platform.of(key: id).rawValue) { _, _, m, v in
            out[Month(index: m)] = v
        }
        return out
    }
}

/// One shard's ordered scan: facts, pull request lines and timelines, each in repository
/// order, grouped into one repository's `RepoFacts` at a time. Repeated rows (a file ingested
/// twice, an interrupted run and its re-run) are adjacent in key order and kept once.
final class ShardScan {
    private let facts: ClickHouseResponse
    private let lines: ClickHouseResponse?
    private let items: ClickHouseResponse?
    private let url: String
    private var fact: [Int64]?, line: [Int64]?, item: [Int64]?
    private var row: [Int64] = []

    init(facts: ClickHouseResponse, lines: ClickHouseResponse?, items: ClickHouseResponse?, url: String) throws {
        self.facts = facts; self.lines = lines; self.items = items; self.url = url
        fact = try Self.read(facts, &row, url, columns: 5)
        line = try lines.flatMap { try Self.read($0, &row, url, columns: 5) }
        item = try items.flatMap { try Self.read($0, &row, url, columns: 6) }
    }

    private static func read(_ r: ClickHouseResponse, _ row: inout [Int64], _ url: String, columns: Int) throws -> [Int64]? {
        guard let l = try r.nextLine() else { return nil }
        try TSV.integers(l, into: &row, url: url)
        guard row.count == columns else {
            throw StoreError.server(url: url, detail: "unexpected answer: \(String(decoding: l.prefix(500), as: UTF8.self))")
        }
        return row
    }

    /// The next repository with facts or lines (timelines ride along with them).
    var nextRepo: Int64? {
        switch (fact?[0], line?[0]) {
        case let (a?, b?): min(a, b)
        case let (a?, nil): a
        case let (nil, b?): b
        default: nil
        }
    }

    func take() throws -> RepoFacts {
        let repo = nextRepo!
        var out = RepoFacts(repo: RepoRef(id: repo, name: ""))
        var kind: FactKind?
        var rows: [FactRow] = []
        var previous: [Int64]?
        while let f = fact, f[0] == repo {
            if f != previous, let k = FactKind(rawValue: UInt8(truncatingIfNeeded: f[1])) {
                if k != kind {
                    if let kind, !rows.isEmpty { out.byKind[kind] = rows }
                    rows.removeAll(keepingCapacity: true)
                    kind = k
                }
                rows.append(FactRow(month: Month(index: Int32(truncatingIfNeeded: f[2])), object: f[3], actor: f[4]))
            }
            previous = f
            fact = try Self.read(facts, &row, url, columns: 5)
        }
        if let kind, !rows.isEmpty { out.byKind[kind] = rows }
        var lastEvent: Int64?
        while let l = line, l[0] <= repo {
            if l[0] == repo && l[2] != lastEvent {
                out.pullRequestLines.append(PullRequestLines(eventID: l[2], repo: repo, month: Month(index: Int32(truncatingIfNeeded: l[1])),
                                                             additions: l[3], deletions: l[4]))
                lastEvent = l[2]
            }
            line = try lines.flatMap { try Self.read($0, &row, url, columns: 5) }
        }
        var lastItem: [Int64]?
        while let e = item, e[0] <= repo {
            if e[0] == repo && e != lastItem, let k = ItemEventKind(rawValue: UInt8(truncatingIfNeeded: e[3])) {
                out.itemEvents.append(ItemEvent(repo: repo, number: e[1], isPullRequest: e[5] != 0, kind: k, at: e[2], actor: e[4]))
            }
            lastItem = e
            item = try items.flatMap { try Self.read($0, &row, url, columns: 6) }
        }
        return out
    }
}
