import Foundation
import TestSupport
import XCTest

/// The git and label commands, run as a user runs them.
extension CommandLineTests {
    func makeFixtureRepo() throws -> GitFixture {
        let repo = try GitFixture(in: dir, name: "lanterns")
        try repo.git("remote", "add", "origin", "git@gitee.com:kaiyuan-demo/lanterns.git")
        try repo.commit("init", author: "韩梅梅 Han Meimei", email: "meimei@alibaba-inc.com", date: "2024-01-10T10:00:00+08:00",
                        files: ["README.md": "灯笼\n", "LICENSE": "Apache-2.0\n"])
        try repo.commit("more", author: "Li Lei", email: "12+lilei@users.noreply.github.com", date: "2024-02-10T10:00:00+08:00",
                        files: ["a.txt": "1\n2\n"])
        return repo
    }

    func testAnalyzeAClone() throws {
        let repo = try makeFixtureRepo()
        let json = try kaiyuan(["analyze", repo.path.path, "--format", "json", "--as-of", "2024-03-01"])
        XCTAssertEqual(json.status, 0, json.err)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        XCTAssertEqual(object["repos"] as? [String], ["gitee:kaiyuan-demo/lanterns"])
        XCTAssertEqual(object["status"] as? String, "alive")
        XCTAssertEqual(object["commits"] as? Int, 2)
        XCTAssertEqual(object["licence_files"] as? [String], ["LICENSE"])
        let people = try XCTUnwrap(object["core_people"] as? [[String: Any]])
        XCTAssertEqual(people.count, 2)
        let meimei = try XCTUnwrap(people.first { ($0["name"] as? String) == "韩梅梅 Han Meimei" })
        XCTAssertEqual((meimei["affiliation"] as? [String: Any])?["value"] as? String, "Alibaba")
        XCTAssertEqual((meimei["region"] as? [String: Any])?["value"] as? String, "CN")

        let table = try kaiyuan(["analyze", repo.path.path, "--as-of", "2024-03-01"])
        XCTAssertEqual(table.status, 0, table.err)
        XCTAssertTrue(table.out.contains("ALIVE"), table.out)
        XCTAssertTrue(table.out.contains("Bus factor"), table.out)
        let html = try kaiyuan(["analyze", repo.path.path, "--format", "html"])
        XCTAssertTrue(html.out.hasPrefix("<!doctype html>") && html.out.contains("<svg"), html.out)

        let notALog = dir.appendingPathComponent("notes.txt")
        try Data("just some text\nnot a git log\n".utf8).write(to: notALog)
        let wrong = try kaiyuan(["analyze", notALog.path])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.err.contains("\(notALog.path):1:") && wrong.err.contains("no commit read"), wrong.err)

