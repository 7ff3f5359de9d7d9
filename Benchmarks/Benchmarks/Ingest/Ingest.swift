import Benchmark
import Foundation
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanSources

/// The ingest hot path, piece by piece, on the events that ship with the repository
/// (Tests/Fixtures/gharchive, 240 events) repeated to a few thousand lines, and on a
/// generated git log: scanning JSON lines, folding events into facts, reading a whole gzip
/// file, reading git log records. Mallocs per event are the number to watch.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/gharchive")

func fixtureLines() -> [[UInt8]] {
    var lines: [[UInt8]] = []
    let files = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path))?.filter { $0.hasSuffix(".json.gz") }.sorted() ?? []
    for name in files {
        guard let source = try? openEventFile(path: fixtures.appendingPathComponent(name).path) else { continue }
        var reader = LineReader(source: source, path: name)
        try? reader.forEachLine { line, _ in lines.append(Array(line)) }
        source.close()
    }
    return lines
}

func gitLog(commits: Int) -> [UInt8] {
    var text = ""
    for i in 0..<commits {
        let sha = String(format: "%040x", i + 1), parent = String(format: "%040x", i + 2)
        let date = "2025-0\(1 + i % 9)-1\(i % 9)T10:2\(i % 10):00+08:00"
        text += "\u{1E}" + [sha, i % 4 == 0 ? "\(parent) \(sha)" : parent, "Dev \(i % 97)", "dev\(i % 97)@example.cn", date,
                            "GitHub", "noreply@github.com", date, "Change \(i)", i % 30 == 0 ? "Pair <pair@example.cn>" : ""]
            .map { $0 + "\u{0}" }.joined() + "\n"
        if i % 4 != 0 { text += "\n12\t3\tsrc/module\(i % 50)/File.java\n-\t-\tassets/logo.png\n4\t0\tREADME.md\n" }
    }
    return Array(text.utf8)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(2))
    let base = fixtureLines()
    let lines = Array((0..<20).map { _ in base }.joined())

    // The scanner allocates nothing per line: a threshold of 0 mallocs (p90) fails the run
    // (`swift package benchmark thresholds check`) the day it does.
    Benchmark("Scan event lines", configuration: .init(thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])])) { benchmark in
        var event = ScannedEvent()
        for _ in benchmark.scaledIterations {
            for line in lines {
                line.withUnsafeBufferPointer { try? GHEventScanner.scan($0, into: &event) }
            }
            blackHole(event)
        }
    }

    Benchmark("Scan and fold event lines into a delta") { benchmark in
        for _ in benchmark.scaledIterations {
            var folder = GHArchiveEventFolder()
            var event = ScannedEvent()
            for line in lines {
                line.withUnsafeBufferPointer { buffer in
                    if (try? GHEventScanner.scan(buffer, into: &event)) != nil { _ = folder.fold(event, line: buffer) }
                }
            }
            blackHole(folder.finish())
        }
    }

    Benchmark("Read a gzip hour file (inflate, scan, fold)") { benchmark in
        let path = fixtures.appendingPathComponent("2024-03-05-14.json.gz").path
        for _ in benchmark.scaledIterations {
            blackHole(try GHArchiveFileReader.read(path: path))
        }
    }

    let log = gitLog(commits: 5000)
    let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("kaiyuan-bench-\(getpid()).gitlog")
    FileManager.default.createFile(atPath: logFile.path, contents: Data(log))
    Benchmark("Read 5,000 git log records") { benchmark in
        for _ in benchmark.scaledIterations {
            let source = try openEventFile(path: logFile.path)
            var reader = GitLogReader(source: source, path: logFile.path)
            var n = 0
            try reader.forEachCommit { _ in n += 1 }
            source.close()
            blackHole(n)
        }
    }

    // Inflating a gzip hour with each library: the fixture hour repeated as 64 gzip members
    // (multi-member, as concatenated downloads are).
    let member = (try? Data(contentsOf: fixtures.appendingPathComponent("2024-03-05-14.json.gz"))) ?? Data()
    let inflateFile = FileManager.default.temporaryDirectory.appendingPathComponent("kaiyuan-bench-inflate-\(getpid()).json.gz")
    FileManager.default.createFile(atPath: inflateFile.path, contents: Data((0..<64).map { _ in member }.joined()))
    for library in GzipInflater.allCases where library != .isal || GzipInflater.isalAvailable {
        Benchmark("Inflate 64 gzip members (\(library.rawValue))") { benchmark in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            for _ in benchmark.scaledIterations {
                let source = try openEventFile(path: inflateFile.path, inflater: library)
                var total = 0
                while true { let n = try source.read(into: buffer); if n == 0 { break }; total += n }
                source.close()
                blackHole(total)
            }
        }
    }

    // One month of OpenRank on a small generated graph (200k pairs): building and iterating.
    var edges = OpenRank.Edges()
    var state: UInt64 = 1
    func next() -> UInt64 { state &+= 0x9E37_79B9_7F4A_7C15; var z = state; z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; return z ^ (z >> 31) }
    for i in 0..<200_000 {
        var counts = OpenRank.PairCounts()
        counts.issueComments = Int(next() % 4) + 1
        counts.pushes = Int(next() % 3)
        edges.add(repo: Int64(i < 20_000 ? i : Int(next() % 20_000)), developer: Int64(i < 60_000 ? i : Int(next() % 60_000)), counts: counts)
    }
    Benchmark("OpenRank, a month of 200k pairs", configuration: .init(maxDuration: .seconds(5))) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(OpenRank.compute(edges: edges, carried: { _ in 0 }))
        }
    }
}
