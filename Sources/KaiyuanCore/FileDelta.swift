/// Everything one input file contributes to the store. The store commits a delta in one
/// transaction together with the record that its file was ingested, so an import is
/// all-or-nothing per file and re-importing changes nothing.
public struct FileDelta: Sendable {
    /// Sorted in the store's key order and free of duplicates once `finish()` has run.
    public var facts: [Fact] = []
    public var pullRequestLines: [PullRequestLines] = []
    public var itemEvents: [ItemEvent] = []
    public var repoNames = NameSightings()
    public var actorLogins = NameSightings()
    /// Facts that only events whose own title starts with `[snyk]` produced: OpenRank leaves
    /// them out, event by event (`spec/metrics.md` §4.1, changed 2026-11-24); every other
    /// metric keeps them. A fact that a plain event in the same file also produced is not here.
    public var openRankExclusions: Set<Fact> = []

    public init() {}

    /// Sorts the facts into key order and drops repeats, so the store appends in order.
    public mutating func finish() {
        facts.sort()
        var unique = 0
        for i in facts.indices where i == 0 || facts[i] != facts[unique - 1] {
            facts[unique] = facts[i]
            unique += 1
        }
        facts.removeLast(facts.count - unique)
    }
}


/// The names seen for each id, each with the span of time it was seen in.
public struct NameSightings: Sendable {
    public private(set) var byID: [Int64: [NameSighting]] = [:]

    public init() {}

    public var isEmpty: Bool { byID.isEmpty }
    public var count: Int { byID.count }

    /// Widens the span in which `id` carried a name. `matches` compares a stored name with the
    /// one at hand, so a caller holding raw bytes pays for a String only for a new name.
    public mutating func record(id: Int64, at time: Int64, matches: (String) -> Bool, makeName: () -> String) {
        // One hash lookup per event, the id's names changed in place (this runs for every
        // event's repository and actor).
        Self.widen(&byID[id, default: []], id: id, at: time, matches: matches, makeName: makeName)
    }

    private static func widen(_ names: inout [NameSighting], id: Int64, at time: Int64, matches: (String) -> Bool, makeName: () -> String) {
        for i in names.indices where matches(names[i].name) {
            if time < names[i].firstSeen { names[i].firstSeen = time }
            if time > names[i].lastSeen { names[i].lastSeen = time }
            return
        }
        names.append(NameSighting(id: id, name: makeName(), firstSeen: time, lastSeen: time))
    }

    public mutating func record(_ s: NameSighting) {
        record(id: s.id, at: s.firstSeen, matches: { $0 == s.name }, makeName: { s.name })
        record(id: s.id, at: s.lastSeen, matches: { $0 == s.name }, makeName: { s.name })
    }

    public var all: [NameSighting] { byID.values.flatMap { $0 } }
}
