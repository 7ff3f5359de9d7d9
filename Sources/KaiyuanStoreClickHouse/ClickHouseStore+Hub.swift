import Foundation
import KaiyuanCore
import KaiyuanStore

extension ClickHouseStore: HubStore {
    public func replaceHubSnapshot(_ snapshot: HubSnapshot) throws {
        // Later than every run stored, even if the clock stepped back.
        let stored = UInt64(try coordinator.rows("SELECT max(run) FROM \(db).hub_runs").first?.first ?? "0") ?? 0
        let run = max(UInt64(Date().timeIntervalSince1970 * 1_000_000), stored + 1)
        let date = snapshot.date.daysSinceEpoch
        var rows: [UInt8] = []
        func text(_ s: String?, last: Bool = false) {
            if let s { TSV.append(s, to: &rows) } else { rows += Array("\\N".utf8) }
            rows.append(last ? 10 : 9)
        }
        func number(_ v: Int64?) {
            if let v { TSV.append(v, to: &rows) } else { rows += Array("\\N".utf8) }
            rows.append(9)
        }
        for m in snapshot.models {
            TSV.append(run, to: &rows); rows.append(9)
            number(date); text(m.id); text(m.author); text(m.createdAt); text(m.lastModified)
            number(m.downloads); number(m.downloadsAllTime); number(m.likes); text(HubTags.join(m.tags))
            text(m.pipelineTag); text(m.libraryName); text(m.gated); number(m.parameters); text(m.licenceName, last: true)
        }
        try coordinator.insert(into: "\(db).hub_models", columns: """
            run, date, model_id, author, created_at, last_modified, downloads, downloads_all_time, likes, tags, \
            pipeline_tag, library_name, gated, parameters, licence_name
            """, rows: rows)
        // The ledger row last: until it is written, the run's rows count for nothing.
        var ledger: [UInt8] = []
        TSV.append(run, to: &ledger); ledger.append(9)
        TSV.append(date, to: &ledger); ledger.append(9)
        TSV.append(HubTags.join(snapshot.authors.map { $0.lowercased() }.sorted()), to: &ledger); ledger.append(9)
        TSV.append(snapshot.source, to: &ledger); ledger.append(9)
        TSV.append(Int64(snapshot.models.count), to: &ledger); ledger.append(9)
        TSV.append(HubTags.join(snapshot.derivativesOf.map { $0.lowercased() }.sorted()), to: &ledger); ledger.append(10)
        try coordinator.insert(into: "\(db).hub_runs", columns: "run, date, authors, source, models, derivatives_of", rows: ledger)
    }

    public func forEachHubModel(_ body: (Day, HubModel) throws -> Void) throws {
        // The newest run that listed (date, author) in full: a model that run lacks is gone.
        var runs: Set<UInt64> = []
        var coveredBy: [HubKey: UInt64] = [:]
        for r in try coordinator.rows("SELECT run, date, authors FROM \(db).hub_runs") {
            guard let run = UInt64(r[0]), let date = Int64(r[1]) else { continue }
            runs.insert(run)
            for author in HubTags.split(r[2]) {
                let key = HubKey(date: date, author: author.lowercased())
                coveredBy[key] = max(coveredBy[key] ?? 0, run)
            }
        }
        guard !runs.isEmpty else { return }
        let response = try coordinator.lines("""
            SELECT run, date, model_id, author, created_at, last_modified, downloads, downloads_all_time, likes, tags,
                   pipeline_tag, library_name, gated, parameters, licence_name
            FROM \(db).hub_models ORDER BY model_id, date, run
            """)
        var pending: (run: UInt64, date: Int64, model: HubModel)?
        func flush() throws {
            guard let p = pending else { return }
            pending = nil
            if p.run >= (coveredBy[HubKey(date: p.date, author: p.model.author.lowercased())] ?? 0) {
                try body(Day(daysSinceEpoch: p.date), p.model)
            }
        }
        func int(_ s: String) -> Int64? { TSV.nullable(s).flatMap { Int64($0) } }
        while let line = try response.nextLine() {
            let f = TSV.fields(line)
            guard f.count == 15, let run = UInt64(f[0]), runs.contains(run), let date = Int64(f[1]) else { continue }
            let model = HubModel(id: f[2], author: f[3], createdAt: TSV.nullable(f[4]), lastModified: TSV.nullable(f[5]),
                                 downloads: int(f[6]), downloadsAllTime: int(f[7]), likes: int(f[8]), tags: HubTags.split(f[9]),
                                 pipelineTag: TSV.nullable(f[10]), libraryName: TSV.nullable(f[11]), gated: TSV.nullable(f[12]),
                                 parameters: int(f[13]), licenceName: TSV.nullable(f[14]))
            // Rows come by model, date, run: the last of a (model, date) group is its newest run.
            if let p = pending, p.model.id != model.id || p.date != date { try flush() }
            pending = (run, date, model)
        }
        try flush()
    }

    public func hubSnapshotDates() throws -> [(date: Day, models: Int)] {
        var counts: [Day: Int] = [:]
        try forEachHubModel { day, _ in counts[day, default: 0] += 1 }
        return counts.keys.sorted().map { ($0, counts[$0]!) }
    }

    public func hubCoverage() throws -> [Day: HubCoverage] {
        var out: [Day: HubCoverage] = [:]
        for r in try coordinator.rows("SELECT date, authors, derivatives_of FROM \(db).hub_runs") {
            guard r.count == 3, let date = Int64(r[0]) else { continue }
            let day = Day(daysSinceEpoch: date)
            out[day, default: HubCoverage()].listed.formUnion(HubTags.split(r[1]))
            out[day, default: HubCoverage()].derivativesOf.formUnion(HubTags.split(r[2]))
        }
        return out
    }

    public func setHubOrganisation(_ organisation: String, label: String) throws {
        let stored = UInt64(try coordinator.rows("SELECT max(version) FROM \(db).hub_organisations").first?.first ?? "0") ?? 0
        let version = max(UInt64(Date().timeIntervalSince1970 * 1_000_000), stored + 1)
        try coordinator.execute("""
            INSERT INTO \(db).hub_organisations (organisation, version, label_id) VALUES
            (\(TSV.quote(organisation.lowercased())), \(version), \(TSV.quote(label)))
            """)
    }

    public func hubOrganisations() throws -> [String: String] {
        var latest: [String: (version: UInt64, label: String)] = [:]
        for r in try coordinator.rows("SELECT organisation, version, label_id FROM \(db).hub_organisations") {
            guard let v = UInt64(r[1]) else { continue }
            if let l = latest[r[0]], l.version >= v { continue }
            latest[r[0]] = (v, r[2])
        }
        return latest.mapValues(\.label)
    }
}

private struct HubKey: Hashable {
    var date: Int64
    var author: String
}
