import Foundation
import KaiyuanCore

/// The v5 REST API that Gitee defined and GitCode and AtomGit follow: a repository, its
/// issues, pull requests and their comments, stargazers and forks, an owner's repositories.
/// Lists are paged (`per_page`, `page`, and the `total_page` header); the token goes in the
/// query (`access_token`), and messages never show it.
public struct ForgeAPI: Sendable {
    public let platform: Platform
    /// `https://gitee.com/api/v5`, without a trailing slash.
    public let base: URL
    public var client: HTTPClient
    let token: String?
    public var perPage = 100

    /// The public API of each forge; `--api` names another (a private Gitee, a proxy, a test).
    public static func defaultBase(_ platform: Platform) -> URL {
        switch platform {
        case .gitcode: URL(string: "https://api.gitcode.com/api/v5")!
        case .atomgit: URL(string: "https://api.atomgit.com/api/v5")!
        default: URL(string: "https://gitee.com/api/v5")!
        }
    }

    public init(platform: Platform, base: URL? = nil, token: String? = nil, client: HTTPClient = HTTPClient()) {
        self.platform = platform
        self.base = base ?? Self.defaultBase(platform)
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.client = client
    }

    public enum Failure: Error, CustomStringConvertible {
        case noSuchRepository(String, String)
        case noSuchOwner(String, String)
        case unauthorised(String, String)
        case notJSON(String)

        public var description: String {
            switch self {
            case let .noSuchRepository(repo, url): "\(url): no repository \(repo) (it does not exist, or it is private: a private one needs --token)"
            case let .noSuchOwner(owner, url): "\(url): no user or organisation \(owner)"
            case let .unauthorised(url, why): "\(url): \(why); the token is invalid, expired or revoked: make a new one in the forge's settings and pass --token (or the environment variable)"
            case let .notJSON(url): "\(url): the answer is not JSON (a login page or a proxy's?); check --api"
            }
        }
    }

    /// The endpoints a repository is read from, in the order they are read.
    public enum Endpoint: String, CaseIterable, Sendable {
        case issues, issueComments = "issue_comments", pulls, pullComments = "pull_comments", stargazers, forks

        /// Whether the list takes `since` (items updated since): the others are read whole.
        public var takesSince: Bool { path.since }

        /// The path under `repos/OWNER/NAME`, and whether it takes `since` (items updated since).
        var path: (String, since: Bool) {
            switch self {
            case .issues: ("issues", true)
            case .issueComments: ("issues/comments", true)
            case .pulls: ("pulls", true)
            case .pullComments: ("pulls/comments", true)
            case .stargazers: ("stargazers", false)
            case .forks: ("forks", false)
            }
        }
    }

    func url(_ path: String, _ query: [(String, String)] = []) -> URL {
        var parts = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        var items = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        if let token { items.append(URLQueryItem(name: "access_token", value: token)) }
        parts.queryItems = items.isEmpty ? nil : items
        return parts.url!
    }

    /// The first page of an endpoint's list.
    public func listURL(_ repo: String, _ endpoint: Endpoint, since: String?) -> URL {
        var q: [(String, String)] = []
        switch endpoint {
        case .issues, .pulls: q = [("state", "all"), ("sort", "updated"), ("direction", "asc")]
        case .issueComments, .pullComments: q = [("sort", "updated"), ("direction", "asc")]
        case .forks: q = [("sort", "newest")]
        case .stargazers: q = []
        }
        if endpoint.path.since, let since { q.append(("since", since)) }
        // No `page`: the client adds `page=2`, `page=3`… after everything else.
        q.append(("per_page", String(perPage)))
        return url("repos/\(repo)/\(endpoint.path.0)", q)
    }

    public func repositoryURL(_ repo: String) -> URL { url("repos/\(repo)") }

    /// The repository's own record.
    public func repository(_ repo: String) async throws -> [String: Any] {
        let u = repositoryURL(repo)
        let r: HTTPClient.Response
        do { r = try await client.get(u) } catch let e as HTTPClient.Failure { throw explain(e, repository: repo) }
        guard let o = (try? JSONSerialization.jsonObject(with: r.body)) as? [String: Any] else { throw Failure.notJSON(HTTPClient.shown(u)) }
        return o
    }

    /// The full names of an owner's public repositories: an organisation's, else a user's.
    public func repositories(owner: String) async throws -> [String] {
        var names: [String] = []
        // An organisation's own repositories, else a user's own (not those it only belongs to).
        for (path, type) in [("orgs/\(owner)/repos", "all"), ("users/\(owner)/repos", "owner")] {
            let first = url(path, [("type", type), ("per_page", String(perPage))])
            do {
                try await client.pages(first) { r in
                    guard let list = (try? JSONSerialization.jsonObject(with: r.body)) as? [[String: Any]] else { throw Failure.notJSON(HTTPClient.shown(r.url)) }
                    names += list.compactMap { $0["full_name"] as? String }
                }
                return names.sorted()
            } catch HTTPClient.Failure.notFound {
                continue
            } catch let e as HTTPClient.Failure {
                throw explain(e, repository: nil)
            }
        }
        throw Failure.noSuchOwner(owner, HTTPClient.shown(url("users/\(owner)")))
    }

    /// Every page of an endpoint, in order: the page's URL, its bytes and its items (nil when
    /// the page is not a JSON list).
    public func pages(_ repo: String, _ endpoint: Endpoint, since: String?,
                      _ body: (URL, [UInt8], [[String: Any]]?) throws -> Void) async throws {
        do {
            try await client.pages(listURL(repo, endpoint, since: since)) { r in
                let bytes = [UInt8](r.body)
                try body(r.url, bytes, (try? JSONSerialization.jsonObject(with: r.body)) as? [[String: Any]])
            }
        } catch let e as HTTPClient.Failure {
            // A list that is not there (an endpoint a forge lacks) is not a missing repository.
            throw explain(e, repository: nil)
        }
    }

    func explain(_ e: HTTPClient.Failure, repository: String?) -> Error {
        switch e {
        case let .notFound(u): if let repository { return Failure.noSuchRepository(repository, HTTPClient.shown(u)) }
        case let .failed(u, why) where why.hasPrefix("HTTP 401"): return Failure.unauthorised(HTTPClient.shown(u), why)
        default: break
        }
        return e
    }
}
