import Foundation
import KaiyuanCore
import KaiyuanMetrics

/// Renders metrics exactly in the shape of OpenDigger's static export (`spec/metrics.md` §2):
/// one flat JSON object per metric, keys `YYYY`, `YYYYQn`, `YYYY-MM`, values rounded to two
/// decimals, zeros left out (`{}` for a metric with input but no non-zero value, no file for
/// one without input), and the October 2021 repair of GH Archive's outage.
public enum OpenDiggerFormat {
    /// Two decimals, half away from zero.
    public static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }

    /// The file content of a scalar metric, or nil when it has no input (no bucket at all). A
    /// metric with input whose every value is 0 is `{}`: OpenDigger writes a file for every
    /// entity with input for the metric (spec §2, changed 2026-11-24).
    public static func scalarObject(_ series: MetricSeries, repairOctober2021: Bool = true) -> [String: Double]? {
        guard !series.isEmpty else { return nil }
        var content: [String: Double] = [:]
        for (period, value) in series {
            let v = round2(value)
            if v != 0 { content[period.key] = v }
        }
        if repairOctober2021, let raw = content["2021-10"] {
            // GH Archive lost about two weeks of October 2021; OpenDigger estimates the month
            // from its neighbours and keeps the measured value beside it.
            content["2021-10-raw"] = raw
            var aug = content["2021-08"] ?? 0, sep = content["2021-09"] ?? 0
            let nov = content["2021-11"] ?? 0, dec = content["2021-12"] ?? 0
            if aug == 0 { aug = dec }
            if sep == 0 { sep = nov }
            // JavaScript's Math.round: half up.
            content["2021-10"] = (0.15 * aug + 0.35 * sep + 0.35 * nov + 0.15 * dec + 0.5).rounded(.down)
        }
        return content
    }

    /// The file content of a detail metric, or nil when it has no input; empty arrays are left out.
    public static func detailObject(_ series: DetailSeries) -> [String: [DetailEntry]]? {
        guard !series.isEmpty else { return nil }
        var content: [String: [DetailEntry]] = [:]
        for (period, entries) in series where !entries.isEmpty { content[period.key] = entries }
        return content
    }

    /// Keys as OpenDigger's writer leaves them (spec §2, changed 2026-11-24): years ascending,
    /// then months ascending, then `2021-10-raw`, then quarters ascending.
    static func sortedKeys<V>(_ object: [String: V]) -> [String] {
        func group(_ key: String) -> Int {
            if key.hasSuffix("-raw") { return 2 }
            if key.contains("Q") { return 3 }
            return key.count == 4 ? 0 : 1
        }
        return object.keys.sorted { a, b in
            let ga = group(a), gb = group(b)
            return ga != gb ? ga < gb : a < b
        }
    }

    public static func json(_ object: [String: Double]) -> String {
        "{" + sortedKeys(object).map { "\(JSONText.string($0)):\(JSONText.number(object[$0]!))" }.joined(separator: ",") + "}"
    }

    public static func json(_ object: [String: [DetailEntry]]) -> String {
        "{" + sortedKeys(object).map { key in
            let items = object[key]!.map { e in
                e.value.map { "[\(JSONText.string(e.login)),\(JSONText.number(round2($0)))]" } ?? JSONText.string(e.login)
            }
            return "\(JSONText.string(key)):[\(items.joined(separator: ","))]"
        }.joined(separator: ",") + "}"
    }

    /// A duration metric in OpenDigger's shape: one object per statistic, each keyed by period:
    /// `{"avg":{…},"levels":{"2024-01":[a,b,c,d]},"quantile_0":{…},…,"quantile_4":{…}}`, plus
    /// `"unanswered"` for response times.
    public static func json(_ series: DurationSeries, unanswered: Bool) -> String? {
        guard !series.isEmpty else { return nil }
        var parts: [String] = []
        func object(_ name: String, _ value: (DurationStats) -> String?) {
            let keyed = Dictionary(uniqueKeysWithValues: series.compactMap { p, s in value(s).map { (p.key, $0) } })
            guard !keyed.isEmpty else { return }
            parts.append("\(JSONText.string(name)):{" + sortedKeys(keyed).map { "\(JSONText.string($0)):\(keyed[$0]!)" }.joined(separator: ",") + "}")
        }
        object("avg") { $0.count > 0 ? JSONText.number(round2($0.average)) : nil }
        object("levels") { $0.count > 0 ? "[" + $0.levels.map(String.init).joined(separator: ",") + "]" : nil }
        for q in 0...4 { object("quantile_\(q)") { $0.count > 0 ? JSONText.number(round2($0.quantiles[q])) : nil } }
        if unanswered { object("unanswered") { $0.unanswered > 0 ? String($0.unanswered) : nil } }
        return parts.isEmpty ? nil : "{" + parts.joined(separator: ",") + "}"
    }

    /// Every file of one developer.
    public static func files(for developer: DeveloperMetrics) -> [(name: String, json: String)] {
        DeveloperMetric.allCases.compactMap { metric in
            developer.scalars[metric].flatMap { scalarObject($0) }.map { ("\(metric.rawValue).json", json($0)) }
        }
    }

    /// Every file of one repository: (metric file name, JSON text).
    public static func files(for metrics: RepoMetrics) -> [(name: String, json: String)] {
        var out: [(String, String)] = []
        for metric in RepoMetric.allCases {
            // Every monthly scalar is repaired for October 2021 but the line counts (spec §2).
            if let series = metrics.scalars[metric], let object = scalarObject(series, repairOctober2021: !metric.isLineCount) {
                out.append(("\(metric.rawValue).json", json(object)))
            } else if let series = metrics.details[metric], let object = detailObject(series) {
                out.append(("\(metric.rawValue).json", json(object)))
            } else if let series = metrics.durations[metric],
                      let text = json(series, unanswered: metric == .issueResponseTime || metric == .changeRequestResponseTime) {
                out.append(("\(metric.rawValue).json", text))
            }
        }
        return out
    }
}

