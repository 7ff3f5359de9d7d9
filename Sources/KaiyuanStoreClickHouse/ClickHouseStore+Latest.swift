import Foundation
import KaiyuanStore

/// Tables that keep a repository's record as rows with versions (forge records, licences):
/// one row written per change, the newest counts.
extension ClickHouseStore {
    /// A TabSeparated row: `platform, name, version` (now, in microseconds), then the fields.
    static func versionedRow(platform: String, name: String, fields: [String?]) -> [UInt8] {
        var row: [UInt8] = []
        func text(_ s: String?, last: Bool = false) {
            if let s { TSV.append(s, to: &row) } else { row += Array("\\N".utf8) }
            row.append(last ? 10 : 9)
        }
        text(platform); text(name)
        TSV.append(UInt64(Date().timeIntervalSince1970 * 1_000_000), to: &row); row.append(9)
        for (k, f) in fields.enumerated() { text(f, last: k == fields.count - 1) }
        return row
    }

    /// The newest row per repository (`platform, name, version, …` selected), names compared
    /// as SQLite's NOCASE does.
    func newestRowPerRepository(_ sql: String, columns: Int) throws -> [[String]] {
        var latest: [String: (version: UInt64, row: [String])] = [:]
        for r in try coordinator.rows(sql) {
            guard r.count == columns, let v = UInt64(r[2]) else { continue }
            let key = r[0] + ":" + r[1].lowercased()
            if let l = latest[key], l.version >= v { continue }
            latest[key] = (v, r)
        }
        return latest.values.map(\.row)
    }
}
