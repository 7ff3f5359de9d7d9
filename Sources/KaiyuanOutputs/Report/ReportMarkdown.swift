import Foundation
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanReports

/// The ecosystem report as Markdown, for people who paste into docs: the same sections as the
/// HTML pages, with trend lines as block-character sparklines and monthly tables.
public enum ReportMarkdown {
    static func n(_ v: Double) -> String { SVGChart.number(OpenDiggerFormat.round2(v)) }
    static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }

    static func table(_ headers: [String], _ rows: [[String]]) -> String {
        "| " + headers.map(cell).joined(separator: " | ") + " |\n|" + headers.map { _ in "---" }.joined(separator: "|") + "|\n"
            + rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |" }.joined(separator: "\n") + "\n"
    }

    static func spark(_ values: [Double]) -> String {
        AnalyzeReport.sparkline(values.map { Int(($0 * 100).rounded()) })
    }

    public static func index(_ r: EcosystemReport) -> String {
        var md = "# \(ReportHTML.scopeTitle(r))\n\nPeriod \(r.period.key) (\(r.months.first?.key ?? "") … \(r.months.last?.key ?? ""))"
        md += r.scope.map { "; repositories under the label `\($0.id)`" } ?? ""
        md += ".\n\n" + table(["events ingested (all time)", "active repositories", "active developers", "activity", "new stars"],
                              [[n(Double(r.eventsIngested)), String(r.activeRepos), String(r.activeDevelopers), n(r.totalActivity), n(r.totalStars)]])
        md += "\n## Trend\n\n" + table(["month", "active repositories", "active developers", "activity", "new contributors", "inactive contributors"],
                                       r.months.indices.map { i in [r.months[i].key, n(r.monthlyActiveRepos[i]), n(r.monthlyActiveDevelopers[i]), n(r.monthlyActivity[i]),
                                                                    n(r.monthlyNewContributors[i]), n(r.monthlyInactiveContributors[i])] })
        func projects(_ list: [EcosystemReport.Project], _ spark: (EcosystemReport.Project) -> [Double]) -> String {
            table(["#", "project", "OpenRank", "activity", "stars", "by month"],
                  list.enumerated().map { [String($0.offset + 1), $0.element.repo.name, n($0.element.openrank), n($0.element.activity), n($0.element.stars), "`\(Self.spark(spark($0.element)))`"] })
        }
        md += "\n## Top projects by OpenRank\n\n" + projects(r.topByOpenRank) { $0.monthlyOpenRank }
        md += "\n## Top projects by activity\n\n" + projects(r.topByActivity) { $0.monthlyActivity }
        func devs(_ list: [EcosystemReport.Developer]) -> String {
            table(["#", "developer", "OpenRank", "activity", "activity by month"],
                  list.enumerated().map { [String($0.offset + 1), $0.element.login, n($0.element.openrank), n($0.element.activity), "`\(Self.spark($0.element.monthlyActivity))`"] })
        }
        md += "\n## Top developers by OpenRank\n\n" + devs(r.topDevelopersByOpenRank)
        md += "\n## Top developers by activity\n\n" + devs(r.topDevelopersByActivity)
        for (title, rows) in [("Companies", r.companies), ("Countries and regions", r.regions)] {
            md += "\n## \(title)\n\n" + table(["#", "label", "name", "OpenRank", "activity", "repositories"],
                                              rows.enumerated().map { [String($0.offset + 1), "`\($0.element.id)`", $0.element.name, n($0.element.openrank), n($0.element.activity), String($0.element.repos)] })
        }
        md += "\n## AI open source\n\n"
        if let ai = r.ai {
            func count(_ v: Int64?) -> String { v.map { compactCount(Double($0)) } ?? "—" }
            func share(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
            md += "Hugging Face Hub, snapshot of \(ai.snapshot.key) (30-day downloads); GitHub numbers are the same labels' repositories in \(r.period.key).\n\n"
            md += table(["#", "lab", "Hub organisations", "models", "downloads", "derivatives", "OSI", "restricted", "GitHub OpenRank", "GitHub activity"],
                        ai.labs.enumerated().map { i, l in [String(i + 1), l.name, l.organisations.joined(separator: " "), String(l.models), count(l.downloads),
                                                           l.derivatives.map(String.init) ?? "—", share(l.osiShare), share(l.restrictedShare),
                                                           l.githubOpenRank.map(n) ?? "—", l.githubActivity.map(n) ?? "—"] })
            if ai.snapshotMonths.count > 1 {
                md += "\n" + table(["lab"] + ai.snapshotMonths.map(\.key),
                                   ai.trend.map { [$0.name] + $0.downloads.map { $0.map { compactCount($0) } ?? "—" } })
            }
        } else {
            md += "No Hugging Face snapshot in this period (`kaiyuan ingest huggingface`).\n"
        }
        if let m = r.mirrors, !m.pairs.isEmpty {
            md += "\n## Mirrors\n\n" + m.sentence + "\n\n"
            md += table(["upstream", "mirror", "confidence", "shared commits", "missing on the mirror", "days behind"],
                        m.pairs.map { p in [p.upstream.description, p.mirror.description, p.confidence, p.sharedCommits.map(String.init) ?? "—",
                                            p.upstreamOnlyCommits.map(String.init) ?? "—", p.lagDaysLatest.map(n) ?? "—"] })
        }
        if let l = r.licences {
            md += "\n## Licences\n\n" + l.reading + "\n"
            if !l.byLicence.isEmpty { md += "\n" + table(["licence", "repositories"], l.byLicence.map { [$0.id, String($0.repos)] }) }
            if !l.relicensings.isEmpty {
                md += "\n" + table(["repository", "day", "from", "to"], l.relicensings.map {
                    [$0.repo.description, ProjectHealth.day($0.change.time), $0.change.from ?? "none", $0.change.to ?? "none"]
                })
            }
        }
        for p in r.projects { md += "\n" + project(r, p) }
        return md
    }

    public static func project(_ r: EcosystemReport, _ p: EcosystemReport.ProjectPage) -> String {
        var md = "## \(p.project.repo.name)\n\n\(r.period.key): OpenRank \(n(p.project.openrank)), activity \(n(p.project.activity)), \(n(p.project.stars)) new stars, bus factor \(n(p.busFactor)).\n\n"
        md += table(["month", "activity", "OpenRank", "stars", "contributors", "participants"],
                    r.months.indices.map { i in [r.months[i].key, n(p.project.monthlyActivity[i]), n(p.project.monthlyOpenRank[i]), n(p.monthlyStars[i]),
                                                 n(p.monthlyContributors[i]), n(p.monthlyParticipants[i])] })
        md += "\nResponse times (days):\n\n" + table(["", "items", "average", "median", "Q3", "max", "unanswered"],
                                                      [ReportHTML.durationRow("issues", p.issueResponse), ReportHTML.durationRow("pull requests", p.changeRequestResponse)])
        if let g = p.git {
            md += "\nGit history: **\(g.verdict.rawValue)**, \(g.commits) commits + \(g.mergeCommits) merges by \(g.authors) people.\n\n"
            md += table(["organisation", "share", "commits", "evidence"], g.organisations.prefix(10).map { [$0.key, String(format: "%.0f%%", $0.share * 100), String($0.commits), $0.evidence.joined(separator: ", ")] })
            md += "\n" + table(["region", "share", "commits", "evidence", "confidence"], g.regions.prefix(10).map { [$0.key, String(format: "%.0f%%", $0.share * 100), String($0.commits), $0.evidence.joined(separator: ", "), $0.confidence?.rawValue ?? ""] })
        }
        return md
    }
}
