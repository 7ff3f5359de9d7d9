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

    /// Like `forEachRepository(months:_:)`, with only the facts whose actor is `actor` (a
    /// developer's own view: the credited author for merges).
    func forEachRepository(months: ClosedRange<Month>?, actor: Int64, _ body: (RepoFacts) throws -> Void) throws

    /// An account by login, current or former, case-insensitive.
    func account(login: String) throws -> Int64?

    /// Current logins of these accounts.
    func logins(for ids: Set<Int64>) throws -> [Int64: String]

    func summary() throws -> StoreSummary

    /// Events in the files ingested so far (cheap: no scan of the facts, unlike `summary()`).
    func ingestedEvents() throws -> Int

    // MARK: OpenRank (spec/metrics.md §4)

    /// Distinct fact counts per (repo, actor, kind) in one month, for the given kinds; with
    /// `excludedOnly`, only the facts OpenRank leaves out (events on `[snyk]` issues).
    func factCounts(month: Month, kinds: [FactKind], excludedOnly: Bool, _ body: (FactCount) throws -> Void) throws

    /// Accounts whose login ends with `suffix` (`[bot]`).
    func accounts(withLoginSuffix suffix: String) throws -> Set<Int64>

    /// Per month, a number that changes whenever an import adds a fact to that month.
    func dataVersions() throws -> [Month: Int64]

    /// The months whose OpenRank is stored, with the data version it was computed from.
    func openRankRuns() throws -> [Month: OpenRankMonthRecord]

    /// A node's latest stored value before `month`.
    func latestOpenRank(_ kind: EntityKind, id: Int64, before month: Month) throws -> (month: Month, value: Double)?

    /// Replaces one month's OpenRank values and its run record, in one transaction.
    func replaceOpenRank(_ record: OpenRankMonthRecord, repos: [Int64: Double], developers: [Int64: Double]) throws

    /// A node's monthly OpenRank.
    func openRank(_ kind: EntityKind, id: Int64) throws -> [Month: Double]

    /// Every node's value in some months (for ranking).
    func openRank(_ kind: EntityKind, months: ClosedRange<Month>) throws -> [Int64: [Month: Double]]
}
