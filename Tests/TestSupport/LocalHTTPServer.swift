#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A small HTTP/1.1 file server on 127.0.0.1 for download tests: tests never reach the
/// internet. It honours `Range: bytes=N-`, and can be told to fail a path's first requests
/// (503) or to cut a response short, so retries and resumption can be tested.
public final class LocalHTTPServer: @unchecked Sendable {
    public private(set) var port: UInt16 = 0
    private var listener: Int32 = -1
    private let lock = NSLock()
    private var files: [String: Data] = [:]
    private var failuresLeft: [String: Int] = [:]
    private var truncateOnce: [String: Int] = [:]
    private var rateLimits: [String: (times: Int, retryAfter: Int?, status: Int)] = [:]
    private var extraHeaders: [String: String] = [:]
    private var statuses: [String: (code: Int, body: Data)] = [:]
    private var prefixes: [(prefix: String, data: Data, headers: String?)] = []
    private var handlers: [(prefix: String, answer: @Sendable (String) -> Data)] = []
    public private(set) var requests: [(path: String, range: String?)] = []
    private var thread: Thread?
    private var stopped = false

    public init() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(listener, 16) == 0 else { throw NSError(domain: "LocalHTTPServer", code: Int(errno)) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) } }
        port = UInt16(bigEndian: addr.sin_port)
        let t = Thread { [weak self] in self?.serve() }
        thread = t
        t.start()
    }

    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/")! }

    public func serve(_ path: String, _ data: Data) { lock.lock(); files[path] = data; lock.unlock() }
    /// Answers paths starting with `prefix` (and no answer of their own) with what `answer`
    /// makes of the whole path and query: a list that honours `since`.
    public func route(prefix: String, _ answer: @escaping @Sendable (String) -> Data) {
        lock.lock(); handlers.append((prefix, answer)); handlers.sort { $0.prefix.count > $1.prefix.count }; lock.unlock()
    }

    /// Answers any path starting with `prefix` that has no answer of its own (the longest
    /// prefix wins): a list asked for with a query the test does not spell out.
    public func serve(prefix: String, _ data: Data, headers: String? = nil) {
        lock.lock(); prefixes.append((prefix, data, headers)); prefixes.sort { $0.prefix.count > $1.prefix.count }; lock.unlock()
    }
    /// The next `count` requests for `path` answer 503.
    public func fail(_ path: String, times count: Int) { lock.lock(); failuresLeft[path] = count; lock.unlock() }
    /// The next response for `path` sends only its first `bytes` bytes, then closes.
    public func truncateNext(_ path: String, after bytes: Int) { lock.lock(); truncateOnce[path] = bytes; lock.unlock() }

    /// The next `count` requests for `path` answer `status` (429, or 403 as GitHub and Gitee
    /// do) with `Retry-After: retryAfter` when given, and `X-RateLimit-Remaining: 0`.
    public func rateLimit(_ path: String, times count: Int, retryAfter: Int?, status: Int = 429) {
        lock.lock(); rateLimits[path] = (count, retryAfter, status); lock.unlock()
    }
    /// Extra response headers for `path` (`Link`, `total_page`).
    public func headers(_ path: String, _ lines: String) { lock.lock(); extraHeaders[path] = lines; lock.unlock() }

    /// Every request for `path` answers `status` with `body` (an expired token's 401, a 500 page).
    public func respond(_ path: String, status: Int, body: Data = Data()) { lock.lock(); statuses[path] = (status, body); lock.unlock() }
    /// The path and query of a URL as a client sends them: what `serve` and the others key on.
    public static func requestPath(_ url: URL) -> String {
        let c = URLComponents(url: url, resolvingAgainstBaseURL: false)!
        return c.percentEncodedPath + (c.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    public func requestLog() -> [(path: String, range: String?)] { lock.lock(); defer { lock.unlock() }; return requests }

    /// Stops accepting. The listening socket is closed by the accepting thread as it leaves:
    /// closing it here would free its number for the next test's server, and this thread,
    /// slow to notice, would accept that server's connections and answer them with this
    /// server's (empty) routes.
    public func stop() {
        lock.lock(); stopped = true; lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit { if !stopped { stop() } }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            lock.lock(); let done = stopped; lock.unlock()
            if done {
                if client >= 0 { close(client) }
                close(listener)
                return
            }
            if client < 0 { continue }
            handle(client)
            close(client)
        }
    }

    private func handle(_ fd: Int32) {
        var request = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        while !request.suffix(4).elementsEqual([13, 10, 13, 10]) {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { return }
            request.append(contentsOf: buf[0..<n])
        }
        let text = String(decoding: request, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2 else { return }
        let path = String(parts[1])
        let range = lines.first { $0.lowercased().hasPrefix("range:") }.map { String($0.dropFirst(6)).trimmingCharacters(in: .whitespaces) }

        lock.lock()
        requests.append((path, range))
        let byPrefix = files[path] == nil ? prefixes.first { path.hasPrefix($0.prefix) } : nil
        let handler = files[path] == nil ? handlers.first { path.hasPrefix($0.prefix) } : nil
        let data = files[path] ?? handler.map { $0.answer(path) } ?? byPrefix?.data
        let fail = (failuresLeft[path] ?? 0) > 0
        if fail { failuresLeft[path]! -= 1 }
        let cut = truncateOnce.removeValue(forKey: path)
        var limited: (times: Int, retryAfter: Int?, status: Int)?
        if let l = rateLimits[path], l.times > 0 { limited = l; rateLimits[path]!.times -= 1 }
        let headerLines = (extraHeaders[path] ?? (handler != nil ? "total_page: 1" : byPrefix?.headers)).map { $0 + "\r\n" } ?? ""
        let fixed = statuses[path]
        lock.unlock()

        func send(_ bytes: [UInt8]) {
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return }
                sent += n
            }
        }
        if fail {
            send(Array("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)); return
        }
        if let fixed {
            send(Array("HTTP/1.1 \(fixed.code) Status\r\nContent-Length: \(fixed.body.count)\r\nConnection: close\r\n\r\n".utf8) + Array(fixed.body)); return
        }
        if let limited {
            let after = limited.retryAfter.map { "Retry-After: \($0)\r\n" } ?? ""
            send(Array("HTTP/1.1 \(limited.status) Too Many Requests\r\n\(after)X-RateLimit-Remaining: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)); return
        }
        guard let data else {
            send(Array("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)); return
        }
        var start = 0
        var status = "200 OK"
        var extra = ""
        if let range, range.hasPrefix("bytes="), let from = Int(range.dropFirst(6).prefix { $0.isNumber }) {
            if from >= data.count {
                send(Array("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)); return
            }
            start = from
            status = "206 Partial Content"
            extra = "Content-Range: bytes \(from)-\(data.count - 1)/\(data.count)\r\n"
        }
        let body = Array(data[start...])
        send(Array("HTTP/1.1 \(status)\r\nContent-Length: \(body.count)\r\n\(extra)\(headerLines)Connection: close\r\n\r\n".utf8))
        send(cut.map { Array(body.prefix($0)) } ?? body)
    }
}
