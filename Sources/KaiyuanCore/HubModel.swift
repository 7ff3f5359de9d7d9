/// One model as the Hugging Face Hub describes it on one day. The Hub keeps no history, so
/// a model's series is built from dated snapshots (`HubSnapshot`), one record per model per
/// snapshot. Counts the Hub did not give are nil (shown as missing, never as zero).
public struct HubModel: Hashable, Sendable {
    /// `ORG/NAME`, or a bare name for the Hub's oldest canonical models (`bert-base-cased`).
    public var id: String
    /// The organisation or user; "" for a canonical model without one.
    public var author: String
    /// ISO 8601 instants as the Hub writes them.
    public var createdAt: String?
    public var lastModified: String?
    /// Downloads over the last 30 days, as of the snapshot.
    public var downloads: Int64?
    public var downloadsAllTime: Int64?
    public var likes: Int64?
    /// Every tag, in the Hub's order: `license:…`, `base_model:…`, languages, libraries…
    public var tags: [String]
    public var pipelineTag: String?
    public var libraryName: String?
    /// `false`, `auto` or `manual` (the Hub's values); nil when not given.
    public var gated: String?
    /// `safetensors.total`: the number of parameters.
    public var parameters: Int64?
    /// `cardData.license_name`, which names the licence behind `license:other`.
    public var licenceName: String?

    public init(id: String, author: String? = nil, createdAt: String? = nil, lastModified: String? = nil,
                downloads: Int64? = nil, downloadsAllTime: Int64? = nil, likes: Int64? = nil, tags: [String] = [],
                pipelineTag: String? = nil, libraryName: String? = nil, gated: String? = nil,
                parameters: Int64? = nil, licenceName: String? = nil) {
        self.id = id
        self.author = author ?? HubModel.author(of: id)
        self.createdAt = createdAt; self.lastModified = lastModified
        self.downloads = downloads; self.downloadsAllTime = downloadsAllTime; self.likes = likes
        self.tags = tags; self.pipelineTag = pipelineTag; self.libraryName = libraryName
        self.gated = gated; self.parameters = parameters; self.licenceName = licenceName
    }

    /// The part of an id before the slash; "" for a bare canonical name.
    public static func author(of id: String) -> String {
        guard let slash = id.firstIndex(of: "/") else { return "" }
        return String(id[..<slash])
    }

    /// The licence tag's value (`apache-2.0`, `other`…), nil when the model has none.
    public var licenceTag: String? {
        tags.first { $0.hasPrefix("license:") }.map { String($0.dropFirst("license:".count)) }
    }

    /// The models this one is built on, with how. A relation-qualified tag
    /// (`base_model:quantized:ORG/NAME`) names the relation; a plain `base_model:ORG/NAME`
    /// with no qualified twin is `unspecified`.
    public var baseModels: [(relation: HubRelation, base: String)] {
        var qualified: [(HubRelation, String)] = [], plain: [String] = []
        for tag in tags where tag.hasPrefix("base_model:") {
            let rest = tag.dropFirst("base_model:".count)
            if let colon = rest.firstIndex(of: ":"), let relation = HubRelation(rawValue: String(rest[..<colon])) {
                qualified.append((relation, String(rest[rest.index(after: colon)...])))
            } else if !rest.isEmpty {
                plain.append(String(rest))
            }
        }
        let named = Set(qualified.map(\.1))
        return qualified + plain.filter { !named.contains($0) }.map { (.unspecified, $0) }
    }

    /// Tags of the form `base_model:WORD:…` whose word is not a known relation.
    public var unknownBaseModelTags: [String] {
        tags.filter { tag in
            guard tag.hasPrefix("base_model:") else { return false }
            let rest = tag.dropFirst("base_model:".count)
            guard let colon = rest.firstIndex(of: ":") else { return false }
            return HubRelation(rawValue: String(rest[..<colon])) == nil
        }
    }

    public var sizeClass: HubSizeClass { HubSizeClass(parameters: parameters) }
}

/// How a derivative model relates to its base (the Hub's `base_model:RELATION:` tags).
public enum HubRelation: String, CaseIterable, Sendable, Comparable {
    case finetune, adapter, quantized, merge, unspecified
    public static func < (a: HubRelation, b: HubRelation) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Parameter size classes, from `safetensors.total`.
public enum HubSizeClass: String, CaseIterable, Sendable, Comparable {
    case under1B = "<1B", from1to10B = "1-10B", from10to100B = "10-100B", over100B = ">100B", unknown

