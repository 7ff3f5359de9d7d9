/// What a repository's top-level licence files and manifests declare, read from its clone
/// at ingest, and every change of that declaration in the history of those files.
public struct RepoLicenceRecord: Hashable, Sendable {
    public var repo: ForgeRepo
    /// The declared licence expression at HEAD, nil when nothing is declared.
    public var expression: String?
    /// The licence ids (atoms) of `expression`, for counting.
    public var licences: [String]
    /// The commit read.
    public var head: String
    /// When it was read (Unix seconds).
    public var readAt: Int64
    /// Every change of the declared licence, oldest first (the first: when one was added).
    public var changes: [LicenceChange]

    public init(repo: ForgeRepo, expression: String?, licences: [String], head: String, readAt: Int64, changes: [LicenceChange]) {
        self.repo = repo; self.expression = expression; self.licences = licences; self.head = head; self.readAt = readAt; self.changes = changes
    }
}

/// A commit after which the declared licence is another.
public struct LicenceChange: Hashable, Sendable, Codable {
    public var commit: String
    /// Commit time (Unix seconds).
    public var time: Int64
    /// Before (nil: no licence declared yet) and after (nil: the licence files were removed).
    public var from: String?
    public var to: String?

    public init(commit: String, time: Int64, from: String?, to: String?) {
        self.commit = commit; self.time = time; self.from = from; self.to = to
    }
}
