import ArgumentParser
import Foundation
import KaiyuanServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the report's pages live, OpenDigger's JSON layout and an API, from the store.",
        discussion: """
            Pages: /  (overview; ?period=2025&label=:divisions/CN), /projects/github/OWNER/REPO.
            OpenDigger's layout: /github/OWNER/REPO/METRIC.json, /github/LOGIN/METRIC.json,
            /gitee/OWNER/REPO/commits.json (git histories), /labels/companies/alibaba/openrank.json.
            API: /api/v1/rank/repos|devs|labels, /api/v1/search, /api/v1/status, described at
            /openapi.yaml.

            The store is opened read-only: an import can run beside the server. Work that needs
            the whole store (ranks, label sums, developers, the overview) runs in the background
            once per change of the data; until it is ready the answer is 202 with Retry-After
            (pages reload by themselves). Responses carry an ETag that changes with the data.
            Ctrl-C or SIGTERM stops the server after the requests in flight.

            Examples:
              kaiyuan serve
              kaiyuan serve --db big.db --port 9000
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "Address to listen on. Default 127.0.0.1 (this machine only).")
    var host = "127.0.0.1"

    @Option(help: "Port (0 picks a free one).")
    var port = 8080

    @OptionGroup var bots: BotOptions

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0…65535") }
    }

    func run() async throws {
        let db = try store.open(readOnly: true)
        let dashboard = Dashboard(store: db, extraBots: try bots.extraBots(), includeBots: bots.withBots)
        let host = self.host
        do {
            try await dashboard.run(host: host, port: port) { actual in
                // Written straight to the descriptor: tests and scripts read the port from this line.
                FileHandle.standardOutput.write(Data("kaiyuan serving \(db.location) at http://\(host):\(actual)/  (Ctrl-C stops)\n".utf8))
            }
        } catch where "\(error)".contains("Address already in use") {
            throw ServeError(message: "\(host):\(port) is already in use (another kaiyuan serve?): pass another --port, or --port 0 for any free one")
        } catch where "\(error)".contains("Cannot assign requested address") || "\(error)".contains("Permission denied") {
            throw ServeError(message: "cannot listen on \(host):\(port) (\(error)): pass a --host this machine has, and a --port above 1023")
        }
    }
}

/// A failure to start serving, said in one line (no usage text after it).
struct ServeError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
