import ArgumentParser
import Foundation
import KaiyuanCore
import KaiyuanIngest
import KaiyuanOutputs
import KaiyuanStore
import KaiyuanStores

struct Store: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work on whole stores.",
        subcommands: [StoreCopy.self]
    )
}

struct StoreCopy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy everything one store holds into another (SQLite to a ClickHouse cluster, say).",
        discussion: """
            Facts, names, timelines, the ingest ledger, git histories, labels, the domain map \
            and stored OpenRank are copied. Facts go in chunks of whole repositories, each \
            recorded in the target's ledger: an interrupted copy (Ctrl-C, a node that dies) \
            resumes where it stopped when run again, and a finished one changes nothing. The \
            target then gives the same numbers as the source (`export opendigger` writes the \
            same bytes).

            Examples:
              kaiyuan store copy --from kaiyuan.db --to 'clickhouse://10.0.0.1:8123,10.0.0.2:8123/kaiyuan?cluster=kaiyuan'
              kaiyuan store copy --from sqlite:old.db --to sqlite:new.db
            """
    )

    @Option(help: ArgumentHelp("The store to read (a file, sqlite:PATH or clickhouse://…).", valueName: "location"))
    var from: String

    @Option(help: ArgumentHelp("The store to write; created when missing.", valueName: "location"))
    var to: String

    func run() async throws {
        let source = try openStore(try StoreLocation(parsing: from), readOnly: true)
        let target = try openStore(try StoreLocation(parsing: to), readOnly: false)
        guard source.location != target.location else { throw ValidationError("--from and --to name the same store") }
        let bar = ProgressBar()
        let start = Date()
        let outcome = try StoreCopier(from: source, to: target).run { p in
            bar.update(fraction: p.total == 0 ? 1 : Double(p.done) / Double(p.total), label: "copy", detail: "\(p.stage) \(p.done)/\(p.total)")
        }
        bar.clear()
        print("""
            \(outcome.repositories) repositories in \(outcome.chunksCopied) chunk\(outcome.chunksCopied == 1 ? "" : "s") copied\
            \(outcome.chunksAlreadyThere > 0 ? " (\(outcome.chunksAlreadyThere) already there)" : ""), \
            \(outcome.gitHistories) git histories (\(outcome.commitsAdded) new commits), \(outcome.openRankMonths) OpenRank months \
            in \(String(format: "%.2f", Date().timeIntervalSince(start))) s: \(source.location) → \(target.location)
            """)
    }
}
