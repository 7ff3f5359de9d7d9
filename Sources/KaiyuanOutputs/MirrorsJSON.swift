import KaiyuanCore
import KaiyuanReports

/// `kaiyuan mirrors --format json` and `/api/v1/mirrors`: one shape for both.
public enum MirrorsJSON {
    public static func render(_ pairs: [MirrorPair], burden: MirrorBurden? = nil) -> String {
        func opt(_ v: Int?) -> String { v.map(String.init) ?? "null" }
        func num(_ v: Double?) -> String { v.map(JSONText.number) ?? "null" }
        func shares(_ m: [ForgeRepo: Double]?) -> String {
            guard let m else { return "null" }
            return "{" + m.sorted { $0.key < $1.key }.map { "\(JSONText.string($0.key.description)):\(JSONText.number(($0.value * 10_000).rounded() / 10_000))" }.joined(separator: ",") + "}"
        }
        let items = pairs.map { p in
            "{\"upstream\":\(JSONText.string(p.upstream.description)),\"mirror\":\(JSONText.string(p.mirror.description)),"
                + "\"confidence\":\(JSONText.string(p.confidence)),\"upstream_because\":\(JSONText.string(p.upstreamBecause)),"
                + "\"evidence\":[" + p.evidence.map { "{\"what\":\(JSONText.string($0.what)),\"strength\":\(JSONText.string("\($0.strength)"))}" }.joined(separator: ",") + "],"
                + "\"lag_days_median\":\(num(p.lagDaysMedian)),\"lag_days_latest\":\(num(p.lagDaysLatest)),"
                + "\"shared_commits\":\(opt(p.sharedCommits)),\"upstream_only_commits\":\(opt(p.upstreamOnlyCommits)),\"mirror_only_commits\":\(opt(p.mirrorOnlyCommits)),"
                + "\"activity_share\":\(shares(p.activityShare)),\"people_share\":\(shares(p.peopleShare))}"
        }
        var out = "{\"pairs\":[" + items.joined(separator: ",") + "]"
        if let b = burden {
            out += ",\"burden\":{\"projects\":\(b.projects),\"mirrored\":\(b.pairs.count),\"lag_days_median\":\(num(b.medianLag)),"
                + "\"upstream_platforms\":{" + b.upstreamPlatforms.sorted { $0.key < $1.key }.map { "\(JSONText.string($0.key.rawValue)):\($0.value)" }.joined(separator: ",") + "},"
                + "\"activity_by_platform\":{" + b.activityByPlatform.sorted { $0.key < $1.key }.map { "\(JSONText.string($0.key.rawValue)):\(JSONText.number(($0.value * 10_000).rounded() / 10_000))" }.joined(separator: ",") + "},"
                + "\"summary\":\(JSONText.string(b.sentence))}"
        }
        return out + "}"
    }
}
