import KaiyuanLicences
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanPeople
import KaiyuanStore

/// What the ecosystem report shows (`kaiyuan report`, `kaiyuan serve`), gathered in one pass
/// over the store: an overview with monthly trends, top projects and developers, companies
/// and regions, newcomers and departures, and one page per top project.
public struct EcosystemReport: Sendable {
    public struct Project: Sendable {
        public var repo: RepoRef
        public var openrank: Double
        public var activity: Double
        public var stars: Double
        public var participants: Double
        /// One value per month of the period.
        public var monthlyOpenRank: [Double]
        public var monthlyActivity: [Double]
    }

    public struct Developer: Sendable {
        public var login: String
        public var openrank: Double
        public var activity: Double
        public var monthlyActivity: [Double]
    }

    public struct LabelRow: Sendable {
        public var id: String
        public var name: String
        public var openrank: Double
        public var activity: Double
        public var repos: Int
    }

    public struct ProjectPage: Sendable {
        public var project: Project
        public var monthlyStars: [Double]
        public var monthlyContributors: [Double]
        public var monthlyParticipants: [Double]
        public var busFactor: Double
        public var busFactorDetail: [DetailEntry]
        public var issueResponse: DurationStats?
        public var changeRequestResponse: DurationStats?
        public var newContributors: Double
        public var inactiveContributors: Double
        /// From the repository's git history, when one was ingested.
        public var git: ProjectHealth?
    }

    public var period: Period
    /// The label the report is limited to, if any.
    public var scope: LabelDefinition?
    public var months: [Month]
    public var eventsIngested: Int
    public var activeRepos: Int
    public var activeDevelopers: Int
    public var totalActivity: Double
    public var totalStars: Double
    public var monthlyActiveRepos: [Double]
    public var monthlyActiveDevelopers: [Double]
    public var monthlyActivity: [Double]
    public var monthlyNewContributors: [Double]
    public var monthlyInactiveContributors: [Double]
    public var topByOpenRank: [EcosystemReport.Project]
    public var topByActivity: [EcosystemReport.Project]
    public var topDevelopersByOpenRank: [Developer]
    public var topDevelopersByActivity: [Developer]
    public var companies: [EcosystemReport.LabelRow]
    public var regions: [EcosystemReport.LabelRow]
    public var projects: [ProjectPage]
    /// The labs on the model hub; nil when the store has no snapshot in the period.
    public var ai: AIOpenSource?
    /// Projects copied between forges (GitHub ↔ Gitee…), in the report's scope.
    public var mirrors: MirrorBurden?
    /// The licences the repositories in scope declare, and their relicensing (clones read at ingest).
    public var licences: LicenceLandscape?
}

public struct EcosystemReportBuilder: Sendable {
    public let engine: MetricsEngine
    public let context: PeopleContext
    public let git: GitMetricsEngine?
    /// The model hub's snapshots, for the "AI open source" section.
    public let hub: HubCatalog?
    /// The store's mirror pairs and the repositories it knows, for the "Mirrors" section.
    public let mirrors: (pairs: [MirrorPair], repositories: Set<ForgeRepo>)?
    /// The licences read from clones, for the "Licences" section.
    public var licences: (records: [RepoLicenceRecord], index: LicenceIndex?)?

    public init(engine: MetricsEngine, context: PeopleContext, git: GitMetricsEngine?, hub: HubCatalog? = nil,
                mirrors: (pairs: [MirrorPair], repositories: Set<ForgeRepo>)? = nil) {
        self.engine = engine
        self.context = context
        self.git = git
        self.hub = hub
        self.mirrors = mirrors
    }

    static let passMetrics: Set<RepoMetric> = [.openrank, .activity, .stars, .participants, .newContributors, .inactiveContributors]

