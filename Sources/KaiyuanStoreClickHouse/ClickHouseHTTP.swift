import Foundation
import KaiyuanStore
#if canImport(Glibc)
import Glibc
#endif

/// One ClickHouse server's HTTP interface, spoken over a plain socket: HTTP/1.0, so a body
/// ends where the connection does and large results stream without chunk framing. Blocking
/// and allocation-light: a scan reads lines straight out of one receive buffer.
struct ClickHouseNode: Sendable {
    let node: ClickHouseLocation.Node
    let user: String?
    let password: String?

    var url: String { node.url }

    /// Settings sent with every request: literal id sets can be long, and a client that waits
    /// no longer than ten minutes for a byte must never hang for ever on a stopped server.
    static let settings: [(String, String)] = [
        ("max_query_size", "1000000000"), ("max_ast_elements", "100000000"), ("max_expanded_ast_elements", "100000000"),
    ]

    /// Runs a statement; returns the whole response body (small results only).
    @discardableResult
    func execute(_ sql: String) throws -> [UInt8] {
        let response = try open(query: nil, body: Array(sql.utf8))
        return try response.readAll()
    }

    /// Runs a query and returns a stream of its TabSeparated lines.
    func lines(_ sql: String) throws -> ClickHouseResponse {
        try open(query: nil, body: Array((sql + " FORMAT TabSeparated").utf8))
    }

    /// `INSERT INTO table FORMAT TabSeparated` with `rows` as the body.
    func insert(into table: String, columns: String, rows: [UInt8]) throws {
        guard !rows.isEmpty else { return }
        _ = try open(query: "INSERT INTO \(table) (\(columns)) FORMAT TabSeparated", body: rows).readAll()
    }

    /// The rows of a small query, each split into fields.
    func rows(_ sql: String) throws -> [[String]] {
        var out: [[String]] = []
        let r = try lines(sql)
        while let line = try r.nextLine() { out.append(TSV.fields(line)) }
        return out
    }

    /// Every statement names its tables with their database, so none is passed here: a
    /// database that does not exist yet is no error until a table in it is read.
    private func open(query: String?, body: [UInt8]) throws -> ClickHouseResponse {
        var params = Self.settings
        if let user { params.append(("user", user)) }
        if let password { params.append(("password", password)) }
        if let query { params.append(("query", query)) }
        let path = "/?" + params.map { "\($0.0)=\(Self.percentEncode($0.1))" }.joined(separator: "&")
        if let log = SQLLog.shared { log.record(query: query, body: body) }
        var request = Array("POST \(path) HTTP/1.0\r\nHost: \(node.host):\(node.port)\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
        request += body
        let fd = try connect()
        do {
            try sendAll(fd, request)
            return try ClickHouseResponse(fd: fd, url: url, sql: query ?? String(decoding: body.prefix(300), as: UTF8.self))
        } catch {
            close(fd)
            throw error
        }
    }

    private func connect() throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(node.host, String(node.port), &hints, &result)
        guard rc == 0, let first = result else {
            throw StoreError.unreachable(url: url, detail: "cannot resolve \(node.host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(result) }
        var lastError = "no address"
        var ai: UnsafeMutablePointer<addrinfo>? = first
        while let a = ai {
            let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
            if fd >= 0 {
                var timeout = timeval(tv_sec: 600, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                if Glibc.connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen) == 0 { return fd }
                lastError = String(cString: strerror(errno))
                close(fd)
            }
            ai = a.pointee.ai_next
        }
        throw StoreError.unreachable(url: url, detail: lastError)
    }

    private func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        try bytes.withUnsafeBytes { raw in
            while sent < raw.count {
                let n = send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw StoreError.unreachable(url: url, detail: "sending: \(String(cString: strerror(errno)))")
                }
                sent += n
            }
        }
    }

    static func percentEncode(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }
}

/// With `KAIYUAN_CLICKHOUSE_LOG=FILE`, every statement kaiyuan sends (an insert with its first
/// rows) is appended to FILE as a JSON line `{"sql": …, "data": …}`: what `bench/chdb_check.py`
/// replays on current ClickHouse to check that the SQL works there too.
final class SQLLog: @unchecked Sendable {
    static let shared: SQLLog? = ProcessInfo.processInfo.environment["KAIYUAN_CLICKHOUSE_LOG"].flatMap { SQLLog(path: $0) }
    private let handle: FileHandle
    private let lock = NSLock()

