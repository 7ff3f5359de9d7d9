import Foundation
import Hummingbird
import HummingbirdCore
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanReports
import KaiyuanOutputs
import KaiyuanPeople
import KaiyuanStore

/// `kaiyuan serve`: the report's pages rendered live, OpenDigger's static JSON layout, and
/// `/api/v1` for ranks and search, on a read-only view of the store (safe beside an import).
///
/// A request reads at most one repository's facts (or one history) itself; anything that
/// needs the whole store (ranks, label sums, developers, the overview) is computed by a
/// background job per data stamp, and the request is answered 202 until it is ready.
public struct Dashboard: Sendable {
    public let store: any DataStore
    let engine: MetricsEngine
    let jobs: JobCache
    let contextCache = JobCache(capacity: 2)
    let hubCache = JobCache(capacity: 2)
    static let maxTop = 1000
    /// Seconds a connection may stay without a complete request (`$KAIYUAN_SERVER_IDLE_SECONDS`).
    static var idleSeconds: Int { ProcessInfo.processInfo.environment["KAIYUAN_SERVER_IDLE_SECONDS"].flatMap(Int.init).map { max($0, 1) } ?? 30 }
    static let maxConnections = 512

    public init(store: any DataStore, extraBots: Set<Int64> = [], includeBots: Bool = false) {
        self.store = store
        // Stale work is judged against the store as it is now, not against a slow request's stamp.
        jobs = JobCache(currentStamp: { try? store.dataStamp() })
        engine = MetricsEngine(store: store, extraBots: extraBots, includeBots: includeBots)
    }

