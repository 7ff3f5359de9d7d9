import ArgumentParser
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanOutputs
import KaiyuanStore

struct ShowRepo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repo",
        abstract: "Show a repository's metrics per month, quarter or year.",
        discussion: """
            A GitHub repository has OpenDigger's metrics from GH Archive events; any repository \
            whose git history was read (`kaiyuan ingest git`) has git metrics too.

            Metrics (OpenDigger's names):
            \(RepoMetric.allCases.map { "  \($0.rawValue.padding(toLength: 34, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n"))

            Git metrics (spec/metrics.md §8, by author date):
            \(GitMetric.allCases.map { "  \($0.rawValue.padding(toLength: 34, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n"))

            Examples:
              kaiyuan show repo alibaba/nacos
              kaiyuan show repo gitee:openharmony/docs --period year
              kaiyuan show repo alibaba/nacos --metric commits --metric authors --metric timezone_share
              kaiyuan show repo alibaba/nacos --period year --metric activity --metric stars
              kaiyuan show repo alibaba/nacos --metric activity_details --period quarter --format csv
              kaiyuan show repo huggingface:deepseek-ai/DeepSeek-V3          (a model, from Hub snapshots)
              kaiyuan show repo huggingface:deepseek-ai                      (an organisation's models summed)
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The repository, OWNER/NAME on GitHub (a former name works too) or PLATFORM:OWNER/NAME.", valueName: "owner/name"))
    var repo: String

    @Option(name: .customLong("metric"), help: ArgumentHelp("A metric to show (repeatable).", valueName: "metric"))
    var metrics: [AnyRepoMetric] = []

    @Flag(help: "Show every scalar metric.")
    var all = false

    @Option(help: "month, quarter or year.")
    var period: PeriodKind = .month

    @Option(help: "table, json or csv.")
    var format: OutputFormat = .table

    @OptionGroup var bots: BotOptions

    static let defaultMetrics: [RepoMetric] = [.activity, .stars, .technicalFork, .participants, .contributors,
                                               .issuesNew, .issuesClosed, .changeRequests, .changeRequestsAccepted]
    static let defaultGitMetrics: [GitMetric] = [.commits, .mergeCommits, .authors, .newAuthors, .linesAdded, .linesDeleted, .coAuthoredCommits]

    func run() async throws {
        let db = try store.open(readOnly: true)
        guard let forge = ForgeRepo(repo) ?? hubModelName else { throw ValidationError("\(repo): expected OWNER/NAME or PLATFORM:OWNER/NAME") }
        if forge.platform == .huggingface {
            let catalog = try HubCatalog(store: db)
            if let model = catalog.models[forge.name] ?? catalog.models.values.first(where: { $0.id.lowercased() == forge.name.lowercased() }) {
                print(HubTables.model(model, kind: period, format: format).joined(separator: "\n\n"))
                return
            }
            // An organisation: its models summed.
            let ids = forge.name.contains("/") ? [] : catalog.ids(author: forge.name)
            guard !ids.isEmpty else {
                throw ValidationError("no model or organisation \(forge.name) in \(store.path); `kaiyuan ingest huggingface --author \(forge.owner)` reads it, `kaiyuan rank repos --by hf_downloads` lists what is there")
            }
            print(HubTables.organisation(forge.name, ids: ids, catalog: catalog, kind: period, format: format).joined(separator: "\n\n"))
            return
        }
        let ref = try db.repository(named: forge.name, platform: forge.platform)
        let gitRecord = try db.gitRepository(forge, create: false).flatMap { $0.commits > 0 ? $0 : nil }
        guard ref != nil || gitRecord != nil else {
            throw ValidationError("no repository named \(repo) in \(store.path); `kaiyuan rank repos --by activity` lists what is there, `kaiyuan ingest git` reads a history")
        }
        let eventChoice = metrics.compactMap { if case .events(let m) = $0 { m } else { nil } }
        let gitChoice = metrics.compactMap { if case .git(let m) = $0 { m } else { nil } }
        var output: [String] = []
        if let ref, metrics.isEmpty || !eventChoice.isEmpty {
            output += try eventTables(ref, all ? RepoMetric.scalars : (metrics.isEmpty ? Self.defaultMetrics : eventChoice), db)
        }
        if let gitRecord, metrics.isEmpty || !gitChoice.isEmpty {
            output += try gitTables(gitRecord, all ? GitMetric.allCases : (metrics.isEmpty ? Self.defaultGitMetrics : gitChoice), db)
        }
        print(output.joined(separator: "\n\n"))
    }

    /// `huggingface:bert-base-cased`: the Hub's oldest models have no organisation.
    var hubModelName: ForgeRepo? {
        guard repo.hasPrefix("huggingface:") || repo.hasPrefix("hf:") else { return nil }
        let name = String(repo.split(separator: ":", maxSplits: 1)[1])
        return name.isEmpty || name.contains("/") ? nil : ForgeRepo(platform: .huggingface, name: name)
    }

    func gitTables(_ record: GitRepoRecord, _ chosen: [GitMetric], _ db: any DataStore) throws -> [String] {
        let a = try GitMetricsEngine(store: db).analysis(of: record, kinds: [period])
        var output: [String] = []
        let scalars = chosen.filter { !$0.isShare && !$0.isDetail }
        if !scalars.isEmpty {
            var table = DataTable(title: format == .table ? "\(record.repo) — git history per \(period.rawValue)" : nil,
                                  columns: [period.rawValue] + scalars.map(\.rawValue))
            for p in Set(scalars.flatMap { a.metrics.scalars[$0]?.keys ?? [:].keys }).sorted() {
                table.rows.append([.text(p.key)] + scalars.map { .number(a.metrics.value($0, p)) })
            }
            output.append(table.render(format))
        }
        for metric in chosen where metric.isShare {
            var table = DataTable(title: format == .table ? "\(record.repo) — \(metric.rawValue) per \(period.rawValue)" : nil,
                                  columns: [period.rawValue, metric == .timezoneShare ? "utc_offset" : "region", "share"])
            for (p, shares) in (a.metrics.shares[metric] ?? [:]).sorted(by: { $0.key < $1.key }) {
                for (k, v) in shares.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                    table.rows.append([.text(p.key), .text(k), .number(OpenDiggerFormat.round2(v))])
                }
            }
            output.append(table.render(format))
        }
        if chosen.contains(.authorsDetail) {
            var table = DataTable(title: format == .table ? "\(record.repo) — authors per \(period.rawValue)" : nil,
                                  columns: [period.rawValue, "rank", "author", "commits", "merges", "lines_added", "lines_deleted", "bot"])
            for (p, authors) in a.metrics.authors.sorted(by: { $0.key < $1.key }) {
                for (i, w) in authors.enumerated() {
                    table.rows.append([.text(p.key), .number(Double(i + 1)), .text(w.name), .number(Double(w.commits)), .number(Double(w.mergeCommits)),
                                       .number(Double(w.linesAdded)), .number(Double(w.linesDeleted)), .text(w.isBot ? "yes" : "")])
                }
            }
            output.append(table.render(format))
        }
        return output
    }

    func eventTables(_ ref: RepoRef, _ chosen: [RepoMetric], _ db: any DataStore) throws -> [String] {
        let values = try bots.engine(db).metrics(for: ref, kinds: [period], only: Set(chosen))
        let scalars = chosen.filter { !$0.isDetail && !$0.isDuration }
        let durations = chosen.filter(\.isDuration)
        let details = chosen.filter(\.isDetail)
        var output: [String] = []

        if !scalars.isEmpty {
            var table = DataTable(title: format == .table ? "\(ref.name) — per \(period.rawValue)" : nil,
                                  columns: [period.rawValue] + scalars.map(\.rawValue))
            let periods = Set(scalars.flatMap { values.scalars[$0]?.keys ?? [:].keys }).sorted()
            for p in periods {
                let row = scalars.map { m -> DataTable.Cell in .number(OpenDiggerFormat.round2(values.value(m, p))) }
                if row.contains(where: { $0 != .number(0) }) { table.rows.append([.text(p.key)] + row) }
            }
            output.append(table.render(format))
        }
        for metric in details {
            var table = DataTable(title: format == .table ? "\(ref.name) — \(metric.rawValue) per \(period.rawValue)" : nil,
                                  columns: [period.rawValue, "rank", "login", "value"])
            for (p, entries) in (values.details[metric] ?? [:]).sorted(by: { $0.key < $1.key }) {
                for (i, e) in entries.enumerated() {
                    table.rows.append([.text(p.key), .number(Double(i + 1)), .text(e.login),
                                       e.value.map { .number(OpenDiggerFormat.round2($0)) } ?? .empty])
                }
            }
            output.append(table.render(format))
        }
        for metric in durations {
            var table = DataTable(title: format == .table ? "\(ref.name) — \(metric.rawValue) per \(period.rawValue), in days" : nil,
                                  columns: [period.rawValue, "items", "avg", "min", "q1", "median", "q3", "max", "levels", "unanswered"])
            for (p, s) in (values.durations[metric] ?? [:]).sorted(by: { $0.key < $1.key }) {
                table.rows.append([.text(p.key), .number(Double(s.count))]
                    + ([s.average] + s.quantiles).map { s.count > 0 ? .number(OpenDiggerFormat.round2($0)) : .empty }
                    + [.text(s.levels.map(String.init).joined(separator: "/")), .number(Double(s.unanswered))])
            }
            output.append(table.render(format))
        }
        return output
    }
}
