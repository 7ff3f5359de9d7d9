import Foundation
import KaiyuanCore
import KaiyuanSources
import KaiyuanStore

/// What happened to one file.
public enum FileOutcome: Sendable {
    case imported
    /// A file of this name was ingested before; nothing was read.
    case alreadyIngested
    /// Nothing from it was kept: a damaged gzip stream, an unreadable file, or no event in it.
    case rejected(String)
    /// Stopped by Ctrl-C before its commit; nothing from it was kept.
    case interrupted
}

public struct FileImportResult: Sendable {
    public var path: String
    public var outcome: FileOutcome
    public var stats: FileScanStats
    public var seconds: Double
    /// Something the user should know about an imported file (its content changed since a
    /// file of its name was ingested).
    public var note: String? = nil
}

/// The totals of an import, for the closing line and the exit status.
public struct ImportSummary: Sendable {
    public var imported = 0
    public var alreadyIngested = 0
    public var rejected: [(path: String, reason: String)] = []
    public var missingUpstream: [String] = []
    public var interrupted = false
    public var events = 0
    public var lines = 0
    public var bytes: Int64 = 0
    public var skipped: [SkipReason: Int] = [:]
    public var seconds = 0.0

    public init() {}

    public var skippedTotal: Int { skipped.values.reduce(0, +) }
    /// True when anything was left out: the exit status says so.
    public var hadProblems: Bool { !rejected.isEmpty || skippedTotal > 0 || interrupted }

    mutating func add(_ r: FileImportResult) {
        switch r.outcome {
        case .imported:
            imported += 1
            events += r.stats.events
            lines += r.stats.lines
            bytes += r.stats.bytesRead
            for (k, v) in r.stats.skipped { skipped[k, default: 0] += v }
        case .alreadyIngested: alreadyIngested += 1
        case let .rejected(reason): rejected.append((r.path, reason))
        case .interrupted: interrupted = true
        }
    }

    /// One line: files, events, events/s, and what was skipped and why.
    public var line: String {
        var parts = ["\(imported) file\(imported == 1 ? "" : "s") imported"]
        if alreadyIngested > 0 { parts.append("\(alreadyIngested) already ingested") }
        if !rejected.isEmpty { parts.append("\(rejected.count) rejected") }
        if !missingUpstream.isEmpty { parts.append("\(missingUpstream.count) hour\(missingUpstream.count == 1 ? "" : "s") not in GH Archive") }
        let rate = seconds > 0 ? Double(events) / seconds : 0
        parts.append("\(events) events in \(String(format: "%.2f", seconds)) s (\(Int(rate)) events/s)")
        if skippedTotal > 0 {
            let why = SkipReason.allCases.compactMap { r in skipped[r].map { "\($0) \(r.rawValue)" } }.joined(separator: ", ")
            parts.append("\(skippedTotal) lines skipped: \(why)")
        } else {
            parts.append("0 lines skipped")
        }
        if interrupted { parts.append("interrupted: re-run to continue") }
        return parts.joined(separator: "; ")
    }
}

/// Told about an import as it goes.
public protocol ImportObserver: AnyObject, Sendable {
    func fileStarted(path: String, index: Int, total: Int, bytes: Int64)
    func fileProgress(bytesRead: Int64)
    func fileFinished(_ result: FileImportResult)
}

/// Reads GH Archive files into a store, one transaction per file: a file is either wholly in
/// the store, with its record, or not at all.
public final class GHArchiveImporter: @unchecked Sendable {
    let store: any EventStore
    let observer: (any ImportObserver)?
    /// Every skipped line is kept with its reason, not the first few (`--verbose`).
    let keepAllProblems: Bool

    public init(store: any EventStore, observer: (any ImportObserver)? = nil, keepAllProblems: Bool = false) {
        self.store = store
        self.observer = observer
        self.keepAllProblems = keepAllProblems
    }

    /// How many files may be read ahead of the commit (each a delta in memory): when committing
    /// is slower than reading, the files read meanwhile are committed together.
    public var filesInFlight = 4

