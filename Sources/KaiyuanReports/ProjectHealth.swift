import Foundation
import KaiyuanLicences
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanPeople

/// The one-screen answer to "who builds this project, for whom, from where, and is it alive?",
/// from its git history alone.
public struct ProjectHealth: Sendable {
    public struct Person: Sendable {
        public var name: String
        public var emails: [String]
        public var githubLogins: [String]
        /// Every forge account (`github:login`, `gitee:login`).
        public var accounts: [String]
        public var commits: Int
        public var share: Double
        public var linesAdded: Int64
        public var linesDeleted: Int64
        public var first: Int64
        public var last: Int64
        public var affiliation: Evidence?
        public var region: Evidence?
        public var isBot: Bool
        /// How many distinct name+email pairs were merged into this person.
        public var mergedFrom: Int
        public var evidence: [String]
    }

    public struct Share: Sendable {
        public var key: String
        public var label: String?
        public var commits: Int
        public var share: Double
        public var people: Int
        /// The kinds of evidence behind it ("label", "email domain", "UTC offset").
        public var evidence: [String]
        public var confidence: Confidence?
    }

    public enum Verdict: String, Sendable {
        case alive, slowing, dormant, abandoned, empty
    }

    public var repos: [ForgeRepo]
    public var asOf: Int64
    /// "mirror of X, N days behind" or "mirrored to Y", when a store knows the pair.
    public var mirrors: [String] = []
    public var commits = 0
    public var mergeCommits = 0
    public var linesAdded: Int64 = 0
    public var linesDeleted: Int64 = 0
    public var authors = 0
    public var bots = 0
    public var firstCommit: Int64?
    public var lastCommit: Int64?
    /// Non-merge commits per month over the last 24 months up to `asOf`, oldest first.
    public var recentMonths: [(month: Month, commits: Int)] = []
    public var commitsPerYear: [(year: Int, commits: Int, authors: Int)] = []
    public var last12Commits = 0
    public var previous12Commits = 0
    public var last12Authors = 0
    public var newAuthors: [String] = []
    public var departedAuthors: [String] = []
    public var corePeople: [Person] = []
    public var busFactor: Int?
    public var busFactorLast12: Int?
    public var organisations: [Share] = []
    public var regions: [Share] = []
    public var timezones: [Share] = []
    public var licenceFiles: [String] = []
    /// What the tree's text says (a clone; nil for a `git log` export, which has no tree).
    public private(set) var licences: LicenceReport?
    public var verdict: Verdict = .empty
    public var flags: [String] = []

    /// The buckets the analysis given to `init` must have.
    public static let periodKinds: [PeriodKind] = [.month, .year]

