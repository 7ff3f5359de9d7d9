import Foundation
import KaiyuanCore
import KaiyuanSources

/// What a clone declares at HEAD (its top-level licence files and manifests) and how that
/// changed: the history of its top-level licence files, each version detected, the changes
/// kept. Relicensing shows as a change from one expression to another.
public enum LicenceHistory {
    /// At most this many commits that touched licence files are read (the newest kept).
    public static let commitLimit = 500

    public static func read(clone: GitRepository, repo: ForgeRepo, index: LicenceIndex, now: Int64 = Int64(Date().timeIntervalSince1970)) throws -> RepoLicenceRecord {
        let matcher = LicenceMatcher(index: index)
        let scanner = LicenceScanner(index: index)
        let blobs = try GitBlobReader(clone)
        let head = try clone.head() ?? ""
        // HEAD: the top-level licence files and manifests.
        let tree = try clone.headTree().filter { !$0.path.contains("/") && !$0.isSymlink && !$0.isSubmodule }
        var fromManifests: [String] = [], fromFiles: [String] = []
        for entry in tree where GitLogReader.isLicenceFileName(entry.path) || ManifestLicence.isManifest(entry.path) {
            if let size = entry.size, size > scanner.maxFileBytes { continue }
            guard let bytes = try blobs.read(entry.object), case let .scanned(text, _, _) = scanner.scanBytes(bytes, name: entry.path) else { continue }
            let strong = text.matches.filter { $0.confidence == .high }
            for m in strong.isEmpty ? text.matches : strong {
                if m.method == .manifest { if !fromManifests.contains(m.id) { fromManifests.append(m.id) } }
                else if !fromFiles.contains(m.id) { fromFiles.append(m.id) }
            }
        }
        let expression = LicenceExpression.all(LicenceScanner.declared(manifests: fromManifests, licenceFiles: fromFiles))
        // The history: each commit that touched a top-level licence file, its licence files read.
        var changes: [LicenceChange] = []
        var previous: String?
        for (commit, time) in try clone.commitsTouchingTopLevelLicenceFiles(limit: commitLimit) {
            var ids: [String] = []
            for entry in try clone.tree(at: commit) where !entry.path.contains("/") && GitLogReader.isLicenceFileName(entry.path) && !entry.isSymlink {
                if let size = entry.size, size > scanner.maxFileBytes { continue }
                guard let bytes = try blobs.read(entry.object), !FileText.isBinary(bytes) else { continue }
                let found = FileText.decode(bytes).0.withUnsafeBufferPointer { matcher.scan($0) }
                let strong = found.matches.filter { $0.confidence == .high }
                for m in strong.isEmpty ? found.matches : strong where !ids.contains(m.id) { ids.append(m.id) }
            }
            let now = LicenceExpression.all(ids)
            if now != previous { changes.append(LicenceChange(commit: commit, time: time, from: previous, to: now)) }
            previous = now
        }
        return RepoLicenceRecord(repo: repo, expression: expression,
                                 licences: Array(Set((expression.map(LicenceExpression.atoms) ?? []))).sorted(),
                                 head: head, readAt: now, changes: changes)
    }
}
