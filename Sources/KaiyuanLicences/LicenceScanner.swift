import Foundation
import KaiyuanSources
#if canImport(Glibc)
import Glibc
#endif

/// The licences of one file.
public struct FileLicences: Sendable, Codable, Equatable {
    public var path: String
    public var matches: [LicenceMatch]
}

/// Licence-like text that matched nothing, where it is.
public struct UnknownLicenceAt: Sendable, Codable, Equatable {
    public var path: String
    public var startLine: Int
    public var endLine: Int
    enum CodingKeys: String, CodingKey { case path, startLine = "start_line", endLine = "end_line" }
}

/// Two licences that cannot live together in this project, and where.
public struct LicenceConflict: Sendable, Codable, Equatable {
    /// The project's licence (expression).
    public var a: String
    /// The licence of the included files or dependencies.
    public var b: String
    public var why: String
    public var files: [String]
}

/// A file not scanned, or scanned after decoding, and why.
public struct SkippedFile: Sendable, Codable, Equatable {
    public var path: String
    public var reason: String
}

/// Everything `kaiyuan licences PATH` finds.
public struct LicenceReport: Sendable, Codable, Equatable {
    public var path: String
    /// Ids from the manifests and the top-level licence files.
    public var declared: [String]
    /// The same, from the top-level licence files only, and from the manifests only.
    public var declaredByLicenceFiles: [String]
    public var declaredByManifests: [String]
    /// Every licence found anywhere with high confidence (a text, a notice, a tag, a manifest), once.
    public var detected: [String]
    /// Licences only mentioned by name somewhere (low confidence), once.
    public var mentioned: [String]
    /// The project's licence as one expression (the declared ones joined), or nil.
    public var expression: String?
    public var files: [FileLicences]
    public var unknown: [UnknownLicenceAt]
    public var conflicts: [LicenceConflict]
    /// Verdicts no rule decides: the licences, and why.
    public var undecided: [LicenceConflict]
    public var skipped: [SkippedFile]
    /// Files read in another encoding than UTF-8 (GB18030, Latin-1).
    public var decoded: [SkippedFile]
    public var filesScanned: Int
    public var bytesScanned: Int
    /// Every file scanned, relative to the path (not in the JSON: `files` lists those with licences).
    public var scannedFiles: [String] = []

    /// `expression` is written as null when nothing is declared, as the documented shape has it.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path); try c.encode(declared, forKey: .declared)
        try c.encode(declaredByLicenceFiles, forKey: .declaredByLicenceFiles); try c.encode(declaredByManifests, forKey: .declaredByManifests)
        try c.encode(detected, forKey: .detected); try c.encode(mentioned, forKey: .mentioned)
        if let expression { try c.encode(expression, forKey: .expression) } else { try c.encodeNil(forKey: .expression) }
        try c.encode(files, forKey: .files); try c.encode(unknown, forKey: .unknown); try c.encode(conflicts, forKey: .conflicts)
        try c.encode(undecided, forKey: .undecided); try c.encode(skipped, forKey: .skipped); try c.encode(decoded, forKey: .decoded)
        try c.encode(filesScanned, forKey: .filesScanned); try c.encode(bytesScanned, forKey: .bytesScanned)
    }

    enum CodingKeys: String, CodingKey {
        case path, declared, declaredByLicenceFiles = "declared_by_licence_files", declaredByManifests = "declared_by_manifests", detected, mentioned, expression, files, unknown, conflicts, undecided, skipped, decoded
        case filesScanned = "files_scanned", bytesScanned = "bytes_scanned"
    }
}

/// Finds the licences of a file, a directory tree or a clone: every text file's matches,
/// the manifests' licence fields, what the project declares, and what conflicts with it.
public struct LicenceScanner: Sendable {
    public let matcher: LicenceMatcher
    /// Files larger than this are skipped and named (licence texts are small; a 20 MB file is data).
    public var maxFileBytes = 20 << 20

    public init(index: LicenceIndex) { matcher = LicenceMatcher(index: index) }

    /// One file to scan: on disk, or a blob of a clone's HEAD.
    enum Item: Sendable {
        case file(path: String, relative: String)
        case blob(GitTreeEntry)
        var relative: String {
            switch self {
            case let .file(_, r): r
            case let .blob(e): e.path
            }
        }
    }

