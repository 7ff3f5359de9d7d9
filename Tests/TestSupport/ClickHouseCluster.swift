import Foundation
import XCTest

/// A real ClickHouse cluster for a test: `scripts/clickhouse-cluster.sh` starts N
/// `clickhouse-server` processes as this user on 127.0.0.1 (free ports, a `remote_servers`
/// cluster named `kaiyuan`, one shard each) in a temporary folder, and stops them afterwards.
/// Without the server the test is skipped with how to install it; under `CI=true` that is a
/// failure.
public final class ClickHouseCluster: @unchecked Sendable {
    public let dir: URL
    public let urls: [URL]
    private static let script = packageRoot.appendingPathComponent("scripts/clickhouse-cluster.sh")
    private var databases = 0

    public init(nodes: Int = 2, file: StaticString = #filePath, line: UInt = #line) throws {
        dir = try makeTemporaryDirectory("clickhouse")
        let result = try Self.run(["start", dir.path, String(nodes)])
        if result.status == 3 {
            let message = "clickhouse-server is not installed: apt-get install clickhouse-server (Debian's 18.16 works); skipping the ClickHouse tests"
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("under CI=true the ClickHouse tests must run: \(message)", file: file, line: line)
            }
            throw XCTSkip(message)
        }
        guard result.status == 0 else {
            throw NSError(domain: "clickhouse", code: Int(result.status), userInfo: [NSLocalizedDescriptionKey: "starting the cluster failed: \(result.err)"])
        }
        urls = result.out.split(separator: "\n").compactMap { URL(string: String($0)) }
    }

    deinit { stop() }

    /// A location for a database of its own on this cluster (each call a new one).
    public func location(database: String? = nil) -> String {
        databases += 1
        let name = database ?? "t\(databases)_\(UInt32.random(in: 0...UInt32.max))"
        return "clickhouse://" + urls.map { "127.0.0.1:\($0.port!)" }.joined(separator: ",") + "/\(name)?cluster=kaiyuan"
    }

    /// SIGKILL node `k` (1-based).
    public func kill(node k: Int) throws { _ = try Self.run(["kill", dir.path, String(k)]) }

    /// Start node `k` again with the same ports and data.
    public func restart(node k: Int) throws {
        let r = try Self.run(["restart", dir.path, String(k)])
        guard r.status == 0 else { throw NSError(domain: "clickhouse", code: 1, userInfo: [NSLocalizedDescriptionKey: r.err]) }
    }

    public func stop() {
        _ = try? Self.run(["stop", dir.path])
        try? FileManager.default.removeItem(at: dir)
    }

    /// Runs a query on node `k` (1-based) over HTTP and returns the body.
    public func query(_ sql: String, node k: Int = 1) throws -> String {
        let r = try Self.runTool("/usr/bin/curl", ["-sS", "--data-binary", sql, urls[k - 1].absoluteString])
        return r.out
    }

    private static func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        try runTool("/bin/bash", [script.path] + args)
    }

    private static func runTool(_ tool: String, _ args: [String]) throws -> (status: Int32, out: String, err: String) {
        try runProcess(URL(fileURLWithPath: tool), args)
    }
}
