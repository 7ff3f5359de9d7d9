import KaiyuanCore
@testable import KaiyuanPeople
import XCTest

final class IdentitiesTests: XCTestCase {
    func p(_ name: String, _ email: String) -> GitPerson { GitPerson(name: name, email: email) }

    func testSharedEmailCaseFoldedJoins() {
        let ids = Identities(people: [p("Wang Xiaoming", "XM@Corp.cn"), p("xiaoming", "xm@corp.cn"), p("Someone Else", "else@corp.cn")])
        XCTAssertEqual(ids.ofPerson[0], ids.ofPerson[1])
        XCTAssertNotEqual(ids.ofPerson[0], ids.ofPerson[2])
        XCTAssertEqual(ids.all.count, 2)
    }

    func testNoreplyFormsNameTheSameGitHubUser() {
        let ids = Identities(people: [p("lilei", "12345+LiLei@users.noreply.github.com"), p("Li Lei (old)", "lilei@users.noreply.github.com")])
        XCTAssertEqual(ids.all.count, 1)
        XCTAssertEqual(ids.all[0].githubLogins, ["lilei"])
        XCTAssertTrue(ids.all[0].evidence.contains { $0.contains("noreply") })
    }

    func testDistinctiveNameJoinsTwoEmails() {
        let ids = Identities(people: [p("杨翊 SionYang", "xiweng.yy@alibaba-inc.com"), p("杨翊 SionYang", "263976490@qq.com")])
        XCTAssertEqual(ids.all.count, 1)
        XCTAssertEqual(Set(ids.all[0].emails), ["xiweng.yy@alibaba-inc.com", "263976490@qq.com"])
    }

    func testCommonNamesNeverJoin() {
        // Two different people called 张伟, two "root"s, two "Alex"es.
        let ids = Identities(people: [p("张伟", "zw1@a.cn"), p("张伟", "zw2@b.cn"), p("root", "r1@x.io"), p("root", "r2@y.io"),
                                      p("Alex", "alex@one.dev"), p("alex", "alex@two.dev"), p("Li Lei", "ll@one.dev"), p("li  lei", "ll@two.dev")])
        XCTAssertEqual(ids.all.count, 8)
    }

    func testTwoGitHubUsersAreNeverJoined() {
        // Same distinctive name and a shared email, but two different noreply logins: kept apart.
        let ids = Identities(people: [p("Chen Jianguo", "1+cjg-a@users.noreply.github.com"), p("Chen Jianguo", "2+cjg-b@users.noreply.github.com"),
                                      p("Chen Jianguo", "shared@company.cn")])
        let logins = ids.all.map(\.githubLogins)
        XCTAssertTrue(logins.allSatisfy { $0.count <= 1 }, "\(logins)")
        XCTAssertEqual(ids.all.filter { !$0.githubLogins.isEmpty }.count, 2)
        XCTAssertFalse(ids.refusedJoins.isEmpty)
    }

    /// One person on GitHub and on Gitee, linked by an email: one identity with two accounts.
    /// Two Gitee accounts are two people; a common name links no forge accounts.
    func testAccountsAcrossForges() {
        let ids = Identities(people: [p("Han Meimei", "9+meimei@user.noreply.gitee.com"), p("Han Meimei", "meimei@corp.cn"),
                                      p("韩梅梅 Han Meimei", "77+hmm@users.noreply.github.com"), p("韩梅梅 Han Meimei", "meimei@corp.cn")])
        XCTAssertEqual(ids.all.count, 1)
        XCTAssertEqual(ids.all[0].accounts.map(\.description), ["github:hmm", "gitee:meimei"])
        XCTAssertEqual(ids.all[0].githubLogins, ["hmm"])
        XCTAssertTrue(ids.all[0].evidence.contains("Gitee noreply address of meimei"), "\(ids.all[0].evidence)")

        let two = Identities(people: [p("Zhao Xiaoyan Long", "1+zxl-a@user.noreply.gitee.com"), p("Zhao Xiaoyan Long", "2+zxl-b@user.noreply.gitee.com")])
        XCTAssertEqual(two.all.count, 2)
        XCTAssertEqual(two.refusedJoins.count, 1)
        XCTAssertTrue(two.refusedJoins[0].contains("gitee users zxl-a and zxl-b"), two.refusedJoins[0])

        let common = Identities(people: [p("wei", "1+wei@user.noreply.gitee.com"), p("wei", "wei@users.noreply.github.com")])
        XCTAssertEqual(common.all.count, 2, "a common name alone joins nothing, across forges too")
        XCTAssertEqual(Identities.account(fromEmail: "12345+Some.One@user.noreply.gitee.com"), ForgeAccount(platform: .gitee, login: "some.one"))
        XCTAssertNil(Identities.account(fromEmail: "someone@gitee.com"))
    }