extension RepoMetric {
    /// `code_change_lines_*`, which OpenDigger exempts from the October 2021 repair.
    var isLineCount: Bool { self == .codeChangeLinesAdd || self == .codeChangeLinesRemove || self == .codeChangeLinesSum }
}

extension OpenDiggerFormat {
    /// A name that would escape the folder or is not OWNER/REPO is never written.
    public static func isWritableRepoName(_ name: String) -> Bool {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    public static func isWritableLogin(_ login: String) -> Bool {
        !login.isEmpty && !login.contains("/") && login != "." && login != ".." && !login.hasPrefix("#")
    }

    /// A label's files: its sums over the repositories it covers, in the repository files' shape.
    public static func files(forLabel id: String, sums: [RepoMetric: MetricSeries]) -> [(name: String, json: String)] {
        var metrics = RepoMetrics(repo: RepoRef(id: 0, name: id))
        metrics.scalars = sums
        return files(for: metrics)
    }

    /// `repo_list.csv` / `user_list.csv`: id and name, by name case-insensitively.
    /// `huggingface/model_list.csv`: model ids in byte order (the Hub has no numeric ids).
    public static func modelListCSV<S: Sequence>(_ ids: S) -> String where S.Element == String {
        "model_id\n" + ids.sorted().map { CSVText.field($0) + "\n" }.joined()
    }

    public static func listCSV(header: String, _ rows: [(id: Int64, name: String)]) -> String {
        var csv = header + "\n"
        for (id, name) in rows.sorted(by: { $0.name.lowercased() < $1.name.lowercased() }) {
            csv += "\(id),\(CSVText.field(name))\n"
        }
        return csv
    }

    /// A breakdown (timezone_share, region_share): `{"2025":{"+08:00":0.8,…},…}`, shares rounded.
    public static func json(_ shares: [Period: [String: Double]]) -> String? {
        var keyed: [String: String] = [:]
        for (p, row) in shares {
            let parts = row.filter { round2($0.value) != 0 }.sorted { $0.key < $1.key }
                .map { "\(JSONText.string($0.key)):\(JSONText.number(round2($0.value)))" }
            if !parts.isEmpty { keyed[p.key] = "{" + parts.joined(separator: ",") + "}" }
        }
        guard !keyed.isEmpty else { return nil }
        return "{" + sortedKeys(keyed).map { "\(JSONText.string($0)):\(keyed[$0]!)" }.joined(separator: ",") + "}"
    }

    /// Every git metric file of one repository (spec/metrics.md §8). No October 2021 repair:
    /// git histories did not lose that month.
    /// A hub model's files: `downloads`, `downloads_all_time`, `likes` and `derivatives` in
    /// the metric shape, keyed by snapshot month (a quarter or a year takes its last snapshot),
    /// where the snapshots have them (zeros kept: a period without a value is absent); and
    /// `licence.json`.
    public static func files(for model: HubModelSeries) -> [(name: String, json: String)] {
        var files: [(name: String, json: String)] = []
        for metric in [HubMetric.downloads, .downloadsAllTime, .likes, .derivatives] {
            // Unlike event counts, a Hub count of 0 is written: absent means not known.
            let series = model.series(metric)
            if !series.isEmpty { files.append((metric.rawValue + ".json", json(Dictionary(uniqueKeysWithValues: series.map { ($0.key.key, round2($0.value)) })))) }
        }
        let l = model.licence
        files.append(("licence.json", "{\"id\":\(JSONText.string(l.id)),\"kind\":\(JSONText.string(l.kind.rawValue)),\"osi\":\(l.osi),\"evidence\":\(JSONText.string(l.evidence))}"))
        return files.sorted { $0.name < $1.name }
    }

    public static func files(for git: GitRepoMetrics) -> [(name: String, json: String)] {
        var out: [(String, String)] = []
        for metric in GitMetric.allCases {
            if let series = git.scalars[metric], let object = scalarObject(series, repairOctober2021: false) {
                out.append(("\(metric.rawValue).json", json(object)))
            } else if let shares = git.shares[metric], let text = json(shares) {
                out.append(("\(metric.rawValue).json", text))
            } else if metric == .authorsDetail, let object = detailObject(git.authorsDetail) {
                out.append(("\(metric.rawValue).json", json(object)))
            }
        }
        return out
    }
}

/// Writes an OpenDigger-layout folder: `OUT/PLATFORM/OWNER/REPO/METRIC.json` and
/// `OUT/PLATFORM/repo_list.csv` (`github/` as OpenDigger writes it; `gitee/`, … the same way,
/// with each forge's own ids in the lists).
public final class OpenDiggerExportWriter {
    public let root: URL
    /// The folder holding `github/`, `gitee/`, `atomgit/`…
    public let base: URL
    public private(set) var gitRepositoriesWritten = 0
    private var listed: [Platform: [(id: Int64, name: String)]] = [:]
    private var users: [Platform: [(id: Int64, login: String)]] = [:]
    public private(set) var filesWritten = 0
    /// Entities not written, each with why.
    public private(set) var skippedNames: [String] = []

