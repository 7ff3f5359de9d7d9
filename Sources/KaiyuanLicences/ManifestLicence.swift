import Foundation

/// The licence fields of package manifests: `package.json` and `composer.json` (`license`,
/// `licenses`), `Cargo.toml` and `pyproject.toml` (`license`, and pyproject's `License ::`
/// classifiers), `setup.cfg`, `setup.py`, `pom.xml` (`<license><name>`) and `.nuspec`.
/// A malformed manifest yields what can be read from it, never an error.
public enum ManifestLicence {
    public struct Field: Sendable, Equatable {
        public var value: String
        public var line: Int
    }

    /// The manifests whose licence field is read, by name (lower case); and `*.nuspec`.
    public static let manifestNames = ["package.json", "composer.json", "cargo.toml", "pyproject.toml", "setup.cfg", "setup.py", "pom.xml"]

    public static func isManifest(_ name: String) -> Bool {
        manifestNames.contains(name.lowercased()) || name.lowercased().hasSuffix(".nuspec")
    }

    public static func fields(name: String, text: [UInt8]) -> [Field] {
        let s = String(decoding: text, as: UTF8.self)
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch name.lowercased() {
        case "package.json", "composer.json": return json(s, lines: lines)
        case "cargo.toml": return matching(lines, #"^\s*license\s*=\s*"([^"]+)""#)
        case "pyproject.toml":
            return matching(lines, #"^\s*license\s*=\s*"([^"]+)""#) + matching(lines, #"^\s*license\s*=\s*\{\s*text\s*=\s*"([^"]+)""#)
                + matching(lines, #""License :: (?:OSI Approved :: )?([^"]+)""#)
        case "setup.cfg": return matching(lines, #"^\s*license\s*=\s*(\S.*?)\s*$"#)
        case "setup.py": return matching(lines, #"\blicense\s*=\s*["']([^"']+)["']"#)
        case "pom.xml": return pomLicences(lines)
        default: return matching(lines, #"<license[^>]*>([^<]+)</license>"#)
        }
    }

    static func matching(_ lines: [String], _ pattern: String) -> [Field] {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
        var out: [Field] = []
        for (n, line) in lines.enumerated() {
            let ns = line as NSString
            for m in re.matches(in: line, range: NSRange(location: 0, length: ns.length)) where m.numberOfRanges > 1 {
                let v = ns.substring(with: m.range(at: 1)).trimmingCharacters(in: .whitespaces)
                if !v.isEmpty && v.count < 500 { out.append(Field(value: v, line: n + 1)) }
            }
        }
        return out
    }

    /// `license` as a string or `{"type"}`, `licenses` as a list of either.
    static func json(_ s: String, lines: [String]) -> [Field] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(s.utf8))) as? [String: Any] else {
            // Malformed JSON: the line-level form still says something.
            return matching(lines, #""license"\s*:\s*"([^"]+)""#)
        }
        var values: [String] = []
        func add(_ v: Any?) {
            if let s = v as? String { values.append(s) } else if let d = v as? [String: Any], let t = d["type"] as? String { values.append(t) }
        }
        add(object["license"])
        if let list = object["licenses"] as? [Any] { list.forEach(add) } else { add(object["licenses"]) }
        return values.filter { !$0.isEmpty && $0.count < 500 }.map { v in
            let line = lines.firstIndex { $0.contains("\"" + v.replacingOccurrences(of: "\"", with: "\\\"") + "\"") }.map { $0 + 1 } ?? 1
            return Field(value: v, line: line)
        }
    }

    /// `<licenses><license><name>…</name>` (the `<name>` of other elements is not a licence).
    static func pomLicences(_ lines: [String]) -> [Field] {
        var out: [Field] = []
        var inLicence = false
        for (n, line) in lines.enumerated() {
            if line.contains("<license>") || line.contains("<license ") { inLicence = true }
            if inLicence, let a = line.range(of: "<name>"), let b = line.range(of: "</name>"), a.upperBound <= b.lowerBound {
                let v = String(line[a.upperBound..<b.lowerBound]).trimmingCharacters(in: .whitespaces)
                if !v.isEmpty { out.append(Field(value: v, line: n + 1)) }
            }
            if line.contains("</license>") { inLicence = false }
        }
        return out
    }
}
