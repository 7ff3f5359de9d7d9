import Foundation
import KaiyuanCore
@testable import KaiyuanMetrics
@testable import KaiyuanReports
import KaiyuanPeople
import KaiyuanSources
import TestSupport
import XCTest

final class GitMetricsTests: XCTestCase {
    var next = 0

    /// A commit at `day` (UTC, 12:00 local at `offset` minutes).
    func commit(_ name: String, _ email: String, _ y: Int, _ m: Int, _ d: Int, offset: Int = 480, merge: Bool = false,
                       added: Int64 = 0, deleted: Int64 = 0, coAuthors: [GitPerson] = [], subject: String = "change") -> GitCommitRecord {
        next += 1
        var c = GitCommitRecord(sha: String(format: "%040x", next), parentCount: merge ? 2 : 1, author: GitPerson(name: name, email: email),
                                authorTime: CivilDate.days(year: y, month: m, day: d) * 86_400 + 12 * 3600 - Int64(offset * 60),
                                authorOffsetMinutes: offset, committer: GitPerson(name: name, email: email), commitTime: 0,
                                subject: subject, coAuthors: coAuthors)
        c.linesAdded = added
        c.linesDeleted = deleted
        if !merge { c.files = 1 }
        return c
    }

    func analysis(_ commits: [GitCommitRecord], licence: [String] = ["LICENSE"]) -> GitAnalysis {
        var h = GitHistory(repos: [ForgeRepo(platform: .gitee, name: "demo/repo")])
        for c in commits { h.add(c) }
        h.licenceFiles = licence
        return GitAnalysis(history: h, context: PeopleContext(labels: []))
    }

    /// Worked by hand: three people (one under two emails), a bot, a merge, a co-authored commit,
    /// one commit at −05:00 that falls in the next UTC month.
    func testHandWorkedBuckets() {
        let a = analysis([
            commit("Wang Xiaoming", "xm@corp.cn", 2024, 1, 5, added: 10, deleted: 2),
            commit("Wang Xiaoming", "xiaoming@gmail.com", 2024, 1, 20, added: 5, coAuthors: [GitPerson(name: "Bob", email: "b@b.io")]),
            commit("Bob", "b@b.io", 2024, 2, 1, merge: true),
            // 2024-01-31 22:00 at −05:00 is 2024-02-01 03:00 UTC: February.
            GitCommitRecord(sha: String(repeating: "e", count: 40), parentCount: 1, author: GitPerson(name: "Eve Night", email: "eve@n.io"),
                            authorTime: CivilDate.days(year: 2024, month: 2, day: 1) * 86_400 + 3 * 3600, authorOffsetMinutes: -300,
                            committer: GitPerson(name: "", email: ""), commitTime: 0, subject: "late", coAuthors: []),
            commit("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", 2024, 4, 2, offset: 0, added: 1, deleted: 1),
        ])
        let m = a.metrics
        let jan = Period(.month, containing: Month(year: 2024, month: 1)), feb = Period(.month, containing: Month(year: 2024, month: 2))
        let q1 = Period(kind: .quarter, year: 2024, number: 1), y = Period(kind: .year, year: 2024, number: 0)
        XCTAssertEqual(m.value(.commits, jan), 2)
        XCTAssertEqual(m.value(.commits, feb), 1)
        XCTAssertEqual(m.value(.mergeCommits, feb), 1)
        XCTAssertEqual(m.value(.authors, jan), 1, "one person under two emails")
        XCTAssertEqual(m.value(.authors, feb), 2, "Bob (merge) and Eve")
        XCTAssertEqual(m.value(.authors, q1), 3, "distinct over the quarter, not 1 + 2")
        XCTAssertEqual(m.value(.authors, y), 4, "the bot counts as an author (§5: bots included unless said)")
        XCTAssertEqual(m.value(.newAuthors, jan), 1)
        XCTAssertEqual(m.value(.newAuthors, feb), 2)
        XCTAssertEqual(m.value(.newAuthors, y), 4)
        XCTAssertEqual(m.value(.linesAdded, jan), 15)
        XCTAssertEqual(m.value(.linesDeleted, jan), 2)
        XCTAssertEqual(m.value(.coAuthoredCommits, jan), 1)
        XCTAssertEqual(m.shares[.timezoneShare]?[q1], ["+08:00": 2.0 / 3, "-05:00": 1.0 / 3])
        XCTAssertEqual(m.shares[.timezoneShare]?[y]?["+00:00"], 0.25)
        XCTAssertEqual(m.authors[y]?.map(\.name), ["Wang Xiaoming", "Eve Night", "dependabot[bot]", "Bob"])
        XCTAssertEqual(m.authors[y]?.first?.commits, 2)
        XCTAssertEqual(m.authors[y]?.last?.mergeCommits, 1)
        let health = ProjectHealth(a, asOf: CivilDate.days(year: 2024, month: 12, day: 31) * 86_400)
        XCTAssertEqual(health.busFactor, 1, "n = [2, 1] (bots out, merges out): half of 3 is 2, reached at n = 2")
        XCTAssertEqual(health.commitsPerYear.map(\.year), [2024])
        XCTAssertEqual(health.commitsPerYear.first?.commits, 4, "non-merge, the bot's included")
        XCTAssertEqual(health.commitsPerYear.first?.authors, 4)
        XCTAssertEqual(health.recentMonths.first { $0.month == Month(year: 2024, month: 2) }?.commits, 1, "Eve's late commit is February's")
    }