    func testPlaceholderEmailsJoinNothing() {
        let ids = Identities(people: [p("Alice Wonder", "root@localhost"), p("Bob Builder", "root@localhost"), p("Carol Danvers", "you@example.com"),
                                      p("Dan Brown", "you@example.com"), p("Eve Online", "")])
        XCTAssertEqual(ids.all.count, 5)
        XCTAssertTrue(Identities.isPlaceholder("root@localhost"))
        XCTAssertTrue(Identities.isPlaceholder("user@macbook-pro.local"))
        XCTAssertTrue(Identities.isPlaceholder("not an address"))
        XCTAssertFalse(Identities.isPlaceholder("1+x@users.noreply.github.com"))
        XCTAssertFalse(Identities.isPlaceholder("dev@pingcap.com"))
    }

    func testMailmapJoinsAndNames() {
        let mailmap = MailmapEntry.parse("""
            Han Meimei <meimei@new.org> <hmm@old.org>
            Proper Li <lilei@corp.cn>
            """)
        let ids = Identities(people: [p("hmm", "hmm@old.org"), p("Meimei", "meimei@new.org"), p("lilei", "lilei@corp.cn")], mailmap: mailmap)
        XCTAssertEqual(ids.all.count, 2)
        XCTAssertEqual(ids.ofPerson[0], ids.ofPerson[1])
        XCTAssertEqual(ids.all[ids.ofPerson[0]].name, "Han Meimei")
        XCTAssertEqual(ids.all[ids.ofPerson[2]].name, "Proper Li")
        XCTAssertTrue(ids.all[ids.ofPerson[0]].evidence.contains { $0.hasPrefix(".mailmap") })
    }

    func testBots() {
        let bots = BotRules(labelledLogins: ["renovate-bot"])
        let ids = Identities(people: [p("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
                                      p("Renovate", "29139614+renovate-bot@users.noreply.github.com"),
                                      p("github-actions", "41898282+github-actions[bot]@users.noreply.github.com"),
                                      p("Real Person", "real@person.dev")], bots: bots)
        XCTAssertEqual(ids.all.map(\.isBot), [true, true, true, false])
        XCTAssertTrue(ids.all[1].botReason!.contains(":bot label"))
    }

    func testGitHubLoginFromEmail() {
        XCTAssertEqual(Identities.githubLogin(fromEmail: "38156925+geeeekExplorer@users.noreply.github.com"), "geeeekexplorer")
        XCTAssertEqual(Identities.githubLogin(fromEmail: "octocat@users.noreply.github.com"), "octocat")
        XCTAssertNil(Identities.githubLogin(fromEmail: "noreply@github.com"))
    }
}

final class AffiliationTests: XCTestCase {
    let labels = LabelIndex([
        LabelDefinition(id: ":companies/acme", type: "Company", name: "Acme", children: [":companies/acme/rocket"],
                        members: [LabelMember(platform: .github, kind: .user, id: 7, name: "wile")]),
        LabelDefinition(id: ":companies/acme/rocket", type: "Project", name: "Rocket",
                        members: [LabelMember(platform: .github, kind: .repo, id: 99, name: "acme/rocket"),
                                  LabelMember(platform: .gitee, kind: .org, id: nil, name: "acme-cn")]),
        LabelDefinition(id: ":divisions/CN", type: "Division-0", name: "China", code: "CN"),
        LabelDefinition(id: ":divisions/CN/CN-ZJ", type: "Division-1", name: "Zhejiang", children: [":companies/acme"], code: "CN-ZJ"),
        LabelDefinition(id: ":divisions/JP", type: "Division-0", name: "Japan", members: [LabelMember(platform: .github, kind: .user, id: 8, name: "sakura")], code: "JP"),
    ])

    func identity(_ emails: [String], logins: [String] = []) -> Identity {
        Identity(number: 0, name: "x", emails: emails, names: ["x"], accounts: logins.map { ForgeAccount(platform: .github, login: $0) },
                 evidence: [], isBot: false, botReason: nil)
    }