    /// Scans `path`: a file, a folder, or a clone. In a clone's work tree the files git knows
    /// are read (tracked, and new ones not ignored: no build output), unless `allFiles`; a bare
    /// clone is read at HEAD. With `topLevelOnly`, only the files directly in the folder (what
    /// the project declares). `progress(done, total)` is called as files finish.
    public func scan(path: String, topLevelOnly: Bool = false, allFiles: Bool = false, progress: (@Sendable (Int, Int) -> Void)? = nil) -> LicenceReport {
        var skipped: [SkippedFile] = []
        let root = URL(fileURLWithPath: path).standardizedFileURL.path
        var items: [Item] = []
        var isDir: ObjCBool = false
        var clone: GitRepository?
        if !FileManager.default.fileExists(atPath: root, isDirectory: &isDir) {
            skipped.append(SkippedFile(path: path, reason: "no such file or directory"))
        } else if isDir.boolValue {
            if !allFiles, let repo = try? GitRepository(path: root) {
                if repo.hasWorkTree, let top = try? repo.topLevel(),
                   URL(fileURLWithPath: top).resolvingSymlinksInPath().path == URL(fileURLWithPath: root).resolvingSymlinksInPath().path,
                   let known = try? repo.workTreeFiles() {
                    items = known.map { .file(path: root + "/" + $0, relative: $0) }
                } else if !repo.hasWorkTree, let tree = try? repo.headTree() {
                    clone = repo
                    items = tree.map { .blob($0) }
                }
            }
            if items.isEmpty && clone == nil {
                var files: [String] = []
                SourceTree.files(under: root, into: &files, skipped: &skipped)
                items = files.map { .file(path: $0, relative: String($0.dropFirst(root.count).drop { $0 == "/" })) }
                skipped = skipped.map { SkippedFile(path: $0.path.hasPrefix(root + "/") ? String($0.path.dropFirst(root.count + 1)) : $0.path, reason: $0.reason) }
            }
            if topLevelOnly {
                items.removeAll { $0.relative.contains("/") }
                skipped.removeAll { $0.path.contains("/") }
            }
        } else {
            items = [.file(path: root, relative: (root as NSString).lastPathComponent)]
        }
        items.sort { $0.relative < $1.relative }
        return report(path: path, items: items, clone: clone, skipped: skipped, isDirectory: isDir.boolValue, progress: progress)
    }

    func report(path: String, items: [Item], clone: GitRepository?, skipped: [SkippedFile], isDirectory: Bool,
                progress: (@Sendable (Int, Int) -> Void)?) -> LicenceReport {
        let results = scanFiles(items, clone: clone, progress: progress)
        var report = LicenceReport(path: path, declared: [], declaredByLicenceFiles: [], declaredByManifests: [], detected: [], mentioned: [], expression: nil, files: [], unknown: [], conflicts: [],
                                   undecided: [], skipped: skipped, decoded: [], filesScanned: 0, bytesScanned: 0)
        var detected: [String] = []
        var mentioned: [String] = []
        for (item, result) in zip(items, results) {
            let rel = item.relative
            if FileName.isEscaped(rel) {
                // Its bytes that are not UTF-8 are kept as U+F780…U+F7FF, so the path opens as
                // it is; the note says how it reads.
                let raw = FileName.rawBytes(rel)
                let reading = FileText.iconv(raw, from: "GB18030").map { "as GB18030 it reads \"\(String(decoding: $0, as: UTF8.self))\"" }
                    ?? "neither UTF-8 nor GB18030"
                report.decoded.append(SkippedFile(path: rel, reason: "file name is not UTF-8 (its other bytes kept as U+F780–U+F7FF); \(reading)"))
            }
            switch result {
            case let .skipped(reason): report.skipped.append(SkippedFile(path: rel, reason: reason))
            case let .scanned(text, bytes, encoding):
                report.filesScanned += 1
                report.scannedFiles.append(rel)
                report.bytesScanned += bytes
                if let encoding { report.decoded.append(SkippedFile(path: rel, reason: "decoded as \(encoding)")) }
                if !text.matches.isEmpty { report.files.append(FileLicences(path: rel, matches: text.matches)) }
                report.unknown += text.unknown.map { UnknownLicenceAt(path: rel, startLine: $0.startLine, endLine: $0.endLine) }
                for m in text.matches where m.confidence == .high { for a in LicenceExpression.atoms(m.id) where !detected.contains(a) { detected.append(a) } }
                for m in text.matches where m.confidence == .low { for a in LicenceExpression.atoms(m.id) where !mentioned.contains(a) { mentioned.append(a) } }
                if !rel.contains("/") && (GitLogReader.isLicenceFileName(rel) || ManifestLicence.isManifest(rel)) || !isDirectory {
                    // What a licence file says with confidence; only when it says nothing else, its mentions.
                    let strong = text.matches.filter { $0.confidence == .high }
                    for m in strong.isEmpty ? text.matches : strong {
                        if m.method == .manifest {
                            if !report.declaredByManifests.contains(m.id) { report.declaredByManifests.append(m.id) }
                        } else if !report.declaredByLicenceFiles.contains(m.id) {
                            report.declaredByLicenceFiles.append(m.id)
                        }
                    }
                }
            }
        }
        report.declared = LicenceScanner.declared(manifests: report.declaredByManifests, licenceFiles: report.declaredByLicenceFiles)
        report.detected = detected.sorted()
        report.mentioned = mentioned.filter { !detected.contains($0) }.sorted()
        report.expression = LicenceExpression.all(report.declared)
        if let expression = report.expression { conflicts(project: expression, report: &report) }
        return report
    }

