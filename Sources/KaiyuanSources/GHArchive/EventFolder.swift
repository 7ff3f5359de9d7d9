import Foundation
import KaiyuanCore

/// Why an event was left out of the store.
public enum SkipReason: String, CaseIterable, Sendable, Codable {
    case malformedJSON = "malformed JSON"
    case unknownEventType = "unknown event type"
    case missingField = "missing field"
    case badTimestamp = "unreadable created_at"
    case lineTooLong = "line too long"
}

/// Folds scanned events into a `FileDelta`: the facts each event type contributes
/// (`spec/metrics.md` §1, §3, §5), plus the names repos and accounts were seen under.
public struct GHArchiveEventFolder {
    public private(set) var delta = FileDelta()
    /// OpenRank's facts made by events with a `[snyk]` title, with how many such events made
    /// each: a fact is excluded only if no plain event made it too.
    private var snykFacts: [Fact: Int] = [:]

    /// When an event can have happened: not before GH Archive began (February 2011), not
    /// after now, and not more than a day after its file's hour when the file is named by one.
    /// One event dated 9999 would stretch every series to that year.
    public var era: ClosedRange<Int64>

    public static let archiveBegins = CivilDate.days(year: 2011, month: 2, day: 1) * 86_400

    public init(fileHour: ArchiveHour? = nil, now: Int64 = Int64(Date().timeIntervalSince1970)) {
        var latest = now + 86_400
        if let fileHour { latest = min(latest, (fileHour.index + 1) * 3600 + 86_400) }
        era = Self.archiveBegins...max(latest, Self.archiveBegins)
    }

    /// Adds one event. Returns why it was skipped, or nil when it was taken (event types the
    /// metrics do not use are taken: their names still count).
    public mutating func fold(_ e: ScannedEvent, line: UnsafeBufferPointer<UInt8>) -> (SkipReason, String)? {
        switch e.type {
        case .missing: return (.missingField, "no \"type\"")
        case .unknown:
            let name = e.typeName.map { decodeJSONString(UnsafeBufferPointer(rebasing: line[$0.start..<$0.start + $0.count]), escaped: $0.escaped) } ?? "?"
            return (.unknownEventType, "unknown event type \"\(name)\"")
        default: break
        }
        guard let eventID = e.id else { return (.missingField, "no event \"id\"") }
        guard let repo = e.repoID else { return (.missingField, "no \"repo.id\"") }
        guard let actor = e.actorID else { return (.missingField, "no \"actor.id\"") }
        guard let time = e.createdAt else { return (.badTimestamp, "no readable \"created_at\"") }
        guard era.contains(time) else {
            return (.badTimestamp, time < era.lowerBound ? "\"created_at\" before GH Archive began (February 2011)"
                                                         : "\"created_at\" more than a day after the file's hour, or in the future")
        }
        let month = Month(unixTime: time)

        if let span = e.repoName { Self.sight(&delta.repoNames, id: repo, span, time, line) }
        if let span = e.actorLogin { Self.sight(&delta.actorLogins, id: actor, span, time, line) }

        let snyk = e.type == .issues || e.type == .issueComment ? e.issue.titleIsSnyk : e.pullRequest.titleIsSnyk
        @inline(__always) func add(_ kind: FactKind, _ object: Int64, by who: Int64 = actor) {
            delta.facts.append(Fact(repo: repo, kind: kind, month: month, object: object, actor: who))
            // Rare: counted here, weighed against all events in `finish`, so that plain events
            // cost nothing extra.
            if snyk && kind.countsForOpenRank {
                snykFacts[Fact(repo: repo, kind: kind, month: month, object: object, actor: who), default: 0] += 1
            }
        }

        @inline(__always) func timeline(_ item: IssueFields, _ kind: ItemEventKind?, pullRequest: Bool) {
            if let kind, let number = item.number {
                delta.itemEvents.append(ItemEvent(repo: repo, number: number, isPullRequest: pullRequest || item.isPullRequest,
                                                  kind: kind, at: time, actor: actor))
            }
        }

        switch e.type {
        case .watch:
            add(.star, actor)
        case .fork:
            add(.fork, eventID)
        case .push:
            if let push = e.pushID { add(.push, push) }
        case .issues:
            add(.participant, actor)
            timeline(e.issue, ItemEventKind(lifecycle: e.action), pullRequest: false)
            guard let issue = e.issue.id else { return nil }
            add(.issueActive, issue)
            switch e.action {
            case .opened: add(.issueOpened, issue)
            case .reopened: add(.issueReopened, issue)
            case .closed: add(.issueClosed, issue)
            default: break
            }
        case .issueComment:
            add(.participant, actor)
            if let issue = e.issue.id { add(.issueActive, issue) }
            if e.action == .created {
                // A created comment without its id is still a comment: key it by the event.
                add(.issueComment, e.commentID ?? -eventID)
                timeline(e.issue, .response, pullRequest: false)
            }
        case .pullRequest:
            add(.participant, actor)
            timeline(e.pullRequest, ItemEventKind(lifecycle: e.action), pullRequest: true)
            let pr = e.pullRequest
            if pr.additions != nil || pr.deletions != nil {
                delta.pullRequestLines.append(PullRequestLines(
                    eventID: eventID, repo: repo, month: month,
                    additions: pr.additions ?? 0, deletions: pr.deletions ?? 0))
            }
            guard let id = pr.id else { return nil }
            add(.issueActive, id)
            switch e.action {
            case .opened:
                add(.pullOpened, id)
            case .closed:
                add(.pullClosed, id)
                if pr.merged == true, let author = pr.authorID {
                    add(.pullMerged, id, by: author)
                    if let span = pr.authorLogin { Self.sight(&delta.actorLogins, id: author, span, time, line) }
                }
            default: break
            }
        case .pullRequestReviewComment:
            add(.participant, actor)
            let created = e.action == .created || e.action == .added
            if created { timeline(e.pullRequest, .response, pullRequest: true) }
            if let id = e.pullRequest.id { add(.issueActive, id) }
            if let comment = e.commentID { add(created ? .reviewCommentCreated : .reviewCommentOther, comment) }
        case .pullRequestReview:
            timeline(e.pullRequest, .response, pullRequest: true)
        default:
            break
        }
        return nil
    }