    public init(parameters: Int64?) {
        guard let p = parameters, p > 0 else { self = .unknown; return }
        switch p {
        case ..<1_000_000_000: self = .under1B
        case ..<10_000_000_000: self = .from1to10B
        case ..<100_000_000_000: self = .from10to100B
        default: self = .over100B
        }
    }

    public static func < (a: HubSizeClass, b: HubSizeClass) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A day, `YYYY-MM-DD`: the date a snapshot describes.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let daysSinceEpoch: Int64

    public init(daysSinceEpoch: Int64) { self.daysSinceEpoch = daysSinceEpoch }

    /// Parses `YYYY-MM-DD`, or the date of an ISO 8601 instant (`2022-01-20T12:13:34.000Z`; an
    /// offset such as `+08:00` is applied, so the day is UTC's).
    public init?(_ text: String) {
        let u = Array(text.utf8)
        func number(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= u.count else { return nil }
            var v = 0
            for b in u[r] { guard b >= 48, b <= 57 else { return nil }; v = v * 10 + Int(b - 48) }
            return v
        }
        guard u.count >= 10, u[4] == 45, u[7] == 45, let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        var days = CivilDate.days(year: y, month: m, day: d)
        guard CivilDate.fromDays(days) == (y, m, d) else { return nil }
        if u.count > 10 {
            guard u[10] == 84 || u[10] == 32, let h = number(11..<13), let min = number(14..<16) else { return nil }
            // A trailing ±hh:mm moves the instant to UTC.
            var minutes = h * 60 + min
            if let sign = u.lastIndex(where: { $0 == 43 || $0 == 45 }), sign > 10, let oh = number(sign + 1..<sign + 3) {
                // `+08:00` or `+0800`.
                let om = number(sign + 4..<sign + 6) ?? number(sign + 3..<sign + 5) ?? 0
                minutes -= (u[sign] == 43 ? 1 : -1) * (oh * 60 + om)
            }
            days += Int64((Double(minutes) / 1440).rounded(.down))
        }
        daysSinceEpoch = days
    }

    public var month: Month {
        let (y, m, _) = CivilDate.fromDays(daysSinceEpoch)
        return Month(year: y, month: m)
    }

    public var description: String {
        let (y, m, d) = CivilDate.fromDays(daysSinceEpoch)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))"
    }

    public static func < (a: Day, b: Day) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }
}

/// What one run of `kaiyuan ingest huggingface` stores: the models it saw on `date`. Models of
/// the `authors` it listed in full that are absent were deleted or made private, so a snapshot
/// for a date already stored replaces those authors' models on that date; any other model it
/// carries (a derivative by another author) replaces just that model's record for the date.
public struct HubSnapshot: Sendable {
    public var date: Day
    /// Authors listed in full (compared without case, as the Hub's URLs are).
    public var authors: Set<String>
    public var models: [HubModel]
    public var source: String
    /// Authors whose models' derivatives by anyone were listed with this run; `*` when the
    /// snapshot is the whole Hub (a saved listing). Elsewhere derivatives are unknown.
    public var derivativesOf: Set<String>

    public init(date: Day, authors: Set<String>, models: [HubModel], source: String, derivativesOf: Set<String> = []) {
        self.date = date; self.authors = authors; self.models = models; self.source = source; self.derivativesOf = derivativesOf
    }
}

/// What the snapshots of one date cover: the authors listed in full (a model of theirs that is
/// absent is gone), and whose derivatives were listed. Authors lower-cased; `*` is everyone.
public struct HubCoverage: Sendable, Equatable {
    public var listed: Set<String> = []
    public var derivativesOf: Set<String> = []
    public init(listed: Set<String> = [], derivativesOf: Set<String> = []) { self.listed = listed; self.derivativesOf = derivativesOf }

    public func lists(_ author: String) -> Bool { listed.contains("*") || listed.contains(author.lowercased()) }
    public func hasDerivatives(of author: String) -> Bool { derivativesOf.contains("*") || derivativesOf.contains(author.lowercased()) }
}
