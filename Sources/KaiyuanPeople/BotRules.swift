import KaiyuanCore

/// Which git identities are bots: names and GitHub logins ending in `[bot]`, well-known
/// automation accounts, their mail domains, and any login listed under OpenDigger's `:bot` label.
public struct BotRules: Sendable {
    /// Lower-cased GitHub logins from the bot label (`labeled_data/bot/`).
    public var labelledLogins: Set<String>

    public init(labelledLogins: Set<String> = []) {
        self.labelledLogins = Set(labelledLogins.map { $0.lowercased() })
    }

    static let knownNames: Set<String> = [
        "dependabot", "dependabot-preview", "renovate", "renovate-bot", "github-actions", "github action",
        "github actions", "greenkeeper", "snyk-bot", "pre-commit-ci", "allcontributors", "all-contributors",
        "imgbot", "imgbotapp", "mergify", "codecov", "semantic-release-bot", "copilot", "copilot-swe-agent",
        "weblate", "transifex", "crowdin bot", "gitee-bot", "openeuler-ci-bot", "k8s-ci-robot", "ti-chi-bot",
        "sre-bot", "ti-srebot", "bors", "bors[bot]", "homu", "travis-ci", "web-flow",
    ]
    static let knownDomains: Set<String> = ["dependabot.com", "renovateapp.com", "greenkeeper.io", "mergify.io", "imgbot.net"]

    /// Why an identity is a bot, or nil.
    public func reason(names: [String], emails: [String], logins: [String]) -> String? {
        for login in logins {
            if login.hasSuffix("[bot]") { return "GitHub login \(login) ends in [bot]" }
            if labelledLogins.contains(login) { return "GitHub login \(login) is in the :bot label" }
        }
        for name in names {
            let n = name.lowercased()
            if n.hasSuffix("[bot]") { return "name \(name) ends in [bot]" }
            if Self.knownNames.contains(n) { return "name \(name) is a known automation account" }
            if n.hasSuffix("-bot") || n.hasSuffix(" bot") || n.hasSuffix("_bot") { return "name \(name) ends in bot" }
        }
        for email in emails {
            if let at = email.lastIndex(of: "@"), Self.knownDomains.contains(String(email[email.index(after: at)...])) {
                return "email \(email) belongs to a bot service"
            }
            if email.hasPrefix("bot@") || email.contains("[bot]") { return "email \(email) is a bot's" }
        }
        return nil
    }
}
