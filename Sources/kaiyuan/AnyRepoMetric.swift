import ArgumentParser
import KaiyuanMetrics

extension AnyRepoMetric: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public var defaultValueDescription: String { name }
    public static var allValueStrings: [String] { allNames }
}
