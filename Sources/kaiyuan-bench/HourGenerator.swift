import Foundation
import KaiyuanCore

/// SplitMix64: small, fast and the same on every machine, so a seed names one output.
struct SeededRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    /// Zipf-like rank in 0..<n: log-uniform, so rank r is drawn about as often as 1/r.
    mutating func zipf(_ n: Int) -> Int { min(n - 1, Int(exp(unit() * log(Double(n)))) - 1) }
    mutating func hex(_ count: Int) -> String {
        var s = ""
        s.reserveCapacity(count)
        while s.count < count { s += String(next(), radix: 16) }
        return String(s.prefix(count))
    }
}

/// Writes GH Archive hour files shaped like the real ones: the event mix and per-type sizes
/// measured on real hours (PushEvent ~1.2 KB, PullRequestEvent ~18 KB with its full head and
/// base repository objects, …), Zipf-like popularity of repositories and developers, ids that
/// grow like GitHub's. The templates are written here, not copied from any data.
struct HourGenerator {
    var random: SeededRandom
    let repos: Int
    let developers: Int
    let hourStart: Int64
    var nextEventID: Int64 = 30_000_000_000
    var nextIssueID: Int64 = 2_000_000_000
    var nextCommentID: Int64 = 1_500_000_000
    var nextPushID: Int64 = 15_000_000_000

    init(seed: UInt64, events: Int, hourStart: Int64) {
        random = SeededRandom(state: seed)
        repos = max(10, events / 4)
        developers = max(10, events / 3)
        self.hourStart = hourStart
        // Ids grow with time, as GitHub's do, and never repeat across hours.
        let hourIndex = hourStart / 3600
        nextEventID = 10_000_000_000 + hourIndex * 1_000_000
        nextCommentID = 500_000_000 + hourIndex * 100_000
        nextPushID = 5_000_000_000 + hourIndex * 300_000
    }

    /// Event types with their share of a real hour (per mille).
    static let mix: [(String, Int)] = [
        ("PushEvent", 530), ("CreateEvent", 129), ("PullRequestEvent", 80), ("WatchEvent", 72),
        ("IssueCommentEvent", 45), ("PullRequestReviewEvent", 35), ("DeleteEvent", 29), ("IssuesEvent", 26),
        ("ForkEvent", 24), ("PullRequestReviewCommentEvent", 13), ("ReleaseEvent", 6), ("MemberEvent", 5),
        ("CommitCommentEvent", 2), ("GollumEvent", 2), ("PublicEvent", 2),
    ]

    mutating func pickType() -> String {
        var x = random.int(0...999)
        for (t, share) in Self.mix { if x < share { return t }; x -= share }
        return "PushEvent"
    }

    mutating func login(_ i: Int) -> String { i % 97 == 0 ? "automation-\(i)[bot]" : "dev\(i)" }

