import Foundation
import Hummingbird
import KaiyuanCore
import KaiyuanLicences
import KaiyuanMetrics
import KaiyuanReports
import KaiyuanOutputs
import KaiyuanPeople
import KaiyuanStore

extension Dashboard {
    // MARK: Pages

    func overview(_ request: Request) async throws -> Response {
        await offload {
            let stamp = try store.dataStamp()
            if let cached = Self.notModified(request, stamp) { return cached }
            let period = try Self.period(request, default: latestYear)
            let top = try Self.query(request, "top") == nil ? 50 : Self.top(request)
            guard let context = try context(stamp) else { return Self.refreshing() }
            let label = try Self.label(request, context)
            guard let hub = try hubCatalog(stamp) else { return Self.refreshing() }
            return try whenReady("overview|\(period.key)|\(label ?? "")|\(top)", stamp: stamp, computing: Self.refreshing()) {
                let finder = MirrorFinder(store: store)
                var builder = EcosystemReportBuilder(engine: engine, context: context, git: GitMetricsEngine(store: store, context: context), hub: hub,
                                                     mirrors: (try finder.find(), try finder.knownRepositories()))
                // The report's licence section needs no licence index (no kinds): none is loaded.
                builder.licences = (try store.repoLicences(), nil)
                return try builder.build(period: period, label: label, top: top, pages: 20)
            } respond: { report in
                Self.html(ReportHTML.index(report, links: .server(query: Self.pageQuery(period: period, label: label))), stamp: stamp)
            }
        }
    }

