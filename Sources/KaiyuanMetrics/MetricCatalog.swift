import KaiyuanCore

/// The repository metrics kaiyuan computes, named as OpenDigger names its export files.
public enum RepoMetric: String, CaseIterable, Sendable {
    case openrank
    case activity
    case activityDetails = "activity_details"
    case stars
    case technicalFork = "technical_fork"
    case attention
    case participants
    case contributors
    case contributorsDetail = "contributors_detail"
    case issuesNew = "issues_new"
    case issuesClosed = "issues_closed"
    case issueComments = "issue_comments"
    case changeRequests = "change_requests"
    case changeRequestsAccepted = "change_requests_accepted"
    case changeRequestsReviews = "change_requests_reviews"
    case codeChangeLinesAdd = "code_change_lines_add"
    case codeChangeLinesRemove = "code_change_lines_remove"
    case codeChangeLinesSum = "code_change_lines_sum"
    case issuesAndChangeRequestActive = "issues_and_change_request_active"
    case busFactor = "bus_factor"
    case busFactorDetail = "bus_factor_detail"
    case newContributors = "new_contributors"
    case newContributorsDetail = "new_contributors_detail"
    case inactiveContributors = "inactive_contributors"
    case issueResponseTime = "issue_response_time"
    case issueResolutionDuration = "issue_resolution_duration"
    case issueAge = "issue_age"
    case changeRequestResponseTime = "change_request_response_time"
    case changeRequestResolutionDuration = "change_request_resolution_duration"
    case changeRequestAge = "change_request_age"

    /// Detail metrics hold lists of `[login, value]` or logins, not one number.
    public var isDetail: Bool {
        [.activityDetails, .contributorsDetail, .busFactorDetail, .newContributorsDetail].contains(self)
    }

    /// Metrics that look at all of a repository's history, whatever period is asked for.
    public var needsFullHistory: Bool {
        [.newContributors, .newContributorsDetail, .inactiveContributors].contains(self)
    }

    /// Duration metrics hold a distribution per period (avg, quantiles, levels).
    public var isDuration: Bool {
        [.issueResponseTime, .issueResolutionDuration, .issueAge,
         .changeRequestResponseTime, .changeRequestResolutionDuration, .changeRequestAge].contains(self)
    }

    public static var scalars: [RepoMetric] { allCases.filter { !$0.isDetail && !$0.isDuration } }

    /// One line for `--help` and table headers.
    public var summary: String {
        switch self {
        case .openrank: "OpenDigger's global OpenRank (kaiyuan compute openrank); quarters and years sum their months"
        case .activity: "OpenDigger activity: Σ over developers of √(weighted issue, PR and review counts), per month"
        case .activityDetails: "the 100 most active developers with their activity"
        case .stars: "new stargazers (distinct WatchEvent actors)"
        case .technicalFork: "forks (ForkEvent count)"
        case .attention: "stargazers + 2 × forkers"
        case .participants: "distinct actors on issues, PRs, comments and review comments"
        case .contributors: "distinct authors of merged PRs"
        case .contributorsDetail: "the authors of merged PRs"
        case .issuesNew: "issues opened or reopened"
        case .issuesClosed: "issues closed"
        case .issueComments: "issue comments created"
        case .changeRequests: "PRs opened"
        case .changeRequestsAccepted: "PRs merged"
        case .changeRequestsReviews: "PR review comments"
        case .codeChangeLinesAdd: "lines added by PRs (Σ additions of every PullRequestEvent)"
        case .codeChangeLinesRemove: "lines removed by PRs"
        case .codeChangeLinesSum: "lines added − removed by PRs"
        case .issuesAndChangeRequestActive: "issues and PRs with any activity"
        case .busFactor: "how many top developers make up half of the activity (bots left out)"
        case .busFactorDetail: "those developers, with their rounded-up activity"
        case .newContributors: "authors whose first merged PR in the repo falls in the period"
        case .newContributorsDetail: "those authors"
        case .inactiveContributors: "authors with a merged PR before the period's end and none in the 6 months up to it"
        case .issueResponseTime: "days from an issue's opening to its first answer by someone else, or a close (by opening period)"
        case .issueResolutionDuration: "days from an issue's opening to its final close (by opening period)"
        case .issueAge: "days open, of the issues open at the period's end"
        case .changeRequestResponseTime: "days from a PR's opening to its first comment, review or close"
        case .changeRequestResolutionDuration: "days from a PR's opening to its final close"
        case .changeRequestAge: "days open, of the PRs open at the period's end"
        }
    }
}

/// A metric's values per period.
public typealias MetricSeries = [Period: Double]

/// One entry of a detail metric: a login and, where the metric has one, its value.
public struct DetailEntry: Hashable, Sendable {
    public var login: String
    public var value: Double?
    public init(login: String, value: Double?) { self.login = login; self.value = value }
}

public typealias DetailSeries = [Period: [DetailEntry]]

/// All metrics of one repository.
public struct RepoMetrics: Sendable {
    public var repo: RepoRef
    public var scalars: [RepoMetric: MetricSeries] = [:]
    public var details: [RepoMetric: DetailSeries] = [:]
    public var durations: [RepoMetric: DurationSeries] = [:]

    public init(repo: RepoRef) { self.repo = repo }

    public func value(_ metric: RepoMetric, _ period: Period) -> Double {
        scalars[metric]?[period] ?? 0
    }
}
