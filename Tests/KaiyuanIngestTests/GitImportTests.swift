import Foundation
import KaiyuanCore
import KaiyuanIngest
import KaiyuanMetrics
import KaiyuanSources
import KaiyuanStore
import TestSupport
import XCTest

/// Histories of real repositories made with `git init` here, read through `git log`.
final class GitImportTests: StoreTestCase {
    func makeRepo() throws -> GitFixture {
        let repo = try GitFixture(in: dir)
        try repo.commit("init", author: "韩梅梅", email: "meimei@corp.cn", date: "2024-01-10T10:00:00+08:00",
                        files: ["README.md": "hello\nworld\n", "LICENSE": "MIT\n"])
        try repo.git("checkout", "-q", "-b", "feature")
        try repo.commit("feature", author: "Li Lei", email: "12+lilei@users.noreply.github.com", date: "2024-01-20T09:00:00-05:00",
                        files: ["src/a.swift": "let a = 1\nlet b = 2\nlet c = 3\n", "logo.png": "\u{0}\u{1}binary\u{0}"],
                        coAuthors: ["Han Meimei <meimei@corp.cn>"])
        try repo.git("checkout", "-q", "main")
        try repo.merge("feature", author: "韩梅梅", email: "MeiMei@Corp.cn", date: "2024-02-01T08:00:00+08:00")
        return repo
    }

    func testCloneHistoryIsReadAndStoredOnce() throws {
        let repo = try makeRepo()
        try repo.git("remote", "add", "origin", "https://gitee.com/kaiyuan-demo/lanterns.git")
        let clone = try GitRepository(path: repo.path.path)
        XCTAssertEqual(clone.inferredRepo(), ForgeRepo(platform: .gitee, name: "kaiyuan-demo/lanterns"))
        XCTAssertEqual(clone.licenceFiles(), ["LICENSE"])

        let importer = GitImporter(store: store, batchSize: 2)
        let first = try importer.importClone(clone, as: nil)
        XCTAssertEqual(first.commitsRead, 3)
        XCTAssertEqual(first.commitsNew, 3)
        XCTAssertEqual(first.merges, 1)
        XCTAssertFalse(first.incremental)

        let record = try XCTUnwrap(store.gitRepository(ForgeRepo(platform: .gitee, name: "kaiyuan-demo/lanterns"), create: false))
        XCTAssertEqual(record.commits, 3)
        XCTAssertEqual(record.licenceFiles, ["LICENSE"])
        let history = try store.gitHistory(repository: record.id)
        let feature = try XCTUnwrap(history.commits.first { $0.subject == "feature" })
        XCTAssertEqual(feature.linesAdded, 3, "the binary logo adds no lines")
        XCTAssertEqual(feature.binaryFiles, 1)
        XCTAssertEqual(feature.coAuthors.map { history.people[Int($0)].email }, ["meimei@corp.cn"])
        // -05:00 on 2024-01-20 09:00 is 14:00 UTC.
        XCTAssertEqual(feature.authorTime, CivilDate.days(year: 2024, month: 1, day: 20) * 86_400 + 14 * 3600)

        // Nothing new: a second run reads nothing and stores nothing.
        let again = try importer.importClone(clone, as: nil)
        XCTAssertTrue(again.incremental)
        XCTAssertEqual(again.commitsRead, 0)
        XCTAssertEqual(try store.gitRepository(record.repo, create: false)?.commits, 3)

        // Two new commits: only they are read.
        try repo.commit("more", author: "Li Lei", email: "lilei@users.noreply.github.com", date: "2024-03-01T00:00:00+00:00", files: ["src/a.swift": "let a = 1\n"])
        try repo.commit("even more", author: "Li Lei", email: "lilei@users.noreply.github.com", date: "2024-03-02T00:00:00+00:00", files: ["b.txt": "b\n"])
        let incremental = try importer.importClone(clone, as: nil)
        XCTAssertTrue(incremental.incremental)
        XCTAssertEqual(incremental.commitsRead, 2)
        XCTAssertEqual(incremental.commitsNew, 2)

        // A force-push that drops history: the whole log is read again, nothing is duplicated.
        try repo.git("reset", "-q", "--hard", "HEAD~1")
        try repo.commit("rewritten", author: "Li Lei", email: "lilei@users.noreply.github.com", date: "2024-03-03T00:00:00+00:00", files: ["c.txt": "c\n"])
        let rewritten = try importer.importClone(clone, as: nil)
        XCTAssertFalse(rewritten.incremental)
        XCTAssertEqual(rewritten.commitsRead, 5)
        XCTAssertEqual(rewritten.commitsNew, 1)
        XCTAssertEqual(try store.gitRepository(record.repo, create: false)?.commits, 6)
    }

