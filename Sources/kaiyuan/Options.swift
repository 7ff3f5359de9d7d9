import ArgumentParser
import Foundation
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanOutputs
import KaiyuanStore

struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store file (SQLite).", discussion: "Default: $KAIYUAN_DB, or ./kaiyuan.db.", valueName: "path"))
    var db: String?

    var path: String { db ?? ProcessInfo.processInfo.environment["KAIYUAN_DB"] ?? "kaiyuan.db" }

    func open(readOnly: Bool) throws -> SQLiteStore {
        do {
            return try SQLiteStore(path: path, readOnly: readOnly)
        } catch let error as StoreError {
            throw ValidationError(error.description)
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}
extension PeriodKind: ExpressibleByArgument {}

extension RepoMetric: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension Period: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
