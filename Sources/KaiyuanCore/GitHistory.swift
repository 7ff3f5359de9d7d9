/// One commit as the metrics need it: people by number into `GitHistory.people`.
public struct GitCommitSummary: Hashable, Sendable {
    public var sha: String
    public var parentCount: Int
    public var author: Int32
    public var authorTime: Int64
    public var authorOffsetMinutes: Int
    public var coAuthors: [Int32]
    public var linesAdded: Int64
    public var linesDeleted: Int64
    public var files: Int
    public var binaryFiles: Int
    public var subject: String

    public init(sha: String, parentCount: Int, author: Int32, authorTime: Int64, authorOffsetMinutes: Int,
                coAuthors: [Int32], linesAdded: Int64, linesDeleted: Int64, files: Int, binaryFiles: Int, subject: String) {
        self.sha = sha
        self.parentCount = parentCount
        self.author = author
        self.authorTime = authorTime
        self.authorOffsetMinutes = authorOffsetMinutes
        self.coAuthors = coAuthors
        self.linesAdded = linesAdded
        self.linesDeleted = linesDeleted
        self.files = files
        self.binaryFiles = binaryFiles
        self.subject = subject
    }

    public var isMerge: Bool { parentCount >= 2 }
    public var month: Month { Month(unixTime: authorTime) }
}

/// A repository's history (or several repositories', for a label), with each distinct
/// name+email stored once. Built from a `git log` stream or read back from the store.
public struct GitHistory: Sendable {
    public var repos: [ForgeRepo]
    public private(set) var people: [GitPerson] = []
    public private(set) var commits: [GitCommitSummary] = []
    public var mailmap: [MailmapEntry] = []
    public var licenceFiles: [String] = []
    private var personNumbers: [GitPerson: Int32] = [:]

    public init(repos: [ForgeRepo]) { self.repos = repos }

    public mutating func person(_ p: GitPerson) -> Int32 {
        if let n = personNumbers[p] { return n }
        let n = Int32(people.count)
        people.append(p)
        personNumbers[p] = n
        return n
    }

    /// Adds a commit. A git log (or a store) holds each commit once; histories of several
    /// repositories are put together with `merge`, which keeps shared commits once.
    public mutating func add(_ c: GitCommitRecord) {
        commits.append(GitCommitSummary(
            sha: c.sha, parentCount: c.parentCount, author: person(c.author), authorTime: c.authorTime,
            authorOffsetMinutes: c.authorOffsetMinutes, coAuthors: c.coAuthors.map { person($0) },
            linesAdded: c.linesAdded, linesDeleted: c.linesDeleted, files: c.files, binaryFiles: c.binaryFiles, subject: c.subject))
    }

    /// Merges another history (another repository of the same label): a commit reached from
    /// two repositories (a mirror, a fork) counts once.
    public mutating func merge(_ other: GitHistory) {
        repos += other.repos
        var seen = Set(commits.map(\.sha))
        for c in other.commits where seen.insert(c.sha).inserted {
            var c = c
            c.author = person(other.people[Int(c.author)])
            c.coAuthors = c.coAuthors.map { person(other.people[Int($0)]) }
            commits.append(c)
        }
        mailmap += other.mailmap
        licenceFiles = Array(Set(licenceFiles + other.licenceFiles)).sorted()
    }
}