    /// Runs the server until SIGINT or SIGTERM, then finishes the requests in flight.
    public func run(host: String, port: Int, onRunning: @escaping @Sendable (Int) -> Void) async throws {
        // A connection that sends no complete request (idle, or a slowloris trickling its
        // headers) is closed after `idleSeconds`; at most `maxConnections` are open at once.
        let app = Application(
            router: router(),
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(Self.idleSeconds)))),
            configuration: .init(address: .hostname(host, port: port), serverName: "kaiyuan",
                                 availableConnectionsDelegate: MaximumAvailableConnections(Self.maxConnections)),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) })
        try await app.runService()
    }

    public func router() -> Router<BasicRequestContext> {
        // HEAD answers as GET does, without the body.
        let router = Router(options: .autoGenerateHeadEndpoints)
        router.add(middleware: ReadOnlyMethods())
        router.get("/") { request, _ in try await self.overview(request) }
        router.get("/projects/github/:owner/:repo") { request, context in
            try await self.projectPage(request, owner: Self.segment(context, "owner"), repo: Self.segment(context, "repo"))
        }
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        router.get("/healthz") { _, _ in "ok" }
        router.get("/api/v1/status") { request, _ in try await self.status(request) }
        router.get("/api/v1/rank/repos") { request, _ in try await self.rankRepos(request) }
        router.get("/api/v1/rank/devs") { request, _ in try await self.rankDevelopers(request) }
        router.get("/api/v1/rank/labels") { request, _ in try await self.rankLabels(request) }
        router.get("/api/v1/search") { request, _ in try await self.search(request) }
        router.get("/api/v1/mirrors") { request, _ in try await self.mirrors(request) }
        router.get("/labels/**") { request, context in
            try await self.labelFile(request, path: context.parameters.getCatchAll().map { $0.removingPercentEncoding ?? String($0) }.joined(separator: "/"))
        }
        router.get("/github/:name") { request, context in try await self.listFile(request, name: Self.segment(context, "name")) }
        router.get("/huggingface/model_list.csv") { request, _ in try await self.modelList(request) }
        router.get("/repo_list.csv") { request, _ in try await self.listFile(request, name: "repo_list.csv", root: true) }
        router.get("/user_list.csv") { request, _ in try await self.listFile(request, name: "user_list.csv", root: true) }
        // As for github: with a constant first segment, the model routes are named too.
        router.get("/huggingface/:name/:second/:file") { request, context in
            try await self.repoFile(request, platform: "huggingface", owner: Self.segment(context, "name"),
                                    repo: Self.segment(context, "second"), file: Self.segment(context, "file"))
        }
        router.get("/huggingface/:name/:second") { request, context in
            try await self.hubModelFile(request, id: Self.segment(context, "name"), file: Self.segment(context, "second"))
        }
        // One parameter name per position: `/github/LOGIN/FILE` and `/github/OWNER/REPO/FILE` share `:name/:second`.
        router.get("/github/:name/:second") { request, context in
            try await self.developerFile(request, login: Self.segment(context, "name"), file: Self.segment(context, "second"))
        }
        // The router does not fall back from the constant `github` to a parameter: both are named.
        router.get("/github/:name/:second/:file") { request, context in
            try await self.repoFile(request, platform: "github", owner: Self.segment(context, "name"),
                                    repo: Self.segment(context, "second"), file: Self.segment(context, "file"))
        }
        router.get("/:platform/:owner/:repo/:file") { request, context in
            try await self.repoFile(request, platform: Self.segment(context, "platform"), owner: Self.segment(context, "owner"),
                                    repo: Self.segment(context, "repo"), file: Self.segment(context, "file"))
        }
        return router
    }

    // MARK: Responses

    struct Problem: Error { var status: HTTPResponse.Status; var message: String }

    static func json(_ text: String, status: HTTPResponse.Status = .ok, stamp: String?) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let stamp {
            headers[.eTag] = "\"\(stamp)\""
            headers[.cacheControl] = "public, max-age=60, must-revalidate"
        } else {
            headers[.cacheControl] = "no-store"
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok, stamp: String?) -> Response {
        var r = json(text, status: status, stamp: stamp)
        r.headers[.contentType] = "text/html; charset=utf-8"
        return r
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json("{\"error\":\(JSONText.string(message))}", status: status, stamp: nil)
    }

    static func computing() -> Response {
        var r = json("{\"status\":\"computing\"}", status: .accepted, stamp: nil)
        r.headers[.retryAfter] = "2"
        return r
    }

    /// The cached answer's ETag matches: nothing to send.
    static func notModified(_ request: Request, _ stamp: String) -> Response? {
        guard let tag = request.headers[.ifNoneMatch], tag == "\"\(stamp)\"" || tag == "*" else { return nil }
        return Response(status: .notModified, headers: [.eTag: "\"\(stamp)\"", .cacheControl: "public, max-age=60, must-revalidate"])
    }

    /// Store work off the server's event loops, answering problems as HTTP errors.
    func offload(_ work: @escaping @Sendable () throws -> Response) async -> Response {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                do { continuation.resume(returning: try work()) }
                catch let p as Problem { continuation.resume(returning: Self.error(p.status, p.message)) }
                catch { continuation.resume(returning: Self.error(.internalServerError, "\(error)")) }
            }
        }
    }

    /// The answer once a background job is done: `computing` (202) while it runs, 500 if it failed.
    func whenReady<T>(_ key: String, stamp: String, computing: @autoclosure () -> Response = Self.computing(),
                      _ work: @escaping () throws -> T, respond: (T) throws -> Response) throws -> Response {
        switch jobs.get(key, stamp: stamp, work) {
        case .ready(let value): return try respond(value)
        case .computing: return computing()
        case .failed(let m): throw Problem(status: .internalServerError, message: m)
        case .busy: return Self.busy()
        }
    }

    /// 503: too much whole-store work is waiting; ask again later.
    static func busy() -> Response {
        var r = json("{\"status\":\"busy\",\"error\":\"too many computations are waiting; ask again after Retry-After seconds\"}", status: .serviceUnavailable, stamp: nil)
        r.headers[.retryAfter] = "5"
        return r
    }

    /// The hub snapshots read into series, once per data stamp (nil while loading).
    func hubCatalog(_ stamp: String) throws -> HubCatalog? {
        switch hubCache.get("hub", stamp: stamp, { try HubCatalog(store: self.store) }) {
        case .ready(let c): return c
        case .computing, .busy: return nil
        case .failed(let m): throw Problem(status: .internalServerError, message: m)
        }
    }

    /// What `meta.json` needs: the newest event's time and the labels, once per data stamp.
    func exportMeta(_ stamp: String) throws -> ExportMeta? {
        guard let context = try context(stamp) else { return nil }
        switch hubCache.get("newest-event", stamp: stamp, { try self.store.newestEventMilliseconds() }) {
        case .ready(let newest): return ExportMeta(updatedAt: newest, labels: context.labels)
        case .computing, .busy: return nil
        case .failed(let m): throw Problem(status: .internalServerError, message: m)
        }
    }

    /// The month of the newest hub snapshot: what a hub ranking shows unless asked otherwise.
    func latestHubMonth() throws -> Period {
        guard let last = try store.hubSnapshotDates().last else {
            throw Problem(status: .notFound, message: "no Hugging Face snapshots in the store; `kaiyuan ingest huggingface` reads them")
        }
        return Period(.month, containing: last.date.month)
    }

    /// Labels and the domain map, loaded once per data stamp (nil while loading).
    func context(_ stamp: String) throws -> PeopleContext? {
        switch contextCache.get("people", stamp: stamp, { try PeopleContext.load(from: self.store) }) {
        case .ready(let c): return c
        case .computing, .busy: return nil
        case .failed(let m): throw Problem(status: .internalServerError, message: m)
        }
    }

    // MARK: Validation

    /// A path parameter, percent-decoded (`dependabot%5Bbot%5D` is `dependabot[bot]`).
    static func segment(_ context: BasicRequestContext, _ name: String) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// `METRIC.json` with a metric-shaped name: lower-case letters, digits and `_`.
    static func validFile(_ file: String) -> Bool {
        file.hasSuffix(".json") && file.count <= 64 && file.dropLast(5).allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
    }

    /// A query parameter as a form sends it: `+` is a space, `%2B` a plus.
    static func query(_ request: Request, _ name: String) -> String? {
        guard let raw = request.uri.query else { return nil }
        for pair in raw.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            if decode(kv[0]) == name { return kv.count == 2 ? decode(kv[1]) : "" }
        }
        return nil
    }

    static func period(_ request: Request, default fallback: () throws -> Period) throws -> Period {
        guard let text = query(request, "period") else { return try fallback() }
        guard let p = Period(text) else { throw Problem(status: .badRequest, message: "period \(text.prefix(40)): expected 2025, 2025Q1 or 2025-01") }
        return p
    }

    static func top(_ request: Request) throws -> Int {
        guard let text = query(request, "top") else { return 20 }
        guard let n = Int(text), (1...maxTop).contains(n) else { throw Problem(status: .badRequest, message: "top must be 1…\(maxTop)") }
        return n
    }

    /// OWNER and NAME segments as forges allow them; anything else is refused before any
    /// lookup. (`.` and `..` pass: names are bound SQL values, never paths, and find nothing.)
    static func validName(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 100 && s.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "._-[]".unicodeScalars.contains($0)
        }
    }

    func latestYear() throws -> Period {
        guard let last = try store.dataVersions().keys.max() else { throw Problem(status: .notFound, message: "the store has no events yet") }
        return Period(.year, containing: last)
    }

    static func rankedJSON(by: String, period: Period, _ items: [(name: String, value: Double)], extra: [String: String] = [:]) -> String {
        var fields = ["\"by\":\(JSONText.string(by))", "\"period\":\(JSONText.string(period.key))"]
        for (k, v) in extra.sorted(by: { $0.key < $1.key }) { fields.append("\(JSONText.string(k)):\(JSONText.string(v))") }
        let list = items.enumerated().map { "{\"rank\":\($0.offset + 1),\"name\":\(JSONText.string($0.element.name)),\"value\":\(JSONText.number(OpenDiggerFormat.round2($0.element.value)))}" }
        return "{" + fields.joined(separator: ",") + ",\"items\":[" + list.joined(separator: ",") + "]}"
    }
}

/// The server only reads: a method other than GET or HEAD is answered 405 with `Allow`, on any
/// path, before routing (which would say 404).
struct ReadOnlyMethods: RouterMiddleware {
    func handle(_ request: Request, context: BasicRequestContext, next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            return Response(status: .methodNotAllowed, headers: [.allow: "GET, HEAD", .contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "{\"error\":\"\(request.method.rawValue) is not allowed: this server only reads (GET, HEAD)\"}")))
        }
        return try await next(request, context)
    }
}