    func testLabelFirstThenDomainWalkingUpPublicMailSaysNothing() {
        let domains = OrganisationDomains(extra: ["acme.example": Organisation(name: "Acme", label: ":companies/acme", country: nil)], builtIn: false)
        let aff = Affiliator(labels: labels, domains: domains)
        let byLabel = aff.affiliations(of: identity(["w@gmail.com"], logins: ["wile"]))
        XCTAssertEqual(byLabel.map(\.label), [":companies/acme"])
        XCTAssertEqual(byLabel.first?.confidence, .high)
        let byDomain = aff.affiliations(of: identity(["dev@build.eu.acme.example", "me@qq.com"]))
        XCTAssertEqual(byDomain.map(\.value), ["Acme"])
        XCTAssertEqual(byDomain.first?.confidence, .medium)
        XCTAssertTrue(byDomain.first!.source.contains("acme.example"))
        XCTAssertEqual(aff.affiliations(of: identity(["someone@gmail.com", "x@163.com"])), [])
        XCTAssertTrue(OrganisationDomains().organisation(ofEmail: "a@list.alibaba-inc.com")?.organisation.label == ":companies/alibaba")
        XCTAssertNil(OrganisationDomains().organisation(ofEmail: "a@aliyun.com"), "aliyun.com is a free mail service")
    }

    func testRegionEvidenceOrder() {
        let aff = Affiliator(labels: labels, domains: OrganisationDomains(extra: ["acme.example": Organisation(name: "Acme", label: ":companies/acme")], builtIn: false))
        // A division that lists the user.
        let sakura = aff.region(of: identity([], logins: ["sakura"]), affiliations: [], offsets: [480: 10])
        XCTAssertEqual(sakura?.value, "JP")
        XCTAssertEqual(sakura?.confidence, .high)
        // The organisation's country, through the province that lists the company.
        let dev = identity(["d@acme.example"])
        let fromOrg = aff.region(of: dev, affiliations: aff.affiliations(of: dev), offsets: [-300: 10])
        XCTAssertEqual(fromOrg?.value, "CN")
        XCTAssertEqual(fromOrg?.label, ":divisions/CN")
        XCTAssertEqual(fromOrg?.confidence, .medium)
        // Only the offset: weak, and it says what it covers.
        let weak = aff.region(of: identity(["x@gmail.com"]), affiliations: [], offsets: [480: 9, 0: 1])
        XCTAssertEqual(weak?.value, "UTC+08:00")
        XCTAssertEqual(weak?.confidence, .low)
        XCTAssertTrue(weak!.source.contains("Singapore"))
        // A country-code domain of an unknown organisation.
        XCTAssertEqual(aff.region(of: identity(["s@cs.zju.edu.cn"]), affiliations: [], offsets: [:])?.value, "CN")
        XCTAssertNil(aff.region(of: identity(["s@startup.io"]), affiliations: [], offsets: [:]))
    }

    func testLabelCoverageIncludesChildren() {
        let c = labels.coverage(of: ":companies/acme")
        XCTAssertTrue(c.contains(ForgeRepo(platform: .github, name: "ACME/Rocket")))
        XCTAssertTrue(c.contains(ForgeRepo(platform: .github, name: "renamed/repo"), githubID: 99))
        XCTAssertTrue(c.contains(ForgeRepo(platform: .gitee, name: "acme-cn/anything")))
        XCTAssertFalse(c.contains(ForgeRepo(platform: .github, name: "acme-cn/anything")))
        XCTAssertEqual(labels.labels(ofRepo: ForgeRepo(platform: .github, name: "acme/rocket")),
                       [":companies/acme", ":companies/acme/rocket", ":divisions/CN/CN-ZJ"])
    }
}

final class CoAuthorNameTests: XCTestCase {
    func testTrailerNamesDoNotJoinEmails() {
        // A trailer pairing Wang Xiaoming's name with Zhao Lingling's address must not make them one.
        let people = [GitPerson(name: "Wang Xiaoming", email: "xm@a.cn"), GitPerson(name: "Zhao Lingling", email: "ll@b.cn"),
                      GitPerson(name: "Wang Xiaoming", email: "ll@b.cn")]
        let ids = Identities(people: people, namesLink: [true, true, false])
        XCTAssertNotEqual(ids.ofPerson[0], ids.ofPerson[1])
        XCTAssertEqual(ids.ofPerson[1], ids.ofPerson[2], "the trailer's address is still Zhao Lingling's")
    }

    func testVanityTopLevelDomainsSayNothingAboutACountry() {
        XCTAssertEqual(Affiliator.countryTLD("zju.edu.cn"), "CN")
        XCTAssertEqual(Affiliator.countryTLD("mail.example.de"), "DE")
        for domain in ["cat.ms", "foo.io", "bar.ai", "baz.dev"] { XCTAssertNil(Affiliator.countryTLD(domain), domain) }
    }
}
