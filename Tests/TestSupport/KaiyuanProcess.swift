import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// The built `kaiyuan` binary, run as a user runs it.
public enum KaiyuanBinary {
    public static var url: URL { packageRoot.appendingPathComponent(".build/debug/kaiyuan") }

    public static func require() throws -> URL {
        guard FileManager.default.isExecutableFile(atPath: url.path) else { throw XCTSkip("\(url.path) is not built; `swift build` first") }
        return url
    }

    /// Runs to the end; output and errors go to files so a large output never blocks.
    @discardableResult
    public static func run(_ args: [String], in dir: URL) throws -> (status: Int32, out: String, err: String) {
        try runProcess(try require(), args, in: dir)
    }
}

/// Runs a program to the end, in `dir` when given; its output and errors go through files, so
/// a large output never blocks it.
@discardableResult
public func runProcess(_ executable: URL, _ args: [String], in dir: URL? = nil) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = executable
    p.arguments = args
    if let dir { p.currentDirectoryURL = dir }
    let tmp = FileManager.default.temporaryDirectory
    let outURL = tmp.appendingPathComponent("kaiyuan-\(UUID().uuidString).out"), errURL = tmp.appendingPathComponent("kaiyuan-\(UUID().uuidString).err")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
    p.standardOutput = try FileHandle(forWritingTo: outURL)
    p.standardError = try FileHandle(forWritingTo: errURL)
    try p.run()
    p.waitUntilExit()
    return (p.terminationStatus, (try? String(contentsOf: outURL, encoding: .utf8)) ?? "", (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
}

/// `kaiyuan serve --port 0` in a child process, and HTTP requests to it on 127.0.0.1.
public final class ServedKaiyuan: @unchecked Sendable {
    public let process = Process()
    public private(set) var port = 0
    public var base: URL { URL(string: "http://127.0.0.1:\(port)")! }

    public init(db: String, in dir: URL) throws {
        process.executableURL = try KaiyuanBinary.require()
        process.arguments = ["serve", "--db", db, "--port", "0"]
        process.currentDirectoryURL = dir
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line names the port.
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
              let port = Int(text[range].split(separator: ":").last ?? "") else {
            process.terminate()
            throw NSError(domain: "serve", code: 1, userInfo: [NSLocalizedDescriptionKey: "kaiyuan serve did not say its port: \(text)"])
        }
        self.port = port
    }

    deinit { stop() }

    public func stop() {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
    }

    public struct Reply: Sendable {
        public var status: Int
        public var body: Data
        public var headers: [String: String]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// One GET (no cache), with optional request headers.
    public func get(_ path: String, headers: [String: String] = [:], timeout: TimeInterval = 30, method: String = "GET") throws -> Reply {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<Reply, Error> = .failure(URLError(.timedOut))
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            if let error { result = .failure(error) }
            else if let http = response as? HTTPURLResponse {
                var h: [String: String] = [:]
                for (k, v) in http.allHeaderFields { h[String(describing: k).lowercased()] = String(describing: v) }
                result = .success(Reply(status: http.statusCode, body: data ?? Data(), headers: h))
            }
            done.signal()
        }
        task.resume()
        _ = done.wait(timeout: .now() + timeout + 5)
        return try result.get()
    }

    /// GETs until the answer is no longer 202 (background work finished).
    public func getReady(_ path: String, within seconds: TimeInterval = 120) throws -> Reply {
        let end = Date().addingTimeInterval(seconds)
        var reply = try get(path)
        while reply.status == 202 && Date() < end {
            Thread.sleep(forTimeInterval: 0.2)
            reply = try get(path)
        }
        return reply
    }
}

/// Headless Chromium (Debian's `chromium`): pages loaded in a real browser.
public enum HeadlessBrowser {
    public static func executable() throws -> String {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("chromium is not installed, and CI=true requires it (.ci/run installs it)")
        }
        throw XCTSkip("chromium is not installed (Debian: apt-get install chromium); browser tests skipped")
    }

    static func run(_ args: [String]) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try executable())
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("kaiyuan-chromium-\(UUID().uuidString)")
        // No background traffic: the tests reach only file:// and 127.0.0.1.
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                       "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                       "--user-data-dir=\(profile.path)", "--virtual-time-budget=3000"] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try? FileManager.default.removeItem(at: profile)
        return data
    }

    /// The page's DOM after the browser has loaded and laid it out.
    public static func dom(_ url: String) throws -> String { String(decoding: try run(["--dump-dom", url]), as: UTF8.self) }

    /// A PNG of the page.
    public static func screenshot(_ url: String, to file: URL, width: Int = 1280, height: Int = 2400) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = try run(["--screenshot=\(file.path)", "--window-size=\(width),\(height)", url])
    }
}
