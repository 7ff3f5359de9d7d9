import KaiyuanCore
import KaiyuanPeople
import KaiyuanStore

/// What placing people needs: the labels, the domain map and who the bots are.
public struct PeopleContext: Sendable {
    public var labels: LabelIndex
    public var affiliator: Affiliator
    public var bots: BotRules

    public init(labels: [LabelDefinition], domains: [String: Organisation] = [:]) {
        let index = LabelIndex(labels)
        self.labels = index
        affiliator = Affiliator(labels: index, domains: OrganisationDomains(extra: domains))
        var botLogins: Set<String> = []
        for l in labels where l.type == "Bot" {
            for m in l.members where m.platform == .github && m.kind == .user { botLogins.insert(m.name) }
        }
        bots = BotRules(labelledLogins: botLogins)
    }

    /// The labels and the user's domains kept in a store.
    public static func load(from store: any LabelStore) throws -> PeopleContext {
        var domains: [String: Organisation] = [:]
        for d in try store.organisationDomains() {
            domains[d.domain] = Organisation(name: d.organisation, label: d.label, country: d.country)
        }
        // Hub organisations join the labels as members, so a label's Hub adoption is summed
        // the way its repositories are.
        let hubOrgs = try (store as? any HubStore)?.hubOrganisations() ?? [:]
        return PeopleContext(labels: HubLabs.augment(try store.labels(), user: hubOrgs), domains: domains)
    }
}

/// A history with its people placed and its metrics computed.
public struct GitAnalysis: Sendable {
    public var history: GitHistory
    public var people: GitPeople
    public var metrics: GitRepoMetrics

    public init(history: GitHistory, context: PeopleContext, kinds: [PeriodKind] = PeriodKind.allCases) {
        self.history = history
        people = GitPeople(history: history, affiliator: context.affiliator, bots: context.bots)
        metrics = GitMetricsCalculator.compute(history, people: people, kinds: kinds)
    }
}

/// Git metrics from the store: one repository, every repository, or a label's repositories.
public struct GitMetricsEngine: Sendable {
    public let store: any GitStore
    public let context: PeopleContext

    public init(store: any GitStore & LabelStore) throws {
        self.store = store
        context = try PeopleContext.load(from: store)
    }

    public init(store: any GitStore, context: PeopleContext) {
        self.store = store
        self.context = context
    }

    public func repository(_ repo: ForgeRepo) throws -> GitRepoRecord? {
        try store.gitRepository(repo, create: false)
    }

    public func analysis(of record: GitRepoRecord, kinds: [PeriodKind] = PeriodKind.allCases) throws -> GitAnalysis {
        GitAnalysis(history: try store.gitHistory(repository: record.id), context: context, kinds: kinds)
    }

    public func forEachRepository(kinds: [PeriodKind] = PeriodKind.allCases, _ body: (GitRepoRecord, GitAnalysis) throws -> Void) throws {
        for record in try store.gitRepositories() where record.commits > 0 {
            try body(record, try analysis(of: record, kinds: kinds))
        }
    }

    /// The git repositories a label covers (its children's included), as one history: a
    /// commit found in two of them counts once.
    public func labelAnalysis(_ label: String, kinds: [PeriodKind] = PeriodKind.allCases) throws -> GitAnalysis? {
        let coverage = context.labels.coverage(of: label)
        var merged: GitHistory?
        for record in try store.gitRepositories() where record.commits > 0 && coverage.contains(record.repo) {
            let h = try store.gitHistory(repository: record.id)
            if merged == nil { merged = h } else { merged!.merge(h) }
        }
        return merged.map { GitAnalysis(history: $0, context: context, kinds: kinds) }
    }

    /// Repositories ranked by a git metric in one period. A mirror (`mirrors`: mirror →
    /// upstream, from `MirrorFinder`) is left out: its commits are its upstream's.
    public func rank(by metric: GitMetric, period: Period, top: Int, mirrors: [ForgeRepo: ForgeRepo] = [:]) throws -> [(repo: ForgeRepo, value: Double)] {
        var all: [(repo: ForgeRepo, value: Double)] = []
        try forEachRepository(kinds: [period.kind]) { record, a in
            guard mirrors[record.repo] == nil else { return }
            let v = a.metrics.value(metric, period)
            if v != 0 { all.append((record.repo, v)) }
        }
        all.sort { $0.value != $1.value ? $0.value > $1.value : $0.repo < $1.repo }
        return Array(all.prefix(top))
    }
}
