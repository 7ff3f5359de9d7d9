/// A repository metric by name: one of OpenDigger's (from GH Archive events), a git metric
/// (from histories) or a model hub metric (from Hub snapshots: `downloads`, or `hf_downloads`
/// where a label sums them). The command line and the server parse and check names here.
public enum AnyRepoMetric: Hashable, Sendable {
    case events(RepoMetric)
    case git(GitMetric)
    case hub(HubMetric)

    public init?(name: String) {
        if let m = RepoMetric(rawValue: name) { self = .events(m) }
        else if let m = GitMetric(rawValue: name) { self = .git(m) }
        else if let m = HubMetric(rawValue: name.hasPrefix("hf_") ? String(name.dropFirst(3)) : name) { self = .hub(m) }
        else { return nil }
    }

    public var name: String {
        switch self {
        case .events(let m): m.rawValue
        case .git(let m): m.rawValue
        case .hub(let m): "hf_" + m.rawValue
        }
    }

    public static var allNames: [String] {
        RepoMetric.allCases.map(\.rawValue) + GitMetric.allCases.map(\.rawValue) + HubMetric.allCases.map { "hf_" + $0.rawValue }
    }

    /// Why it cannot be ranked (a list, a breakdown or a distribution), if so.
    public var notRankable: String? {
        switch self {
        case .events(let m) where m.isDuration: "\(m.rawValue) is a distribution; `kaiyuan show repo OWNER/NAME --metric \(m.rawValue)` shows it"
        case .events(let m) where m.isDetail: "\(m.rawValue) is a list, not a number; rank by \(m == .activityDetails ? "activity" : "contributors")"
        case .git(let m) where m.isShare || m.isDetail: "\(m.rawValue) is a breakdown, not a number; `kaiyuan show repo PLATFORM:OWNER/NAME --metric \(m.rawValue)` shows it"
        case .hub(.models): "hf_models counts an organisation's models; `kaiyuan rank labels --by hf_models` ranks labels by it"
        default: nil
        }
    }
}
