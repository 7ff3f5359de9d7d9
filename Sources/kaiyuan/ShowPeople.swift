import ArgumentParser
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanReports
import KaiyuanOutputs

struct ShowPeople: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people",
        abstract: "List the people behind a repository's git history, with the evidence for each.",
        discussion: """
            Names and emails are merged into people (spec/metrics.md §9): a shared email, a GitHub \
            noreply address, a distinctive name seen with several emails, the clone's .mailmap; \
            never a common name alone, never two GitHub users. Bots are listed apart. Each \
            person's organisation and region come with the evidence and its confidence.

            Examples:
              kaiyuan show people github:alibaba/nacos
              kaiyuan show people gitee:openharmony/docs --format csv --all
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The repository, PLATFORM:OWNER/NAME (github: may be left out).", valueName: "repo"))
    var repo: String

    @Option(help: "How many people to list (most commits first).")
    var top = 30

    @Flag(help: "List everyone.")
    var all = false

    @Option(help: "table, json or csv.")
    var format: OutputFormat = .table

    func run() async throws {
        let db = try store.open(readOnly: true)
        guard let name = ForgeRepo(repo) else { throw ValidationError("\(repo): expected PLATFORM:OWNER/NAME such as gitee:openharmony/docs") }
        let engine = try GitMetricsEngine(store: db)
        guard let record = try engine.repository(name) else {
            throw ValidationError("no git history for \(name) in \(store.path); `kaiyuan ingest git` reads one")
        }
        let a = try engine.analysis(of: record, kinds: [.year])
        let ids = a.people.identities
        var table = DataTable(title: format == .table ? "\(name) — people by commits (\(ids.all.filter { !$0.isBot }.count) people, \(ids.all.filter(\.isBot).count) bots)" : nil,
                              columns: ["#", "person", "kind", "commits", "merges", "first", "last", "names", "emails", "accounts",
                                        "merged because", "organisation", "organisation evidence", "region", "region evidence"])
        let ranked = a.people.ranked.sorted { ids.all[$0].isBot == ids.all[$1].isBot ? false : !ids.all[$0].isBot }
        for (rank, i) in (all ? ranked : Array(ranked.prefix(top))).enumerated() {
            let id = ids.all[i], org = a.people.affiliations[i].first, region = a.people.regions[i]
            table.rows.append([
                .number(Double(rank + 1)), .text(id.name), .text(id.isBot ? "bot: \(id.botReason ?? "")" : "person"),
                .number(Double(a.people.nonMergeCommits[i])), .number(Double(a.people.commits[i] - a.people.nonMergeCommits[i])),
                .text(ProjectHealth.day(a.people.firstCommit[i])), .text(ProjectHealth.day(a.people.lastCommit[i])),
                .text(id.names.joined(separator: "; ")), .text(id.emails.joined(separator: "; ")), .text(id.accounts.map(\.description).joined(separator: "; ")),
                .text(id.evidence.joined(separator: "; ")),
                .text(org?.value ?? ""), .text(org.map { "\($0.confidence.rawValue): \($0.source)" } ?? ""),
                .text(region?.value ?? ""), .text(region.map { "\($0.confidence.rawValue): \($0.source)" } ?? ""),
            ])
        }
        if !ids.refusedJoins.isEmpty && format == .table {
            printError("kept apart (different GitHub users): " + ids.refusedJoins.prefix(5).joined(separator: "; "))
        }
        if format == .table {
            // A terminal gets the columns that fit; csv and json carry them all.
            let keep = [0, 1, 2, 3, 4, 6, 8, 10, 11, 13]
            table.columns = keep.map { table.columns[$0] }
            table.rows = table.rows.map { row in keep.map { row[$0] } }
        }
        print(table.render(format))
    }
}