    /// What a project declares: its manifests' expressions, then each licence file's licence
    /// that no manifest expression already names (`MIT OR Apache-2.0` in Cargo.toml with
    /// LICENSE-MIT and LICENSE-APACHE beside it is one choice, not three licences at once).
    public static func declared(manifests: [String], licenceFiles: [String]) -> [String] {
        let named = Set(manifests.flatMap(LicenceExpression.atoms))
        var out = manifests
        for id in licenceFiles where !out.contains(id) && !(LicenceExpression.atoms(id).allSatisfy { named.contains($0) } && !named.isEmpty) {
            out.append(id)
        }
        return out
    }

    /// Checks every licence found outside the top-level licence files against the project's.
    func conflicts(project: String, report: inout LicenceReport) {
        var byVerdict: [String: (a: String, b: String, why: String, conflict: Bool, files: [String])] = [:]
        for file in report.files where file.path.contains("/") || !(GitLogReader.isLicenceFileName(file.path) || ManifestLicence.isManifest(file.path)) {
            for m in file.matches where m.confidence == .high {
                // References that name no licence ("see LICENSE") and warranty disclaimers say
                // nothing a rule could judge.
                let atoms = LicenceExpression.atoms(m.id)
                if atoms.allSatisfy({ LicenceTraits(id: $0, index: matcher.index).category == .other }) { continue }
                let verdict = LicenceCompatibility.check(projectExpression: project, partExpression: m.id, index: matcher.index)
                let (why, conflict): (String, Bool)
                switch verdict {
                case .compatible: continue
                case let .conflict(w): (why, conflict) = (w, true)
                case let .unknown(w): (why, conflict) = (w, false)
                }
                let key = m.id + "\u{1}" + why
                var entry = byVerdict[key] ?? (project, m.id, why, conflict, [])
                if !entry.files.contains(file.path) { entry.files.append(file.path) }
                byVerdict[key] = entry
            }
        }
        for (_, e) in byVerdict.sorted(by: { $0.key < $1.key }) {
            let c = LicenceConflict(a: e.a, b: e.b, why: e.why, files: e.files)
            if e.conflict { report.conflicts.append(c) } else { report.undecided.append(c) }
        }
    }

    enum FileResult: Sendable {
        case skipped(String)
        case scanned(TextLicences, bytes: Int, encoding: String?)
    }

    /// Scans the files on every core, results in input order; blobs through one
    /// `git cat-file` per worker.
    func scanFiles(_ items: [Item], clone: GitRepository?, progress: (@Sendable (Int, Int) -> Void)?) -> [FileResult] {
        let results = ResultSlots<FileResult>(count: items.count)
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let done = ResultSlots<Int>(count: 1)
        DispatchQueue.concurrentPerform(iterations: cores) { worker in
            let blobs = clone.flatMap { try? GitBlobReader($0) }
            var k = worker
            while k < items.count {
                results.set(k, scanItem(items[k], blobs: blobs))
                if let progress { progress(done.increment(), items.count) }
                k += cores
            }
        }
        return results.values.map { $0! }
    }

