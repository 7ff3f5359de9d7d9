import Foundation

/// What one manifest or lockfile says: the dependencies, the root package's own name,
/// version and licence where it declares them, and what could not be read.
public struct ManifestReading: Sendable {
    public var components: [Component] = []
    public var rootName: String?
    public var rootVersion: String?
    public var problems: [String] = []
}

/// Reads the manifests and lockfiles of npm, Python, Go, Rust, Maven and Swift. Every reader
/// takes what it can from a malformed file and names the problem; none throws.
public enum DependencyReaders {
    /// File names each reader takes (lower case), and whether it is a lockfile.
    public static let files: [String: Bool] = [
        "package.json": false, "package-lock.json": true, "npm-shrinkwrap.json": true,
        "pyproject.toml": false, "poetry.lock": true,
        "go.mod": false, "go.sum": true,
        "cargo.toml": false, "cargo.lock": true,
        "pom.xml": false,
        "package.swift": false, "package.resolved": true,
    ]

    public static func reads(_ name: String) -> Bool {
        let n = name.lowercased()
        return files[n] != nil || (n.hasPrefix("requirements") && n.hasSuffix(".txt"))
    }

    public static func read(name: String, path source: String, text: String) -> ManifestReading {
        switch name.lowercased() {
        case "package.json": return packageJSON(text, source)
        case "package-lock.json", "npm-shrinkwrap.json": return packageLock(text, source)
        case "pyproject.toml": return pyproject(text, source)
        case "poetry.lock": return poetryLock(text, source)
        case "go.mod": return goMod(text, source)
        case "go.sum": return goSum(text, source)
        case "cargo.toml": return cargoToml(text, source)
        case "cargo.lock": return cargoLock(text, source)
        case "pom.xml": return pom(text, source)
        case "package.swift": return packageSwift(text, source)
        case "package.resolved": return packageResolved(text, source)
        default: return requirements(text, source)
        }
    }

    // MARK: npm

    static func npmName(_ full: String) -> (String?, String) {
        if full.hasPrefix("@"), let slash = full.firstIndex(of: "/") { return (String(full[..<slash]), String(full[full.index(after: slash)...])) }
        return (nil, full)
    }

