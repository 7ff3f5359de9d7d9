import Foundation
import XCTest

/// Input written by `kaiyuan-bench` (deterministic for a seed): GH Archive hours and git logs
/// shaped like the real ones, for tests that need more than a fixture.
public enum GeneratedInput {
    static var bench: URL { packageRoot.appendingPathComponent(".build/debug/kaiyuan-bench") }

    static func run(_ args: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: bench.path) else { throw XCTSkip("kaiyuan-bench is not built; `swift build` first") }
        let r = try runProcess(bench, args)
        guard r.status == 0 else { throw NSError(domain: "kaiyuan-bench", code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: r.err]) }
    }

    /// `hours` consecutive hour files from the start of `day` in `dir`, in order.
    public static func hours(_ hours: Int, events: Int, seed: Int, from day: String, in dir: URL) throws -> [String] {
        try run(["generate", "--hours", String(hours), "--events", String(events), "--seed", String(seed), "--dir", dir.path, "--from", day])
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json.gz") }.sorted()
            .map { dir.appendingPathComponent($0).path }
    }

    /// One hour file at `path` (its name, `YYYY-MM-DD-H.json.gz`, gives the hour).
    public static func hour(events: Int, seed: Int, to path: String) throws {
        try run(["generate", "--events", String(events), "--seed", String(seed), "--out", path])
    }

    /// A git log export of `commits` commits.
    public static func gitLog(commits: Int, authors: Int, seed: Int, to path: String) throws {
        try run(["gitlog", "--commits", String(commits), "--authors", String(authors), "--seed", String(seed), "--out", path])
    }
}
