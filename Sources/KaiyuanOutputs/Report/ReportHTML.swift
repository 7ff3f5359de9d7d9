import Foundation
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanReports
import KaiyuanPeople

/// Where pages link to: files beside each other for the static site, routes for the server.
public struct ReportLinks: Sendable {
    public var home: String
    public var project: @Sendable (RepoRef) -> String

    /// The static site: `index.html` and `projects/OWNER__REPO.html`, relative to each page.
    public static func site(fromProjectPage: Bool) -> ReportLinks {
        ReportLinks(home: fromProjectPage ? "../index.html" : "index.html",
                    project: { (fromProjectPage ? "" : "projects/") + ReportFiles.projectFile($0) })
    }

    /// The server: `/` and `/projects/github/OWNER/REPO`.
    public static func server(query: String) -> ReportLinks {
        ReportLinks(home: "/" + query, project: { "/projects/github/\($0.name)" + query })
    }
}

public enum ReportFiles {
    /// `OWNER__REPO.html`: one flat file per project, safe on every file system.
    public static func projectFile(_ repo: RepoRef, ext: String = "html") -> String {
        repo.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" ? String($0) : "__" }.joined() + "." + ext
    }
}

/// The ecosystem report as HTML pages: inline CSS and SVG, no script, prints well.
public enum ReportHTML {
    static func e(_ s: String) -> String { SVGChart.escape(s) }
    static func n(_ v: Double) -> String { SVGChart.number(OpenDiggerFormat.round2(v)) }

    static let css = """
        body{font-family:system-ui,"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:64em;margin:1.5em auto;padding:0 1em;color:#222;line-height:1.45}
        h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}
        table{border-collapse:collapse;margin:.6em 0;font-size:.92em}td,th{border-bottom:1px solid #e3e3e3;padding:.25em .6em;text-align:left}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}.cards{display:flex;flex-wrap:wrap;gap:.8em}
        .card{border:1px solid #ddd;border-radius:6px;padding:.5em .9em;min-width:9em}.card b{display:block;font-size:1.4em}
        .muted{color:#666;font-size:.9em}nav a{margin-right:1em}a{color:#1f4e9c}
        .alive{color:#1e7b34}.slowing,.dormant{color:#b36b00}.abandoned,.empty{color:#b00020}
        @media print{body{max-width:none;margin:0}nav{display:none}h2{break-after:avoid}table,svg{break-inside:avoid}}
        """ + SVGChart.css

