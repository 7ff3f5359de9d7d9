import ArgumentParser
import Foundation
import KaiyuanMetrics
import KaiyuanReports
import KaiyuanPeople
import KaiyuanOutputs

struct ExportOpenDigger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opendigger",
        abstract: "Write every repository's metrics in OpenDigger's static layout.",
        discussion: """
            Writes OUT/github/OWNER/REPO/METRIC.json for every metric with a non-zero value, \
            OUT/github/LOGIN/METRIC.json for every developer (openrank, activity, open_issue, \
            issue_comment, open_pull, merged_pull, review_comment), and OUT/github/repo_list.csv \
            and user_list.csv. With labels imported, OUT/labels/KIND/NAME/METRIC.json holds each \
            label's sums over the repositories it covers. Git histories (kaiyuan ingest git) add their metrics (commits, \
            authors, lines_added, timezone_share, …) under OUT/PLATFORM/OWNER/REPO/. OpenRank comes from `kaiyuan compute openrank`. Each file is one JSON object keyed by "2025", \
            "2025Q1" and "2025-01", values rounded to two decimals, zeros left out, with \
            OpenDigger's repair of October 2021 ("2021-10-raw" keeps the measured value). \
            Clients written for OpenDigger's data read these files unchanged.

            Example:
              kaiyuan export opendigger --out out/
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Output folder.", valueName: "dir"))
    var out: String

    @OptionGroup var bots: BotOptions

    func run() async throws {
        let db = try store.open(readOnly: true)
        let writer = try OpenDiggerExportWriter(outputDirectory: out)
        let bar = ProgressBar()
        let total = max(try db.summary().repositories, 1)
        var done = 0
        let engine = try bots.engine(db)
        let developers = DeveloperActivity()
        try OpenRankRunner.warnIfStale(db)
        let context = try PeopleContext.load(from: db)
        writer.meta = ExportMeta(updatedAt: try db.newestEventMilliseconds(), labels: context.labels)
        let labelTotals = context.labels.isEmpty ? nil : LabelTotals(labels: context.labels)
        try engine.forEachRepository(developers: developers) { metrics in
            try writer.write(metrics)
            labelTotals?.add(metrics)
            done += 1
            bar.update(fraction: Double(done) / Double(total), label: "export", detail: "\(done) repositories")
        }
        bar.clear()
        try engine.developers(from: developers) { try writer.write($0) }
        for (id, sums) in labelTotals?.sums ?? [:] { try writer.write(label: id, sums: sums) }
        try GitMetricsEngine(store: db, context: context).forEachRepository { record, analysis in
            try writer.write(analysis.metrics, for: record.repo)
        }
        for model in try HubCatalog(store: db).models.values.sorted(by: { $0.id < $1.id }) { try writer.write(model) }
        for record in try db.repoLicences() { try writer.write(licences: record) }
        try writer.finish()
        for name in writer.skippedNames { printError("skipped \(name)") }
        print("\(writer.repositoriesWritten) repositories, \(writer.developersWritten) developers, \(writer.gitRepositoriesWritten) git histories, \(writer.labelsWritten) labels, \(writer.modelsWritten) hub models, \(writer.filesWritten) files written to \(writer.base.path)")
    }
}