    /// A label's histories put together: a commit in a repository and its mirror counts once,
    /// and the same person in both is one author.
    func testMergedHistoriesCountSharedCommitsOnce() {
        let shared = commit("Wang Xiaoming", "xm@corp.cn", 2024, 3, 1, added: 7)
        var upstream = GitHistory(repos: [ForgeRepo(platform: .github, name: "org/tool")])
        upstream.add(shared)
        upstream.add(commit("Zhao Lingling", "ll@corp.cn", 2024, 3, 2, added: 1))
        var mirror = GitHistory(repos: [ForgeRepo(platform: .gitee, name: "org/tool")])
        mirror.add(commit("Eve Night", "eve@n.io", 2024, 3, 3, added: 2))
        mirror.add(shared)
        upstream.merge(mirror)
        XCTAssertEqual(upstream.repos.count, 2)
        XCTAssertEqual(upstream.commits.count, 3)
        XCTAssertEqual(upstream.people.count, 3, "Wang Xiaoming interned once")
        let a = GitAnalysis(history: upstream, context: PeopleContext(labels: []))
        let march = Period(.month, containing: Month(year: 2024, month: 3))
        XCTAssertEqual(a.metrics.value(.commits, march), 3)
        XCTAssertEqual(a.metrics.value(.linesAdded, march), 10)
        XCTAssertEqual(a.metrics.value(.authors, march), 3)
    }

    func testHealthVerdictsAndJunkyard() {
        let asOf = CivilDate.days(year: 2025, month: 6, day: 30) * 86_400
        // A dump: one commit with nearly all the code, one person, long ago.
        let dump = ProjectHealth(analysis([
            commit("Dumper Person", "d@x.io", 2021, 3, 1, added: 50_000),
            commit("Dumper Person", "d@x.io", 2021, 3, 2, added: 3, deleted: 1),
        ], licence: []), asOf: asOf)
        XCTAssertEqual(dump.verdict, .abandoned)
        XCTAssertTrue(dump.flags.contains { $0.hasPrefix("junkyard pattern") }, "\(dump.flags)")
        XCTAssertTrue(dump.flags.contains { $0.hasPrefix("one-person history") })
        XCTAssertTrue(dump.flags.contains { $0.contains("no licence") })

        var steady: [GitCommitRecord] = []
        for month in 1...12 {
            steady.append(commit("Alice Example", "alice@a.io", 2024, month, 3, added: 10))
            if month <= 6 { steady.append(commit("Bob Example", "bob@b.io", 2024, month, 4, added: 10)) }
            if month <= 6 { steady.append(commit("Carol Example", "carol@c.io", 2025, month, 5, added: 5)) }
            if month <= 6 { steady.append(commit("Alice Example", "alice@a.io", 2025, month, 6, added: 5)) }
        }
        let alive = ProjectHealth(analysis(steady), asOf: asOf)
        XCTAssertEqual(alive.verdict, .alive)
        XCTAssertEqual(alive.newAuthors, ["Carol Example"])
        XCTAssertEqual(alive.departedAuthors, ["Bob Example"], "active the year before, silent since")
        XCTAssertEqual(alive.corePeople.first?.name, "Alice Example")
        XCTAssertEqual(alive.licenceFiles, ["LICENSE"])
        XCTAssertEqual(alive.recentMonths.count, 24)
        XCTAssertEqual(alive.recentMonths.last?.month, Month(year: 2025, month: 6))
        XCTAssertEqual(alive.recentMonths.last?.commits, 2)
    }

    /// The three real histories: identity merging never joins two GitHub users, the noreply
    /// and Chinese-named authors are there, and authors per year sit between the distinct
    /// GitHub users and the distinct emails.
    func testRealHistories() throws {
        for name in ["996icu__996.ICU", "alibaba__nacos", "deepseek-ai__DeepSeek-V3"] {
            let url = try sharedData("data/gitlog/\(name).gitlog.gz")
            var h = GitHistory(repos: [ForgeRepo(platform: .github, name: name.replacingOccurrences(of: "__", with: "/"))])
            var reader = GitLogReader(source: try openEventFile(path: url.path), path: url.path)
            try reader.forEachCommit { h.add($0) }
            let a = GitAnalysis(history: h, context: PeopleContext(labels: []), kinds: [.year])
            for identity in a.people.identities.all {
                XCTAssertLessThanOrEqual(identity.githubLogins.count, 1, "\(name): \(identity.name) joins \(identity.githubLogins)")
            }
            var emails: [Period: Set<String>] = [:], logins: [Period: Set<String>] = [:]
            for c in h.commits {
                let p = Period(.year, containing: c.month)
                let email = Identities.fold(h.people[Int(c.author)].email)
                emails[p, default: []].insert(email)
                if let login = Identities.githubLogin(fromEmail: email) { logins[p, default: []].insert(login) }
            }
            for (p, set) in emails {
                let authors = a.metrics.value(.authors, p)
                XCTAssertLessThanOrEqual(authors, Double(set.count), "\(name) \(p)")
                XCTAssertGreaterThanOrEqual(authors, Double(logins[p]?.count ?? 0), "\(name) \(p)")
            }
            if name.hasPrefix("996") {
                XCTAssertEqual(h.commits.count, 3226)
                XCTAssertGreaterThan(h.commits.filter(\.isMerge).count, 1400)
                XCTAssertTrue(h.people.contains { $0.email.hasSuffix("users.noreply.github.com") })
                XCTAssertTrue(h.people.contains { $0.name.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } })
                XCTAssertLessThan(a.people.identities.all.count, Set(h.people.map { Identities.fold($0.email) }).count, "some emails merge")
            }
        }
    }
}
