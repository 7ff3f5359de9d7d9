import KaiyuanCore
import KaiyuanPeople

/// Metrics of git histories (spec/metrics.md §8), per bucket of the author date in UTC.
public enum GitMetric: String, CaseIterable, Sendable {
    case commits
    case mergeCommits = "merge_commits"
    case authors
    case newAuthors = "new_authors"
    case linesAdded = "lines_added"
    case linesDeleted = "lines_deleted"
    case coAuthoredCommits = "co_authored_commits"
    case timezoneShare = "timezone_share"
    case regionShare = "region_share"
    case authorsDetail = "authors_detail"

    public var isShare: Bool { self == .timezoneShare || self == .regionShare }
    public var isDetail: Bool { self == .authorsDetail }
    public static var scalars: [GitMetric] { allCases.filter { !$0.isShare && !$0.isDetail } }

    public var summary: String {
        switch self {
        case .commits: "non-merge commits"
        case .mergeCommits: "merge commits (two or more parents)"
        case .authors: "distinct commit authors (merges included), after merging identities"
        case .newAuthors: "authors whose first commit in the history falls in the period"
        case .linesAdded: "lines added (numstat of non-merge commits, binary files left out)"
        case .linesDeleted: "lines deleted (same)"
        case .coAuthoredCommits: "non-merge commits with a Co-authored-by trailer"
        case .timezoneShare: "share of non-merge commits per author UTC offset"
        case .regionShare: "share of non-merge commits per author region (labels, email domain, else UTC offset)"
        case .authorsDetail: "each author with their non-merge commits"
        }
    }
}

/// One author's work in one period.
public struct AuthorWork: Sendable, Hashable {
    public var identity: Int
    public var name: String
    public var commits = 0
    public var mergeCommits = 0
    public var linesAdded: Int64 = 0
    public var linesDeleted: Int64 = 0
    public var coAuthoredCommits = 0
    public var isBot: Bool
}

/// Git metrics of one repository (or a label's repositories together).
public struct GitRepoMetrics: Sendable {
    public var repos: [ForgeRepo]
    public var scalars: [GitMetric: MetricSeries] = [:]
    /// timezone_share and region_share: per period, key → share of non-merge commits.
    public var shares: [GitMetric: [Period: [String: Double]]] = [:]
    /// Per period, authors by non-merge commits, most first.
    public var authors: [Period: [AuthorWork]] = [:]

    public func value(_ metric: GitMetric, _ period: Period) -> Double { scalars[metric]?[period] ?? 0 }

    /// authors_detail as `[name, commits]` entries.
    public var authorsDetail: DetailSeries {
        authors.mapValues { $0.filter { $0.commits > 0 }.map { DetailEntry(login: $0.name, value: Double($0.commits)) } }
    }
}

/// The people of a history, merged and placed (§9).
public struct GitPeople: Sendable {
    public let identities: Identities
    public var affiliations: [[Evidence]]
    public var regions: [Evidence?]
    /// Per identity: commits (all), non-merge commits, first and last author time, offsets.
    public var commits: [Int]
    public var nonMergeCommits: [Int]
    public var firstCommit: [Int64]
    public var lastCommit: [Int64]

    public init(history: GitHistory, affiliator: Affiliator, bots: BotRules = BotRules()) {
        var weights = [Int](repeating: 0, count: history.people.count)
        for c in history.commits { weights[Int(c.author)] += 1 }
        identities = Identities(people: history.people, weights: weights, namesLink: weights.map { $0 > 0 },
                                mailmap: history.mailmap, bots: bots)
        let n = identities.all.count
        commits = [Int](repeating: 0, count: n)
        nonMergeCommits = [Int](repeating: 0, count: n)
        firstCommit = [Int64](repeating: .max, count: n)
        lastCommit = [Int64](repeating: .min, count: n)
        var offsets = [[Int: Int]](repeating: [:], count: n)
        var emailCommits = [[String: Int]](repeating: [:], count: n)
        for c in history.commits {
            let i = identities.ofPerson[Int(c.author)]
            commits[i] += 1
            if !c.isMerge { nonMergeCommits[i] += 1 }
            firstCommit[i] = min(firstCommit[i], c.authorTime)
            lastCommit[i] = max(lastCommit[i], c.authorTime)
            offsets[i][c.authorOffsetMinutes, default: 0] += 1
            emailCommits[i][Identities.fold(history.people[Int(c.author)].email), default: 0] += 1
        }
        var affiliations: [[Evidence]] = []
        var regions: [Evidence?] = []
        for (i, identity) in identities.all.enumerated() {
            let a = affiliator.affiliations(of: identity, emailCommits: emailCommits[i])
            affiliations.append(a)
            regions.append(affiliator.region(of: identity, affiliations: a, offsets: offsets[i]))
        }
        self.affiliations = affiliations
        self.regions = regions
    }

