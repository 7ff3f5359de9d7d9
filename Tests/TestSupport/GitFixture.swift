import Foundation

/// A real git repository made with `git init` in a test's folder, with commits whose authors,
/// dates and files the test chooses.
public final class GitFixture {
    public let path: URL

    public init(in dir: URL, name: String = "repo") throws {
        path = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
        try git("config", "user.name", "Fixture Committer")
        try git("config", "user.email", "committer@fixture.test")
        try git("config", "commit.gpgsign", "false")
    }

    /// Writes `files` (path → content; nil deletes) and commits them as `author <email>` at `date`
    /// (ISO 8601 with offset). Returns the new commit's sha.
    @discardableResult
    public func commit(_ subject: String, author: String, email: String, date: String,
                       files: [String: String?], coAuthors: [String] = []) throws -> String {
        for (name, content) in files {
            let url = path.appendingPathComponent(name)
            if let content {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(content.utf8).write(to: url)
                try git("add", name)
            } else {
                try git("rm", "-q", name)
            }
        }
        var message = subject
        if !coAuthors.isEmpty { message += "\n\n" + coAuthors.map { "Co-authored-by: \($0)" }.joined(separator: "\n") }
        try git(["commit", "-q", "--allow-empty", "-m", message],
                env: ["GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
        return try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Merges `branch` into the current branch with a merge commit.
    @discardableResult
    public func merge(_ branch: String, author: String, email: String, date: String) throws -> String {
        try git(["merge", "-q", "--no-ff", "-m", "Merge \(branch)", branch],
                env: ["GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
        return try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    public func git(_ args: String...) throws -> String { try git(args) }

    @discardableResult
    public func git(_ args: [String], env: [String: String] = [:]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        p.arguments = ["-C", path.path] + args
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        p.environment = environment
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw NSError(domain: "git", code: Int(p.terminationStatus), userInfo: [NSLocalizedDescriptionKey: "git \(args.joined(separator: " ")) failed"])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
