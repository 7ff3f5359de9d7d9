import Foundation
import KaiyuanLicences
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanReports
import KaiyuanPeople

/// `kaiyuan analyze` rendered for a terminal, for scripts (JSON) or as one HTML page.
public enum AnalyzeReport {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Block characters, one per value, scaled to the largest.
    public static func sparkline(_ values: [Int]) -> String {
        let top = values.max() ?? 0
        return String(values.map { v in
            v == 0 ? " " : blocks[min(blocks.count - 1, Int(Double(v) / Double(max(top, 1)) * Double(blocks.count - 1) + 0.5))]
        })
    }

    static func people(_ n: Int) -> String { n == 1 ? "1 person" : "\(n) people" }

    static func percent(_ x: Double) -> String { String(format: "%.0f%%", x * 100) }

    static func verdictText(_ h: ProjectHealth) -> String {
        switch h.verdict {
        case .alive: "ALIVE — commits in the last 12 months, at a steady or growing pace"
        case .slowing: "SLOWING — still committed to, at under half last year's pace"
        case .dormant: "DORMANT — no commit for over six months"
        case .abandoned: "ABANDONED — no commit for over a year"
        case .empty: "EMPTY — no commits"
        }
    }

    // MARK: Terminal

    public static func text(_ h: ProjectHealth) -> String {
        var out: [String] = []
        let name = h.repos.map(\.description).joined(separator: " + ")
        out.append("\(name)")
        out.append(String(repeating: "═", count: min(DataTable.width(name), 78)))
        if let first = h.firstCommit, let last = h.lastCommit {
            out.append("History     \(ProjectHealth.day(first)) → \(ProjectHealth.day(last)): \(h.commits) commit\(h.commits == 1 ? "" : "s") + \(h.mergeCommits) merge\(h.mergeCommits == 1 ? "" : "s") by \(people(h.authors))\(h.bots > 0 ? " and \(h.bots) bot\(h.bots == 1 ? "" : "s")" : ""), +\(h.linesAdded)/−\(h.linesDeleted) lines")
        }
        out.append("Status      \(verdictText(h))")
        for f in h.flags { out.append("            • \(f)") }
        out += licenceLines(h)
        for m in h.mirrors { out.append("Mirror      \(m)") }
        out.append("")
        let recent = h.recentMonths
        if let first = recent.first, let last = recent.last {
            out.append("Activity    commits per month, \(first.month.key) … \(last.month.key) (as of \(ProjectHealth.day(h.asOf)))")
            out.append("            \(sparkline(recent.map(\.commits)))  max \(recent.map(\.commits).max() ?? 0)/month")
        }
        let change = h.previous12Commits > 0 ? String(format: " (%+.0f%% on the 12 months before: %d)", (Double(h.last12Commits) / Double(h.previous12Commits) - 1) * 100, h.previous12Commits) : ""
        out.append("            last 12 months: \(h.last12Commits) commit\(h.last12Commits == 1 ? "" : "s") by \(people(h.last12Authors))\(change)")
        if !h.commitsPerYear.isEmpty {
            out.append("            per year: " + h.commitsPerYear.suffix(8).map { "\($0.year) \($0.commits)c/\($0.authors)p" }.joined(separator: "  "))
        }
        out.append("Bus factor  \(h.busFactor.map(String.init) ?? "–") over the whole history, \(h.busFactorLast12.map(String.init) ?? "–") in the last 12 months (people who made half the commits)")
        out.append("Newcomers   \(h.newAuthors.count) in the last 12 months\(list(h.newAuthors))")
        out.append("Departed    \(h.departedAuthors.count) active the year before, silent since\(list(h.departedAuthors))")
        out.append("")

        var core = DataTable(title: "Core people (merged identities; bots set apart)", columns: ["#", "person", "commits", "share", "organisation", "evidence", "region", "evidence "])
        for (i, p) in h.corePeople.enumerated() {
            core.rows.append([.number(Double(i + 1)), .text(p.name + (p.mergedFrom > 1 ? " (\(p.mergedFrom) ids)" : "")),
                              .number(Double(p.commits)), .text(percent(p.share)),
                              .text(p.affiliation?.value ?? "–"), .text(p.affiliation.map(short) ?? ""),
                              .text(p.region?.value ?? "–"), .text(p.region.map(short) ?? "")])
        }
        out.append(core.render(.table))
        out.append("")
        var orgs = DataTable(title: "Organisations (share of human commits)", columns: ["organisation", "commits", "share", "people", "evidence"])
        for s in h.organisations.prefix(10) {
            orgs.rows.append([.text(s.key), .number(Double(s.commits)), .text(percent(s.share)), .number(Double(s.people)), .text(s.evidence.joined(separator: ", "))])
        }
        out.append(orgs.render(.table))
        out.append("")
        var regs = DataTable(title: "Regions (labels and organisations first; a UTC offset alone is weak evidence)", columns: ["region", "commits", "share", "people", "evidence", "confidence"])
        for s in h.regions.prefix(10) {
            regs.rows.append([.text(s.key), .number(Double(s.commits)), .text(percent(s.share)), .number(Double(s.people)),
                              .text(s.evidence.joined(separator: ", ")), .text(s.confidence?.rawValue ?? "")])
        }
        out.append(regs.render(.table))
        return out.joined(separator: "\n")
    }