    /// Identity numbers of people with commits, most commits first.
    public var ranked: [Int] {
        identities.all.indices.filter { commits[$0] > 0 }.sorted {
            commits[$0] != commits[$1] ? commits[$0] > commits[$1] : identities.all[$0].name < identities.all[$1].name
        }
    }
}

public enum GitMetricsCalculator {
    public static func compute(_ history: GitHistory, people: GitPeople, kinds: [PeriodKind] = PeriodKind.allCases) -> GitRepoMetrics {
        var out = GitRepoMetrics(repos: history.repos)
        var commits: MetricSeries = [:], merges: MetricSeries = [:], added: MetricSeries = [:], deleted: MetricSeries = [:]
        var coAuthored: MetricSeries = [:]
        var zones: [Period: [String: Double]] = [:], regions: [Period: [String: Double]] = [:]
        var work: [Period: [Int: AuthorWork]] = [:]
        let ids = people.identities

        for c in history.commits {
            let who = ids.ofPerson[Int(c.author)]
            let month = c.month
            // The same for every bucket of this commit: worked out once.
            let zone = UTCOffset.text(c.authorOffsetMinutes), region = people.regions[who]?.value ?? "unknown"
            for kind in kinds {
                let p = Period(kind, containing: month)
                var w = work[p]?[who] ?? AuthorWork(identity: who, name: ids.all[who].name, isBot: ids.all[who].isBot)
                if c.isMerge {
                    merges[p, default: 0] += 1
                    w.mergeCommits += 1
                } else {
                    commits[p, default: 0] += 1
                    added[p, default: 0] += Double(c.linesAdded)
                    deleted[p, default: 0] += Double(c.linesDeleted)
                    zones[p, default: [:]][zone, default: 0] += 1
                    regions[p, default: [:]][region, default: 0] += 1
                    w.commits += 1
                    w.linesAdded += c.linesAdded
                    w.linesDeleted += c.linesDeleted
                    if !c.coAuthors.isEmpty {
                        coAuthored[p, default: 0] += 1
                        w.coAuthoredCommits += 1
                    }
                }
                work[p, default: [:]][who] = w
            }
        }
        var newAuthors: MetricSeries = [:]
        for i in ids.all.indices where people.commits[i] > 0 {
            let first = Month(unixTime: people.firstCommit[i])
            for kind in kinds { newAuthors[Period(kind, containing: first), default: 0] += 1 }
        }
        out.scalars = [.commits: commits, .mergeCommits: merges, .authors: work.mapValues { Double($0.count) },
                       .newAuthors: newAuthors, .linesAdded: added, .linesDeleted: deleted, .coAuthoredCommits: coAuthored]
        func normalised(_ counts: [Period: [String: Double]]) -> [Period: [String: Double]] {
            counts.mapValues { row in
                let total = row.values.reduce(0, +)
                return row.mapValues { $0 / total }
            }
        }
        out.shares = [.timezoneShare: normalised(zones), .regionShare: normalised(regions)]
        out.authors = work.mapValues { byAuthor in
            byAuthor.values.sorted {
                $0.commits != $1.commits ? $0.commits > $1.commits
                    : $0.mergeCommits != $1.mergeCommits ? $0.mergeCommits > $1.mergeCommits : $0.name < $1.name
            }
        }
        return out
    }
}
