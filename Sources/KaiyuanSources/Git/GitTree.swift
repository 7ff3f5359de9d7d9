import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file of a commit's tree: what `git ls-tree -r --long` says of it.
public struct GitTreeEntry: Sendable, Equatable {
    public var path: String
    public var mode: String
    public var object: String
    /// Bytes; nil for a submodule.
    public var size: Int?
    public var isSymlink: Bool { mode == "120000" }
    public var isSubmodule: Bool { mode == "160000" }
}

extension GitRepository {
    /// Whether the clone has a work tree (a folder people edit) rather than being bare.
    public var hasWorkTree: Bool {
        (try? Self.run(["-C", path, "rev-parse", "--is-inside-work-tree"], allowFailure: true))?.stdout.hasPrefix("true") ?? false
    }

    /// The files of HEAD's tree, with their blob ids and sizes (a bare clone's too).
    public func headTree() throws -> [GitTreeEntry] {
        let r = try Self.run(["-C", path, "-c", "core.quotePath=false", "ls-tree", "-r", "-z", "--long", "--full-tree", "HEAD"])
        // Paths as bytes (a name need not be UTF-8): FileName keeps them exact.
        return r.stdoutBytes.split(separator: 0).compactMap { record in
            // MODE SP TYPE SP OBJECT SP+ SIZE TAB PATH
            guard let tab = record.firstIndex(of: UInt8(ascii: "\t")) else { return nil }
            let head = String(decoding: record[..<tab], as: UTF8.self).split(separator: " ", omittingEmptySubsequences: true)
            guard head.count == 4 else { return nil }
            return GitTreeEntry(path: FileName.string(record[(tab + 1)...]), mode: String(head[0]), object: String(head[2]), size: Int(head[3]))
        }
    }

    /// The work tree's files git knows of: tracked ones and new ones not ignored (paths
    /// relative to the work tree's top), so build output and ignored folders are left out.
    public func workTreeFiles() throws -> [String] {
        let r = try Self.run(["-C", path, "-c", "core.quotePath=false", "ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        var seen = Set<String>()
        return r.stdoutBytes.split(separator: 0).map { FileName.string($0) }.filter { seen.insert($0).inserted }
    }

    /// The work tree's top folder.
    public func topLevel() throws -> String {
        try Self.run(["-C", path, "rev-parse", "--show-toplevel"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Reads blobs through one `git cat-file --batch` process: one request, one answer, in turn.
/// Not shared between threads: each worker opens its own.
public final class GitBlobReader {
    private let process: Process
    /// Drains git's standard error so that it can never block on it.
    private let errors: StderrCollector
    private let input: FileHandle
    private let output: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0

    public init(_ repository: GitRepository) throws {
        // A git that dies must be an error on the next write, not the end of kaiyuan.
        signal(SIGPIPE, SIG_IGN)
        let inPipe = Pipe()
        // A partial clone must not fetch each blob it lacks from the network, unbounded.
        let (process, out, errors) = try GitRepository.launch(["-C", repository.path, "cat-file", "--batch"], input: inPipe,
                                                         environment: ["GIT_NO_LAZY_FETCH": "1"])
        self.process = process
        self.errors = errors
        input = inPipe.fileHandleForWriting
        output = out.fileHandleForReading
    }

    deinit {
        try? input.close()
        process.waitUntilExit()
    }

    /// The blob's bytes, or nil when git has no such object.
    public func read(_ object: String) throws -> [UInt8]? {
        try input.write(contentsOf: Data((object + "\n").utf8))
        let header = try line()
        // "<object> blob <size>" or "<object> missing".
        let parts = header.split(separator: " ")
        guard parts.count == 3, let size = Int(parts[2]) else { return nil }
        let bytes = try take(size)
        _ = try take(1)   // the newline after the content
        return bytes
    }

    /// Whatever the pipe holds now (FileHandle's read(upToCount:) would wait for the whole count).
    private func fill() throws -> Bool {
        if start > 0 { buffer.removeFirst(start); start = 0 }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(output.fileDescriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
    }

    private func line() throws -> String {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                let s = String(decoding: buffer[start..<nl], as: UTF8.self)
                start = nl + 1
                return s
            }
            guard try fill() else { throw GitError.commandFailed(command: "git cat-file --batch", status: -1, stderr: "ended early") }
        }
    }

    private func take(_ n: Int) throws -> [UInt8] {
        while buffer.count - start < n {
            guard try fill() else { throw GitError.commandFailed(command: "git cat-file --batch", status: -1, stderr: "ended early") }
        }
        let out = Array(buffer[start..<(start + n)])
        start += n
        return out
    }
}

extension GitRepository {
    /// A commit's tree, its top level only.
    public func tree(at commit: String) throws -> [GitTreeEntry] {
        let r = try Self.run(["-C", path, "-c", "core.quotePath=false", "ls-tree", "-z", "--long", commit])
        return r.stdout.split(separator: "\0").compactMap { record in
            guard let tab = record.firstIndex(of: "\t") else { return nil }
            let head = record[..<tab].split(separator: " ", omittingEmptySubsequences: true)
            guard head.count == 4 else { return nil }
            return GitTreeEntry(path: String(record[record.index(after: tab)...]), mode: String(head[0]), object: String(head[2]), size: Int(head[3]))
        }
    }

    /// The first-parent commits that changed a top-level licence file (LICENSE*, LICENCE*,
    /// COPYING*, UNLICENSE*, any case), oldest first, with their commit times; the newest
    /// `limit` when there are more.
    /// `alsoManifests`: top-level files whose licence field declares one too (`package.json`,
    /// `Cargo.toml`, …), so that relicensing done in a manifest shows.
    public func commitsTouchingTopLevelLicenceFiles(limit: Int, alsoManifests: [String] = []) throws -> [(commit: String, time: Int64)] {
        // Top-level only: a glob's `*` never crosses a `/`.
        let manifests = alsoManifests.map { ":(icase,glob)" + $0 }
        let r = try Self.run(["-C", path, "log", "--first-parent", "--format=%H %ct", "-n", String(limit), "HEAD", "--",
                              ":(icase,glob)licen[cs]e*", ":(icase,glob)copying*", ":(icase,glob)unlicense*"] + manifests, allowFailure: true)
        guard r.status == 0 else { return [] }
        return r.stdout.split(separator: "\n").compactMap { line in
            let p = line.split(separator: " ")
            guard p.count == 2, let t = Int64(p[1]) else { return nil }
            return (String(p[0]), t)
        }.reversed()
    }
}
