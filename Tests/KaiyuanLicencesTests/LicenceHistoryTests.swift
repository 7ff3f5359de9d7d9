import Foundation
import KaiyuanCore
import KaiyuanIngest
import KaiyuanOutputs
import KaiyuanPeople
import KaiyuanReports
import KaiyuanSources
import KaiyuanStoreSQLite
import TestSupport
import XCTest
@testable import KaiyuanLicences

/// Relicensing found in the history of a clone's licence files, kept in the store, shown
/// over a label and exported; clones read as git knows them.
final class LicenceHistoryTests: StoreTestCase {
    func fixture() throws -> (GitFixture, first: String, relicensed: String) {
        let repo = try GitFixture(in: dir, name: "relic")
        let first = try repo.commit("MIT", author: "A", email: "a@x.test", date: "2020-01-02T00:00:00+00:00",
                                    files: ["LICENSE": "MIT License\n\n" + Texts.mit, "main.c": "int main(void) { return 0; }\n"])
        try repo.commit("code", author: "A", email: "a@x.test", date: "2021-01-02T00:00:00+00:00", files: ["main.c": "int main(void) { return 1; }\n"])
        let relicensed = try repo.commit("to BSD", author: "A", email: "a@x.test", date: "2022-03-04T00:00:00+00:00",
                                         files: ["LICENSE": "BSD 3-Clause License\n\n" + Texts.bsd3,
                                                 ".gitignore": "build/\n", "package.json": #"{"name": "relic", "license": "BSD-3-Clause"}"#])
        return (repo, first, relicensed)
    }

    /// Relicensing done in a manifest alone (no licence file changed) is a change, and the
    /// history's last change is what HEAD declares.
    func testRelicensingInAManifestIsAChange() throws {
        let repo = try GitFixture(in: dir, name: "manifest-only")
        let first = try repo.commit("MIT", author: "A", email: "a@x.test", date: "2020-01-02T00:00:00+00:00",
                                    files: ["package.json": #"{"name": "m", "license": "MIT"}"#, "index.js": "1\n"])
        let second = try repo.commit("Apache", author: "A", email: "a@x.test", date: "2023-05-06T00:00:00+00:00",
                                     files: ["package.json": #"{"name": "m", "license": "Apache-2.0"}"#])
        try repo.commit("code", author: "A", email: "a@x.test", date: "2024-01-02T00:00:00+00:00", files: ["index.js": "2\n"])
        let record = try LicenceHistory.read(clone: try GitRepository(path: repo.path.path), repo: ForgeRepo(platform: .github, name: "m/m"),
                                             index: try LicenceIndex.shared())
        XCTAssertEqual(record.expression, "Apache-2.0")
        XCTAssertEqual(record.changes.map(\.commit), [first, second])
        XCTAssertEqual(record.changes.map { "\($0.from ?? "-")→\($0.to ?? "-")" }, ["-→MIT", "MIT→Apache-2.0"])
        XCTAssertEqual(record.changes.last?.to, record.expression)
    }

    func testRelicensingIsReadStoredShownAndExported() throws {
        let (repo, first, relicensed) = try fixture()
        var importer = GitImporter(store: store)
        importer.licences = try LicenceIndex.shared()
        let name = ForgeRepo(platform: .github, name: "demo/relic")
        let summary = try importer.importClone(try GitRepository(path: repo.path.path), as: name)
        XCTAssertEqual(summary.licence, "BSD-3-Clause")
        let records = try store.repoLicences()
        XCTAssertEqual(records.count, 1)
        let r = try XCTUnwrap(records.first)
        XCTAssertEqual(r.expression, "BSD-3-Clause", "the licence file and package.json agree")
        XCTAssertEqual(r.licences, ["BSD-3-Clause"])
        XCTAssertEqual(r.head, relicensed)
        XCTAssertEqual(r.changes, [LicenceChange(commit: first, time: 1_577_923_200, from: nil, to: "MIT"),
                                   LicenceChange(commit: relicensed, time: 1_646_352_000, from: "MIT", to: "BSD-3-Clause")],
                       "the commit that only changed code is no change")
        // Reading the same HEAD again leaves the record as it was (same time of reading).
        _ = try importer.importClone(try GitRepository(path: repo.path.path), as: name)
        XCTAssertEqual(try store.repoLicences(), records)

        let landscape = LicenceLandscape(records: records, index: try LicenceIndex.shared())
        XCTAssertEqual(landscape.repos, 1)
        XCTAssertEqual(landscape.byLicence.map(\.id), ["BSD-3-Clause"])
        XCTAssertEqual(landscape.byCategory.map(\.category), [.permissive])
        XCTAssertEqual(landscape.relicensings.map { "\($0.change.from ?? "-")→\($0.change.to ?? "-")" }, ["MIT→BSD-3-Clause"], "the first licence added is no relicensing")
        XCTAssertEqual(LicenceLandscape(records: records, index: nil, covers: { _ in false }).repos, 0)
        let labels = LabelIndex([
            LabelDefinition(id: ":companies/demo", type: "Company", name: "Demo", members: [LabelMember(platform: .github, kind: .org, id: nil, name: "demo")]),
            LabelDefinition(id: ":companies/other", type: "Company", name: "Other", members: [LabelMember(platform: .github, kind: .repo, id: nil, name: "other/x")]),
        ])
        let ranked = LicenceLandscape.rankLabels(records: records, labels: labels, type: "Company", licence: "bsd-3-clause", top: 10)
        XCTAssertEqual(ranked.map(\.label.id), [":companies/demo"], "a label none of whose repositories declares it is left out")
        XCTAssertEqual(ranked.first?.declaring, 1)
        XCTAssertEqual(ranked.first?.read, 1)
        XCTAssertTrue(LicenceLandscape.rankLabels(records: records, labels: labels, type: "Company", licence: "MIT", top: 10).isEmpty, "MIT was the licence before, not now")

        XCTAssertEqual(LicenceOutput.repositoryJSON(r), """
            {"expression":"BSD-3-Clause","licences":["BSD-3-Clause"],"head":"\(relicensed)","changes":[{"commit":"\(first)","date":"2020-01-02","from":null,"to":"MIT"},{"commit":"\(relicensed)","date":"2022-03-04","from":"MIT","to":"BSD-3-Clause"}]}
            """)
    }

    func testCloneIsReadAsGitKnowsIt() throws {
        let (repo, _, _) = try fixture()
        // Build output git ignores, and a bare clone read at HEAD.
        try FileManager.default.createDirectory(at: repo.path.appendingPathComponent("build"), withIntermediateDirectories: true)
        try Data("// SPDX-License-Identifier: GPL-3.0-only\n".utf8).write(to: repo.path.appendingPathComponent("build/gen.c"))
        try Data("// SPDX-License-Identifier: MPL-2.0\n".utf8).write(to: repo.path.appendingPathComponent("new.c"))
        let scanner = LicenceScanner(index: try LicenceIndex.shared())
        let work = scanner.scan(path: repo.path.path)
        XCTAssertFalse(work.detected.contains("GPL-3.0-only"), "ignored files are not the project's")
        XCTAssertTrue(work.detected.contains("MPL-2.0"), "a new file not ignored is")
        XCTAssertTrue(scanner.scan(path: repo.path.path, allFiles: true).detected.contains("GPL-3.0-only"))
        let bare = dir.appendingPathComponent("relic.git").path
        _ = try repo.git("clone", "-q", "--bare", repo.path.path, bare)
        let head = scanner.scan(path: bare)
        XCTAssertEqual(head.expression, "BSD-3-Clause")
        XCTAssertFalse(head.detected.contains("MPL-2.0"), "HEAD has no uncommitted file")
        XCTAssertEqual(head.filesScanned, 4)
    }
}
