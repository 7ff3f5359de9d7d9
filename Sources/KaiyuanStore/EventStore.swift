import KaiyuanCore

/// Where ingested facts live. Metrics read through this protocol only, so a ClickHouse store
/// can take SQLite's place without the metrics changing.
public protocol EventStore: Sendable {
    /// The record of a file already ingested under this name, if any.
    func ingestedFile(named name: String) throws -> IngestedFile?

    /// Commits one file's delta and its record in one transaction. Returns false, changing
    /// nothing, when a file of that name was already committed (by this or another process).
    @discardableResult
    func commit(_ delta: FileDelta, file: IngestedFile) throws -> Bool

    /// Every repository with its current name.
    func repositories() throws -> [RepoRef]

    /// A repository by `OWNER/NAME`, current or former, case-insensitive.
    func repository(named name: String) throws -> RepoRef?

    /// One repository's facts, optionally only those of some months.
    func facts(for repo: RepoRef, months: ClosedRange<Month>?) throws -> RepoFacts

    /// Calls `body` with each repository's facts in turn, reading the store once, in order.
    func forEachRepository(months: ClosedRange<Month>?, _ body: (RepoFacts) throws -> Void) throws

    /// Current logins of these accounts.
    func logins(for ids: Set<Int64>) throws -> [Int64: String]

    func summary() throws -> StoreSummary
}
