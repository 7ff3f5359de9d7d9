import Foundation
import KaiyuanCore
import KaiyuanStore

/// Moves everything one store holds into another (a laptop's SQLite file to a ClickHouse
/// cluster): facts in chunks of whole repositories, each committed under a ledger name of
/// its own (`kaiyuan-copy:FROM:facts:K`), so an interrupted copy resumes where it stopped and
/// a finished one, run again, changes nothing. Then the source's ledger (so re-ingesting an
/// original file stays a no-op), git histories, labels and domains, hub snapshots, and stored OpenRank, which
/// is written last, against the target's data versions, so it counts as current there.
public struct StoreCopier {
    public let from: any DataStore
    public let to: any DataStore
    /// Facts per chunk (whole repositories; a chunk can be larger by one repository).
    public var chunkFacts = 500_000

    public init(from: any DataStore, to: any DataStore) { self.from = from; self.to = to }

    public struct Progress: Sendable {
        public var stage: String
        public var done: Int
        public var total: Int
    }

    public struct Outcome: Sendable, Equatable {
        public var chunksCopied = 0
        public var chunksAlreadyThere = 0
        public var repositories = 0
        public var gitHistories = 0
        public var commitsAdded = 0
        public var openRankMonths = 0
        public var hubSnapshots = 0
        public var forgeRecords = 0
        public var licenceRecords = 0
    }

    public func run(progress: (Progress) throws -> Void = { _ in }) throws -> Outcome {
        var outcome = Outcome()
        let total = try from.summary().repositories
        let prefix = "kaiyuan-copy:\(from.location):facts:"

        // Names and exclusions are keyed by repository or account: gather them per chunk.
        var repoNames: [Int64: [NameSighting]] = [:]
        try from.forEachNameSighting(.repo) { repoNames[$0.id, default: []].append($0) }
        let exclusions = Dictionary(grouping: try from.openRankExclusions(), by: \.repo)

        var delta = FileDelta()
        var chunk = 0
        var done = 0
        func flush() throws {
            guard !delta.facts.isEmpty || !delta.pullRequestLines.isEmpty || !delta.repoNames.isEmpty || !delta.actorLogins.isEmpty else { return }
            let name = prefix + String(chunk)
            chunk += 1
            if try to.ingestedFile(named: name) != nil {
                outcome.chunksAlreadyThere += 1
            } else {
                delta.finish()
                try to.commit(delta, file: IngestedFile(name: name, size: 0, events: 0, skippedLines: 0, ingestedAt: Int64(Date().timeIntervalSince1970)))
                outcome.chunksCopied += 1
            }
            delta = FileDelta()
        }
        var seenRepos = Set<Int64>()
        try from.forEachRepository(months: nil) { facts in
            let repo = facts.repo.id
            seenRepos.insert(repo)
            for (kind, rows) in facts.byKind {
                for r in rows { delta.facts.append(Fact(repo: repo, kind: kind, month: r.month, object: r.object, actor: r.actor)) }
            }
            delta.pullRequestLines += facts.pullRequestLines
            delta.itemEvents += facts.itemEvents
            for s in repoNames[repo] ?? [] { delta.repoNames.record(s) }
            for k in exclusions[repo] ?? [] { delta.openRankExclusions.insert(k) }
            done += 1
            try progress(Progress(stage: "facts", done: done, total: total))
            if delta.facts.count >= chunkFacts { try flush() }
        }
        try flush()
        outcome.repositories = done

        // Accounts, and names of repositories without facts, in one last chunk of names.
        try from.forEachNameSighting(.developer) { delta.actorLogins.record($0) }
        for (id, sightings) in repoNames where !seenRepos.contains(id) { for s in sightings { delta.repoNames.record(s) } }
        try flush()

        // The source's own ledger, so that ingesting one of its files again is a no-op here too.
        for file in try from.ingestedFiles() where !file.name.hasPrefix("kaiyuan-copy:") {
            if try to.ingestedFile(named: file.name, digest: file.digest) == nil { try to.commit(FileDelta(), file: file) }
        }

        let histories = try from.gitRepositories()
        for (i, record) in histories.enumerated() {
            try progress(Progress(stage: "git", done: i, total: histories.count))
            guard let target = try to.gitRepository(record.repo, create: true) else { continue }
            var batch: [GitCommitRecord] = []
            try from.forEachGitCommit(repository: record.id) { commit in
                batch.append(commit)
                if batch.count == 50_000 { outcome.commitsAdded += try to.addCommits(batch, repository: target.id); batch.removeAll(keepingCapacity: true) }
            }
            if !batch.isEmpty { outcome.commitsAdded += try to.addCommits(batch, repository: target.id) }
            try to.finishGitImport(repository: target.id, head: record.head, source: record.source ?? from.location,
                                   licenceFiles: record.licenceFiles, mailmap: record.mailmap)
            outcome.gitHistories += 1
        }

        let labels = try from.labels()
        if !labels.isEmpty { try to.replaceLabels(labels) }
        for d in try from.organisationDomains() {
            try to.setOrganisationDomain(d.domain, organisation: d.organisation, label: d.label, country: d.country)
        }

        // Hub snapshots, one date at a time: each replaces that date whole for its authors.
        var hubDates: [Day: [HubModel]] = [:]
        try from.forEachHubModel { day, model in hubDates[day, default: []].append(model) }
        let coverage = try from.hubCoverage()
        for day in Set(hubDates.keys).union(coverage.keys).sorted() {
            let models = hubDates[day] ?? [], covered = coverage[day] ?? HubCoverage()
            try to.replaceHubSnapshot(HubSnapshot(date: day, authors: covered.listed.union(models.map(\.author)), models: models,
                                                  source: "copy of \(from.location)", derivativesOf: covered.derivativesOf))
            outcome.hubSnapshots += 1
        }
        for (org, label) in try from.hubOrganisations().sorted(by: { $0.key < $1.key }) { try to.setHubOrganisation(org, label: label) }

        // Forge API records and the licences read from clones: the latest per repository.
        for r in try from.forgeRepositories() { try to.setForgeRepository(r); outcome.forgeRecords += 1 }
        for r in try from.repoLicences() { try to.setRepoLicences(r); outcome.licenceRecords += 1 }

        for scope in try from.openRankScopes() {
            let versions = try to.dataVersions(platforms: scope)
            let runs = try from.openRankRuns(scope: scope)
            guard let first = runs.keys.min(), let last = runs.keys.max() else { continue }
            let repos = try from.openRank(.repo, months: first...last, scope: scope)
            let devs = try from.openRank(.developer, months: first...last, scope: scope)
            for (n, (month, run)) in runs.sorted(by: { $0.key < $1.key }).enumerated() {
                try progress(Progress(stage: "openrank \(scope)", done: n, total: runs.count))
                var record = run
                record.dataVersion = versions[month] ?? 0
                try to.replaceOpenRank(record, scope: scope, repos: repos.compactMapValues { $0[month] }, developers: devs.compactMapValues { $0[month] })
                outcome.openRankMonths += 1
            }
        }
        return outcome
    }
}
