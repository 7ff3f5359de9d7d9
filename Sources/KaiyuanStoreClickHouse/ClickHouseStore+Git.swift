import Foundation
import KaiyuanCore
import KaiyuanStore

extension ClickHouseStore: GitStore {
    /// A history's id: its platform and name, case-insensitively (as SQLite's `UNIQUE (platform, name COLLATE NOCASE)`).
    static func gitRepoID(_ repo: ForgeRepo) -> Int64 { Platform.hashedID(of: repo.platform.rawValue + ":" + repo.name) }

    static func personID(_ p: GitPerson) -> Int64 { Int64(bitPattern: StableHash.fnv1a([p.name, p.email]) >> 1) }

    /// Current records (highest version per id), with their commit counts.
    private func gitRecords(where condition: String) throws -> [GitRepoRecord] {
        var latest: [Int64: (version: UInt64, row: [String])] = [:]
        for r in try coordinator.rows("SELECT id, version, platform, name, head, source, licence, mailmap, updated_at FROM \(db).git_repos WHERE \(condition)") {
            guard let id = Int64(r[0]), let v = UInt64(r[1]) else { continue }
            if let l = latest[id], l.version >= v { continue }
            latest[id] = (v, r)
        }
        guard !latest.isEmpty else { return [] }
        var counts: [Int64: Int] = [:]
        let ids = "(" + latest.keys.sorted().map(String.init).joined(separator: ",") + ")"
        for r in try coordinator.rows("SELECT repo_id, uniqExact(sha) FROM \(spanning("git_commits")) WHERE repo_id IN \(ids) GROUP BY repo_id") {
            if let id = Int64(r[0]) { counts[id] = Int(r[1]) ?? 0 }
        }
        return latest.map { id, l in
            let r = l.row
            return GitRepoRecord(id: id, repo: ForgeRepo(platform: Platform(rawValue: r[2]) ?? .other, name: r[3]), head: TSV.nullable(r[4]),
                                 source: TSV.nullable(r[5]), licenceFiles: TSV.nullable(r[6]).map { $0.split(separator: ",").map(String.init) } ?? [],
                                 mailmap: TSV.nullable(r[7]), commits: counts[id] ?? 0, readAt: Int64(r[8]))
        }.sorted { $0.repo < $1.repo }
    }

    private func writeGitRecord(id: Int64, version: UInt64, repo: ForgeRepo, head: String?, source: String?, licence: String?, mailmap: String?) throws {
        let value = TSV.literal
        try coordinator.execute("""
            INSERT INTO \(db).git_repos (id, version, platform, name, head, source, licence, mailmap, updated_at) VALUES
            (\(id), \(version), \(TSV.quote(repo.platform.rawValue)), \(TSV.quote(repo.name)), \(value(head)), \(value(source)),
             \(value(licence)), \(value(mailmap)), \(Int64(Date().timeIntervalSince1970)))
            """)
    }

    public func gitRepository(_ repo: ForgeRepo, create: Bool) throws -> GitRepoRecord? {
        let id = Self.gitRepoID(repo)
        if let found = try gitRecords(where: "id = \(id)").first { return found }
        guard create else { return nil }
        try writeGitRecord(id: id, version: 1, repo: repo, head: nil, source: nil, licence: nil, mailmap: nil)
        return try gitRecords(where: "id = \(id)").first
    }

    public func gitRepositories() throws -> [GitRepoRecord] { try gitRecords(where: "1") }

