import Foundation
import GRDB
import KaiyuanCore
import KaiyuanStore

extension SQLiteStore: StoreDump {
    public func ingestedFiles() throws -> [IngestedFile] {
        try ledger("ORDER BY name, digest", [])
    }

    public func forEachNameSighting(_ kind: EntityKind, _ body: (NameSighting) throws -> Void) throws {
        let (table, id, name) = kind == .repo ? ("repo_names", "repo_id", "name") : ("actor_logins", "actor_id", "login")
        try pool.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT \(id), \(name), first_seen, last_seen FROM \(table) ORDER BY \(id), \(name)")
            while let r = try rows.next() { try body(NameSighting(id: r[0], name: r[1], firstSeen: r[2], lastSeen: r[3])) }
        }
    }

    public func openRankExclusions() throws -> [Fact] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT repo_id, kind, month, object_id, actor_id FROM openrank_excluded").compactMap { r in
                FactKind(rawValue: UInt8(truncatingIfNeeded: r[1] as Int64)).map {
                    Fact(repo: r[0], kind: $0, month: Month(index: Int32(r[2] as Int64)), object: r[3], actor: r[4])
                }
            }.sorted()
        }
    }

    public func openRankScopes() throws -> [PlatformSet] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT scope FROM openrank_months ORDER BY scope").compactMap { PlatformSet(argument: $0) }
        }
    }

    public func forEachGitCommit(repository id: Int64, _ body: (GitCommitRecord) throws -> Void) throws {
        try pool.read { db in
            var people: [Int64: GitPerson] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT id, name, email FROM git_people WHERE id IN (
                  SELECT author_id FROM git_commits WHERE repo_id = ?1 UNION SELECT committer_id FROM git_commits WHERE repo_id = ?1
                  UNION SELECT person_id FROM git_coauthors WHERE repo_id = ?1)
                """, arguments: [id]) {
                people[r[0]] = GitPerson(name: r[1], email: r[2])
            }
            var coAuthors: [String: [GitPerson]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT sha, person_id FROM git_coauthors WHERE repo_id = ? ORDER BY sha, person_id", arguments: [id]) {
                if let p = people[r[1]] { coAuthors[r[0], default: []].append(p) }
            }
            let nobody = GitPerson(name: "", email: "")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT sha, parents, author_id, committer_id, author_at, author_offset, committed_at, added, deleted, files, binary_files, subject
                FROM git_commits WHERE repo_id = ? ORDER BY author_at, sha
                """, arguments: [id])
            while let r = try rows.next() {
                let sha: String = r[0]
                var c = GitCommitRecord(sha: sha, parentCount: r[1], author: people[r[2]] ?? nobody, authorTime: r[4], authorOffsetMinutes: r[5],
                                        committer: people[r[3]] ?? nobody, commitTime: r[6], subject: r[11], coAuthors: coAuthors[sha] ?? [])
                c.linesAdded = r[7]; c.linesDeleted = r[8]; c.files = r[9]; c.binaryFiles = r[10]
                try body(c)
            }
        }
    }
}
