import Foundation
import KaiyuanCore
import KaiyuanStore
import TestSupport
import XCTest

/// What every store must do, whatever is behind it: each check takes a fresh store. The
/// SQLite and the ClickHouse test classes run every check.
struct StoreContract {
    let make: () throws -> any DataStore

    static let march = Month(year: 2024, month: 3), april = Month(year: 2024, month: 4)
    static let gitee = Platform.gitee

    /// Two GitHub repositories and a Gitee one whose own id equals the first GitHub id.
    static func delta(extraFact: Bool = false) -> FileDelta {
        var d = FileDelta()
        let giteeRepo = gitee.key(1)
        d.facts = [
            Fact(repo: 1, kind: .star, month: march, object: 10, actor: 10),
            Fact(repo: 1, kind: .issueOpened, month: march, object: 500, actor: 10),
            Fact(repo: 1, kind: .issueOpened, month: april, object: 501, actor: 11),
            Fact(repo: 1, kind: .issueComment, month: april, object: 900, actor: 11),
            Fact(repo: 2, kind: .pullOpened, month: april, object: 70, actor: 10),
            Fact(repo: 2, kind: .push, month: april, object: 71, actor: 10),
            Fact(repo: giteeRepo, kind: .issueOpened, month: march, object: 500, actor: gitee.key(10)),
        ] + (extraFact ? [Fact(repo: 2, kind: .star, month: april, object: 12, actor: 12)] : [])
        d.pullRequestLines = [PullRequestLines(eventID: 80, repo: 2, month: april, additions: 5, deletions: 3)]
        d.itemEvents = [ItemEvent(repo: 1, number: 1, isPullRequest: false, kind: .opened, at: 1_709_300_000, actor: 10),
                        ItemEvent(repo: 1, number: 1, isPullRequest: false, kind: .response, at: 1_709_400_000, actor: 11)]
        d.repoNames.record(NameSighting(id: 1, name: "acme/rocket", firstSeen: 100, lastSeen: 200))
        d.repoNames.record(NameSighting(id: 1, name: "acme/old-rocket", firstSeen: 10, lastSeen: 90))
        d.repoNames.record(NameSighting(id: 2, name: "acme/100%_done", firstSeen: 100, lastSeen: 100))
        d.repoNames.record(NameSighting(id: giteeRepo, name: "acme/rocket", firstSeen: 100, lastSeen: 100))
        for (id, login) in [(Int64(10), "alice"), (11, "bob"), (12, "ci[bot]"), (gitee.key(10), "alice")] {
            d.actorLogins.record(NameSighting(id: id, name: login, firstSeen: 100, lastSeen: 100))
        }
        d.openRankExclusions = [Fact(repo: 1, kind: .issueOpened, month: april, object: 501, actor: 11)]
        d.finish()
        return d
    }

    static func file(_ name: String, events: Int = 7) -> IngestedFile {
        IngestedFile(name: name, size: 1000, events: events, skippedLines: 1, ingestedAt: 1_700_000_000)
    }

    func all(_ store: any DataStore) throws -> [RepoFacts] {
        var out: [RepoFacts] = []
        try store.forEachRepository(months: nil) { out.append($0) }
        return out
    }