    static func json(_ text: String, _ source: String, _ r: inout ManifestReading) -> [String: Any]? {
        do {
            guard let o = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                r.problems.append("\(source): not a JSON object"); return nil
            }
            return o
        } catch {
            r.problems.append("\(source): malformed JSON (\(error.localizedDescription)); its dependencies are left out")
            return nil
        }
    }

    static func packageJSON(_ text: String, _ source: String) -> ManifestReading {
        var r = ManifestReading()
        guard let o = json(text, source, &r) else { return r }
        r.rootName = o["name"] as? String
        r.rootVersion = o["version"] as? String
        for (key, dev) in [("dependencies", false), ("devDependencies", true), ("optionalDependencies", false), ("peerDependencies", false)] {
            guard let deps = o[key] as? [String: Any] else { continue }
            for (full, spec) in deps.sorted(by: { $0.key < $1.key }) {
                let (ns, name) = npmName(full)
                let constraint = spec as? String
                r.components.append(Component(ecosystem: .npm, namespace: ns, name: name, version: constraint.flatMap(exactSemver),
                                              constraint: constraint.flatMap { exactSemver($0) == nil ? $0 : nil }, development: dev, source: source))
            }
        }
        return r
    }

    /// `1.2.3` or `=1.2.3` or `v1.2.3`: an exact version; a range is nil.
    static func exactSemver(_ s: String) -> String? {
        var t = s.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("=") { t.removeFirst() }
        if t.hasPrefix("v") { t.removeFirst() }
        // 1.2.3 or 1.2.3-rc.1: at least two dots between numbers; `1`, `1.x`, `1.2` are ranges.
        let core = t.split(whereSeparator: { $0 == "-" || $0 == "+" }).first.map(String.init) ?? ""
        let numbers = core.split(separator: ".")
        let ok = numbers.count == 3 && numbers.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
            && t.allSatisfy { $0.isLetter || $0.isNumber || ".-+".contains($0) }
        return ok ? t : nil
    }

    static func packageLock(_ text: String, _ source: String) -> ManifestReading {
        var r = ManifestReading()
        guard let o = json(text, source, &r) else { return r }
        r.rootName = o["name"] as? String
        r.rootVersion = o["version"] as? String
        if let packages = o["packages"] as? [String: Any] {
            // lockfileVersion 2 and 3: "node_modules/a/node_modules/@b/c" → its last package.
            for (path, value) in packages.sorted(by: { $0.key < $1.key }) where !path.isEmpty {
                guard let p = value as? [String: Any], let range = path.range(of: "node_modules/", options: .backwards) else { continue }
                if p["link"] as? Bool == true { continue }
                let (ns, name) = npmName(String(path[range.upperBound...]))
                r.components.append(Component(ecosystem: .npm, namespace: ns, name: name, version: p["version"] as? String,
                                              licence: npmLicence(p["license"]), development: p["dev"] as? Bool ?? false,
                                              source: source, checksum: p["integrity"] as? String))
            }
        } else if let deps = o["dependencies"] as? [String: Any] {
            // lockfileVersion 1: nested "dependencies".
            func walk(_ deps: [String: Any]) {
                for (full, value) in deps.sorted(by: { $0.key < $1.key }) {
                    guard let p = value as? [String: Any] else { continue }
                    let (ns, name) = npmName(full)
                    r.components.append(Component(ecosystem: .npm, namespace: ns, name: name, version: p["version"] as? String,
                                                  development: p["dev"] as? Bool ?? false, source: source, checksum: p["integrity"] as? String))
                    if let inner = p["dependencies"] as? [String: Any] { walk(inner) }
                }
            }
            walk(deps)
        }
        return r
    }

    static func npmLicence(_ v: Any?) -> String? {
        if let s = v as? String { return s }
        if let d = v as? [String: Any] { return d["type"] as? String }
        return nil
    }

    // MARK: Python

    /// PEP 508: `name[extra] (==|>=|~=…) version ; marker`.
    static func pep508(_ spec: String, source: String, development: Bool = false) -> Component? {
        let s = spec.split(separator: ";", maxSplits: 1).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        guard let first = s.first, first.isLetter || first.isNumber else { return nil }
        var name = ""
        var rest = Substring(s)
        while let c = rest.first, c.isLetter || c.isNumber || "-_.".contains(c) { name.append(c); rest.removeFirst() }
        if rest.first == "[", let close = rest.firstIndex(of: "]") { rest = rest[rest.index(after: close)...] }
        let constraint = rest.trimmingCharacters(in: CharacterSet(charactersIn: " ()"))
        var version: String?
        if constraint.hasPrefix("==") && !constraint.contains(","), !constraint.contains("*") {
            version = String(constraint.dropFirst(2)).trimmingCharacters(in: .whitespaces)
        }
        let normalised = name.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: ".", with: "-")
        return Component(ecosystem: .pypi, name: normalised, version: version,
                         constraint: version == nil && !constraint.isEmpty ? constraint : nil, development: development, source: source)
    }

    static func requirements(_ text: String, _ source: String) -> ManifestReading {
        var r = ManifestReading()
        let dev = source.lowercased().contains("dev") || source.lowercased().contains("test")
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?
                .trimmingCharacters(in: .whitespaces) ?? ""
            if line.isEmpty || line.hasPrefix("-") { continue }   // options, -r, -e, -c
            if line.contains("://") || line.hasPrefix(".") || line.hasPrefix("/") { continue }   // URLs and paths name no index package
            if let c = pep508(line, source: source, development: dev) { r.components.append(c) } else { r.problems.append("\(source):\(n + 1): cannot read `\(line)`") }
        }
        return r
    }

    static func pyproject(_ text: String, _ source: String) -> ManifestReading {
        var r = ManifestReading()
        let toml = MiniTOML(text)
        r.problems += toml.problems(source)
        if let project = toml.tables(named: "project").first {
            r.rootName = project.values["name"]?.string
            r.rootVersion = project.values["version"]?.string
            for spec in project.values["dependencies"]?.strings ?? [] {
                if let c = pep508(spec, source: source) { r.components.append(c) }
            }
        }
        for t in toml.tables where t.name.hasPrefix("project.optional-dependencies") {
            for key in t.order { for spec in t.values[key]?.strings ?? [] { if let c = pep508(spec, source: source, development: true) { r.components.append(c) } } }
        }
        if let poetry = toml.tables(named: "tool.poetry").first {
            r.rootName = r.rootName ?? poetry.values["name"]?.string
            r.rootVersion = r.rootVersion ?? poetry.values["version"]?.string
        }
        for t in toml.tables where t.name == "tool.poetry.dependencies" || t.name == "tool.poetry.dev-dependencies" || (t.name.hasPrefix("tool.poetry.group.") && t.name.hasSuffix(".dependencies")) {
            let dev = t.name != "tool.poetry.dependencies"
            for key in t.order where key.lowercased() != "python" {
                let spec = t.values[key]?.string ?? t.values[key]?.table?["version"]?.string
                let exact = spec.flatMap(exactSemver)
                r.components.append(Component(ecosystem: .pypi, name: key.lowercased().replacingOccurrences(of: "_", with: "-"), version: exact,
                                              constraint: exact == nil ? spec : nil, development: dev, source: source))
            }
        }
        return r
    }

    static func poetryLock(_ text: String, _ source: String) -> ManifestReading {
        var r = ManifestReading()
        let toml = MiniTOML(text)
        r.problems += toml.problems(source)
        for t in toml.tables(named: "package") {
            guard let name = t.values["name"]?.string else { r.problems.append("\(source): a [[package]] without a name"); continue }
            let category = t.values["category"]?.string
            r.components.append(Component(ecosystem: .pypi, name: name.lowercased().replacingOccurrences(of: "_", with: "-"),
                                          version: t.values["version"]?.string, development: category == "dev", source: source))
        }
        return r
    }

    // MARK: Go

    static func goMod(_ text: String, _ source: String) -> ManifestReading {
        var r = ManifestReading()
        var inRequire = false
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let indirect = raw.contains("// indirect")
            let line = (raw.range(of: "//").map { String(raw[..<$0.lowerBound]) } ?? String(raw)).trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("module ") { r.rootName = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces); continue }
            if line == "require (" { inRequire = true; continue }
            if inRequire && line == ")" { inRequire = false; continue }
            var spec: Substring?
            if inRequire { spec = Substring(line) } else if line.hasPrefix("require ") { spec = line.dropFirst(8) }
            guard let s = spec, !s.isEmpty else { continue }
            let parts = s.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2 else { r.problems.append("\(source):\(n + 1): cannot read `\(s)`"); continue }
            r.components.append(goComponent(String(parts[0]), String(parts[1]), source: source, development: false, indirect: indirect))
        }
        return r
    }

    static func goComponent(_ module: String, _ version: String, source: String, development: Bool, indirect: Bool, checksum: String? = nil) -> Component {
        let slash = module.lastIndex(of: "/")
        let ns = slash.map { String(module[..<$0]) }
        let name = slash.map { String(module[module.index(after: $0)...]) } ?? module
        return Component(ecosystem: .golang, namespace: ns, name: name, version: version, development: development, source: source, checksum: checksum)
    }

    static func goSum(_ text: String, _ source: String) -> ManifestReading {
        var r = ManifestReading()
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !raw.isEmpty {
            let parts = raw.split(separator: " ")
            guard parts.count == 3 else { r.problems.append("\(source):\(n + 1): not `module version hash`"); continue }
            if parts[1].hasSuffix("/go.mod") { continue }   // the go.mod's hash, not the module's
            r.components.append(goComponent(String(parts[0]), String(parts[1]), source: source, development: false, indirect: false, checksum: String(parts[2])))
        }
        return r
    }

    // MARK: Rust

    static func cargoToml(_ text: String, _ source: String) -> ManifestReading {
        var r = ManifestReading()
        let toml = MiniTOML(text)
        r.problems += toml.problems(source)
        if let package = toml.tables(named: "package").first {
            r.rootName = package.values["name"]?.string
            r.rootVersion = package.values["version"]?.string
        }
        // `[dependencies.tokio]`: one dependency as a table of its own.
        for t in toml.tables {
            for section in ["dependencies.", "dev-dependencies.", "build-dependencies."] where t.name.hasPrefix(section) {
                let key = String(t.name.dropFirst(section.count))
                guard !key.isEmpty, !key.contains(".") else { continue }
                let spec = t.values["version"]?.string
                let exact = spec.flatMap { $0.hasPrefix("=") ? exactSemver($0) : nil }
                r.components.append(Component(ecosystem: .cargo, name: t.values["package"]?.string ?? key, version: exact,
                                              constraint: exact == nil ? spec : nil, development: section.hasPrefix("dev"), source: source))
            }
        }
        for t in toml.tables where t.name == "dependencies" || t.name == "dev-dependencies" || t.name == "build-dependencies"
            || t.name.hasSuffix(".dependencies") || t.name == "workspace.dependencies" {
            let dev = t.name.contains("dev-dependencies")
            for key in t.order {
                let v = t.values[key]
                let spec = v?.string ?? v?.table?["version"]?.string
                let name = v?.table?["package"]?.string ?? key
                let exact = spec.flatMap { $0.hasPrefix("=") ? exactSemver($0) : nil }
                r.components.append(Component(ecosystem: .cargo, name: name, version: exact, constraint: exact == nil ? spec : nil, development: dev, source: source))
            }
        }
        return r
    }

    static func cargoLock(_ text: String, _ source: String) -> ManifestReading {
        var r = ManifestReading()
        let toml = MiniTOML(text)
        r.problems += toml.problems(source)
        for t in toml.tables(named: "package") {
            guard let name = t.values["name"]?.string else { r.problems.append("\(source): a [[package]] without a name"); continue }
            // Packages without a `source` are the workspace's own crates.
            guard t.values["source"] != nil else { continue }
            r.components.append(Component(ecosystem: .cargo, name: name, version: t.values["version"]?.string, source: source, checksum: t.values["checksum"]?.string))
        }
        return r
    }

    // MARK: Maven

    static func pom(_ text: String, _ source: String) -> ManifestReading {
        var r = ManifestReading()
        func element(_ name: String, in s: Substring) -> String? {
            guard let a = s.range(of: "<\(name)>"), let b = s.range(of: "</\(name)>", range: a.upperBound..<s.endIndex) else { return nil }
            return String(s[a.upperBound..<b.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var properties: [String: String] = [:]
        if let p = element("properties", in: Substring(text)) {
            let re = try? NSRegularExpression(pattern: #"<([A-Za-z0-9_.\-]+)>([^<]*)</\1>"#)
            let ns = p as NSString
            for m in re?.matches(in: p, range: NSRange(location: 0, length: ns.length)) ?? [] {
                properties[ns.substring(with: m.range(at: 1))] = ns.substring(with: m.range(at: 2)).trimmingCharacters(in: .whitespaces)
            }
        }
        func resolve(_ v: String?) -> String? {
            guard var v else { return nil }
            // Properties may name properties: substitute in key order until nothing changes.
            for _ in 0..<8 where v.contains("${") {
                let before = v
                for k in properties.keys.sorted() { v = v.replacingOccurrences(of: "${\(k)}", with: properties[k]!) }
                if v == before { break }
            }
            return v.contains("${") ? nil : v
        }
        // The project's own coordinates: outside <parent>, <dependencies> and <build>.
        var head = Substring(text)
        if let d = head.range(of: "<dependencies>") { head = head[..<d.lowerBound] }
        if let p = head.range(of: "<parent>"), let e = head.range(of: "</parent>") { head = head[..<p.lowerBound] + head[e.upperBound...] }
        r.rootName = element("artifactId", in: head)
        r.rootVersion = resolve(element("version", in: head))
        if !text.contains("</project>") { r.problems.append("\(source): no closing </project> (the file may be cut short)") }
        // Only the project's own dependencies: not <dependencyManagement>'s versions, not plugins'.
        var body = text
        for (open, close) in [("<dependencyManagement>", "</dependencyManagement>"), ("<plugins>", "</plugins>")] {
            while let a = body.range(of: open), let b = body.range(of: close, range: a.upperBound..<body.endIndex) { body.removeSubrange(a.lowerBound..<b.upperBound) }
        }
        var rest = Substring(body)
        while let a = rest.range(of: "<dependency>") {
            guard let b = rest.range(of: "</dependency>", range: a.upperBound..<rest.endIndex) else {
                r.problems.append("\(source): a <dependency> never closed"); break
            }
            let dep = rest[a.upperBound..<b.lowerBound]
            if let group = element("groupId", in: dep), let artifact = element("artifactId", in: dep) {
                let scope = element("scope", in: dep)
                let raw = element("version", in: dep)
                let version = resolve(raw)
                r.components.append(Component(ecosystem: .maven, namespace: resolve(group) ?? group, name: artifact,
                                              version: version.flatMap { $0.hasPrefix("[") || $0.hasPrefix("(") ? nil : $0 },
                                              constraint: version == nil ? raw : (version!.hasPrefix("[") || version!.hasPrefix("(") ? version : nil),
                                              development: scope == "test" || scope == "provided", source: source))
            }
            rest = rest[b.upperBound...]
        }
        return r
    }

    // MARK: Swift

    /// `.package(url: "https://github.com/apple/swift-nio", from: "2.0.0")` and its forms.
    static func packageSwift(_ text: String, _ source: String) -> ManifestReading {
        var r = ManifestReading()
        if let re = try? NSRegularExpression(pattern: #"Package\s*\(\s*name:\s*"([^"]+)""#),
           let m = re.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) {
            r.rootName = (text as NSString).substring(with: m.range(at: 1))
        }
        guard let re = try? NSRegularExpression(pattern: #"\.package\s*\(\s*(?:name:\s*"[^"]*"\s*,\s*)?url:\s*"([^"]+)"\s*,\s*(from:|exact:|branch:|revision:|\.upToNextMajor\(from:|\.upToNextMinor\(from:|\.exact\()?\s*"?([^")]*)"?"#) else { return r }
        let ns = text as NSString
        for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let url = ns.substring(with: m.range(at: 1))
            let kind = m.range(at: 2).location == NSNotFound ? "" : ns.substring(with: m.range(at: 2))
            let value = m.range(at: 3).location == NSNotFound ? "" : ns.substring(with: m.range(at: 3))
            let exact = kind == "exact:" || kind == ".exact(" ? value : nil
            var c = swiftComponent(url: url, version: exact, source: source)
            if exact == nil && !value.isEmpty { c.constraint = kind.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: "(", with: " ") + " " + value }
            r.components.append(c)
        }
        return r
    }

    static func swiftComponent(url: String, version: String?, source: String, checksum: String? = nil) -> Component {
        var path = url
        for prefix in ["https://", "http://", "git@", "ssh://git@"] where path.hasPrefix(prefix) { path = String(path.dropFirst(prefix.count)) }
        path = path.replacingOccurrences(of: ":", with: "/")
        if path.hasSuffix(".git") { path.removeLast(4) }
        let slash = path.lastIndex(of: "/")
        return Component(ecosystem: .swift, namespace: slash.map { String(path[..<$0]) }, name: slash.map { String(path[path.index(after: $0)...]) } ?? path,
                         version: version, source: source, checksum: checksum)
    }

    /// Package.resolved, versions 1 (`object.pins`, `repositoryURL`) and 2–3 (`pins`, `location`).
    static func packageResolved(_ text: String, _ source: String) -> ManifestReading {
        var r = ManifestReading()
        guard let o = json(text, source, &r) else { return r }
        let pins = (o["pins"] as? [[String: Any]]) ?? ((o["object"] as? [String: Any])?["pins"] as? [[String: Any]]) ?? []
        for pin in pins {
            guard let url = (pin["location"] ?? pin["repositoryURL"]) as? String else { r.problems.append("\(source): a pin without a location"); continue }
            let state = pin["state"] as? [String: Any]
            let version = state?["version"] as? String ?? state?["revision"] as? String
            r.components.append(swiftComponent(url: url, version: version, source: source, checksum: state?["revision"] as? String))
        }
        return r
    }
}