    init?(path: String) {
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let h = FileHandle(forWritingAtPath: path) else { return nil }
        h.seekToEndOfFile()
        handle = h
    }

    func record(query: String?, body: [UInt8]) {
        var entry: [String: String] = [:]
        if let query {
            entry["sql"] = query
            // A few rows are enough to check the format; the whole body can be megabytes.
            var rows = 0, end = 0
            while end < body.count && rows < 20 { if body[end] == 10 { rows += 1 }; end += 1 }
            entry["data"] = String(decoding: body[0..<end], as: UTF8.self)
        } else {
            entry["sql"] = String(decoding: body, as: UTF8.self)
        }
        guard let json = try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]) else { return }
        lock.lock(); defer { lock.unlock() }
        handle.write(json + Data([10]))
    }
}

/// A response being read: the status was 200; the body comes line by line, as views into
/// one buffer that the next call reuses.
final class ClickHouseResponse {
    private let fd: Int32
    let url: String
    private var buffer: [UInt8] = []
    private var start = 0
    private var end = 0
    private var eof = false
    private var closed = false

    init(fd: Int32, url: String, sql: String) throws {
        self.fd = fd
        self.url = url
        buffer = [UInt8](repeating: 0, count: 1 << 16)
        // Headers end at the first empty line.
        var headerEnd: Int?
        while headerEnd == nil {
            if let i = Self.find(Array("\r\n\r\n".utf8), in: buffer, from: 0, to: end) { headerEnd = i + 4; break }
            guard try fill() else { break }
        }
        guard let headerEnd else {
            close()
            throw StoreError.unreachable(url: url, detail: "the connection closed before an answer (did the server stop?)")
        }
        let head = String(decoding: buffer[0..<headerEnd], as: UTF8.self)
        let status = head.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
        start = headerEnd
        if status != 200 {
            let body = String(decoding: try readAll(), as: UTF8.self)
            throw ClickHouseResponse.error(status: status, body: body, url: url, sql: sql)
        }
    }

    deinit { close() }

    func close() {
        if !closed { Glibc.close(fd); closed = true }
    }