    func committingTwiceChangesNothing() throws {
        let store = try make()
        XCTAssertNil(try store.ingestedFile(named: "a.json.gz"))
        XCTAssertTrue(try store.commit(Self.delta(), file: Self.file("a.json.gz")))
        let first = try store.summary()
        let stamp = try store.dataStamp()
        XCTAssertFalse(try store.commit(Self.delta(), file: Self.file("a.json.gz")), "the same file again")
        XCTAssertEqual(try store.summary().facts, first.facts)
        XCTAssertEqual(try store.dataStamp(), stamp, "nothing changed, so neither did the stamp")
        XCTAssertEqual(try store.ingestedFile(named: "a.json.gz"), Self.file("a.json.gz"))
        // The same facts under another file name: counted once.
        XCTAssertTrue(try store.commit(Self.delta(), file: Self.file("b.json.gz")))
        let second = try store.summary()
        XCTAssertEqual(second.facts, first.facts)
        XCTAssertEqual(second.files, 2)
        XCTAssertEqual(second.events, 14)
        XCTAssertEqual(first.facts, 7)
        XCTAssertEqual(first.repositories, 3)
        XCTAssertEqual(first.developers, 4)
        XCTAssertEqual(first.firstMonth, "2024-03")
        XCTAssertEqual(first.lastMonth, "2024-04")
        XCTAssertEqual(try store.ingestedEvents(), 14)
        XCTAssertNotEqual(try store.dataStamp(), stamp)
        // The same name with other content is another record of the same file.
        var changed = Self.file("a.json.gz", events: 9)
        changed.digest = "crc32:00000002"
        XCTAssertTrue(try store.commit(Self.delta(extraFact: true), file: changed))
        XCTAssertFalse(try store.commit(Self.delta(extraFact: true), file: changed))
        XCTAssertEqual(try store.ingestedFile(named: "a.json.gz", digest: "crc32:00000002")?.events, 9)
        XCTAssertEqual(try store.ingestedFile(named: "a.json.gz", digest: "")?.events, 7)
        XCTAssertEqual(try store.summary().files, 2, "names, not readings")
        XCTAssertEqual(try store.summary().facts, first.facts + 1)
        XCTAssertEqual(try store.ingestedEvents(), 9 + 7, "a name counts its fullest reading")
    }

    func scansComeInKeyOrderWithEverything() throws {
        let store = try make()
        try store.commit(Self.delta(), file: Self.file("a"))
        try store.commit(Self.delta(extraFact: true), file: Self.file("b"))
        let repos = try all(store)
        XCTAssertEqual(repos.map(\.repo.id), [1, 2, Self.gitee.key(1)])
        XCTAssertEqual(repos.map(\.repo.name), ["acme/rocket", "acme/100%_done", "acme/rocket"])
        XCTAssertEqual(repos.map(\.repo.platform), [.github, .github, .gitee])
        XCTAssertEqual(repos[0][.issueOpened].map(\.object), [500, 501])
        XCTAssertEqual(repos[0][.issueOpened].map(\.month), [Self.march, Self.april])
        XCTAssertEqual(repos[0].itemEvents.map(\.kind), [.opened, .response])
        XCTAssertEqual(repos[1].pullRequestLines.map(\.additions), [5])
        XCTAssertEqual(repos[1][.star].map(\.actor), [12])
        XCTAssertEqual(repos[2][.issueOpened].map(\.actor), [Self.gitee.key(10)])
        // One repository, some months; a developer's own view.
        let april = try store.facts(for: RepoRef(id: 1, name: "acme/rocket"), months: Self.april...Self.april)
        XCTAssertEqual(april[.issueOpened].map(\.object), [501])
        XCTAssertTrue(april[.star].isEmpty)
        var bobs: [Int64] = []
        try store.forEachRepository(months: nil, actor: 11) { bobs.append($0.repo.id); XCTAssertTrue($0.itemEvents.isEmpty) }
        XCTAssertEqual(bobs, [1])
        XCTAssertEqual(try store.repositories().map(\.id), [1, 2, Self.gitee.key(1)])
    }

    func namesArePerPlatform() throws {
        let store = try make()
        try store.commit(Self.delta(), file: Self.file("a"))
        XCTAssertEqual(try store.repository(named: "ACME/Rocket")?.id, 1)
        XCTAssertEqual(try store.repository(named: "acme/old-rocket")?.name, "acme/rocket", "a former name finds the current one")
        XCTAssertEqual(try store.repository(named: "acme/rocket", platform: .gitee)?.id, Self.gitee.key(1))
        XCTAssertNil(try store.repository(named: "acme/rocket", platform: .gitcode))
        XCTAssertEqual(try store.account(login: "Alice"), 10)
        XCTAssertEqual(try store.account(login: "alice", platform: .gitee), Self.gitee.key(10))
        XCTAssertEqual(try store.logins(for: [10, 11, Self.gitee.key(10), 999]), [10: "alice", 11: "bob", Self.gitee.key(10): "alice"])
        XCTAssertEqual(try store.accounts(withLoginSuffix: "[bot]"), [12])
    }