    func scanItem(_ item: Item, blobs: GitBlobReader?) -> FileResult {
        switch item {
        case let .file(path, _):
            var st = stat()
            if lstat(FileName.bytes(path), &st) == 0 && st.st_mode & S_IFMT == S_IFLNK { return .skipped("symbolic link (not followed)") }
            switch FileText.read(path, limit: maxFileBytes) {
            case let .failure(reason): return .skipped(reason.description)
            case let .success(b): return scanBytes(b, name: (path as NSString).lastPathComponent)
            }
        case let .blob(entry):
            if entry.isSymlink { return .skipped("symbolic link (not followed)") }
            if entry.isSubmodule { return .skipped("submodule (another repository)") }
            if let size = entry.size, size > maxFileBytes { return .skipped("larger than \(maxFileBytes >> 20) MB") }
            guard let blobs, let bytes = try? blobs.read(entry.object) else { return .skipped("unreadable blob \(entry.object)") }
            return scanBytes(bytes, name: (entry.path as NSString).lastPathComponent)
        }
    }

    /// One file's bytes: decoded, its manifest fields and its text scanned.
    func scanBytes(_ bytes: [UInt8], name: String) -> FileResult {
        if FileText.isBinary(bytes) { return .skipped("binary") }
        let (text, encoding) = FileText.decode(bytes)
        var result = text.withUnsafeBufferPointer { matcher.scan($0) }
        if ManifestLicence.isManifest(name) {
            let fields = ManifestLicence.fields(name: name, text: text)
            // The field read as a field, not again as text.
            result.matches.removeAll { m in fields.contains { $0.line >= m.startLine && $0.line <= m.endLine } }
            result.matches += fields.flatMap { manifestMatches($0) }
            result.matches.sort { ($0.startLine, $0.endLine, $0.id) < ($1.startLine, $1.endLine, $1.id) }
        }
        return .scanned(result, bytes: bytes.count, encoding: encoding)
    }

    /// A manifest's licence value: an SPDX expression as written, else whatever the rules find in it.
    func manifestMatches(_ field: ManifestLicence.Field) -> [LicenceMatch] {
        let index = matcher.index
        if let spdx = SPDXTag.expression(in: "SPDX-License-Identifier: " + field.value),
           LicenceExpression.atoms(spdx).allSatisfy({ index.licence(spdx: $0.components(separatedBy: " WITH ")[0]) != nil }) {
            return [LicenceMatch(id: LicenceExpression.canonical(spdx, index: index), score: 100, startLine: field.line, endLine: field.line, method: .manifest)]
        }
        let found = Array(field.value.utf8).withUnsafeBufferPointer { matcher.scan($0) }
        return found.matches.map { LicenceMatch(id: $0.id, score: $0.score, startLine: field.line, endLine: field.line, method: .manifest) }
    }
}

/// Fixed slots written from several threads, each slot by one.
final class ResultSlots<T>: @unchecked Sendable {
    var values: [T?]
    private let lock = NSLock()
    private var counter = 0
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ v: T) { lock.withLock { values[k] = v } }
    func increment() -> Int { lock.withLock { counter += 1; return counter } }
}

/// Directory walk that never follows a symbolic link (so no loop), naming what it cannot read.
public enum SourceTree {
    public static let vcs: Set<String> = [".git", ".hg", ".svn"]

    public static func files(under dir: String, into found: inout [String], skipped: inout [SkippedFile], skippingFolders: Set<String> = vcs) {
        guard let d = opendir(FileName.bytes(dir)) else {
            skipped.append(SkippedFile(path: dir, reason: "unreadable directory (\(String(cString: strerror(errno))))"))
            return
        }
        defer { closedir(d) }
        var entries: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in FileName.string(raw.prefix { $0 != 0 }) }
            if name == "." || name == ".." || skippingFolders.contains(name) { continue }
            entries.append(name)
        }
        for name in entries.sorted() {
            let full = dir + "/" + name
            var st = stat()
            guard lstat(FileName.bytes(full), &st) == 0 else { skipped.append(SkippedFile(path: full, reason: "cannot stat")); continue }
            switch st.st_mode & S_IFMT {
            case S_IFDIR: files(under: full, into: &found, skipped: &skipped, skippingFolders: skippingFolders)
            case S_IFREG: found.append(full)
            case S_IFLNK: skipped.append(SkippedFile(path: full, reason: "symbolic link (not followed)"))
            default: skipped.append(SkippedFile(path: full, reason: "not a regular file"))
            }
        }
    }
}

