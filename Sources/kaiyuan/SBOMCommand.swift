import ArgumentParser
import Foundation
import KaiyuanLicences
import KaiyuanSBOM

enum SBOMFormat: String, ExpressibleByArgument, CaseIterable {
    case spdxJSON = "spdx-json"
    case cyclonedxJSON = "cyclonedx-json"
}

struct SBOMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sbom",
        abstract: "Write a software bill of materials (SPDX 2.3 or CycloneDX 1.6 JSON) for a directory or clone.",
        discussion: """
            Components come from the manifests and lockfiles of npm (package.json, \
            package-lock.json), Python (requirements*.txt, pyproject.toml, poetry.lock), Go (go.mod, \
            go.sum), Rust (Cargo.toml, Cargo.lock), Maven (pom.xml) and Swift (Package.swift, \
            Package.resolved); a lockfile's exact versions win over a manifest's ranges. Each has a \
            package URL (purl), its version and, where a manifest or lockfile declares one, its \
            licence. The project's own licence is what `kaiyuan licences` detects. Folders of \
            installed dependencies and builds (node_modules, vendor, target, .build…) are not read.

            With --files, every file is listed with its SHA-1 and the licences found in it. The \
            document is the same for the same input: its time is $SOURCE_DATE_EPOCH, else the \
            clone's HEAD commit time, else the newest file's.

            Examples:
              kaiyuan sbom . --format spdx-json --out sbom.spdx.json
              kaiyuan sbom path/to/clone --format cyclonedx-json --files > bom.json
            """
    )

    @Argument(help: "A directory or a clone (a single manifest file also works).")
    var path: String = "."

    @Option(help: "spdx-json or cyclonedx-json.")
    var format: SBOMFormat = .spdxJSON

    @Option(help: "Write the document here instead of standard output.")
    var out: String?

    @Flag(help: "List every file with its checksum and licences.")
    var files = false

    func run() async throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("\(path) does not exist: give a directory, a clone or a manifest file")
        }
        let index = try LicenceIndex.shared()
        let sbom = SBOM.build(path: path, index: index, withFiles: files, excluding: out)
        let text = format == .spdxJSON ? SPDXWriter.write(sbom, index: index) : CycloneDXWriter.write(sbom, index: index)
        for p in sbom.problems.prefix(20) { FileHandle.standardError.write(Data("kaiyuan sbom: \(p)\n".utf8)) }
        if sbom.problems.count > 20 { FileHandle.standardError.write(Data("kaiyuan sbom: … and \(sbom.problems.count - 20) more\n".utf8)) }
        if !sbom.skipped.isEmpty {
            let reasons = Dictionary(grouping: sbom.skipped, by: { $0.reason.components(separatedBy: " (")[0] }).map { "\($0.key) \($0.value.count)" }.sorted()
            FileHandle.standardError.write(Data("kaiyuan sbom: \(sbom.skipped.count) files not scanned for licences (\(reasons.joined(separator: ", "))); `kaiyuan licences PATH` names each\n".utf8))
        }
        if let out {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            FileHandle.standardError.write(Data("kaiyuan sbom: \(sbom.components.count) components\(sbom.files.map { ", \($0.count) files" } ?? "") → \(out)\n".utf8))
        } else {
            print(text, terminator: "")
        }
    }
}