    func countsPerRepositoryAreDistinctOverTheRange() throws {
        let store = try make()
        try store.commit(Self.delta(), file: Self.file("a"))
        try store.commit(Self.delta(extraFact: true), file: Self.file("b"))
        let both = Self.march...Self.april
        XCTAssertEqual(try store.countPerRepository(kinds: [.issueOpened], key: .object, months: both), [1: 2, Self.gitee.key(1): 1])
        XCTAssertEqual(try store.countPerRepository(kinds: [.issueOpened], key: .actor, months: both), [1: 2, Self.gitee.key(1): 1])
        XCTAssertEqual(try store.countPerRepository(kinds: [.issueOpened], key: .object, months: Self.april...Self.april), [1: 1])
        // Two kinds together, one actor in both: counted once.
        XCTAssertEqual(try store.countPerRepository(kinds: [.pullOpened, .push], key: .actor, months: both), [2: 1])
        XCTAssertEqual(try store.countPerRepository(kinds: [.pullOpened, .push, .star], key: .fact, months: both), [1: 1, 2: 3])
        XCTAssertEqual(try store.countPerRepository(kinds: [.fork], key: .fact, months: both), [:])
    }

    func searchIsLiteral() throws {
        let store = try make()
        try store.commit(Self.delta(), file: Self.file("a"))
        XCTAssertEqual(Set(try store.repositories(prefix: "acme/r", limit: 10).map(\.id)), [1, Self.gitee.key(1)])
        XCTAssertEqual(try store.repositories(prefix: "acme/100%", limit: 10).map(\.id), [2])
        XCTAssertEqual(try store.repositories(prefix: "%", limit: 10).map(\.id), [], "a wildcard matches only itself")
        XCTAssertEqual(try store.repositories(prefix: "ACME/1", limit: 10).map(\.name), ["acme/100%_done"])
        XCTAssertEqual(try store.logins(prefix: "a", limit: 10), ["alice"])
        XCTAssertEqual(try store.logins(prefix: "_", limit: 10), [])
        XCTAssertEqual(try store.repositories(prefix: "acme", limit: 1).count, 1)
    }

