import Foundation
import KaiyuanCore

/// Turns a forge API's items into the facts GH Archive's events give (`spec/metrics.md` §1,
/// §3, §5), under the forge's platform keys: an issue opened is `issueOpened` by its author in
/// its month, a comment `issueComment`, a merged pull request `pullMerged` by its author, a
/// star `star`, a fork `fork`; plus the timelines the response-time metrics read and the names
/// repositories and accounts were seen under.
///
/// The list endpoints do not say who closed an issue or a pull request. Such a close is
/// counted (`issues_closed`, `change_requests` closed) with the unknown account 0, and left
/// out of OpenRank, which weighs who did what.
public struct ForgeFolder {
    public let platform: Platform
    public let repo: Int64
    public private(set) var delta = FileDelta()
    public private(set) var problems: [String] = []
    public private(set) var items = 0
    /// The newest `updated_at` (Unix seconds) among the items folded: the endpoint's cursor.
    public private(set) var newestUpdate: Int64?
    /// Pull request number → the pull request's key, from the pulls read in this run: what a
    /// pull request comment (which names only the number) is about.
    public var pullIDs: [Int64: Int64] = [:]

    /// `platform`'s key of the forge's repository id.
    public init(platform: Platform, repositoryID: Int64) {
        self.platform = platform
        repo = platform.key(repositoryID)
    }

    var unknownActor: Int64 { platform.key(0) }

    /// Gitee's issue numbers are letters and digits (`I4CE7W`): read as base 36, as
    /// OpenDigger does, so that they fit the timeline's integer numbers; a number of digits
    /// only (GitCode's `"1885"`) is read as the decimal it is.
    public static func issueNumber(_ v: Any?) -> Int64? {
        if let n = v as? Int { return Int64(n) }
        guard let s = v as? String, !s.isEmpty, s.count <= 12 else { return nil }
        if s.allSatisfy(\.isASCII), s.allSatisfy(\.isNumber) { return Int64(s) }
        return Int64(s, radix: 36)
    }

    /// A pull request's timeline number. These forges number pull requests apart from issues
    /// (issue #5 and pull request #5 are two items), so pull requests take the negative numbers.
    static func pullNumber(_ n: Int64?) -> Int64? { n.map { -$0 } }

    public static func int(_ v: Any?) -> Int64? {
        if let n = v as? Int { return Int64(n) }
        if let n = v as? NSNumber { return Int64(exactly: n.doubleValue) }
        if let s = v as? String { return Int64(s) }
        return nil
    }

    /// An ISO 8601 instant with its offset (`2021-09-29T11:05:30+08:00`), as Unix seconds.
    public static func time(_ v: Any?) -> Int64? {
        guard let s = v as? String else { return nil }
        // The instant parser GH Archive's events go through; a bare date is its midnight UTC.
        if s.utf8.count == 10 { return Day(s).map { $0.daysSinceEpoch * 86_400 } }
        return Array(s.utf8).withUnsafeBufferPointer { GHEventScanner.parseTimestamp($0.baseAddress!, $0.count) }
    }

    /// A user object's id (platform key) and login, recording the login's sighting.
    mutating func user(_ v: Any?, at time: Int64) -> Int64? {
        guard let u = v as? [String: Any], let id = Self.int(u["id"]) else { return nil }
        let key = platform.key(id)
        if let login = u["login"] as? String, !login.isEmpty {
            delta.actorLogins.record(id: key, at: time, matches: { $0 == login }, makeName: { login })
        }
        return key
    }

    mutating func fact(_ kind: FactKind, _ month: Month, _ object: Int64, _ actor: Int64) {
        let f = Fact(repo: repo, kind: kind, month: month, object: object, actor: actor)
        delta.facts.append(f)
        if actor == unknownActor && kind.countsForOpenRank { delta.openRankExclusions.insert(f) }
    }

    mutating func timeline(_ number: Int64?, pull: Bool, _ kind: ItemEventKind, _ at: Int64, _ actor: Int64) {
        guard let number else { return }
        delta.itemEvents.append(ItemEvent(repo: repo, number: number, isPullRequest: pull, kind: kind, at: at, actor: actor))
    }

