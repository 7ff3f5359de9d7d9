import ArgumentParser
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanOutputs
import KaiyuanReports

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
              kaiyuan rank repos --platform huggingface --by downloads   (Hub snapshots; the newest month unless --period)
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The metric to rank by (OpenDigger's, or a git metric such as commits or authors).", valueName: "metric"))
    var by: AnyRepoMetric

    @Option(help: ArgumentHelp("Only repositories on this platform (github, gitee, atomgit, gitlab, huggingface).", discussion: "The Hub's metrics (downloads, likes, derivatives) rank huggingface models.", valueName: "platform"))
    var platform: Platform?

    @OptionGroup var listing: RankOptions

    @OptionGroup var bots: BotOptions

    func validate() throws {
        if let why = by.notRankable { throw ValidationError(why) }
        if case .hub = by, let platform, platform != .huggingface {
            throw ValidationError("\(by.name) is a Hugging Face metric; use --platform huggingface or leave --platform out")
        }
        if platform == .huggingface, !isHub { throw ValidationError("--platform huggingface ranks by downloads, downloads_all_time, likes or derivatives") }
    }

    var isHub: Bool { if case .hub = by { true } else { false } }

    func run() async throws {
        let db = try store.open(readOnly: true)
        var ranked: [(name: String, value: Double)]
        let chosen: Period
        // A platform filter ranks all, then keeps that platform's first `top`.
        let asked = platform == nil ? listing.top : Int.max
        switch by {
        case .events(let metric):
            chosen = try store.periodOrLatestYear(listing.period, in: db)
            if metric == .openrank { try OpenRankRunner.warnIfStale(db) }
            ranked = try bots.engine(db).rank(by: metric, period: chosen, top: asked)
                .filter { platform == nil || $0.repo.platform == platform }.map { ($0.repo.platform == .github ? $0.repo.name : "\($0.repo.platform.rawValue):\($0.repo.name)", $0.value) }
        case .git(let metric):
            let engine = try GitMetricsEngine(store: db)
            chosen = try listing.period ?? RankLabels.latestGitYear(engine, store.path)
            ranked = try engine.rank(by: metric, period: chosen, top: asked, mirrors: try MirrorFinder(store: db).gitMirrors()).filter { platform == nil || $0.repo.platform == platform }.map { ($0.repo.description, $0.value) }
        case .hub(let metric):
            let catalog = try HubCatalog(store: db)
            guard let latest = catalog.latestMonth else { throw ValidationError("no Hugging Face snapshots in \(store.path); `kaiyuan ingest huggingface --author ORG` reads them") }
            chosen = listing.period ?? Period(.month, containing: latest)
            ranked = catalog.rank(by: metric, period: chosen, top: asked).map { ("huggingface:" + $0.id, $0.value) }
        }
        ranked = Array(ranked.prefix(listing.top))
        var table = DataTable(title: listing.format == .table ? (isHub ? "Hugging Face models by \(by.name), snapshot of \(chosen.key)" : "Repositories by \(by.name), \(chosen.key)") : nil,
                              columns: ["rank", "repo", by.name])
        for (i, r) in ranked.enumerated() {
            table.rows.append([.number(Double(i + 1)), .text(r.name), .number(OpenDiggerFormat.round2(r.value))])
        }
        print(table.render(listing.format))
    }
}