    func openRankIsStoredExactlyPerGraph() throws {
        let store = try make()
        try store.commit(Self.delta(), file: Self.file("a"))
        let versions = try store.dataVersions(platforms: .github)
        XCTAssertEqual(Set(versions.keys), [Self.march, Self.april])
        XCTAssertEqual(Set(try store.dataVersions(platforms: PlatformSet([.gitee])).keys), [Self.march])
        var counts: [FactCount] = []
        try store.factCounts(month: Self.april, kinds: [.issueOpened, .issueComment, .pullOpened, .push], platforms: .github, excludedOnly: false) { counts.append($0) }
        XCTAssertEqual(Set(counts.map { "\($0.repo)/\($0.actor)/\($0.kind)/\($0.count)" }),
                       ["1/11/issueOpened/1", "1/11/issueComment/1", "2/10/pullOpened/1", "2/10/push/1"])
        var excluded: [FactCount] = []
        try store.factCounts(month: Self.april, kinds: [.issueOpened], platforms: .github, excludedOnly: true) { excluded.append($0) }
        XCTAssertEqual(excluded, [FactCount(repo: 1, actor: 11, kind: .issueOpened, count: 1)])
        var gitee: [FactCount] = []
        try store.factCounts(month: Self.march, kinds: [.issueOpened], platforms: PlatformSet([.gitee]), excludedOnly: false) { gitee.append($0) }
        XCTAssertEqual(gitee.map(\.repo), [Self.gitee.key(1)])

        // Values that a decimal round trip would change.
        let odd = [1.0 / 3.0, 0.1 + 0.2, 123456.78901234567, 1e-300, 5e-324]
        let record = OpenRankMonthRecord(month: Self.march, dataVersion: versions[Self.march]!, repos: 2, developers: 3, iterations: 9, residual: 1.5e-9)
        try store.replaceOpenRank(record, scope: .github, repos: [1: odd[0], 2: odd[1]], developers: [10: odd[2], 11: odd[3], 12: odd[4]])
        XCTAssertEqual(try store.openRank(.repo, id: 1), [Self.march: odd[0]])
        XCTAssertEqual(try store.openRank(.developer, id: 12), [Self.march: odd[4]])
        XCTAssertEqual(try store.openRankRuns(scope: .github), [Self.march: record])
        XCTAssertEqual(try store.openRank(.developer, months: Self.march...Self.april)[11], [Self.march: odd[3]])
        // A cross-platform graph is kept apart from the per-platform ones.
        let both = PlatformSet([.github, .gitee])
        try store.replaceOpenRank(record, scope: both, repos: [1: 7, Self.gitee.key(1): 8], developers: [:])
        XCTAssertEqual(try store.openRank(.repo, id: 1), [Self.march: odd[0]])
        XCTAssertEqual(try store.openRank(.repo, months: Self.march...Self.march, scope: both), [1: [Self.march: 7], Self.gitee.key(1): [Self.march: 8]])
        XCTAssertNil(try store.openRank(.repo, months: Self.march...Self.march)[Self.gitee.key(1)])
        // Replacing a month replaces all of its values.
        let again = OpenRankMonthRecord(month: Self.march, dataVersion: 99, repos: 1, developers: 0, iterations: 3, residual: 0)
        try store.replaceOpenRank(again, scope: .github, repos: [2: 4.5], developers: [:])
        XCTAssertEqual(try store.openRank(.repo, months: Self.march...Self.march), [2: [Self.march: 4.5]])
        XCTAssertEqual(try store.openRankRuns(scope: .github)[Self.march], again)
        let april = OpenRankMonthRecord(month: Self.april, dataVersion: 1, repos: 1, developers: 0, iterations: 3, residual: 0)
        try store.replaceOpenRank(april, scope: .github, repos: [1: 2.5], developers: [:])
        let latest = try store.latestOpenRanks(before: Month(year: 2024, month: 5), scope: .github)
        XCTAssertEqual(latest[OpenRankNode(.repo, 1)]?.value, 2.5)
        XCTAssertEqual(latest[OpenRankNode(.repo, 2)]?.month, Self.march)
        XCTAssertNil(try store.latestOpenRanks(before: Self.march, scope: .github)[OpenRankNode(.repo, 2)])
    }

