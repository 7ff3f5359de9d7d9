import Foundation
import KaiyuanLicences
import KaiyuanSources

/// What an SBOM says, before it is written in SPDX or CycloneDX: the project (its licence
/// from detection), its dependencies, and with `--files` each file with its checksum and licences.
public struct SBOM: Sendable {
    public struct File: Sendable {
        public var path: String
        public var sha1: String
        public var sha256: String?
        /// Licence ids found in the file (atoms).
        public var licences: [String]
    }

    public var name: String
    public var version: String?
    /// The project's licence expression from detection (top-level licence files and manifests).
    public var licence: String?
    public var components: [Component]
    public var files: [File]?
    /// When the described state was made: `SOURCE_DATE_EPOCH`, else the clone's HEAD commit
    /// time, else the newest file's time — so the same input gives the same bytes.
    public var created: Date
    /// Manifests and lockfiles that could not be read in full, and why.
    public var problems: [String]
    /// Files the licence scan skipped (binary, too large, links), and why.
    public var skipped: [SkippedFile]

    /// Builds the SBOM of `path` with the licence index.
    /// `excluding`: a file not to date the document by (the one it is written to).
    public static func build(path: String, index: LicenceIndex, withFiles: Bool, excluding: String? = nil) -> SBOM {
        let deps = DependencyScan.scan(path: path)
        let licences = LicenceScanner(index: index).scan(path: path, topLevelOnly: !withFiles)
        let root = URL(fileURLWithPath: path).standardizedFileURL
        var isDir: ObjCBool = false
        FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir)
        let absolute = { (rel: String) in isDir.boolValue ? root.path + "/" + rel : root.path }
        // The newest file's time: the document's time when neither $SOURCE_DATE_EPOCH nor a
        // HEAD commit gives one.
        let newest = { () -> Date in
            var paths: [String] = []
            var skipped: [SkippedFile] = []
            if isDir.boolValue { SourceTree.files(under: root.path, into: &paths, skipped: &skipped) } else { paths = [root.path] }
            let skip = excluding.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            return paths.filter { $0 != skip }.compactMap { (try? FileManager.default.attributesOfItem(atPath: $0))?[.modificationDate] as? Date }.max() ?? Date(timeIntervalSince1970: 0)
        }
        var files: [File]?
        if withFiles {
            let byPath = Dictionary(licences.files.map { ($0.path, $0.matches) }, uniquingKeysWith: { a, _ in a })
            // A bare clone's files are HEAD's blobs.
            let clone = isDir.boolValue ? DependencyScan.HeadTreeFiles(path: root.path) : nil
            files = licences.scannedFiles.compactMap { rel in
                let read = clone.map { $0.read(rel) } ?? FileText.read(absolute(rel), limit: 1 << 30)
                guard case let .success(bytes) = read else { return nil }
                var seen: [String] = []
                for id in (byPath[rel] ?? []).flatMap({ LicenceExpression.atoms($0.id) }) where !seen.contains(id) { seen.append(id) }
                return File(path: rel, sha1: SHA1.hex(bytes), sha256: nil, licences: seen)
            }
        }
        let name = deps.rootName ?? root.lastPathComponent
        return SBOM(name: name, version: deps.rootVersion, licence: licences.expression, components: deps.components, files: files,
                    created: createdDate(root: root.path, isDirectory: isDir.boolValue, newest: newest),
                    problems: deps.problems, skipped: licences.skipped)
    }

    static func createdDate(root: String, isDirectory: Bool, newest: () -> Date) -> Date {
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap({ Int64($0) }), epoch >= 0, epoch < 253_402_300_800 {
            return Date(timeIntervalSince1970: TimeInterval(epoch))
        }
        if isDirectory, FileManager.default.fileExists(atPath: root + "/.git") {
            let git = Process()
            git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            git.arguments = ["git", "-C", root, "log", "-1", "--format=%ct"]
            let out = Pipe()
            git.standardOutput = out
            git.standardError = FileHandle.nullDevice
            if (try? git.run()) != nil {
                let data = out.fileHandleForReading.readDataToEndOfFile()
                git.waitUntilExit()
                if git.terminationStatus == 0, let t = Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) {
                    return Date(timeIntervalSince1970: t)
                }
            }
        }
        return Date(timeIntervalSince1970: newest().timeIntervalSince1970.rounded(.down))
    }

    /// A digest of what the document describes: its namespace and serial number come from it.
    var fingerprint: String {
        var h = SHA1()
        h.update(Array(name.utf8)); h.update([0]); h.update(Array((version ?? "").utf8)); h.update([0])
        h.update(Array(String(created.timeIntervalSince1970).utf8))
        h.update(Array((licence ?? "").utf8)); h.update([0])
        for c in components { h.update(Array(c.purl.utf8)); h.update(Array((c.licence ?? "").utf8)); h.update([0]) }
        for f in files ?? [] { h.update(Array(f.path.utf8)); h.update(Array(f.sha1.utf8)) }
        return h.finish()
    }

    static func timestamp(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: d)
    }

    /// An SPDX expression every atom of which is an SPDX id the index knows or a well-formed
    /// LicenseRef; nil otherwise (written as NOASSERTION).
    static func validExpression(_ raw: String?, index: LicenceIndex) -> String? {
        guard let raw, !raw.isEmpty else { return nil }
        let canonical = LicenceExpression.canonical(raw, index: index)
        guard SPDXTagSyntax.isWellFormed(canonical) else { return nil }
        for atom in LicenceExpression.atoms(canonical) {
            let parts = atom.components(separatedBy: " WITH ")
            // A licence, then (after WITH) an exception: never an exception alone or a licence after WITH.
            for (k, part) in parts.enumerated() {
                guard isValidID(part, index: index) else { return nil }
                if let known = index.licence(spdx: part), known.isException != (k == 1) { return nil }
            }
        }
        return canonical
    }

    static func isValidID(_ id: String, index: LicenceIndex) -> Bool {
        if id.hasPrefix("LicenseRef-") { return id.dropFirst(11).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") } && id.count > 11 }
        guard let known = index.licence(spdx: id) else { return false }
        return !known.spdx.hasPrefix("LicenseRef-")
    }
}

/// Whether a string is a well-formed licence expression (balanced, operators between ids).
enum SPDXTagSyntax {
    static func isWellFormed(_ s: String) -> Bool {
        var depth = 0, expectID = true
        for w in LicenceExpression.atomsAndOperators(s) {
            switch w {
            case "(": depth += 1
            case ")": depth -= 1; if depth < 0 { return false }
            case "AND", "OR", "WITH": if expectID { return false }; expectID = true
            default: if !expectID { return false }; expectID = false
            }
        }
        return depth == 0 && !expectID
    }
}