        let missing = try kaiyuan(["analyze", dir.appendingPathComponent("nowhere").path])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.err.contains("not a git repository"), missing.err)
    }

    /// The README's first command on a fresh clone: `kaiyuan analyze .` in the project itself.
    func testAnalyzeTheProjectItself() throws {
        guard FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent(".git").path) else {
            throw XCTSkip("\(packageRoot.path) is not a git clone")
        }
        let binary = packageRoot.appendingPathComponent(".build/debug/kaiyuan")
        let p = Process()
        p.executableURL = binary
        p.arguments = ["analyze", ".", "--format", "json"]
        p.currentDirectoryURL = packageRoot
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        // Counted by git itself.
        func count(_ flag: String) throws -> Int {
            let git = Process()
            git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            git.arguments = ["-C", packageRoot.path, "rev-list", "--count", flag, "HEAD"]
            let out = Pipe()
            git.standardOutput = out
            try git.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            git.waitUntilExit()
            return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        XCTAssertEqual(object["commits"] as? Int, try count("--no-merges"))
        XCTAssertEqual(object["merge_commits"] as? Int, try count("--merges"))
    }

    func testIngestGitShowRankExportAndLabels() throws {
        let repo = try makeFixtureRepo()
        let ingest = try kaiyuan(["ingest", "git", repo.path.path])
        XCTAssertEqual(ingest.status, 0, ingest.err)
        XCTAssertTrue(ingest.out.contains("gitee:kaiyuan-demo/lanterns: 2 commits read, 2 new"), ingest.out)
        let again = try kaiyuan(["ingest", "git", repo.path.path])
        XCTAssertTrue(again.out.contains("0 commits read (since the last import), 0 new"), again.out)

        let show = try kaiyuan(["show", "repo", "gitee:kaiyuan-demo/lanterns", "--format", "csv"])
        XCTAssertEqual(show.status, 0, show.err)
        XCTAssertTrue(show.out.contains("month,commits,merge_commits,authors,new_authors,lines_added,lines_deleted,co_authored_commits"), show.out)
        XCTAssertTrue(show.out.contains("2024-02,1,0,1,1,2,0,0"), show.out)

        let people = try kaiyuan(["show", "people", "gitee:kaiyuan-demo/lanterns", "--format", "csv"])
        XCTAssertTrue(people.out.contains("lilei"), people.out)

        let rank = try kaiyuan(["rank", "repos", "--by", "commits", "--period", "2024", "--format", "csv"])
        XCTAssertTrue(rank.out.contains("1,gitee:kaiyuan-demo/lanterns,2"), rank.out)
        let bad = try kaiyuan(["rank", "repos", "--by", "timezone_share"])
        XCTAssertNotEqual(bad.status, 0)

        let out = dir.appendingPathComponent("out")
        let export = try kaiyuan(["export", "opendigger", "--out", out.path])
        XCTAssertEqual(export.status, 0, export.err)
        let commits = try String(contentsOf: out.appendingPathComponent("gitee/kaiyuan-demo/lanterns/commits.json"), encoding: .utf8)
        XCTAssertEqual(commits, #"{"2024":2,"2024-01":1,"2024-02":1,"2024Q1":2}"#)
        let zones = try String(contentsOf: out.appendingPathComponent("gitee/kaiyuan-demo/lanterns/timezone_share.json"), encoding: .utf8)
        XCTAssertTrue(zones.hasPrefix(#"{"2024":{"+08:00":1}"#), zones)

        // Labels: a tiny labelled-data folder that puts the repository under a company.
        let labels = dir.appendingPathComponent("labels/companies/lanternco")
        try FileManager.default.createDirectory(at: labels, withIntermediateDirectories: true)
        try """
            name: Lantern Co
            name_zh: 灯笼公司
            type: Company
            data:
              platforms:
                - name: Gitee
                  type: Code Hosting
                  orgs:
                    - id: 1
                      name: kaiyuan-demo
            """.write(to: labels.appendingPathComponent("index.yml"), atomically: true, encoding: .utf8)
        let imported = try kaiyuan(["labels", "import", dir.appendingPathComponent("labels").path])
        XCTAssertEqual(imported.status, 0, imported.err)
        let label = try kaiyuan(["show", "label", ":companies/lanternco", "--metric", "commits", "--metric", "authors", "--format", "csv"])
        XCTAssertEqual(label.status, 0, label.err)
        XCTAssertTrue(label.out.contains("2024,2,2"), label.out)
        let ranked = try kaiyuan(["rank", "labels", "--type", "Company", "--by", "commits", "--format", "csv"])
        XCTAssertTrue(ranked.out.contains(":companies/lanternco"), ranked.out + ranked.err)
        let domain = try kaiyuan(["labels", "add-domain", "gmail.com", "--organisation", "Google"])
        XCTAssertNotEqual(domain.status, 0, "public mail is refused")
    }

    /// A server that accepts the connection and never answers: the clone ends after the
    /// low-speed limit, naming the host, and the run goes on to the next source.
    func testAServerThatNeverAnswersEndsTheClone() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        XCTAssertEqual(withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }, 0)
        XCTAssertEqual(listen(listener, 8), 0)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) } }
        let port = UInt16(bigEndian: addr.sin_port)
        // Accepts and holds every connection, silent.
        Thread.detachNewThread { var held: [Int32] = []; while true { let c = accept(listener, nil, nil); if c < 0 { return }; held.append(c) } }
        defer { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }
        setenv("KAIYUAN_GIT_LOW_SPEED_SECONDS", "2", 1)
        defer { unsetenv("KAIYUAN_GIT_LOW_SPEED_SECONDS") }
        let repo = try makeFixtureRepo()
        let started = Date()
        let r = try kaiyuan(["ingest", "git", "--db", "k.db", "--cache", dir.appendingPathComponent("cache").path,
                             "http://127.0.0.1:\(port)/silent/repo.git", repo.path.path])
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "it does not wait forever")
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.err.contains("127.0.0.1 did not answer (under 1 KB/s for 2 s)"), r.err)
        XCTAssertTrue(r.out.contains("gitee:kaiyuan-demo/lanterns: 2 commits read"), "the next source is read: \(r.out)")
    }

    func testIngestGitLogFileNeedsARepoName() throws {
        let export = try sharedData("data/gitlog/deepseek-ai__DeepSeek-V3.gitlog.gz")
        let missing = try kaiyuan(["ingest", "git", "--log-file", export.path])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.err.contains("--repo"), missing.err)
        let ok = try kaiyuan(["ingest", "git", "--log-file", export.path, "--repo", "github:deepseek-ai/DeepSeek-V3"])
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertTrue(ok.out.contains("73 commits read, 73 new, 22 merges"), ok.out)
    }
}
