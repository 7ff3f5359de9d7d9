import Foundation
import KaiyuanCore
import KaiyuanStore

extension ClickHouseStore: LicenceRecordStore {
    public func setRepoLicences(_ r: RepoLicenceRecord) throws {
        var row: [UInt8] = []
        func text(_ s: String?, last: Bool = false) {
            if let s { TSV.append(s, to: &row) } else { row += Array("\\N".utf8) }
            row.append(last ? 10 : 9)
        }
        text(r.repo.platform.rawValue); text(r.repo.name)
        TSV.append(UInt64(Date().timeIntervalSince1970 * 1_000_000), to: &row); row.append(9)
        text(r.expression); text(LicenceRecordText.licences(r.licences)); text(r.head); text(String(r.readAt))
        text(LicenceRecordText.changes(r.changes), last: true)
        try coordinator.insert(into: "\(db).repo_licences", columns: "platform, name, version, expression, licences, head, read_at, changes", rows: row)
    }

    public func repoLicences() throws -> [RepoLicenceRecord] {
        // The newest row per repository, names compared as SQLite's NOCASE does.
        var latest: [String: (version: UInt64, row: [String])] = [:]
        for r in try coordinator.rows("SELECT platform, name, version, expression, licences, head, read_at, changes FROM \(db).repo_licences") {
            guard r.count == 8, let v = UInt64(r[2]) else { continue }
            let key = r[0] + ":" + r[1].lowercased()
            if let l = latest[key], l.version >= v { continue }
            latest[key] = (v, r)
        }
        return latest.values.map(\.row).map { r in
            RepoLicenceRecord(repo: ForgeRepo(platform: Platform(rawValue: r[0]) ?? .other, name: r[1]), expression: TSV.nullable(r[3]),
                              licences: LicenceRecordText.licences(r[4]), head: r[5], readAt: Int64(r[6]) ?? 0, changes: LicenceRecordText.changes(r[7]))
        }.sorted { ($0.repo.platform.rawValue, $0.repo.name.lowercased()) < ($1.repo.platform.rawValue, $1.repo.name.lowercased()) }
    }
}
