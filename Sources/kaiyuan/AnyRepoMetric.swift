import ArgumentParser
import KaiyuanMetrics

/// A repository metric named on the command line: one of OpenDigger's (from GH Archive) or a
/// git metric (from histories).
enum AnyRepoMetric: ExpressibleByArgument, Hashable {
    case events(RepoMetric)
    case git(GitMetric)

    init?(argument: String) {
        if let m = RepoMetric(rawValue: argument) { self = .events(m) }
        else if let m = GitMetric(rawValue: argument) { self = .git(m) }
        else { return nil }
    }

    var name: String {
        switch self {
        case .events(let m): m.rawValue
        case .git(let m): m.rawValue
        }
    }

    var defaultValueDescription: String { name }

    static var allValueStrings: [String] { RepoMetric.allCases.map(\.rawValue) + GitMetric.allCases.map(\.rawValue) }

    /// Why it cannot be ranked (a list or a distribution), if so.
    var notRankable: String? {
        switch self {
        case .events(let m) where m.isDuration: "\(m.rawValue) is a distribution; `kaiyuan show repo OWNER/NAME --metric \(m.rawValue)` shows it"
        case .events(let m) where m.isDetail: "\(m.rawValue) is a list, not a number; rank by \(m == .activityDetails ? "activity" : "contributors")"
        case .git(let m) where m.isShare || m.isDetail: "\(m.rawValue) is a breakdown, not a number; `kaiyuan show repo PLATFORM:OWNER/NAME --metric \(m.rawValue)` shows it"
        default: nil
        }
    }
}