    func gitHistoriesRoundTrip() throws {
        let store = try make()
        let repo = ForgeRepo(platform: .gitee, name: "acme/rocket")
        XCTAssertNil(try store.gitRepository(repo, create: false))
        let record = try XCTUnwrap(try store.gitRepository(repo, create: true))
        XCTAssertEqual(try store.gitRepository(ForgeRepo(platform: .gitee, name: "ACME/Rocket"), create: true)?.id, record.id)
        let ana = GitPerson(name: "安娜", email: "ana@example.cn"), ben = GitPerson(name: "Ben", email: "ben@example.com")
        func commit(_ sha: String, _ at: Int64, _ who: GitPerson, co: [GitPerson] = [], parents: Int = 1) -> GitCommitRecord {
            var c = GitCommitRecord(sha: sha, parentCount: parents, author: who, authorTime: at, authorOffsetMinutes: 480,
                                    committer: who, commitTime: at, subject: "fix\t\"tabs\" \\ and\nlines", coAuthors: co)
            c.linesAdded = at % 7; c.linesDeleted = 2; c.files = 3; c.binaryFiles = 1
            return c
        }
        let commits = [commit("c3", 1_700_000_300, ben, co: [ana]), commit("a1", 1_700_000_100, ana), commit("b2", 1_700_000_200, ana, parents: 2)]
        XCTAssertEqual(try store.addCommits(commits, repository: record.id), 3)
        XCTAssertEqual(try store.addCommits(Array(commits.prefix(2)), repository: record.id), 0, "stored once per sha")
        try store.finishGitImport(repository: record.id, head: "c3", source: "/src/rocket", licenceFiles: ["LICENSE"], mailmap: "Ana <ana@example.cn>")
        try store.finishGitImport(repository: record.id, head: nil, source: "/src/rocket2", licenceFiles: nil, mailmap: nil)
        let after = try XCTUnwrap(try store.gitRepository(repo, create: false))
        XCTAssertEqual(after.head, "c3")
        XCTAssertEqual(after.source, "/src/rocket2")
        XCTAssertEqual(after.licenceFiles, ["LICENSE"])
        XCTAssertEqual(after.mailmap, "Ana <ana@example.cn>")
        XCTAssertEqual(after.commits, 3)
        XCTAssertEqual(try store.gitRepositories().map(\.repo), [repo])
        XCTAssertEqual(try store.latestCommitMonth(), Month(unixTime: 1_700_000_300))
        let history = try store.gitHistory(repository: record.id)
        XCTAssertEqual(history.repos, [repo])
        XCTAssertEqual(history.commits.map(\.sha), ["a1", "b2", "c3"], "in author time order")
        XCTAssertEqual(history.commits.map(\.parentCount), [1, 2, 1])
        XCTAssertEqual(history.commits[2].coAuthors.map { history.people[Int($0)] }, [ana])
        XCTAssertEqual(history.people[Int(history.commits[2].author)], ben)
        XCTAssertEqual(history.commits[0].subject, "fix\t\"tabs\" \\ and\nlines")
        XCTAssertEqual(history.commits.map(\.linesAdded), commits.sorted { $0.sha < $1.sha }.map(\.linesAdded))
        XCTAssertEqual(history.commits[0].authorOffsetMinutes, 480)
        XCTAssertEqual(history.licenceFiles, ["LICENSE"])
        XCTAssertEqual(history.mailmap.count, 1)
    }

    func labelsAndDomainsAreReplacedWhole() throws {
        let store = try make()
        XCTAssertEqual(try store.labels(), [])
        let alibaba = LabelDefinition(id: ":companies/alibaba", type: "Company", name: "Alibaba", nameZh: "阿里巴巴",
                                      children: [":companies/alibaba/nacos"],
                                      members: [LabelMember(platform: .gitee, kind: .repo, id: nil, name: "alibaba/nacos"),
                                                LabelMember(platform: .github, kind: .org, id: 1, name: "alibaba")])
        let nacos = LabelDefinition(id: ":companies/alibaba/nacos", type: "Project", name: "Nacos", code: nil)
        let cn = LabelDefinition(id: ":divisions/CN", type: "Division-0", name: "China", code: "CN")
        try store.replaceLabels([nacos, alibaba, cn])
        XCTAssertEqual(try store.labels(), [alibaba, nacos, cn])
        try store.replaceLabels([cn])
        XCTAssertEqual(try store.labels(), [cn])
        let stamp = try store.dataStamp()
        try store.setOrganisationDomain("Example.CN", organisation: "Example", label: nil, country: "cn")
        try store.setOrganisationDomain("example.cn", organisation: "Example Corp", label: ":companies/example", country: "cn")
        try store.setOrganisationDomain("b.org", organisation: "B", label: nil, country: nil)
        let domains = try store.organisationDomains()
        XCTAssertEqual(domains.map(\.domain), ["b.org", "example.cn"])
        XCTAssertEqual(domains[1].organisation, "Example Corp")
        XCTAssertEqual(domains[1].label, ":companies/example")
        XCTAssertEqual(domains[1].country, "CN")
        XCTAssertNil(domains[0].country)
        XCTAssertNotEqual(try store.dataStamp(), stamp)
    }

