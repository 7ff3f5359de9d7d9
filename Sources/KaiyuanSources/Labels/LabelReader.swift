import Foundation
import KaiyuanCore
import Yams

/// A label file that could not be read; the others are still read.
public struct LabelProblem: Sendable, CustomStringConvertible {
    public var path: String
    public var detail: String
    public var description: String { "\(path): \(detail)" }
}

/// Reads OpenDigger's labelled data (`labeled_data/`, `../shared/data/labels/`): every `.yml`
/// under a folder, named by its path (`companies/alibaba/index.yml` is `:companies/alibaba`).
public enum LabelReader {
    public static func read(directory: String) throws -> (labels: [LabelDefinition], problems: [LabelProblem]) {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "\(directory) is not a folder; give the labeled_data folder of OpenDigger (../shared/data/labels)"])
        }
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return ([], []) }
        var paths: [String] = []
        for case let relative as String in walker where relative.hasSuffix(".yml") || relative.hasSuffix(".yaml") {
            paths.append(relative)
        }
        var labels: [LabelDefinition] = []
        var problems: [LabelProblem] = []
        for relative in paths.sorted() {
            let full = root.appendingPathComponent(relative).path
            do {
                let size = ((try? FileManager.default.attributesOfItem(atPath: full))?[.size] as? NSNumber)?.intValue ?? 0
                guard size <= maxFileBytes else {
                    problems.append(LabelProblem(path: full, detail: "\(size) bytes, more than a label file's \(maxFileBytes >> 20) MiB: skipped"))
                    continue
                }
                let text = try String(contentsOfFile: full, encoding: .utf8)
                if let label = try parse(yaml: text, relativePath: relative) { labels.append(label) }
                else { problems.append(LabelProblem(path: full, detail: "not a label (no name or type)")) }
            } catch {
                problems.append(LabelProblem(path: full, detail: "\(error)"))
            }
        }
        return (labels, problems)
    }

    /// `companies/alibaba/index.yml` → `:companies/alibaba`; `companies/alibaba/nacos.yml` → `:companies/alibaba/nacos`.
    public static func labelID(relativePath: String) -> String {
        var parts = relativePath.split(separator: "/").map(String.init)
        if var last = parts.popLast() {
            if let dot = last.lastIndex(of: ".") { last = String(last[..<dot]) }
            if last != "index" { parts.append(last) }
        }
        return ":" + parts.joined(separator: "/")
    }

    /// OpenDigger's largest label file is under 200 KB.
    public static let maxFileBytes = 4 << 20
    /// Far more nodes than any label has; a file of nested aliases ("billion laughs") would
    /// expand past it, and is refused before it is expanded.
    public static let maxNodes = 200_000

    struct Refused: Error, CustomStringConvertible { var description: String }

    /// Counts the document's nodes as `load` would expand them, stopping at `maxNodes`: the
    /// composed tree shares what aliases repeat, so counting costs at most `maxNodes` steps.
    static func checkExpandedSize(_ yaml: String) throws {
        guard let root = try Yams.compose(yaml: yaml) else { return }
        var stack = [root]
        var count = 0
        while let node = stack.popLast() {
            count += 1
            if count > maxNodes {
                throw Refused(description: "expands to more than \(maxNodes) YAML nodes (nested aliases?): refused")
            }
            switch node {
            case let .mapping(m): for (k, v) in m { stack.append(k); stack.append(v) }
            case let .sequence(s): stack.append(contentsOf: s)
            default: break
            }
        }
    }

    public static func parse(yaml: String, relativePath: String) throws -> LabelDefinition? {
        try checkExpandedSize(yaml)
        guard let doc = try Yams.load(yaml: yaml) as? [String: Any] else { return nil }
        let id = labelID(relativePath: relativePath)
        guard let name = string(doc["name"]) else { return nil }
        let type = string(doc["type"]) ?? "Unknown"
        let data = doc["data"] as? [String: Any] ?? [:]
        // Relative children are named from the label's own folder.
        let base = relativePath.hasSuffix("index.yml") || relativePath.hasSuffix("index.yaml")
            ? id : String(id[..<(id.lastIndex(of: "/") ?? id.endIndex)])
        let children = (data["labels"] as? [Any] ?? []).compactMap(string).map { child in
            child.hasPrefix(":") ? child : "\(base)/\(child)"
        }
        var members: [LabelMember] = []
        for case let platform as [String: Any] in data["platforms"] as? [Any] ?? [] {
            guard let pname = string(platform["name"]), let p = Platform(labelName: pname) else { continue }
            for kind in LabelMember.Kind.allCases {
                for case let entry as [String: Any] in platform[kind.rawValue + "s"] as? [Any] ?? [] {
                    guard let n = string(entry["name"]) else { continue }
                    members.append(LabelMember(platform: p, kind: kind, id: int(entry["id"]), name: n))
                }
            }
        }
        let meta = doc["meta"] as? [String: Any]
        return LabelDefinition(id: id, type: type, name: name, nameZh: string(doc["name_zh"]), children: children,
                               members: members, code: meta.flatMap { string($0["alpha2"]) })
    }

    private static func string(_ v: Any?) -> String? {
        switch v {
        case let s as String: s.isEmpty ? nil : s
        case let i as Int: String(i)
        default: nil
        }
    }

    private static func int(_ v: Any?) -> Int64? {
        switch v {
        case let i as Int: Int64(i)
        case let s as String: Int64(s)
        default: nil
        }
    }
}