    public init(outputDirectory: String) throws {
        base = URL(fileURLWithPath: outputDirectory)
        root = base.appendingPathComponent("github")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// `meta.json` and the root lists (§12), when set.
    public var meta: ExportMeta?
    private var rootRepos: [(id: Int64, platform: Platform, name: String, openrank: Double)] = []
    private var rootUsers: [(id: Int64, platform: Platform, name: String, openrank: Double)] = []

    public func write(_ metrics: RepoMetrics) throws {
        var files = OpenDiggerFormat.files(for: metrics)
        guard !files.isEmpty else { return }
        if let meta, ExportMeta.wanted(files) { files.append(("meta.json", meta.repo(metrics.repo))) }
        let parts = metrics.repo.name.split(separator: "/", omittingEmptySubsequences: false)
        guard OpenDiggerFormat.isWritableRepoName(metrics.repo.name) else {
            skippedNames.append(metrics.repo.name + " (not a path kaiyuan writes)")
            return
        }
        guard try writeFiles(files, under: [metrics.repo.platform.rawValue] + parts.map(String.init)) else { return }
        listed[metrics.repo.platform, default: []].append((metrics.repo.localID, metrics.repo.name))
        if meta != nil, let rank = ExportMeta.latestOpenRank(metrics.scalars[.openrank]) {
            rootRepos.append((metrics.repo.localID, metrics.repo.platform, metrics.repo.name, rank))
        }
    }

    /// Writes a history's git metrics to `OUT/PLATFORM/OWNER/REPO/METRIC.json`.
    public func write(_ git: GitRepoMetrics, for repo: ForgeRepo) throws {
        let files = OpenDiggerFormat.files(for: git)
        guard !files.isEmpty else { return }
        let parts = repo.name.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            skippedNames.append(repo.description + " (not a path kaiyuan writes)")
            return
        }
        guard try writeFiles(files, under: [repo.platform.rawValue] + parts.map(String.init)) else { return }
        gitRepositoriesWritten += 1
    }

    /// Writes `OUT/PLATFORM/OWNER/REPO/licences.json`: what the clone declares and its relicensing.
    public func write(licences record: RepoLicenceRecord) throws {
        let parts = record.repo.name.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            skippedNames.append(record.repo.description + " (not a path kaiyuan writes)")
            return
        }
        try writeFiles([("licences.json", LicenceOutput.repositoryJSON(record))], under: [record.repo.platform.rawValue] + parts.map(String.init))
    }

