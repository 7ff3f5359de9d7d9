import Foundation
import GRDB
import KaiyuanCore
import KaiyuanStore

extension SQLiteStore: LicenceRecordStore {
    public func setRepoLicences(_ r: RepoLicenceRecord) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO repo_licences (platform, name, expression, licences, head, read_at, changes) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.repo.platform.rawValue, r.repo.name, r.expression, LicenceRecordText.licences(r.licences), r.head, r.readAt,
                                 LicenceRecordText.changes(r.changes)])
        }
    }

    public func repoLicences() throws -> [RepoLicenceRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT platform, name, expression, licences, head, read_at, changes FROM repo_licences ORDER BY platform, name").map(Self.licenceRecord)
        }
    }

    public func repoLicences(of repo: ForgeRepo) throws -> RepoLicenceRecord? {
        try pool.read { db in
            // The primary key (platform, name COLLATE NOCASE) answers it.
            try Row.fetchOne(db, sql: "SELECT platform, name, expression, licences, head, read_at, changes FROM repo_licences WHERE platform = ? AND name = ?",
                             arguments: [repo.platform.rawValue, repo.name]).map(Self.licenceRecord)
        }
    }

    private static func licenceRecord(_ r: Row) -> RepoLicenceRecord {
        RepoLicenceRecord(repo: ForgeRepo(platform: Platform(rawValue: r[0]) ?? .other, name: r[1]), expression: r[2],
                          licences: LicenceRecordText.licences(r[3]), head: r[4], readAt: r[5], changes: LicenceRecordText.changes(r[6]))
    }
}
