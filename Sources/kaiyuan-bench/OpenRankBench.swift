import ArgumentParser
import Foundation
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanStore
import KaiyuanStores

/// Times one month of OpenRank on a generated graph of GitHub's size, and can write that graph
/// (and kaiyuan's values) as plain arrays for `bench/openrank_scipy.py` to solve the same way.
struct OpenRankBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openrank",
        abstract: "Time OpenRank on one generated month (Zipf-like repo popularity).",
        discussion: """
            The edges are generated first (not timed), in (repository, developer) order as the
            store gives them; then the graph is built (numbering, pruning, the two adjacencies)
            and iterated, each timed.

            Example:
              kaiyuan-bench openrank --repos 1000000 --developers 3000000 --pairs 15000000 --tolerance 1e-6 --write-graph /tmp/orgraph
              python3 bench/openrank_scipy.py /tmp/orgraph

            --write-graph DIR writes little-endian arrays: repo.i64, developer.i64 and
            activity.f64 (the edges), kaiyuan_repo.i64 / kaiyuan_repo.f64 and
            kaiyuan_developer.i64 / kaiyuan_developer.f64 (the values, ascending ids), and
            meta.json (sizes, tolerance, kaiyuan's seconds).

            --store LOCATION writes the same month (January 2025) into a store as the facts an
            ingest would have stored, one distinct object per count, so that `kaiyuan compute
            openrank --db LOCATION` can be timed from store to stored values:
              kaiyuan-bench openrank --pairs 15000000 --developers 3000000 --store /tmp/or.db
              /usr/bin/time -f "%e s %M KB" kaiyuan compute openrank --db /tmp/or.db
            """
    )

    @Option(help: "Repositories in the month.") var repos = 1_000_000
    @Option(help: "Developers in the month.") var developers = 2_000_000
    @Option(help: "(repo, developer) pairs before pruning.") var pairs = 10_000_000
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(help: "Stop when no value moves more than this in a round.") var tolerance = 1e-8
    @Option(help: "Folder to write the graph and kaiyuan's values into.") var writeGraph: String?
    @Option(help: "A store (SQLite file or clickhouse://…) to write the month's facts into, instead of solving it.") var store: String?

    func run() throws {
        let generateStart = Date()
        let edges = Self.generate(repos: repos, developers: developers, pairs: pairs, seed: seed)
        print("generated \(edges.count) edges in \(String(format: "%.1f", Date().timeIntervalSince(generateStart))) s")
        if let store { return try writeFacts(to: store) }
        let result = OpenRank.compute(edges: edges, carried: { _ in 0 }, tolerance: tolerance)
        print("openrank: \(result.repos.count) repos, \(result.developers.count) developers, \(result.iterations) rounds, residual \(String(format: "%.1e", result.residual))")
        print(String(format: "build %.2f s + iterate %.2f s = %.2f s", result.buildSeconds, result.solveSeconds, result.buildSeconds + result.solveSeconds))
        if let dir = writeGraph { try write(edges, result, to: dir) }
    }

    /// Every repository and developer appears; beyond that, repositories follow a Zipf-like
    /// popularity; each pair's counts are one of four shapes. Pairs are distinct and sorted.
    static func generate(repos: Int, developers: Int, pairs: Int, seed: UInt64) -> OpenRank.Edges {
        var edges = OpenRank.Edges(reservingCapacity: pairs)
        for (key, counts) in generatePairs(repos: repos, developers: developers, pairs: pairs, seed: seed) {
            edges.add(repo: key.repo, developer: key.developer, counts: counts)
        }
        return edges
    }

    static func generatePairs(repos: Int, developers: Int, pairs: Int, seed: UInt64) -> [(OpenRank.PairKey, OpenRank.PairCounts)] {
        var random = SeededRandom(state: seed)
        var seen = Set<OpenRank.PairKey>()
        seen.reserveCapacity(pairs)
        var generated: [(OpenRank.PairKey, OpenRank.PairCounts)] = []
        generated.reserveCapacity(pairs)
        while generated.count < pairs {
            let dev = Int64(generated.count < developers ? generated.count : random.int(0...developers - 1))
            let repo = Int64(generated.count < repos ? generated.count : random.zipf(repos))
            let key = OpenRank.PairKey(repo: repo + 1, developer: dev + 1)
            var c = OpenRank.PairCounts()
            switch random.int(0...9) {
            case 0...5: c.pushes = random.int(1...3); c.issueComments = 1
            case 6, 7: c.issueComments = random.int(1...4)
            case 8: c.pullsOpened = 1; c.pushes = random.int(0...5)
            default: c.issuesOpened = 1
            }
            if seen.insert(key).inserted { generated.append((key, c)) }
        }
        generated.sort { ($0.0.repo, $0.0.developer) < ($1.0.repo, $1.0.developer) }
        return generated
    }

    /// The month as stored facts, committed in parts of about two million facts.
    private func writeFacts(to location: String) throws {
        let store = try openStore(try StoreLocation.resolve(location), readOnly: false)
        let month = Month(year: 2025, month: 1)
        var object: Int64 = 0
        var delta = FileDelta(), part = 0, written = 0
        let start = Date()
        func commit() throws {
            delta.finish()
            written += delta.facts.count
            _ = try store.commit(delta, file: IngestedFile(name: "openrank-bench-\(seed)-\(part).json", size: 0, events: delta.facts.count,
                                                          skippedLines: 0, ingestedAt: 0, digest: "bench:\(seed):\(part)"))
            delta = FileDelta()
            part += 1
        }
        for (key, counts) in Self.generatePairs(repos: repos, developers: developers, pairs: pairs, seed: seed) {
            for kind in FactKind.allCases where kind.countsForOpenRank {
                for _ in 0..<counts[kind] {
                    object += 1
                    delta.facts.append(Fact(repo: key.repo, kind: kind, month: month, object: object, actor: key.developer))
                }
            }
            if delta.facts.count >= 2_000_000 { try commit() }
        }
        if !delta.facts.isEmpty { try commit() }
        print("stored \(written) facts of \(pairs) pairs for \(month) in \(part) commits, \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    }

    private func write(_ edges: OpenRank.Edges, _ result: OpenRank.MonthResult, to dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func save<T>(_ values: [T], _ name: String) throws {
            try values.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: dir).appendingPathComponent(name)) }
        }
        try save(edges.repos, "repo.i64")
        try save(edges.developers, "developer.i64")
        try save(edges.activity, "activity.f64")
        let repoIDs = result.repos.keys.sorted(), devIDs = result.developers.keys.sorted()
        try save(repoIDs, "kaiyuan_repo.i64")
        try save(repoIDs.map { result.repos[$0]! }, "kaiyuan_repo.f64")
        try save(devIDs, "kaiyuan_developer.i64")
        try save(devIDs.map { result.developers[$0]! }, "kaiyuan_developer.f64")
        let meta: [String: Any] = [
            "edges": edges.count, "tolerance": tolerance, "iterations": result.iterations,
            "repos": result.repos.count, "developers": result.developers.count,
            "kaiyuan_build_seconds": result.buildSeconds, "kaiyuan_iterate_seconds": result.solveSeconds,
        ]
        try JSONSerialization.data(withJSONObject: meta, options: [.sortedKeys, .prettyPrinted])
            .write(to: URL(fileURLWithPath: dir).appendingPathComponent("meta.json"))
        print("wrote the graph and kaiyuan's values to \(dir)")
    }
}