    /// Hub snapshots: a date is replaced per author listed in full; other authors' models on
    /// that date, other dates, and models a run carries without listing their author stay.
    func hubSnapshotsReplaceByDateAndAuthor() throws {
        let store = try make()
        let d1 = Day("2025-06-30")!, d2 = Day("2025-07-31")!
        func model(_ id: String, downloads: Int64?, tags: [String] = []) -> HubModel {
            HubModel(id: id, createdAt: "2025-01-02T03:04:05.000Z", downloads: downloads, likes: 3, tags: tags,
                     pipelineTag: "text-generation", gated: "manual", parameters: 671_000_000_000, licenceName: "deepseek")
        }
        let tags = ["license:other", "base_model:finetune:deepseek-ai/DeepSeek-V3", "tab\tand \\ back", "中文"]
        try store.replaceHubSnapshot(HubSnapshot(date: d1, authors: ["deepseek-ai"], models: [model("deepseek-ai/DeepSeek-V3", downloads: 10),
                                                                                            model("deepseek-ai/DeepSeek-R1", downloads: 20)], source: "t"))
        try store.replaceHubSnapshot(HubSnapshot(date: d1, authors: [], models: [model("someone/ft", downloads: nil, tags: tags)], source: "t"))
        try store.replaceHubSnapshot(HubSnapshot(date: d2, authors: ["deepseek-ai"], models: [model("deepseek-ai/DeepSeek-V3", downloads: 30)], source: "t"))
        let stamp = try store.dataStamp()
        // The same day again, without R1 (the author typed in other case): R1 is gone from that
        // day only; someone/ft stays.
        try store.replaceHubSnapshot(HubSnapshot(date: d1, authors: ["DeepSeek-AI"], models: [model("deepseek-ai/DeepSeek-V3", downloads: 11)], source: "t",
                                                 derivativesOf: ["DeepSeek-AI"]))
        XCTAssertNotEqual(try store.dataStamp(), stamp)
        var rows: [(Day, HubModel)] = []
        try store.forEachHubModel { rows.append(($0, $1)) }
        XCTAssertEqual(rows.map { "\($0.0) \($0.1.id) \($0.1.downloads.map(String.init) ?? "-")" },
                       ["2025-06-30 deepseek-ai/DeepSeek-V3 11", "2025-07-31 deepseek-ai/DeepSeek-V3 30", "2025-06-30 someone/ft -"])
        let ft = rows[2].1
        XCTAssertEqual(ft, model("someone/ft", downloads: nil, tags: tags))
        XCTAssertEqual(ft.author, "someone")
        XCTAssertEqual(try store.hubSnapshotDates().map { "\($0.date) \($0.models)" }, ["2025-06-30 2", "2025-07-31 1"])
        // Running the same listing again changes nothing.
        try store.replaceHubSnapshot(HubSnapshot(date: d1, authors: ["deepseek-ai"], models: [model("deepseek-ai/DeepSeek-V3", downloads: 11)], source: "t"))
        var again: [(Day, HubModel)] = []
        try store.forEachHubModel { again.append(($0, $1)) }
        XCTAssertEqual(again.map { "\($0.0) \($0.1)" }, rows.map { "\($0.0) \($0.1)" })

        XCTAssertEqual(try store.hubCoverage(), [d1: HubCoverage(listed: ["deepseek-ai"], derivativesOf: ["deepseek-ai"]),
                                                 d2: HubCoverage(listed: ["deepseek-ai"], derivativesOf: [])])
        try store.setHubOrganisation("Qwen", label: ":companies/alibaba")
        let mapped = try store.dataStamp()
        try store.setHubOrganisation("qwen", label: ":companies/alibaba-cloud")
        XCTAssertNotEqual(try store.dataStamp(), mapped, "a re-mapping changes the stamp the server's caches key on")
        try store.setHubOrganisation("THUDM", label: ":companies/zhipu")
        XCTAssertEqual(try store.hubOrganisations(), ["qwen": ":companies/alibaba-cloud", "thudm": ":companies/zhipu"])

        // What forges' APIs say of repositories: the latest record per repository.
        let gitee = ForgeRepo(platform: .gitee, name: "Mirrors/Nacos")
        try store.setForgeRepository(ForgeRepositoryRecord(repo: gitee, id: 5, description: "nacos 镜像", homepage: nil, isFork: false,
                                                           parent: nil, isMirror: false, readAt: 1))
        let stampBefore = try store.dataStamp()
        let record = ForgeRepositoryRecord(repo: gitee, id: 5, description: "Nacos\ttabs", homepage: "https://nacos.io", isFork: true,
                                           parent: ForgeRepo(platform: .gitee, name: "alibaba/nacos"), isMirror: true, mirrorOf: "https://github.com/alibaba/nacos.git",
                                           createdAt: "2019-01-01T00:00:00+08:00", pushedAt: nil, readAt: 2)
        try store.setForgeRepository(record)
        XCTAssertNotEqual(try store.dataStamp(), stampBefore)
        try store.setForgeRepository(ForgeRepositoryRecord(repo: ForgeRepo(platform: .atomgit, name: "a/b"), readAt: 3))
        XCTAssertEqual(try store.forgeRepositories(), [ForgeRepositoryRecord(repo: ForgeRepo(platform: .atomgit, name: "a/b"), readAt: 3), record])

        // Licences read from clones: the latest record per repository, names without case.
        let dubbo = ForgeRepo(platform: .github, name: "apache/dubbo")
        try store.setRepoLicences(RepoLicenceRecord(repo: dubbo, expression: nil, licences: [], head: "a1", readAt: 1, changes: []))
        let licenceStamp = try store.dataStamp()
        let relicensed = RepoLicenceRecord(repo: ForgeRepo(platform: .github, name: "Apache/Dubbo"), expression: "Apache-2.0 AND (MIT OR GPL-2.0-only)",
                                           licences: ["Apache-2.0", "MIT", "GPL-2.0-only"], head: "b2", readAt: 2,
                                           changes: [LicenceChange(commit: "c0", time: 10, from: nil, to: "GPL-2.0-only"),
                                                     LicenceChange(commit: "c1", time: 20, from: "GPL-2.0-only", to: "Apache-2.0 AND (MIT OR GPL-2.0-only)")])
        try store.setRepoLicences(relicensed)
        XCTAssertNotEqual(try store.dataStamp(), licenceStamp)
        let none = RepoLicenceRecord(repo: ForgeRepo(platform: .gitee, name: "x/y"), expression: nil, licences: [], head: "c3", readAt: 3,
                                     changes: [LicenceChange(commit: "c2", time: 5, from: "MIT", to: nil)])
        try store.setRepoLicences(none)
        XCTAssertEqual(try store.repoLicences(), [none, relicensed], "by platform, then name")
        // One record alone, its name without case; the same name on another platform is another.
        XCTAssertEqual(try store.repoLicences(of: ForgeRepo(platform: .github, name: "APACHE/dubbo")), relicensed)
        XCTAssertEqual(try store.repoLicences(of: ForgeRepo(platform: .gitee, name: "X/Y")), none)
        XCTAssertNil(try store.repoLicences(of: ForgeRepo(platform: .gitee, name: "apache/dubbo")))
        XCTAssertNil(try store.repoLicences(of: ForgeRepo(platform: .github, name: "apache/dubb")))
    }
}