    static func page(_ title: String, _ body: String, links: ReportLinks?,
                     footer: String = "Made by kaiyuan from GH Archive events and git histories, with OpenDigger's metric definitions and labels.") -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>\(e(title))</title><style>\(css)</style></head>
        <body>\(links.map { "<nav><a href=\"\(e($0.home))\">Overview</a></nav>" } ?? "")
        \(body)
        <footer><p class="muted">\(e(footer))</p></footer>
        </body></html>
        """
    }

    static func table(_ headers: [String], _ rows: [[String]], numeric: Set<Int> = [], raw: Set<Int> = []) -> String {
        var out = "<table><thead><tr>" + headers.enumerated().map { "<th\(numeric.contains($0.offset) ? " class=\"num\"" : "")>\(e($0.element))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows {
            out += "<tr>" + row.enumerated().map { i, cell in
                "<td\(numeric.contains(i) ? " class=\"num\"" : "")>\(raw.contains(i) ? cell : e(cell))</td>"
            }.joined() + "</tr>"
        }
        return out + "</tbody></table>"
    }

    static func scopeTitle(_ r: EcosystemReport) -> String {
        "Open source ecosystem report \(r.period.key)" + (r.scope.map { " — \($0.name)\($0.nameZh.map { " \($0)" } ?? "")" } ?? "")
    }

    public static func index(_ r: EcosystemReport, links: ReportLinks) -> String {
        let months = r.months.map(\.key)
        var b = "<h1>\(e(scopeTitle(r)))</h1>"
        b += "<p class=\"muted\">Period \(e(r.period.key)) (\(e(r.months.first?.key ?? "")) … \(e(r.months.last?.key ?? "")))\(r.scope.map { "; repositories under the label \(e($0.id))" } ?? "").</p>"
        b += "<div class=\"cards\">" + [("events ingested (all time)", Double(r.eventsIngested)), ("active repositories", Double(r.activeRepos)),
                                       ("active developers", Double(r.activeDevelopers)), ("activity", r.totalActivity), ("new stars", r.totalStars)]
            .map { "<div class=\"card\"><b>\(n($0.1))</b>\(e($0.0))</div>" }.joined() + "</div>"
        b += "<h2>Trend</h2>"
        b += SVGChart.lines([.init(name: "active repositories", values: r.monthlyActiveRepos), .init(name: "active developers", values: r.monthlyActiveDevelopers)],
                            xLabels: months, yTitle: "count", title: "Active repositories and developers per month")
        b += SVGChart.lines([.init(name: "activity", values: r.monthlyActivity)], xLabels: months, yTitle: "activity (OpenDigger)", title: "Total activity per month")

        func projectRows(_ list: [EcosystemReport.Project], spark: (EcosystemReport.Project) -> [Double]) -> [[String]] {
            list.enumerated().map { i, p in
                let name = r.projects.contains { $0.project.repo.id == p.repo.id } ? "<a href=\"\(e(links.project(p.repo)))\">\(e(p.repo.name))</a>" : e(p.repo.name)
                return [String(i + 1), name, n(p.openrank), n(p.activity), n(p.stars), SVGChart.sparkline(spark(p), labels: months)]
            }
        }
        b += "<h2>Top projects by OpenRank</h2>"
        b += r.topByOpenRank.isEmpty ? "<p class=\"muted\">No OpenRank in this period (run <code>kaiyuan compute openrank</code>).</p>"
            : table(["#", "project", "OpenRank", "activity", "stars", "OpenRank by month"], projectRows(r.topByOpenRank) { $0.monthlyOpenRank }, numeric: [0, 2, 3, 4], raw: [1, 5])
        b += "<h2>Top projects by activity</h2>"
        b += table(["#", "project", "OpenRank", "activity", "stars", "activity by month"], projectRows(r.topByActivity) { $0.monthlyActivity }, numeric: [0, 2, 3, 4], raw: [1, 5])

        func devRows(_ list: [EcosystemReport.Developer]) -> [[String]] {
            list.enumerated().map { i, d in [String(i + 1), d.login, n(d.openrank), n(d.activity), SVGChart.sparkline(d.monthlyActivity, labels: months)] }
        }
        b += "<h2>Top developers by OpenRank</h2>" + table(["#", "developer", "OpenRank", "activity", "activity by month"], devRows(r.topDevelopersByOpenRank), numeric: [0, 2, 3], raw: [4])
        b += "<h2>Top developers by activity</h2>" + table(["#", "developer", "OpenRank", "activity", "activity by month"], devRows(r.topDevelopersByActivity), numeric: [0, 2, 3], raw: [4])

        for (title, rows) in [("Companies", r.companies), ("Countries and regions", r.regions)] {
            b += "<h2>\(title)</h2>"
            if rows.isEmpty { b += "<p class=\"muted\">No labels in the store, or none covers these repositories (<code>kaiyuan labels import DIR</code>).</p>"; continue }
            b += SVGChart.bars(rows.prefix(15).map { ($0.name, $0.openrank > 0 ? $0.openrank : $0.activity) },
                               title: "\(title) by \(rows.contains { $0.openrank > 0 } ? "OpenRank" : "activity"), summed over their repositories",
                               valueTitle: rows.contains { $0.openrank > 0 } ? "OpenRank" : "activity")
            b += table(["#", "label", "name", "OpenRank", "activity", "repositories"],
                       rows.enumerated().map { [String($0.offset + 1), $0.element.id, $0.element.name, n($0.element.openrank), n($0.element.activity), String($0.element.repos)] },
                       numeric: [0, 3, 4, 5])
        }
        b += aiSection(r.ai)
        b += mirrorSection(r.mirrors)
        b += licenceSection(r.licences)
        b += "<h2>Newcomers and departures</h2>"
        b += SVGChart.lines([.init(name: "new contributors", values: r.monthlyNewContributors), .init(name: "inactive contributors", values: r.monthlyInactiveContributors)],
                            xLabels: months, yTitle: "contributors", title: "First merged PR vs. no merged PR for 6 months, per month")
        b += "<h2>Project pages</h2><ul>" + r.projects.map { "<li><a href=\"\(e(links.project($0.project.repo)))\">\(e($0.project.repo.name))</a></li>" }.joined() + "</ul>"
        return page(scopeTitle(r), b, links: links)
    }

    /// Open-weight AI: the labs' Hub adoption beside their GitHub numbers, and licences.
    static func aiSection(_ ai: AIOpenSource?) -> String {
        var b = "<h2>AI open source</h2>"
        guard let ai else {
            return b + "<p class=\"muted\">No Hugging Face snapshot in this period (<code>kaiyuan ingest huggingface --author deepseek-ai --author Qwen …</code>, monthly).</p>"
        }
        func count(_ v: Int64?) -> String { v.map { compactCount(Double($0)) } ?? "—" }
        func share(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func opt(_ v: Double?) -> String { v.map(n) ?? "—" }
        b += "<p class=\"muted\">Hugging Face Hub, snapshot of \(e(ai.snapshot.key)); downloads are the Hub's 30-day counts. Labs are OpenDigger's labels with their Hub organisations (kaiyuan's built-in map and <code>labels add-hub-org</code>); GitHub numbers are the same labels' repositories in the report's period.</p>"
        if ai.labs.isEmpty {
            return b + "<p class=\"muted\">None of the labelled labs has models in the snapshot.</p>"
        }
        b += SVGChart.bars(ai.labs.compactMap { l in l.downloads.map { (l.name, Double($0)) } }, title: "Labs by Hub downloads (30 days)", valueTitle: "downloads",
                           format: { compactCount($0) })
        let derived = ai.labs.compactMap { l in l.derivatives.map { (l.name, Double($0)) } }
        if !derived.isEmpty {
            b += SVGChart.bars(derived.sorted { $0.1 > $1.1 }, title: "Labs by derivative models (fine-tunes, adapters, quantizations, merges by anyone)", valueTitle: "models built on theirs")
        }
        if ai.snapshotMonths.count > 1 {
            b += SVGChart.lines(ai.trend.map { SVGChart.Series(name: $0.name, values: $0.downloads.map { $0 ?? .nan }) }, xLabels: ai.snapshotMonths.map(\.key),
                                yTitle: "downloads (30 days)", title: "Hub downloads at each monthly snapshot", format: { compactCount($0) })
        }
        let total = Double(ai.downloadsByLicence.reduce(0) { $0 + $1.downloads })
        if total > 0 {
            b += SVGChart.bars(ai.downloadsByLicence.map { ($0.kind.rawValue, Double($0.downloads) / total * 100) }, title: "The labs' downloads by licence kind",
                               valueTitle: "% of downloads", format: { SVGChart.number(($0 * 10).rounded() / 10) + "%" })
        }
        b += table(["#", "lab", "Hub organisations", "models", "downloads", "derivatives", "OSI", "restricted", "GitHub OpenRank", "GitHub activity"],
                   ai.labs.enumerated().map { i, l in [String(i + 1), l.name, l.organisations.joined(separator: " "), String(l.models), count(l.downloads),
                                                      l.derivatives.map(String.init) ?? "—", share(l.osiShare), share(l.restrictedShare), opt(l.githubOpenRank), opt(l.githubActivity)] },
                   numeric: [0, 3, 4, 5, 6, 7, 8, 9])
        if !ai.countries.isEmpty {
            b += "<h3>By country</h3>" + table(["#", "country", "models", "downloads", "derivatives", "OSI", "restricted"],
                                               ai.countries.enumerated().map { i, l in [String(i + 1), l.name, String(l.models), count(l.downloads), l.derivatives.map(String.init) ?? "—", share(l.osiShare), share(l.restrictedShare)] },
                                               numeric: [0, 2, 3, 4, 5, 6])
        }
        return b
    }

    /// Projects copied between forges: how many, how far behind, where the work happens.
    static func licenceSection(_ l: LicenceLandscape?) -> String {
        guard let l else { return "" }
        var b = "<h2>Licences</h2><p>\(e(l.reading))</p>"
        guard l.repos > 0 else { return b }
        if !l.byLicence.isEmpty {
            b += SVGChart.bars(l.byLicence.prefix(15).map { ($0.id, Double($0.repos)) }, title: "Repositories declaring each licence", valueTitle: "repositories")
        }
        if !l.relicensings.isEmpty {
            b += table(["repository", "day", "from", "to"], l.relicensings.prefix(30).map {
                [$0.repo.description, ProjectHealth.day($0.change.time), $0.change.from ?? "none", $0.change.to ?? "none"]
            }, numeric: [])
        }
        return b
    }

    static func mirrorSection(_ m: MirrorBurden?) -> String {
        guard let m, !m.pairs.isEmpty else { return "" }
        var b = "<h2>Mirrors</h2><p>\(e(m.sentence))</p>"
        let lagged = m.pairs.compactMap { p in p.lagDaysLatest.map { ("\(p.mirror) ← \(p.upstream.platform.rawValue)", $0) } }
        if lagged.count > 1 {
            b += SVGChart.bars(lagged.sorted { $0.1 > $1.1 }.prefix(15).map { ($0.0, $0.1) }, title: "Days the newest missing commit had waited, per mirror", valueTitle: "days behind")
        }
        b += table(["upstream", "mirror", "confidence", "shared commits", "missing on the mirror", "days behind", "activity on the upstream", "evidence"],
                   m.pairs.map { p in [p.upstream.description, p.mirror.description, p.confidence, p.sharedCommits.map(String.init) ?? "—",
                                       p.upstreamOnlyCommits.map(String.init) ?? "—", p.lagDaysLatest.map(n) ?? "—",
                                       p.activityShare?[p.upstream].map { String(format: "%.0f%%", $0 * 100) } ?? "—",
                                       p.evidence.prefix(2).map(\.what).joined(separator: "; ")] },
                   numeric: [3, 4, 5, 6])
        return b
    }

    static func durationRow(_ name: String, _ s: DurationStats?) -> [String] {
        guard let s, s.count > 0 else { return [name, "0", "–", "–", "–", "–", s.map { String($0.unanswered) } ?? "0"] }
        return [name, String(s.count), n(s.average), n(s.quantiles[2]), n(s.quantiles[3]), n(s.quantiles[4]), String(s.unanswered)]
    }

    public static func project(_ r: EcosystemReport, _ p: EcosystemReport.ProjectPage, links: ReportLinks) -> String {
        project(period: r.period, months: r.months, p, links: links)
    }

    public static func project(period: Period, months monthList: [Month], _ p: EcosystemReport.ProjectPage, links: ReportLinks) -> String {
        let months = monthList.map(\.key)
        var b = "<h1>\(e(p.project.repo.name))</h1><p class=\"muted\">\(e(period.key)): OpenRank \(n(p.project.openrank)), activity \(n(p.project.activity)), \(n(p.project.stars)) new stars, \(n(p.project.participants)) participants.</p>"
        b += SVGChart.lines([.init(name: "activity", values: p.project.monthlyActivity)], xLabels: months, yTitle: "activity", title: "Activity per month")
        b += SVGChart.lines([.init(name: "OpenRank", values: p.project.monthlyOpenRank)], xLabels: months, yTitle: "OpenRank", title: "OpenRank per month")
        b += SVGChart.lines([.init(name: "new stars", values: p.monthlyStars), .init(name: "contributors", values: p.monthlyContributors),
                             .init(name: "participants", values: p.monthlyParticipants)], xLabels: months, yTitle: "count", title: "Stars, contributors and participants per month")
        b += "<h2>People</h2><p>Bus factor \(n(p.busFactor)) (developers making up half of the activity, bots left out); \(n(p.newContributors)) new contributors, \(n(p.inactiveContributors)) inactive at the period's end.</p>"
        if !p.busFactorDetail.isEmpty {
            b += table(["developer", "activity (rounded up)"], p.busFactorDetail.map { [$0.login, $0.value.map(n) ?? ""] }, numeric: [1])
        }
        b += "<h2>Response times (days)</h2>" + table(["", "items", "average", "median", "Q3", "max", "unanswered"],
                                                       [durationRow("issues", p.issueResponse), durationRow("pull requests", p.changeRequestResponse)], numeric: [1, 2, 3, 4, 5, 6])
        if let g = p.git {
            b += "<h2>Git history</h2>" + gitHistory(g)
        } else {
            b += "<h2>Git history</h2><p class=\"muted\">Not ingested (<code>kaiyuan ingest git https://github.com/\(e(p.project.repo.name)).git</code>).</p>"
        }
        return page("\(p.project.repo.name) — \(period.key)", b, links: links)
    }

    /// A git history's verdict, flags, and authors by organisation and region with their
    /// evidence (project pages and `kaiyuan analyze --format html`).
    static func gitHistory(_ g: ProjectHealth) -> String {
        let people = g.authors == 1 ? "1 person" : "\(g.authors) people"
        var b = "<p class=\"\(g.verdict.rawValue)\"><b>\(e(g.verdict.rawValue.uppercased()))</b> — \(g.commits) commits + \(g.mergeCommits) merges by \(people); bus factor \(g.busFactor.map(String.init) ?? "–"); licence: \(e(g.licenceFiles.isEmpty ? "none found" : g.licenceFiles.joined(separator: ", ")))</p>"
        b += "<ul>" + g.flags.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        func percent(_ v: Double) -> String { SVGChart.number((v * 10).rounded() / 10) + "%" }
        b += SVGChart.bars(g.organisations.prefix(10).map { ($0.key, $0.share * 100) }, title: "Git authors by organisation (share of commits)", valueTitle: "% of human commits", format: percent)
        b += table(["organisation", "commits", "people", "evidence"], g.organisations.prefix(10).map { [$0.key, String($0.commits), String($0.people), $0.evidence.joined(separator: ", ")] }, numeric: [1, 2])
        b += SVGChart.bars(g.regions.prefix(10).map { ($0.key, $0.share * 100) }, title: "Git authors by region (share of commits)", valueTitle: "% of human commits", format: percent)
        b += table(["region", "commits", "people", "evidence", "confidence"], g.regions.prefix(10).map { [$0.key, String($0.commits), String($0.people), $0.evidence.joined(separator: ", "), $0.confidence?.rawValue ?? ""] }, numeric: [1, 2])
        return b
    }

    /// Writes the whole static site into `directory`: `index.html` and `projects/*.html`.
    public static func writeSite(_ r: EcosystemReport, to directory: URL) throws -> Int {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("projects"), withIntermediateDirectories: true)
        try Data(index(r, links: .site(fromProjectPage: false)).utf8).write(to: directory.appendingPathComponent("index.html"))
        for p in r.projects {
            try Data(project(r, p, links: .site(fromProjectPage: true)).utf8)
                .write(to: directory.appendingPathComponent("projects").appendingPathComponent(ReportFiles.projectFile(p.project.repo)))
        }
        return 1 + r.projects.count
    }
}
