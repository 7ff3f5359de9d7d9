import ArgumentParser
import Foundation
import KaiyuanCore
import KaiyuanOutputs
import KaiyuanReports

struct Mirrors: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirrors",
        abstract: "Find repositories on two forges that are copies of one another, and which side is upstream.",
        discussion: """
            Evidence, strongest first: the same root commit, one history contained in the other, a \
            forge API naming the source of a mirror; a fork's parent on another forge; the same \
            name with the same description or homepage (never a name alone). Histories come from \
            `kaiyuan ingest git` on both clones, API records from `kaiyuan ingest gitee|gitcode|atomgit`.

            The upstream is where the commits land first (the side with commits the other lacks), \
            then where the issues and pull requests happen. The lag is how long the upstream's \
            commits the mirror lacks had waited when the mirror was read (the newest of them, and \
            their median); 0 when it lacks none.

            Examples:
              kaiyuan ingest git https://github.com/alibaba/nacos.git https://gitee.com/mirrors/nacos.git
              kaiyuan mirrors
              kaiyuan mirrors --format json
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "table or json.")
    var format: OutputFormat = .table

    func validate() throws {
        if format == .csv { throw ValidationError("mirrors are written as a table or as JSON (--format table|json)") }
    }

    func run() async throws {
        let db = try store.open(readOnly: true)
        let pairs = try MirrorFinder(store: db).find()
        if format == .json { print(MirrorsJSON.render(pairs)); return }
        guard !pairs.isEmpty else {
            print("no mirrors found in \(store.path); ingest both sides' histories (kaiyuan ingest git URL…) or their forge records (kaiyuan ingest gitee OWNER/REPO)")
            return
        }
        var table = DataTable(title: "Mirrors: \(pairs.count) pair\(pairs.count == 1 ? "" : "s")",
                              columns: ["upstream", "mirror", "confidence", "shared", "upstream_only", "mirror_only", "lag_latest_d", "lag_median_d", "upstream_activity"])
        func n(_ v: Int?) -> DataTable.Cell { v.map { .number(Double($0)) } ?? .empty }
        func d(_ v: Double?) -> DataTable.Cell { v.map { .number($0) } ?? .empty }
        for p in pairs {
            table.rows.append([.text(p.upstream.description), .text(p.mirror.description), .text(p.confidence), n(p.sharedCommits),
                               n(p.upstreamOnlyCommits), n(p.mirrorOnlyCommits), d(p.lagDaysLatest), d(p.lagDaysMedian),
                               d(p.activityShare?[p.upstream].map { ($0 * 10_000).rounded() / 10_000 })])
        }
        print(table.render(.table))
        for p in pairs {
            print("\(p.mirror) mirrors \(p.upstream): \(p.upstreamBecause)")
            for e in p.evidence { print("  \(e.strength) evidence: \(e.what)") }
        }
    }
}
