import Foundation
import KaiyuanCore
import KaiyuanLicences
import KaiyuanReports

/// `kaiyuan licences` as JSON (the shape in the issue: path, declared, detected, expression,
/// files, unknown, conflicts; then what was undecided, skipped or decoded) and as tables.
public enum LicenceOutput {
    public static func json(_ report: LicenceReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(report)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// A few lines of summary above the tables, wrapped to `width`.
    public static func summary(_ report: LicenceReport, width: Int = 100) -> String {
        func wrapped(_ label: String, _ items: [String]) -> String {
            var lines: [String] = []
            var line = label
            for (k, item) in items.enumerated() {
                let piece = item + (k < items.count - 1 ? "," : "")
                if line.count + 1 + piece.count > width && line.count > label.count { lines.append(line); line = String(repeating: " ", count: label.count) }
                line += " " + piece
            }
            lines.append(items.isEmpty ? label + " none" : line)
            return lines.joined(separator: "\n")
        }
        var out = "Licences of \(report.path): \(report.filesScanned) files scanned, \(report.files.count) with licences, "
            + "\(report.unknown.count) unknown licence text\(report.unknown.count == 1 ? "" : "s"), \(report.conflicts.count) conflict\(report.conflicts.count == 1 ? "" : "s"), \(report.skipped.count) skipped\n"
        out += "expression: " + (report.expression ?? "none declared (no top-level LICENSE/COPYING file or manifest licence)") + "\n"
        out += wrapped("declared:", report.declared) + "\n"
        out += wrapped("detected:", report.detected)
        if !report.mentioned.isEmpty { out += "\n" + wrapped("only named:", report.mentioned) }
        return out
    }

    /// The licences with how many files carry each; each file's matches when there are few
    /// (`--format json` has them all); and what needs a person's eyes.
    public static func tables(_ report: LicenceReport, categories: (String) -> String? = { _ in nil }, fileRows: Int = 40) -> [DataTable] {
        var tables: [DataTable] = []
        var perLicence: [String: (files: Int, methods: Set<String>, example: String)] = [:]
        for f in report.files {
            for id in Set(f.matches.map(\.id)) {
                var e = perLicence[id] ?? (0, [], f.path)
                e.files += 1
                for m in f.matches where m.id == id { e.methods.insert(m.confidence == .low ? "named" : m.method.rawValue) }
                perLicence[id] = e
            }
        }
        if !perLicence.isEmpty {
            var t = DataTable(title: "Licences found (\"named\": only a mention of the name, too weak to judge compatibility on)", columns: ["licence", "kind", "files", "found by", "for example"])
            for (id, e) in perLicence.sorted(by: { $0.value.files != $1.value.files ? $0.value.files > $1.value.files : $0.key < $1.key }) {
                t.rows.append([.text(id), categories(id).map { .text($0) } ?? .empty, .number(Double(e.files)), .text(e.methods.sorted().joined(separator: ", ")), .text(e.example)])
            }
            tables.append(t)
        }
        if report.files.count <= fileRows {
            var files = DataTable(title: "Matches", columns: ["file", "licence", "score", "lines", "method"])
            for f in report.files {
                for m in f.matches {
                    files.rows.append([.text(f.path), .text(m.id), .number(m.score),
                                       .text(m.startLine == m.endLine ? "\(m.startLine)" : "\(m.startLine)-\(m.endLine)"), .text(m.method.rawValue)])
                }
            }
            if !files.rows.isEmpty { tables.append(files) }
        }
        if !report.conflicts.isEmpty || !report.undecided.isEmpty {
            var c = DataTable(title: "Compatibility with \(report.expression ?? "?")", columns: ["verdict", "licence", "why", "files"])
            for x in report.conflicts { c.rows.append([.text("conflict"), .text(x.b), .text(x.why), .text(list(x.files))]) }
            for x in report.undecided { c.rows.append([.text("unknown"), .text(x.b), .text(x.why), .text(list(x.files))]) }
            tables.append(c)
        }
        if !report.unknown.isEmpty {
            var u = DataTable(title: "Licence-like text that matches no known licence", columns: ["file", "lines"])
            for x in report.unknown { u.rows.append([.text(x.path), .text("\(x.startLine)-\(x.endLine)")]) }
            tables.append(u)
        }
        if !report.skipped.isEmpty || !report.decoded.isEmpty {
            var s = DataTable(title: "Skipped or decoded", columns: ["file", "why"])
            for x in report.skipped + report.decoded { s.rows.append([.text(x.path), .text(x.reason)]) }
            tables.append(s)
        }
        return tables
    }

    /// A label's or the store's licence landscape: licences by repositories, and relicensing.
    public static func tables(_ landscape: LicenceLandscape, index: LicenceIndex?) -> [DataTable] {
        guard landscape.repos > 0 else { return [] }
        var t = DataTable(title: "Licences declared by its repositories (read from clones at ingest; \(landscape.repos) with a record)",
                          columns: ["licence", "repos", "kind"])
        for l in landscape.byLicence {
            let kind = index.flatMap { LicenceTraits(id: l.id, index: $0).category?.rawValue }
            t.rows.append([.text(l.id), .number(Double(l.repos)), kind.map { .text($0) } ?? .empty])
        }
        if landscape.undeclared > 0 { t.rows.append([.text("(none declared)"), .number(Double(landscape.undeclared)), .empty]) }
        var tables = [t]
        if !landscape.relicensings.isEmpty {
            var r = DataTable(title: "Relicensing", columns: ["repository", "day", "from", "to", "commit"])
            for x in landscape.relicensings {
                r.rows.append([.text(x.repo.description), .text(ProjectHealth.day(x.change.time)), .text(x.change.from ?? "none"),
                               .text(x.change.to ?? "none"), .text(String(x.change.commit.prefix(10)))])
            }
            tables.append(r)
        }
        return tables
    }

    /// `licences.json` of a repository in the OpenDigger-layout export: the declared
    /// expression at the HEAD read, its licences, and the changes with their days.
    public static func repositoryJSON(_ r: RepoLicenceRecord) -> String {
        let changes = r.changes.map { c in
            "{\"commit\":\(JSONText.string(c.commit)),\"date\":\(JSONText.string(ProjectHealth.day(c.time))),\"from\":\(c.from.map(JSONText.string) ?? "null"),\"to\":\(c.to.map(JSONText.string) ?? "null")}"
        }
        return "{\"expression\":\(r.expression.map(JSONText.string) ?? "null"),\"licences\":[\(r.licences.map(JSONText.string).joined(separator: ","))],"
            + "\"head\":\(JSONText.string(r.head)),\"changes\":[\(changes.joined(separator: ","))]}"
    }

    static func list(_ files: [String]) -> String {
        files.count <= 3 ? files.joined(separator: ", ") : files.prefix(3).joined(separator: ", ") + " and \(files.count - 3) more"
    }
}
