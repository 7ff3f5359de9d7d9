import Foundation
import KaiyuanCore
import KaiyuanStore

extension ClickHouseStore: ForgeRecordStore {
    public func setForgeRepository(_ r: ForgeRepositoryRecord) throws {
        let row = Self.versionedRow(platform: r.repo.platform.rawValue, name: r.repo.name, fields: [
            r.id.map(String.init), r.description, r.homepage, r.isFork ? "1" : "0", r.parent?.description, r.isMirror ? "1" : "0",
            r.mirrorOf, r.createdAt, r.pushedAt, String(r.readAt)])
        try coordinator.insert(into: "\(db).forge_repositories", columns: """
            platform, name, version, forge_id, description, homepage, is_fork, parent, is_mirror, mirror_of, created_at, pushed_at, read_at
            """, rows: row)
    }

    public func forgeRepositories() throws -> [ForgeRepositoryRecord] {
        let rows = try newestRowPerRepository("""
            SELECT platform, name, version, forge_id, description, homepage, is_fork, parent, is_mirror, mirror_of, created_at, pushed_at, read_at
            FROM \(db).forge_repositories
            """, columns: 13)
        var records: [ForgeRepositoryRecord] = []
        for r in rows {
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
