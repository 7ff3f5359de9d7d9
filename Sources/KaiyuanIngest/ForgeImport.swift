import Foundation
import KaiyuanCore
import KaiyuanSources
import KaiyuanStore

/// Reads a forge's API (Gitee, GitCode, AtomGit) into facts, a page at a time. Each page is
/// committed with its ledger record, whose name carries the endpoint's cursor (the newest
/// `updated_at` on it): an interrupted run resumes after the last page committed, and a later
/// run asks only for what changed since (`since`). A page whose bytes were already read is
/// not committed again; facts are idempotent, so re-running changes nothing.
public struct ForgeImporter: Sendable {
    public let store: any DataStore

    public init(store: any DataStore) { self.store = store }

    public struct RepositoryOutcome: Sendable {
        public var repository: ForgeRepo
        public var items: [ForgeAPI.Endpoint: Int] = [:]
        public var pages = 0
        public var unchangedPages = 0
        public var problems: [String] = []

        public var line: String {
            let counts = ForgeAPI.Endpoint.allCases.map { "\(items[$0] ?? 0) \($0.rawValue.replacingOccurrences(of: "_", with: " "))" }
            return "\(repository): " + counts.joined(separator: ", ") + " (\(pages) pages read, \(unchangedPages) unchanged)"
                + (problems.isEmpty ? "" : "; \(problems.count) problem\(problems.count == 1 ? "" : "s")")
        }
    }

    public struct Progress: Sendable {
        public var repository: String
        public var endpoint: String
        public var items: Int
    }

    /// The ledger names of a repository's pages: `forge:PLATFORM:ID:ENDPOINT:…`.
    static func prefix(_ platform: Platform, _ id: Int64, _ endpoint: ForgeAPI.Endpoint) -> String {
        "forge:\(platform.rawValue):\(id):\(endpoint.rawValue):"
    }

    /// The endpoint's cursor: the newest `updated_at` of a run that read the endpoint to its
    /// last page (Unix seconds). Pages of an unfinished run do not move it: an item updated
    /// during a run moves to the end of the list, and a forge may not sort as asked.
    static func cursor(_ files: [IngestedFile], prefix: String) -> Int64? {
        files.lazy.filter { $0.name.hasPrefix(prefix + "done:") }
            .compactMap { f in f.name.split(separator: ":").last { $0.hasPrefix("to=") }.flatMap { Int64($0.dropFirst(3)) } }
            .max()
    }

    /// Ctrl-C between two pages: what was committed stays; the next run goes on from the last
    /// finished list.
    public struct Interrupted: Error, CustomStringConvertible {
        public var description: String { "interrupted: every page read so far is stored; run the same command again to go on" }
    }

