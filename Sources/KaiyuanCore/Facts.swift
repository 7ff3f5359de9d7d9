/// What kind of contribution a stored fact records. A fact is the smallest thing the metrics
/// need to keep from an event: enough to count distinct ids per repo, month and developer,
/// never the raw JSON. The raw values are stored in the database: never renumber a case.
public enum FactKind: UInt8, CaseIterable, Sendable {
    /// WatchEvent; object = actor id (a star, counted once per month).
    case star = 1
    /// ForkEvent; object = event id (forks are counted as events).
    case fork = 2
    /// IssuesEvent opened; object = issue id.
    case issueOpened = 3
    /// IssuesEvent reopened; object = issue id.
    case issueReopened = 4
    /// IssuesEvent closed; object = issue id; actor = who closed it.
    case issueClosed = 5
    /// IssueCommentEvent created; object = comment id.
    case issueComment = 6
    /// PullRequestEvent opened; object = pull request id.
    case pullOpened = 7
    /// PullRequestEvent closed (merged or not); object = pull request id; actor = who closed it.
    case pullClosed = 8
    /// PullRequestEvent closed with merged = true; object = pull request id; actor = the PR's author.
    case pullMerged = 9
    /// PullRequestReviewCommentEvent created or added; object = review comment id.
    case reviewCommentCreated = 10
    /// PullRequestReviewCommentEvent with any other action; object = review comment id.
    case reviewCommentOther = 11
    /// Any IssuesEvent, IssueCommentEvent, PullRequestEvent or PullRequestReviewCommentEvent;
    /// object = actor id.
    case participant = 12
    /// The same four event types; object = the issue or pull request id they are about.
    case issueActive = 13
    /// PushEvent; object = push id (kept for OpenRank's push term).
    case push = 14
}

extension FactKind {
    /// The kinds OpenRank's edge activity counts (`spec/metrics.md` §4.1), pushes included.
    public var countsForOpenRank: Bool {
        switch self {
        case .issueOpened, .issueComment, .issueClosed, .reviewCommentCreated, .pullOpened, .pullClosed, .push: true
        default: false
        }
    }
}

/// One stored fact. Identical facts are one fact: that is what makes importing the same
/// event twice harmless.
public struct Fact: Hashable, Comparable, Sendable {
    public var repo: Int64
    public var kind: FactKind
    public var month: Month
    public var object: Int64
    public var actor: Int64

    public init(repo: Int64, kind: FactKind, month: Month, object: Int64, actor: Int64) {
        self.repo = repo; self.kind = kind; self.month = month; self.object = object; self.actor = actor
    }

    /// The store's primary-key order, so that a sorted batch appends to the B-tree.
    public static func < (a: Fact, b: Fact) -> Bool {
        if a.repo != b.repo { return a.repo < b.repo }
        if a.kind != b.kind { return a.kind.rawValue < b.kind.rawValue }
        if a.month != b.month { return a.month < b.month }
        if a.object != b.object { return a.object < b.object }
        return a.actor < b.actor
    }
}

/// Lines added and deleted by one PullRequestEvent (`code_change_lines_*`), keyed by the
/// event id so that a duplicated event is counted once.
public struct PullRequestLines: Hashable, Sendable {
    public var eventID: Int64
    public var repo: Int64
    public var month: Month
    public var additions: Int64
    public var deletions: Int64

    public init(eventID: Int64, repo: Int64, month: Month, additions: Int64, deletions: Int64) {
        self.eventID = eventID; self.repo = repo; self.month = month
        self.additions = additions; self.deletions = deletions
    }
}

/// A name an entity (a repo or an account) was seen under, and when: GitHub ids are stable,
/// names are not (repos are renamed and transferred, users change logins).
public struct NameSighting: Hashable, Sendable {
    public var id: Int64
    public var name: String
    public var firstSeen: Int64
    public var lastSeen: Int64

    public init(id: Int64, name: String, firstSeen: Int64, lastSeen: Int64) {
        self.id = id; self.name = name; self.firstSeen = firstSeen; self.lastSeen = lastSeen
    }
}

/// What happened to an issue or pull request at one moment: the timeline the duration
/// metrics (`spec/metrics.md` §7) are measured on. Raw values are stored.
public enum ItemEventKind: UInt8, Sendable, CaseIterable {
    case opened = 1
    case closed = 2
    case reopened = 3
    /// A comment, a review or a review comment.
    case response = 4
}

/// One moment of an issue's or pull request's life, keyed by the number they share in a
/// repository (a comment on a pull request's conversation names its number, not its id).
public struct ItemEvent: Hashable, Comparable, Sendable {
    public var repo: Int64
    public var number: Int64
    public var isPullRequest: Bool
    public var kind: ItemEventKind
    /// Unix seconds.
    public var at: Int64
    public var actor: Int64

    public init(repo: Int64, number: Int64, isPullRequest: Bool, kind: ItemEventKind, at: Int64, actor: Int64) {
        self.repo = repo; self.number = number; self.isPullRequest = isPullRequest
        self.kind = kind; self.at = at; self.actor = actor
    }

    public static func < (a: ItemEvent, b: ItemEvent) -> Bool {
        (a.repo, a.number, a.at, a.kind.rawValue, a.actor) < (b.repo, b.number, b.at, b.kind.rawValue, b.actor)
    }
}
