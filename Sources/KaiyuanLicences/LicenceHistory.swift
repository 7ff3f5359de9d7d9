import Foundation
import KaiyuanCore
import KaiyuanSources

/// What a clone declares at HEAD (its top-level licence files and manifests) and how that
/// changed: the history of its top-level licence files and manifests, each version read, the
/// changes kept. Relicensing shows as a change from one expression to another.
public enum LicenceHistory {
    /// At most this many commits that touched licence files are read (the newest kept).
    public static let commitLimit = 500

    public static func read(clone: GitRepository, repo: ForgeRepo, index: LicenceIndex, now: Int64 = Int64(Date().timeIntervalSince1970)) throws -> RepoLicenceRecord {
        let scanner = LicenceScanner(index: index)
        let blobs = try GitBlobReader(clone)
        let head = try clone.head() ?? ""
        // What a tree declares: its top-level licence files and manifests, as at HEAD.
        func declared(_ tree: [GitTreeEntry]) throws -> String? {
            var fromManifests: [String] = [], fromFiles: [String] = []
            for entry in tree where !entry.path.contains("/") && !entry.isSymlink && !entry.isSubmodule
                && (GitLogReader.isLicenceFileName(entry.path) || ManifestLicence.isManifest(entry.path)) {
                if let size = entry.size, size > scanner.maxFileBytes { continue }
                guard let bytes = try blobs.read(entry.object), case let .scanned(text, _, _) = scanner.scanBytes(bytes, name: entry.path) else { continue }
                let strong = text.matches.filter { $0.confidence == .high }
                for m in strong.isEmpty ? text.matches : strong {
                    if m.method == .manifest { if !fromManifests.contains(m.id) { fromManifests.append(m.id) } }
                    else if !fromFiles.contains(m.id) { fromFiles.append(m.id) }
                }
            }
            return LicenceExpression.all(LicenceScanner.declared(manifests: fromManifests, licenceFiles: fromFiles))
        }
        let expression = try declared(clone.headTree())
        // The history: each commit that touched a top-level licence file or manifest, read the
        // same way, so that relicensing in a manifest shows, and the last change is what HEAD
        // declares.
        var changes: [LicenceChange] = []
        var previous: String?
        for (commit, time) in try clone.commitsTouchingTopLevelLicenceFiles(limit: commitLimit, alsoManifests: ManifestLicence.manifestNames + ["*.nuspec"]) {
            let now = try declared(clone.tree(at: commit))
            if now != previous { changes.append(LicenceChange(commit: commit, time: time, from: previous, to: now)) }
            previous = now
        }
        return RepoLicenceRecord(repo: repo, expression: expression,
                                 licences: Array(Set((expression.map(LicenceExpression.atoms) ?? []))).sorted(),
                                 head: head, readAt: now, changes: changes)
    }
}
