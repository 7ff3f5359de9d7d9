import ArgumentParser
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanOutputs

struct RankRepos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repos",
        abstract: "Rank repositories by a metric in one month, quarter or year.",
        discussion: """
            Examples:
              kaiyuan rank repos --by activity --period 2025
              kaiyuan rank repos --by stars --period 2025Q1 --top 50
              kaiyuan rank repos --by contributors --period 2025-01 --format csv
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The metric to rank by.", valueName: "metric"))
    var by: RepoMetric

    @Option(help: ArgumentHelp("2025, 2025Q1 or 2025-01. Default: the latest year in the store.", valueName: "period"))
    var period: Period?

    @Option(help: "How many repositories to list.")
    var top = 20

    @Option(help: "table, json or csv.")
    var format: OutputFormat = .table

    @OptionGroup var bots: BotOptions

    func validate() throws {
        if by.isDuration { throw ValidationError("\(by.rawValue) is a distribution; `kaiyuan show repo OWNER/NAME --metric \(by.rawValue)` shows it") }
        if by.isDetail { throw ValidationError("\(by.rawValue) is a list, not a number; rank by \(by == .activityDetails ? "activity" : "contributors")") }
        if top < 1 { throw ValidationError("--top must be at least 1") }
    }

    func run() async throws {
        let db = try store.open(readOnly: true)
        let period = try store.periodOrLatestYear(period, in: db)
        if by == .openrank { try OpenRankRunner(store: db).warnIfStale() }
        let ranked = try bots.engine(db).rank(by: by, period: period, top: top)
        var table = DataTable(title: format == .table ? "Repositories by \(by.rawValue), \(period.key)" : nil,
                              columns: ["rank", "repo", by.rawValue])
        for (i, r) in ranked.enumerated() {
            table.rows.append([.number(Double(i + 1)), .text(r.repo.name), .number(OpenDiggerFormat.round2(r.value))])
        }
        print(table.render(format))
    }
}
