import KaiyuanCore

/// A line that was left out, with where it was.
public struct LineProblem: Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var reason: SkipReason
    public var detail: String

    public var description: String { "\(path):\(line): \(detail)" }
}

/// What reading one file found.
public struct FileScanStats: Sendable {
    public var lines = 0
    public var events = 0
    public var skipped: [SkipReason: Int] = [:]
    /// The first few problems, to show; `skipped` has the counts of all.
    public var problems: [LineProblem] = []
    public var bytesRead: Int64 = 0

    public init() {}

    public var skippedTotal: Int { skipped.values.reduce(0, +) }
    public static let problemsKept = 20
}

/// Reads one GH Archive file (gzip or plain JSON lines) into a delta. A damaged gzip stream
/// throws, so that nothing from a partial file is kept; inside a sound stream, bad lines are
/// skipped and counted.
public enum GHArchiveFileReader {
    /// `keepProblems`: how many skipped lines to keep with their reasons (`--verbose`: all).
    /// `inflater`: the gzip library (tests compare them; the facts never depend on it).
    public static func read(path: String, keepProblems: Int = FileScanStats.problemsKept, inflater: GzipInflater = .preferred,
                            progress: ((Int64) throws -> Void)? = nil) throws -> (FileDelta, FileScanStats) {
        let source = PrefetchingSource(try openEventFile(path: path, inflater: inflater))
        defer { source.close() }
        var reader = LineReader(source: source, path: path)
        // A file named by its hour (`2025-01-01-5.json.gz`) bounds its events' dates.
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let stem = name.split(separator: ".").first.map(String.init) ?? name
        var folder = GHArchiveEventFolder(fileHour: stem.count >= 12 ? ArchiveHour(stem) : nil)
        var stats = FileScanStats()
        var event = ScannedEvent()
        var lastProgress: Int64 = 0

        var lastMalformed = 0
        func skip(_ line: Int, _ reason: SkipReason, _ detail: String) {
            if reason == .malformedJSON { lastMalformed = line }
            stats.skipped[reason, default: 0] += 1
            if stats.problems.count < keepProblems {
                stats.problems.append(LineProblem(path: path, line: line, reason: reason, detail: detail))
            }
        }

        var lastLine = 0
        try reader.forEachLine { line, number in
            stats.lines += 1
            lastLine = number
            do {
                try GHEventScanner.scan(line, into: &event)
            } catch {
                skip(number, .malformedJSON, "malformed JSON: \(error)")
                return
            }
            if let (reason, detail) = folder.fold(event, line: line) {
                skip(number, reason, detail)
            } else {
                stats.events += 1
            }
            if let progress, stats.lines & 0x3FF == 0 {
                let consumed = source.fileBytesConsumed
                if consumed != lastProgress { try progress(consumed); lastProgress = consumed }
            }
        }
        for long in reader.overlongLines {
            stats.lines += 1
            skip(long.line, .lineTooLong, "a line of \(long.bytes) bytes, longer than any event: skipped")
        }
        // A last line without its newline that is no JSON is a file cut short, gzip or plain:
        // rejected whole, like a truncated gzip stream.
        if reader.endedInOverlongLine, let last = reader.overlongLines.last {
            throw SourceError.endsMidLine(path: path, line: last.line)
        }
        if reader.endedMidLine && lastMalformed == lastLine && lastMalformed > 0 {
            throw SourceError.endsMidLine(path: path, line: lastMalformed)
        }
        stats.bytesRead = source.fileBytesConsumed
        try progress?(stats.bytesRead)
        return (folder.finish(), stats)
    }
}
