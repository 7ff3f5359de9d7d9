import ArgumentParser
import Foundation
import KaiyuanLicences
import KaiyuanOutputs

struct Licences: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "licences",
        abstract: "Find every licence in a file, a directory tree or a clone, and what conflicts with the project's.",
        discussion: """
            Each text file is compared word by word with kaiyuan's licence index: ScanCode's \
            licence database (2,600 licences, 36,000 rules) and the licences it lacks (the \
            DeepSeek, Qwen/Tongyi Qianwen, Llama 3, Gemma and Yi model licences, Anti-996 in \
            Chinese). A match names its licence (an SPDX id, or LicenseRef-scancode-… / \
            LicenseRef-kaiyuan-…), its score (the share of the licence's words found), its lines, \
            and how it was found: exact-text, near-text, notice, spdx-tag or manifest.

            In a clone's folder, the files git knows are read (tracked, and new ones not ignored), \
            so build output is left out (--all-files reads everything); a bare clone is read at \
            HEAD. A match of only a licence's name ("AGPL-3.0" in a comment) is a mention: \
            listed, and too weak to judge compatibility on.

            What the project declares comes from the top-level licence files (LICENSE, COPYING…) \
            and manifests (package.json, Cargo.toml, pyproject.toml, pom.xml…). Every other \
            licence is checked against it; the rules are in ARCHITECTURE.md. Licence-like text \
            that matches nothing known is reported as unknown, never forced onto a licence. Binary, \
            huge and unreadable files and symbolic links are skipped and named; GB18030 (GBK) \
            text is decoded.

            Examples:
              kaiyuan licences .
              kaiyuan licences LICENSE --format json
              kaiyuan licences path/to/clone --format json > licences.json
            """
    )

    @Argument(help: "A file, a directory or a clone.")
    var path: String = "."

    @Option(help: "table or json.")
    var format: OutputFormat = .table

    @Flag(help: "In a clone, scan every file in the folder, not only those git knows (tracked, or new and not ignored).")
    var allFiles = false

    func validate() throws {
        if format == .csv { throw ValidationError("licences are written as tables or as JSON (--format table|json)") }
    }

    func run() async throws {
        let index = try LicenceIndex.shared()
        let bar = ProgressBar()
        let report = LicenceScanner(index: index).scan(path: path, allFiles: allFiles) { done, total in
            if done % 64 == 0 || done == total { bar.update(fraction: Double(done) / Double(max(total, 1)), label: "licences", detail: "\(done)/\(total) files") }
        }
        bar.clear()
        if format == .json { print(LicenceOutput.json(report)); return }
        print(LicenceOutput.summary(report, width: TerminalWidth.columns()))
        let kinds = { (id: String) -> String? in
            let cats = Set(LicenceExpression.atoms(id).compactMap { LicenceTraits(id: $0, index: index).category?.rawValue })
            return cats.isEmpty ? nil : cats.sorted().joined(separator: ", ")
        }
        for table in LicenceOutput.tables(report, categories: kinds) { print("\n" + table.render(.table)) }
        if report.files.count > 40 { print("\n(\(report.files.count) files with licences: --format json lists each match with its lines)") }
    }
}
