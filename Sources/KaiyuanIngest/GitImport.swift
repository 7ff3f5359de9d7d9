import Foundation
import KaiyuanLicences
import KaiyuanCore
import KaiyuanSources
import KaiyuanStore

/// What one history import did.
public struct GitImportSummary: Sendable {
    public var repo: ForgeRepo
    public var source: String
    public var commitsRead = 0
    public var commitsNew = 0
    public var merges = 0
    /// True when only the commits since the last import were read from a clone.
    public var incremental = false
    public var interrupted = false
    public var stats = GitLogStats()
    public var seconds = 0.0
    /// The declared licence at HEAD, and how many times it changed (clones only).
    public var licence: String?
    public var licenceChanges: Int?
    /// Why the licences could not be read, when they could not.
    public var licenceProblem: String?

    public var line: String {
        let rate = seconds > 0 ? String(format: ", %.0f commits/s", Double(commitsRead) / seconds) : ""
        let problems = stats.problemTotal > 0 ? ", \(stats.problemTotal) problem\(stats.problemTotal == 1 ? "" : "s")" : ""
        return "\(repo): \(commitsRead) commits read\(incremental ? " (since the last import)" : ""), \(commitsNew) new, "
            + "\(merges) merges\(problems) in \(String(format: "%.2f", seconds)) s\(rate)"
            + (licenceProblem.map { "; licences not read: \($0)" } ?? "")
            + (licenceChanges.map { n in "; licence \(licence ?? "none declared")\(n > 1 ? " (\(n - 1) change\(n == 2 ? "" : "s") in its history)" : "")" } ?? "")
    }
}

/// Reads git histories into the store, streaming, in batches of commits (each batch one
/// transaction, so Ctrl-C or a crash loses nothing committed and a re-run adds only what is
/// missing: commits are keyed by sha).
public struct GitImporter: Sendable {
    public let store: any GitStore
    public var batchSize: Int

    /// The licence index, to read what each clone declares; nil reads no licences.
    public var licences: LicenceIndex?

    public init(store: any GitStore, batchSize: Int = 50_000) {
        self.store = store
        self.batchSize = batchSize
    }

    /// Imports a clone's history; only the commits since the last import when HEAD still
    /// contains the commit recorded then (after a force-push, the whole history again).
    public func importClone(_ clone: GitRepository, as name: ForgeRepo?, full: Bool = false,
                            progress: ((Int) -> Void)? = nil) throws -> GitImportSummary {
        let repo = name ?? clone.inferredRepo()
        guard let record = try store.gitRepository(repo, create: true) else { throw GitError.notARepository(path: clone.path, detail: "cannot record it") }
        var summary = GitImportSummary(repo: record.repo, source: clone.path)
        let start = Date()
        let head = try clone.head()
        var since: String?
        if !full, let old = record.head, record.commits > 0, clone.isAncestorOfHead(old) {
            since = old
            summary.incremental = true
        }
        if head != nil && head != since {
            do {
                summary.stats = try clone.readLog(since: since) { commit in
                    try self.take(commit, into: record.id, summary: &summary, progress: progress)
                }
            } catch is Interruption.Stop {
                summary.interrupted = true
            }
        }
        try flush(record.id, &summary)
        if !summary.interrupted {
            try store.finishGitImport(repository: record.id, head: head, source: clone.path,
                                      licenceFiles: clone.licenceFiles(), mailmap: clone.mailmap())
            // A licence that cannot be read costs the licence record, never the history.
            do { try readLicences(clone, repo: record.repo, head: head, summary: &summary) }
            catch { summary.licenceProblem = "\(error)" }
        }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    /// What the clone declares at HEAD and how that changed (LicenceHistory), stored when the
    /// store keeps licences and HEAD moved since it was last read.
    func readLicences(_ clone: GitRepository, repo: ForgeRepo, head: String?, summary: inout GitImportSummary) throws {
        guard let licences, let licenceStore = store as? any LicenceRecordStore, let head else { return }
        if let old = try licenceStore.repoLicences(of: repo), old.head == head {
            summary.licence = old.expression
            summary.licenceChanges = old.changes.count
            return
        }
        let record = try LicenceHistory.read(clone: clone, repo: repo, index: licences)
        try licenceStore.setRepoLicences(record)
        summary.licence = record.expression
        summary.licenceChanges = record.changes.count
    }

    /// Imports a saved export (plain or gzip) of the same form.
    /// The history's record is made with its first commit: a file that cannot be opened or
    /// holds no commit leaves no empty history behind.
    public func importLogFile(_ path: String, as repo: ForgeRepo, progress: ((Int) -> Void)? = nil) throws -> GitImportSummary {
        var summary = GitImportSummary(repo: repo, source: path)
        let start = Date()
        let source = try openEventFile(path: path)
        defer { source.close() }
        var reader = GitLogReader(source: source, path: path)
        var recordID: Int64?
        do {
            try reader.forEachCommit { commit in
                if recordID == nil {
                    guard let record = try self.store.gitRepository(repo, create: true) else { throw GitError.notARepository(path: path, detail: "cannot record it") }
                    recordID = record.id
                }
                try self.take(commit, into: recordID!, summary: &summary, progress: progress)
            }
        } catch is Interruption.Stop {
            summary.interrupted = true
        }
        summary.stats = reader.stats
        guard let id = recordID else {
            summary.seconds = Date().timeIntervalSince(start)
            return summary
        }
        try flush(id, &summary)
        if !summary.interrupted {
            let licence = reader.stats.licenceFiles.isEmpty ? nil : reader.stats.licenceFiles.sorted()
            try store.finishGitImport(repository: id, head: nil, source: path, licenceFiles: licence, mailmap: nil)
        }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    // The batch in hand, kept outside the closures' captures.
    private final class Batch: @unchecked Sendable { var commits: [GitCommitRecord] = [] }
    private let batch = Batch()

    private func take(_ commit: GitCommitRecord, into id: Int64, summary: inout GitImportSummary,
                      progress: ((Int) -> Void)?) throws {
        batch.commits.append(commit)
        summary.commitsRead += 1
        if commit.isMerge { summary.merges += 1 }
        if batch.commits.count >= batchSize {
            try flush(id, &summary)
            progress?(summary.commitsRead)
            if Interruption.requested { throw Interruption.Stop() }
        }
    }

    private func flush(_ id: Int64, _ summary: inout GitImportSummary) throws {
        guard !batch.commits.isEmpty else { return }
        summary.commitsNew += try store.addCommits(batch.commits, repository: id)
        batch.commits.removeAll(keepingCapacity: true)
    }
}
