import Foundation

/// Where a store is, as a user writes it: a path or `sqlite:PATH` (the default, one file), or
/// `clickhouse://HOST:PORT[,HOST:PORT…]/DATABASE?cluster=NAME` (a ClickHouse cluster over its
/// HTTP interface; the listed nodes are the cluster's shards, in shard order).
public enum StoreLocation: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case clickhouse(ClickHouseLocation)

    /// The location a command uses: `--store`, else `$KAIYUAN_STORE`, else `$KAIYUAN_DB`, else
    /// `./kaiyuan.db`.
    public static func resolve(_ given: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> StoreLocation {
        try StoreLocation(parsing: given ?? environment["KAIYUAN_STORE"] ?? environment["KAIYUAN_DB"] ?? "kaiyuan.db")
    }

    public init(parsing text: String) throws {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw StoreError.badLocation(text, "sqlite: needs a path, as in sqlite:kaiyuan.db") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("clickhouse://") {
            self = .clickhouse(try ClickHouseLocation(parsing: text))
        } else if let scheme = text.range(of: "://"), !text[..<scheme.lowerBound].contains("/") {
            throw StoreError.badLocation(text, "unknown scheme '\(text[..<scheme.lowerBound])'")
        } else {
            guard !text.isEmpty else { throw StoreError.badLocation(text, "empty path") }
            self = .sqlite(path: text)
        }
    }

    public var description: String {
        switch self {
        case let .sqlite(path): "sqlite:\(path)"
        case let .clickhouse(c): c.description
        }
    }
}

/// A ClickHouse cluster as kaiyuan reaches it: HTTP endpoints of its shards, a database, and
/// the cluster's name in the servers' `remote_servers` (none for a single server).
public struct ClickHouseLocation: Equatable, Sendable, CustomStringConvertible {
    public struct Node: Equatable, Sendable, CustomStringConvertible {
        public var host: String
        public var port: Int
        public init(host: String, port: Int) { self.host = host; self.port = port }
        public var description: String { "\(host):\(port)" }
        public var url: String { "http://\(host):\(port)/" }
    }
    public var nodes: [Node]
    public var database: String
    public var cluster: String?
    public var user: String?
    public var password: String?

    public init(nodes: [Node], database: String, cluster: String?, user: String? = nil, password: String? = nil) {
        self.nodes = nodes; self.database = database; self.cluster = cluster; self.user = user; self.password = password
    }

    public init(parsing text: String) throws {
        let usage = "write clickhouse://HOST:PORT[,HOST:PORT…]/DATABASE?cluster=NAME"
        var rest = Substring(text.dropFirst("clickhouse://".count))
        var query = Substring("")
        if let q = rest.firstIndex(of: "?") { query = rest[rest.index(after: q)...]; rest = rest[..<q] }
        guard let slash = rest.firstIndex(of: "/") else { throw StoreError.badLocation(text, "no database: \(usage)") }
        let hosts = rest[..<slash], db = rest[rest.index(after: slash)...]
        guard !db.isEmpty, db.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), db.first?.isNumber == false else {
            throw StoreError.badLocation(text, "the database name must be letters, digits and _: \(usage)")
        }
        var nodes: [Node] = []
        for part in hosts.split(separator: ",") {
            let hp = part.split(separator: ":")
            guard hp.count == 2, !hp[0].isEmpty, let port = Int(hp[1]), (1...65535).contains(port) else {
                throw StoreError.badLocation(text, "'\(part)' is not HOST:PORT (ClickHouse's HTTP port, 8123 by default): \(usage)")
            }
            nodes.append(Node(host: String(hp[0]), port: port))
        }
        guard !nodes.isEmpty else { throw StoreError.badLocation(text, "no HOST:PORT: \(usage)") }
        var cluster: String?, user: String?, password: String?
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            guard kv.count == 2 else { throw StoreError.badLocation(text, "'\(pair)' is not KEY=VALUE") }
            switch kv[0] {
            case "cluster": cluster = kv[1]
            case "user": user = kv[1]
            case "password": password = kv[1]
            default: throw StoreError.badLocation(text, "unknown parameter '\(kv[0])' (cluster, user and password are known)")
            }
        }
        if nodes.count > 1 && cluster == nil {
            throw StoreError.badLocation(text, "several nodes need the cluster's name from their remote_servers: add ?cluster=NAME")
        }
        self.init(nodes: nodes, database: String(db), cluster: cluster, user: user, password: password)
    }

    public var description: String {
        "clickhouse://" + nodes.map(\.description).joined(separator: ",") + "/" + database + (cluster.map { "?cluster=\($0)" } ?? "")
    }
}

/// What goes wrong opening or using a store, each with what to do next.
public enum StoreError: Error, CustomStringConvertible {
    case missing(path: String)
    case newerSchema(path: String)
    case olderSchema(path: String)
    case badLocation(String, String)
    /// A node that does not answer, or answers with an error.
    case unreachable(url: String, detail: String)
    case server(url: String, detail: String)
    case unknownCluster(url: String, cluster: String)

    public var description: String {
        switch self {
        case let .missing(path): "no store at \(path): ingest something first (kaiyuan ingest gharchive --store \(path) FILE…), or pass --store"
        case let .newerSchema(path): "\(path) was written by a newer kaiyuan: upgrade kaiyuan to read it"
        case let .olderSchema(path): "\(path) has an older schema: run any kaiyuan ingest on it to migrate it"
        case let .badLocation(text, why): "--store \(text): \(why)"
        case let .unreachable(url, detail): "ClickHouse at \(url) does not answer (\(detail)): start it, or check HOST:PORT (the HTTP port, 8123 by default)"
        case let .server(url, detail): "ClickHouse at \(url): \(detail)"
        case let .unknownCluster(url, cluster): "ClickHouse at \(url) knows no cluster '\(cluster)': name one from its remote_servers (SELECT DISTINCT cluster FROM system.clusters)"
        }
    }
}
