/// An account, organisation or repository a label names on one platform.
public struct LabelMember: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable { case org, repo, user }
    public var platform: Platform
    public var kind: Kind
    /// The platform's numeric id where the label gives one.
    public var id: Int64?
    /// `OWNER/NAME` for a repository, the login for an org or user.
    public var name: String

    public init(platform: Platform, kind: Kind, id: Int64?, name: String) {
        self.platform = platform
        self.kind = kind
        self.id = id
        self.name = name
    }
}

/// One OpenDigger label (`labeled_data/…/X.yml`): a company, a division (country or
/// province), a foundation, a project, a community, the bots…
public struct LabelDefinition: Hashable, Sendable {
    /// `:companies/alibaba` (from `companies/alibaba/index.yml`), `:companies/alibaba/nacos`.
    public var id: String
    /// `Company`, `Division-0` (country), `Division-1` (province), `Project`, `Foundation`, `Bot`, …
    public var type: String
    public var name: String
    public var nameZh: String?
    /// Labels this one includes (`data.labels`), as absolute ids.
    public var children: [String]
    public var members: [LabelMember]
    /// ISO 3166 code of a division (`meta.alpha2`: `CN`, `CN-BJ`).
    public var code: String?

    public init(id: String, type: String, name: String, nameZh: String? = nil, children: [String] = [],
                members: [LabelMember] = [], code: String? = nil) {
        self.id = id
        self.type = type
        self.name = name
        self.nameZh = nameZh
        self.children = children
        self.members = members
        self.code = code
    }

    public var isDivision: Bool { type.hasPrefix("Division") }
}
