@testable import KaiyuanSources
import TestSupport
import XCTest

final class BotLabelsTests: XCTestCase {
    func testReadsGitHubUsersOnly() {
        let yaml = """
        name: Bot Accounts
        type: Bot
        data:
          platforms:
            - name: GitHub
              type: Code Hosting
              users:
                - id: 105309205
                  name: VSCodeTriageBot
                - id: 25180681
                  name: renovate-bot  # a comment
            - name: Gitee
              users:
                - id: 7
                  name: gitee-bot
        """
        let bots = BotLabels(yaml: yaml)
        XCTAssertEqual(bots.ids, [105309205, 25180681])
        XCTAssertEqual(bots.logins, ["VSCodeTriageBot", "renovate-bot"])
    }

    func testRealBotLabelFile() throws {
        let url = try sharedData("data/labels/bot/index.yml")
        let bots = try BotLabels(contentsOf: url.path)
        // Independently: the distinct ids between the GitHub platform entry and the next one.
        var platform = "", githubIDs = Set<Substring>()
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            if line.hasPrefix("    - name: ") { platform = String(line.dropFirst(12)) }
            let t = line.trimmingCharacters(in: .whitespaces)
            if platform == "GitHub", t.hasPrefix("- id:") { githubIDs.insert(Substring(t.dropFirst(5).trimmingCharacters(in: .whitespaces))) }
        }
        XCTAssertGreaterThan(githubIDs.count, 800)
        XCTAssertEqual(bots.ids.count, githubIDs.count, "every GitHub id is read, and no Gitee or AtomGit one")
        XCTAssertTrue(bots.logins.contains("snyk-bot"))
        XCTAssertTrue(bots.ids.contains(19733683))
    }
}