    mutating func seen(_ item: [String: Any]) {
        items += 1
        if let t = Self.time(item["updated_at"]) ?? Self.time(item["created_at"]) ?? Self.time(item["star_at"]) {
            newestUpdate = max(newestUpdate ?? t, t)
        }
    }

    /// The repository's own record: its name as of its last update.
    public mutating func repository(_ o: [String: Any]) {
        guard let name = o["full_name"] as? String else { return }
        let t = Self.time(o["updated_at"]) ?? Self.time(o["created_at"]) ?? 0
        delta.repoNames.record(id: repo, at: t, matches: { $0 == name }, makeName: { name })
    }

    /// Folds one page's items; an item without what it needs is named and skipped.
    public mutating func fold(_ endpoint: ForgeAPI.Endpoint, _ list: [[String: Any]], place: String) {
        for (i, item) in list.enumerated() {
            seen(item)
            if let why = fold(endpoint, item) { problems.append("\(place) item \(i + 1): \(why)") }
        }
    }

    mutating func fold(_ endpoint: ForgeAPI.Endpoint, _ o: [String: Any]) -> String? {
        switch endpoint {
        case .issues, .pulls:
            let pull = endpoint == .pulls
            guard let rawID = Self.int(o["id"]) else { return "no id" }
            guard let created = Self.time(o["created_at"]) else { return "no readable created_at" }
            guard let author = user(o["user"], at: created) else { return "no user" }
            let id = platform.key(rawID)
            let number = pull ? Self.pullNumber(Self.issueNumber(o["number"])) : Self.issueNumber(o["number"])
            if pull, let n = Self.issueNumber(o["number"]) { pullIDs[n] = id }
            let month = Month(unixTime: created)
            fact(.participant, month, author, author)
            fact(.issueActive, month, id, author)
            fact(pull ? .pullOpened : .issueOpened, month, id, author)
            timeline(number, pull: pull, .opened, created, author)
            if let closed = Self.time(pull ? o["closed_at"] : o["finished_at"]) ?? (pull ? Self.time(o["merged_at"]) : nil) {
                let m = Month(unixTime: closed)
                fact(pull ? .pullClosed : .issueClosed, m, id, unknownActor)
                // Active in the month it was closed, as a close event makes it on GitHub.
                fact(.issueActive, m, id, unknownActor)
                timeline(number, pull: pull, .closed, closed, unknownActor)
                if pull, let merged = Self.time(o["merged_at"]) { fact(.pullMerged, Month(unixTime: merged), id, author) }
            }
        case .issueComments, .pullComments:
            guard let rawID = Self.int(o["id"]) else { return "no id" }
            guard let created = Self.time(o["created_at"]) else { return "no readable created_at" }
            guard let who = user(o["user"], at: created) else { return "no user" }
            let month = Month(unixTime: created)
            fact(.participant, month, who, who)
            let onDiff = endpoint == .pullComments && (o["path"] as? String).map { !$0.isEmpty } == true
            fact(onDiff ? .reviewCommentCreated : .issueComment, month, platform.key(rawID), who)
            if endpoint == .issueComments {
                let issue = (o["target"] as? [String: Any])?["issue"] as? [String: Any]
                if let issueID = Self.int(issue?["id"]) { fact(.issueActive, month, platform.key(issueID), who) }
                timeline(Self.issueNumber(issue?["number"]), pull: false, .response, created, who)
            } else {
                // `…/pulls/7` names the pull request the comment is on.
                let number = (o["pull_request_url"] as? String).flatMap { $0.split(separator: "/").last.flatMap { Int64($0) } }
                if let number, let pr = pullIDs[number] { fact(.issueActive, month, pr, who) }
                timeline(Self.pullNumber(number), pull: true, .response, created, who)
            }
        case .stargazers:
            guard let at = Self.time(o["star_at"]) else { return "no readable star_at" }
            guard let who = user(o, at: at) else { return "no id" }
            fact(.star, Month(unixTime: at), who, who)
        case .forks:
            guard let rawID = Self.int(o["id"]) else { return "no id" }
            guard let created = Self.time(o["created_at"]) else { return "no readable created_at" }
            guard let owner = user(o["owner"], at: created) else { return "no owner" }
            fact(.fork, Month(unixTime: created), platform.key(rawID), owner)
        }
        return nil
    }

    public mutating func finish() -> FileDelta {
        delta.finish()
        return delta
    }
}