    /// Reads more bytes after `end`, growing or compacting the buffer; false at the end.
    private func fill() throws -> Bool {
        if eof { return false }
        if end == buffer.count {
            if start > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    _ = memmove(raw.baseAddress!, raw.baseAddress! + start, end - start)
                }
                end -= start
                start = 0
            } else {
                buffer += [UInt8](repeating: 0, count: buffer.count)
            }
        }
        while true {
            let n = buffer.withUnsafeMutableBytes { raw in recv(fd, raw.baseAddress! + end, raw.count - end, 0) }
            if n > 0 { end += n; return true }
            if n == 0 { eof = true; close(); return false }
            if errno == EINTR { continue }
            let why = errno == EAGAIN ? "no answer for 10 minutes" : String(cString: strerror(errno))
            close()
            throw StoreError.unreachable(url: url, detail: "reading: \(why)")
        }
    }

    /// The next line without its newline, or nil at the end. The view is valid until the next call.
    func nextLine() throws -> UnsafeRawBufferPointer? {
        while true {
            if let nl = buffer.withUnsafeBytes({ raw -> Int? in
                guard end > start, let p = memchr(raw.baseAddress! + start, 0x0A, end - start) else { return nil }
                return raw.baseAddress!.distance(to: UnsafeRawPointer(p))
            }) {
                let lineStart = start
                start = nl + 1
                return buffer.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[lineStart..<nl]) }
            }
            if try !fill() {
                guard start == end else {
                    // A result cut short: ClickHouse appends its error after the rows it sent.
                    let rest = String(decoding: buffer[start..<end], as: UTF8.self)
                    start = end
                    throw StoreError.server(url: url, detail: "the answer broke off: \(rest.prefix(500))")
                }
                return nil
            }
        }
    }

    func readAll() throws -> [UInt8] {
        while try fill() {}
        let out = Array(buffer[start..<end])
        start = end
        return out
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8], from: Int, to: Int) -> Int? {
        guard to - from >= needle.count else { return nil }
        var i = from
        while i + needle.count <= to {
            if hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }

    /// ClickHouse's exception text (`Code: 81, e.displayText() = DB::Exception: …`), made
    /// into a message that says what to do.
    static func error(status: Int, body: String, url: String, sql: String) -> StoreError {
        let code = body.range(of: #"Code: (\d+)"#, options: .regularExpression).flatMap { Int(body[$0].dropFirst(6)) }
        var detail = body
        if let r = detail.range(of: "DB::Exception: ") { detail = String(detail[r.upperBound...]) }
        if let r = detail.range(of: ", e.what()") { detail = String(detail[..<r.lowerBound]) }
        detail = detail.trimmingCharacters(in: .whitespacesAndNewlines)
        switch code {
        case 81: return .server(url: url, detail: "\(detail): create it by running any kaiyuan ingest with this --store, or check the name")
        case 170: return .server(url: url, detail: "\(detail): name a cluster from the servers' remote_servers (SELECT DISTINCT cluster FROM system.clusters)")
        case 516, 192, 193: return .server(url: url, detail: "\(detail): pass ?user=…&password=… in the location")
        default: return .server(url: url, detail: "HTTP \(status), \(detail.prefix(800)) (in: \(sql.prefix(200)))")
        }
    }
}

/// TabSeparated values as ClickHouse writes and reads them.
enum TSV {
    /// Appends `s` escaped for a TabSeparated field.
    static func append(_ s: String, to out: inout [UInt8]) {
        for b in s.utf8 {
            switch b {
            case 0x5C: out += [0x5C, 0x5C]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x00: out += [0x5C, UInt8(ascii: "0")]
            case 0x08: out += [0x5C, UInt8(ascii: "b")]
            case 0x0C: out += [0x5C, UInt8(ascii: "f")]
            default: out.append(b)
            }
        }
    }

    static func append(_ v: Int64, to out: inout [UInt8]) {
        if v == 0 { out.append(0x30); return }
        var x = v.magnitude
        if v < 0 { out.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while x > 0 { d[n] = UInt8(x % 10) + 0x30; x /= 10; n += 1 }
            while n > 0 { n -= 1; out.append(d[n]) }
        }
    }

    static func append(_ v: UInt64, to out: inout [UInt8]) {
        out += Array(String(v).utf8)
    }

    /// What `fields` gives for a NULL (`\N`): a noncharacter no stored text holds.
    static let null = "\u{FFFF}NULL"

    /// A Nullable column's value.
    static func nullable(_ s: String) -> String? { s == null ? nil : s }

    /// Fields of a line, unescaped; a NULL is `TSV.null`.
    static func fields(_ line: UnsafeRawBufferPointer) -> [String] {
        var out: [String] = []
        var field: [UInt8] = []
        var i = 0
        var isNull = false
        func finish() {
            out.append(isNull && field.isEmpty ? null : String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            isNull = false
        }
        while i < line.count {
            let b = line[i]
            if b == 0x09 { finish() }
            else if b == 0x5C, i + 1 < line.count {
                i += 1
                if line[i] == UInt8(ascii: "N") && field.isEmpty && (i + 1 == line.count || line[i + 1] == 0x09) { isNull = true; i += 1; continue }
                switch line[i] {
                case UInt8(ascii: "t"): field.append(0x09)
                case UInt8(ascii: "n"): field.append(0x0A)
                case UInt8(ascii: "r"): field.append(0x0D)
                case UInt8(ascii: "0"): field.append(0x00)
                case UInt8(ascii: "b"): field.append(0x08)
                case UInt8(ascii: "f"): field.append(0x0C)
                default: field.append(line[i])
                }
            } else { field.append(b) }
            i += 1
        }
        finish()
        return out
    }

    /// Integer fields of a line, without making strings: the scans' hot path.
    static func integers(_ line: UnsafeRawBufferPointer, into out: inout [Int64], url: String) throws {
        out.removeAll(keepingCapacity: true)
        var v: Int64 = 0, negative = false, digits = 0
        for b in line {
            if b == 0x09 {
                out.append(negative ? -v : v); v = 0; negative = false; digits = 0
            } else if b >= 0x30 && b <= 0x39 {
                v = v &* 10 &+ Int64(b - 0x30); digits += 1
            } else if b == UInt8(ascii: "-") && digits == 0 && !negative {
                negative = true
            } else {
                throw StoreError.server(url: url, detail: "unexpected answer: \(String(decoding: line.prefix(500), as: UTF8.self))")
            }
        }
        out.append(negative ? -v : v)
    }

    /// A literal for a Nullable(String) column: the quoted string, or NULL.
    static func literal(_ s: String?) -> String { s.map(quote) ?? "NULL" }

    /// A ClickHouse string literal.
    static func quote(_ s: String) -> String {
        var out = "'"
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "'"
    }
}
