import ArgumentParser
import Foundation
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanOutputs
import KaiyuanSources

struct Compute: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute metrics that need the whole graph.",
        subcommands: [ComputeOpenRank.self]
    )
}

struct ComputeOpenRank: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openrank",
        abstract: "Compute OpenDigger's global OpenRank, month by month.",
        discussion: """
            Each month is a graph of repositories, developers and a background node, with \
            edges weighted by issue, pull request, review and push activity; each month starts \
            from the decayed values of earlier months (spec/metrics.md §4). So a month is \
            computed only when it or an earlier month got new data since it was last \
            computed, and computing a month computes every later one too.

            Each platform (github, gitee, …) is its own graph, as OpenDigger ranks GitHub; \
            --platforms github,gitee computes one cross-platform graph instead, stored beside \
            the per-platform ones (`show`, `rank` and the export show each node's own \
            platform's value).

            Bots (logins ending in [bot], and those in --bots) are left out unless --with-bots.

            Examples:
              kaiyuan compute openrank
              kaiyuan compute openrank --to 2025-06
              kaiyuan compute openrank --bots labeled_data/bot/index.yml
              kaiyuan compute openrank --from 2024-01 --force
              kaiyuan compute openrank --platforms github,gitee
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("With --force, recompute from this month (YYYY-MM).", valueName: "month"))
    var from: String?

    @Option(help: ArgumentHelp("Compute up to this month (YYYY-MM). Default: the last month with data.", valueName: "month"))
    var to: String?

    @Flag(help: "Recompute from --from (or the first month) even where nothing changed.")
    var force = false

    @Option(help: ArgumentHelp("One graph over these platforms (github,gitee,…). Default: each platform with data, its own graph.", valueName: "list"))
    var platforms: PlatformSet?

    @OptionGroup var bots: BotOptions

    func validate() throws {
        if let from, Month(from) == nil { throw ValidationError("--from \(from): expected a month like 2024-01") }
        if let to, Month(to) == nil { throw ValidationError("--to \(to): expected a month like 2024-12") }
    }

    func run() async throws {
        let db = try store.open(readOnly: false)
        let scopes = try platforms.map { [$0] } ?? OpenRankRunner.platformsWithData(in: db)
        if scopes.isEmpty { print("The store holds no events yet: nothing to rank."); return }
        let extra = try bots.extraBots()
        for scope in scopes {
            let runner = OpenRankRunner(store: db, scope: scope, extraBots: extra, includeBots: bots.withBots)
            let plan = try runner.plan(from: from.flatMap(Month.init), to: to.flatMap(Month.init), force: force)
            // GitHub alone reads as before; other graphs say which they are.
            let graph = scope == .github ? "" : "\(scope): "
            if plan.months.isEmpty {
                print("\(graph)OpenRank is up to date (\(plan.upToDate) month\(plan.upToDate == 1 ? "" : "s")).")
                continue
            }
            let bar = ProgressBar()
            let start = Date()
            var done = 0
            try runner.run(plan) { record, t in
                done += 1
                bar.clear()
                print("\(graph)\(record.month.key): \(record.repos) repositories, \(record.developers) developers, \(record.iterations) rounds (residual \(String(format: "%.1e", record.residual)))"
                      + String(format: "; %.2f s: reading %.2f, graph %.2f, solving %.2f, storing %.2f", t.total, t.read, t.graph, t.solve, t.store))
                bar.update(fraction: Double(done) / Double(plan.months.count), label: "openrank", detail: record.month.key)
            }
            bar.clear()
            print("\(graph)\(plan.months.count) month\(plan.months.count == 1 ? "" : "s") computed in \(String(format: "%.2f", Date().timeIntervalSince(start))) s; \(plan.upToDate) already up to date.")
        }
    }
}
