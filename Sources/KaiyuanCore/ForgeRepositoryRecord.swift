/// What a forge's API says of a repository: what mirror detection weighs beside the histories
/// (a fork's parent, a mirror flag, the description and homepage a copy keeps).
public struct ForgeRepositoryRecord: Hashable, Sendable {
    public var repo: ForgeRepo
    /// The forge's own id.
    public var id: Int64?
    public var description: String?
    public var homepage: String?
    public var isFork: Bool
    /// The repository this one was forked from, as the API names it.
    public var parent: ForgeRepo?
    /// The API says it is a mirror (GitCode, Gitee's `mirror` where given), and of what.
    public var isMirror: Bool
    public var mirrorOf: String?
    /// ISO 8601 instants as given.
    public var createdAt: String?
    public var pushedAt: String?
    /// When it was read (Unix seconds).
    public var readAt: Int64

    public init(repo: ForgeRepo, id: Int64? = nil, description: String? = nil, homepage: String? = nil, isFork: Bool = false,
                parent: ForgeRepo? = nil, isMirror: Bool = false, mirrorOf: String? = nil, createdAt: String? = nil,
                pushedAt: String? = nil, readAt: Int64) {
        self.repo = repo; self.id = id; self.description = description; self.homepage = homepage
        self.isFork = isFork; self.parent = parent; self.isMirror = isMirror; self.mirrorOf = mirrorOf
        self.createdAt = createdAt; self.pushedAt = pushedAt; self.readAt = readAt
    }
}
