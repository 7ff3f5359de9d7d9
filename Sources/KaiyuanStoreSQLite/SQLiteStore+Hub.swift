import Foundation
import GRDB
import KaiyuanCore
import KaiyuanStore

extension SQLiteStore: HubStore {
    public func replaceHubSnapshot(_ snapshot: HubSnapshot) throws {
        try pool.write { db in
            let date = snapshot.date.daysSinceEpoch
            let drop = try db.makeStatement(sql: "DELETE FROM hub_models WHERE date = ? AND author = ? COLLATE NOCASE")
            for author in snapshot.authors.sorted() { try drop.execute(arguments: [date, author]) }
            let insert = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO hub_models (model_id, date, author, created_at, last_modified, downloads, downloads_all_time,
                  likes, tags, pipeline_tag, library_name, gated, parameters, licence_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for m in snapshot.models {
                try insert.execute(arguments: [m.id, date, m.author, m.createdAt, m.lastModified, m.downloads, m.downloadsAllTime,
                                               m.likes, HubTags.join(m.tags), m.pipelineTag, m.libraryName, m.gated, m.parameters, m.licenceName])
            }
            try db.execute(sql: "INSERT INTO hub_runs (date, source, models, stored_at, authors, derivatives_of) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [date, snapshot.source, snapshot.models.count, Int64(Date().timeIntervalSince1970),
                                       HubTags.join(snapshot.authors.map { $0.lowercased() }.sorted()),
                                       HubTags.join(snapshot.derivativesOf.map { $0.lowercased() }.sorted())])
        }
    }

    public func forEachHubModel(_ body: (Day, HubModel) throws -> Void) throws {
        try pool.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT model_id, date, author, created_at, last_modified, downloads, downloads_all_time, likes, tags,
                       pipeline_tag, library_name, gated, parameters, licence_name FROM hub_models ORDER BY model_id, date
                """)
            while let r = try rows.next() {
                let model = HubModel(id: r[0], author: r[2], createdAt: r[3], lastModified: r[4], downloads: r[5], downloadsAllTime: r[6],
                                     likes: r[7], tags: HubTags.split(r[8]), pipelineTag: r[9], libraryName: r[10], gated: r[11],
                                     parameters: r[12], licenceName: r[13])
                try body(Day(daysSinceEpoch: r[1]), model)
            }
        }
    }

    public func hubSnapshotDates() throws -> [(date: Day, models: Int)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT date, COUNT(*) FROM hub_models GROUP BY date ORDER BY date").map { (Day(daysSinceEpoch: $0[0]), $0[1]) }
        }
    }

    public func hubCoverage() throws -> [Day: HubCoverage] {
        try pool.read { db in
            var out: [Day: HubCoverage] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT date, authors, derivatives_of FROM hub_runs") {
                let day = Day(daysSinceEpoch: r[0])
                out[day, default: HubCoverage()].listed.formUnion(HubTags.split(r[1]))
                out[day, default: HubCoverage()].derivativesOf.formUnion(HubTags.split(r[2]))
            }
            return out
        }
    }

    public func setHubOrganisation(_ organisation: String, label: String) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO hub_organisations (organisation, label_id) VALUES (?, ?)", arguments: [organisation.lowercased(), label])
        }
    }

    public func hubOrganisations() throws -> [String: String] {
        try pool.read { db in
            Dictionary(try Row.fetchAll(db, sql: "SELECT organisation, label_id FROM hub_organisations").map { ($0[0], $0[1]) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