    static func iso(_ t: Int64) -> String {
        let (y, m, d) = CivilDate.fromDays(Int64((Double(t) / 86_400).rounded(.down)))
        let s = ((t % 86_400) + 86_400) % 86_400
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(Int(s / 3600))):\(two(Int(s / 60 % 60))):\(two(Int(s % 60)))Z"
    }

    /// One repository, every endpoint. A page that is not a JSON list is named and ends that
    /// endpoint for this run (the pages after it would move the cursor past it).
    public func importRepository(_ api: ForgeAPI, _ name: String, since: Day?,
                                 progress: @Sendable (Progress) -> Void = { _ in }) async throws -> RepositoryOutcome {
        let record = try await api.repository(name)
        guard let rawID = ForgeFolder.int(record["id"]) else { throw ForgeAPI.Failure.notJSON(HTTPClient.shown(api.repositoryURL(name))) }
        let fullName = record["full_name"] as? String ?? name
        var outcome = RepositoryOutcome(repository: ForgeRepo(platform: api.platform, name: fullName))
        try store.setForgeRepository(Self.record(record, platform: api.platform, name: fullName, id: rawID))
        // The repository's name, as of its record.
        var head = ForgeFolder(platform: api.platform, repositoryID: rawID)
        head.repository(record)
        let recordBytes = [UInt8]((try? JSONSerialization.data(withJSONObject: ["id": rawID, "full_name": fullName], options: [.sortedKeys])) ?? Data())
        try commit(head.finish(), name: "forge:\(api.platform.rawValue):\(rawID):repository", bytes: recordBytes, items: 0, problems: 0, into: &outcome)

        let ledger = try store.ingestedFiles()
        var pullIDs: [Int64: Int64] = [:]
        for endpoint in ForgeAPI.Endpoint.allCases {
            let prefix = Self.prefix(api.platform, rawID, endpoint)
            let cursor = endpoint.takesSince ? [Self.cursor(ledger, prefix: prefix), since.map { $0.daysSinceEpoch * 86_400 }].compactMap { $0 }.max() : nil
            // A second early: items updated in the cursor's own second are asked for again.
            let sinceText = cursor.map { Self.iso($0 - 1) }
            var page = 0
            var stopped = false
            var newest = cursor
            do { try await api.pages(name, endpoint, since: sinceText) { url, bytes, list in
                guard !stopped else { return }
                page += 1
                let place = HTTPClient.shown(url)
                guard let list else {
                    outcome.problems.append("\(place): not a JSON list (\(bytes.count) bytes): \(endpoint.rawValue) stops here for this run; the next run reads it again from the last finished cursor")
                    stopped = true
                    return
                }
                var folder = ForgeFolder(platform: api.platform, repositoryID: rawID)
                folder.pullIDs = pullIDs
                folder.fold(endpoint, list, place: place)
                pullIDs = folder.pullIDs
                outcome.problems += folder.problems
                outcome.items[endpoint, default: 0] += folder.items
                let to = folder.newestUpdate ?? cursor ?? 0
                newest = max(newest ?? to, to)
                // Same bytes, same name: a page read again unchanged is not committed again.
                let pageName = prefix + "page=\(page):to=\(to)"
                try commit(folder.finish(), name: pageName, bytes: bytes, items: folder.items, problems: folder.problems.count, into: &outcome)
                progress(Progress(repository: fullName, endpoint: endpoint.rawValue, items: outcome.items[endpoint] ?? 0))
                if Interruption.requested { throw Interrupted() }
            } } catch let HTTPClient.Failure.notFound(url) {
                outcome.problems.append("\(HTTPClient.shown(url)): not found (HTTP 404): this forge has no \(endpoint.rawValue) list for the repository; the other lists were read")
                continue
            }
            // The list was read to its end: the cursor moves, in a record of its own.
            if !stopped, endpoint.takesSince, let newest {
                try commit(FileDelta(), name: prefix + "done:to=\(newest)", bytes: Array("\(newest)".utf8), items: 0, problems: 0, into: &outcome, counted: false)
            }
        }
        return outcome
    }

    /// What mirror detection keeps of the API's record: fork and parent, a mirror flag where
    /// the forge gives one, description, homepage, dates.
    static func record(_ o: [String: Any], platform: Platform, name: String, id: Int64) -> ForgeRepositoryRecord {
        func text(_ k: String) -> String? { (o[k] as? String).flatMap { $0.isEmpty ? nil : $0 } }
        // The parent where its own address says it lives (a forge may import from another).
        let parentObject = o["parent"] as? [String: Any]
        let parent = (parentObject?["html_url"] as? String).flatMap { ForgeRepo(remoteURL: $0) }
            ?? (parentObject?["full_name"] as? String).map { ForgeRepo(platform: platform, name: $0) }
        var isMirror = false
        var mirrorOf: String?
        switch o["mirror"] {
        case let b as Bool: isMirror = b
        case let d as [String: Any]: isMirror = true; mirrorOf = (d["url"] as? String) ?? (d["source"] as? String)
        case let u as String where !u.isEmpty: isMirror = true; mirrorOf = u
        default: break
        }
        mirrorOf = mirrorOf ?? text("mirror_url") ?? text("import_url")
        if mirrorOf != nil { isMirror = true }
        return ForgeRepositoryRecord(repo: ForgeRepo(platform: platform, name: name), id: id, description: text("description"),
                                     homepage: text("homepage"), isFork: (o["fork"] as? Bool) ?? false,
                                     parent: parent, isMirror: isMirror, mirrorOf: mirrorOf,
                                     createdAt: text("created_at"), pushedAt: text("pushed_at"), readAt: Int64(Date().timeIntervalSince1970))
    }

    func commit(_ delta: FileDelta, name: String, bytes: [UInt8], items: Int, problems: Int, into outcome: inout RepositoryOutcome, counted: Bool = true) throws {
        let digest = FileDigest.of(bytes: bytes)
        if counted { outcome.pages += 1 }
        if try store.ingestedFile(named: name, digest: digest) != nil { if counted { outcome.unchangedPages += 1 }; return }
        try store.commit(delta, file: IngestedFile(name: name, size: Int64(bytes.count), events: items, skippedLines: problems,
                                                   ingestedAt: Int64(Date().timeIntervalSince1970), digest: digest))
    }
}
