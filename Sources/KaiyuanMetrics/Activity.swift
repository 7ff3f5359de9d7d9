import Foundation
import KaiyuanCore

/// OpenDigger's activity (`spec/metrics.md` §3).
public enum Activity {
    public static let issueCommentWeight = 0.5252
    public static let openIssueWeight = 2.2235
    public static let openPullWeight = 4.0679
    public static let reviewCommentWeight = 0.7427
    public static let mergedPullWeight = 2.0339

    /// A developer's counts in one repo and month.
    public struct Counts: Sendable, Equatable {
        public var issueComment = 0, openIssue = 0, openPull = 0, reviewComment = 0, mergedPull = 0
        public init() {}

        /// `sqrt(0.5252·issue_comment + 2.2235·open_issue + 4.0679·open_pull + 0.7427·review_comment + 2.0339·merged_pull)`
        public var activity: Double {
            (issueCommentWeight * Double(issueComment) + openIssueWeight * Double(openIssue)
                + openPullWeight * Double(openPull) + reviewCommentWeight * Double(reviewComment)
                + mergedPullWeight * Double(mergedPull)).squareRoot()
        }
    }

    struct DeveloperMonth: Hashable { var actor: Int64; var month: Month }

    /// Counts per (developer, month). The credited developer of a merge is the PR's author,
    /// which is how `pullMerged` facts are stored. Facts are unique per (month, object, actor),
    /// so counting rows counts distinct ids.
    static func counts(_ facts: RepoFacts) -> [DeveloperMonth: Counts] {
        var out: [DeveloperMonth: Counts] = [:]
        func tally(_ kind: FactKind, _ field: WritableKeyPath<Counts, Int>) {
            for row in facts[kind] {
                out[DeveloperMonth(actor: row.actor, month: row.month), default: Counts()][keyPath: field] += 1
            }
        }
        tally(.issueComment, \.issueComment)
        tally(.issueOpened, \.openIssue)
        tally(.pullOpened, \.openPull)
        tally(.reviewCommentCreated, \.reviewComment)
        tally(.pullMerged, \.mergedPull)
        return out
    }

    /// Repo activity and its top-100 details for every bucket. A quarter's or a year's value
    /// is the sum of its monthly values. Details (spec §3, changed 2026-11-24): one entry per
    /// developer-month with activity > 0, so a quarter lists a developer up to 3 times, each
    /// with one month's value; by the rounded value descending, then login in byte order.
    static func compute(_ facts: RepoFacts, kinds: [PeriodKind], logins: [Int64: String]) -> (MetricSeries, DetailSeries) {
        var entries: [Period: [(login: String, value: Double)]] = [:]
        var repo: MetricSeries = [:]
        // Months in order, so that a bucket's sum is added up in the same order every run.
        for (key, counts) in counts(facts).sorted(by: { ($0.key.month, $0.key.actor) < ($1.key.month, $1.key.actor) }) {
            let a = counts.activity
            guard a > 0 else { continue }
            let login = logins[key.actor] ?? "#\(key.actor)"
            for kind in kinds {
                let p = Period(kind, containing: key.month)
                repo[p, default: 0] += a
                entries[p, default: []].append((login, (a * 100).rounded() / 100))
            }
        }
        var details: DetailSeries = [:]
        for (period, list) in entries {
            let ranked = list.sorted { $0.value != $1.value ? $0.value > $1.value : $0.login.utf8.lexicographicallyPrecedes($1.login.utf8) }
            details[period] = ranked.prefix(100).map { DetailEntry(login: $0.login, value: $0.value) }
        }
        return (repo, details)
    }
}