    @discardableResult
    public func addCommits(_ commits: [GitCommitRecord], repository id: Int64) throws -> Int {
        let node = nodes[shard(of: id)]
        let count = "SELECT uniqExact(sha) FROM \(db).git_commits_local WHERE repo_id = \(id)"
        let before = try node.rows(count).first.flatMap { Int($0[0]) } ?? 0
        var people: [Int64: GitPerson] = [:]
        var rows: [UInt8] = [], coauthors: [UInt8] = []
        for c in commits.sorted(by: { $0.sha < $1.sha }) {
            let author = Self.personID(c.author), committer = Self.personID(c.committer)
            people[author] = c.author; people[committer] = c.committer
            TSV.append(id, to: &rows); rows.append(9)
            TSV.append(c.sha, to: &rows); rows.append(9)
            for v in [Int64(c.parentCount), author, committer, c.authorTime, Int64(c.authorOffsetMinutes), c.commitTime, c.linesAdded, c.linesDeleted,
                      Int64(c.files), Int64(c.binaryFiles)] {
                TSV.append(v, to: &rows); rows.append(9)
            }
            TSV.append(c.subject, to: &rows); rows.append(10)
            for (position, p) in c.coAuthors.enumerated() {
                let pid = Self.personID(p)
                people[pid] = p
                TSV.append(id, to: &coauthors); coauthors.append(9)
                TSV.append(c.sha, to: &coauthors); coauthors.append(9)
                TSV.append(pid, to: &coauthors); coauthors.append(9)
                TSV.append(Int64(position), to: &coauthors); coauthors.append(10)
            }
        }
        var peopleRows: [UInt8] = []
        for (pid, p) in people.sorted(by: { $0.key < $1.key }) {
            TSV.append(pid, to: &peopleRows); peopleRows.append(9)
            TSV.append(p.name, to: &peopleRows); peopleRows.append(9)
            TSV.append(p.email, to: &peopleRows); peopleRows.append(10)
        }
        // People first, then co-authors, then the commits that name them.
        try coordinator.insert(into: "\(db).git_people", columns: "id, name, email", rows: peopleRows)
        let columns = Dictionary(uniqueKeysWithValues: ClickHouseSchema.sharded.map { ($0.name, $0.insertColumns) })
        try node.insert(into: "\(db).git_coauthors_local", columns: columns["git_coauthors"]!, rows: coauthors)
        try node.insert(into: "\(db).git_commits_local", columns: columns["git_commits"]!, rows: rows)
        let after = try node.rows(count).first.flatMap { Int($0[0]) } ?? 0
        return after - before
    }

    public func finishGitImport(repository id: Int64, head: String?, source: String, licenceFiles: [String]?, mailmap: String?) throws {
        var latest: (version: UInt64, row: [String])?
        for r in try coordinator.rows("SELECT version, platform, name, head, licence, mailmap FROM \(db).git_repos WHERE id = \(id)") {
            guard let v = UInt64(r[0]) else { continue }
            if latest == nil || v > latest!.version { latest = (v, r) }
        }
        guard let latest else { return }
        let r = latest.row
        try writeGitRecord(id: id, version: latest.version + 1, repo: ForgeRepo(platform: Platform(rawValue: r[1]) ?? .other, name: r[2]),
                           head: head ?? TSV.nullable(r[3]), source: source, licence: licenceFiles.map { $0.joined(separator: ",") } ?? TSV.nullable(r[4]),
                           mailmap: mailmap ?? TSV.nullable(r[5]))
    }

    public func latestCommitMonth() throws -> Month? {
        guard let r = try coordinator.rows("SELECT max(author_at), count() FROM \(spanning("git_commits"))").first, r[1] != "0",
              let t = Int64(r[0]) else { return nil }
        return Month(unixTime: t)
    }

    public func gitHistory(repository id: Int64) throws -> GitHistory {
        guard let record = try gitRecords(where: "id = \(id)").first else { return GitHistory(repos: []) }
        var history = GitHistory(record: record)
        try forEachGitCommit(repository: id) { history.add($0) }
        return history
    }
}

extension ClickHouseStore: LabelStore {
    public func replaceLabels(_ labels: [LabelDefinition]) throws {
        let gen = UInt64(Date().timeIntervalSince1970 * 1_000_000)
        var l: [UInt8] = [], c: [UInt8] = [], m: [UInt8] = []
        func field(_ s: String?, _ out: inout [UInt8], last: Bool = false) {
            if let s { TSV.append(s, to: &out) } else { out += Array("\\N".utf8) }
            out.append(last ? 10 : 9)
        }
        for label in labels {
            TSV.append(gen, to: &l); l.append(9)
            field(label.id, &l); field(label.type, &l); field(label.name, &l); field(label.nameZh, &l); field(label.code, &l, last: true)
            for child in label.children {
                TSV.append(gen, to: &c); c.append(9)
                field(label.id, &c); field(child, &c, last: true)
            }
            for member in label.members {
                TSV.append(gen, to: &m); m.append(9)
                field(label.id, &m); field(member.platform.rawValue, &m); field(member.kind.rawValue, &m)
                field(member.id.map { String($0) }, &m); field(member.name, &m, last: true)
            }
        }
        try coordinator.insert(into: "\(db).labels", columns: "gen, id, type, name, name_zh, code", rows: l)
        try coordinator.insert(into: "\(db).label_children", columns: "gen, label_id, child_id", rows: c)
        try coordinator.insert(into: "\(db).label_members", columns: "gen, label_id, platform, kind, entity_id, name", rows: m)
        // Last: the generation that makes these labels the current ones.
        try coordinator.execute("INSERT INTO \(db).label_generations (gen) VALUES (\(gen))")
    }

