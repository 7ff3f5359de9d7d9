import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The one way kaiyuan talks to the web (GH Archive, forge APIs, the model hub): retries with
/// back-off on network errors and 5xx, waits out rate limits (429, or 403 with an exhausted
/// quota) as long as the server asks and no longer than `maxRateLimitWait`, resumes downloads
/// with `Range`, and follows pages (`Link: <…>; rel="next"`, or Gitee's `total_page`). Every
/// failure names its URL.
public struct HTTPClient: Sendable {
    public var retries: Int
    public var initialBackoff: Double
    public var timeout: Double
    /// The longest a rate limit is waited out in one go; beyond it the request fails and says so.
    public var maxRateLimitWait: Double
    /// Sent with every request (`Authorization`, `User-Agent`).
    public var headers: [String: String]

    public init(retries: Int = 4, initialBackoff: Double = 1, timeout: Double = 120, maxRateLimitWait: Double = 900,
                headers: [String: String] = ["User-Agent": "kaiyuan"]) {
        self.retries = retries
        self.initialBackoff = initialBackoff
        self.timeout = timeout
        self.maxRateLimitWait = maxRateLimitWait
        self.headers = headers
    }

    public struct Response: Sendable {
        public var url: URL
        public var status: Int
        /// Header names lower-cased.
        public var headers: [String: String]
        public var body: Data

        public func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case notFound(URL)
        case failed(URL, String)

        public var description: String {
            switch self {
            case let .notFound(url): "\(HTTPClient.shown(url)): not found (HTTP 404)"
            case let .failed(url, why): "\(HTTPClient.shown(url)): \(why)"
            }
        }
    }

    /// A URL as messages show it: an `access_token` in its query (Gitee's way) is hidden.
    public static func shown(_ url: URL) -> String {
        guard var parts = URLComponents(url: url, resolvingAgainstBaseURL: false),
              let items = parts.queryItems, items.contains(where: { $0.name == "access_token" }) else { return url.absoluteString }
        parts.queryItems = items.map { $0.name == "access_token" ? URLQueryItem(name: $0.name, value: "…") : $0 }
        return parts.url?.absoluteString ?? url.absoluteString
    }

    enum Attempt {
        case done(Response)
        case notFound
        /// Worth another try after `after` seconds (nil: the usual back-off).
        case transient(String, after: Double?)
        /// The server's quota is used up: wait `after` seconds (nil: the usual back-off).
        case rateLimited(String, after: Double?)
        case permanent(String)
    }

    /// What a response means for a retry loop.
    func classify(_ r: Response) -> Attempt {
        switch r.status {
        case 200..<300: return .done(r)
        case 404, 410: return .notFound
        case 429: return .rateLimited("HTTP 429 (rate limited)", after: rateLimitWait(r))
        case 403 where r.header("x-ratelimit-remaining") == "0" || r.header("retry-after") != nil:
            return .rateLimited("HTTP 403 (rate limit reached)", after: rateLimitWait(r))
        case 500...: return .transient("HTTP \(r.status)", after: r.header("retry-after").flatMap(Double.init))
        default:
            let text = String(decoding: r.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return .permanent("HTTP \(r.status)\(text.isEmpty ? "" : ": \(text)")")
        }
    }

    /// Seconds to wait before the next try: `Retry-After`, else until `X-RateLimit-Reset`.
    func rateLimitWait(_ r: Response) -> Double? {
        if let s = r.header("retry-after").flatMap(Double.init) { return s }
        if let reset = r.header("x-ratelimit-reset").flatMap(Double.init) { return max(0, reset - Date().timeIntervalSince1970) }
        return nil
    }

    /// Runs `attempt` until it succeeds, fails for good, or the retries are used up. A rate
    /// limit's wait does not use up a retry, but one longer than `maxRateLimitWait` fails.
    func withRetries<T>(_ url: URL, _ attempt: () async -> (Attempt, T?)) async throws -> T {
        var tries = 0
        var last = ""
        var rateLimitWaited = 0.0
        while true {
            let (outcome, value) = await attempt()
            switch outcome {
            case .done: if let value { return value }
                throw Failure.failed(url, "no answer")
            case .notFound: throw Failure.notFound(url)
            case let .permanent(why): throw Failure.failed(url, why)
            case let .rateLimited(why, after?):
                // One wait at most `maxRateLimitWait`, and all of them together at most four times that.
                guard after <= maxRateLimitWait, rateLimitWaited + after <= 4 * maxRateLimitWait else {
                    throw Failure.failed(url, "\(why): the server asks to wait \(Int(after)) s more after \(Int(rateLimitWaited)) s, past the \(Int(maxRateLimitWait)) s allowed; try later, or pass a token")
                }
                rateLimitWaited += after
                try? await Task.sleep(nanoseconds: UInt64(max(after, 0.01) * 1e9))
            case let .transient(why, after), let .rateLimited(why, after):
                last = why
                tries += 1
                guard tries <= retries else { throw Failure.failed(url, "\(last) (gave up after \(tries) tries)") }
                let backoff = after ?? initialBackoff * pow(2, Double(tries - 1))
                try? await Task.sleep(nanoseconds: UInt64(backoff * 1e9))
            }
        }
    }

    /// GET into memory.
    public func get(_ url: URL, headers extra: [String: String] = [:]) async throws -> Response {
        try await withRetries(url) {
            var request = URLRequest(url: url, timeoutInterval: timeout)
            for (k, v) in headers.merging(extra, uniquingKeysWith: { $1 }) { request.setValue(v, forHTTPHeaderField: k) }
            do {
                let (data, response) = try await URLSession.shared.data(for: request)
                let http = response as? HTTPURLResponse
                var fields: [String: String] = [:]
                for (k, v) in http?.allHeaderFields ?? [:] { fields[String(describing: k).lowercased()] = String(describing: v) }
                let r = Response(url: url, status: http?.statusCode ?? 0, headers: fields, body: data)
                let outcome = classify(r)
                if case .done = outcome { return (outcome, r) }
                return (outcome, nil)
            } catch {
                return (.transient(error.localizedDescription, after: nil), nil)
            }
        }
    }

    /// Every page of a paged listing, in order: `Link: <…>; rel="next"` where the server sends
    /// it, else `page=N+1` while N < `total_page` (Gitee's v5 API).
    public func pages(_ first: URL, headers extra: [String: String] = [:], _ body: (Response) throws -> Void) async throws {
        var next: URL? = first
        var seen = Set<URL>()
        while let url = next, seen.insert(url).inserted {
            let r = try await get(url, headers: extra)
            try body(r)
            next = Self.nextPage(after: r)
        }
    }

    static func nextPage(after r: Response) -> URL? {
        if let link = r.header("link") {
            for part in link.split(separator: ",") where part.contains("rel=\"next\"") {
                if let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">"), open < close {
                    return URL(string: String(part[part.index(after: open)..<close]), relativeTo: r.url)?.absoluteURL
                }
            }
            return nil
        }
        guard let total = r.header("total_page").flatMap(Int.init),
              var parts = URLComponents(url: r.url, resolvingAgainstBaseURL: false) else { return nil }
        var items = parts.queryItems ?? []
        let page = items.first { $0.name == "page" }.flatMap { $0.value.flatMap(Int.init) } ?? 1
        guard page < total else { return nil }
        items.removeAll { $0.name == "page" }
        items.append(URLQueryItem(name: "page", value: String(page + 1)))
        parts.queryItems = items
        return parts.url
    }