    /// Imports files in order, in two stages at once: one thread reads files (inflating on a
    /// second) while this one commits what was read, every file already read in one
    /// transaction, so a store page that several hours touch is written once.
    public func importFiles(_ paths: [String]) -> ImportSummary {
        var summary = ImportSummary()
        let start = Date()
        guard !paths.isEmpty else { return summary }
        let pipeline = ReadAhead(capacity: max(1, filesInFlight))
        let total = paths.count
        Thread.detachNewThread { [self] in
            var stoppedEarly = false
            for (index, path) in paths.enumerated() {
                if Interruption.requested { stoppedEarly = true; break }
                pipeline.reserve()
                // The wait for room may have spanned a whole commit: ask again.
                if Interruption.requested { pipeline.release(1); stoppedEarly = true; break }
                let read = readFile(path, index: index, total: total)
                pipeline.put(read)
                if case .interrupted = read.result.outcome { stoppedEarly = index + 1 < paths.count; break }
            }
            pipeline.finish(stoppedEarly: stoppedEarly)
        }
        // Files read whole before a Ctrl-C are committed: only the file being read is lost.
        while let batch = pipeline.takeReady() {
            for result in commit(batch) { summary.add(result) }
            pipeline.release(batch.count)
        }
        // A Ctrl-C between two files, or before a file's reading began, leaves files unread.
        if pipeline.stoppedEarly { summary.interrupted = true }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    /// Files read and not yet committed, at most `capacity` of them (the reader waits for room).
    final class ReadAhead: @unchecked Sendable {
        private let lock = NSCondition()
        private var ready: [ReadFile] = []
        private var finished = false
        /// The reader stopped (Ctrl-C) with files left unread.
        private(set) var stoppedEarly = false
        private let room: DispatchSemaphore

        init(capacity: Int) { room = DispatchSemaphore(value: capacity) }

        func reserve() { room.wait() }
        func release(_ count: Int) { for _ in 0..<count { room.signal() } }

        func put(_ read: ReadFile) {
            lock.lock(); ready.append(read); lock.signal(); lock.unlock()
        }

        func finish(stoppedEarly: Bool) {
            lock.lock(); finished = true; self.stoppedEarly = stoppedEarly; lock.signal(); lock.unlock()
        }

        /// Every file read so far (waiting for one), or nil once the reader is done and all
        /// were taken.
        func takeReady() -> [ReadFile]? {
            lock.lock(); defer { lock.unlock() }
            while ready.isEmpty && !finished { lock.wait() }
            if ready.isEmpty { return nil }
            defer { ready = [] }
            return ready
        }
    }

    /// The first stage's result: a delta to commit, or already an outcome.
    struct ReadFile: @unchecked Sendable {
        var result: FileImportResult
        var delta: FileDelta?
        var record: IngestedFile?
        var start: Date
    }

    public func importFile(_ path: String, index: Int = 0, total: Int = 1) -> FileImportResult {
        commit(readFile(path, index: index, total: total))
    }

    /// Stage one: everything but the commit.
    func readFile(_ path: String, index: Int, total: Int) -> ReadFile {
        let start = Date()
        let name = Self.recordName(for: path)
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
        var read = ReadFile(result: FileImportResult(path: path, outcome: .imported, stats: FileScanStats(), seconds: 0), start: start)
        observer?.fileStarted(path: path, index: index, total: total, bytes: size)
        do {
            // A file is its name and its bytes: the same again is skipped before it is read; other
            // bytes under a known name (the whole file after a cut one) are read again.
            let digest = try FileDigest.of(path: path)
            if try store.ingestedFile(named: name, digest: digest) != nil {
                read.result.outcome = .alreadyIngested
                return read
            }
            if let earlier = try store.ingestedFile(named: name) {
                // A record from before digests: the same size is taken as the same file.
                if earlier.digest.isEmpty && earlier.size == size {
                    read.result.outcome = .alreadyIngested
                    return read
                }
                read.result.note = "\(path): its content changed since a file of this name was ingested (\(earlier.size) → \(size) bytes); reading it again, its facts join what is there"
            }
            let keep = keepAllProblems ? Int.max : FileScanStats.problemsKept
            let (delta, stats) = try GHArchiveFileReader.read(path: path, keepProblems: keep) { [observer] bytes in
                observer?.fileProgress(bytesRead: bytes)
                if Interruption.requested { throw Interruption.Stop() }
            }
            read.result.stats = stats
            if stats.events == 0 {
                // Never recorded: an empty or broken file must not stand in for the real one.
                read.result.outcome = .rejected(stats.skippedTotal > 0
                    ? "\(path): no GH Archive event in \(stats.lines) lines (first problem: \(stats.problems.first?.detail ?? "?")); is this a GH Archive file?"
                    : "\(path): no event in it (an empty file?); nothing was recorded, so the complete file can be ingested later")
                return read
            }
            read.delta = delta
            read.record = IngestedFile(name: name, size: size, events: stats.events, skippedLines: stats.skippedTotal,
                                       ingestedAt: Int64(Date().timeIntervalSince1970), digest: digest)
        } catch is Interruption.Stop {
            read.result.outcome = .interrupted
        } catch let error as SourceError {
            read.result.outcome = .rejected(error.description)
        } catch {
            read.result.outcome = .rejected("\(path): \(error)")
        }
        return read
    }

    /// Stage two: the files read whole, committed together (`EventStore.commit(batch:)`).
    func commit(_ read: ReadFile) -> FileImportResult { commit([read])[0] }

    func commit(_ reads: [ReadFile]) -> [FileImportResult] {
        var results = reads.map(\.result)
        let toCommit = reads.indices.filter { reads[$0].delta != nil && reads[$0].record != nil }
        let outcomes = toCommit.isEmpty ? [] : store.commit(batch: toCommit.map { (reads[$0].delta!, reads[$0].record!) })
        for (i, outcome) in zip(toCommit, outcomes) {
            switch outcome {
            case .success(true): break
            case .success(false): results[i].outcome = .alreadyIngested
            case .failure(let error): results[i].outcome = .rejected("\(results[i].path): \(error)")
            }
        }
        for i in reads.indices {
            results[i].seconds = Date().timeIntervalSince(reads[i].start)
            observer?.fileFinished(results[i])
        }
        return results
    }

    /// The name a file is recorded under: its base name, so the same hour downloaded to
    /// another folder is still the same hour.
    public static func recordName(for path: String) -> String {
        URL(fileURLWithPath: path).lastPathComponent
    }

}
