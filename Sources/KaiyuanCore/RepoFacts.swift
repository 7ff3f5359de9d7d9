/// A repository as the store knows it: its GitHub id and the name it was last seen under.
public struct RepoRef: Hashable, Sendable {
    public var id: Int64
    public var name: String
    public init(id: Int64, name: String) { self.id = id; self.name = name }
}

/// One stored fact without its repo and kind (the container says those).
public struct FactRow: Hashable, Sendable {
    public var month: Month
    public var object: Int64
    public var actor: Int64
    public init(month: Month, object: Int64, actor: Int64) { self.month = month; self.object = object; self.actor = actor }
}

/// Everything the store holds about one repository's activity: what the metrics are
/// computed from.
public struct RepoFacts: Sendable {
    public var repo: RepoRef
    /// Per kind, sorted by month.
    public var byKind: [FactKind: [FactRow]] = [:]
    public var pullRequestLines: [PullRequestLines] = []
    /// Issue and pull request timelines, sorted by number then time.
    public var itemEvents: [ItemEvent] = []
    /// Monthly OpenRank, where it has been computed.
    public var openRank: [Month: Double] = [:]

    public init(repo: RepoRef) { self.repo = repo }

    public subscript(kind: FactKind) -> [FactRow] { byKind[kind] ?? [] }

    public var isEmpty: Bool { byKind.isEmpty && pullRequestLines.isEmpty && itemEvents.isEmpty }

    /// The months that have any fact.
    public var months: ClosedRange<Month>? {
        var lo: Month?, hi: Month?
        for rows in byKind.values {
            if let f = rows.first?.month, lo == nil || f < lo! { lo = f }
            if let l = rows.last?.month, hi == nil || l > hi! { hi = l }
        }
        for l in pullRequestLines {
            if lo == nil || l.month < lo! { lo = l.month }
            if hi == nil || l.month > hi! { hi = l.month }
        }
        guard let lo, let hi else { return nil }
        return lo...hi
    }
}

/// The record that a file was ingested: what makes a second import of it a no-op. A file is
/// its name and its content (`digest`): a file of the same name with other bytes (the complete
/// download of an hour first seen cut short) is read again, and its facts join what is there.
public struct IngestedFile: Sendable, Equatable {
    public var name: String
    public var size: Int64
    public var events: Int
    public var skippedLines: Int
    public var ingestedAt: Int64
    /// `crc32:XXXXXXXX` of the file's bytes as stored; "" for records made before digests.
    public var digest: String

    public init(name: String, size: Int64, events: Int, skippedLines: Int, ingestedAt: Int64, digest: String = "") {
        self.name = name; self.size = size; self.events = events
        self.skippedLines = skippedLines; self.ingestedAt = ingestedAt; self.digest = digest
    }
}

/// How big a store is.
public struct StoreSummary: Sendable, Codable {
    public var files: Int
    public var events: Int
    public var repositories: Int
    public var developers: Int
    public var facts: Int
    public var firstMonth: String?
    public var lastMonth: String?

    public init(files: Int, events: Int, repositories: Int, developers: Int, facts: Int, firstMonth: String?, lastMonth: String?) {
        self.files = files; self.events = events; self.repositories = repositories
        self.developers = developers; self.facts = facts; self.firstMonth = firstMonth; self.lastMonth = lastMonth
    }
}

/// What an OpenRank node stands for; the raw values are stored.
public enum EntityKind: Int, Sendable, Hashable {
    case repo = 1
    case developer = 2
}

/// A node of an OpenRank graph: a repository or a developer, by key.
public struct OpenRankNode: Hashable, Sendable {
    public var kind: EntityKind
    public var id: Int64
    public init(_ kind: EntityKind, _ id: Int64) { self.kind = kind; self.id = id }
}

/// How many distinct facts of a kind one actor has in one repository in one month.
public struct FactCount: Sendable, Equatable {
    public var repo: Int64
    public var actor: Int64
    public var kind: FactKind
    public var count: Int
    public init(repo: Int64, actor: Int64, kind: FactKind, count: Int) {
        self.repo = repo; self.actor = actor; self.kind = kind; self.count = count
    }
}

/// One month's stored OpenRank run.
public struct OpenRankMonthRecord: Sendable, Equatable {
    public var month: Month
    public var dataVersion: Int64
    public var repos: Int
    public var developers: Int
    public var iterations: Int
    public var residual: Double
    public init(month: Month, dataVersion: Int64, repos: Int, developers: Int, iterations: Int, residual: Double) {
        self.month = month; self.dataVersion = dataVersion; self.repos = repos
        self.developers = developers; self.iterations = iterations; self.residual = residual
    }
}

extension RepoRef {
    /// The forge the repository is on (from its key).
    public var platform: Platform { Platform.of(key: id) }
    /// The forge's own id of the repository.
    public var localID: Int64 { Platform.localID(of: id) }
}
