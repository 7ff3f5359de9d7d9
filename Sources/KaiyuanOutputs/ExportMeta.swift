import KaiyuanCore
import KaiyuanMetrics
import KaiyuanPeople

/// `meta.json` of repositories and developers, and the export's root lists (`spec/metrics.md`
/// §12), the same bytes from `export opendigger` and the server.
public struct ExportMeta: Sendable {
    /// The newest event's `created_at` in the store, in milliseconds: what `updatedAt` says,
    /// so that exporting one store twice gives the same bytes.
    public var updatedAt: Int64
    public var labels: LabelIndex

    public init(updatedAt: Int64, labels: LabelIndex) { self.updatedAt = updatedAt; self.labels = labels }

    /// The label types a repository's meta lists, in the order it lists them.
    public static let repoLabelTypes = ["Division-0", "Foundation", "Company", "Institution-0", "University-0", "Community", "Tech-0", "Project"]

    /// Written beside an entity's `activity` or `stars` file, as OpenDigger writes it.
    public static func wanted(_ files: [(name: String, json: String)]) -> Bool {
        files.contains { $0.name == "activity.json" || $0.name == "stars.json" }
    }

    /// `{"updatedAt":MS,"type":"repo","id":ID,"labels":[{"id","name","type"}…]}`; no `labels`
    /// when no label of those types covers the repository by repository or org.
    public func repo(_ repo: RepoRef) -> String {
        let covering = labels.labels(ofRepo: ForgeRepo(platform: repo.platform, name: repo.name), githubID: repo.platform == .github ? repo.localID : nil)
            .compactMap { labels.label($0) }
            .filter { Self.repoLabelTypes.contains($0.type) }
            .sorted { (Self.repoLabelTypes.firstIndex(of: $0.type)!, $0.id) < (Self.repoLabelTypes.firstIndex(of: $1.type)!, $1.id) }
        var out = "{\"updatedAt\":\(updatedAt),\"type\":\"repo\",\"id\":\(repo.localID)"
        if !covering.isEmpty {
            out += ",\"labels\":[" + covering.map { "{\"id\":\(JSONText.string($0.id)),\"name\":\(JSONText.string($0.name)),\"type\":\(JSONText.string($0.type))}" }.joined(separator: ",") + "]"
        }
        return out + "}"
    }

    /// `{"updatedAt":MS,"type":"user","id":ACTOR_ID}`.
    public func user(id: Int64) -> String {
        "{\"updatedAt\":\(updatedAt),\"type\":\"user\",\"id\":\(Platform.localID(of: id))}"
    }

    /// The latest monthly value of an OpenRank series as `openrank.json` writes it (two
    /// decimals): what the root lists are ordered by. The unrounded sum can differ in its last
    /// bit between stores that hand rows to OpenRank in another order (a ClickHouse cluster
    /// after a node came back), which must not reorder the list.
    public static func latestOpenRank(_ series: MetricSeries?) -> Double? {
        series?.filter { $0.key.kind == .month }.max { $0.key < $1.key }.map { OpenDiggerFormat.round2($0.value) }
    }

    /// `OUT/repo_list.csv` or `OUT/user_list.csv`: `id,platform,NAME`, every entity with an
    /// OpenRank value once, by its latest monthly OpenRank descending, then id.
    public static func rootList(header: String, _ rows: [(id: Int64, platform: Platform, name: String, openrank: Double)]) -> String {
        header + "\n" + rows.sorted { $0.openrank != $1.openrank ? $0.openrank > $1.openrank : $0.id < $1.id }
            .map { "\($0.id),\($0.platform.rawValue),\(CSVText.field($0.name))\n" }.joined()
    }
}
