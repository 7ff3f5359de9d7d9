import Foundation
import KaiyuanCore
import KaiyuanLicences
import KaiyuanPeople

/// The licences of a set of repositories (a label's, or every one in the store): how many
/// declare each licence and each kind, and the relicensings in their histories. Built from
/// what `ingest git` read from the clones; a repository without a record is left out, never
/// counted as unlicensed.
public struct LicenceLandscape: Sendable {
    public struct Relicensing: Sendable {
        public var repo: ForgeRepo
        public var change: LicenceChange
    }

    /// Repositories with a licence record.
    public var repos = 0
    /// Those that declare no licence at HEAD.
    public var undeclared = 0
    /// Per licence id (an atom of the declared expressions): how many repositories declare it.
    public var byLicence: [(id: String, repos: Int)] = []
    /// Per kind (permissive, weak copyleft, …; nil: a licence kaiyuan's index lacks).
    public var byCategory: [(category: LicenceCategory?, repos: Int)] = []
    /// Changes from one declared licence to another (not the first licence added), newest first.
    public var relicensings: [Relicensing] = []

    public init(records: [RepoLicenceRecord], index: LicenceIndex?, covers: (ForgeRepo) -> Bool = { _ in true }) {
        var perLicence: [String: Int] = [:]
        var perCategory: [String: (LicenceCategory?, Int)] = [:]
        for r in records where covers(r.repo) {
            repos += 1
            guard r.expression != nil, !r.licences.isEmpty else { undeclared += 1; continue }
            for id in r.licences { perLicence[id, default: 0] += 1 }
            let categories = Set(r.licences.map { id in index.flatMap { LicenceTraits(id: id, index: $0).category } })
            for c in categories { perCategory[c?.rawValue ?? "", default: (c, 0)].1 += 1 }
            for ch in r.changes where ch.from != nil { relicensings.append(Relicensing(repo: r.repo, change: ch)) }
        }
        byLicence = perLicence.map { ($0.key, $0.value) }.sorted { $0.repos != $1.repos ? $0.repos > $1.repos : $0.id < $1.id }
        byCategory = perCategory.values.map { ($0.0, $0.1) }.sorted { a, b in
            a.repos != b.repos ? a.repos > b.repos : (a.category?.rawValue ?? "~") < (b.category?.rawValue ?? "~")
        }
        relicensings.sort { ($0.change.time, $0.repo.description) > ($1.change.time, $1.repo.description) }
    }

    /// A one-paragraph reading of the numbers, for reports.
    public var reading: String {
        guard repos > 0 else { return "No licences read yet: `kaiyuan ingest git` on the clones reads what each declares." }
        let top = byLicence.prefix(3).map { "\($0.id) (\($0.repos))" }.joined(separator: ", ")
        var s = "\(repos) repositor\(repos == 1 ? "y" : "ies") read from clones: \(repos - undeclared) declare a licence"
        if !top.isEmpty { s += ", most often \(top)" }
        s += "; \(undeclared) declare none."
        if !relicensings.isEmpty { s += " \(relicensings.count) changed licence in their history, most recently \(relicensings[0].repo) (\(relicensings[0].change.from ?? "none") → \(relicensings[0].change.to ?? "none"))." }
        return s
    }
}

extension LicenceLandscape {
    /// Labels of one type by how many of their repositories declare `licence` (an SPDX id, any
    /// case), with how many have a licence record at all; labels with none left out.
    public static func rankLabels(records: [RepoLicenceRecord], labels: LabelIndex, type: String, licence: String, top: Int)
        -> [(label: LabelDefinition, declaring: Int, read: Int)] {
        let wanted = licence.lowercased()
        var rows: [(label: LabelDefinition, declaring: Int, read: Int)] = []
        for label in labels.labels(ofType: type) {
            let coverage = labels.coverage(of: label.id)
            let covered = records.filter { coverage.contains($0.repo) }
            let declaring = covered.filter { $0.licences.contains { $0.lowercased() == wanted } }.count
            if declaring > 0 { rows.append((label, declaring, covered.count)) }
        }
        return Array(rows.sorted { $0.declaring != $1.declaring ? $0.declaring > $1.declaring : $0.label.id < $1.label.id }.prefix(top))
    }
}