    public init(_ analysis: GitAnalysis, asOf: Int64 = Int64(Date().timeIntervalSince1970), corePeople topN: Int = 10) {
        let history = analysis.history, people = analysis.people, ids = people.identities
        repos = history.repos
        self.asOf = asOf
        licenceFiles = history.licenceFiles
        let yearAgo = asOf - 365 * 86_400, twoYearsAgo = asOf - 730 * 86_400
        let nowMonth = Month(unixTime: asOf)

        // Commits per month and per year, authors per year: the history's own metrics (§8).
        let m = analysis.metrics
        assert(m.scalars[.commits]?.keys.contains { $0.kind == .year } ?? history.commits.allSatisfy(\.isMerge),
               "ProjectHealth needs an analysis with month and year buckets (ProjectHealth.periodKinds)")
        recentMonths = (0..<24).reversed().map { back in
            let month = nowMonth + (-back)
            return (month, Int(m.value(.commits, Period(.month, containing: month))))
        }
        commitsPerYear = (m.scalars[.authors] ?? [:]).keys.filter { $0.kind == .year }.sorted().map {
            ($0.year, Int(m.value(.commits, $0)), Int(m.value(.authors, $0)))
        }

        // What only this view needs: lines per person and the two 12-month windows.
        var perIdentity = [(added: Int64, deleted: Int64, last12: Int, prev12: Int)](repeating: (0, 0, 0, 0), count: ids.all.count)
        var biggest: Int64 = 0
        for c in history.commits {
            firstCommit = min(firstCommit ?? c.authorTime, c.authorTime)
            lastCommit = max(lastCommit ?? c.authorTime, c.authorTime)
            if c.isMerge { mergeCommits += 1; continue }
            let who = ids.ofPerson[Int(c.author)]
            commits += 1
            linesAdded += c.linesAdded
            linesDeleted += c.linesDeleted
            biggest = max(biggest, c.linesAdded)
            perIdentity[who].added += c.linesAdded
            perIdentity[who].deleted += c.linesDeleted
            if c.authorTime > yearAgo && c.authorTime <= asOf { last12Commits += 1; perIdentity[who].last12 += 1 }
            else if c.authorTime > twoYearsAgo && c.authorTime <= yearAgo { previous12Commits += 1; perIdentity[who].prev12 += 1 }
        }
        let commitsOf = people.nonMergeCommits

        let active = ids.all.indices.filter { people.commits[$0] > 0 }
        authors = active.filter { !ids.all[$0].isBot }.count
        bots = active.filter { ids.all[$0].isBot }.count
        last12Authors = active.filter { perIdentity[$0].last12 > 0 && !ids.all[$0].isBot }.count
        for i in active where !ids.all[i].isBot {
            if people.firstCommit[i] > yearAgo && people.firstCommit[i] <= asOf { newAuthors.append(ids.all[i].name) }
            if perIdentity[i].prev12 > 0 && perIdentity[i].last12 == 0 && people.lastCommit[i] <= yearAgo { departedAuthors.append(ids.all[i].name) }
        }
        newAuthors.sort()
        departedAuthors.sort()

        var pairs = [Int](repeating: 0, count: ids.all.count)
        for n in ids.ofPerson { pairs[n] += 1 }
        let humans = active.filter { !ids.all[$0].isBot && commitsOf[$0] > 0 }
            .sorted { commitsOf[$0] != commitsOf[$1] ? commitsOf[$0] > commitsOf[$1] : ids.all[$0].name < ids.all[$1].name }
        let humanCommits = humans.reduce(0) { $0 + commitsOf[$1] }
        corePeople = humans.prefix(topN).map { i in
            let id = ids.all[i]
            return Person(name: id.name, emails: id.emails, githubLogins: id.githubLogins, accounts: id.accounts.map(\.description), commits: commitsOf[i],
                          share: humanCommits > 0 ? Double(commitsOf[i]) / Double(humanCommits) : 0,
                          linesAdded: perIdentity[i].added, linesDeleted: perIdentity[i].deleted,
                          first: people.firstCommit[i], last: people.lastCommit[i],
                          affiliation: people.affiliations[i].first, region: people.regions[i], isBot: false,
                          mergedFrom: pairs[i],
                          evidence: id.evidence)
        }
        busFactor = BusFactor.busFactor(humans.map { (Int64($0), commitsOf[$0]) }).map(\.0)
        let recent = humans.filter { perIdentity[$0].last12 > 0 }
        busFactorLast12 = BusFactor.busFactor(recent.map { (Int64($0), perIdentity[$0].last12) }).map(\.0)

        // Organisations and regions, weighted by the non-merge commits of humans.
        var orgs: [String: Share] = [:], regs: [String: Share] = [:], zones: [String: Share] = [:]
        for i in humans {
            let n = commitsOf[i]
            let a = people.affiliations[i].first
            let orgKey = a?.value ?? "unaffiliated or unknown"
            orgs[orgKey, default: Share(key: orgKey, label: a?.label, commits: 0, share: 0, people: 0, evidence: [], confidence: a?.confidence)].commits += n
            orgs[orgKey]!.people += 1
            if let a { orgs[orgKey]!.evidence.append(a.source.hasPrefix("label") ? "label" : "email domain") }
            let r = people.regions[i]
            let regKey = r?.value ?? "unknown"
            regs[regKey, default: Share(key: regKey, label: r?.label, commits: 0, share: 0, people: 0, evidence: [], confidence: r?.confidence)].commits += n
            regs[regKey]!.people += 1
            if let r { regs[regKey]!.evidence.append(r.source.hasPrefix("label") ? "label" : r.source.hasPrefix("UTC") ? "UTC offset" : r.source.hasPrefix("email domain") ? "email TLD" : "organisation") }
        }
        for c in history.commits where !c.isMerge && !ids.identity(ofPerson: c.author).isBot {
            let k = UTCOffset.text(c.authorOffsetMinutes)
            zones[k, default: Share(key: k, label: nil, commits: 0, share: 0, people: 0, evidence: ["commit dates"], confidence: .low)].commits += 1
        }
        func finish(_ d: [String: Share]) -> [Share] {
            d.values.map { s in
                var s = s
                s.share = humanCommits > 0 ? Double(s.commits) / Double(humanCommits) : 0
                s.evidence = Array(Set(s.evidence)).sorted()
                return s
            }.sorted { $0.commits != $1.commits ? $0.commits > $1.commits : $0.key < $1.key }
        }
        organisations = finish(orgs)
        regions = finish(regs)
        timezones = finish(zones)

        // Alive or not.
        guard let last = lastCommit else { verdict = .empty; flags = ["no commits"]; return }
        let idle = Double(asOf - last) / 86_400
        if idle > 365 { verdict = .abandoned; flags.append("no commit for \(Int(idle)) days (last on \(Self.day(last)))") }
        else if idle > 180 { verdict = .dormant; flags.append("no commit for \(Int(idle)) days") }
        else if previous12Commits > 0 && Double(last12Commits) < 0.5 * Double(previous12Commits) { verdict = .slowing; flags.append("commits fell from \(previous12Commits) to \(last12Commits) year on year") }
        else { verdict = .alive }
        if humans.count == 1 { flags.append("one-person history: every human commit is by \(ids.all[humans[0]].name)") }
        else if let top = humans.first, humanCommits >= 10, Double(commitsOf[top]) >= 0.9 * Double(humanCommits) {
            flags.append("nearly one-person: \(ids.all[top].name) wrote \(Int(Double(commitsOf[top]) / Double(humanCommits) * 100))% of commits")
        }
        if commits > 0 && commits <= 5 && linesAdded >= 1000 && Double(biggest) >= 0.8 * Double(linesAdded) {
            flags.append("junkyard pattern: \(commits) commit\(commits == 1 ? "" : "s"), one of them adding \(Int(Double(biggest) / Double(linesAdded) * 100))% of all lines (a code dump)")
        }
        if licenceFiles.isEmpty { flags.append("no licence file found at the top of the tree") }
        if bots > 0 { flags.append("\(bots) bot account\(bots == 1 ? "" : "s") set apart") }
    }

