import ArgumentParser
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanOutputs

struct ShowRepo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repo",
        abstract: "Show a repository's metrics per month, quarter or year.",
        discussion: """
            Metrics (OpenDigger's names):
            \(RepoMetric.allCases.map { "  \($0.rawValue.padding(toLength: 34, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n"))

            Examples:
              kaiyuan show repo alibaba/nacos
              kaiyuan show repo alibaba/nacos --period year --metric activity --metric stars
              kaiyuan show repo alibaba/nacos --metric activity_details --period quarter --format csv
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The repository, OWNER/NAME (a former name works too).", valueName: "owner/name"))
    var repo: String

    @Option(name: .customLong("metric"), help: ArgumentHelp("A metric to show (repeatable).", valueName: "metric"))
    var metrics: [RepoMetric] = []

    @Flag(help: "Show every scalar metric.")
    var all = false

    @Option(help: "month, quarter or year.")
    var period: PeriodKind = .month

    @Option(help: "table, json or csv.")
    var format: OutputFormat = .table

    @OptionGroup var bots: BotOptions

    static let defaultMetrics: [RepoMetric] = [.activity, .stars, .technicalFork, .participants, .contributors,
                                               .issuesNew, .issuesClosed, .changeRequests, .changeRequestsAccepted]

    func run() async throws {
        let db = try store.open(readOnly: true)
        guard let ref = try db.repository(named: repo) else {
            throw ValidationError("no repository named \(repo) in \(store.path); `kaiyuan rank repos --by activity` lists what is there")
        }
        let chosen = all ? RepoMetric.scalars : (metrics.isEmpty ? Self.defaultMetrics : metrics)
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
        print(output.joined(separator: "\n\n"))
    }
}