    public func build(period: Period, label: String? = nil, top: Int = 100, pages: Int = 20) throws -> EcosystemReport {
        let months = Self.months(of: period)
        let monthIndex = Dictionary(uniqueKeysWithValues: months.enumerated().map { ($0.element, $0.offset) })
        let coverage = label.map { context.labels.coverage(of: $0) }
        let scope = label.flatMap { context.labels.label($0) }
        func monthly(_ s: MetricSeries?) -> [Double] { Self.monthly(s, monthIndex) }
        let developers = DeveloperActivity()
        var projects: [EcosystemReport.Project] = []
        var activeRepos = [Double](repeating: 0, count: months.count)
        var newContributors = [Double](repeating: 0, count: months.count)
        var inactive = [Double](repeating: 0, count: months.count)
        var labelTally = LabelTally(labels: context.labels, types: ["Company", "Division-0"])
        try engine.forEachRepository(kinds: Self.kinds(period), months: period.firstMonth...period.lastMonth,
                                     only: Self.passMetrics, developers: coverage == nil ? developers : nil) { m in
            if let coverage, !coverage.contains(ForgeRepo(platform: .github, name: m.repo.name), githubID: m.repo.id) { return }
            let activity = m.value(.activity, period), openrank = m.value(.openrank, period)
            let monthlyActivity = monthly(m.scalars[.activity])
            for (i, v) in monthlyActivity.enumerated() where v > 0 { activeRepos[i] += 1 }
            for (i, v) in monthly(m.scalars[.newContributors]).enumerated() { newContributors[i] += v }
            for (i, v) in monthly(m.scalars[.inactiveContributors]).enumerated() { inactive[i] += v }
            guard activity > 0 || openrank > 0 || m.value(.stars, period) > 0 else { return }
            projects.append(EcosystemReport.Project(repo: m.repo, openrank: openrank, activity: activity, stars: m.value(.stars, period),
                                    participants: m.value(.participants, period), monthlyOpenRank: monthly(m.scalars[.openrank]),
                                    monthlyActivity: monthlyActivity))
            labelTally.add([openrank, activity], repo: ForgeRepo(platform: .github, name: m.repo.name), githubID: m.repo.id)
        }
        if let coverage {
            // Developers' activity in the repositories in scope only: one more ordered pass.
            try engine.store.forEachRepository(months: period.firstMonth...period.lastMonth) { facts in
                if coverage.contains(ForgeRepo(platform: .github, name: facts.repo.name), githubID: facts.repo.id) { developers.add(facts) }
            }
        }
        var devRows: [(id: Int64, activity: Double, monthly: [Double])] = []
        var activeDevs = [Double](repeating: 0, count: months.count)
        for id in developers.developers {
            let byMonth = developers.monthlyActivity(id)
            var row = [Double](repeating: 0, count: months.count)
            for (m, v) in byMonth { if let i = monthIndex[m] { row[i] = v; if v > 0 { activeDevs[i] += 1 } } }
            let total = row.reduce(0, +)
            if total > 0 { devRows.append((id, total, row)) }
        }
        let devOpenRank = try engine.store.openRank(.developer, months: period.firstMonth...period.lastMonth)
            .mapValues { $0.values.reduce(0, +) }
        // Rankings of developers are of people: bots left out unless the engine keeps them.
        let bots = try engine.bots()
        devRows.removeAll { bots.contains($0.id) }
        let activeIDs = Set(devRows.map(\.id))
        let byActivity = devRows.sorted { $0.activity != $1.activity ? $0.activity > $1.activity : $0.id < $1.id }.prefix(top)
        let byOpenRank = devOpenRank.filter { !bots.contains($0.key) && (coverage == nil || activeIDs.contains($0.key)) }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(top)
        let rowsByID = Dictionary(uniqueKeysWithValues: devRows.map { ($0.id, $0) })
        let logins = try engine.store.logins(for: Set(byActivity.map(\.id)).union(byOpenRank.map(\.key)))
        func developer(_ id: Int64) -> EcosystemReport.Developer {
            EcosystemReport.Developer(login: logins[id] ?? "#\(id)", openrank: devOpenRank[id] ?? 0, activity: rowsByID[id]?.activity ?? 0,
                      monthlyActivity: rowsByID[id]?.monthly ?? [Double](repeating: 0, count: months.count))
        }

        func ranked(_ key: (EcosystemReport.Project) -> Double) -> [EcosystemReport.Project] {
            projects.filter { key($0) > 0 }.sorted { key($0) != key($1) ? key($0) > key($1) : $0.repo.name < $1.repo.name }.prefix(top).map { $0 }
        }
        let topOpenRank = ranked(\.openrank), topActivity = ranked(\.activity)
        func labelRows(_ type: String) -> [EcosystemReport.LabelRow] {
            labelTally.totals.compactMap { id, t -> EcosystemReport.LabelRow? in
                guard let l = context.labels.label(id), l.type == type else { return nil }
                return EcosystemReport.LabelRow(id: id, name: l.name + (l.nameZh.map { " \($0)" } ?? ""), openrank: t.values[0], activity: t.values[1], repos: t.repos)
            }.sorted { $0.openrank != $1.openrank ? $0.openrank > $1.openrank : $0.activity > $1.activity }.prefix(top).map { $0 }
        }

        // Project pages: the top projects by OpenRank, then by activity, up to `pages`.
        var pageRepos: [EcosystemReport.Project] = []
        for p in topOpenRank + topActivity where !pageRepos.contains(where: { $0.repo.id == p.repo.id }) && pageRepos.count < pages {
            pageRepos.append(p)
        }
        let pagesOut = try pageRepos.map { try projectPage($0, period: period, months: months) }

        return EcosystemReport(
            period: period, scope: scope, months: months, eventsIngested: try engine.store.ingestedEvents(),
            activeRepos: projects.filter { $0.activity > 0 }.count, activeDevelopers: devRows.count,
            totalActivity: projects.reduce(0) { $0 + $1.activity }, totalStars: projects.reduce(0) { $0 + $1.stars },
            monthlyActiveRepos: activeRepos, monthlyActiveDevelopers: activeDevs,
            monthlyActivity: (0..<months.count).map { i in projects.reduce(0) { $0 + $1.monthlyActivity[i] } },
            monthlyNewContributors: newContributors, monthlyInactiveContributors: inactive,
            topByOpenRank: topOpenRank, topByActivity: topActivity,
            topDevelopersByOpenRank: byOpenRank.map { developer($0.key) }, topDevelopersByActivity: byActivity.map { developer($0.id) },
            companies: labelRows("Company"), regions: labelRows("Division-0"), projects: pagesOut,
            ai: hub.flatMap { hub in
                let github = labelTally.totals.mapValues { (openrank: $0.values[0], activity: $0.values[1]) }
                return AIOpenSource.build(hub, labels: context.labels, period: period, scope: label, github: github)
            },
            mirrors: mirrors.map { m in MirrorBurden.of(m.pairs, repositories: m.repositories, covers: coverage.map { c in { c.contains($0) } }) },
            licences: licences.map { l in LicenceLandscape(records: l.records, index: l.index, covers: { repo in coverage.map { $0.contains(repo) } ?? true }) })
    }

