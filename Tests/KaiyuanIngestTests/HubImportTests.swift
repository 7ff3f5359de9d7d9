import Foundation
import KaiyuanCore
import KaiyuanIngest
import KaiyuanMetrics
import KaiyuanSources
import KaiyuanStore
import TestSupport
import XCTest

/// Reading the Hugging Face Hub: saved listings (the real 2022 one) and the live API, replayed
/// by a server on 127.0.0.1 (paging, a 429, a gated model, a model without a licence, an
/// expired token, an author with no models, a page that is not JSON).
final class HubImportTests: StoreTestCase {
    // MARK: Saved listings

    /// The real 29,432 records of 2022: every one stored, each count as the file says (checked
    /// against an independent JSON decode of the same lines), and a second run changes nothing.
    func testTheReal2022ListingIsStoredAsItSays() throws {
        let file = try sharedData("data/huggingface/models-2022.jsonl.gz")
        let outcome = try HubImporter(store: store).importFile(path: file.path, asOf: nil)
        XCTAssertEqual(outcome.models, 29_432)
        XCTAssertEqual(outcome.date.description, "2022-02-15", "the newest lastModified dates the listing")
        XCTAssertFalse(outcome.replacedEarlier)

        // The independent reading: Foundation's JSON decoder over the raw lines.
        var expected: [String: (downloads: Int?, likes: Int?, licence: String?)] = [:]
        for line in try HubFixtures.gunzipLines(file) {
            let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let tags = o["tags"] as? [String] ?? []
            expected[o["modelId"] as! String] = (o["downloads"] as? Int, o["likes"] as? Int,
                                                 tags.first { $0.hasPrefix("license:") }.map { String($0.dropFirst(8)) })
        }
        var stored: [String: HubModel] = [:]
        try store.forEachHubModel { day, m in XCTAssertEqual(day, outcome.date); stored[m.id] = m }
        XCTAssertEqual(stored.count, expected.count)
        var mismatches = 0
        for (id, e) in expected {
            guard let m = stored[id] else { mismatches += 1; continue }
            if m.downloads.map(Int.init) != e.downloads || m.likes.map(Int.init) != e.likes || m.licenceTag != e.licence { mismatches += 1 }
        }
        XCTAssertEqual(mismatches, 0)
        XCTAssertEqual(stored.values.filter { $0.downloads == nil }.count, 212, "records without downloads stay missing, not 0")
        XCTAssertEqual(stored["hfl/chinese-roberta-wwm-ext"]?.author, "hfl")
        XCTAssertEqual(stored["bert-base-uncased"]?.author, "", "a canonical model has no organisation")

        var before: [String] = []
        try store.forEachHubModel { before.append("\($0) \($1)") }
        let again = try HubImporter(store: store).importFile(path: file.path, asOf: nil)
        XCTAssertTrue(again.replacedEarlier)
        var after: [String] = []
        try store.forEachHubModel { after.append("\($0) \($1)") }
        XCTAssertEqual(after, before)
    }

