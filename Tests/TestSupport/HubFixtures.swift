import Foundation

/// Small Hub listings cut from the real 2022 records, for tests that need more than one
/// snapshot without writing 29,432 models' files: the first `models` records as they are
/// (dated by their newest lastModified), and the same records a month later with their counts
/// grown, one model removed and one derivative added (`base_model` tags, as today's Hub writes).
public enum HubFixtures {
    public static func snapshots(from shared: URL, in dir: URL, models: Int = 400) throws -> [String] {
        let lines = try Array(gunzipLines(shared).prefix(models))
        let first = dir.appendingPathComponent("hub-2022-02.jsonl"), second = dir.appendingPathComponent("hub-2022-03.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: first, atomically: true, encoding: .utf8)
        var later: [String] = []
        for (i, line) in lines.enumerated() where i != 1 {
            var o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            if let d = o["downloads"] as? Int { o["downloads"] = d * 2 + i }
            o["lastModified"] = "2022-03-01T00:00:00.000Z"
            later.append(String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self))
        }
        let base = (try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any])["modelId"] as! String
        later.append(#"{"modelId":"kaiyuan-test/derived","lastModified":"2022-03-31T00:00:00.000Z","downloads":5,"likes":0,"tags":["license:mit","base_model:\#(base)","base_model:quantized:\#(base)"],"pipeline_tag":null}"#)
        try (later.joined(separator: "\n") + "\n").write(to: second, atomically: true, encoding: .utf8)
        return [first.path, second.path]
    }

    /// Lines of a gzip file, through the system's gzip (nothing shared with kaiyuan's reader).
    public static func gunzipLines(_ url: URL) throws -> [String] {
        String(decoding: try gunzip(url), as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
