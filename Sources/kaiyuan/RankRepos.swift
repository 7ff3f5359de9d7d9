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
              kaiyuan rank repos --by commits --period 2024     (git histories, any forge)
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The metric to rank by (OpenDigger's, or a git metric such as commits or authors).", valueName: "metric"))
    var by: AnyRepoMetric

    @OptionGroup var listing: RankOptions

    @OptionGroup var bots: BotOptions

    func validate() throws {
        if let why = by.notRankable { throw ValidationError(why) }
    }

    func run() async throws {
        let db = try store.open(readOnly: true)
        var ranked: [(name: String, value: Double)]
        let chosen: Period
        switch by {
        case .events(let metric):
            chosen = try store.periodOrLatestYear(listing.period, in: db)
            if metric == .openrank { try OpenRankRunner.warnIfStale(db) }
            ranked = try bots.engine(db).rank(by: metric, period: chosen, top: listing.top).map { ($0.repo.name, $0.value) }
        case .git(let metric):
            let engine = try GitMetricsEngine(store: db)
            chosen = try listing.period ?? RankLabels.latestGitYear(engine, store.path)
            ranked = try engine.rank(by: metric, period: chosen, top: listing.top).map { ($0.repo.description, $0.value) }
        }
        var table = DataTable(title: listing.format == .table ? "Repositories by \(by.name), \(chosen.key)" : nil,
                              columns: ["rank", "repo", by.name])
        for (i, r) in ranked.enumerated() {
            table.rows.append([.number(Double(i + 1)), .text(r.name), .number(OpenDiggerFormat.round2(r.value))])
        }
        print(table.render(listing.format))
    }
}
