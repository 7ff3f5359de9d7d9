import Foundation
import GRDB
import KaiyuanCore
import KaiyuanStore

extension SQLiteStore: GitStore {
    public func gitRepository(_ repo: ForgeRepo, create: Bool) throws -> GitRepoRecord? {
        if create {
            try pool.write { db in
                try db.execute(sql: "INSERT OR IGNORE INTO git_repos (platform, name) VALUES (?, ?)", arguments: [repo.platform.rawValue, repo.name])
            }
        }
        return try pool.read { db in
            try Row.fetchOne(db, sql: Self.gitRepoQuery + " WHERE r.platform = ? AND r.name = ? COLLATE NOCASE", arguments: [repo.platform.rawValue, repo.name])
                .map(Self.gitRepoRecord)
        }
    }

    public func gitRepositories() throws -> [GitRepoRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: Self.gitRepoQuery + " ORDER BY r.platform, r.name").map(Self.gitRepoRecord)
        }
    }

    static let gitRepoQuery = """
        SELECT r.id, r.platform, r.name, r.head, r.source, r.licence, r.mailmap, r.updated_at,
               (SELECT COUNT(*) FROM git_commits c WHERE c.repo_id = r.id) AS commits
        FROM git_repos r
        """

    static func gitRepoRecord(_ row: Row) -> GitRepoRecord {
        let licence: String? = row["licence"]
        return GitRepoRecord(
            id: row["id"], repo: ForgeRepo(platform: Platform(rawValue: row["platform"]) ?? .other, name: row["name"]),
            head: row["head"], source: row["source"],
            licenceFiles: licence.map { $0.split(separator: ",").map(String.init) } ?? [],
            mailmap: row["mailmap"], commits: row["commits"], readAt: row["updated_at"])
    }

    @discardableResult
    public func addCommits(_ commits: [GitCommitRecord], repository id: Int64) throws -> Int {
        try pool.write { db in
            var people: [GitPerson: Int64] = [:]
            let findPerson = try db.makeStatement(sql: "SELECT id FROM git_people WHERE name = ? AND email = ?")
            let addPerson = try db.makeStatement(sql: "INSERT INTO git_people (name, email) VALUES (?, ?)")
            func person(_ p: GitPerson) throws -> Int64 {
                if let id = people[p] { return id }
                let id: Int64
                if let found = try Int64.fetchOne(findPerson, arguments: [p.name, p.email]) {
                    id = found
                } else {
                    try addPerson.execute(arguments: [p.name, p.email])
                    id = db.lastInsertedRowID
                }
                people[p] = id
                return id
            }
            let insert = try db.makeStatement(sql: """
                INSERT OR IGNORE INTO git_commits (repo_id, sha, parents, author_id, committer_id, author_at, author_offset,
                  committed_at, added, deleted, files, binary_files, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let coauthor = try db.makeStatement(sql: "INSERT OR IGNORE INTO git_coauthors (repo_id, sha, person_id) VALUES (?, ?, ?)")
            var added = 0
            // In key order: each page of the commits table is visited once per batch.
            for c in commits.sorted(by: { $0.sha < $1.sha }) {
                try insert.execute(arguments: [id, c.sha, c.parentCount, try person(c.author), try person(c.committer), c.authorTime,
                                               c.authorOffsetMinutes, c.commitTime, c.linesAdded, c.linesDeleted, c.files, c.binaryFiles, c.subject])
                guard db.changesCount > 0 else { continue }
                added += 1
                for p in c.coAuthors { try coauthor.execute(arguments: [id, c.sha, try person(p)]) }
            }
            return added
        }
    }

    public func finishGitImport(repository id: Int64, head: String?, source: String, licenceFiles: [String]?, mailmap: String?) throws {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE git_repos SET head = COALESCE(?, head), source = ?, licence = COALESCE(?, licence),
                  mailmap = COALESCE(?, mailmap), updated_at = ? WHERE id = ?
                """, arguments: [head, source, licenceFiles.map { $0.joined(separator: ",") }, mailmap, Int64(Date().timeIntervalSince1970), id])
        }
    }

    public func latestCommitMonth() throws -> Month? {
        try pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(author_at) FROM git_commits").map { Month(unixTime: $0) }
        }
    }

    public func gitHistory(repository id: Int64) throws -> GitHistory {
        guard let record = try pool.read({ db in try Row.fetchOne(db, sql: Self.gitRepoQuery + " WHERE r.id = ?", arguments: [id]).map(Self.gitRepoRecord) }) else {
            return GitHistory(repos: [])
        }
        var history = GitHistory(record: record)
        try forEachGitCommit(repository: id) { history.add($0) }
        return history
    }
}

extension SQLiteStore: LabelStore {
    public func replaceLabels(_ labels: [LabelDefinition]) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM labels; DELETE FROM label_children; DELETE FROM label_members")
            let label = try db.makeStatement(sql: "INSERT OR REPLACE INTO labels (id, type, name, name_zh, code) VALUES (?, ?, ?, ?, ?)")
            let child = try db.makeStatement(sql: "INSERT OR IGNORE INTO label_children (label_id, child_id) VALUES (?, ?)")
            let member = try db.makeStatement(sql: "INSERT OR IGNORE INTO label_members (label_id, platform, kind, entity_id, name) VALUES (?, ?, ?, ?, ?)")
            for l in labels {
                try label.execute(arguments: [l.id, l.type, l.name, l.nameZh, l.code])
                for c in l.children { try child.execute(arguments: [l.id, c]) }
                for m in l.members { try member.execute(arguments: [l.id, m.platform.rawValue, m.kind.rawValue, m.id, m.name]) }
            }
        }
    }

    public func labels() throws -> [LabelDefinition] {
        try pool.read { db in
            var byID: [String: LabelDefinition] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT id, type, name, name_zh, code FROM labels") {
                byID[r[0]] = LabelDefinition(id: r[0], type: r[1], name: r[2], nameZh: r[3], code: r[4])
            }
            for r in try Row.fetchAll(db, sql: "SELECT label_id, child_id FROM label_children ORDER BY label_id, child_id") {
                byID[r[0] as String]?.children.append(r[1])
            }
            for r in try Row.fetchAll(db, sql: "SELECT label_id, platform, kind, entity_id, name FROM label_members ORDER BY label_id, platform, kind, name") {
                guard let p = Platform(rawValue: r[1]), let k = LabelMember.Kind(rawValue: r[2]) else { continue }
                byID[r[0] as String]?.members.append(LabelMember(platform: p, kind: k, id: r[3], name: r[4]))
            }
            return byID.values.sorted { $0.id < $1.id }
        }
    }

    public func setOrganisationDomain(_ domain: String, organisation: String, label: String?, country: String?) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO organisation_domains (domain, organisation, label_id, country) VALUES (?, ?, ?, ?)",
                           arguments: [domain.lowercased(), organisation, label, country?.uppercased()])
        }
    }

    public func organisationDomains() throws -> [(domain: String, organisation: String, label: String?, country: String?)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT domain, organisation, label_id, country FROM organisation_domains ORDER BY domain").map { ($0[0], $0[1], $0[2], $0[3]) }
        }
    }
}
