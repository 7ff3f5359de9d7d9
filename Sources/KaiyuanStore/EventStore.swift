import KaiyuanCore

/// Where ingested facts live. Metrics read through this protocol only, so a ClickHouse store
/// takes SQLite's place without the metrics changing.
///
/// Keys (`RepoRef.id`, actor ids, fact repos and actors) are platform-qualified
/// (`Platform.key(_:)`): a store never needs a separate platform column to keep two forges
/// apart, and GitHub's keys are GitHub's ids.
///
/// Every method may be called while another one's scan (`forEachRepository`, `factCounts`)
/// is delivering rows: a store answers it on a connection of its own, never by re-entering
/// the scan's.
public protocol EventStore: Sendable {
    /// The newest record of a file ingested under this name, if any.
    func ingestedFile(named name: String) throws -> IngestedFile?

    /// The record of this name with this content, if it was ingested.
    func ingestedFile(named name: String, digest: String) throws -> IngestedFile?

    /// Stores one file's delta, then the file's ledger row. A file's facts count entirely or
    /// not at all: a store either writes both in one transaction (SQLite), or ignores, in
    /// every read, data whose file has no ledger row yet (ClickHouse), so that a crash between
    /// the two leaves the file uncounted and a re-run stores it. Returns false, changing
    /// nothing, when a file of that name and digest was already committed (by this or another
    /// process).
    @discardableResult
    func commit(_ delta: FileDelta, file: IngestedFile) throws -> Bool

    /// Commits several files that were read whole, in order, each as `commit(_:file:)` would:
    /// per file, whether it was new (false: already committed) or why it failed. A store may
    /// write them in one transaction, so that a page several files touch is written once;
    /// then, should that transaction fail, it commits each file alone, so that only the file
    /// at fault fails.
    func commit(batch: [(delta: FileDelta, file: IngestedFile)]) -> [Result<Bool, any Error>]

    /// Every repository with its current name, in key order.
    func repositories() throws -> [RepoRef]

    /// A repository by `OWNER/NAME` on a platform, current or former name, case-insensitive.
    func repository(named name: String, platform: Platform) throws -> RepoRef?

    /// One repository's facts, optionally only those of some months.
    func facts(for repo: RepoRef, months: ClosedRange<Month>?) throws -> RepoFacts

    /// Calls `body` with each repository's facts in turn, in key order, reading the store once.
    func forEachRepository(months: ClosedRange<Month>?, _ body: (RepoFacts) throws -> Void) throws

    /// Like `forEachRepository(months:_:)`, with only the facts whose actor is `actor` (a
    /// developer's own view: the credited author for merges).
    func forEachRepository(months: ClosedRange<Month>?, actor: Int64, _ body: (RepoFacts) throws -> Void) throws

    /// An account by login on a platform, current or former, case-insensitive.
    func account(login: String, platform: Platform) throws -> Int64?

    /// Current logins of these accounts.
    func logins(for ids: Set<Int64>) throws -> [Int64: String]

    func summary() throws -> StoreSummary

    /// Events in the files ingested so far (cheap: no scan of the facts, unlike `summary()`).
    func ingestedEvents() throws -> Int

    /// Per repository with any, how many distinct `key`s the facts of these kinds have in
    /// these months, taken together (a distinct count over the whole range, never a sum of
    /// months): what the count metrics of §5 are, counted where the data is.
    func countPerRepository(kinds: [FactKind], key: FactCountKey, months: ClosedRange<Month>) throws -> [Int64: Int]

    // MARK: OpenRank (spec/metrics.md §4)

    /// Distinct fact counts per (repo, actor, kind) in one month, for the given kinds and the
    /// repositories of `platforms`; with `excludedOnly`, only the facts OpenRank leaves out
    /// (events on `[snyk]` issues).
    func factCounts(month: Month, kinds: [FactKind], platforms: PlatformSet, excludedOnly: Bool, _ body: (FactCount) throws -> Void) throws

    /// Accounts whose login ends with `suffix` (`[bot]`).
    func accounts(withLoginSuffix suffix: String) throws -> Set<Int64>

    /// Per month, a number that changes whenever an import adds a fact of one of these
    /// platforms to that month.
    func dataVersions(platforms: PlatformSet?) throws -> [Month: Int64]

    /// The months whose OpenRank is stored for a graph, with the data version it was computed from.
    func openRankRuns(scope: PlatformSet) throws -> [Month: OpenRankMonthRecord]

