import ArgumentParser
import Foundation

struct KaiyuanBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kaiyuan-bench",
        abstract: "Benchmark input for kaiyuan.",
        subcommands: [Generate.self, OpenRankBench.self, GitLogBench.self, AllocationGuard.self, CommitBench.self]
    )
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write full-size GH Archive hour files (gzip), deterministic for a seed.",
        discussion: """
            Example:
              kaiyuan-bench generate --events 100000 --seed 1 --out /tmp/bench/2025-01-01-0.json.gz
              kaiyuan-bench generate --hours 24 --events 100000 --seed 2 --dir /tmp/bench --from 2025-01-01
            """
    )

    @Option(help: "Events per hour.") var events = 100_000
    @Option(help: "Seed: the same seed writes the same bytes.") var seed: UInt64 = 1
    @Option(help: "One output file (its name should be YYYY-MM-DD-H.json.gz).") var out: String?
    @Option(help: "Folder for several hours (with --hours).") var dir: String?
    @Option(help: "How many consecutive hours to write into --dir.") var hours = 1
    @Option(help: "First day, YYYY-MM-DD, for --dir (with --out, the file name gives the hour).") var from = "2025-01-01"

    func run() throws {
        let parts = from.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { throw ValidationError("--from takes YYYY-MM-DD") }
        var comps = DateComponents(); comps.year = parts[0]; comps.month = parts[1]; comps.day = parts[2]
        var cal = Calendar(identifier: .gregorian); cal.timeZone = TimeZone(identifier: "UTC")!
        let dayStart = Int64(cal.date(from: comps)!.timeIntervalSince1970)

        var targets: [(String, Int64)] = []
        if let out {
            // The hour comes from the file name when it is GH Archive's (YYYY-MM-DD-H.json.gz).
            let base = URL(fileURLWithPath: out).lastPathComponent
            let named = base.hasSuffix(".json.gz") ? base.dropLast(8).split(separator: "-").compactMap { Int($0) } : []
            var start = dayStart
            if named.count == 4 {
                comps.year = named[0]; comps.month = named[1]; comps.day = named[2]
                if let d = cal.date(from: comps) { start = Int64(d.timeIntervalSince1970) + Int64(named[3]) * 3600 }
            }
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: out).deletingLastPathComponent(), withIntermediateDirectories: true)
            targets = [(out, start)]
        } else if let dir {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for h in 0..<hours {
                let start = dayStart + Int64(h) * 3600
                let d = Date(timeIntervalSince1970: TimeInterval(start))
                let c = cal.dateComponents([.year, .month, .day, .hour], from: d)
                targets.append((String(format: "%@/%04d-%02d-%02d-%d.json.gz", dir, c.year!, c.month!, c.day!, c.hour!), start))
            }
        } else {
            throw ValidationError("give --out FILE or --dir DIR")
        }
        for (i, (path, start)) in targets.enumerated() {
            var gen = HourGenerator(seed: seed &+ UInt64(i) &* 7919, events: events, hourStart: start)
            let writer = try GzipWriter(path: path)
            var bytes = 0
            for k in 0..<events {
                let line = gen.event(second: k * 3600 / events) + "\n"
                bytes += line.utf8.count
                writer.write(line)
            }
            writer.close()
            print("\(path): \(events) events, \(bytes / 1_000_000) MB of JSON")
        }
    }
}

KaiyuanBench.main()
