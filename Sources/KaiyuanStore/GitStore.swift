import Foundation
import KaiyuanCore

/// A git repository as the store knows it.
public struct GitRepoRecord: Sendable, Hashable {
    public var id: Int64
    public var repo: ForgeRepo
    /// The last commit ingested from a clone (what makes the next run incremental).
    public var head: String?
    public var source: String?
    public var licenceFiles: [String]
    public var mailmap: String?
    public var commits: Int
    /// When the history was last read (Unix seconds); nil before its first read.
    public var readAt: Int64?

    public init(id: Int64, repo: ForgeRepo, head: String?, source: String?, licenceFiles: [String], mailmap: String?, commits: Int, readAt: Int64? = nil) {
        self.id = id
        self.repo = repo
        self.head = head
        self.source = source
        self.licenceFiles = licenceFiles
        self.mailmap = mailmap
        self.commits = commits
        self.readAt = readAt
    }
}

extension GitHistory {
    /// A stored history before its commits: its name, `.mailmap` and licence files.
    public init(record: GitRepoRecord) {
        self.init(repos: [record.repo])
        mailmap = record.mailmap.map(MailmapEntry.parse) ?? []
        licenceFiles = record.licenceFiles
    }
}

/// Where git histories live. Commits are keyed by (repository, sha), so ingesting the same
/// history twice, or an overlapping one, stores each commit once.
public protocol GitStore: Sendable {
    /// The repository's record, creating it when `create` is set.
    func gitRepository(_ repo: ForgeRepo, create: Bool) throws -> GitRepoRecord?
    func gitRepositories() throws -> [GitRepoRecord]
    /// Stores a batch of commits in one transaction; returns how many were new.
    @discardableResult
    func addCommits(_ commits: [GitCommitRecord], repository id: Int64) throws -> Int
    /// Records where the history was read from, its head, licence files and `.mailmap`.
    func finishGitImport(repository id: Int64, head: String?, source: String, licenceFiles: [String]?, mailmap: String?) throws
    /// The month of the newest author date in any history.
    func latestCommitMonth() throws -> Month?
    /// A repository's whole history, ready for the metrics.
    func gitHistory(repository id: Int64) throws -> GitHistory
}

/// Where OpenDigger's labels and the user's domain map live.
public protocol LabelStore: Sendable {
    /// Replaces every stored label with these, in one transaction.
    func replaceLabels(_ labels: [LabelDefinition]) throws
    func labels() throws -> [LabelDefinition]
    func setOrganisationDomain(_ domain: String, organisation: String, label: String?, country: String?) throws
    func organisationDomains() throws -> [(domain: String, organisation: String, label: String?, country: String?)]
}

/// What forges' APIs said of repositories (Gitee, GitCode, AtomGit): the latest record per
/// repository.
public protocol ForgeRecordStore: Sendable {
    /// Stores a repository's record, replacing an earlier one of the same repository.
    func setForgeRepository(_ record: ForgeRepositoryRecord) throws
    /// Every record, by platform and name.
    func forgeRepositories() throws -> [ForgeRepositoryRecord]
}

/// The licences repositories declare, read from their clones at ingest: the latest record
/// per repository.
public protocol LicenceRecordStore: Sendable {
    /// Stores a repository's record, replacing an earlier one of the same repository.
    func setRepoLicences(_ record: RepoLicenceRecord) throws
    /// Every record, by platform and name.
    func repoLicences() throws -> [RepoLicenceRecord]
    /// One repository's record (its name compared case-insensitively), read alone: an ingest
    /// checks it for every clone, and must not read every record to do so.
    func repoLicences(of repo: ForgeRepo) throws -> RepoLicenceRecord?
}

/// How both stores keep a licence record's lists in one text column each: the ids joined by
/// newlines, and the changes as JSON.
public enum LicenceRecordText {
    public static func licences(_ ids: [String]) -> String { ids.joined(separator: "\n") }
    public static func licences(_ text: String) -> [String] { text.isEmpty ? [] : text.components(separatedBy: "\n") }
    public static func changes(_ list: [LicenceChange]) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: (try? e.encode(list)) ?? Data("[]".utf8), as: UTF8.self)
    }
    public static func changes(_ text: String) -> [LicenceChange] {
        (try? JSONDecoder().decode([LicenceChange].self, from: Data(text.utf8))) ?? []
    }
}
