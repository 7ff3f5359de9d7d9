import Foundation
import KaiyuanCore
import KaiyuanStore

extension ClickHouseStore: LicenceRecordStore {
    public func setRepoLicences(_ r: RepoLicenceRecord) throws {
        let row = Self.versionedRow(platform: r.repo.platform.rawValue, name: r.repo.name, fields: [
            r.expression, LicenceRecordText.licences(r.licences), r.head, String(r.readAt), LicenceRecordText.changes(r.changes)])
        try coordinator.insert(into: "\(db).repo_licences", columns: "platform, name, version, expression, licences, head, read_at, changes", rows: row)
    }

    public func repoLicences() throws -> [RepoLicenceRecord] {
        try newestRowPerRepository("SELECT platform, name, version, expression, licences, head, read_at, changes FROM \(db).repo_licences", columns: 8)
            .map(Self.licenceRecord)
            .sorted { ($0.repo.platform.rawValue, $0.repo.name.lowercased()) < ($1.repo.platform.rawValue, $1.repo.name.lowercased()) }
    }

    public func repoLicences(of repo: ForgeRepo) throws -> RepoLicenceRecord? {
        try newestRowPerRepository("""
            SELECT platform, name, version, expression, licences, head, read_at, changes FROM \(db).repo_licences
            WHERE platform = \(TSV.quote(repo.platform.rawValue)) AND lowerUTF8(name) = \(TSV.quote(repo.name.lowercased()))
            """, columns: 8).first.map(Self.licenceRecord)
    }

    private static func licenceRecord(_ r: [String]) -> RepoLicenceRecord {
        RepoLicenceRecord(repo: ForgeRepo(platform: Platform(rawValue: r[0]) ?? .other, name: r[1]), expression: TSV.nullable(r[3]),
                          licences: LicenceRecordText.licences(r[4]), head: r[5], readAt: Int64(r[6]) ?? 0, changes: LicenceRecordText.changes(r[7]))
    }
}
