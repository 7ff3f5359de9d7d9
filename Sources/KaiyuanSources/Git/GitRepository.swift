import Foundation
import KaiyuanCore

/// Why a git command failed, with what to do next.
public enum GitError: Error, CustomStringConvertible {
    case gitMissing
    case notARepository(path: String, detail: String)
    case commandFailed(command: String, status: Int32, stderr: String)
    /// A clone or fetch that stalled: the server accepted nothing or sent too slowly.
    case noAnswer(url: String, host: String, seconds: Int)

    public var description: String {
        switch self {
        case .gitMissing: "git is not installed (Debian: apt-get install git)"
        case let .notARepository(path, detail): "\(path) is not a git repository (\(detail)); pass a clone, a URL, or --log-file with an export"
        case let .commandFailed(command, status, stderr): "`\(command)` failed with status \(status): \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
        case let .noAnswer(_, host, seconds): "\(host) did not answer (under 1 KB/s for \(seconds) s); check the address and your network, then run again (what was stored stays)"
        }
    }
}

/// A local clone, and the git commands kaiyuan runs on it.
public struct GitRepository: Sendable {
    public let path: String

    /// Opens a clone (work tree or bare).
    public init(path: String) throws {
        self.path = path
        let result = try Self.run(["-C", path, "rev-parse", "--git-dir"], allowFailure: true)
        guard result.status == 0 else { throw GitError.notARepository(path: path, detail: result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// A folder or a URL as a user gives it: the clone (cloned into `cache` or fetched for a
    /// URL) and the repository it is, from the URL, the clone's remote, or the folder's name.
    public static func open(_ source: String, cache: String) throws -> (clone: GitRepository, repo: ForgeRepo) {
        guard isURL(source) else {
            let clone = try GitRepository(path: source)
            return (clone, clone.inferredRepo())
        }
        let clone = try cloneOrUpdate(url: source, cache: cache)
        return (clone, ForgeRepo(remoteURL: source) ?? clone.inferredRepo())
    }

    /// Clones `url` into `cache` (bare), or fetches into the existing clone there, and opens it.
    public static func cloneOrUpdate(url: String, cache: String) throws -> GitRepository {
        let dir = cacheDirectory(for: url, under: cache)
        do { return try cloneOrFetch(url: url, dir: dir) } catch GitError.commandFailed(_, _, let stderr) where stalled(stderr) {
            throw GitError.noAnswer(url: url, host: URLComponents(string: url)?.host ?? url, seconds: lowSpeedSeconds)
        }
    }

    /// How long a transfer may stay under 1 KB/s before git gives up
    /// (`$KAIYUAN_GIT_LOW_SPEED_SECONDS`, default 60): a server that never answers ends the run.
    static var lowSpeedSeconds: Int {
        ProcessInfo.processInfo.environment["KAIYUAN_GIT_LOW_SPEED_SECONDS"].flatMap(Int.init).map { max($0, 1) } ?? 60
    }

    /// Network limits for clone and fetch: git's low-speed abort over HTTP, a connect timeout
    /// and keep-alives over SSH.
    static var networkLimits: [String] {
        var limits = ["-c", "http.lowSpeedLimit=1000", "-c", "http.lowSpeedTime=\(lowSpeedSeconds)"]
        // SSH limits only where the user has not chosen an ssh command of their own.
        if ProcessInfo.processInfo.environment["GIT_SSH_COMMAND"] == nil && ProcessInfo.processInfo.environment["GIT_SSH"] == nil,
           (try? run(["config", "--get", "core.sshCommand"], allowFailure: true).stdout.isEmpty) ?? true {
            limits += ["-c", "core.sshCommand=ssh -o ConnectTimeout=30 -o ServerAliveInterval=15 -o ServerAliveCountMax=4 -o BatchMode=yes"]
        }
        return limits
    }

    /// git's and ssh's own words for a transfer that stalled (not a URL that merely says "timeout").
    static func stalled(_ stderr: String) -> Bool {
        ["Operation too slow", "Connection timed out", "Operation timed out", "Timeout, server not responding", "timed out after"]
            .contains { stderr.contains($0) }
    }

    private static func cloneOrFetch(url: String, dir: String) throws -> GitRepository {
        if FileManager.default.fileExists(atPath: dir + "/HEAD") {
            _ = try run(networkLimits + ["-C", dir, "fetch", "--quiet", "--prune", "--force", "origin", "+refs/heads/*:refs/heads/*"])
            // A bare clone's HEAD names the default branch; follow the remote if it changed.
            _ = try run(networkLimits + ["-C", dir, "remote", "set-head", "origin", "--auto"], allowFailure: true)
        } else {
            try FileManager.default.createDirectory(atPath: (dir as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let partial = dir + ".partial"
            try? FileManager.default.removeItem(atPath: partial)
            _ = try run(networkLimits + ["clone", "--quiet", "--bare", url, partial])
            try FileManager.default.moveItem(atPath: partial, toPath: dir)
        }
        return try GitRepository(path: dir)
    }

    /// `CACHE/HOST/OWNER/NAME.git`, or a name made from the URL when it has no host.
    static func cacheDirectory(for url: String, under cache: String) -> String {
        if let repo = ForgeRepo(remoteURL: url) {
            return "\(cache)/\(repo.platform.rawValue)/\(repo.name).git"
        }
        let safe = url.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" }
        return "\(cache)/other/\(String(safe).suffix(120)).git"
    }

    /// Whether a path argument names a URL to clone rather than a directory.
    public static func isURL(_ text: String) -> Bool {
        text.contains("://") || (text.hasPrefix("git@") && text.contains(":"))
    }

    /// The repository the clone's `origin` (or first) remote names.
    public func remoteRepo() -> ForgeRepo? {
        guard let remotes = try? Self.run(["-C", path, "remote"], allowFailure: true), remotes.status == 0 else { return nil }
        let names = remotes.stdout.split(separator: "\n").map(String.init)
        guard let name = names.contains("origin") ? "origin" : names.first,
              // The URL as configured: `remote get-url` would apply `url.*.insteadOf` rewrites (mirrors).
              let url = try? Self.run(["-C", path, "config", "--get", "remote.\(name).url"], allowFailure: true), url.status == 0 else { return nil }
        return ForgeRepo(remoteURL: url.stdout)
    }

    /// The repository kaiyuan files this clone under when not told: its remote, else the folder's name.
    public func inferredRepo() -> ForgeRepo {
        if let remote = remoteRepo() { return remote }
        var name = URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
        if name.hasSuffix(".git") { name.removeLast(4) }
        if name == "" || name == "." { name = "local" }
        return ForgeRepo(platform: .other, name: name)
    }

    /// The commit HEAD names, or nil in an empty repository.
    public func head() throws -> String? {
        let r = try Self.run(["-C", path, "rev-parse", "--verify", "--quiet", "HEAD"], allowFailure: true)
        return r.status == 0 ? r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// Whether `commit` is in HEAD's history (so that `commit..HEAD` is what is new).
    public func isAncestorOfHead(_ commit: String) -> Bool {
        (try? Self.run(["-C", path, "merge-base", "--is-ancestor", commit, "HEAD"], allowFailure: true).status) == 0
    }

    /// The `.mailmap` at HEAD (works for bare clones too), if any.
    public func mailmap() -> String? {
        guard let r = try? Self.run(["-C", path, "show", "HEAD:.mailmap"], allowFailure: true), r.status == 0 else { return nil }
        return r.stdout
    }

    /// Licence files at the top of HEAD's tree.
    public func licenceFiles() -> [String] {
        guard let r = try? Self.run(["-C", path, "ls-tree", "--name-only", "HEAD"], allowFailure: true), r.status == 0 else { return [] }
        return r.stdout.split(separator: "\n").map(String.init).filter(GitLogReader.isLicenceFileName).sorted()
    }

    /// Streams `git log` in the form of `spec/git-log-format.md`: the whole history, or only
    /// the commits `since` lacks. The reader runs while git writes, so memory stays flat.
    public func readLog(since: String? = nil, _ body: (GitCommitRecord) throws -> Void) throws -> GitLogStats {
        let (process, out, errText) = try Self.launch(["-C", path, "-c", "core.quotePath=true"] + GitLogReader.logArguments(since: since))
        let source = FileByteSource(fileDescriptor: dup(out.fileHandleForReading.fileDescriptor), name: "git log of \(path)")
        try? out.fileHandleForReading.close()
        var reader = GitLogReader(source: source, path: "git log of \(path)")
        do {
            try reader.forEachCommit(body)
        } catch {
            process.terminate()
            process.waitUntilExit()
            throw error
        }
        source.close()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            throw GitError.commandFailed(command: "git -C \(path) log", status: process.terminationStatus, stderr: errText.text())
        }
        return reader.stats
    }

    // MARK: Running git

    struct Output { var status: Int32; var stdout: String; var stderr: String; var stdoutBytes: [UInt8] = [] }

    static func gitExecutable() throws -> URL {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/git"
            if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        throw GitError.gitMissing
    }

    /// Starts git with its output on a pipe; stderr is drained on the side so a chatty git
    /// never blocks on a full pipe.
    /// Starts git; `input` is its standard input when it reads requests (`cat-file --batch`).
    static func launch(_ arguments: [String], input: Pipe? = nil, environment extra: [String: String] = [:]) throws -> (Process, Pipe, StderrCollector) {
        let process = Process()
        process.executableURL = try gitExecutable()
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["GIT_TERMINAL_PROMPT"] = "0"  // never wait for a password
        env["LC_ALL"] = "C"
        env.merge(extra) { _, new in new }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input ?? FileHandle.nullDevice
        try process.run()
        return (process, out, StderrCollector(err.fileHandleForReading))
    }

    @discardableResult
    static func run(_ arguments: [String], allowFailure: Bool = false) throws -> Output {
        let (process, out, errText) = try launch(arguments)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let result = Output(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: errText.text(), stdoutBytes: [UInt8](data))
        if result.status != 0 && !allowFailure {
            throw GitError.commandFailed(command: "git " + arguments.joined(separator: " "), status: result.status, stderr: result.stderr)
        }
        return result
    }
}

/// Reads a child's stderr to the end on another thread.
final class StderrCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func text() -> String {
        done.wait()
        return String(decoding: data.prefix(4000), as: UTF8.self)
    }
}
