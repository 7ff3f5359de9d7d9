/// A repository metric by name: one of OpenDigger's (from GH Archive events) or a git metric
/// (from histories). The command line and the server parse and check names here.
public enum AnyRepoMetric: Hashable, Sendable {
    case events(RepoMetric)
    case git(GitMetric)

    public init?(name: String) {
        if let m = RepoMetric(rawValue: name) { self = .events(m) }
        else if let m = GitMetric(rawValue: name) { self = .git(m) }
        else { return nil }
    }

    public var name: String {
        switch self {
        case .events(let m): m.rawValue
        case .git(let m): m.rawValue
        }
    }

    public static var allNames: [String] { RepoMetric.allCases.map(\.rawValue) + GitMetric.allCases.map(\.rawValue) }

    /// Why it cannot be ranked (a list, a breakdown or a distribution), if so.
    public var notRankable: String? {
        switch self {
        case .events(let m) where m.isDuration: "\(m.rawValue) is a distribution; `kaiyuan show repo OWNER/NAME --metric \(m.rawValue)` shows it"
        case .events(let m) where m.isDetail: "\(m.rawValue) is a list, not a number; rank by \(m == .activityDetails ? "activity" : "contributors")"
        case .git(let m) where m.isShare || m.isDetail: "\(m.rawValue) is a breakdown, not a number; `kaiyuan show repo PLATFORM:OWNER/NAME --metric \(m.rawValue)` shows it"
        default: nil
        }
    }
}
