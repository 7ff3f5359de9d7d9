import ArgumentParser
import Foundation
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanReports
import KaiyuanOutputs

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the ecosystem report: a static site with charts (or Markdown).",
        discussion: """
            The report has an overview (events, active repositories and developers, monthly \
            trends), the top projects by OpenRank and by activity with month-by-month \
            sparklines, the top developers, companies and countries (label sums), newcomers \
            and departures, and one page per top project (activity, OpenRank, stars, \
            contributors, bus factor, response times, git authors by organisation and region \
            when its history was ingested). Charts are SVG drawn by kaiyuan: the pages open from \
            disk with no network and print well.

            Examples:
              kaiyuan report --out report/
              kaiyuan report --out report-cn/ --period 2025 --label :divisions/CN --top 50
              kaiyuan report --out report.md --format md
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Folder for the site (or the .md file with --format md).", valueName: "path"))
    var out: String

    @Option(help: ArgumentHelp("2025, 2025Q1 or 2025-01. Default: the latest year in the store.", valueName: "period"))
    var period: Period?

    @Option(help: ArgumentHelp("Only the repositories under this label, e.g. :divisions/CN or :companies/alibaba.", valueName: "label"))
    var label: String?

    @Option(help: "How many projects, developers and labels to list.")
    var top = 100

    @Option(help: "How many projects get a page of their own.")
    var pages = 20

    @Option(help: "html (a folder) or md (one file).")
    var format: ReportFormat = .html

    @OptionGroup var bots: BotOptions

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case html, md }

    func validate() throws {
        if top < 1 || pages < 0 { throw ValidationError("--top must be at least 1 and --pages at least 0") }
    }

    func run() async throws {
        let db = try store.open(readOnly: true)
        // A store with Hub snapshots and no events still has a year to report on.
        let hubMonth = try db.hubSnapshotDates().last?.date.month
        let chosen: Period
        if period == nil, try db.dataVersions().isEmpty, let hubMonth { chosen = Period(.year, containing: hubMonth) }
        else { chosen = try store.periodOrLatestYear(period, in: db) }
        let period = chosen
        let context = try PeopleContext.load(from: db)
        var scope: String?
        if let label {
            let id = label.hasPrefix(":") ? label : ":" + label
            guard context.labels.label(id) != nil else {
                throw ValidationError(context.labels.isEmpty ? "no labels in \(store.path); run `kaiyuan labels import DIR` first" : "no label \(id); `kaiyuan labels list` lists them")
            }
            scope = id
        }
        try OpenRankRunner.warnIfStale(db)
        var builder = EcosystemReportBuilder(engine: try bots.engine(db), context: context, git: GitMetricsEngine(store: db, context: context),
                                             hub: hubMonth == nil ? nil : try HubCatalog(store: db),
                                             mirrors: (try MirrorFinder(store: db).find(), try MirrorFinder(store: db).knownRepositories()))
        builder.licences = (try db.repoLicences(), nil)   // the section shows no kinds: no index to load
        let report = try builder.build(period: period, label: scope, top: top, pages: pages)
        switch format {
        case .html:
            let written = try ReportHTML.writeSite(report, to: URL(fileURLWithPath: out))
            print("\(written) pages written to \(out) (open \(URL(fileURLWithPath: out).appendingPathComponent("index.html").path))")
        case .md:
            let url = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(ReportMarkdown.index(report).utf8).write(to: url)
            print("report written to \(out)")
        }
    }
}
