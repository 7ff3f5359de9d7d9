import ArgumentParser
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanOutputs

struct ShowDev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Show a developer's metrics per month, quarter or year.",
        discussion: """
            Metrics:
            \(DeveloperMetric.allCases.map { "  \($0.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n"))

            Activity is summed over every repository the developer was active in. This reads \
            the whole store (there is no index by developer), so it takes a while on a big one.

            Examples:
              kaiyuan show dev lilei
              kaiyuan show dev lilei --period year --format json
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The developer's GitHub login (a former one works too).", valueName: "login"))
    var login: String

    @Option(help: "month, quarter or year.")
    var period: PeriodKind = .month

    @Option(help: "table, json or csv.")
    var format: OutputFormat = .table

    func run() async throws {
        let db = try store.open(readOnly: true)
        guard let dev = try MetricsEngine(store: db).developer(login: login, kinds: [period]) else {
            throw ValidationError("no developer with login \(login) in \(store.path); `kaiyuan rank devs --by activity` lists who is there")
        }
        let metrics = DeveloperMetric.allCases
        var table = DataTable(title: format == .table ? "\(dev.login) — per \(period.rawValue)" : nil,
                              columns: [period.rawValue] + metrics.map(\.rawValue))
        for p in Set(metrics.flatMap { dev.scalars[$0]?.keys ?? [:].keys }).sorted() {
            let row = metrics.map { DataTable.Cell.number(OpenDiggerFormat.round2(dev.value($0, p))) }
            if row.contains(where: { $0 != .number(0) }) { table.rows.append([.text(p.key)] + row) }
        }
        print(table.render(format))
    }
}

struct RankDevs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devs",
        abstract: "Rank developers by OpenRank or activity in one month, quarter or year.",
        discussion: """
            Examples:
              kaiyuan rank devs --by openrank --period 2025
              kaiyuan rank devs --by activity --period 2025Q1 --top 100 --format csv
              kaiyuan rank devs --by activity --with-bots     # bots are left out unless asked for
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("openrank, activity, open_issue, issue_comment, open_pull, merged_pull or review_comment.", valueName: "metric"))
    var by: DeveloperMetric

    @OptionGroup var listing: RankOptions

    @OptionGroup var bots: BotOptions

    func run() async throws {
        let db = try store.open(readOnly: true)
        let period = try store.periodOrLatestYear(listing.period, in: db)
        if by == .openrank { try OpenRankRunner.warnIfStale(db) }
        let ranked = try bots.engine(db).rankDevelopers(by: by, period: period, top: listing.top)
        var table = DataTable(title: listing.format == .table ? "Developers by \(by.rawValue), \(period.key)" : nil,
                              columns: ["rank", "login", by.rawValue])
        for (i, r) in ranked.enumerated() {
            table.rows.append([.number(Double(i + 1)), .text(r.login), .number(OpenDiggerFormat.round2(r.value))])
        }
        print(table.render(listing.format))
    }
}