    public func labels() throws -> [LabelDefinition] {
        guard let gen = try coordinator.rows("SELECT max(gen), count() FROM \(db).label_generations").first, gen[1] != "0" else { return [] }
        var byID: [String: LabelDefinition] = [:]
        for r in try coordinator.rows("SELECT DISTINCT id, type, name, name_zh, code FROM \(db).labels WHERE gen = \(gen[0])") {
            byID[r[0]] = LabelDefinition(id: r[0], type: r[1], name: r[2], nameZh: TSV.nullable(r[3]), code: TSV.nullable(r[4]))
        }
        for r in try coordinator.rows("SELECT DISTINCT label_id, child_id FROM \(db).label_children WHERE gen = \(gen[0]) ORDER BY label_id, child_id") {
            byID[r[0]]?.children.append(r[1])
        }
        for r in try coordinator.rows("SELECT DISTINCT label_id, platform, kind, entity_id, name FROM \(db).label_members WHERE gen = \(gen[0]) ORDER BY label_id, platform, kind, name") {
            guard let p = Platform(rawValue: r[1]), let k = LabelMember.Kind(rawValue: r[2]) else { continue }
            byID[r[0]]?.members.append(LabelMember(platform: p, kind: k, id: Int64(r[3]), name: r[4]))
        }
        return byID.values.sorted { $0.id < $1.id }
    }

    public func setOrganisationDomain(_ domain: String, organisation: String, label: String?, country: String?) throws {
        let value = TSV.literal
        try coordinator.execute("""
            INSERT INTO \(db).organisation_domains (domain, version, organisation, label_id, country) VALUES
            (\(TSV.quote(domain.lowercased())), \(UInt64(Date().timeIntervalSince1970 * 1_000_000)), \(TSV.quote(organisation)), \(value(label)), \(value(country?.uppercased())))
            """)
    }

    public func organisationDomains() throws -> [(domain: String, organisation: String, label: String?, country: String?)] {
        var latest: [String: (version: UInt64, row: [String])] = [:]
        for r in try coordinator.rows("SELECT domain, version, organisation, label_id, country FROM \(db).organisation_domains") {
            guard let v = UInt64(r[1]) else { continue }
            if let l = latest[r[0]], l.version >= v { continue }
            latest[r[0]] = (v, r)
        }
        return latest.keys.sorted().map { d in let r = latest[d]!.row; return (d, r[2], TSV.nullable(r[3]), TSV.nullable(r[4])) }
    }
}

extension ClickHouseStore: CatalogStore {
    public func dataStamp() throws -> String {
        let r = try coordinator.rows("""
            SELECT (SELECT count() FROM \(db).ingested_files), (SELECT max(run_id) FROM \(db).openrank_months),
                   (SELECT count() FROM \(db).git_repos), (SELECT max(gen) FROM \(db).label_generations),
                   (SELECT count() FROM \(db).organisation_domains), (SELECT max(run) FROM \(db).hub_runs),
                   (SELECT count() FROM \(db).hub_organisations), (SELECT count() FROM \(db).forge_repositories),
                   (SELECT count() FROM \(db).repo_licences)
            """).first ?? []
        let commits = try coordinator.rows("SELECT count() FROM \(spanning("git_commits"))").first?.first ?? "0"
        return (r + [commits]).joined(separator: "-")
    }

    public func repositories(prefix: String, limit: Int) throws -> [RepoRef] {
        let files = try committedFiles()
        let ids = try coordinator.rows("""
            SELECT repo_id, min(lower(name)) AS n FROM \(spanning("repo_names"))
            WHERE file_id IN \(files) AND lower(name) LIKE lower(\(TSV.quote(likePrefix(prefix)))) GROUP BY repo_id ORDER BY n, repo_id LIMIT \(max(0, limit))
            """).compactMap { Int64($0[0]) }
        guard !ids.isEmpty else { return [] }
        let names = try currentNames("repo_names", idColumn: "repo_id", nameColumn: "name", where: "repo_id IN (" + ids.map(String.init).joined(separator: ",") + ")")
        return ids.map { RepoRef(id: $0, name: names[$0] ?? "#\($0)") }
    }

    public func logins(prefix: String, limit: Int) throws -> [String] {
        let files = try committedFiles()
        return try coordinator.rows("""
            SELECT DISTINCT login FROM \(spanning("actor_logins"))
            WHERE file_id IN \(files) AND lower(login) LIKE lower(\(TSV.quote(likePrefix(prefix)))) ORDER BY login LIMIT \(max(0, limit))
            """).map { $0[0] }
    }
}