    /// Adds what the licence scan of the clone found, and flags what needs a person's eyes:
    /// conflicts, and manifests that declare other licences than the licence files.
    public mutating func add(licences report: LicenceReport) {
        licences = report
        let fromFiles = Set(report.declaredByLicenceFiles.flatMap(LicenceExpression.atoms))
        let fromManifests = Set(report.declaredByManifests.flatMap(LicenceExpression.atoms))
        if !fromFiles.isEmpty && !fromManifests.isEmpty && fromFiles.isDisjoint(with: fromManifests) {
            flags.append("the manifests declare \(fromManifests.sorted().joined(separator: ", ")) but the licence files say \(fromFiles.sorted().joined(separator: ", "))")
        }
        if !licenceFiles.isEmpty && report.expression == nil {
            flags.append("licence file found but its text matches no known licence (see `kaiyuan licences`)")
        }
        if !report.conflicts.isEmpty {
            flags.append("\(report.conflicts.count) licence conflict\(report.conflicts.count == 1 ? "" : "s") with \(report.expression ?? "the project's licence")")
        }
    }

    public static func day(_ unix: Int64) -> String {
        let (y, m, d) = CivilDate.fromDays(unix >= 0 ? unix / 86_400 : (unix - 86_399) / 86_400)
        return String(format: "%04d-%02d-%02d", y, m, d)
    }
}
