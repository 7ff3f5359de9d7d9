import ArgumentParser
import Foundation
import KaiyuanCore
import KaiyuanLicences
import KaiyuanMetrics
import KaiyuanReports
import KaiyuanOutputs
import KaiyuanSources
import KaiyuanStore
import KaiyuanStores

struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One screen on a project from its git history: is it alive, who builds it, for whom, from where.",
        discussion: """
            Reads the history of a clone (a folder), a URL (cloned into a cache first) or a saved \
            `git log` export, and answers: how active the project is and how that is changing, \
            who the core people are (identities merged across names and emails, bots set apart), \
            the bus factor, which organisations and regions contribute and on what evidence, \
            newcomers and departures, whether it is alive, dormant or abandoned (and the \
            "junkyard" patterns: one person, a single dump commit), and its licences: what it \
            declares, what else its files carry, and what conflicts (as `kaiyuan licences`).

            Nothing is written to the store. Affiliations use OpenDigger's labels when the store \
            has them (`kaiyuan labels import`) or --labels names the folder, then email domains \
            (a built-in map plus your own, `kaiyuan labels add-domain`), then the UTC offset of \
            commits as weak regional evidence; every claim comes with its evidence.

            Examples:
              kaiyuan analyze .
              kaiyuan analyze ~/src/nacos --labels ../shared/data/labels
              kaiyuan analyze https://gitee.com/mindspore/mindspore.git --format json
              kaiyuan analyze nacos.gitlog.gz --repo github:alibaba/nacos --format html > nacos.html
            """
    )

    @Argument(help: ArgumentHelp("A clone, a URL, or a `git log` export file.", valueName: "path-or-url"))
    var source: String = "."

    @Option(help: "table, json or html.")
    var format: AnalyzeFormat = .table

    @Option(help: ArgumentHelp("Name the repository PLATFORM:OWNER/NAME (default: from the clone's remote).", valueName: "platform:owner/name"))
    var repo: String?

    @Option(help: ArgumentHelp("OpenDigger's labelled data folder to place people with.", valueName: "dir"))
    var labels: String?

    @Option(help: ArgumentHelp("Judge activity as of this day (YYYY-MM-DD) instead of today.", valueName: "date"))
    var asOf: String?

    @Option(help: "How many core people to list.")
    var top = 10

    @Option(name: [.long, .customLong("db")], help: ArgumentHelp("A store whose labels and domain map to use.", discussion: "Default: $KAIYUAN_STORE, $KAIYUAN_DB or ./kaiyuan.db, when it exists.", valueName: "location"))
    var store: String?

    @Option(help: ArgumentHelp("Folder for clones of URLs.", valueName: "dir"))
    var cache: String?

    enum AnalyzeFormat: String, ExpressibleByArgument, CaseIterable { case table, json, html }

    func validate() throws {
        if let repo, ForgeRepo(repo) == nil { throw ValidationError("--repo \(repo): expected PLATFORM:OWNER/NAME such as gitee:openharmony/docs") }
        if let asOf, Self.parseDay(asOf) == nil { throw ValidationError("--as-of \(asOf): expected YYYY-MM-DD") }
        if top < 1 { throw ValidationError("--top must be at least 1") }
    }

    static func parseDay(_ text: String) -> Int64? {
        let p = text.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3, (1...12).contains(p[1]), (1...31).contains(p[2]) else { return nil }
        return CivilDate.days(year: p[0], month: p[1], day: p[2]) * 86_400 + 86_399
    }

    func run() async throws {
        let context = try peopleContext()
        // `--as-of DAY` judges the project as it was that day: later commits are not read.
        let cutOff = asOf.flatMap(Self.parseDay) ?? .max
        var history: GitHistory
        var isDirectory: ObjCBool = false
        var treeToScan: String?
        let named = repo.flatMap { ForgeRepo($0) }
        if !GitRepository.isURL(source), FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), !isDirectory.boolValue {
            history = GitHistory(repos: [named ?? ForgeRepo(platform: .other, name: URL(fileURLWithPath: source).lastPathComponent)])
            let input: any ByteSource
            do { input = try openEventFile(path: source) } catch { throw ValidationError("\(error)") }
            defer { input.close() }
            var reader = GitLogReader(source: input, path: source)
            try reader.forEachCommit { if $0.authorTime <= cutOff { history.add($0) } }
            history.licenceFiles = reader.stats.licenceFiles.sorted()
            printProblems(reader.stats, in: source)
            if reader.stats.commits == 0 && reader.stats.problemTotal > 0 {
                throw ValidationError("\(source): no commit read; is it a `git log` export in the form of spec/git-log-format.md? (`kaiyuan analyze FOLDER` reads a clone)")
            }
        } else {
            let (clone, inferred): (GitRepository, ForgeRepo)
            do { (clone, inferred) = try GitRepository.open(source, cache: cache ?? IngestGit.defaultCache) }
            catch let e as GitError { throw ValidationError(e.description) }
            history = GitHistory(repos: [named ?? inferred])
            let stats = try clone.readLog { if $0.authorTime <= cutOff { history.add($0) } }
            history.licenceFiles = clone.licenceFiles()
            history.mailmap = clone.mailmap().map(MailmapEntry.parse) ?? []
            printProblems(stats, in: source)
            treeToScan = clone.path
        }
        let analysis = GitAnalysis(history: history, context: context, kinds: ProjectHealth.periodKinds)
        var health = ProjectHealth(analysis, asOf: asOf.flatMap(Self.parseDay) ?? Int64(Date().timeIntervalSince1970), corePeople: top)
        if let tree = treeToScan {
            do {
                let scanner = LicenceScanner(index: try LicenceIndex.shared())
                let bar = ProgressBar()
                health.add(licences: scanner.scan(path: tree) { done, total in
                    if done % 64 == 0 || done == total { bar.update(fraction: Double(done) / Double(max(total, 1)), label: "licences", detail: "\(done)/\(total) files") }
                })
                bar.clear()
            } catch {
                printError("licences not read: \(error)")
            }
        }
        if let db = try existingStore(), let repo = history.repos.first {
            health.mirrors = MirrorFinder.sentences(about: repo, in: try MirrorFinder(store: db).find())
        }
        switch format {
        case .table: print(AnalyzeReport.text(health))
        case .json: print(AnalyzeReport.json(health))
        case .html: print(AnalyzeReport.html(health))
        }
    }


    /// Labels from --labels, else from the store when there is one.
    func peopleContext() throws -> PeopleContext {
        if let labels {
            let (defs, problems) = try LabelReader.read(directory: labels)
            for p in problems.prefix(3) { printError("label skipped: \(p)") }
            return PeopleContext(labels: defs)
        }
        return try existingStore().map { try PeopleContext.load(from: $0) } ?? PeopleContext(labels: [])
    }

    /// The store, when there is one: the default store is used when it is there; one named
    /// with --store must be there.
    func existingStore() throws -> (any DataStore)? {
        let location = try StoreLocation.resolve(store)
        if store == nil, case let .sqlite(path) = location, !FileManager.default.fileExists(atPath: path) { return nil }
        if store == nil { return try? openStore(location, readOnly: true) }
        return try openStore(location, readOnly: true)
    }
}
