import Foundation
import KaiyuanCore
import KaiyuanMetrics
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
            out.append("History     \(ProjectHealth.day(first)) → \(ProjectHealth.day(last)): \(h.commits) commits + \(h.mergeCommits) merges by \(people(h.authors))\(h.bots > 0 ? " and \(h.bots) bot\(h.bots == 1 ? "" : "s")" : ""), +\(h.linesAdded)/−\(h.linesDeleted) lines")
        }
        out.append("Status      \(verdictText(h))")
        for f in h.flags { out.append("            • \(f)") }
        out.append("Licence     \(h.licenceFiles.isEmpty ? "none found" : h.licenceFiles.joined(separator: ", "))")
        out.append("")
        let recent = h.recentMonths
        if let first = recent.first, let last = recent.last {
            out.append("Activity    commits per month, \(first.month.key) … \(last.month.key) (as of \(ProjectHealth.day(h.asOf)))")
            out.append("            \(sparkline(recent.map(\.commits)))  max \(recent.map(\.commits).max() ?? 0)/month")
        }
        let change = h.previous12Commits > 0 ? String(format: " (%+.0f%% on the 12 months before: %d)", (Double(h.last12Commits) / Double(h.previous12Commits) - 1) * 100, h.previous12Commits) : ""
        out.append("            last 12 months: \(h.last12Commits) commits by \(people(h.last12Authors))\(change)")
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

    // MARK: JSON

    public static func json(_ h: ProjectHealth) -> String {
        func evidence(_ e: Evidence?) -> Any {
            guard let e else { return NSNull() }
            return ["value": e.value, "label": e.label as Any? ?? NSNull(), "source": e.source, "confidence": e.confidence.rawValue] as [String: Any]
        }
        func shares(_ s: [ProjectHealth.Share]) -> [[String: Any]] {
            s.map { ["key": $0.key, "label": $0.label as Any? ?? NSNull(), "commits": $0.commits, "share": OpenDiggerFormat.round2($0.share * 100) / 100,
                     "people": $0.people, "evidence": $0.evidence, "confidence": $0.confidence?.rawValue as Any? ?? NSNull()] }
        }
        let object: [String: Any] = [
            "repos": h.repos.map(\.description),
            "as_of": ProjectHealth.day(h.asOf),
            "status": h.verdict.rawValue,
            "flags": h.flags,
            "licence_files": h.licenceFiles,
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
                ["name": p.name, "emails": p.emails, "github": p.githubLogins, "commits": p.commits,
                 "share": OpenDiggerFormat.round2(p.share * 100) / 100, "lines_added": p.linesAdded, "lines_deleted": p.linesDeleted,
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

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A bar chart of monthly commits, with axis labels, as inline SVG.
    static func monthChart(_ months: [(month: Month, commits: Int)]) -> String {
        let w = 720.0, h = 220.0, left = 40.0, bottom = 30.0, top = 10.0
        let maxV = Double(max(months.map(\.commits).max() ?? 0, 1))
        let bw = (w - left - 10) / Double(max(months.count, 1))
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"Commits per month\">"
        svg += "<line x1=\"\(left)\" y1=\"\(h - bottom)\" x2=\"\(w - 10)\" y2=\"\(h - bottom)\" stroke=\"#555\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(h - bottom)\" stroke=\"#555\"/>"
        for t in 0...4 {
            let v = maxV * Double(t) / 4, y = h - bottom - (h - bottom - top) * Double(t) / 4
            svg += "<text x=\"\(left - 4)\" y=\"\(y + 4)\" font-size=\"10\" text-anchor=\"end\">\(Int(v.rounded()))</text>"
        }
        for (i, m) in months.enumerated() {
            let bh = (h - bottom - top) * Double(m.commits) / maxV
            let x = left + Double(i) * bw + 1
            svg += "<rect x=\"\(x)\" y=\"\(h - bottom - bh)\" width=\"\(max(bw - 2, 1))\" height=\"\(bh)\" fill=\"#c0392b\"><title>\(m.month.key): \(m.commits)</title></rect>"
            if i % 3 == 0 { svg += "<text x=\"\(x)\" y=\"\(h - bottom + 14)\" font-size=\"10\">\(m.month.key)</text>" }
        }
        svg += "<text x=\"\(left)\" y=\"\(h - 2)\" font-size=\"10\">month (UTC) — bars: non-merge commits</text></svg>"
        return svg
    }

    public static func html(_ h: ProjectHealth) -> String {
        func table(_ headers: [String], _ rows: [[String]]) -> String {
            "<table><tr>" + headers.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
                + rows.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined() + "</table>"
        }
        let name = escape(h.repos.map(\.description).joined(separator: " + "))
        var body = "<h1>\(name)</h1><p class=\"verdict \(h.verdict.rawValue)\">\(escape(verdictText(h)))</p><ul>"
        body += h.flags.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
        body += "<p>\(h.commits) commits + \(h.mergeCommits) merges by \(people(h.authors)); licence: \(escape(h.licenceFiles.joined(separator: ", ").isEmpty ? "none found" : h.licenceFiles.joined(separator: ", ")))</p>"
        body += "<h2>Commits per month</h2>" + monthChart(h.recentMonths)
        body += "<p>Bus factor \(h.busFactor.map(String.init) ?? "–") (all time), \(h.busFactorLast12.map(String.init) ?? "–") (last 12 months). "
            + "Newcomers: \(h.newAuthors.count); departed: \(h.departedAuthors.count).</p>"
        body += "<h2>Core people</h2>" + table(["person", "commits", "share", "organisation", "region", "evidence"], h.corePeople.map {
            [$0.name, String($0.commits), percent($0.share), $0.affiliation?.value ?? "–", $0.region?.value ?? "–",
             [$0.affiliation?.source, $0.region?.source].compactMap { $0 }.joined(separator: "; ")]
        })
        body += "<h2>Organisations</h2>" + table(["organisation", "commits", "share", "people", "evidence"], h.organisations.prefix(15).map {
            [$0.key, String($0.commits), percent($0.share), String($0.people), $0.evidence.joined(separator: ", ")]
        })
        body += "<h2>Regions</h2>" + table(["region", "commits", "share", "people", "evidence", "confidence"], h.regions.prefix(15).map {
            [$0.key, String($0.commits), percent($0.share), String($0.people), $0.evidence.joined(separator: ", "), $0.confidence?.rawValue ?? ""]
        })
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(name) — kaiyuan analyze</title>
            <style>body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}
            table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left}
            .verdict{font-weight:bold}.alive{color:#1e7b34}.slowing,.dormant{color:#b36b00}.abandoned,.empty{color:#b00020}
            svg{width:100%;height:auto}@media print{body{margin:0}}</style></head><body>\(body)
            <footer><p>Made by kaiyuan from the git history as of \(ProjectHealth.day(h.asOf)).</p></footer></body></html>
            """
    }
}
