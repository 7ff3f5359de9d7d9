import Foundation
import KaiyuanCore
import KaiyuanStore

extension ClickHouseStore: StoreDump {
    public func ingestedFiles() throws -> [IngestedFile] {
        try coordinator.rows("""
            SELECT name, any(size), any(events), any(skipped_lines), any(ingested_at), digest FROM \(db).ingested_files
            GROUP BY name, digest ORDER BY name, digest
            """).map(Self.ledgerRecord)
    }

    public func forEachNameSighting(_ kind: EntityKind, _ body: (NameSighting) throws -> Void) throws {
        let (table, id, name) = kind == .repo ? ("repo_names", "repo_id", "name") : ("actor_logins", "actor_id", "login")
        let files = try committedFiles()
        let lines = try coordinator.lines("""
            SELECT \(id), \(name), min(first_seen), max(last_seen) FROM \(spanning(table)) WHERE file_id IN \(files)
            GROUP BY \(id), \(name) ORDER BY \(id), \(name)
            """)
        while let line = try lines.nextLine() {
            let r = TSV.fields(line)
            guard r.count == 4, let i = Int64(r[0]), let f = Int64(r[2]), let l = Int64(r[3]) else { continue }
            try body(NameSighting(id: i, name: r[1], firstSeen: f, lastSeen: l))
        }
    }

    public func openRankExclusions() throws -> [Fact] {
        let files = try committedFiles()
        return try coordinator.rows("""
            SELECT DISTINCT repo_id, kind, month, object_id, actor_id FROM \(spanning("openrank_excluded")) WHERE file_id IN \(files)
            """).compactMap { r in
                guard let repo = Int64(r[0]), let k = UInt8(r[1]).flatMap(FactKind.init(rawValue:)), let m = Int32(r[2]),
                      let o = Int64(r[3]), let a = Int64(r[4]) else { return nil }
                return Fact(repo: repo, kind: k, month: Month(index: m), object: o, actor: a)
            }.sorted()
    }

    public func openRankScopes() throws -> [PlatformSet] {
        try coordinator.rows("SELECT DISTINCT scope FROM \(db).openrank_months ORDER BY scope").compactMap { PlatformSet(argument: $0[0]) }
    }

    public func forEachGitCommit(repository id: Int64, _ body: (GitCommitRecord) throws -> Void) throws {
        let node = nodes[shard(of: id)]
        var coIDs: [String: [(Int, Int64)]] = [:]
        var wanted = Set<Int64>()
        for r in try node.rows("SELECT DISTINCT sha, person_id, position FROM \(db).git_coauthors_local WHERE repo_id = \(id)") {
            guard let p = Int64(r[1]), let pos = Int(r[2]) else { continue }
            coIDs[r[0], default: []].append((pos, p)); wanted.insert(p)
        }
        var rows: [[String]] = []
        for r in try node.rows("""
            SELECT sha, parents, author_id, committer_id, author_at, author_offset, committed_at, added, deleted, files, binary_files, subject
            FROM \(db).git_commits_local WHERE repo_id = \(id) ORDER BY author_at, sha
            """) where r.count == 12 && r[0] != rows.last?[0] {
            // A commit stored twice (an import run again) is adjacent to itself in this order.
            rows.append(r)
            for i in [2, 3] { if let p = Int64(r[i]) { wanted.insert(p) } }
        }
        var people: [Int64: GitPerson] = [:]
        if !wanted.isEmpty {
            for r in try coordinator.rows("SELECT id, any(name), any(email) FROM \(db).git_people WHERE id IN (" + wanted.sorted().map(String.init).joined(separator: ",") + ") GROUP BY id") {
                if let pid = Int64(r[0]) { people[pid] = GitPerson(name: r[1], email: r[2]) }
            }
        }
        let nobody = GitPerson(name: "", email: "")
        // People are known only once every commit's row is in: the rows are read first.
        for r in rows {
            let co = (coIDs[r[0]] ?? []).sorted { $0.0 < $1.0 }.compactMap { people[$0.1] }
            var c = GitCommitRecord(sha: r[0], parentCount: Int(r[1]) ?? 0, author: Int64(r[2]).flatMap { people[$0] } ?? nobody,
                                    authorTime: Int64(r[4]) ?? 0, authorOffsetMinutes: Int(r[5]) ?? 0,
                                    committer: Int64(r[3]).flatMap { people[$0] } ?? nobody, commitTime: Int64(r[6]) ?? 0, subject: r[11], coAuthors: co)
            c.linesAdded = Int64(r[7]) ?? 0; c.linesDeleted = Int64(r[8]) ?? 0; c.files = Int(r[9]) ?? 0; c.binaryFiles = Int(r[10]) ?? 0
            try body(c)
        }
    }
}
