import ArgumentParser
import Foundation
import KaiyuanCore
import KaiyuanMetrics

/// Times one month of OpenRank on a generated graph of GitHub's size.
struct OpenRankBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openrank",
        abstract: "Time OpenRank on one generated month (Zipf-like repo popularity).",
        discussion: "Example: kaiyuan-bench openrank --repos 1000000 --developers 2000000 --pairs 10000000"
    )

    @Option(help: "Repositories in the month.") var repos = 1_000_000
    @Option(help: "Developers in the month.") var developers = 2_000_000
    @Option(help: "(repo, developer) pairs before pruning.") var pairs = 10_000_000
    @Option(help: "Seed.") var seed: UInt64 = 1

    func run() throws {
        var random = SeededRandom(state: seed)
        var input: [OpenRank.PairKey: OpenRank.PairCounts] = [:]
        input.reserveCapacity(pairs)
        let buildStart = Date()
        while input.count < pairs {
            // Every developer appears; repos follow a Zipf-like popularity.
            let dev = Int64(input.count < developers ? input.count : random.int(0...developers - 1))
            let repo = Int64(random.zipf(repos))
            var c = OpenRank.PairCounts()
            switch random.int(0...9) {
            case 0...5: c.pushes = random.int(1...3); c.issueComments = 1
            case 6, 7: c.issueComments = random.int(1...4)
            case 8: c.pullsOpened = 1; c.pushes = random.int(0...5)
            default: c.issuesOpened = 1
            }
            input[OpenRank.PairKey(repo: repo, developer: dev), default: OpenRank.PairCounts()] = c
        }
        print("generated \(input.count) pairs in \(String(format: "%.1f", Date().timeIntervalSince(buildStart))) s")
        let start = Date()
        let result = OpenRank.compute(pairs: input, carried: { _ in 0 })
        let seconds = Date().timeIntervalSince(start)
        print("openrank: \(result.repos.count) repos, \(result.developers.count) developers, \(result.iterations) rounds, residual \(String(format: "%.1e", result.residual)), \(String(format: "%.2f", seconds)) s")
    }
}