    /// Months (for the charts) and the period's own bucket, each once: a month period must not
    /// be bucketed twice.
    static func kinds(_ period: Period) -> [PeriodKind] { period.kind == .month ? [.month] : [.month, period.kind] }

    public static func months(of period: Period) -> [Month] {
        (0...(period.lastMonth - period.firstMonth)).map { period.firstMonth + $0 }
    }

    static func monthly(_ s: MetricSeries?, _ index: [Month: Int]) -> [Double] {
        var out = [Double](repeating: 0, count: index.count)
        for (p, v) in s ?? [:] where p.kind == .month { if let i = index[p.firstMonth] { out[i] = v } }
        return out
    }

    /// One project's page: its own facts and git history only.
    public func projectPage(_ repo: RepoRef, period: Period) throws -> EcosystemReport.ProjectPage {
        let months = Self.months(of: period)
        let m = try engine.metrics(for: repo, kinds: Self.kinds(period), only: Set(RepoMetric.allCases))
        let index = Dictionary(uniqueKeysWithValues: months.enumerated().map { ($0.element, $0.offset) })
        let project = EcosystemReport.Project(repo: repo, openrank: m.value(.openrank, period), activity: m.value(.activity, period),
                                              stars: m.value(.stars, period), participants: m.value(.participants, period),
                                              monthlyOpenRank: Self.monthly(m.scalars[.openrank], index),
                                              monthlyActivity: Self.monthly(m.scalars[.activity], index))
        return try projectPage(project, period: period, months: months, metrics: m)
    }

    func projectPage(_ p: EcosystemReport.Project, period: Period, months: [Month], metrics: RepoMetrics? = nil) throws -> EcosystemReport.ProjectPage {
        let index = Dictionary(uniqueKeysWithValues: months.enumerated().map { ($0.element, $0.offset) })
        let m = try metrics ?? engine.metrics(for: p.repo, kinds: Self.kinds(period))
        var health: ProjectHealth?
        if let git, let record = try git.repository(ForgeRepo(platform: .github, name: p.repo.name)), record.commits > 0 {
            health = ProjectHealth(try git.analysis(of: record, kinds: ProjectHealth.periodKinds), asOf: (period.lastMonth + 1).startUnixTime - 1)
        }
        return EcosystemReport.ProjectPage(
            project: p, monthlyStars: Self.monthly(m.scalars[.stars], index), monthlyContributors: Self.monthly(m.scalars[.contributors], index),
            monthlyParticipants: Self.monthly(m.scalars[.participants], index), busFactor: m.value(.busFactor, period),
            busFactorDetail: m.details[.busFactorDetail]?[period] ?? [],
            issueResponse: m.durations[.issueResponseTime]?[period], changeRequestResponse: m.durations[.changeRequestResponseTime]?[period],
            newContributors: m.value(.newContributors, period), inactiveContributors: m.value(.inactiveContributors, period), git: health)
    }
}