    /// Every node's latest stored value before `month` in a graph: where a run starts from.
    func latestOpenRanks(before month: Month, scope: PlatformSet) throws -> [OpenRankNode: (month: Month, value: Double)]

    /// Replaces one month's OpenRank values of a graph and its run record. The record is
    /// written last: a month whose record is missing or older than its data is computed again.
    func replaceOpenRank(_ record: OpenRankMonthRecord, scope: PlatformSet, repos: [Int64: Double], developers: [Int64: Double]) throws

    /// Every node's monthly values in some months. With no scope, each node's value in its
    /// own platform's graph (what the metrics and the export show).
    func openRank(_ kind: EntityKind, months: ClosedRange<Month>, scope: PlatformSet?) throws -> [Int64: [Month: Double]]

    /// A node's monthly OpenRank in its own platform's graph.
    func openRank(_ kind: EntityKind, id: Int64) throws -> [Month: Double]
}

/// What `countPerRepository` counts.
public enum FactCountKey: Sendable {
    /// Distinct actors (stargazers, participants, contributors).
    case actor
    /// Distinct objects (issues, pull requests, review comments).
    case object
    /// Facts (each is one event: forks, comments).
    case fact
}

extension EventStore {
    /// One file at a time: a file that fails leaves the others committed.
    public func commit(batch: [(delta: FileDelta, file: IngestedFile)]) -> [Result<Bool, any Error>] {
        batch.map { item in Result { try commit(item.delta, file: item.file) } }
    }

    /// A GitHub repository by `OWNER/NAME`.
    public func repository(named name: String) throws -> RepoRef? { try repository(named: name, platform: .github) }
    /// A GitHub account by login.
    public func account(login: String) throws -> Int64? { try account(login: login, platform: .github) }
    /// Data versions over every platform.
    public func dataVersions() throws -> [Month: Int64] { try dataVersions(platforms: nil) }
    /// Every node's values in its own platform's graph.
    public func openRank(_ kind: EntityKind, months: ClosedRange<Month>) throws -> [Int64: [Month: Double]] {
        try openRank(kind, months: months, scope: nil)
    }
}

/// What the server and the search box ask: names by prefix, and a stamp of the data.
public protocol CatalogStore: Sendable {
    /// A short string that changes whenever the store's data does: imports, OpenRank runs,
    /// git histories, labels. Cheap: what the server's caches and ETags key on.
    func dataStamp() throws -> String
    /// Repositories whose current or former name starts with `prefix` (case-insensitive), at most `limit`.
    func repositories(prefix: String, limit: Int) throws -> [RepoRef]
    /// Logins starting with `prefix` (case-insensitive), at most `limit`.
    func logins(prefix: String, limit: Int) throws -> [String]
}

/// Everything a kaiyuan store holds: what the CLI and the server are given.
public protocol DataStore: EventStore, GitStore, LabelStore, CatalogStore, StoreDump, HubStore, ForgeRecordStore, LicenceRecordStore {
    /// Where the store is, as a user would write it (`sqlite:kaiyuan.db`, `clickhouse://…`).
    var location: String { get }
}

extension StoreDump {
    /// The `created_at` of the newest event stored, in milliseconds (0 without events): every
    /// event records when its repository's name was seen.
    public func newestEventMilliseconds() throws -> Int64 {
        var newest: Int64 = 0
        try forEachNameSighting(.repo) { newest = max(newest, $0.lastSeen) }
        return newest * 1000
    }
}

/// `prefix%` with LIKE's own wildcards escaped, so user input matches literally.
public func likePrefix(_ s: String) -> String {
    s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
}

/// Everything a store holds, read out whole: what `kaiyuan store copy` moves to another store.
public protocol StoreDump: Sendable {
    /// The ledger: every file ingested.
    func ingestedFiles() throws -> [IngestedFile]
    /// Every name a repository (`.repo`) or account (`.developer`) was seen under, merged over files.
    func forEachNameSighting(_ kind: EntityKind, _ body: (NameSighting) throws -> Void) throws
    /// The facts OpenRank leaves out (made only by events with a `[snyk]` title), in key order.
    func openRankExclusions() throws -> [Fact]
    /// The graphs whose OpenRank is stored.
    func openRankScopes() throws -> [PlatformSet]
    /// A history's commits whole, committers included, one at a time in author-time order
    /// (then sha): what `gitHistory` is built from, and what a copy moves.
    func forEachGitCommit(repository id: Int64, _ body: (GitCommitRecord) throws -> Void) throws
}