    func timestamp(_ second: Int) -> String {
        let t = hourStart + Int64(second)
        let days = t / 86_400
        let (y, m, d) = CivilDate.fromDays(days)
        let s = Int(t % 86_400)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, s / 3600, s / 60 % 60, s % 60)
    }

    func user(_ id: Int, _ login: String) -> String {
        #"{"login":"\#(login)","id":\#(id),"node_id":"MDQ6VXNlcj\#(id)","avatar_url":"https://avatars.githubusercontent.com/u/\#(id)?v=4","gravatar_id":"","url":"https://api.github.com/users/\#(login)","html_url":"https://github.com/\#(login)","followers_url":"https://api.github.com/users/\#(login)/followers","following_url":"https://api.github.com/users/\#(login)/following{/other_user}","gists_url":"https://api.github.com/users/\#(login)/gists{/gist_id}","starred_url":"https://api.github.com/users/\#(login)/starred{/owner}{/repo}","subscriptions_url":"https://api.github.com/users/\#(login)/subscriptions","organizations_url":"https://api.github.com/users/\#(login)/orgs","repos_url":"https://api.github.com/users/\#(login)/repos","events_url":"https://api.github.com/users/\#(login)/events{/privacy}","received_events_url":"https://api.github.com/users/\#(login)/received_events","type":"User","site_admin":false}"#
    }

    /// A repository object as GitHub embeds it in pull requests: mostly API URLs.
    func repoObject(_ id: Int, _ name: String, owner: String) -> String {
        let api = "https://api.github.com/repos/\(name)"
        let urls = ["forks", "keys{/key_id}", "collaborators{/collaborator}", "teams", "hooks", "issues/events{/number}", "events", "assignees{/user}", "branches{/branch}", "tags", "blobs{/sha}", "git/tags{/sha}", "git/refs{/sha}", "git/trees{/sha}", "statuses/{sha}", "languages", "stargazers", "contributors", "subscribers", "subscription", "commits{/sha}", "git/commits{/sha}", "comments{/number}", "issues/comments{/number}", "contents/{+path}", "compare/{base}...{head}", "merges", "{archive_format}{/ref}", "downloads", "issues{/number}", "pulls{/number}", "milestones{/number}", "notifications{?since,all,participating}", "labels{/name}", "releases{/id}", "deployments"]
        let fields = urls.map { u in "\"\(u.split(separator: "{").first!.replacingOccurrences(of: "/", with: "_"))_url\":\"\(api)/\(u)\"" }.joined(separator: ",")
        return #"{"id":\#(id),"node_id":"MDEwOlJlcG9zaXRvcnk\#(id)","name":"\#(name.split(separator: "/").last!)","full_name":"\#(name)","private":false,"owner":\#(user(id % 100_000, owner)),"html_url":"https://github.com/\#(name)","description":"A project about things","fork":false,"url":"\#(api)",\#(fields),"created_at":"2019-04-01T10:00:00Z","updated_at":"2021-07-01T10:00:00Z","pushed_at":"2021-07-20T10:00:00Z","git_url":"git://github.com/\#(name).git","ssh_url":"git@github.com:\#(name).git","clone_url":"https://github.com/\#(name).git","homepage":null,"size":\#(id % 90_000),"stargazers_count":\#(id % 5000),"watchers_count":\#(id % 5000),"language":"Swift","has_issues":true,"has_projects":true,"has_downloads":true,"has_wiki":true,"has_pages":false,"forks_count":\#(id % 700),"archived":false,"disabled":false,"open_issues_count":\#(id % 90),"license":{"key":"apache-2.0","name":"Apache License 2.0","spdx_id":"Apache-2.0"},"forks":\#(id % 700),"open_issues":\#(id % 90),"watchers":\#(id % 5000),"default_branch":"main"}"#
    }

    mutating func text(_ bytes: Int) -> String {
        let words = ["fix", "the", "parser", "when", "input", "is", "empty", "添加", "测试", "update", "docs", "for", "release", "\\n", "and", "cache", "\\\"quoted\\\"", "{braces}"]
        var s = ""
        while s.utf8.count < bytes { s += words[random.int(0...words.count - 1)] + " " }
        return s
    }

    mutating func issueObject(id: Int64, number: Int, author: (Int, String), repo: String) -> String {
        #"{"url":"https://api.github.com/repos/\#(repo)/issues/\#(number)","repository_url":"https://api.github.com/repos/\#(repo)","html_url":"https://github.com/\#(repo)/issues/\#(number)","id":\#(id),"node_id":"MDU6SXNzdWU\#(id)","number":\#(number),"title":"\#(text(40))","user":\#(user(author.0, author.1)),"labels":[{"id":1,"name":"bug","color":"d73a4a","default":true}],"state":"open","locked":false,"assignee":null,"assignees":[],"milestone":null,"comments":\#(number % 17),"created_at":"2021-07-01T10:00:00Z","updated_at":"2021-07-21T06:00:00Z","closed_at":null,"author_association":"NONE","active_lock_reason":null,"body":"\#(text(600))","performed_via_github_app":null}"#
    }

    mutating func pullObject(id: Int64, number: Int, author: (Int, String), repo: (Int, String), merged: Bool) -> String {
        let owner = String(repo.1.split(separator: "/").first!)
        let forkName = author.1 + "/" + String(repo.1.split(separator: "/").last!)
        return #"{"url":"https://api.github.com/repos/\#(repo.1)/pulls/\#(number)","id":\#(id),"node_id":"MDExOlB1bGxSZXF1ZXN0\#(id)","html_url":"https://github.com/\#(repo.1)/pull/\#(number)","diff_url":"https://github.com/\#(repo.1)/pull/\#(number).diff","patch_url":"https://github.com/\#(repo.1)/pull/\#(number).patch","number":\#(number),"state":"\#(merged ? "closed" : "open")","locked":false,"title":"\#(text(50))","user":\#(user(author.0, author.1)),"body":"\#(text(900))","created_at":"2021-07-20T10:00:00Z","updated_at":"2021-07-21T06:00:00Z","closed_at":null,"merged_at":null,"merge_commit_sha":"\#(random.hex(40))","assignee":null,"assignees":[],"requested_reviewers":[],"labels":[],"head":{"label":"\#(author.1):patch-\#(number)","ref":"patch-\#(number)","sha":"\#(random.hex(40))","user":\#(user(author.0, author.1)),"repo":\#(repoObject(repo.0 + 1, forkName, owner: author.1))},"base":{"label":"\#(owner):main","ref":"main","sha":"\#(random.hex(40))","user":\#(user(repo.0 % 100_000, owner)),"repo":\#(repoObject(repo.0, repo.1, owner: owner))},"author_association":"CONTRIBUTOR","auto_merge":null,"active_lock_reason":null,"merged":\#(merged),"mergeable":null,"rebaseable":null,"mergeable_state":"unknown","merged_by":null,"comments":\#(number % 5),"review_comments":\#(number % 3),"maintainer_can_modify":false,"commits":\#(number % 9 + 1),"additions":\#(random.int(0...800)),"deletions":\#(random.int(0...300)),"changed_files":\#(random.int(1...30))}"#
    }

    /// One event line.
    mutating func event(second: Int) -> String {
        nextEventID += Int64(random.int(1...3))
        let type = pickType()
        let actorIndex = random.zipf(developers)
        let actor = (actorIndex + 1_000_000, login(actorIndex))
        let repoIndex = random.zipf(repos)
        let repo = (repoIndex + 100_000_000, "org\(repoIndex % 5000)/project-\(repoIndex)")
        let number = random.int(1...5000)
        // Issues and PRs are reused across events on a repo, so distinct counts are exercised.
        let issueID = 1_000_000_000 + Int64(repoIndex) * 10_000 + Int64(number % 50)
        let payload: String
        switch type {
        case "PushEvent":
            nextPushID += 1
            let commits = (0..<random.int(1...3)).map { _ in
                #"{"sha":"\#(random.hex(40))","author":{"email":"\#(actor.1)@users.noreply.github.com","name":"\#(actor.1)"},"message":"\#(text(80))","distinct":true,"url":"https://api.github.com/repos/\#(repo.1)/commits/\#(random.hex(40))"}"#
            }
            payload = #"{"repository_id":\#(repo.0),"push_id":\#(nextPushID),"size":\#(commits.count),"distinct_size":\#(commits.count),"ref":"refs/heads/main","head":"\#(random.hex(40))","before":"\#(random.hex(40))","commits":[\#(commits.joined(separator: ","))]}"#
        case "CreateEvent", "DeleteEvent":
            payload = #"{"ref":"feature-\#(number)","ref_type":"branch","master_branch":"main","description":"\#(text(60))","pusher_type":"user"}"#
        case "WatchEvent":
            payload = #"{"action":"started"}"#
        case "ForkEvent":
            payload = #"{"forkee":\#(repoObject(repo.0 + 7, actor.1 + "/project-\(repoIndex)", owner: actor.1))}"#
        case "IssuesEvent":
            let action = ["opened", "opened", "closed", "reopened", "labeled"][random.int(0...4)]
            payload = #"{"action":"\#(action)","issue":\#(issueObject(id: issueID, number: number, author: actor, repo: repo.1))}"#
        case "IssueCommentEvent":
            nextCommentID += 1
            payload = #"{"action":"created","issue":\#(issueObject(id: issueID, number: number, author: (actor.0 + 1, "dev\(actorIndex + 1)"), repo: repo.1)),"comment":{"url":"https://api.github.com/repos/\#(repo.1)/issues/comments/\#(nextCommentID)","id":\#(nextCommentID),"user":\#(user(actor.0, actor.1)),"created_at":"\#(timestamp(second))","body":"\#(text(400))"}}"#
        case "PullRequestEvent":
            let action = ["opened", "opened", "closed", "closed", "reopened", "synchronize"][random.int(0...5)]
            let merged = action == "closed" && random.int(0...3) > 0
            let author = merged ? (actor.0 + 3, "dev\(actorIndex + 3)") : actor
            payload = #"{"action":"\#(action)","number":\#(number),"pull_request":\#(pullObject(id: issueID + 500_000, number: number, author: author, repo: repo, merged: merged))}"#
        case "PullRequestReviewEvent":
            payload = #"{"action":"created","review":{"id":\#(nextCommentID),"user":\#(user(actor.0, actor.1)),"body":null,"state":"approved"},"pull_request":\#(pullObject(id: issueID + 500_000, number: number, author: (actor.0 + 1, "dev\(actorIndex + 1)"), repo: repo, merged: false))}"#
        case "PullRequestReviewCommentEvent":
            nextCommentID += 1
            payload = #"{"action":"created","comment":{"id":\#(nextCommentID),"diff_hunk":"@@ -1,3 +1,4 @@\n\#(text(200))","path":"Sources/main.swift","user":\#(user(actor.0, actor.1)),"body":"\#(text(200))"},"pull_request":\#(pullObject(id: issueID + 500_000, number: number, author: (actor.0 + 1, "dev\(actorIndex + 1)"), repo: repo, merged: false))}"#
        case "ReleaseEvent":
            payload = #"{"action":"published","release":{"id":\#(number),"tag_name":"v\#(number)","name":"v\#(number)","body":"\#(text(1500))","author":\#(user(actor.0, actor.1))}}"#
        case "MemberEvent":
            payload = #"{"member":\#(user(actor.0 + 5, "dev\(actorIndex + 5)")),"action":"added"}"#
        case "CommitCommentEvent":
            payload = #"{"comment":{"id":\#(nextCommentID),"body":"\#(text(300))","user":\#(user(actor.0, actor.1))}}"#
        case "GollumEvent":
            payload = #"{"pages":[{"page_name":"Home","title":"Home","action":"edited","sha":"\#(random.hex(40))"}]}"#
        default:
            payload = "{}"
        }
        let org = repoIndex % 3 == 0 ? #","org":{"id":\#(repoIndex % 5000 + 7_000_000),"login":"org\#(repoIndex % 5000)","gravatar_id":"","url":"https://api.github.com/orgs/org\#(repoIndex % 5000)","avatar_url":"https://avatars.githubusercontent.com/u/\#(repoIndex % 5000)?"}"# : ""
        return #"{"id":"\#(nextEventID)","type":"\#(type)","actor":{"id":\#(actor.0),"login":"\#(actor.1)","display_login":"\#(actor.1)","gravatar_id":"","url":"https://api.github.com/users/\#(actor.1)","avatar_url":"https://avatars.githubusercontent.com/u/\#(actor.0)?"},"repo":{"id":\#(repo.0),"name":"\#(repo.1)","url":"https://api.github.com/repos/\#(repo.1)"},"payload":\#(payload),"public":true,"created_at":"\#(timestamp(second))"\#(org)}"#
    }
}
