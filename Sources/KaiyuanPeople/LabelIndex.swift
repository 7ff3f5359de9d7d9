import KaiyuanCore

/// OpenDigger's labels, indexed both ways: what a label contains (its children included) and
/// which labels name a given user, organisation or repository.
public struct LabelIndex: Sendable {
    public let labels: [String: LabelDefinition]
    private var parents: [String: [String]] = [:]
    private var byMember: [MemberKey: [String]] = [:]
    private var byGitHubRepoID: [Int64: [String]] = [:]

    struct MemberKey: Hashable {
        var platform: Platform
        var kind: LabelMember.Kind
        var name: String
    }

    public init(_ definitions: [LabelDefinition]) {
        var labels: [String: LabelDefinition] = [:]
        for d in definitions { labels[d.id] = d }
        self.labels = labels
        for d in definitions {
            for child in d.children { parents[child, default: []].append(d.id) }
            for m in d.members {
                byMember[MemberKey(platform: m.platform, kind: m.kind, name: m.name.lowercased()), default: []].append(d.id)
                if m.kind == .repo, m.platform == .github, let id = m.id { byGitHubRepoID[id, default: []].append(d.id) }
            }
        }
    }

    public var isEmpty: Bool { labels.isEmpty }

    /// A label by id; the leading `:` may be left out.
    public func label(_ id: String) -> LabelDefinition? {
        labels[id] ?? labels[":" + id]
    }

    /// Labels of one type (`Company`, `Division-0`, …), by id.
    public func labels(ofType type: String) -> [LabelDefinition] {
        labels.values.filter { $0.type.caseInsensitiveCompare(type) == .orderedSame }.sorted { $0.id < $1.id }
    }

    /// The label and every label under it, each once (labels may list each other).
    public func descendants(of id: String) -> [String] {
        var out: [String] = []
        var seen: Set<String> = []
        var stack = [id]
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            out.append(next)
            stack += labels[next]?.children ?? []
        }
        return out
    }

    /// Every label that includes this one, directly or not.
    public func ancestors(of id: String) -> [String] {
        var out: [String] = []
        var seen: Set<String> = [id]
        var stack = parents[id] ?? []
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            out.append(next)
            stack += parents[next] ?? []
        }
        return out
    }

    /// What a label covers, its children's members included.
    public func coverage(of id: String) -> LabelCoverage {
        var c = LabelCoverage()
        for l in descendants(of: id) {
            for m in labels[l]?.members ?? [] {
                switch m.kind {
                case .repo:
                    c.repos.insert(ForgeRepo(platform: m.platform, name: m.name.lowercased()))
                    if m.platform == .github, let id = m.id { c.githubRepoIDs.insert(id) }
                case .org: c.orgs.insert(ForgeRepo(platform: m.platform, name: m.name.lowercased()))
                case .user: c.users.insert(ForgeRepo(platform: m.platform, name: m.name.lowercased()))
                }
            }
        }
        return c
    }

    /// Labels that list this user directly, and every label above them.
    public func labels(ofUser login: String, on platform: Platform) -> [String] {
        expand(byMember[MemberKey(platform: platform, kind: .user, name: login.lowercased())] ?? [])
    }

    /// Labels that list this repository or its owner, and every label above them.
    public func labels(ofRepo repo: ForgeRepo, githubID: Int64? = nil) -> [String] {
        var direct = byMember[MemberKey(platform: repo.platform, kind: .repo, name: repo.name.lowercased())] ?? []
        direct += byMember[MemberKey(platform: repo.platform, kind: .org, name: repo.owner.lowercased())] ?? []
        if let githubID { direct += byGitHubRepoID[githubID] ?? [] }
        return expand(direct)
    }

    private func expand(_ direct: [String]) -> [String] {
        var all = Set(direct)
        for d in direct { all.formUnion(ancestors(of: d)) }
        return all.sorted()
    }

    /// The countries (`Division-0` labels) among some labels: a division itself, or the
    /// country of a province (`:divisions/CN/CN-BJ` → `:divisions/CN`).
    public func countries(among ids: [String]) -> [LabelDefinition] {
        var out: Set<String> = []
        for id in ids where id.hasPrefix(":divisions/") {
            let parts = id.split(separator: "/")
            if parts.count >= 2 { out.insert(parts[0...1].joined(separator: "/")) }
        }
        return out.sorted().compactMap { labels[$0] }
    }

    /// The country label for an ISO alpha-2 code (`CN` → `:divisions/CN`).
    public func country(code: String) -> LabelDefinition? { labels[":divisions/\(code.uppercased())"] }
}

/// The orgs, repositories and users a label covers on each platform (names lower-cased).
public struct LabelCoverage: Sendable {
    public var repos: Set<ForgeRepo> = []
    public var githubRepoIDs: Set<Int64> = []
    public var orgs: Set<ForgeRepo> = []
    public var users: Set<ForgeRepo> = []

    public init() {}

    public func contains(_ repo: ForgeRepo, githubID: Int64? = nil) -> Bool {
        if let githubID, githubRepoIDs.contains(githubID) { return true }
        let lower = ForgeRepo(platform: repo.platform, name: repo.name.lowercased())
        return repos.contains(lower) || orgs.contains(ForgeRepo(platform: repo.platform, name: lower.owner))
    }

    public var isEmpty: Bool { repos.isEmpty && githubRepoIDs.isEmpty && orgs.isEmpty && users.isEmpty }
}