    public mutating func finish() -> FileDelta {
        if !snykFacts.isEmpty {
            // Every event appended its facts: a fact made more often than by snyk events was
            // also made by a plain one (an issue's close after its title changed).
            var made: [Fact: Int] = [:]
            for f in delta.facts where snykFacts[f] != nil { made[f, default: 0] += 1 }
            delta.openRankExclusions = Set(snykFacts.filter { made[$0.key, default: 0] <= $0.value }.keys)
        }
        delta.finish()
        return delta
    }

    /// A stored name against raw bytes: a length check and memcmp over the string's own UTF-8.
    @inline(__always) private static func sameBytes(_ name: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var name = name
        return name.withUTF8 { utf8 in utf8.count == bytes.count && (bytes.count == 0 || memcmp(utf8.baseAddress!, bytes.baseAddress!, bytes.count) == 0) }
    }

    @inline(__always)
    private static func sight(_ book: inout NameSightings, id: Int64, _ span: ByteSpan, _ time: Int64, _ line: UnsafeBufferPointer<UInt8>) {
        let bytes = UnsafeBufferPointer(rebasing: line[span.start..<span.start + span.count])
        book.record(id: id, at: time,
                    matches: { span.escaped ? $0 == decodeJSONString(bytes, escaped: true) : Self.sameBytes($0, bytes) },
                    makeName: { decodeJSONString(bytes, escaped: span.escaped) })
    }
}

extension ItemEventKind {
    /// The timeline kind of an IssuesEvent's or PullRequestEvent's action, if it has one.
    init?(lifecycle action: GHAction) {
        switch action {
        case .opened: self = .opened
        case .closed: self = .closed
        case .reopened: self = .reopened
        default: return nil
        }
    }
}
