import Foundation
import Synchronization

/// Builds GH Archive event lines by hand, shaped like the real ones (extra fields included,
/// so the scanner has something to skip).
public enum EventJSON {
    private static let counter = Mutex<Int64>(30_000_000_000)
    static func nextID() -> Int64 { counter.withLock { $0 += 1; return $0 } }

    public static func event(_ type: String, id: Int64? = nil, actor: (Int64, String), repo: (Int64, String),
                             at createdAt: String, payload: String = "{}") -> String {
        let eventID = id ?? nextID()
        return """
        {"id":"\(eventID)","type":"\(type)","actor":{"id":\(actor.0),"login":"\(actor.1)","display_login":"\(actor.1)","gravatar_id":"","url":"https://api.github.com/users/\(actor.1)","avatar_url":"https://avatars.githubusercontent.com/u/\(actor.0)?"},"repo":{"id":\(repo.0),"name":"\(repo.1)","url":"https://api.github.com/repos/\(repo.1)"},"payload":\(payload),"public":true,"created_at":"\(createdAt)"}
        """
    }

    public static func user(_ who: (Int64, String)) -> String {
        #"{"login":"\#(who.1)","id":\#(who.0),"type":"User","site_admin":false}"#
    }

    public static func issue(id: Int64, number: Int, author: (Int64, String), title: String = "A bug") -> String {
        #"{"url":"https://api.github.com/repos/x/y/issues/\#(number)","id":\#(id),"number":\#(number),"title":"\#(title)","user":\#(user(author)),"labels":[{"id":1,"name":"bug"}],"state":"open","body":"Steps: \"quoted\" {braces} [brackets]\n","pull_request":null}"#
    }

    public static func pullRequest(id: Int64, number: Int, author: (Int64, String), merged: Bool = false,
                                   additions: Int? = 10, deletions: Int? = 2, title: String = "Fix it") -> String {
        var fields = #""url":"https://api.github.com/repos/x/y/pulls/\#(number)","id":\#(id),"number":\#(number),"state":"open","title":"\#(title)","user":\#(user(author)),"body":"closes #1","head":{"label":"a:b","user":\#(user((999, "someone-else")))},"base":{"repo":{"id":1,"name":"y"}},"merged":\#(merged)"#
        if let additions { fields += #","additions":\#(additions)"# }
        if let deletions { fields += #","deletions":\#(deletions)"# }
        return "{\(fields)}"
    }

    public static func issuesEvent(_ action: String, issue: String, actor: (Int64, String), repo: (Int64, String), at: String, id: Int64? = nil) -> String {
        event("IssuesEvent", id: id, actor: actor, repo: repo, at: at, payload: #"{"action":"\#(action)","issue":\#(issue)}"#)
    }

    public static func issueComment(commentID: Int64, issue: String, actor: (Int64, String), repo: (Int64, String), at: String, action: String = "created", id: Int64? = nil) -> String {
        event("IssueCommentEvent", id: id, actor: actor, repo: repo, at: at,
              payload: #"{"action":"\#(action)","issue":\#(issue),"comment":{"id":\#(commentID),"user":\#(user(actor)),"body":"LGTM"}}"#)
    }

    public static func pullRequestEvent(_ action: String, pr: String, actor: (Int64, String), repo: (Int64, String), at: String, id: Int64? = nil) -> String {
        event("PullRequestEvent", id: id, actor: actor, repo: repo, at: at, payload: #"{"action":"\#(action)","number":1,"pull_request":\#(pr)}"#)
    }

    public static func reviewComment(commentID: Int64, pr: String, actor: (Int64, String), repo: (Int64, String), at: String, action: String = "created", id: Int64? = nil) -> String {
        event("PullRequestReviewCommentEvent", id: id, actor: actor, repo: repo, at: at,
              payload: #"{"action":"\#(action)","comment":{"id":\#(commentID),"body":"nit"},"pull_request":\#(pr)}"#)
    }

    public static func watch(actor: (Int64, String), repo: (Int64, String), at: String, id: Int64? = nil) -> String {
        event("WatchEvent", id: id, actor: actor, repo: repo, at: at, payload: #"{"action":"started"}"#)
    }

    public static func fork(actor: (Int64, String), repo: (Int64, String), at: String, id: Int64? = nil) -> String {
        event("ForkEvent", id: id, actor: actor, repo: repo, at: at, payload: #"{"forkee":{"id":5,"name":"copy","owner":{"login":"x"}}}"#)
    }

    public static func push(pushID: Int64, actor: (Int64, String), repo: (Int64, String), at: String, id: Int64? = nil) -> String {
        event("PushEvent", id: id, actor: actor, repo: repo, at: at,
              payload: #"{"push_id":\#(pushID),"size":1,"distinct_size":1,"ref":"refs/heads/main","commits":[{"sha":"abc","author":{"name":"A","email":"a@example.com"},"message":"m"}]}"#)
    }
}