/// Reading a file's text whatever its encoding.
public enum FileText {
    public static func read(_ path: String, limit: Int) -> Result<[UInt8], ReadFailure> {
        // Non-blocking and not through a link: a FIFO or a device must not hang the scan.
        let fd = open(FileName.bytes(path), O_RDONLY | O_NONBLOCK | O_NOFOLLOW)
        guard fd >= 0 else { return .failure(ReadFailure(errno == ELOOP ? "symbolic link (not followed)" : "unreadable (\(String(cString: strerror(errno))))")) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(ReadFailure("cannot stat")) }
        guard st.st_mode & S_IFMT == S_IFREG else { return .failure(ReadFailure("not a regular file")) }
        if Int(st.st_size) > limit { return .failure(ReadFailure("larger than \(limit >> 20) MB")) }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var got = 0
        while got < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0 { return .failure(ReadFailure("read failed (\(String(cString: strerror(errno))))")) }
            if n == 0 { break }
            got += n
        }
        if got < bytes.count { bytes.removeLast(bytes.count - got) }
        return .success(bytes)
    }

    public struct ReadFailure: Error, CustomStringConvertible {
        public var description: String
        public init(_ d: String) { description = d }
    }

    /// A NUL byte in the first 8 KB: not text, unless the text is UTF-16 (whose ASCII letters
    /// each carry a NUL byte).
    static func isBinary(_ bytes: [UInt8]) -> Bool { bytes.prefix(8192).contains(0) && utf16(bytes) == nil }

    /// UTF-16 by its byte-order mark, or without one when the first 1 KB reads as mostly
    /// ASCII letters each beside a NUL byte (Windows' "Unicode" text files): the iconv name
    /// and how many bytes of mark to drop.
    static func utf16(_ bytes: [UInt8]) -> (encoding: String, bom: Int)? {
        if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE { return ("UTF-16LE", 2) }
        if bytes.count >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF { return ("UTF-16BE", 2) }
        let pairs = min(bytes.count, 1024) / 2
        guard pairs >= 8 else { return nil }
        var little = 0, big = 0
        for k in 0..<pairs {
            let a = bytes[2 * k], b = bytes[2 * k + 1]
            if b == 0 && a != 0 && a < 0x80 { little += 1 }
            if a == 0 && b != 0 && b < 0x80 { big += 1 }
        }
        if little * 10 >= pairs * 9 { return ("UTF-16LE", 0) }
        if big * 10 >= pairs * 9 { return ("UTF-16BE", 0) }
        return nil
    }

    /// UTF-8 bytes of the text and the encoding it was decoded from when not UTF-8: UTF-16
    /// (marked, or plainly so), GB18030 (which covers GBK and GB2312), else Latin-1, which
    /// reads any byte.
    public static func decode(_ bytes: [UInt8]) -> ([UInt8], String?) {
        if let (encoding, bom) = utf16(bytes), let text = iconv(Array(bytes.dropFirst(bom)), from: encoding) {
            return (text, encoding)
        }
        if String(validating: bytes, as: UTF8.self) != nil { return (bytes, nil) }
        if let gb = iconv(bytes, from: "GB18030") { return (gb, "GB18030") }
        return (Array(String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })).utf8), "Latin-1")
    }

    static func iconv(_ bytes: [UInt8], from encoding: String) -> [UInt8]? {
        let cd = iconv_open("UTF-8", encoding)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        // UTF-8 takes at most 1.5 times GB18030's or UTF-16's bytes (3 for 2, 4 for 4).
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        let left: Int = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                var outLeft = outBuf.count
                let rc = Glibc.iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                return rc == -1 || inLeft != 0 ? -1 : outLeft
            }
        }
        guard left >= 0 else { return nil }
        return output.dropLast(left).map { UInt8(bitPattern: $0) }
    }
}
