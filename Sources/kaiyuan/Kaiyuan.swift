import ArgumentParser
import KaiyuanCore

@main
struct Kaiyuan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kaiyuan",
        abstract: "开源 — an open source ecosystem observatory.",
        discussion: """
            kaiyuan reads git histories of any forge, the GitHub event archive (GH Archive), the \
            Gitee, GitCode and AtomGit APIs and Hugging Face Hub snapshots \
            into a store (one SQLite file, or a ClickHouse cluster when a laptop is not enough) and \
            computes OpenDigger's metrics from them: \
            OpenRank, activity, stars, participants, contributors, bus factor, issues, change \
            requests, response times and more, per month, quarter and year, for repositories, \
            developers and labels (companies, countries, foundations); plus git metrics and the \
            people behind them, merged across names and emails, with their organisations and \
            regions and the evidence for each.

            First, on any clone:
              kaiyuan analyze .

            A first session with the store:
              kaiyuan ingest git ~/src/nacos
              kaiyuan ingest gharchive Tests/Fixtures/gharchive/*.json.gz
              kaiyuan labels import ../shared/data/labels
              kaiyuan ingest huggingface --author deepseek-ai --author Qwen
              kaiyuan ingest gitee openharmony/docs
              kaiyuan mirrors
              kaiyuan compute openrank
              kaiyuan rank repos --by openrank --period 2024
              kaiyuan show repo kaiyuan-demo/observatory --all --period quarter
              kaiyuan show people github:alibaba/nacos
              kaiyuan rank labels --type Company --by commits
              kaiyuan rank labels --type Company --by hf_downloads
              kaiyuan export opendigger --out out/
              kaiyuan report --out report/
              kaiyuan serve

            The store is ./kaiyuan.db unless --store (or $KAIYUAN_STORE) names another: a file, \
            sqlite:PATH, or clickhouse://HOST:PORT[,HOST:PORT…]/DATABASE?cluster=NAME. \
            `kaiyuan store copy --from kaiyuan.db --to clickhouse://…` moves a store whole.
            """,
        version: KaiyuanVersion.current,
        subcommands: [Analyze.self, Ingest.self, Compute.self, Show.self, Rank.self, Export.self, Report.self, Serve.self, Labels.self, Mirrors.self, Licences.self, SBOMCommand.self, Status.self, Store.self]
    )
}

struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read event data into the store.",
        subcommands: [IngestGHArchive.self, IngestGit.self, IngestGitee.self, IngestGitCode.self, IngestAtomGit.self, IngestHuggingFace.self]
    )
}

struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one entity's metrics.",
        subcommands: [ShowRepo.self, ShowDev.self, ShowPeople.self, ShowLabel.self]
    )
}

struct Rank: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank entities by a metric.",
        subcommands: [RankRepos.self, RankDevs.self, RankLabels.self]
    )
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write metrics out in another tool's layout.",
        subcommands: [ExportOpenDigger.self]
    )
}