    func testMetricsOfAClone() throws {
        let repo = try makeRepo()
        let clone = try GitRepository(path: repo.path.path)
        XCTAssertEqual(clone.inferredRepo(), ForgeRepo(platform: .other, name: "repo"), "no remote: the folder's name")
        try GitImporter(store: store).importClone(clone, as: ForgeRepo("gitee:demo/repo"))
        let engine = try GitMetricsEngine(store: store)
        let a = try engine.analysis(of: try XCTUnwrap(engine.repository(ForgeRepo("gitee:demo/repo")!)))
        let jan = Period(.month, containing: Month(year: 2024, month: 1)), feb = Period(.month, containing: Month(year: 2024, month: 2))
        let q1 = Period(kind: .quarter, year: 2024, number: 1)
        XCTAssertEqual(a.metrics.value(.commits, jan), 2)
        XCTAssertEqual(a.metrics.value(.mergeCommits, feb), 1)
        XCTAssertEqual(a.metrics.value(.authors, jan), 2)
        XCTAssertEqual(a.metrics.value(.authors, feb), 1)
        // 韩梅梅 (two spellings of one email) and Li Lei: two people over the quarter, not 3.
        XCTAssertEqual(a.metrics.value(.authors, q1), 2)
        XCTAssertEqual(a.metrics.value(.newAuthors, jan), 2)
        XCTAssertEqual(a.metrics.value(.newAuthors, feb), 0)
        XCTAssertEqual(a.metrics.value(.linesAdded, jan), 6)   // 2 (README) + 1 (LICENSE) + 3 (a.swift)
        XCTAssertEqual(a.metrics.value(.coAuthoredCommits, jan), 1)
        XCTAssertEqual(a.metrics.shares[.timezoneShare]?[jan], ["+08:00": 0.5, "-05:00": 0.5])
    }

    func testLogFileImportIsIdempotentAndNamesProblems() throws {
        let repo = try makeRepo()
        var log = try repo.git(["log", "--no-color", "--no-renames", "--numstat", "--format=" + GitLogReader.format, "HEAD"])
        log += "garbage line after the last commit is numstat-shaped? no\n"
        let file = dir.appendingPathComponent("export.gitlog")
        try Data(log.utf8).write(to: file)
        let importer = GitImporter(store: store)
        let name = ForgeRepo("atomgit:demo/exported")!
        let first = try importer.importLogFile(file.path, as: name)
        XCTAssertEqual(first.commitsNew, 3)
        XCTAssertEqual(first.stats.problems[.badNumstat], 1)
        XCTAssertTrue(first.stats.examples[0].description.hasPrefix(file.path + ":"))
        let second = try importer.importLogFile(file.path, as: name)
        XCTAssertEqual(second.commitsRead, 3)
        XCTAssertEqual(second.commitsNew, 0, "the same export twice changes nothing")
        XCTAssertEqual(try store.gitRepository(name, create: false)?.commits, 3)
    }

    func testURLIsClonedIntoTheCacheThenFetched() throws {
        let repo = try makeRepo()
        let cache = dir.appendingPathComponent("cache").path
        let url = "file://" + repo.path.path
        let clone = try GitRepository.cloneOrUpdate(url: url, cache: cache)
        XCTAssertTrue(clone.path.hasPrefix(cache))
        XCTAssertEqual(try GitImporter(store: store).importClone(clone, as: ForgeRepo("other:fixture")).commitsNew, 3)
        try repo.commit("later", author: "Li Lei", email: "lilei@users.noreply.github.com", date: "2024-04-01T00:00:00Z", files: ["z": "z\n"])
        let updated = try GitRepository.cloneOrUpdate(url: url, cache: cache)
        XCTAssertEqual(updated.path, clone.path)
        let second = try GitImporter(store: store).importClone(updated, as: ForgeRepo("other:fixture"))
        XCTAssertTrue(second.incremental)
        XCTAssertEqual(second.commitsNew, 1)
    }

    func testMailmapFromTheClone() throws {
        let repo = try makeRepo()
        try repo.commit("mailmap", author: "Li Lei", email: "lilei@users.noreply.github.com", date: "2024-05-01T00:00:00Z",
                        files: [".mailmap": "Li Lei <lilei@work.example> <lei.li@old-job.example>\n"])
        try repo.commit("old address", author: "lei", email: "lei.li@old-job.example", date: "2024-05-02T00:00:00Z", files: ["x": "x\n"])
        try repo.commit("new address", author: "Lei Li (work)", email: "lilei@work.example", date: "2024-05-03T00:00:00Z", files: ["y": "y\n"])
        try GitImporter(store: store).importClone(try GitRepository(path: repo.path.path), as: ForgeRepo("other:mm"))
        let engine = try GitMetricsEngine(store: store)
        let a = try engine.analysis(of: try XCTUnwrap(engine.repository(ForgeRepo("other:mm")!)))
        let may = Period(.month, containing: Month(year: 2024, month: 5))
        XCTAssertEqual(a.metrics.value(.authors, may), 2, "the .mailmap makes lei.li@old-job and lilei@work one person; the noreply lilei, called by the common name Li Lei, stays apart")
        XCTAssertEqual(a.metrics.value(.commits, may), 3)
    }
}
