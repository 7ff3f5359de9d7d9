import ArgumentParser
import Foundation
import KaiyuanCore
import KaiyuanSources
import KaiyuanStore
import KaiyuanStores

/// The store's write path on its own: GH Archive files are read into deltas first (timed
/// apart), then committed, one transaction per file or all in one, each commit timed.
struct CommitBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit",
        abstract: "Time the store's write path (sorting aside, inserting, committing) apart from reading.",
        discussion: """
            Example (a fresh store each time):
              kaiyuan-bench commit --store /tmp/c.db /tmp/bench2/2025-03-01-{0,1,2,3}.json.gz
              kaiyuan-bench commit --store /tmp/c2.db --batch /tmp/bench2/2025-03-01-{0,1,2,3}.json.gz
            """
    )

    @Option(help: "The store to write into (a new SQLite file, or clickhouse://…).") var store: String
    @Flag(help: "Commit all the files in one transaction (what the importer does with files read ahead).") var batch = false
    @Argument(help: "GH Archive files.") var files: [String]

    func run() throws {
        let db = try openStore(try StoreLocation.resolve(store), readOnly: false)
        var deltas: [(delta: FileDelta, file: IngestedFile)] = []
        var readSeconds = 0.0
        for path in files {
            let start = Date()
            let (delta, stats) = try GHArchiveFileReader.read(path: path)
            readSeconds += Date().timeIntervalSince(start)
            deltas.append((delta, IngestedFile(name: (path as NSString).lastPathComponent, size: 0, events: stats.events, skippedLines: 0,
                                               ingestedAt: 0, digest: "bench:\(path)")))
        }
        let facts = deltas.reduce(0) { $0 + $1.delta.facts.count }
        print(String(format: "read %d files into deltas (%d facts) in %.2f s", files.count, facts, readSeconds))
        if batch {
            let start = Date()
            for outcome in db.commit(batch: deltas) { _ = try outcome.get() }
            print(String(format: "committed all %d in one transaction in %.3f s", deltas.count, Date().timeIntervalSince(start)))
        } else {
            var total = 0.0
            for (k, d) in deltas.enumerated() {
                let start = Date()
                try db.commit(d.delta, file: d.file)
                let s = Date().timeIntervalSince(start)
                total += s
                print(String(format: "file %d: %d facts committed in %.3f s", k + 1, d.delta.facts.count, s))
            }
            print(String(format: "committed %d files one by one in %.3f s", deltas.count, total))
        }
    }
}
