import ArgumentParser
import CMallocCounter
import Foundation
import KaiyuanSources

/// Counts heap allocations on the per-event path (this executable interposes malloc), and
/// fails when an event costs one: a new allocation in the scanner or the folder shows up here
/// as a count, where a timed test would see only noise.
struct AllocationGuard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocations",
        abstract: "Fail when scanning or folding an event allocates.",
        discussion: """
            Reads the event lines of the files given (gzip or plain) into memory, then counts
            mallocs while it (build it in release mode: an unoptimised build allocates on every
            call, by design of -Onone)
              - scans every line, several passes: must be 0;
              - folds the lines into a delta a second time (every name already seen, so a pass
                over known events may only grow the delta's arrays: at most --growth mallocs
                per pass, not one per event).
            Exit status 1 when either limit is passed.

            Example:
              kaiyuan-bench allocations Tests/Fixtures/gharchive/*.json.gz
            """
    )

    @Argument(help: "GH Archive files (gzip or plain JSON lines).") var files: [String]
    @Option(help: "Scanning passes over the lines.") var passes = 5
    @Option(help: "Mallocs allowed for a second fold pass (array growth, not per event).") var growth = 64

    func run() throws {
        var lines: [[UInt8]] = []
        for path in files {
            let source = try openEventFile(path: path)
            var reader = LineReader(source: source, path: path)
            try reader.forEachLine { line, _ in lines.append(Array(line)) }
            source.close()
        }
        guard !lines.isEmpty else { throw ValidationError("no event lines in \(files.joined(separator: ", "))") }

        var event = ScannedEvent()
        var scanned = 0
        // One pass first: what the runtime sets up once (metadata, lazy globals) is not per event.
        for line in lines { line.withUnsafeBufferPointer { _ = try? GHEventScanner.scan($0, into: &event) } }
        let scanStart = kaiyuan_malloc_count()
        for _ in 0..<passes {
            for line in lines {
                line.withUnsafeBufferPointer { if (try? GHEventScanner.scan($0, into: &event)) != nil { scanned += 1 } }
            }
        }
        let scanMallocs = kaiyuan_malloc_count() - scanStart

        var folder = GHArchiveEventFolder()
        func foldAll() -> Int {
            var folded = 0
            for line in lines {
                line.withUnsafeBufferPointer { buffer in
                    if (try? GHEventScanner.scan(buffer, into: &event)) != nil, folder.fold(event, line: buffer) == nil { folded += 1 }
                }
            }
            return folded
        }
        let firstStart = kaiyuan_malloc_count()
        let folded = foldAll()
        let firstMallocs = kaiyuan_malloc_count() - firstStart
        let secondStart = kaiyuan_malloc_count()
        _ = foldAll()
        let secondMallocs = kaiyuan_malloc_count() - secondStart
        withExtendedLifetime(folder) {}

        print("\(lines.count) event lines; \(folded) fold into facts")
        print("scan: \(scanMallocs) mallocs for \(scanned) scans (\(passes) passes after one to warm up); limit 0")
        print("fold, first pass: \(firstMallocs) mallocs (the delta's arrays and the names first seen)")
        print("fold, second pass: \(secondMallocs) mallocs for \(folded) events; limit \(growth)")
        if scanMallocs > 0 || secondMallocs > UInt64(growth) {
            print("FAIL: the per-event path allocates")
            throw ExitCode(1)
        }
        print("ok: no allocation per event")
    }
}
