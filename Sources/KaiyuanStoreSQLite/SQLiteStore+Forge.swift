import GRDB
import KaiyuanCore
import KaiyuanStore

extension SQLiteStore: ForgeRecordStore {
    public func setForgeRepository(_ r: ForgeRepositoryRecord) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO forge_repositories (platform, name, forge_id, description, homepage, is_fork, parent, is_mirror,
                  mirror_of, created_at, pushed_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.repo.platform.rawValue, r.repo.name, r.id, r.description, r.homepage, r.isFork ? 1 : 0,
                                 r.parent?.description, r.isMirror ? 1 : 0, r.mirrorOf, r.createdAt, r.pushedAt, r.readAt])
        }
    }

    public func forgeRepositories() throws -> [ForgeRepositoryRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT platform, name, forge_id, description, homepage, is_fork, parent, is_mirror, mirror_of, created_at, pushed_at, read_at
                FROM forge_repositories ORDER BY platform, name
                """).map { r in
                ForgeRepositoryRecord(repo: ForgeRepo(platform: Platform(rawValue: r[0]) ?? .other, name: r[1]), id: r[2], description: r[3],
                                      homepage: r[4], isFork: (r[5] as Int) == 1, parent: (r[6] as String?).flatMap { ForgeRepo($0) },
                                      isMirror: (r[7] as Int) == 1, mirrorOf: r[8], createdAt: r[9], pushedAt: r[10], readAt: r[11])
            }
        }
    }
}
