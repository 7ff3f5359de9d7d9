import ArgumentParser
import Foundation
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanOutputs
import KaiyuanSources
import KaiyuanStore
import KaiyuanStores

struct StoreOptions: ParsableArguments {
    @Option(name: [.long, .customLong("db")], help: ArgumentHelp(
        "Where the store is: a file, sqlite:PATH, or clickhouse://HOST:PORT[,HOST:PORT…]/DATABASE?cluster=NAME.",
        discussion: "Default: $KAIYUAN_STORE, $KAIYUAN_DB, or ./kaiyuan.db. --db is an alias.", valueName: "location"))
    var store: String?

    /// The location as the user gave it, or the default, for messages.
    var path: String { (try? StoreLocation.resolve(store).description) ?? store ?? "kaiyuan.db" }

    /// The period a command asked for, or the latest year in the store.
    func periodOrLatestYear(_ period: Period?, in store: any EventStore) throws -> Period {
        if let period { return period }
        guard let last = try store.dataVersions().keys.max() else {
            throw ValidationError("the store at \(path) is empty; ingest something first")
        }
        return Period(.year, containing: last)
    }

    /// A store error says what to do itself; no usage text after it.
    func open(readOnly: Bool) throws -> any DataStore {
        try openStore(try StoreLocation.resolve(store), readOnly: readOnly)
    }
}

extension OutputFormat: ExpressibleByArgument {}
extension PlatformSet: ExpressibleByArgument {}
extension Platform: ExpressibleByArgument {}
extension PeriodKind: ExpressibleByArgument {}

extension RepoMetric: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension Period: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// `$XDG_CACHE_HOME/kaiyuan/NAME`, or `~/.cache/kaiyuan/NAME`: downloads and clones.
func kaiyuanCache(_ name: String) -> String {
    let env = ProcessInfo.processInfo.environment
    return (env["XDG_CACHE_HOME"] ?? ((env["HOME"] ?? ".") + "/.cache")) + "/kaiyuan/" + name
}

/// The first problems found in a git log (all with `all`), then how many more.
func printProblems(_ stats: GitLogStats, in source: String, all: Bool = false) {
    let shown = all ? stats.examples : Array(stats.examples.prefix(5))
    for p in shown { printError("skipped \(p)") }
    if stats.problemTotal > shown.count { printError("… and \(stats.problemTotal - shown.count) more problems in \(source)") }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Who counts as a bot where the spec leaves bots out (bus factor, contributors, OpenRank).
struct BotOptions: ParsableArguments {
    @Option(help: ArgumentHelp("An OpenDigger bot label file (YAML) listing more bots than the logins ending in [bot].", valueName: "file"))
    var bots: String?

    @Flag(help: "Count bots everywhere.")
    var withBots = false

    func extraBots() throws -> Set<Int64> {
        guard let bots else { return [] }
        do { return try BotLabels(contentsOf: bots).ids } catch { throw ValidationError("--bots: \(error.localizedDescription)") }
    }

    func engine(_ store: any EventStore) throws -> MetricsEngine {
        MetricsEngine(store: store, extraBots: try extraBots(), includeBots: withBots)
    }
}

extension OpenRankRunner {
    /// Says so on standard error when stored OpenRank is missing or older than the data.
    static func warnIfStale(_ store: any EventStore) throws {
        for scope in try platformsWithData(in: store) {
            let plan = try OpenRankRunner(store: store, scope: scope).plan()
            if !plan.months.isEmpty {
                let graph = scope == .github ? "" : " (\(scope))"
                printError("note: OpenRank\(graph) is \(plan.upToDate == 0 ? "not computed" : "out of date for \(plan.months.count) month\(plan.months.count == 1 ? "" : "s")"); run `kaiyuan compute openrank` first for openrank values")
            }
        }
    }
}

extension DeveloperMetric: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// What every `rank` command takes besides its metric.
struct RankOptions: ParsableArguments {
    @Option(help: ArgumentHelp("2025, 2025Q1 or 2025-01. Default: the latest year with data.", valueName: "period"))
    var period: Period?

    @Option(help: "How many to list.")
    var top = 20

    @Option(help: "table, json or csv.")
    var format: OutputFormat = .table

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be at least 1") }
    }
}