    // MARK: Downloads

    /// Downloads to `path` through `path.part`, resuming an earlier partial file with `Range`,
    /// and renames it only when complete. Returns the file's size.
    public func download(_ url: URL, to path: String) async throws -> Int64 {
        let part = path + ".part"
        _ = try await withRetries(url) { () async -> (Attempt, Bool?) in
            let outcome = await fetch(url, into: part)
            if case .done = outcome { return (outcome, true) }
            return (outcome, nil)
        }
        do {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: part, toPath: path)
        } catch {
            throw Failure.failed(url, "\(path): \(error.localizedDescription)")
        }
        return ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    private func fetch(_ url: URL, into part: String) async -> Attempt {
        let existing = ((try? FileManager.default.attributesOfItem(atPath: part))?[.size] as? NSNumber)?.int64Value ?? 0
        var request = URLRequest(url: url, timeoutInterval: timeout)
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        if existing > 0 { request.setValue("bytes=\(existing)-", forHTTPHeaderField: "Range") }
        let sink = FileSink(path: part, resumeFrom: existing)
        let session = URLSession(configuration: .ephemeral, delegate: sink, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let result = await withCheckedContinuation { continuation in
            sink.finished = { continuation.resume(returning: $0) }
            session.dataTask(with: request).resume()
        }
        switch result {
        case .complete: return .done(Response(url: url, status: 200, headers: [:], body: Data()))
        case .notFound:
            try? FileManager.default.removeItem(atPath: part)
            return .notFound
        case let .transient(why, after): return .transient(why, after: after)
        case let .rateLimited(why, after): return .rateLimited(why, after: after)
        case let .permanent(why): return .permanent(why)
        }
    }
}

/// Streams a response body to a file, appending after a 206 and starting over after a 200.
private final class FileSink: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    enum Result { case complete, notFound, transient(String, after: Double?), rateLimited(String, after: Double?), permanent(String) }

    let path: String
    let resumeFrom: Int64
    var handle: FileHandle?
    var status = 0
    var retryAfter: Double?
    var expected: Int64 = -1
    var received: Int64 = 0
    var writeError: String?
    var finished: ((Result) -> Void)?

    init(path: String, resumeFrom: Int64) {
        self.path = path
        self.resumeFrom = resumeFrom
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let http = response as? HTTPURLResponse
        status = http?.statusCode ?? 0
        retryAfter = (http?.value(forHTTPHeaderField: "Retry-After")).flatMap(Double.init)
        expected = response.expectedContentLength
        guard status == 200 || status == 206 else { completionHandler(.cancel); return }
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        handle = FileHandle(forWritingAtPath: path)
        if status == 206 && resumeFrom > 0 {
            handle?.seekToEndOfFile()
        } else {
            handle?.truncateFile(atOffset: 0)
        }
        completionHandler(handle == nil ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        do {
            try handle?.write(contentsOf: data)
            received += Int64(data.count)
        } catch {
            writeError = error.localizedDescription
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        try? handle?.close()
        let result: Result
        if let writeError {
            result = .permanent("writing \(path): \(writeError)")
        } else if status == 404 || status == 410 {
            result = .notFound
        } else if status == 416 {
            // The range starts past the end: the partial file is stale; start over next try.
            try? FileManager.default.removeItem(atPath: path)
            result = .transient("HTTP 416", after: nil)
        } else if status == 429 {
            result = .rateLimited("HTTP 429 (rate limited)", after: retryAfter)
        } else if status >= 500 {
            result = .transient("HTTP \(status)", after: retryAfter)
        } else if status != 0 && status != 200 && status != 206 {
            result = .permanent("HTTP \(status)")
        } else if let error {
            result = .transient(error.localizedDescription, after: nil)
        } else if expected >= 0 && received != expected {
            result = .transient("connection closed after \(received) of \(expected) bytes", after: nil)
        } else {
            result = .complete
        }
        finished?(result)
        finished = nil
    }
}