    /// Bad lines are named with their line numbers and skipped; bad fields are left out and
    /// named; the rest of the file is stored.
    func testBadLinesAndFieldsAreNamedAndTheRestKept() throws {
        let lines = [
            #"{"id":"acme/good","author":"acme","downloads":5,"likes":1,"tags":["license:apache-2.0"],"createdAt":"2025-01-02T10:00:00.000+08:00"}"#,
            #"{"id":"acme/cut","downloads":"#,
            #"{"downloads":7,"tags":[]}"#,
            #"{"id":"acme/negative","downloads":-3,"likes":"many","tags":["license:mit",42,"base_model:distilled:acme/good"]}"#,
            #"{"id":"acme/good","downloads":6,"tags":[]}"#,
            "",
            #"{"id":"bad id","downloads":1}"#,
            #"{"id":"acme/zero","downloads":0,"likes":0,"lastModified":"2025-02-01T00:00:00Z","tags":["license:llama3.1"],"gated":"manual"}"#,
        ]
        let path = dir.appendingPathComponent("models.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: path, atomically: true, encoding: .utf8)
        let outcome = try HubImporter(store: store).importFile(path: path.path, asOf: Day("2025-03-01"))
        XCTAssertEqual(outcome.models, 3)
        let problems = outcome.problems.map(\.description)
        XCTAssertEqual(problems.count, 8, problems.joined(separator: "\n"))
        XCTAssertTrue(problems.contains("models.jsonl:2: not JSON: skipped"))
        XCTAssertTrue(problems.contains("models.jsonl:3: a model without an id (`id` or `modelId`): skipped"))
        XCTAssertTrue(problems.contains("models.jsonl:4: acme/negative: downloads -3 is negative: left out"))
        XCTAssertTrue(problems.contains("models.jsonl:4: acme/negative: likes many is not a count: left out"))
        XCTAssertTrue(problems.contains { $0.hasPrefix("models.jsonl:4: acme/negative: a tag that is not text (42)") })
        XCTAssertTrue(problems.contains { $0.hasPrefix("models.jsonl:4: acme/negative: unknown tag base_model:distilled:acme/good") })
        XCTAssertTrue(problems.contains("models.jsonl:5: acme/good again (first on line 1): the later record kept"))
        XCTAssertTrue(problems.contains(#"models.jsonl:7: model id "bad id" holds spaces or control characters: skipped"#))
        var stored: [String: HubModel] = [:]
        try store.forEachHubModel { stored[$1.id] = $1 }
        XCTAssertEqual(stored.keys.sorted(), ["acme/good", "acme/negative", "acme/zero"])
        XCTAssertEqual(stored["acme/good"]?.downloads, 6)
        XCTAssertNil(stored["acme/negative"]?.downloads)
        XCTAssertNil(stored["acme/negative"]?.likes)
        XCTAssertEqual(stored["acme/negative"]?.tags, ["license:mit"])
        XCTAssertEqual(stored["acme/zero"]?.downloads, 0, "a real 0 stays 0")
        XCTAssertEqual(stored["acme/zero"]?.gated, "manual")
    }

    /// A listing cut short (a truncated gzip, or a last line without its end) is refused
    /// whole: stored, it would read as models deleted.
    func testAListingCutShortStoresNothing() throws {
        let plain = dir.appendingPathComponent("cut.jsonl")
        try (#"{"id":"a/b","downloads":1}"# + "\n" + #"{"id":"a/c","down"#).write(to: plain, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try HubImporter(store: store).importFile(path: plain.path, asOf: Day("2025-01-01"))) { error in
            XCTAssertTrue("\(error)".contains("cut.jsonl"), "\(error)")
        }
        let gz = dir.appendingPathComponent("cut.jsonl.gz")
        let full = try gzip(Data(String(repeating: #"{"id":"a/b","downloads":1}"# + "\n", count: 2000).utf8))
        try full.prefix(full.count / 2).write(to: gz)
        XCTAssertThrowsError(try HubImporter(store: store).importFile(path: gz.path, asOf: Day("2025-01-01")))
        XCTAssertEqual(try store.hubSnapshotDates().count, 0)
    }

    // MARK: The live API, replayed

    func server() throws -> (LocalHTTPServer, HubAPI) {
        let server = try LocalHTTPServer()
        addTeardownBlock { server.stop() }
        var client = HTTPClient(retries: 2, initialBackoff: 0.05)
        client.maxRateLimitWait = 5
        return (server, HubAPI(base: server.baseURL, client: client))
    }

    static func json(_ objects: [[String: Any]]) throws -> Data { try JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys]) }

    /// Today's shape of a listing entry (`id`, `author`, `createdAt`, `gated`, `cardData`).
    static func current(_ id: String, downloads: Int, likes: Int, tags: [String], gated: Any = false, licenceName: String? = nil,
                        allTime: Int? = nil, parameters: Int? = nil) -> [String: Any] {
        var o: [String: Any] = ["id": id, "modelId": id, "author": String(id.split(separator: "/")[0]), "createdAt": "2024-12-26T02:00:00.000Z",
                                "lastModified": "2025-03-24T10:00:00.000Z", "downloads": downloads, "likes": likes, "tags": tags,
                                "pipeline_tag": "text-generation", "library_name": "transformers", "gated": gated, "private": false]
        if let licenceName { o["cardData"] = ["license": "other", "license_name": licenceName] }
        if let allTime { o["downloadsAllTime"] = allTime }
        if let parameters { o["safetensors"] = ["total": parameters, "parameters": ["BF16": parameters]] }
        return o
    }

    /// Two pages joined by `Link`, the first answered 429 once; a model completed from its own
    /// record; derivatives by others; a gated model; a model with no licence.
    func testTheAPIIsReadPageByPageWithDerivatives() async throws {
        let (server, api) = try server()
        let first = LocalHTTPServer.requestPath(api.listingURL(author: "deepseek-ai"))
        let second = "/api/models?author=deepseek-ai&cursor=page2&full=true&cardData=true&limit=1000"
        server.serve(first, try Self.json([
            Self.current("deepseek-ai/DeepSeek-V3", downloads: 500_000, likes: 3900, tags: ["license:other", "fp8"], licenceName: "deepseek"),
        ]))
        server.headers(first, "Link: <\(server.baseURL.absoluteString.dropLast())\(second)>; rel=\"next\"")
        server.rateLimit(first, times: 1, retryAfter: 1)
        server.serve(second, try Self.json([
            Self.current("deepseek-ai/DeepSeek-R1", downloads: 1_200_000, likes: 12000, tags: ["license:mit"], allTime: 9_000_000, parameters: 684_531_386_000),
            Self.current("deepseek-ai/no-licence", downloads: 3, likes: 0, tags: [], gated: "manual", allTime: 4, parameters: 7_000_000),
        ]))
        // V3's own record gives what the listing lacked.
        var own = Self.current("deepseek-ai/DeepSeek-V3", downloads: 0, likes: 0, tags: [], allTime: 8_000_000, parameters: 684_531_386_000)
        own["gated"] = false
        server.serve(LocalHTTPServer.requestPath(api.modelURL("deepseek-ai/DeepSeek-V3")), try JSONSerialization.data(withJSONObject: own))
        server.serve(LocalHTTPServer.requestPath(api.derivativesURL(of: "deepseek-ai/DeepSeek-V3")), try Self.json([
            Self.current("unsloth/DeepSeek-V3-GGUF", downloads: 40_000, likes: 100, tags: ["license:mit", "base_model:deepseek-ai/DeepSeek-V3", "base_model:quantized:deepseek-ai/DeepSeek-V3"]),
            Self.current("someone/V3-ft", downloads: 10, likes: 1, tags: ["base_model:finetune:deepseek-ai/DeepSeek-V3"]),
        ]))
        server.serve(LocalHTTPServer.requestPath(api.derivativesURL(of: "deepseek-ai/DeepSeek-R1")), try Self.json([
            Self.current("deepseek-ai/DeepSeek-R1-Distill", downloads: 10, likes: 1, tags: ["base_model:finetune:deepseek-ai/DeepSeek-R1"]),
            Self.current("mlx/R1-4bit", downloads: 10, likes: 1, tags: ["base_model:quantized:deepseek-ai/DeepSeek-R1", "base_model:adapter:deepseek-ai/DeepSeek-R1"]),
        ]))
        server.serve(LocalHTTPServer.requestPath(api.derivativesURL(of: "deepseek-ai/no-licence")), try Self.json([]))

        let date = Day("2025-03-31")!
        let started = Date()
        let outcome = try await HubImporter(store: store).importAPI(api, authors: ["deepseek-ai"], withDerivatives: true, date: date)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 1.0, "Retry-After: 1 was waited out")
        XCTAssertEqual(outcome.models, 3)
        XCTAssertEqual(outcome.derivatives, 3, "deepseek-ai's own distill is not a derivative by others")
        XCTAssertEqual(outcome.problems, [])
        XCTAssertTrue(server.requestLog().filter { $0.path == first }.count == 2, "the 429 was waited out and asked again")

        let catalog = try HubCatalog(store: store)
        let v3 = try XCTUnwrap(catalog.models["deepseek-ai/DeepSeek-V3"])
        XCTAssertEqual(v3.latest.model.downloadsAllTime, 8_000_000)
        XCTAssertEqual(v3.latest.model.sizeClass, .over100B)
        XCTAssertEqual(v3.licence.kind, .openWeightRestricted)
        XCTAssertEqual(v3.licence.id, "deepseek")
        let march = Period(.month, containing: Month(year: 2025, month: 3))
        XCTAssertEqual(v3.value(.derivatives, march), 2)
        XCTAssertEqual(v3.derivatives[march.firstMonth], [.quantized: 1, .finetune: 1])
        let r1 = try XCTUnwrap(catalog.models["deepseek-ai/DeepSeek-R1"])
        XCTAssertEqual(r1.licence.kind, .open)
        XCTAssertTrue(r1.licence.osi)
        XCTAssertEqual(r1.derivatives[march.firstMonth], [.quantized: 1, .adapter: 1], "the Distill by deepseek-ai was not fetched as a derivative")
        let none = try XCTUnwrap(catalog.models["deepseek-ai/no-licence"])
        XCTAssertEqual(none.licence.kind, .unknown)
        XCTAssertEqual(none.latest.model.gated, "manual")
        XCTAssertNil(catalog.models["deepseek-ai/DeepSeek-R1-Distill"])
        XCTAssertEqual(catalog.rank(by: .downloads, period: march, top: 2).map(\.id), ["deepseek-ai/DeepSeek-R1", "deepseek-ai/DeepSeek-V3"])

        // The same day again: nothing changes.
        var before: [String] = []
        try store.forEachHubModel { before.append("\($0) \($1)") }
        let again = try await HubImporter(store: store).importAPI(api, authors: ["deepseek-ai"], withDerivatives: true, date: date)
        XCTAssertTrue(again.replacedEarlier)
        var after: [String] = []
        try store.forEachHubModel { after.append("\($0) \($1)") }
        XCTAssertEqual(after, before)
    }

    /// Two authors in one run, the second's derivatives including the first's model: the
    /// first's completed record stands whatever the order; the author typed in other case
    /// still replaces its models, so a deleted one is gone.
    func testAuthorsInAnyOrderAndAnyCase() async throws {
        let (server, api) = try server()
        let gguf = "unsloth/DeepSeek-V3-GGUF"
        server.serve(LocalHTTPServer.requestPath(api.listingURL(author: "unsloth")), try Self.json([
            Self.current(gguf, downloads: 40, likes: 1, tags: ["base_model:quantized:deepseek-ai/DeepSeek-V3"], allTime: 400, parameters: 671_000_000_000),
        ]))
        server.serve(LocalHTTPServer.requestPath(api.listingURL(author: "DeepSeek-AI")), try Self.json([
            Self.current("deepseek-ai/DeepSeek-V3", downloads: 500, likes: 9, tags: ["license:mit"], allTime: 5000, parameters: 671_000_000_000),
            Self.current("deepseek-ai/old", downloads: 1, likes: 0, tags: [], allTime: 1, parameters: 1),
        ]))
        server.serve(LocalHTTPServer.requestPath(api.derivativesURL(of: "deepseek-ai/DeepSeek-V3")), try Self.json([
            Self.current(gguf, downloads: 40, likes: 1, tags: ["base_model:quantized:deepseek-ai/DeepSeek-V3"]),
        ]))
        for m in [gguf, "deepseek-ai/old"] { server.serve(LocalHTTPServer.requestPath(api.derivativesURL(of: m)), try Self.json([])) }
        let date = Day("2025-04-30")!
        _ = try await HubImporter(store: store).importAPI(api, authors: ["unsloth", "DeepSeek-AI"], withDerivatives: true, date: date)
        var catalog = try HubCatalog(store: store)
        XCTAssertEqual(catalog.models[gguf]?.latest.model.downloadsAllTime, 400, "the derivative listing did not overwrite unsloth's own record")
        XCTAssertEqual(catalog.models["deepseek-ai/DeepSeek-V3"]?.value(.derivatives, Period("2025-04")!), 1)

        // The same day again without deepseek-ai/old, the author typed as the Hub spells it.
        server.serve(LocalHTTPServer.requestPath(api.listingURL(author: "deepseek-ai")), try Self.json([
            Self.current("deepseek-ai/DeepSeek-V3", downloads: 501, likes: 9, tags: ["license:mit"], allTime: 5001, parameters: 671_000_000_000),
        ]))
        _ = try await HubImporter(store: store).importAPI(api, authors: ["deepseek-ai"], withDerivatives: false, date: date)
        catalog = try HubCatalog(store: store)
        XCTAssertNil(catalog.models["deepseek-ai/old"], "deleted: gone from that date")
        XCTAssertEqual(catalog.models["deepseek-ai/DeepSeek-V3"]?.value(.downloads, Period("2025-04")!), 501)
    }

    /// The real 2022 records of one organisation, served in today's shape over two pages.
    func testRealRecordsServedInTodaysShape() async throws {
        let file = try sharedData("data/huggingface/models-2022.jsonl.gz")
        var hfl: [[String: Any]] = []
        for line in try HubFixtures.gunzipLines(file) where line.hasPrefix(#"{"modelId":"hfl/"#) {
            var o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            o["id"] = o["modelId"]; o["author"] = "hfl"; o["createdAt"] = o["lastModified"]; o["gated"] = false
            o["downloadsAllTime"] = (o["downloads"] as? Int ?? 0) * 10
            o["safetensors"] = ["total": 102_000_000]
            hfl.append(o)
        }
        XCTAssertEqual(hfl.count, 37)
        let (server, api) = try server()
        let first = LocalHTTPServer.requestPath(api.listingURL(author: "hfl"))
        let second = "/api/models?author=hfl&cursor=2"
        server.serve(first, try Self.json(Array(hfl[..<20])))
        server.headers(first, "Link: <\(second)>; rel=\"next\"")
        server.serve(second, try Self.json(Array(hfl[20...])))
        let outcome = try await HubImporter(store: store).importAPI(api, authors: ["hfl"], withDerivatives: false, date: Day("2022-02-28")!)
        XCTAssertEqual(outcome.models, 37)
        XCTAssertEqual(server.requestLog().count, 2, "complete records need no model requests")
        let summary = try HubCatalog(store: store).summary(of: try HubCatalog(store: store).ids(author: "HFL"), period: Period("2022")!)
        XCTAssertEqual(summary.models, 37)
        XCTAssertEqual(summary.downloads.value, hfl.reduce(Int64(0)) { $0 + Int64($1["downloads"] as? Int ?? 0) })
        XCTAssertNil(summary.derivatives, "no base_model tags in 2022: unknown, not 0")
    }

    /// An expired token stops the run with what to do; an author with no models, or whose
    /// first page is not JSON, is named while the other authors are stored.
    func testFaultsAreNamedAndOtherAuthorsStillStored() async throws {
        let (server, api) = try server()
        server.serve(LocalHTTPServer.requestPath(api.listingURL(author: "ghost")), try Self.json([]))
        server.serve(LocalHTTPServer.requestPath(api.listingURL(author: "proxy")), Data("<html>sign in</html>".utf8))
        server.serve(LocalHTTPServer.requestPath(api.listingURL(author: "ok")), try Self.json([
            Self.current("ok/model", downloads: 1, likes: 0, tags: ["license:cc-by-nc-4.0"], allTime: 1, parameters: 1),
            Self.current("ok/gated", downloads: 2, likes: 0, tags: [], gated: "manual"),
        ]))
        // The gated model's own record is refused: a problem, and the model kept as listed.
        server.respond(LocalHTTPServer.requestPath(api.modelURL("ok/gated")), status: 403, body: Data(#"{"error":"Access to model ok/gated is restricted"}"#.utf8))
        let outcome = try await HubImporter(store: store).importAPI(api, authors: ["ghost", "proxy", "ok"], withDerivatives: false, date: Day("2025-01-31")!)
        XCTAssertEqual(outcome.authors, ["ok"])
        XCTAssertEqual(outcome.failedAuthors.map(\.author), ["ghost", "proxy"])
        XCTAssertTrue(outcome.failedAuthors[0].why.contains("no models by ghost"), outcome.failedAuthors[0].why)
        XCTAssertTrue(outcome.failedAuthors[1].why.contains("not JSON"), outcome.failedAuthors[1].why)
        XCTAssertEqual(try HubCatalog(store: store).models["ok/model"]?.licence.kind, .nonCommercial)
        XCTAssertEqual(try HubCatalog(store: store).models["ok/gated"]?.latest.model.downloads, 2)
        XCTAssertTrue(outcome.problems.contains { $0.detail.hasPrefix("ok/gated: its own record could not be read (") && $0.detail.contains("HTTP 403") },
                      outcome.problems.map(\.description).joined(separator: "\n"))

        server.respond(LocalHTTPServer.requestPath(api.listingURL(author: "ok")), status: 401, body: Data(#"{"error":"Invalid credentials in Authorization header"}"#.utf8))
        do {
            _ = try await HubImporter(store: store).importAPI(api, authors: ["ok"], withDerivatives: false, date: Day("2025-02-28")!)
            XCTFail("an expired token must stop the run")
        } catch {
            XCTAssertTrue("\(error)".contains("huggingface.co/settings/tokens"), "\(error)")
        }
        XCTAssertEqual(try store.hubSnapshotDates().map(\.date.description), ["2025-01-31"])
    }

    /// A page after the first that is not JSON: what came before is stored, and the author's
    /// other models on that date are not removed (the listing was incomplete).
    func testAnIncompleteListingRemovesNothing() async throws {
        let (server, api) = try server()
        let first = LocalHTTPServer.requestPath(api.listingURL(author: "acme"))
        let date = Day("2025-05-31")!
        try store.replaceHubSnapshot(HubSnapshot(date: date, authors: ["acme"], models: [HubModel(id: "acme/old", downloads: 9), HubModel(id: "acme/a", downloads: 1)], source: "earlier"))
        server.serve(first, try Self.json([Self.current("acme/a", downloads: 2, likes: 0, tags: [], allTime: 2, parameters: 1)]))
        server.headers(first, "Link: <\(server.baseURL.absoluteString)page2>; rel=\"next\"")
        server.serve("/page2", Data("{\"truncated\": ".utf8))
        let outcome = try await HubImporter(store: store).importAPI(api, authors: ["acme"], withDerivatives: false, date: date)
        XCTAssertEqual(outcome.problems.count, 1)
        XCTAssertTrue(outcome.problems[0].place.hasSuffix("/page2"), outcome.problems[0].description)
        var rows: [String] = []
        try store.forEachHubModel { rows.append("\($1.id) \($1.downloads!)") }
        XCTAssertEqual(rows, ["acme/a 2", "acme/old 9"])
    }

    func gzip(_ data: Data) throws -> Data {
        let input = dir.appendingPathComponent("plain-\(UUID().uuidString)")
        try data.write(to: input)
        return try gzipped(input)
    }
}
