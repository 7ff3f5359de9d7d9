import Foundation
import KaiyuanCore
import KaiyuanStore

extension ClickHouseStore: ForgeRecordStore {
    public func setForgeRepository(_ r: ForgeRepositoryRecord) throws {
        var row: [UInt8] = []
        func text(_ s: String?, last: Bool = false) {
            if let s { TSV.append(s, to: &row) } else { row += Array("\\N".utf8) }
            row.append(last ? 10 : 9)
        }
        text(r.repo.platform.rawValue); text(r.repo.name)
        TSV.append(UInt64(Date().timeIntervalSince1970 * 1_000_000), to: &row); row.append(9)
        text(r.id.map(String.init)); text(r.description); text(r.homepage)
        text(r.isFork ? "1" : "0"); text(r.parent?.description); text(r.isMirror ? "1" : "0"); text(r.mirrorOf)
        text(r.createdAt); text(r.pushedAt); text(String(r.readAt), last: true)
        try coordinator.insert(into: "\(db).forge_repositories", columns: """
            platform, name, version, forge_id, description, homepage, is_fork, parent, is_mirror, mirror_of, created_at, pushed_at, read_at
            """, rows: row)
    }

    public func forgeRepositories() throws -> [ForgeRepositoryRecord] {
        // The newest row per repository, names compared as SQLite's NOCASE does.
        var latest: [String: (version: UInt64, row: [String])] = [:]
        for r in try coordinator.rows("""
            SELECT platform, name, version, forge_id, description, homepage, is_fork, parent, is_mirror, mirror_of, created_at, pushed_at, read_at
            FROM \(db).forge_repositories
            """) {
            guard r.count == 13, let v = UInt64(r[2]) else { continue }
            let key = r[0] + ":" + r[1].lowercased()
            if let l = latest[key], l.version >= v { continue }
            latest[key] = (v, r)
        }
        var records: [ForgeRepositoryRecord] = []
        for r in latest.values.map(\.row) {
            let repo = ForgeRepo(platform: Platform(rawValue: r[0]) ?? .other, name: r[1])
            let parent: ForgeRepo? = TSV.nullable(r[7]).flatMap { ForgeRepo($0) }
            records.append(ForgeRepositoryRecord(repo: repo, id: TSV.nullable(r[3]).flatMap { Int64($0) }, description: TSV.nullable(r[4]),
                                                 homepage: TSV.nullable(r[5]), isFork: r[6] == "1", parent: parent, isMirror: r[8] == "1",
                                                 mirrorOf: TSV.nullable(r[9]), createdAt: TSV.nullable(r[10]), pushedAt: TSV.nullable(r[11]),
                                                 readAt: Int64(r[12]) ?? 0))
        }
        return records.sorted { ($0.repo.platform.rawValue, $0.repo.name.lowercased()) < ($1.repo.platform.rawValue, $1.repo.name.lowercased()) }
    }
}