    static func pageQuery(period: Period, label: String?) -> String {
        var items = ["period=\(period.key)"]
        if let label { items.append("label=\(label.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")") }
        return "?" + items.joined(separator: "&")
    }

    /// A page that says what is happening and reloads itself.
    static func refreshing() -> Response {
        var r = html("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>kaiyuan — computing</title></head>
            <body style="font-family:system-ui,sans-serif;margin:3em"><p>Computing this page from the store… it reloads by itself.</p></body></html>
            """, status: .accepted, stamp: nil)
        r.headers[.retryAfter] = "2"
        return r
    }

    func projectPage(_ request: Request, owner: String, repo: String) async throws -> Response {
        await offload {
            guard Self.validName(owner), Self.validName(repo) else { throw Problem(status: .badRequest, message: "not a repository name") }
            let stamp = try store.dataStamp()
            if let cached = Self.notModified(request, stamp) { return cached }
            guard let ref = try store.repository(named: "\(owner)/\(repo)") else {
                throw Problem(status: .notFound, message: "no repository \(owner)/\(repo) in the store")
            }
            let period = try Self.period(request, default: latestYear)
            guard let context = try context(stamp) else { return Self.refreshing() }
            let page = try EcosystemReportBuilder(engine: engine, context: context, git: GitMetricsEngine(store: store, context: context))
                .projectPage(ref, period: period)
            return Self.html(ReportHTML.project(period: period, months: EcosystemReportBuilder.months(of: period), page,
                                                links: .server(query: Self.pageQuery(period: period, label: nil))), stamp: stamp)
        }
    }

    // MARK: OpenDigger's layout

    func repoFile(_ request: Request, platform: String, owner: String, repo: String, file: String) async throws -> Response {
        await offload {
            guard let forge = Platform(rawValue: platform) else { throw Problem(status: .notFound, message: "no such path") }
            guard Self.validName(owner), Self.validName(repo), Self.validFile(file) else {
                throw Problem(status: .badRequest, message: "expected /PLATFORM/OWNER/REPO/METRIC.json")
            }
            let stamp = try store.dataStamp()
            if let cached = Self.notModified(request, stamp) { return cached }
            if forge == .huggingface { return try hubFile("\(owner)/\(repo)", file: file, stamp: stamp) }
            var files: [(name: String, json: String)] = []
            if let ref = try store.repository(named: "\(owner)/\(repo)", platform: forge) {
                files += OpenDiggerFormat.files(for: try engine.metrics(for: ref))
                if file == "meta.json", ExportMeta.wanted(files) {
                    guard let meta = try exportMeta(stamp) else { return Self.computing() }
                    files.append(("meta.json", meta.repo(ref)))
                }
            }
            if let record = try store.gitRepository(ForgeRepo(platform: forge, name: "\(owner)/\(repo)"), create: false), record.commits > 0 {
                guard let context = try context(stamp) else { return Self.computing() }
                files += OpenDiggerFormat.files(for: try GitMetricsEngine(store: store, context: context).analysis(of: record).metrics)
            }
            if file == "licences.json", let licences = try store.repoLicences().first(where: {
                $0.repo.platform == forge && $0.repo.name.lowercased() == "\(owner)/\(repo)".lowercased()
            }) {
                files.append(("licences.json", LicenceOutput.repositoryJSON(licences)))
            }
            guard let hit = files.first(where: { $0.name == file }) else {
                throw Problem(status: .notFound, message: files.isEmpty ? "no repository \(owner)/\(repo) in the store" : "\(file): no such metric, or all its values are 0")
            }
            return Self.json(hit.json, stamp: stamp)
        }
    }

    /// `/huggingface/NAME/FILE`: a canonical model without an organisation.
    func hubModelFile(_ request: Request, id: String, file: String) async throws -> Response {
        await offload {
            guard Self.validName(id), Self.validFile(file) else { throw Problem(status: .badRequest, message: "expected /huggingface/ORG/NAME/METRIC.json") }
            let stamp = try store.dataStamp()
            if let cached = Self.notModified(request, stamp) { return cached }
            return try hubFile(id, file: file, stamp: stamp)
        }
    }

    /// A model's file, as the export writes it.
    func hubFile(_ id: String, file: String, stamp: String) throws -> Response {
        guard let catalog = try hubCatalog(stamp) else { return Self.computing() }
        guard let model = catalog.models[id] ?? catalog.models.values.first(where: { $0.id.lowercased() == id.lowercased() }) else {
            throw Problem(status: .notFound, message: "no model \(id) in the store; `kaiyuan ingest huggingface --author \(HubModel.author(of: id))` reads it")
        }
        guard let hit = OpenDiggerFormat.files(for: model).first(where: { $0.name == file }) else {
            throw Problem(status: .notFound, message: "\(file): one of downloads, downloads_all_time, likes, derivatives (where the snapshots have them), licence")
        }
        return Self.json(hit.json, stamp: stamp)
    }

    /// `huggingface/model_list.csv`: the models that have files, as the export lists them.
    func modelList(_ request: Request) async throws -> Response {
        await offload {
            let stamp = try store.dataStamp()
            if let cached = Self.notModified(request, stamp) { return cached }
            guard let catalog = try hubCatalog(stamp) else { return Self.computing() }
            guard !catalog.isEmpty else { throw Problem(status: .notFound, message: "no Hugging Face snapshots in the store") }
            var r = Self.json(OpenDiggerFormat.modelListCSV(catalog.models.keys), stamp: stamp)
            r.headers[.contentType] = "text/csv; charset=utf-8"
            return r
        }
    }

    func developerFile(_ request: Request, login: String, file: String) async throws -> Response {
        await offload {
            guard Self.validName(login), file.hasSuffix(".json"),
                  file == "meta.json" || DeveloperMetric(rawValue: String(file.dropLast(5))) != nil else {
                throw Problem(status: .notFound, message: "expected /github/LOGIN/METRIC.json with one of \(DeveloperMetric.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let stamp = try store.dataStamp()
            if let cached = Self.notModified(request, stamp) { return cached }
            guard try store.account(login: login) != nil else { throw Problem(status: .notFound, message: "no developer \(login)") }
            // One developer's own facts: answered in the request, never queued behind whole-store work.
            let developer = try engine.developer(login: login)
            var files = developer.map(OpenDiggerFormat.files) ?? []
            if file == "meta.json", let developer, ExportMeta.wanted(files) {
                guard let meta = try exportMeta(stamp) else { return Self.computing() }
                files.append(("meta.json", meta.user(id: developer.id)))
            }
            guard let hit = files.first(where: { $0.name == file }) else { throw Problem(status: .notFound, message: "\(file): all values are 0") }
            return Self.json(hit.json, stamp: stamp)
        }
    }

    /// `repo_list.csv` and `user_list.csv`: the repositories and developers that have files,
    /// as `export opendigger` lists them (one background pass over the store).
    /// `root`: `OUT/repo_list.csv` and `OUT/user_list.csv` (§12: `id,platform,NAME`, by
    /// latest OpenRank) rather than `OUT/github/…`.
    func listFile(_ request: Request, name: String, root: Bool = false) async throws -> Response {
        await offload {
            guard name == "repo_list.csv" || name == "user_list.csv" else { throw Problem(status: .notFound, message: "no such path") }
            let stamp = try store.dataStamp()
            if let cached = Self.notModified(request, stamp) { return cached }
            return try whenReady("lists", stamp: stamp) { () -> [String: String] in
                var repos: [(Int64, String)] = [], users: [(Int64, String)] = []
                var rootRepos: [(id: Int64, platform: Platform, name: String, openrank: Double)] = [], rootUsers = rootRepos
                let developers = DeveloperActivity()
                try engine.forEachRepository(developers: developers) { m in
                    guard OpenDiggerFormat.isWritableRepoName(m.repo.name), !OpenDiggerFormat.files(for: m).isEmpty else { return }
                    repos.append((m.repo.id, m.repo.name))
                    if let rank = ExportMeta.latestOpenRank(m.scalars[.openrank]) { rootRepos.append((m.repo.localID, m.repo.platform, m.repo.name, rank)) }
                }
                try engine.developers(from: developers) { d in
                    guard OpenDiggerFormat.isWritableLogin(d.login), !OpenDiggerFormat.files(for: d).isEmpty else { return }
                    users.append((d.id, d.login))
                    if let rank = ExportMeta.latestOpenRank(d.scalars[.openrank]) { rootUsers.append((Platform.localID(of: d.id), Platform.of(key: d.id), d.login, rank)) }
                }
                return ["github/repo_list.csv": OpenDiggerFormat.listCSV(header: "id,repo_name", repos),
                        "github/user_list.csv": OpenDiggerFormat.listCSV(header: "id,actor_login", users),
                        "repo_list.csv": ExportMeta.rootList(header: "id,platform,repo_name", rootRepos),
                        "user_list.csv": ExportMeta.rootList(header: "id,platform,actor_login", rootUsers)]
            } respond: { lists in
                var r = Self.json(lists[(root ? "" : "github/") + name]!, stamp: stamp)
                r.headers[.contentType] = "text/csv; charset=utf-8"
                return r
            }
        }
    }

    func labelFile(_ request: Request, path: String) async throws -> Response {
        await offload {
            let parts = path.split(separator: "/").map(String.init)
            guard parts.count >= 2, let file = parts.last, Self.validFile(file), parts.allSatisfy(Self.validName) else {
                throw Problem(status: .badRequest, message: "expected /labels/KIND/NAME/METRIC.json")
            }
            let id = ":" + parts.dropLast().joined(separator: "/")
            let stamp = try store.dataStamp()
            if let cached = Self.notModified(request, stamp) { return cached }
            guard let context = try context(stamp) else { return Self.computing() }
            guard context.labels.label(id) != nil else { throw Problem(status: .notFound, message: "no label \(id)") }
            return try whenReady("labels", stamp: stamp) {
                let totals = LabelTotals(labels: context.labels)
                try engine.forEachRepository { totals.add($0) }
                return totals.sums
            } respond: { sums in
                guard let hit = OpenDiggerFormat.files(forLabel: id, sums: sums[id] ?? [:]).first(where: { $0.name == file }) else {
                    throw Problem(status: .notFound, message: "\(file): no such metric, or all its values are 0 for \(id)")
                }
                return Self.json(hit.json, stamp: stamp)
            }
        }
    }

    // MARK: /api/v1

    func status(_ request: Request) async throws -> Response {
        await offload {
            let stamp = try store.dataStamp()
            let months = try store.dataVersions().keys.sorted()
            let histories = try store.gitRepositories().filter { $0.commits > 0 }
            return Self.json("""
                {"stamp":\(JSONText.string(stamp)),"first_month":\(months.first.map { JSONText.string($0.key) } ?? "null"),\
                "last_month":\(months.last.map { JSONText.string($0.key) } ?? "null"),"git_histories":\(histories.count),\
                "commits":\(histories.reduce(0) { $0 + $1.commits }),"jobs_cached":true}
                """, stamp: nil)
        }
    }

    func ranked(_ request: Request, key: String, by: String, period: Period, extra: [String: String] = [:],
                _ work: @escaping () throws -> [(name: String, value: Double)]) throws -> Response {
        let stamp = try store.dataStamp()
        if let cached = Self.notModified(request, stamp) { return cached }
        let top = try Self.top(request)
        return try whenReady(key, stamp: stamp, work) { items in
            Self.json(Self.rankedJSON(by: by, period: period, Array(items.prefix(top)), extra: extra), stamp: stamp)
        }
    }

    /// A rankable metric from `?by=`, or 400 with the reason.
    /// `forLabels`: a count of models (`hf_models`) ranks labels, not repositories.
    static func rankable(_ request: Request, default fallback: String, forLabels: Bool = false) throws -> AnyRepoMetric {
        let by = query(request, "by") ?? fallback
        guard let metric = AnyRepoMetric(name: by) else { throw Problem(status: .badRequest, message: "by \(by.prefix(40)): not a metric") }
        if let why = metric.notRankable, !(forLabels && metric == .hub(.models)) { throw Problem(status: .badRequest, message: why) }
        return metric
    }

    func rankRepos(_ request: Request) async throws -> Response {
        await offload {
            let metric = try Self.rankable(request, default: "activity")
            let period = try Self.period(request, default: latestYear)
            switch metric {
            case .events(let m):
                return try ranked(request, key: "repos|\(m.rawValue)|\(period.key)", by: metric.name, period: period) {
                    try engine.rank(by: m, period: period, top: Self.maxTop).map { ($0.repo.name, $0.value) }
                }
            case .git(let m):
                guard let context = try context(try store.dataStamp()) else { return Self.computing() }
                return try ranked(request, key: "git|\(m.rawValue)|\(period.key)", by: metric.name, period: period) {
                    try GitMetricsEngine(store: store, context: context).rank(by: m, period: period, top: Self.maxTop, mirrors: try MirrorFinder(store: store).gitMirrors())
                        .map { ($0.repo.description, $0.value) }
                }
            case .hub(let m):
                let period = try Self.period(request, default: latestHubMonth)
                guard let catalog = try hubCatalog(try store.dataStamp()) else { return Self.computing() }
                return try ranked(request, key: "hub|\(m.rawValue)|\(period.key)", by: metric.name, period: period) {
                    catalog.rank(by: m, period: period, top: Self.maxTop).map { ("huggingface:" + $0.id, $0.value) }
                }
            }
        }
    }

    func rankDevelopers(_ request: Request) async throws -> Response {
        await offload {
            let by = Self.query(request, "by") ?? "openrank"
            guard let metric = DeveloperMetric(rawValue: by) else { throw Problem(status: .badRequest, message: "by \(by.prefix(40)): one of \(DeveloperMetric.allCases.map(\.rawValue).joined(separator: ", "))") }
            let period = try Self.period(request, default: latestYear)
            return try ranked(request, key: "devs|\(by)|\(period.key)", by: by, period: period) {
                try engine.rankDevelopers(by: metric, period: period, top: Self.maxTop).map { ($0.login, $0.value) }
            }
        }
    }

    func rankLabels(_ request: Request) async throws -> Response {
        await offload {
            let metric = try Self.rankable(request, default: "openrank", forLabels: true)
            let type = Self.query(request, "type") ?? "Company"
            guard let context = try context(try store.dataStamp()) else { return Self.computing() }
            guard !context.labels.labels(ofType: type).isEmpty else { throw Problem(status: .notFound, message: "type \(type.prefix(40)): no label of that type") }
            if case .hub(let m) = metric {
                let period = try Self.period(request, default: latestHubMonth)
                guard let catalog = try hubCatalog(try store.dataStamp()) else { return Self.computing() }
                return try ranked(request, key: "labels|\(type)|\(metric.name)|\(period.key)", by: metric.name, period: period, extra: ["type": type]) {
                    HubLabels.rank(catalog, labels: context.labels, type: type, by: m, period: period, top: Self.maxTop)
                        .compactMap { row in row.summary.value(m).map { (row.label.id, $0) } }
                }
            }
            let period = try Self.period(request, default: latestYear)
            return try ranked(request, key: "labels|\(type)|\(metric.name)|\(period.key)", by: metric.name, period: period, extra: ["type": type]) {
                let ranked: [(label: LabelDefinition, value: Double, repos: Int)] = switch metric {
                case .events(let m): try LabelMetrics(engine: engine, labels: context.labels).rank(type: type, by: m, period: period, top: Self.maxTop)
                case .git(let m): try GitMetricsEngine(store: store, context: context).rankLabels(type: type, by: m, period: period, top: Self.maxTop,
                                                                                                  mirrors: try MirrorFinder(store: store).gitMirrors())
                case .hub: []
                }
                return ranked.map { ($0.label.id, $0.value) }
            }
        }
    }

    /// `?label=`: a label the store has, or 404.
    static func label(_ request: Request, _ context: PeopleContext) throws -> String? {
        guard let text = query(request, "label") else { return nil }
        let id = text.hasPrefix(":") ? text : ":" + text
        guard context.labels.label(id) != nil else { throw Problem(status: .notFound, message: "no label \(id.prefix(80))") }
        return id
    }

    /// Mirror pairs and their burden, for everything or one label (`?label=`).
    func mirrors(_ request: Request) async throws -> Response {
        await offload {
            let stamp = try store.dataStamp()
            if let cached = Self.notModified(request, stamp) { return cached }
            guard let context = try context(stamp) else { return Self.computing() }
            let label = try Self.label(request, context)
            return try whenReady("mirrors|\(label ?? "")", stamp: stamp) { () -> String in
                let finder = MirrorFinder(store: store)
                let coverage = label.map { context.labels.coverage(of: $0) }
                let pairs = try finder.find()
                let burden = MirrorBurden.of(pairs, repositories: try finder.knownRepositories(), covers: coverage.map { c in { c.contains($0) } })
                return MirrorsJSON.render(burden.pairs, burden: burden)
            } respond: { Self.json($0, stamp: stamp) }
        }
    }

    func search(_ request: Request) async throws -> Response {
        await offload {
            guard let q = Self.query(request, "q")?.trimmingCharacters(in: .whitespaces), (1...100).contains(q.count) else {
                throw Problem(status: .badRequest, message: "q: 1 to 100 characters")
            }
            var limit = 20
            if let text = Self.query(request, "limit") {
                guard let n = Int(text), (1...50).contains(n) else { throw Problem(status: .badRequest, message: "limit must be 1…50") }
                limit = n
            }
            let stamp = try store.dataStamp()
            if let cached = Self.notModified(request, stamp) { return cached }
            let repos = try store.repositories(prefix: q, limit: limit).map { JSONText.string($0.name) }
            let devs = try store.logins(prefix: q, limit: limit).map { JSONText.string($0) }
            let lower = q.lowercased()
            let histories = try store.gitRepositories().filter { $0.repo.name.lowercased().hasPrefix(lower) || $0.repo.description.lowercased().hasPrefix(lower) }
                .prefix(limit).map { JSONText.string($0.repo.description) }
            var labels: [String] = []
            if let context = try context(stamp) {
                labels = context.labels.labels.values.filter { $0.id.lowercased().contains(lower) || $0.name.lowercased().contains(lower) || ($0.nameZh?.contains(q) ?? false) }
                    .map(\.id).sorted().prefix(limit).map { JSONText.string($0) }
            }
            return Self.json("{\"q\":\(JSONText.string(q)),\"repositories\":[\(repos.joined(separator: ","))],\"developers\":[\(devs.joined(separator: ","))],"
                             + "\"git_histories\":[\(histories.joined(separator: ","))],\"labels\":[\(labels.joined(separator: ","))]}", stamp: stamp)
        }
    }
}
