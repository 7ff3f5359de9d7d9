import Foundation
import KaiyuanLicences

/// The dependencies of a tree: every manifest and lockfile read, the same package from
/// several files merged, a lockfile's exact versions preferred over a manifest's ranges.
public struct DependencyScan: Sendable {
    public var components: [Component]
    public var rootName: String?
    public var rootVersion: String?
    /// Manifests and lockfiles read, relative to the scanned path.
    public var manifests: [String]
    public var problems: [String]

    /// Folders whose manifests belong to dependencies or builds, not to the project.
    static let skipped: Set<String> = ["node_modules", ".build", "vendor", "target", "__pycache__", ".venv", "venv", "site-packages", "Pods", ".git"]

    public static func scan(path: String) -> DependencyScan {
        let root = URL(fileURLWithPath: path).standardizedFileURL.path
        var files: [String] = []
        var isDir: ObjCBool = false
        var problems: [String] = []
        if FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue {
            var skippedFiles: [SkippedFile] = []
            SourceTree.files(under: root, into: &files, skipped: &skippedFiles, skippingFolders: skipped)
        } else {
            files = [root]
        }
        var all: [Component] = []
        var manifests: [String] = []
        var rootName: String?, rootVersion: String?, rootDepth = Int.max
        for file in files.sorted() {
            let name = (file as NSString).lastPathComponent
            guard DependencyReaders.reads(name) else { continue }
            let rel = isDir.boolValue ? String(file.dropFirst(root.count).drop { $0 == "/" }) : name
            // Through FileText: a folder whose name is not UTF-8 opens all the same.
            let data: [UInt8]
            switch FileText.read(file, limit: 256 << 20) {
            case let .success(bytes): data = bytes
            case let .failure(reason): problems.append("\(rel): \(reason)"); continue
            }
            let text = String(decoding: FileText.decode(data).0, as: UTF8.self)
            let reading = DependencyReaders.read(name: name, path: rel, text: text)
            manifests.append(rel)
            all += reading.components
            problems += reading.problems
            let depth = rel.split(separator: "/").count
            if reading.rootName != nil && depth < rootDepth { rootName = reading.rootName; rootVersion = reading.rootVersion; rootDepth = depth }
        }
        return DependencyScan(components: merge(selectedGoVersions(all)), rootName: rootName, rootVersion: rootVersion, manifests: manifests, problems: problems)
    }

    /// go.sum holds the hashes of every version module resolution looked at, not only the one
    /// it chose: a go.sum version is kept when a go.mod requires it (go.sum then gives its
    /// hash), and for a module no go.mod names, only its highest version (what minimal
    /// version selection picks).
    static func selectedGoVersions(_ all: [Component]) -> [Component] {
        struct Module: Hashable { var namespace: String?; var name: String }
        func isSum(_ c: Component) -> Bool { c.ecosystem == .golang && (c.source as NSString).lastPathComponent == "go.sum" }
        var required: [Module: Set<String>] = [:]
        for c in all where c.ecosystem == .golang && !isSum(c) {
            if let v = c.version { required[Module(namespace: c.namespace, name: c.name), default: []].insert(v) }
        }
        var highest: [Module: String] = [:]
        for c in all where isSum(c) {
            let m = Module(namespace: c.namespace, name: c.name)
            guard required[m] == nil, let v = c.version else { continue }
            if highest[m].map({ goVersionLess($0, v) }) ?? true { highest[m] = v }
        }
        return all.filter { c in
            guard isSum(c), let v = c.version else { return true }
            let m = Module(namespace: c.namespace, name: c.name)
            return required[m]?.contains(v) ?? (highest[m] == v)
        }
    }

    /// Go's module versions: v MAJOR.MINOR.PATCH numerically, then a release above its
    /// pre-releases and pseudo-versions, then the text.
    static func goVersionLess(_ a: String, _ b: String) -> Bool {
        func parts(_ v: String) -> ([Int], Bool) {
            let core = v.drop { $0 == "v" }.split(separator: "-", maxSplits: 1)
            let numbers = (core.first ?? "").split(separator: "+")[0].split(separator: ".").map { Int($0) ?? 0 }
            return (numbers + Array(repeating: 0, count: max(0, 3 - numbers.count)), core.count > 1)
        }
        let (na, preA) = parts(a), (nb, preB) = parts(b)
        if na != nb { return na.lexicographicallyPrecedes(nb) }
        if preA != preB { return preA }
        return a < b
    }

    /// One component per package and exact version; a package known only by ranges once.
    static func merge(_ all: [Component]) -> [Component] {
        struct Key: Hashable { var ecosystem: Ecosystem; var namespace: String?; var name: String }
        var groups: [Key: [Component]] = [:]
        for c in all { groups[Key(ecosystem: c.ecosystem, namespace: c.namespace, name: c.name), default: []].append(c) }
        var out: [Component] = []
        for (_, list) in groups {
            let versions = Set(list.compactMap(\.version))
            if versions.isEmpty {
                var c = list[0]
                c.development = list.allSatisfy(\.development)
                c.licence = list.compactMap(\.licence).first
                out.append(c)
                continue
            }
            for v in versions {
                let same = list.filter { $0.version == v }
                var c = same[0]
                // Dev only when every file that names it says so (a manifest may say, a lockfile not).
                c.development = list.allSatisfy(\.development)
                c.licence = list.compactMap(\.licence).first
                c.checksum = same.compactMap(\.checksum).first
                c.constraint = nil
                out.append(c)
            }
        }
        return out.sorted { ($0.ecosystem, $0.namespace ?? "", $0.name, $0.version ?? "") < ($1.ecosystem, $1.namespace ?? "", $1.name, $1.version ?? "") }
    }
}
