import GRDB
import KaiyuanCore
import KaiyuanStore

extension SQLiteStore {
    /// A short string that changes whenever the store's data does: imports, OpenRank runs,
    /// git histories, labels. Cheap (small tables only): what the server's caches key on.
    public func dataStamp() throws -> String {
        try pool.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT (SELECT COALESCE(SUM(version), 0) FROM month_versions),
                       (SELECT COUNT(*) FROM ingested_files),
                       (SELECT COALESCE(MAX(computed_at), 0) FROM openrank_months),
                       (SELECT COALESCE(MAX(updated_at), 0) || '.' || COUNT(*) FROM git_repos),
                       (SELECT COUNT(*) FROM labels),
                       (SELECT COUNT(*) FROM organisation_domains),
                       (SELECT COALESCE(MAX(id), 0) FROM hub_runs) || '.' || (SELECT COALESCE(MAX(rowid), 0) FROM hub_organisations)
                         || '.' || (SELECT COALESCE(MAX(rowid), 0) FROM forge_repositories)
                         || '.' || (SELECT COALESCE(MAX(rowid), 0) FROM repo_licences)
                """)!
            return (0..<7).map { String(describing: row[$0] as DatabaseValue) }.joined(separator: "-")
        }
    }

    /// Repositories whose current or former name starts with `prefix` (case-insensitive), at most
    /// `limit`. LIKE is case-insensitive already; a COLLATE on it would keep SQLite from the
    /// NOCASE index, and every search would scan every name.
    public func repositories(prefix: String, limit: Int) throws -> [RepoRef] {
        try pool.read { db in
            let ids = try Int64.fetchAll(db, sql: Self.repositoryPrefixQuery, arguments: [likePrefix(prefix), limit])
            return try ids.compactMap { id in
                try String.fetchOne(db, sql: "SELECT name FROM repo_names WHERE repo_id = ? ORDER BY last_seen DESC LIMIT 1", arguments: [id])
                    .map { RepoRef(id: id, name: $0) }
            }
        }
    }

    static let repositoryPrefixQuery = "SELECT DISTINCT repo_id FROM repo_names WHERE name LIKE ? ESCAPE '\\' ORDER BY name COLLATE NOCASE LIMIT ?"
    static let loginPrefixQuery = "SELECT DISTINCT login FROM actor_logins WHERE login LIKE ? ESCAPE '\\' ORDER BY login COLLATE NOCASE LIMIT ?"

    /// Logins starting with `prefix` (case-insensitive), at most `limit`.
    public func logins(prefix: String, limit: Int) throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, sql: Self.loginPrefixQuery, arguments: [likePrefix(prefix), limit])
        }
    }
}

import Foundation
