import Foundation
import KaiyuanCore
import KaiyuanIngest
import KaiyuanMetrics
import KaiyuanPeople
@testable import KaiyuanReports
import KaiyuanStore
import TestSupport
import XCTest

/// Mirror detection on real histories: DeepSeek-V3's as GitHub's, the same history without
/// its newest commits as a Gitee mirror, nacos's as a bystander.
final class MirrorTests: StoreTestCase {
    let github = ForgeRepo(platform: .github, name: "deepseek-ai/DeepSeek-V3")
    let gitee = ForgeRepo(platform: .gitee, name: "deepseek-ai/DeepSeek-V3")

    /// The log's commit records (split at the record separator), newest first as git writes them.
    func records(_ url: URL) throws -> [Data] {
        try gunzip(url).split(separator: 0x1E, omittingEmptySubsequences: true).map { Data($0) }
    }

    func write(_ records: [Data], _ name: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        var out = Data()
        for r in records { out.append(0x1E); out.append(r) }
        try out.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Committer time of a record (field 8), as Unix seconds.
    func commitTime(_ record: Data) -> Int64 {
        let fields = record.split(separator: 0, omittingEmptySubsequences: false)
        let text = String(decoding: fields[7], as: UTF8.self)
        return Int64(ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970)
    }

    func testAMirrorMissingItsNewestCommitsIsFoundMeasuredAndCountedOnce() throws {
        let all = try records(try sharedData("data/gitlog/deepseek-ai__DeepSeek-V3.gitlog.gz"))
        XCTAssertEqual(all.count, 73)
        let importer = GitImporter(store: store)
        _ = try importer.importLogFile(try write(all, "upstream.log"), as: github)
        _ = try importer.importLogFile(try write(Array(all.dropFirst(4)), "mirror.log"), as: gitee)
        _ = try importer.importLogFile(try sharedData("data/gitlog/alibaba__nacos.gitlog.gz").path, as: ForgeRepo(platform: .gitee, name: "alibaba/nacos"))

        let pairs = try MirrorFinder(store: store).find()
        XCTAssertEqual(pairs.count, 1, "nacos shares no root with DeepSeek-V3")
        let p = try XCTUnwrap(pairs.first)
        XCTAssertEqual(p.upstream, github)
        XCTAssertEqual(p.mirror, gitee)
        XCTAssertEqual(p.sharedCommits, 69)
        XCTAssertEqual(p.upstreamOnlyCommits, 4)
        XCTAssertEqual(p.mirrorOnlyCommits, 0)
        XCTAssertEqual(p.confidence, "high")
        XCTAssertTrue(p.evidence.contains { $0.what.hasPrefix("the same root commit ") && $0.strength == .strong })
        XCTAssertTrue(p.evidence.contains { $0.what.hasPrefix("every commit of gitee:deepseek-ai/DeepSeek-V3 up to ") && $0.what.hasSuffix(" is in github:deepseek-ai/DeepSeek-V3 (69 shared)") },
                      "\(p.evidence)")
        // Behind: the oldest of the 4 missing commits had waited this long when the mirror was
        // read; the median over the 4.
        let read = try XCTUnwrap(store.gitRepository(gitee, create: false)?.readAt)
        let missing = all.prefix(4).map(commitTime)
        XCTAssertEqual(try XCTUnwrap(p.lagDaysLatest), Double(read - missing.min()!) / 86_400, accuracy: 0.011)
        let sortedWaits = missing.map { Double(read - $0) / 86_400 }.sorted()
        XCTAssertEqual(try XCTUnwrap(p.lagDaysMedian), (sortedWaits[1] + sortedWaits[2]) / 2, accuracy: 0.011)
        XCTAssertEqual(MirrorFinder.sentences(about: gitee, in: pairs).first?.hasPrefix("mirror of github:deepseek-ai/DeepSeek-V3, "), true)
        XCTAssertEqual(MirrorFinder.sentences(about: github, in: pairs).first?.hasPrefix("mirrored to gitee:deepseek-ai/DeepSeek-V3 "), true)

        // Counted once: the mirror leaves the git ranking, and a label covering both sums the
        // project once; a label covering the mirror alone still counts it.
        let mirrors = try MirrorFinder(store: store).gitMirrors()
        XCTAssertEqual(mirrors, [gitee: github])
        let labels = [
            LabelDefinition(id: ":companies/deepseek", type: "Company", name: "DeepSeek",
                            members: [LabelMember(platform: .github, kind: .org, id: nil, name: "deepseek-ai"),
                                      LabelMember(platform: .gitee, kind: .org, id: nil, name: "deepseek-ai")]),
            LabelDefinition(id: ":companies/gitee-watchers", type: "Company", name: "Watchers",
                            members: [LabelMember(platform: .gitee, kind: .repo, id: nil, name: "deepseek-ai/DeepSeek-V3")]),
        ]
        let engine = GitMetricsEngine(store: store, context: PeopleContext(labels: labels))
        let year = Period("2025")!
        let upstreamCommits = try XCTUnwrap(engine.rank(by: .commits, period: year, top: 10).first { $0.repo == github }?.value)
        XCTAssertFalse(try engine.rank(by: .commits, period: year, top: 10, mirrors: mirrors).contains { $0.repo == gitee })
        let ranked = try engine.rankLabels(type: "Company", by: .commits, period: year, top: 10, mirrors: mirrors)
        XCTAssertEqual(ranked.first { $0.label.id == ":companies/deepseek" }?.value, upstreamCommits)
        XCTAssertEqual(ranked.first { $0.label.id == ":companies/deepseek" }?.repos, 1)
        XCTAssertNotNil(ranked.first { $0.label.id == ":companies/gitee-watchers" }, "its only project is the mirror")

        let burden = MirrorBurden.of(pairs, repositories: try MirrorFinder(store: store).knownRepositories(), covers: nil)
        XCTAssertEqual(burden.projects, 2, "DeepSeek-V3 once, and nacos")
        XCTAssertEqual(burden.upstreamPlatforms, [.github: 1])
        XCTAssertTrue(burden.sentence.hasPrefix("1 of 2 projects are mirrored (upstreams on github 1)"), burden.sentence)
    }

    /// A shared root with both sides gone their own ways is a fork, not a mirror; and only
    /// the commits both could hold (before the earlier read) are compared.
    func testForksAreNotMirrorsAndReadTimesBoundTheComparison() throws {
        let all = try records(try sharedData("data/gitlog/deepseek-ai__DeepSeek-V3.gitlog.gz"))
        // The Gitee side lacks the newest 4 and has a commit of its own on top.
        var own = all[4]
        let fields = own.split(separator: 0, omittingEmptySubsequences: false)
        let ownSHA = Data(String(repeating: "e", count: 40).utf8)
        var rebuilt = [ownSHA, fields[0]] + fields[2...]
        rebuilt[8] = Data("a commit only the fork has".utf8)
        own = Data(rebuilt.joined(separator: [0]))
        let importer = GitImporter(store: store)
        _ = try importer.importLogFile(try write(all, "upstream.log"), as: github)
        _ = try importer.importLogFile(try write([own] + Array(all.dropFirst(4)), "fork.log"), as: gitee)
        XCTAssertEqual(try MirrorFinder(store: store).find().count, 0, "diverged: a fork; and a name alone is no evidence")

        func history(_ commits: [UInt64: Int64], read: Int64) -> MirrorFinder.History {
            MirrorFinder.History(record: GitRepoRecord(id: 1, repo: github, head: nil, source: nil, licenceFiles: [], mailmap: nil, commits: commits.count, readAt: read),
                                 commits: commits, roots: [1])
        }
        // The upstream was read later and gained commits 4 and 5 since the mirror's read at 300.
        let upstream = history([1: 100, 2: 200, 3: 250, 4: 400, 5: 500], read: 600)
        let mirror = history([1: 100, 2: 200, 3: 250], read: 300)
        let c = MirrorFinder.compare(upstream, mirror)
        XCTAssertEqual(c.shared, 3)
        XCTAssertEqual(c.aOnly, 0, "commits made after the mirror's read cannot be on it")
        XCTAssertEqual(c.bOnly, 0)
        XCTAssertEqual(c.window, 300)
    }

    /// Without histories: a name alone is no evidence; a name with the same description is weak
    /// evidence (low confidence); an API's mirror source is strong, and says which is the mirror.
    func testAPIRecordsAndNames() throws {
        let a = ForgeRepo(platform: .github, name: "acme/tool"), b = ForgeRepo(platform: .gitee, name: "acme/tool")
        try store.setForgeRepository(ForgeRepositoryRecord(repo: b, description: "A tool.", readAt: 1))
        _ = try store.gitRepository(a, create: true)
        XCTAssertEqual(try MirrorFinder(store: store).find().count, 0, "the same name alone is not a mirror")
        try store.setForgeRepository(ForgeRepositoryRecord(repo: a, description: "a tool", readAt: 1))
        let weak = try MirrorFinder(store: store).find()
        XCTAssertEqual(weak.count, 1)
        XCTAssertEqual(weak.first?.confidence, "low")
        XCTAssertEqual(weak.first?.upstream, a, "nothing tells them apart: GitHub by default, and it says so")
        try store.setForgeRepository(ForgeRepositoryRecord(repo: ForgeRepo(platform: .gitee, name: "mirrors/Tool"), description: "other",
                                                           isMirror: true, mirrorOf: "https://github.com/acme/tool.git", readAt: 2))
        let pairs = try MirrorFinder(store: store).find()
        let api = try XCTUnwrap(pairs.first { $0.mirror.name == "mirrors/Tool" })
        XCTAssertEqual(api.upstream, a)
        XCTAssertEqual(api.confidence, "medium")
        XCTAssertTrue(api.upstreamBecause.contains("API says it is a mirror"), api.upstreamBecause)
        XCTAssertNil(api.lagDaysLatest, "no histories: no lag")
        XCTAssertEqual(MirrorFinder.homepage("https://gitee.com/acme/tool"), nil, "a forge's own page says nothing")
        XCTAssertEqual(MirrorFinder.homepage("https://www.Acme.io/"), "acme.io")
    }
}
