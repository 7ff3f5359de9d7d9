import ArgumentParser
import Foundation
import KaiyuanIngest
import KaiyuanOutputs
import KaiyuanSources
import KaiyuanStore

struct IngestGHArchive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gharchive",
        abstract: "Read GH Archive hour files into the store.",
        discussion: """
            Give files (GH Archive's YYYY-MM-DD-H.json.gz, gzip or plain JSON lines), or a range \
            of hours to download from GH Archive (or a mirror).

            Each file is committed in one transaction with the record that it was read: a file \
            already in the store is skipped, so re-running an import changes nothing, and \
            Ctrl-C loses nothing already committed. A file whose gzip stream is damaged is \
            rejected whole; malformed lines inside a sound file are skipped, counted and named.

            Exit status: 0 when everything was read; 2 when anything was skipped, rejected or \
            missing upstream (the rest was still imported); 130 after Ctrl-C.

            Examples:
              kaiyuan ingest gharchive 2025-01-01-*.json.gz
              kaiyuan ingest gharchive --from 2025-01-01T00 --to 2025-01-01T23
              kaiyuan ingest gharchive --from 2025-01-01 --to 2025-01-31 --mirror http://mirror.local/gharchive/
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("GH Archive files to read.", valueName: "file"))
    var files: [String] = []

    @Option(help: ArgumentHelp("First hour to download: 2025-01-01T00 (or a day: its hour 0).", valueName: "hour"))
    var from: String?

    @Option(help: ArgumentHelp("Last hour to download, included: 2025-01-31T23 (or a day: its hour 23).", valueName: "hour"))
    var to: String?

    @Option(help: ArgumentHelp("Base URL to download hours from.", valueName: "url"))
    var mirror: String = HourDownloader.defaultMirror.absoluteString

    @Option(help: ArgumentHelp("Folder for downloads in progress.", discussion: "Default: $XDG_CACHE_HOME/kaiyuan/gharchive or ~/.cache/kaiyuan/gharchive.", valueName: "dir"))
    var cache: String?

    @Flag(help: "Keep downloaded files after they are imported.")
    var keepDownloads = false

    @Option(help: "How many times to retry a failed download.")
    var retries = 4

    @Flag(help: "Print every skipped line, not only the first few per file.")
    var verbose = false

    func validate() throws {
        if files.isEmpty && from == nil && to == nil {
            throw ValidationError("give GH Archive files, or --from and --to to download hours (see --help)")
        }
        if !files.isEmpty && (from != nil || to != nil) {
            throw ValidationError("give either files or --from/--to, not both")
        }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
        if let from, ArchiveHour(from) == nil { throw ValidationError("--from \(from): expected an hour like 2025-01-01T00") }
        if let to, ArchiveHour(to, defaultHour: 23) == nil { throw ValidationError("--to \(to): expected an hour like 2025-01-31T23") }
        if URL(string: mirror)?.scheme == nil { throw ValidationError("--mirror \(mirror): expected a URL such as https://data.gharchive.org/") }
    }

    func run() async throws {
        // A store this command creates and puts nothing into is removed again: a rejected file
        // must not leave an empty store behind.
        var created: String?
        if case let .sqlite(path) = try StoreLocation.resolve(store.store), !FileManager.default.fileExists(atPath: path) { created = path }
        let db = try store.open(readOnly: false)
        defer {
            if let created, (try? db.summary().files) == 0 {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: created + suffix) }
            }
        }
        let reporter = ImportReporter(verbose: verbose)
        let importer = GHArchiveImporter(store: db, observer: reporter, keepAllProblems: verbose)
        Interruption.install()

        let summary: ImportSummary
        if let from, let to, let first = ArchiveHour(from), let last = ArchiveHour(to, defaultHour: 23) {
            let hours = ArchiveHour.range(first, last)
            guard !hours.isEmpty else { throw ValidationError("--from is after --to") }
            var base = URL(string: mirror)!
            if !base.absoluteString.hasSuffix("/") { base = URL(string: mirror + "/")! }
            let downloader = HourDownloader(mirror: base, cacheDirectory: URL(fileURLWithPath: cacheDirectory), retries: retries)
            summary = await HourRangeImport(downloader: downloader, keepDownloads: keepDownloads)
                .run(hours: hours, importer: importer, store: db)
        } else {
            summary = importer.importFiles(files)
        }
        reporter.finish(summary)
        if summary.interrupted { throw ExitCode(130) }
        if summary.hadProblems || !summary.missingUpstream.isEmpty { throw ExitCode(2) }
    }

    var cacheDirectory: String { cache ?? kaiyuanCache("gharchive") }
}

/// Progress bar and messages for an import. Called from the reading thread (started, progress)
/// and the committing one (finished): a lock keeps them in turn.
final class ImportReporter: ImportObserver, @unchecked Sendable {
    let lock = NSLock()
    let bar = ProgressBar()
    let verbose: Bool
    var fileLabel = ""
    var fileBytes: Int64 = 1
    var index = 0, total = 1
    var events = 0
    let start = Date()

    init(verbose: Bool) { self.verbose = verbose }

    func fileStarted(path: String, index: Int, total: Int, bytes: Int64) {
        lock.lock(); defer { lock.unlock() }
        self.index = index; self.total = total
        fileBytes = max(bytes, 1)
        fileLabel = URL(fileURLWithPath: path).lastPathComponent
        showProgress(bytesRead: 0)
    }

    func fileProgress(bytesRead: Int64) {
        lock.lock(); defer { lock.unlock() }
        showProgress(bytesRead: bytesRead)
    }

    private func showProgress(bytesRead: Int64) {
        let fraction = (Double(index) + Double(bytesRead) / Double(fileBytes)) / Double(total)
        let elapsed = Date().timeIntervalSince(start)
        bar.update(fraction: fraction, label: "[\(index + 1)/\(total)]",
                   detail: "\(fileLabel)  \(compactCount(Double(events))) events  \(compactCount(elapsed > 0 ? Double(events) / elapsed : 0))/s")
    }

    func fileFinished(_ result: FileImportResult) {
        lock.lock(); defer { lock.unlock() }
        events += result.stats.events
        bar.clear()
        switch result.outcome {
        case .imported:
            if let note = result.note { printError(note) }
            let shown = verbose ? result.stats.problems : Array(result.stats.problems.prefix(5))
            for p in shown { printError("skipped \(p)") }
            let rest = result.stats.skippedTotal - shown.count
            if rest > 0 { printError("… and \(rest) more skipped lines in \(result.path)") }
        case .alreadyIngested:
            printError("\(result.path): already ingested, skipped")
        case .rejected:
            break // listed by finish(_:), with download failures
        case .interrupted:
            printError("\(result.path): interrupted; nothing from it was kept")
        }
    }

    func finish(_ summary: ImportSummary) {
        lock.lock(); defer { lock.unlock() }
        bar.clear()
        for name in summary.missingUpstream { printError("\(name): not in GH Archive (HTTP 404); skipped") }
        for (_, reason) in summary.rejected { printError("rejected \(reason)") }
        print(summary.line)
    }
}
