import ArgumentParser
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanReports
import KaiyuanOutputs
import KaiyuanPeople

struct ShowLabel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Show a label's metrics: sums over the repositories it covers, per period.",
        discussion: """
            A label (kaiyuan labels import) covers the orgs and repositories it lists on GitHub, \
            Gitee and AtomGit, and those of every label under it (:companies/alibaba includes \
            :companies/alibaba/nacos, …). Each scalar metric is summed over the GitHub \
            repositories covered, each once; git metrics come from the covered histories taken \
            together (a commit in two of them counts once, authors are distinct people).

            Examples:
              kaiyuan show label :companies/alibaba
              kaiyuan show label :divisions/CN --period year --metric openrank --metric activity
              kaiyuan show label :companies/alibaba --metric commits --metric authors --format csv
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The label, e.g. :companies/alibaba.", valueName: "label"))
    var label: String

    @Option(name: .customLong("metric"), help: ArgumentHelp("A metric to show (repeatable; OpenDigger's or git's).", valueName: "metric"))
    var metrics: [AnyRepoMetric] = []

    @Option(help: "month, quarter or year.")
    var period: PeriodKind = .year

    @Option(help: "table, json or csv.")
    var format: OutputFormat = .table

    @OptionGroup var bots: BotOptions

    static let defaults: [AnyRepoMetric] = [.events(.openrank), .events(.activity), .events(.stars), .events(.participants),
                                            .events(.changeRequestsAccepted), .git(.commits), .git(.authors), .git(.linesAdded)]

    func run() async throws {
        let db = try store.open(readOnly: true)
        let context = try PeopleContext.load(from: db)
        guard !context.labels.isEmpty else { throw ValidationError("no labels in \(store.path); run `kaiyuan labels import DIR` first") }
        let id = label.hasPrefix(":") ? label : ":" + label
        guard let def = context.labels.label(id) else {
            throw ValidationError("no label \(id); `kaiyuan labels list --type Company` lists them")
        }
        let chosen = (metrics.isEmpty ? Self.defaults : metrics).filter { $0.notRankable == nil }
        let eventMetrics = chosen.compactMap { if case .events(let m) = $0 { m } else { nil } }
        let gitMetrics = chosen.compactMap { if case .git(let m) = $0 { m } else { nil } }
        var series: [String: MetricSeries] = [:]
        var githubRepos = 0
        if !eventMetrics.isEmpty {
            let result = try LabelMetrics(engine: try bots.engine(db), labels: context.labels)
                .metrics(of: id, kinds: [period], only: eventMetrics)
            githubRepos = result.repos.count
            for m in eventMetrics { series[m.rawValue] = result.sums[m] ?? [:] }
        }
        var gitRepos = 0
        if !gitMetrics.isEmpty, let a = try GitMetricsEngine(store: db, context: context).labelAnalysis(id, kinds: [period]) {
            gitRepos = a.history.repos.count
            for m in gitMetrics { series[m.rawValue] = a.metrics.scalars[m] ?? [:] }
        }
        let coverage = context.labels.coverage(of: id)
        let title = "\(def.name)\(def.nameZh.map { " \($0)" } ?? "") (\(def.id), \(def.type)): \(context.labels.descendants(of: id).count - 1) labels under it, "
            + "\(coverage.orgs.count) orgs and \(coverage.repos.count) repositories listed; in the store: \(githubRepos) GitHub repositories with events, \(gitRepos) git histories"
        var table = DataTable(title: format == .table ? title : nil, columns: [period.rawValue] + chosen.map(\.name))
        let periods = Set(series.values.flatMap(\.keys)).sorted()
        for p in periods {
            let row = chosen.map { m -> DataTable.Cell in .number(OpenDiggerFormat.round2(series[m.name]?[p] ?? 0)) }
            if row.contains(where: { $0 != .number(0) }) { table.rows.append([.text(p.key)] + row) }
        }
        if table.rows.isEmpty && format == .table { print(title + "\nno data for these repositories in the store yet") } else { print(table.render(format)) }
    }
}

struct RankLabels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Rank labels of one type (companies, countries, foundations…) by a metric summed over their repositories.",
        discussion: """
            Examples:
              kaiyuan rank labels --type Company --by openrank --period 2025
              kaiyuan rank labels --type Division-0 --by activity
              kaiyuan rank labels --type Company --by commits
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "Company, Division-0 (countries), Division-1 (provinces), Foundation, Project, Community, …")
    var type: String = "Company"

    @Option(help: ArgumentHelp("The metric to rank by (OpenDigger's or git's).", valueName: "metric"))
    var by: AnyRepoMetric = .events(.openrank)

    @OptionGroup var listing: RankOptions

    @OptionGroup var bots: BotOptions

    func validate() throws {
        if let why = by.notRankable { throw ValidationError(why) }
    }

    func run() async throws {
        let db = try store.open(readOnly: true)
        let context = try PeopleContext.load(from: db)
        guard !context.labels.isEmpty else { throw ValidationError("no labels in \(store.path); run `kaiyuan labels import DIR` first") }
        guard !context.labels.labels(ofType: type).isEmpty else {
            throw ValidationError("no label of type \(type); types include Company, Division-0, Division-1, Foundation, Project, Community")
        }
        var ranked: [(label: LabelDefinition, value: Double, repos: Int)] = []
        let chosenPeriod: Period
        switch by {
        case .events(let m):
            chosenPeriod = try store.periodOrLatestYear(listing.period, in: db)
            if m == .openrank { try OpenRankRunner.warnIfStale(db) }
            ranked = try LabelMetrics(engine: try bots.engine(db), labels: context.labels).rank(type: type, by: m, period: chosenPeriod, top: listing.top)
        case .git(let m):
            let engine = GitMetricsEngine(store: db, context: context)
            chosenPeriod = try listing.period ?? Self.latestGitYear(engine, store.path)
            ranked = try engine.rankLabels(type: type, by: m, period: chosenPeriod, top: listing.top)
        }
        var table = DataTable(title: listing.format == .table ? "\(type) labels by \(by.name), \(chosenPeriod.key) (sum over their repositories)" : nil,
                              columns: ["rank", "label", "name", by.name, "repositories"])
        for (i, r) in ranked.enumerated() {
            table.rows.append([.number(Double(i + 1)), .text(r.label.id), .text(r.label.name + (r.label.nameZh.map { " \($0)" } ?? "")),
                               .number(OpenDiggerFormat.round2(r.value)), .number(Double(r.repos))])
        }
        print(table.render(listing.format))
    }

    /// The year of the newest commit in the store's histories.
    static func latestGitYear(_ engine: GitMetricsEngine, _ path: String) throws -> Period {
        guard let latest = try engine.store.latestCommitMonth() else {
            throw ValidationError("no git histories in \(path); `kaiyuan ingest git` reads one")
        }
        return Period(.year, containing: latest)
    }
}