    static func short(_ e: Evidence) -> String {
        "\(e.confidence.rawValue): \(e.source)".count > 60 ? String("\(e.confidence.rawValue): \(e.source)".prefix(59)) + "…" : "\(e.confidence.rawValue): \(e.source)"
    }

    static func list(_ names: [String]) -> String {
        names.isEmpty ? "" : ": " + names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", …" : "")
    }

    /// The licence section: the expression and where it comes from, what else the tree
    /// holds, and the conflicts.
    static func licenceLines(_ h: ProjectHealth) -> [String] {
        guard let l = h.licences else {
            return ["Licence     \(h.licenceFiles.isEmpty ? "none found" : h.licenceFiles.joined(separator: ", ")) (files named in the history; their text is read from a clone)"]
        }
        var out: [String] = []
        let sources = [l.declaredByLicenceFiles.isEmpty ? nil : "licence files: " + l.declaredByLicenceFiles.joined(separator: ", "),
                       l.declaredByManifests.isEmpty ? nil : "manifests: " + l.declaredByManifests.joined(separator: ", ")].compactMap { $0 }
        out.append("Licence     \(l.expression ?? "none declared")\(sources.isEmpty ? "" : " (" + sources.joined(separator: "; ") + ")")")
        let others = l.detected.filter { d in !l.declared.contains { LicenceExpression.atoms($0).contains(d) } }
        if !others.isEmpty {
            out.append("            also in the tree (\(l.files.count) of \(l.filesScanned) files carry a licence): " + others.prefix(8).joined(separator: ", ") + (others.count > 8 ? " and \(others.count - 8) more" : ""))
        }
        for c in l.conflicts.prefix(5) {
            out.append("            conflict: \(c.b) in \(c.files.prefix(2).joined(separator: ", "))\(c.files.count > 2 ? " and \(c.files.count - 2) more" : "") — \(c.why)")
        }
        if !l.unknown.isEmpty { out.append("            \(l.unknown.count) licence-like text\(l.unknown.count == 1 ? "" : "s") match no known licence (`kaiyuan licences` lists them)") }
        return out
    }

    // MARK: JSON

    public static func json(_ h: ProjectHealth) -> String {
        func evidence(_ e: Evidence?) -> Any {
            guard let e else { return NSNull() }
            return ["value": e.value, "label": e.label as Any? ?? NSNull(), "source": e.source, "confidence": e.confidence.rawValue] as [String: Any]
        }
        /// A share with four decimals (0.2044), as a decimal number: never 0.20440000000000003.
        func shareValue(_ x: Double) -> Decimal { Decimal(Int((x * 10_000).rounded())) / 10_000 }
        func shares(_ s: [ProjectHealth.Share]) -> [[String: Any]] {
            s.map { ["key": $0.key, "label": $0.label as Any? ?? NSNull(), "commits": $0.commits, "share": shareValue($0.share),
                     "people": $0.people, "evidence": $0.evidence, "confidence": $0.confidence?.rawValue as Any? ?? NSNull()] }
        }
        let object: [String: Any] = [
            "repos": h.repos.map(\.description),
            "as_of": ProjectHealth.day(h.asOf),
            "status": h.verdict.rawValue,
            "flags": h.flags,
            "mirrors": h.mirrors,
            "licence_files": h.licenceFiles,
            "licences": h.licences.map { l -> Any in
                ["expression": l.expression as Any? ?? NSNull(), "declared": l.declared, "declared_by_licence_files": l.declaredByLicenceFiles,
                 "declared_by_manifests": l.declaredByManifests, "detected": l.detected, "files_with_licences": l.files.count,
                 "files_scanned": l.filesScanned, "unknown": l.unknown.count,
                 "conflicts": l.conflicts.map { ["a": $0.a, "b": $0.b, "why": $0.why, "files": $0.files] as [String: Any] }] as [String: Any]
            } ?? NSNull(),
            "first_commit": h.firstCommit.map(ProjectHealth.day) as Any? ?? NSNull(),
            "last_commit": h.lastCommit.map(ProjectHealth.day) as Any? ?? NSNull(),
            "commits": h.commits, "merge_commits": h.mergeCommits, "lines_added": h.linesAdded, "lines_deleted": h.linesDeleted,
            "authors": h.authors, "bots": h.bots,
            "last_12_months": ["commits": h.last12Commits, "authors": h.last12Authors, "previous_12_months_commits": h.previous12Commits,
                               "new_authors": h.newAuthors, "departed_authors": h.departedAuthors] as [String: Any],
            "commits_per_month": Dictionary(uniqueKeysWithValues: h.recentMonths.map { ($0.month.key, $0.commits) }),
            "per_year": h.commitsPerYear.map { ["year": $0.year, "commits": $0.commits, "authors": $0.authors] },
            "bus_factor": h.busFactor as Any? ?? NSNull(),
            "bus_factor_last_12_months": h.busFactorLast12 as Any? ?? NSNull(),
            "core_people": h.corePeople.map { p -> [String: Any] in
                ["name": p.name, "emails": p.emails, "github": p.githubLogins, "accounts": p.accounts, "commits": p.commits,
                 "share": shareValue(p.share), "lines_added": p.linesAdded, "lines_deleted": p.linesDeleted,
                 "first_commit": ProjectHealth.day(p.first), "last_commit": ProjectHealth.day(p.last),
                 "affiliation": evidence(p.affiliation), "region": evidence(p.region), "merged_identities": p.mergedFrom, "merge_evidence": p.evidence]
            },
            "organisations": shares(h.organisations),
            "regions": shares(h.regions),
            "timezones": shares(h.timezones),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: HTML

    /// One page in the report's style: the git section of a project page, with the monthly
    /// commits and the core people.
    public static func html(_ h: ProjectHealth) -> String {
        let e = SVGChart.escape
        let name = h.repos.map(\.description).joined(separator: " + ")
        var body = "<h1>\(e(name))</h1><p class=\"verdict \(h.verdict.rawValue)\">\(e(verdictText(h)))</p>"
        body += SVGChart.lines([.init(name: "commits", values: h.recentMonths.map { Double($0.commits) })],
                               xLabels: h.recentMonths.map(\.month.key), yTitle: "non-merge commits", title: "Commits per month (UTC)")
        body += "<p>Bus factor \(h.busFactor.map(String.init) ?? "–") (all time), \(h.busFactorLast12.map(String.init) ?? "–") (last 12 months). "
            + "Newcomers: \(h.newAuthors.count); departed: \(h.departedAuthors.count).</p>"
        if let l = h.licences {
            body += "<h2>Licences</h2><p>\(e(l.expression ?? "No licence declared")). Found in \(l.files.count) of \(l.filesScanned) files: \(e(l.detected.joined(separator: ", ")))</p>"
            if !l.conflicts.isEmpty {
                body += ReportHTML.table(["licence", "why", "files"], l.conflicts.map { [$0.b, $0.why, $0.files.prefix(5).joined(separator: ", ")] }, numeric: [])
            }
        }
        body += "<h2>Core people</h2>" + ReportHTML.table(["person", "commits", "share", "organisation", "region", "evidence"], h.corePeople.map {
            [$0.name, String($0.commits), percent($0.share), $0.affiliation?.value ?? "–", $0.region?.value ?? "–",
             [$0.affiliation?.source, $0.region?.source].compactMap { $0 }.joined(separator: "; ")]
        }, numeric: [1, 2])
        body += "<h2>Organisations and regions</h2>" + ReportHTML.gitHistory(h)
        return ReportHTML.page("\(name) — kaiyuan analyze", body, links: nil,
                               footer: "Made by kaiyuan from the git history as of \(ProjectHealth.day(h.asOf)).")
    }
}
