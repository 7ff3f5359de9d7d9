import Foundation
import KaiyuanCore
import KaiyuanSources
import KaiyuanStore

/// Reads the model hub into dated snapshots: a saved listing (`--models-file`) or the live API
/// (`--author`). Each author's models are committed as soon as they are read, so an interrupted
/// run keeps every author it finished, and a run repeated on the same day replaces that day.
public struct HubImporter: Sendable {
    public let store: any HubStore

    public init(store: any HubStore) { self.store = store }

    public struct Outcome: Sendable {
        public var date: Day
        public var models = 0
        public var authors: [String] = []
        public var derivatives = 0
        /// Authors whose listing failed (with why); the others were stored.
        public var failedAuthors: [(author: String, why: String)] = []
        public var problems: [HubProblem] = []
        /// The date already held a snapshot, now replaced for these authors.
        public var replacedEarlier = false
    }

    public enum Failure: Error, CustomStringConvertible {
        case noDate(String)
        case empty(String)
        public var description: String {
            switch self {
            case let .noDate(path): "\(path): no model has a lastModified date to date the snapshot by; give --as-of YYYY-MM-DD"
            case let .empty(path): "\(path): no model records in it; nothing stored"
            }
        }
    }

    /// A saved listing, one model a line. Its date is `asOf`, else the newest `lastModified` in
    /// it (a listing is at least as new as its newest model).
    public func importFile(path: String, asOf: Day?) throws -> Outcome {
        let file = try HubModelsFile(path: path)
        guard !file.models.isEmpty else { throw Failure.empty(path) }
        let newest = file.models.compactMap { $0.lastModified.flatMap(Day.init) }.max()
        guard let date = asOf ?? newest else { throw Failure.noDate(path) }
        var outcome = Outcome(date: date)
        outcome.replacedEarlier = try store.hubSnapshotDates().contains { $0.date == date }
        let authors = Set(file.models.map(\.author))
        // A saved listing is taken as the Hub's own: the derivatives it holds are all there are,
        // unless it holds no base_model tag at all (the Hub before 2023), when they are unknown.
        let hasBaseTags = file.models.contains { !$0.baseModels.isEmpty }
        try store.replaceHubSnapshot(HubSnapshot(date: date, authors: authors, models: file.models, source: path,
                                                 derivativesOf: hasBaseTags ? ["*"] : []))
        outcome.models = file.models.count
        outcome.authors = authors.sorted()
        outcome.problems = file.problems
        return outcome
    }

    public struct Progress: Sendable {
        public var author: String
        public var done: Int
        public var total: Int
    }

    /// The live Hub: each author's models, completed from their own records where the list
    /// lacks a field, then (with `withDerivatives`) the models built on them.
    public func importAPI(_ api: HubAPI, authors: [String], withDerivatives: Bool, date: Day,
                          progress: @Sendable (Progress) -> Void = { _ in }) async throws -> Outcome {
        var outcome = Outcome(date: date)
        outcome.replacedEarlier = try store.hubSnapshotDates().contains { $0.date == date }
        // A derivative by an author this run lists anyway keeps that author's own, completed record.
        let listedHere = Set(authors.map { $0.lowercased() })
        for (i, author) in authors.enumerated() {
            progress(Progress(author: author, done: i, total: authors.count))
            var problems: [HubProblem] = []
            let listed: (models: [HubModel], complete: Bool)
            do {
                listed = try await api.models(author: author, problems: &problems)
            } catch let failure as HubAPI.Failure {
                if case .unauthorised = failure { throw failure }
                outcome.failedAuthors.append((author, failure.description)); outcome.problems += problems; continue
            } catch let failure as HTTPClient.Failure {
                outcome.failedAuthors.append((author, failure.description)); outcome.problems += problems; continue
            }
            var models: [HubModel] = []
            for m in listed.models {
                let lacking = m.downloadsAllTime == nil || m.parameters == nil || m.gated == nil || m.createdAt == nil
                models.append(lacking ? try await api.completing(m, problems: &problems) : m)
            }
            // An incomplete listing adds and updates; it never removes the author's other models.
            try store.replaceHubSnapshot(HubSnapshot(date: date, authors: listed.complete ? [author] : [], models: models,
                                                     source: api.base.absoluteString))
            outcome.models += models.count
            outcome.authors.append(author)
            if withDerivatives {
                var derived: [String: HubModel] = [:]
                for m in models {
                    for d in try await api.derivatives(of: m.id, problems: &problems) where !listedHere.contains(d.author.lowercased()) {
                        derived[d.id] = d
                    }
                }
                let list = derived.keys.sorted().map { derived[$0]! }
                try store.replaceHubSnapshot(HubSnapshot(date: date, authors: [], models: list, source: api.base.absoluteString + " (derivatives of \(author))",
                                                         derivativesOf: [author]))
                outcome.derivatives += list.count
            }
            outcome.problems += problems
        }
        progress(Progress(author: "", done: authors.count, total: authors.count))
        return outcome
    }
}
