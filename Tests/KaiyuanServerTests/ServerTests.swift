import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import XCTest

/// `kaiyuan report` and `kaiyuan serve` on a store built the way a user builds one: the
/// shipped GH Archive fixtures, real git histories made here, a small labelled-data folder.
final class ServerTests: XCTestCase {
    var dir: URL!
    var db: String { dir.appendingPathComponent("k.db").path }

    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory()
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("Tests/Fixtures/gharchive").path)
            .filter { $0.hasSuffix(".json.gz") }.sorted().map { packageRoot.appendingPathComponent("Tests/Fixtures/gharchive/\($0)").path }
        try check(KaiyuanBinary.run(["ingest", "gharchive", "--db", db] + fixtures, in: dir))
        // A history for a GitHub repository that has events, and one on Gitee.
        let observatory = try GitFixture(in: dir, name: "observatory")
        try observatory.git("remote", "add", "origin", "https://github.com/kaiyuan-demo/observatory.git")
        try observatory.commit("init", author: "韩梅梅 Han Meimei", email: "meimei@alibaba-inc.com", date: "2024-03-02T10:00:00+08:00",
                               files: ["README.md": "观测台\n", "LICENSE": "MIT\n"])
        try observatory.commit("scan", author: "Li Lei", email: "7+lilei@users.noreply.github.com", date: "2024-04-11T10:00:00+08:00",
                               files: ["scan.swift": "let x = 1\n"])
        let lanterns = try GitFixture(in: dir, name: "lanterns")
        try lanterns.git("remote", "add", "origin", "https://gitee.com/kaiyuan-demo/lanterns.git")
        try lanterns.commit("灯", author: "Wang Xiaoming", email: "xm@huawei.com", date: "2024-05-01T09:00:00+08:00", files: ["a": "1\n"])
        try check(KaiyuanBinary.run(["ingest", "git", "--db", db, observatory.path.path, lanterns.path.path], in: dir))
        let labels = dir.appendingPathComponent("labels")
        try FileManager.default.createDirectory(at: labels.appendingPathComponent("companies/demo"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: labels.appendingPathComponent("divisions/CN"), withIntermediateDirectories: true)
        try """
            name: Demo Labs
            name_zh: 示例实验室
            type: Company
            data:
              platforms:
                - name: GitHub
                  type: Code Hosting
                  orgs:
                    - id: 1
                      name: kaiyuan-demo
                - name: Gitee
                  type: Code Hosting
                  orgs:
                    - id: 2
                      name: kaiyuan-demo
            """.write(to: labels.appendingPathComponent("companies/demo/index.yml"), atomically: true, encoding: .utf8)
        try """
            name: China
            name_zh: 中国
            type: Division-0
            meta:
              alpha2: CN
            data:
              labels:
                - ':companies/demo'
            """.write(to: labels.appendingPathComponent("divisions/CN/index.yml"), atomically: true, encoding: .utf8)
        try check(KaiyuanBinary.run(["labels", "import", "--db", db, labels.path], in: dir))
        try check(KaiyuanBinary.run(["compute", "openrank", "--db", db], in: dir))
        // Two monthly Hub snapshots of the demo lab's models, and a derivative by someone else.
        for (date, downloads) in [("2024-05-31", 100), ("2024-06-30", 250)] {
            let file = dir.appendingPathComponent("hub-\(date).jsonl")
            try """
                {"id":"kaiyuan-demo-ai/tiny-zh","author":"kaiyuan-demo-ai","createdAt":"2024-05-02T00:00:00.000Z","downloads":\(downloads),"downloadsAllTime":\(downloads * 3),"likes":7,"tags":["license:apache-2.0","zh"],"pipeline_tag":"text-generation","safetensors":{"total":1500000000}}
                {"id":"kaiyuan-demo-ai/tiny-zh-chat","author":"kaiyuan-demo-ai","createdAt":"2024-05-20T00:00:00.000Z","downloads":\(downloads / 2),"likes":1,"tags":["license:other","base_model:finetune:kaiyuan-demo-ai/tiny-zh"],"cardData":{"license_name":"tongyi-qianwen"},"gated":"auto"}
                {"id":"someone/tiny-zh-GGUF","author":"someone","downloads":9,"likes":0,"tags":["base_model:quantized:kaiyuan-demo-ai/tiny-zh"]}

                """.write(to: file, atomically: true, encoding: .utf8)
            try check(KaiyuanBinary.run(["ingest", "huggingface", "--db", db, "--models-file", file.path, "--as-of", date], in: dir))
        }
        try check(KaiyuanBinary.run(["labels", "add-hub-org", "--db", db, "kaiyuan-demo-ai", "--label", ":companies/demo"], in: dir))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func check(_ r: (status: Int32, out: String, err: String), file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, 0, r.err + r.out, file: file, line: line)
    }

    /// Every file `kaiyuan export opendigger` writes is served at the same path with the same bytes.
    func testJSONLayoutMatchesTheExportFileByFile() throws {
        let out = dir.appendingPathComponent("export")
        try check(KaiyuanBinary.run(["export", "opendigger", "--db", db, "--out", out.path], in: dir))
        let server = try ServedKaiyuan(db: db, in: dir)
        defer { server.stop() }
        let files = FileManager.default.enumerator(atPath: out.path)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".json") || $0.hasSuffix("_list.csv") }.sorted()
        XCTAssertTrue(files.contains("github/repo_list.csv") && files.contains("github/user_list.csv"))
        XCTAssertTrue(files.contains("github/kaiyuan-demo/observatory/activity.json"))
        XCTAssertTrue(files.contains("github/kaiyuan-demo/observatory/commits.json"), "git metrics beside the event metrics")
        XCTAssertTrue(files.contains("gitee/kaiyuan-demo/lanterns/commits.json"))
        XCTAssertTrue(files.contains("labels/companies/demo/activity.json"))
        XCTAssertTrue(files.contains("huggingface/model_list.csv"))
        // §12: meta.json beside activity, labels by type order then id; the root lists by OpenRank.
        let meta = try String(contentsOf: out.appendingPathComponent("github/kaiyuan-demo/observatory/meta.json"), encoding: .utf8)
        XCTAssertTrue(meta.hasPrefix(#"{"updatedAt":"#) && meta.contains(#","type":"repo","id":"#), meta)
        XCTAssertTrue(meta.hasSuffix(#","labels":[{"id":":divisions/CN","name":"China","type":"Division-0"},{"id":":companies/demo","name":"Demo Labs","type":"Company"}]}"#), meta)
        let rootList = try String(contentsOf: out.appendingPathComponent("repo_list.csv"), encoding: .utf8)
        XCTAssertTrue(rootList.hasPrefix("id,platform,repo_name\n"), rootList)
        XCTAssertTrue(rootList.contains(",github,kaiyuan-demo/observatory\n"), rootList)
        XCTAssertTrue(files.contains("repo_list.csv") && files.contains("user_list.csv"))
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("huggingface/kaiyuan-demo-ai/tiny-zh/downloads.json"), encoding: .utf8),
                       #"{"2024":250,"2024-05":100,"2024-06":250,"2024Q2":250}"#)
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("huggingface/kaiyuan-demo-ai/tiny-zh/derivatives.json"), encoding: .utf8),
                       #"{"2024":2,"2024-05":2,"2024-06":2,"2024Q2":2}"#)
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("huggingface/kaiyuan-demo-ai/tiny-zh-chat/licence.json"), encoding: .utf8),
                       #"{"id":"tongyi-qianwen","kind":"open-weight-restricted","osi":false,"evidence":"license:other, card license_name tongyi-qianwen"}"#)
        XCTAssertFalse(files.contains("huggingface/kaiyuan-demo-ai/tiny-zh-chat/downloads_all_time.json"), "never given: no file")
        XCTAssertTrue(files.contains { $0.hasPrefix("github/") && $0.split(separator: "/").count == 3 }, "developer files")
        for file in files {
            let reply = try server.getReady("/" + file)
            XCTAssertEqual(reply.status, 200, file)
            XCTAssertEqual(reply.text, try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8), file)
        }
    }

    func testAPIRanksSearchValidationAndCaching() throws {
        let server = try ServedKaiyuan(db: db, in: dir)
        defer { server.stop() }
        let rank = try server.getReady("/api/v1/rank/repos?by=activity&period=2024&top=2")
        XCTAssertEqual(rank.status, 200, rank.text)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: rank.body) as? [String: Any])
        XCTAssertEqual(object["period"] as? String, "2024")
        XCTAssertEqual((object["items"] as? [[String: Any]])?.count, 2)
        // The same answer as the command line.
        let cli = try KaiyuanBinary.run(["rank", "repos", "--db", db, "--by", "activity", "--period", "2024", "--top", "2", "--format", "csv"], in: dir)
        let names = (object["items"] as! [[String: Any]]).map { $0["name"] as! String }
        XCTAssertEqual(cli.out.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[1]) }, names)

        let git = try server.getReady("/api/v1/rank/repos?by=commits&period=2024")
        XCTAssertTrue(git.text.contains("gitee:kaiyuan-demo/lanterns"), git.text)
        let labels = try server.getReady("/api/v1/rank/labels?type=Company&by=activity&period=2024")
        XCTAssertTrue(labels.text.contains(":companies/demo"), labels.text)
        let models = try server.getReady("/api/v1/rank/repos?by=hf_downloads")
        XCTAssertTrue(models.text.contains(#""period":"2024-06","items":[{"rank":1,"name":"huggingface:kaiyuan-demo-ai/tiny-zh","value":250}"#), models.text)
        let labs = try server.getReady("/api/v1/rank/labels?type=Company&by=hf_downloads&period=2024-05")
        XCTAssertTrue(labs.text.contains(#"{"rank":1,"name":":companies/demo","value":150}"#), labs.text)
        let devs = try server.getReady("/api/v1/rank/devs?by=activity&period=2024")
        XCTAssertEqual(devs.status, 200)

        let search = try server.get("/api/v1/search?q=kaiyuan")
        XCTAssertEqual(search.status, 200)
        XCTAssertTrue(search.text.contains("kaiyuan-demo/observatory"), search.text)
        // A form's query: `+` is a space, `%2B` a plus.
        XCTAssertTrue(try server.get("/api/v1/search?q=kaiyuan+demo").text.contains(#""q":"kaiyuan demo""#))
        XCTAssertTrue(try server.get("/api/v1/search?q=a%2Bb").text.contains(#""q":"a+b""#))
        // Input is data, never SQL or a path.
        let injection = try server.get("/api/v1/search?q=%25'%20OR%201%3D1%20--")
        XCTAssertEqual(injection.status, 200)
        XCTAssertTrue(injection.text.contains("\"repositories\":[]"), injection.text)
        for bad in ["/api/v1/rank/repos?by=drop%20table", "/api/v1/rank/repos?period=2024Q9", "/api/v1/rank/repos?top=100000",
                    "/api/v1/search?q=", "/api/v1/search?q=a&limit=5000"] {
            XCTAssertEqual(try server.get(bad).status, 400, bad)
        }
        // Well-formed but naming nothing: 404, as the OpenAPI description says.
        XCTAssertEqual(try server.get("/api/v1/rank/labels?type=Nope").status, 404)
        // The server only reads: other methods are 405 with Allow, on any path.
        let head = try server.get("/api/v1/status", method: "HEAD")
        XCTAssertEqual(head.status, 200, "HEAD answers as GET does")
        XCTAssertEqual(head.body.count, 0)
        let trace = try server.get("/api/v1/status", method: "TRACE")
        XCTAssertEqual(trace.status, 405)
        XCTAssertEqual(trace.headers["allow"], "GET, HEAD")
        XCTAssertEqual(try server.get("/github/kaiyuan-demo/observatory/..%2F..%2Fetc.json").status, 400)
        XCTAssertEqual(try server.get("/github/nobody/nothing/activity.json").status, 404)

        // Caching: an ETag that holds until the data changes.
        let first = try server.get("/github/kaiyuan-demo/observatory/activity.json")
        let tag = try XCTUnwrap(first.headers["etag"])
        XCTAssertTrue(first.headers["cache-control"]?.contains("max-age") ?? false)
        XCTAssertEqual(try server.get("/github/kaiyuan-demo/observatory/activity.json", headers: ["If-None-Match": tag]).status, 304)

        let spec = try server.get("/openapi.yaml")
        XCTAssertEqual(spec.status, 200)
        for path in ["/api/v1/rank/repos:", "/api/v1/search:", "/github/{owner}/{repo}/{file}:", "/labels/{path}/{file}:"] {
            XCTAssertTrue(spec.text.contains(path), path)
        }
    }

    /// Bounded load on 127.0.0.1 while an import writes to the same store: no errors, answers in time.
    func testConcurrentRequestsWhileAnImportRuns() throws {
        let server = try ServedKaiyuan(db: db, in: dir)
        defer { server.stop() }
        let sample = try sharedData("data/gharchive/2021-07-21-06_09.sample.json.gz")
        // A second, larger file to import while requests run.
        let extra = (0..<60_000).map { i in
            EventJSON.watch(actor: (Int64(10_000 + i), "w\(i)"), repo: (Int64(500 + i % 300), "load/repo\(i % 300)"), at: "2024-06-0\(1 + i % 9)T10:00:00Z")
        }
        let extraFile = try writeEventFile(extra, to: dir.appendingPathComponent("stars-2024-06.json.gz"))
        let importer = Process()
        importer.executableURL = try KaiyuanBinary.require()
        importer.arguments = ["ingest", "gharchive", "--db", db, sample.path, extraFile.path]
        importer.standardOutput = FileHandle.nullDevice
        importer.standardError = FileHandle.nullDevice
        try importer.run()

        let paths = ["/github/kaiyuan-demo/observatory/activity.json", "/api/v1/search?q=kai", "/api/v1/status",
                     "/projects/github/kaiyuan-demo/observatory", "/api/v1/rank/repos?by=stars", "/", "/openapi.yaml",
                     "/gitee/kaiyuan-demo/lanterns/commits.json", "/labels/companies/demo/stars.json"]
        let lock = NSLock()
        nonisolated(unsafe) var statuses: [Int: Int] = [:]
        nonisolated(unsafe) var failures: [String] = []
        nonisolated(unsafe) var slowest = 0.0
        // Four clients, each asking again and again until the import has finished (and at
        // least 60 times): the requests overlap the import's transactions.
        nonisolated(unsafe) var duringImport = 0
        DispatchQueue.concurrentPerform(iterations: 4) { client in
            var i = 0
            while i < 60 || importer.isRunning {
                let path = paths[(i + client) % paths.count]
                let running = importer.isRunning
                let start = Date()
                do {
                    let reply = try server.get(path, timeout: 20)
                    let took = Date().timeIntervalSince(start)
                    lock.lock(); statuses[reply.status, default: 0] += 1; slowest = max(slowest, took); if running { duringImport += 1 }; lock.unlock()
                    if reply.status >= 500 { lock.lock(); failures.append("\(path): \(reply.status) \(reply.text.prefix(200))"); lock.unlock() }
                } catch {
                    lock.lock(); failures.append("\(path): \(error)"); lock.unlock()
                }
                i += 1
            }
        }
        importer.waitUntilExit()
        XCTAssertEqual(importer.terminationStatus, 0, "the import beside the server succeeds")
        XCTAssertEqual(failures, [])
        XCTAssertGreaterThanOrEqual(statuses.values.reduce(0, +), 240)
        XCTAssertGreaterThan(duringImport, 0, "some requests ran while the import was writing")
        XCTAssertTrue(Set(statuses.keys).isSubset(of: [200, 202, 304, 404]), "\(statuses)")
        XCTAssertLessThan(slowest, 10, "no request waits on the import or on a whole-store job")
        // Afterwards the new data is served.
        XCTAssertEqual(try server.getReady("/github/load/repo1/stars.json").status, 200)
    }

    /// schemathesis against `/openapi.yaml`: every request the description allows is answered
    /// as it says (no undocumented status, no valid request refused, 405 for other methods).
    func testTheServerKeepsItsOpenAPIDescription() throws {
        let st = ["/usr/local/bin/st", "/root/.pyenv/shims/st", "/usr/bin/st"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map { "\($0)/st" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let st else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("schemathesis (st) is missing; .ci/run installs it") }
            throw XCTSkip("schemathesis is not installed (pip install schemathesis): skipped")
        }
        let server = try ServedKaiyuan(db: db, in: dir)
        defer { server.stop() }
        XCTAssertEqual(try server.getReady("/api/v1/rank/repos?by=activity").status, 200)
        let r = try runProcess(URL(fileURLWithPath: st), ["run", server.base.absoluteString + "/openapi.yaml", "--checks", "all",
                                                          "--max-examples", "25", "--seed", "7", "--no-color"], in: dir)
        XCTAssertEqual(r.status, 0, String((r.out + r.err).suffix(3000)))
    }

    /// Idle connections and a slowloris trickling its headers are closed after the idle
    /// timeout; a real request on a fresh connection is still answered.
    func testIdleAndSlowConnectionsAreClosed() throws {
        setenv("KAIYUAN_SERVER_IDLE_SECONDS", "2", 1)
        defer { unsetenv("KAIYUAN_SERVER_IDLE_SECONDS") }
        let server = try ServedKaiyuan(db: db, in: dir)
        defer { server.stop() }
        func connect() -> Int32 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = UInt16(server.port).bigEndian
            _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            var tv = timeval(tv_sec: 8, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            return fd
        }
        let idle = (0..<10).map { _ in connect() }
        let slow = (0..<5).map { _ in connect() }
        // The slow ones send a header line a byte at a time, never finishing it.
        let partial = Array("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8)
        let started = Date()
        for i in 0..<12 {
            for fd in slow { _ = partial[min(i, partial.count - 1)...min(i, partial.count - 1)].withUnsafeBufferPointer { send(fd, $0.baseAddress, 1, Int32(MSG_NOSIGNAL)) } }
            Thread.sleep(forTimeInterval: 0.4)
        }
        var buffer = [UInt8](repeating: 0, count: 64)
        for fd in idle + slow {
            let n = recv(fd, &buffer, buffer.count, 0)
            XCTAssertEqual(n, 0, "closed by the server, not timed out by the client")
            close(fd)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 12)
        XCTAssertEqual(try server.get("/healthz").status, 200)
    }

    func testGracefulShutdownOnSIGTERM() throws {
        let server = try ServedKaiyuan(db: db, in: dir)
        XCTAssertEqual(try server.get("/healthz").text, "ok")
        kill(server.process.processIdentifier, SIGTERM)
        let end = Date().addingTimeInterval(10)
        while server.process.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertFalse(server.process.isRunning, "stopped within 10 s")
        XCTAssertEqual(server.process.terminationStatus, 0)
    }

    /// The static report and the served pages in headless Chromium: charts are there and drawn.
    func testReportAndDashboardInAHeadlessBrowser() throws {
        _ = try HeadlessBrowser.executable()
        let site = dir.appendingPathComponent("site")
        try check(KaiyuanBinary.run(["report", "--db", db, "--out", site.path, "--period", "2024"], in: dir))
        let shots = packageRoot.appendingPathComponent(".build/screenshots")
        let index = try HeadlessBrowser.dom(site.appendingPathComponent("index.html").absoluteString)
        try assertCharts(index, atLeast: 3, "static index")
        XCTAssertTrue(index.contains("示例实验室"), "Chinese label names reach the page")
        XCTAssertTrue(index.contains("AI open source") && index.contains("Labs by Hub downloads"), "the Hub section with its charts")
        XCTAssertTrue(index.contains("kaiyuan-demo-ai"), "the lab's Hub organisation is named")
        XCTAssertTrue(index.contains("kaiyuan-demo/observatory"))
        let projectFile = site.appendingPathComponent("projects/kaiyuan-demo__observatory.html")
        let project = try HeadlessBrowser.dom(projectFile.absoluteString)
        try assertCharts(project, atLeast: 3, "static project page")
        XCTAssertTrue(project.contains("Git authors by organisation") && project.contains("Alibaba"), "git authors by organisation, from the email domain")
        try HeadlessBrowser.screenshot(site.appendingPathComponent("index.html").absoluteString, to: shots.appendingPathComponent("report-index.png"))
        try HeadlessBrowser.screenshot(projectFile.absoluteString, to: shots.appendingPathComponent("report-project.png"))
        for png in ["report-index.png", "report-project.png"] {
            let size = (try FileManager.default.attributesOfItem(atPath: shots.appendingPathComponent(png).path)[.size] as? Int) ?? 0
            XCTAssertGreaterThan(size, 10_000, png)
        }

        let server = try ServedKaiyuan(db: db, in: dir)
        defer { server.stop() }
        XCTAssertEqual(try server.getReady("/?period=2024").status, 200)
        let live = try HeadlessBrowser.dom(server.base.absoluteString + "/?period=2024")
        try assertCharts(live, atLeast: 3, "served overview")
        XCTAssertTrue(live.contains("/projects/github/kaiyuan-demo/observatory"), "links to the project pages")
        let livePage = try HeadlessBrowser.dom(server.base.absoluteString + "/projects/github/kaiyuan-demo/observatory?period=2024")
        try assertCharts(livePage, atLeast: 3, "served project page")
        try HeadlessBrowser.screenshot(server.base.absoluteString + "/?period=2024", to: shots.appendingPathComponent("served-index.png"))

        let md = dir.appendingPathComponent("report.md")
        try check(KaiyuanBinary.run(["report", "--db", db, "--out", md.path, "--format", "md", "--period", "2024"], in: dir))
        let text = try String(contentsOf: md, encoding: .utf8)
        XCTAssertTrue(text.contains("## Top projects by activity"), text.prefix(400).description)
        XCTAssertTrue(text.contains("示例实验室"), "Chinese label names in the Markdown too")
        XCTAssertTrue(text.contains("| kaiyuan-demo/observatory |"), "projects as table rows")
    }

    /// The report on real data nobody here wrote: the GH Archive sample, OpenDigger's labels
    /// and nacos's history, looked at in the browser.
    func testReportOnTheRealSharedData() throws {
        _ = try HeadlessBrowser.executable()
        let real = dir.appendingPathComponent("real.db").path
        try check(KaiyuanBinary.run(["ingest", "gharchive", "--db", real, try sharedData("data/gharchive/2021-07-21-06_09.sample.json.gz").path], in: dir))
        try check(KaiyuanBinary.run(["labels", "import", "--db", real, try sharedData("data/labels").path], in: dir))
        try check(KaiyuanBinary.run(["ingest", "git", "--db", real, "--repo", "github:alibaba/nacos", "--log-file",
                                     try sharedData("data/gitlog/alibaba__nacos.gitlog.gz").path], in: dir))
        try check(KaiyuanBinary.run(["compute", "openrank", "--db", real], in: dir))
        let site = dir.appendingPathComponent("real-site")
        try check(KaiyuanBinary.run(["report", "--db", real, "--out", site.path, "--period", "2021-07"], in: dir))
        let index = try HeadlessBrowser.dom(site.appendingPathComponent("index.html").absoluteString)
        try assertCharts(index, atLeast: 4, "real-data index")
        // A one-month report and the year's report agree on that month's activity (summed once).
        let yearSite = dir.appendingPathComponent("real-year")
        try check(KaiyuanBinary.run(["report", "--db", real, "--out", yearSite.path, "--period", "2021", "--format", "md"], in: dir))
        let monthMD = dir.appendingPathComponent("real-month.md")
        try check(KaiyuanBinary.run(["report", "--db", real, "--out", monthMD.path, "--period", "2021-07", "--format", "md"], in: dir))
        func totalActivity(_ md: String) -> String? {
            md.split(separator: "\n").first { $0.hasPrefix("| 800 |") }.map { String($0.split(separator: "|")[3]).trimmingCharacters(in: .whitespaces) }
        }
        let yearActivity = totalActivity(try String(contentsOf: yearSite, encoding: .utf8))
        XCTAssertNotNil(yearActivity)
        XCTAssertEqual(yearActivity, totalActivity(try String(contentsOf: monthMD, encoding: .utf8)))
        XCTAssertTrue(index.contains(":companies/"), "companies from OpenDigger's labels")
        XCTAssertTrue(index.contains("中国") || index.contains("美国"), "country names in Chinese beside English")
        try HeadlessBrowser.screenshot(site.appendingPathComponent("index.html").absoluteString,
                                       to: packageRoot.appendingPathComponent(".build/screenshots/real-report-index.png"))
        let server = try ServedKaiyuan(db: real, in: dir)
        defer { server.stop() }
        let page = try server.getReady("/projects/github/alibaba/nacos?period=2021")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("Git authors by organisation") && page.text.contains("Alibaba"), "nacos's git history on its page")
        let dom = try HeadlessBrowser.dom(server.base.absoluteString + "/projects/github/alibaba/nacos?period=2021")
        try assertCharts(dom, atLeast: 5, "nacos page")
    }

    /// An SVG chart counts when the browser kept it with drawn content (a line, bars or dots).
    func assertCharts(_ dom: String, atLeast n: Int, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let charts = dom.components(separatedBy: "<svg").dropFirst().filter { chunk in
            let body = chunk.components(separatedBy: "</svg>").first ?? ""
            return body.contains("<polyline points=\"") || body.contains("<rect") || body.contains("<circle")
        }
        XCTAssertGreaterThanOrEqual(charts.count, n, "\(what): \(charts.count) drawn charts", file: file, line: line)
    }
}
