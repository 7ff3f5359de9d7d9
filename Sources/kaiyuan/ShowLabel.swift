import ArgumentParser
import KaiyuanCore
import KaiyuanLicences
import KaiyuanMetrics
import KaiyuanReports
import KaiyuanOutputs
import KaiyuanPeople
import KaiyuanStore

struct ShowLabel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Show a label's metrics: sums over the repositories it covers, per period.",
        discussion: """
            A label (kaiyuan labels import) covers the orgs and repositories it lists on GitHub, \
            Gitee and AtomGit, and those of every label under it (:companies/alibaba includes \
            :companies/alibaba/nacos, …). Each scalar metric is summed over the GitHub \
            repositories covered, each once; git metrics come from the covered histories taken \
            together (a commit in two of them counts once, authors are distinct people).

            Examples:
              kaiyuan show label :companies/alibaba
              kaiyuan show label :divisions/CN --period year --metric openrank --metric activity
              kaiyuan show label :companies/alibaba --metric commits --metric authors --format csv
              kaiyuan show label :companies/deepseek --metric hf_downloads --metric hf_derivatives --period month

            Where the label's organisations publish models on Hugging Face (kaiyuan ingest \
            huggingface; a built-in map names the labs' Hub organisations, `kaiyuan labels \
            add-hub-org` adds more), their models' downloads, likes, derivatives and licences are \
            shown beside the GitHub numbers.
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The label, e.g. :companies/alibaba.", valueName: "label"))
    var label: String

    @Option(name: .customLong("metric"), help: ArgumentHelp("A metric to show (repeatable; OpenDigger's or git's).", valueName: "metric"))
    var metrics: [AnyRepoMetric] = []

    @Option(help: "month, quarter or year.")
    var period: PeriodKind = .year

    @Option(help: "table, json or csv.")
    var format: OutputFormat = .table

    @OptionGroup var bots: BotOptions

    static let defaults: [AnyRepoMetric] = [.events(.openrank), .events(.activity), .events(.stars), .events(.participants),
                                            .events(.changeRequestsAccepted), .git(.commits), .git(.authors), .git(.linesAdded)]

    func run() async throws {
        let db = try store.open(readOnly: true)
        let context = try PeopleContext.load(from: db)
        guard !context.labels.isEmpty else { throw ValidationError("no labels in \(store.path); run `kaiyuan labels import DIR` first") }
        let id = label.hasPrefix(":") ? label : ":" + label
        guard let def = context.labels.label(id) else {
            throw ValidationError("no label \(id); `kaiyuan labels list --type Company` lists them")
        }
        let chosen = (metrics.isEmpty ? Self.defaults : metrics).filter { $0.notRankable == nil || $0 == .hub(.models) }
        let eventMetrics = chosen.compactMap { if case .events(let m) = $0 { m } else { nil } }
        let gitMetrics = chosen.compactMap { if case .git(let m) = $0 { m } else { nil } }
        var series: [String: MetricSeries] = [:]
        var githubRepos = 0
        if !eventMetrics.isEmpty {
            let result = try LabelMetrics(engine: try bots.engine(db), labels: context.labels)
                .metrics(of: id, kinds: [period], only: eventMetrics)
            githubRepos = result.repos.count
            for m in eventMetrics { series[m.rawValue] = result.sums[m] ?? [:] }
        }
        var gitRepos = 0
        if !gitMetrics.isEmpty, let a = try GitMetricsEngine(store: db, context: context).labelAnalysis(id, kinds: [period]) {
            gitRepos = a.history.repos.count
            for m in gitMetrics { series[m.rawValue] = a.metrics.scalars[m] ?? [:] }
        }
        // The label's Hub organisations' models: their sums per period beside GitHub's.
        let catalog = try HubCatalog(store: db)
        var hubRow: HubLabelRow?
        var hubMetrics = chosen.compactMap { if case .hub(let m) = $0 { m } else { nil } }
        var shown = chosen
        if !catalog.isEmpty, let latest = catalog.latestMonth {
            hubRow = HubLabels.row(catalog, labels: context.labels, label: id, period: Period(.month, containing: latest))
            if metrics.isEmpty, hubRow != nil { hubMetrics = [.models, .downloads, .derivatives]; shown += hubMetrics.map { .hub($0) } }
            for p in Set(catalog.dates.map { Period(period, containing: $0.month) }) {
                guard let row = HubLabels.row(catalog, labels: context.labels, label: id, period: p) else { continue }
                for m in hubMetrics { if let v = row.summary.value(m) { series[AnyRepoMetric.hub(m).name, default: [:]][p] = v } }
            }
        }
        let coverage = context.labels.coverage(of: id)
        let title = "\(def.name)\(def.nameZh.map { " \($0)" } ?? "") (\(def.id), \(def.type)): \(context.labels.descendants(of: id).count - 1) labels under it, "
            + "\(coverage.orgs.count) orgs and \(coverage.repos.count) repositories listed; in the store: \(githubRepos) GitHub repositories with events, \(gitRepos) git histories"
        var table = DataTable(title: format == .table ? title : nil, columns: [period.rawValue] + shown.map(\.name))
        let periods = Set(series.values.flatMap(\.keys)).sorted()
        for p in periods {
            let row = shown.map { m -> DataTable.Cell in
                if case .hub = m { return series[m.name]?[p].map { .number($0) } ?? .empty }
                return .number(OpenDiggerFormat.round2(series[m.name]?[p] ?? 0))
            }
            if row.contains(where: { $0 != .number(0) && $0 != .empty }) { table.rows.append([.text(p.key)] + row) }
        }
        if table.rows.isEmpty && format == .table { print(title + "\nno data for these repositories in the store yet") } else { print(table.render(format)) }
        if let hubRow, format == .table {
            print("")
            print(HubTables.labelAdoption(hubRow, month: catalog.latestMonth!, user: try db.hubOrganisations()))
        }
        let records = try db.repoLicences()
        if format == .table && !records.isEmpty {
            let index = try? LicenceIndex.shared()
            for t in LicenceOutput.tables(LicenceLandscape(records: records, index: index, covers: { coverage.contains($0) }), index: index) { print(t.render(.table)) }
        }
        let burden = try MirrorFinder(store: db).burden(covers: { coverage.contains($0) })
        if !burden.pairs.isEmpty, format == .table {
            print("")
            print("Mirrors: " + burden.sentence)
            for p in burden.pairs { print("  \(p.mirror) ← \(p.upstream)" + (p.lagDaysLatest.map { $0 == 0 ? ", up to date" : ", \($0) days behind" } ?? "")) }
        }
    }
}

struct RankLabels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Rank labels of one type (companies, countries, foundations…) by a metric summed over their repositories.",
        discussion: """
            Examples:
              kaiyuan rank labels --type Company --by openrank --period 2025
              kaiyuan rank labels --type Division-0 --by activity
              kaiyuan rank labels --type Company --by commits
              kaiyuan rank labels --type Company --by hf_downloads   (Hugging Face, with GitHub beside it)
              kaiyuan rank labels --type Division-0 --by hf_derivatives
              kaiyuan rank labels --type Company --licence MulanPSL-2.0   (repositories declaring it, read from clones)
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "Company, Division-0 (countries), Division-1 (provinces), Foundation, Project, Community, …")
    var type: String = "Company"

    @Option(help: ArgumentHelp("The metric to rank by (OpenDigger's or git's).", valueName: "metric"))
    var by: AnyRepoMetric = .events(.openrank)

    @Option(help: ArgumentHelp("Rank by how many repositories declare this licence (an SPDX id; from clones read by `ingest git`) instead of --by.", valueName: "spdx-id"))
    var licence: String?

    @OptionGroup var listing: RankOptions

    @OptionGroup var bots: BotOptions

    func validate() throws {
        if let why = by.notRankable, by != .hub(.models) { throw ValidationError(why) }
    }

    func rankByLicence(_ id: String, _ db: any DataStore, _ context: PeopleContext) throws {
        let records = try db.repoLicences()
        guard !records.isEmpty else { throw ValidationError("no licences read in \(store.path) yet: `kaiyuan ingest git CLONE-OR-URL` reads what each repository declares") }
        let rows = LicenceLandscape.rankLabels(records: records, labels: context.labels, type: type, licence: id, top: listing.top)
        var table = DataTable(title: listing.format == .table ? "\(type) labels by repositories declaring \(id) (of those read from clones)" : nil,
                              columns: ["rank", "label", "name", "declaring", "read", "share"])
        for (i, r) in rows.enumerated() {
            table.rows.append([.number(Double(i + 1)), .text(r.label.id), .text(r.label.name + (r.label.nameZh.map { " \($0)" } ?? "")),
                               .number(Double(r.declaring)), .number(Double(r.read)), .number(OpenDiggerFormat.round2(Double(r.declaring) / Double(r.read)))])
        }
        print(rows.isEmpty && listing.format == .table ? "no \(type) label has a repository declaring \(id) among the \(records.count) read" : table.render(listing.format))
    }

    func run() async throws {
        let db = try store.open(readOnly: true)
        let context = try PeopleContext.load(from: db)
        guard !context.labels.isEmpty else { throw ValidationError("no labels in \(store.path); run `kaiyuan labels import DIR` first") }
        guard !context.labels.labels(ofType: type).isEmpty else {
            throw ValidationError("no label of type \(type); types include Company, Division-0, Division-1, Foundation, Project, Community")
        }
        if let licence { return try rankByLicence(licence, db, context) }
        if case .hub(let m) = by { return try rankByHub(m, db, context) }
        var ranked: [(label: LabelDefinition, value: Double, repos: Int)] = []
        let chosenPeriod: Period
        switch by {
        case .events(let m):
            chosenPeriod = try store.periodOrLatestYear(listing.period, in: db)
            if m == .openrank { try OpenRankRunner.warnIfStale(db) }
            ranked = try LabelMetrics(engine: try bots.engine(db), labels: context.labels).rank(type: type, by: m, period: chosenPeriod, top: listing.top)
        case .git(let m):
            let engine = GitMetricsEngine(store: db, context: context)
            chosenPeriod = try listing.period ?? Self.latestGitYear(engine, store.path)
            ranked = try engine.rankLabels(type: type, by: m, period: chosenPeriod, top: listing.top, mirrors: try MirrorFinder(store: db).gitMirrors())
        case .hub: return
        }
        var table = DataTable(title: listing.format == .table ? "\(type) labels by \(by.name), \(chosenPeriod.key) (sum over their repositories)" : nil,
                              columns: ["rank", "label", "name", by.name, "repositories"])
        for (i, r) in ranked.enumerated() {
            table.rows.append([.number(Double(i + 1)), .text(r.label.id), .text(r.label.name + (r.label.nameZh.map { " \($0)" } ?? "")),
                               .number(OpenDiggerFormat.round2(r.value)), .number(Double(r.repos))])
        }
        print(table.render(listing.format))
    }

    /// Labels by their Hub adoption in one snapshot month, with licence openness and, on the
    /// same row, the same labels' GitHub OpenRank and activity in that month's year.
    func rankByHub(_ metric: HubMetric, _ db: any DataStore, _ context: PeopleContext) throws {
        let catalog = try HubCatalog(store: db)
        guard let latest = catalog.latestMonth else { throw ValidationError("no Hugging Face snapshots in \(store.path); `kaiyuan ingest huggingface --author ORG` reads them") }
        let period = listing.period ?? Period(.month, containing: latest)
        let rows = HubLabels.rank(catalog, labels: context.labels, type: type, by: metric, period: period, top: listing.top)
        // GitHub beside the Hub: the year's OpenRank and activity, missing where there are no events.
        let year = Period(.year, containing: period.lastMonth)
        var github: [String: (openrank: Double?, activity: Double)] = [:]
        if try db.summary().repositories > 0 {
            let labelMetrics = LabelMetrics(engine: try bots.engine(db), labels: context.labels)
            for row in rows {
                let sums = try labelMetrics.metrics(of: row.label.id, kinds: [.year], only: [.openrank, .activity]).sums
                // OpenRank not computed for the year is missing, not 0.
                if let a = sums[.activity]?[year] { github[row.label.id] = (sums[.openrank]?[year], a) }
            }
        }
        // The terminal gets the columns a reader compares; CSV and JSON get them all.
        let wide = listing.format != .table
        var columns = ["rank", "label", "name", "hf_models", "hf_downloads", "hf_downloads_all_time", "hf_likes", "hf_derivatives",
                       "osi_share", "restricted_share", "non_commercial_share", "organisations", "github_openrank", "github_activity"]
        let narrow: Set<String> = ["rank", "label", "hf_models", "hf_downloads", "hf_derivatives", "osi_share", "restricted_share", "github_openrank", "github_activity"]
        let keep = columns.map { wide || narrow.contains($0) }
        columns = zip(columns, keep).filter(\.1).map(\.0)
        var table = DataTable(title: listing.format == .table ? "\(type) labels by \(AnyRepoMetric.hub(metric).name), Hugging Face snapshot of \(period.key); GitHub \(year.key) beside it" : nil,
                              columns: columns)
        func cell(_ v: Double?) -> DataTable.Cell { v.map { .number($0) } ?? .empty }
        func share(_ v: Double?) -> DataTable.Cell { v.map { .number((($0 * 10_000).rounded()) / 10_000) } ?? .empty }
        for (i, r) in rows.enumerated() {
            let s = r.summary
            let name = r.label.name + (r.label.nameZh.map { " \($0)" } ?? "")
            let gh = github[r.label.id]
            var row: [DataTable.Cell] = [.number(Double(i + 1)), .text(r.label.id), .text(name), .number(Double(s.models))]
            row += [HubMetric.downloads, .downloadsAllTime, .likes, .derivatives].map { cell(s.value($0)) }
            row += [share(s.osiShare), share(s.downloadShare(.openWeightRestricted)), share(s.downloadShare(.nonCommercial))]
            row += [.text(r.organisations.joined(separator: " ")), cell(gh?.openrank.map { OpenDiggerFormat.round2($0) }), cell(gh.map { OpenDiggerFormat.round2($0.activity) })]
            table.rows.append(zip(row, keep).filter(\.1).map(\.0))
        }
        print(table.render(listing.format))
    }

    /// The year of the newest commit in the store's histories.
    static func latestGitYear(_ engine: GitMetricsEngine, _ path: String) throws -> Period {
        guard let latest = try engine.store.latestCommitMonth() else {
            throw ValidationError("no git histories in \(path); `kaiyuan ingest git` reads one")
        }
        return Period(.year, containing: latest)
    }
}
