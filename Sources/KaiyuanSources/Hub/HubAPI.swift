import Foundation
import KaiyuanCore

/// The Hugging Face Hub's model API: an author's models (`/api/models?author=…`, paged by
/// `Link: rel="next"`), a model's own record for the fields a listing lacks, and the models
/// built on a given one (`filter=base_model:…`).
public struct HubAPI: Sendable {
    public var base: URL
    public var client: HTTPClient
    /// Models a page asks for (the Hub's largest page is 1000).
    public var pageSize = 1000

    public init(base: URL = URL(string: "https://huggingface.co")!, token: String? = nil, client: HTTPClient = HTTPClient()) {
        self.base = base
        var client = client
        if let token, !token.isEmpty { client.headers["Authorization"] = "Bearer \(token)" }
        self.client = client
    }

    public enum Failure: Error, CustomStringConvertible {
        case noSuchAuthor(String, URL)
        case unauthorised(URL, String)
        case notJSON(URL)
        case noReadableModels(String, URL, Int)

        public var description: String {
            switch self {
            case let .noSuchAuthor(a, url): "\(url): no models by \(a) (no such user or organisation, or nothing public); check the spelling, it is case-sensitive on the Hub"
            case let .unauthorised(url, why): "\(url): \(why); the token is invalid or expired: make a new one at https://huggingface.co/settings/tokens and pass --token or $HF_TOKEN"
            case let .notJSON(url): "\(url): the answer is not JSON (a proxy's page, or not the Hub?); check --api"
            case let .noReadableModels(a, url, n): "\(url): \(n) records for \(a), none of them a readable model (the problems say why); nothing of \(a) stored"
            }
        }
    }

    /// Every model of an author, a page at a time. A page that is not a JSON list is named
    /// and ends the listing (so the author is not replaced from a partial list: `complete`
    /// is false); a bad record in a sound page is named and skipped.
    public func models(author: String, problems: inout [HubProblem]) async throws -> (models: [HubModel], complete: Bool) {
        try await listing(["author": author], problems: &problems)
    }

    /// Models whose `base_model` tags name `id` (fine-tunes, adapters, quantizations, merges).
    public func derivatives(of id: String, problems: inout [HubProblem]) async throws -> [HubModel] {
        do {
            return try await listing(["filter": "base_model:\(id)"], problems: &problems).models
        } catch let error as Failure {
            if case .unauthorised = error { throw error }
            problems.append(HubProblem(place: derivativesURL(of: id).absoluteString, detail: "the derivatives of \(id) could not be read (\(error)): none counted from this run"))
        } catch let error as HTTPClient.Failure {
            problems.append(HubProblem(place: derivativesURL(of: id).absoluteString, detail: "the derivatives of \(id) could not be read (\(error)): none counted from this run"))
        }
        return []
    }

    /// One model's own record with the fields a listing may lack (all-time downloads,
    /// parameters, gating, the card's licence name), merged into `model`.
    public func completing(_ model: HubModel, problems: inout [HubProblem]) async throws -> HubModel {
        let url = modelURL(model.id)
        let response: HTTPClient.Response
        do { response = try await client.get(url) } catch let error as HTTPClient.Failure {
            // A model's own record is a detail: only a bad token stops the run.
            let explained = Self.explain(error)
            if explained is Failure { throw explained }
            let why = if case .notFound = error { "not found (deleted since it was listed?)" } else { error.description }
            problems.append(HubProblem(place: url.absoluteString, detail: "\(model.id): its own record could not be read (\(why)): kept as listed"))
            return model
        }
        guard let object = try? JSONSerialization.jsonObject(with: response.body) else {
            problems.append(HubProblem(place: url.absoluteString, detail: "not JSON: \(model.id) kept as listed")); return model
        }
        guard let own = HubRecordReader.model(from: object, place: url.absoluteString, problems: &problems) else { return model }
        var merged = model
        merged.downloadsAllTime = own.downloadsAllTime ?? model.downloadsAllTime
        merged.parameters = own.parameters ?? model.parameters
        merged.gated = own.gated ?? model.gated
        merged.licenceName = own.licenceName ?? model.licenceName
        merged.createdAt = model.createdAt ?? own.createdAt
        return merged
    }

    /// The first page of an author's listing.
    public func listingURL(author: String) -> URL { listingURL(["author": author]) }
    /// The first page of the models built on `id`.
    public func derivativesURL(of id: String) -> URL { listingURL(["filter": "base_model:\(id)"]) }
    /// A model's own record, with the fields a listing may lack.
    public func modelURL(_ id: String) -> URL {
        var parts = URLComponents(url: base.appendingPathComponent("api/models/\(id)"), resolvingAgainstBaseURL: false)!
        parts.queryItems = ["downloadsAllTime", "safetensors", "gated", "cardData", "createdAt"].map { URLQueryItem(name: "expand[]", value: $0) }
        return parts.url!
    }

    func listingURL(_ query: [String: String]) -> URL {
        var parts = URLComponents(url: base.appendingPathComponent("api/models"), resolvingAgainstBaseURL: false)!
        parts.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            + [URLQueryItem(name: "full", value: "true"), URLQueryItem(name: "cardData", value: "true"), URLQueryItem(name: "limit", value: String(pageSize))]
        return parts.url!
    }

    private func listing(_ query: [String: String], problems: inout [HubProblem]) async throws -> (models: [HubModel], complete: Bool) {
        let first = listingURL(query)
        var models: [HubModel] = []
        var complete = true
        var records = 0
        var pageProblems: [HubProblem] = []
        do {
            try await client.pages(first) { response in
                guard complete else { return }
                guard let list = (try? JSONSerialization.jsonObject(with: response.body)) as? [Any] else {
                    if models.isEmpty { throw Failure.notJSON(response.url) }
                    pageProblems.append(HubProblem(place: response.url.absoluteString, detail: "not a JSON list of models: the listing stops here, and what came before is kept without replacing the author's other models"))
                    complete = false
                    return
                }
                records += list.count
                for (i, item) in list.enumerated() {
                    if let m = HubRecordReader.model(from: item, place: "\(response.url.absoluteString) #\(i + 1)", problems: &pageProblems) { models.append(m) }
                }
            }
        } catch let error as HTTPClient.Failure {
            throw Self.explain(error)
        }
        problems += pageProblems
        if models.isEmpty, complete, let author = query["author"] {
            if records > 0 { throw Failure.noReadableModels(author, first, records) }
            throw Failure.noSuchAuthor(author, first)
        }
        // Cursor paging can repeat a model across pages: the later record stands.
        var seen: [String: Int] = [:]
        var unique: [HubModel] = []
        for m in models {
            if let i = seen[m.id] { unique[i] = m } else { seen[m.id] = unique.count; unique.append(m) }
        }
        return (unique, complete)
    }

    static func explain(_ error: HTTPClient.Failure) -> Error {
        if case let .failed(url, why) = error, why.hasPrefix("HTTP 401") { return Failure.unauthorised(url, why) }
        return error
    }
}