    /// Writes a label's sums to `OUT/labels/KIND/NAME/METRIC.json` (`:companies/alibaba` →
    /// `OUT/labels/companies/alibaba/`).
    public func write(label id: String, sums: [RepoMetric: MetricSeries]) throws {
        let files = OpenDiggerFormat.files(forLabel: id, sums: sums)
        let parts = id.drop(while: { $0 == ":" }).split(separator: "/")
        guard !files.isEmpty, !parts.isEmpty, parts.allSatisfy({ $0 != "." && $0 != ".." }) else { return }
        guard try writeFiles(files, under: ["labels"] + parts.map(String.init)) else { return }
        labelsWritten += 1
    }

    public private(set) var labelsWritten = 0

    /// `OUT/A/B/…/NAME` for each file, creating the folders on the way. A name the file system
    /// cannot hold (too long) skips that entity, says so, and returns false; any other failure
    /// (a full disk) stops the export.
    @discardableResult
    private func writeFiles(_ files: [(name: String, json: String)], under path: [String]) throws -> Bool {
        var dir = base
        do {
            for part in path {
                dir = dir.appendingPathComponent(part)
                try TextFile.makeDirectory(dir)
            }
            for (name, json) in files {
                try TextFile.write(json, to: dir.appendingPathComponent(name))
                filesWritten += 1
            }
        } catch let error as TextFileError where error.isBadName {
            skippedNames.append(path.joined(separator: "/") + " (\(String(cString: strerror(error.code))))")
            return false
        }
        return true
    }

    /// Writes `OUT/github/LOGIN/METRIC.json`.
    public func write(_ developer: DeveloperMetrics) throws {
        var files = OpenDiggerFormat.files(for: developer)
        guard !files.isEmpty else { return }
        if let meta, ExportMeta.wanted(files) { files.append(("meta.json", meta.user(id: developer.id))) }
        let login = developer.login
        guard OpenDiggerFormat.isWritableLogin(login) else {
            skippedNames.append(login + " (not a path kaiyuan writes)")
            return
        }
        let platform = Platform.of(key: developer.id)
        guard try writeFiles(files, under: [platform.rawValue, login]) else { return }
        users[platform, default: []].append((Platform.localID(of: developer.id), login))
        if meta != nil, let rank = ExportMeta.latestOpenRank(developer.scalars[.openrank]) {
            rootUsers.append((Platform.localID(of: developer.id), platform, login, rank))
        }
    }

    public func finish() throws {
        if meta != nil {
            try Data(ExportMeta.rootList(header: "id,platform,repo_name", rootRepos).utf8).write(to: base.appendingPathComponent("repo_list.csv"), options: .atomic)
            try Data(ExportMeta.rootList(header: "id,platform,actor_login", rootUsers).utf8).write(to: base.appendingPathComponent("user_list.csv"), options: .atomic)
        }
        if !models.isEmpty {
            let dir = base.appendingPathComponent(Platform.huggingface.rawValue)
            try Data(OpenDiggerFormat.modelListCSV(models).utf8).write(to: dir.appendingPathComponent("model_list.csv"), options: .atomic)
        }
        // GitHub's lists are always written (OpenDigger's layout); other forges' when they have data.
        for platform in Set(listed.keys).union(users.keys).union([.github]).sorted() {
            let dir = base.appendingPathComponent(platform.rawValue)
            try TextFile.makeDirectory(dir)
            try Data(OpenDiggerFormat.listCSV(header: "id,repo_name", listed[platform] ?? []).utf8).write(to: dir.appendingPathComponent("repo_list.csv"), options: .atomic)
            try Data(OpenDiggerFormat.listCSV(header: "id,actor_login", (users[platform] ?? []).map { ($0.id, $0.login) }).utf8)
                .write(to: dir.appendingPathComponent("user_list.csv"), options: .atomic)
        }
    }

    /// Writes a hub model's files to `OUT/huggingface/ORG/NAME/`, and lists it in
    /// `OUT/huggingface/model_list.csv` (the Hub has no numeric ids).
    public func write(_ model: HubModelSeries) throws {
        let files = OpenDiggerFormat.files(for: model)
        let parts = model.id.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            skippedNames.append("huggingface:\(model.id) (not a path kaiyuan writes)")
            return
        }
        guard try writeFiles(files, under: [Platform.huggingface.rawValue] + parts.map(String.init)) else { return }
        models.append(model.id)
    }

    private var models: [String] = []
    public var modelsWritten: Int { models.count }

    public var developersWritten: Int { users.values.reduce(0) { $0 + $1.count } }

    public var repositoriesWritten: Int { listed.values.reduce(0) { $0 + $1.count } }
}
