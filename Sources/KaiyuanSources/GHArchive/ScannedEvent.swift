/// The GitHub event types GH Archive has carried. `unknown` is a name not in this list;
/// `missing` an event with no `type` at all.
public enum GHEventType: UInt8, CaseIterable, Sendable {
    case commitComment, create, delete, discussion, fork, gollum, issueComment, issues, member,
         public_, pullRequest, pullRequestReview, pullRequestReviewComment,
         pullRequestReviewThread, push, release, sponsorship, watch,
         // Retired before 2015 but present in old archives.
         download, follow, forkApply, gist
    case unknown, missing

    public static let names: [(GHEventType, [UInt8])] = ([
        (.commitComment, "CommitCommentEvent"), (.create, "CreateEvent"), (.delete, "DeleteEvent"),
        (.discussion, "DiscussionEvent"), (.fork, "ForkEvent"), (.gollum, "GollumEvent"),
        (.issueComment, "IssueCommentEvent"), (.issues, "IssuesEvent"), (.member, "MemberEvent"),
        (.public_, "PublicEvent"), (.pullRequest, "PullRequestEvent"),
        (.pullRequestReview, "PullRequestReviewEvent"),
        (.pullRequestReviewComment, "PullRequestReviewCommentEvent"),
        (.pullRequestReviewThread, "PullRequestReviewThreadEvent"), (.push, "PushEvent"),
        (.release, "ReleaseEvent"), (.sponsorship, "SponsorshipEvent"), (.watch, "WatchEvent"),
        (.download, "DownloadEvent"), (.follow, "FollowEvent"), (.forkApply, "ForkApplyEvent"),
        (.gist, "GistEvent"),
    ] as [(GHEventType, String)]).map { ($0.0, Array($0.1.utf8)) }

    public var name: String {
        Self.names.first { $0.0 == self }.map { String(decoding: $0.1, as: UTF8.self) } ?? "\(self)"
    }
}

/// `payload.action` values the metrics distinguish.
public enum GHAction: UInt8, Sendable {
    case none, opened, closed, reopened, created, added, edited, deleted, other

    static let names: [(GHAction, [UInt8])] = ([
        (.opened, "opened"), (.closed, "closed"), (.reopened, "reopened"), (.created, "created"),
        (.added, "added"), (.edited, "edited"), (.deleted, "deleted"),
    ] as [(GHAction, String)]).map { ($0.0, Array($0.1.utf8)) }
}

/// Where a string value sits in the line being scanned. `escaped` says it holds a backslash
/// escape and must be decoded before use.
public struct ByteSpan: Sendable, Equatable {
    public var start: Int
    public var count: Int
    public var escaped: Bool
}

/// `payload.issue` or `payload.pull_request`.
public struct IssueFields: Sendable {
    public var id: Int64?
    /// The number, shared by issues and pull requests within a repository.
    public var number: Int64?
    /// An issue object that carries a `pull_request` link is a pull request's conversation.
    public var isPullRequest = false
    public var authorID: Int64?
    public var authorLogin: ByteSpan?
    public var titleIsSnyk = false
    public var merged: Bool?
    public var additions: Int64?
    public var deletions: Int64?
}

/// The fields of one event that `spec/metrics.md` §1 uses, as the scanner found them.
/// Plain values and spans into the line: scanning an event allocates nothing.
public struct ScannedEvent: Sendable {
    public var id: Int64?
    public var type: GHEventType = .missing
    public var typeName: ByteSpan?
    public var actorID: Int64?
    public var actorLogin: ByteSpan?
    public var repoID: Int64?
    public var repoName: ByteSpan?
    /// Unix seconds.
    public var createdAt: Int64?
    public var action: GHAction = .none
    public var issue = IssueFields()
    public var pullRequest = IssueFields()
    public var commentID: Int64?
    public var pushID: Int64?

    public init() {}
}
