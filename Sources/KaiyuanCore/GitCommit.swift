/// A name and email as git records them (author, committer or a `Co-authored-by` trailer).
public struct GitPerson: Hashable, Sendable, Comparable {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    public static func < (a: GitPerson, b: GitPerson) -> Bool { (a.email, a.name) < (b.email, b.name) }
}

/// One commit of a history in the form of `spec/git-log-format.md`, with its numstat summed.
public struct GitCommitRecord: Hashable, Sendable {
    /// 40 (or 64, SHA-256 repositories) hex digits.
    public var sha: String
    public var parentCount: Int
    public var author: GitPerson
    /// Unix seconds (UTC) and the author's UTC offset in minutes.
    public var authorTime: Int64
    public var authorOffsetMinutes: Int
    public var committer: GitPerson
    public var commitTime: Int64
    public var subject: String
    public var coAuthors: [GitPerson]
    /// Numstat sums; binary files (`-`) are counted apart and add no lines.
    public var linesAdded: Int64 = 0
    public var linesDeleted: Int64 = 0
    public var files: Int = 0
    public var binaryFiles: Int = 0

    public init(sha: String, parentCount: Int, author: GitPerson, authorTime: Int64, authorOffsetMinutes: Int,
                committer: GitPerson, commitTime: Int64, subject: String, coAuthors: [GitPerson]) {
        self.sha = sha
        self.parentCount = parentCount
        self.author = author
        self.authorTime = authorTime
        self.authorOffsetMinutes = authorOffsetMinutes
        self.committer = committer
        self.commitTime = commitTime
        self.subject = subject
        self.coAuthors = coAuthors
    }

    /// Two or more parents (spec/metrics.md §8 counts these apart).
    public var isMerge: Bool { parentCount >= 2 }

    /// The UTC month of the author date: what every git metric is bucketed by.
    public var month: Month { Month(unixTime: authorTime) }
}
