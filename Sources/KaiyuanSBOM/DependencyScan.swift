import Foundation
import KaiyuanLicences
import KaiyuanSources

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
        // Each manifest's path relative to `root`, and how to read it.
        var sources: [(rel: String, read: () -> Result<[UInt8], FileText.ReadFailure>)] = []
        var isDir: ObjCBool = false
        var problems: [String] = []
        if FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue {
            if let clone = HeadTreeFiles(path: root) {
                // A bare clone: the manifests of HEAD's tree, read from git.
                for entry in clone.entries where !entry.path.split(separator: "/").dropLast().contains(where: { skipped.contains(String($0)) }) {
                    sources.append((entry.path, { clone.read(entry.path) }))
                }
            } else {
                var files: [String] = []
                var skippedFiles: [SkippedFile] = []
                SourceTree.files(under: root, into: &files, skipped: &skippedFiles, skippingFolders: skipped)
                for file in files {
                    // Through FileText: a folder whose name is not UTF-8 opens all the same.
                    sources.append((String(file.dropFirst(root.count).drop { $0 == "/" }), { FileText.read(file, limit: 256 << 20) }))
                }
            }
        } else {
            sources = [((root as NSString).lastPathComponent, { FileText.read(root, limit: 256 << 20) })]
        }
        var all: [Component] = []
        var manifests: [String] = []
        var rootName: String?, rootVersion: String?, rootDepth = Int.max
        for (rel, read) in sources.sorted(by: { $0.rel < $1.rel }) {
            let name = (rel as NSString).lastPathComponent
            guard DependencyReaders.reads(name) else { continue }
            let data: [UInt8]
            switch read() {
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

    /// The files of a bare clone's HEAD, read from git (a clone with a work tree is read from
    /// its folder). Nil when `path` is no bare clone.
    final class HeadTreeFiles {
        let entries: [GitTreeEntry]
        private let objects: [String: String]
        private let blobs: GitBlobReader

        init?(path: String) {
            guard let repo = try? GitRepository(path: path), !repo.hasWorkTree,
                  let tree = try? repo.headTree(), let blobs = try? GitBlobReader(repo) else { return nil }
            entries = tree.filter { !$0.isSubmodule && !$0.isSymlink }
            objects = Dictionary(entries.map { ($0.path, $0.object) }, uniquingKeysWith: { a, _ in a })
            self.blobs = blobs
        }

        func read(_ path: String) -> Result<[UInt8], FileText.ReadFailure> {
            guard let object = objects[path] else { return .failure(FileText.ReadFailure("not in HEAD's tree")) }
            guard let bytes = try? blobs.read(object) else { return .failure(FileText.ReadFailure("unreadable blob \(object)")) }
            return .success(bytes)
        }
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
