import KaiyuanCore

/// How far a piece of evidence can be trusted.
public enum Confidence: String, Sendable, Comparable, CaseIterable {
    case low, medium, high
    var rank: Int { self == .high ? 2 : self == .medium ? 1 : 0 }
    public static func < (a: Confidence, b: Confidence) -> Bool { a.rank < b.rank }
}

/// One claim about a person (an organisation or a region), with where it came from.
public struct Evidence: Hashable, Sendable {
    /// The organisation's name, or the region's key (`CN`, `US`, `UTC+08:00`).
    public var value: String
    /// The OpenDigger label behind it, where there is one.
    public var label: String?
    /// In words: "label :companies/alibaba lists GitHub user x", "email domain alibaba-inc.com (12 commits)".
    public var source: String
    public var confidence: Confidence

    public init(value: String, label: String?, source: String, confidence: Confidence) {
        self.value = value
        self.label = label
        self.source = source
        self.confidence = confidence
    }
}

/// Affiliations and regions of people (spec/metrics.md §9): labels first, then email domains
/// (public mail says nothing), then the commit UTC offset as weak regional evidence.
public struct Affiliator: Sendable {
    public let labels: LabelIndex
    public let domains: OrganisationDomains

    public init(labels: LabelIndex, domains: OrganisationDomains = OrganisationDomains()) {
        self.labels = labels
        self.domains = domains
    }

    static let organisationTypes = ["Company", "Foundation", "University", "Institution", "Community", "Agency"]

    /// Organisations, strongest evidence first. `emailCommits` weighs each email by commits.
    public func affiliations(of identity: Identity, emailCommits: [String: Int] = [:]) -> [Evidence] {
        var out: [Evidence] = []
        var seen: Set<String> = []
        for account in identity.accounts {
            for id in labels.labels(ofUser: account.login, on: account.platform) {
                guard let l = labels.label(id), Self.organisationTypes.contains(where: { l.type.hasPrefix($0) }),
                      seen.insert(id).inserted else { continue }
                out.append(Evidence(value: l.name, label: id, source: "label \(id) lists \(Self.forgeName(account.platform)) user \(account.login)", confidence: .high))
            }
        }
        var byOrg: [String: (org: Organisation, domains: Set<String>, commits: Int)] = [:]
        for email in identity.emails {
            guard let (domain, org) = domains.organisation(ofEmail: email) else { continue }
            let key = org.label ?? org.name
            var entry = byOrg[key] ?? (org, [], 0)
            entry.domains.insert(domain)
            entry.commits += emailCommits[email] ?? 0
            byOrg[key] = entry
        }
        for (key, entry) in byOrg.sorted(by: { $0.value.commits != $1.value.commits ? $0.value.commits > $1.value.commits : $0.key < $1.key })
        where seen.insert(key).inserted {
            let name = entry.org.label.flatMap { labels.label($0)?.name } ?? entry.org.name
            let count = entry.commits > 0 ? " (\(entry.commits) commit\(entry.commits == 1 ? "" : "s"))" : ""
            // An address used for a small part of someone's work says less.
            let total = emailCommits.values.reduce(0, +)
            let confidence: Confidence = total == 0 || entry.commits * 4 >= total ? .medium : .low
            out.append(Evidence(value: name, label: entry.org.label,
                                source: "email domain \(entry.domains.sorted().joined(separator: ", "))\(count)", confidence: confidence))
        }
        return out
    }

    static func forgeName(_ p: Platform) -> String {
        switch p {
        case .github: "GitHub"
        case .gitee: "Gitee"
        case .gitcode: "GitCode"
        case .atomgit: "AtomGit"
        default: p.rawValue
        }
    }

    /// The most likely region: a division label listing the person; else the country of an
    /// organisation they belong to; else their commits' usual UTC offset (weak).
    public func region(of identity: Identity, affiliations: [Evidence], offsets: [Int: Int]) -> Evidence? {
        for account in identity.accounts {
            let ids = labels.labels(ofUser: account.login, on: account.platform)
            if let country = labels.countries(among: ids).first {
                return Evidence(value: country.code ?? country.name, label: country.id,
                                source: "label \(ids.first { $0.hasPrefix(":divisions/") } ?? country.id) lists \(Self.forgeName(account.platform)) user \(account.login)", confidence: .high)
            }
        }
        for a in affiliations {
            if let label = a.label {
                let countries = labels.countries(among: labels.ancestors(of: label))
                if countries.count == 1, let c = countries.first {
                    return Evidence(value: c.code ?? c.name, label: c.id, source: "\(a.value) (\(a.source)) is under \(c.id)", confidence: min(a.confidence, .medium))
                }
            }
            if let domainOrg = domains.map.values.first(where: { ($0.label != nil && $0.label == a.label) || $0.name == a.value }),
               let country = domainOrg.country {
                return Evidence(value: country, label: labels.country(code: country)?.id,
                                source: "\(a.value) (\(a.source)) is based in \(country)", confidence: min(a.confidence, .medium))
            }
        }
        for email in identity.emails {
            if let domain = OrganisationDomains.domain(of: email), !OrganisationDomains.isPublicMail(domain),
               let code = Self.countryTLD(domain) {
                return Evidence(value: code, label: labels.country(code: code)?.id, source: "email domain \(domain) is under .\(code.lowercased())", confidence: .low)
            }
        }
        let total = offsets.values.reduce(0, +)
        guard total > 0, let (offset, n) = offsets.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }) else { return nil }
        let share = Int((Double(n) / Double(total) * 100).rounded())
        return Evidence(value: UTCOffset.key(offset), label: nil,
                        source: "UTC offset \(UTCOffset.text(offset)) on \(share)% of commits: \(UTCOffset.regions(offset))", confidence: .low)
    }

    /// A country-code top-level domain that says where an organisation is (`zju.edu.cn` → CN).
    static func countryTLD(_ domain: String) -> String? {
        guard let last = domain.split(separator: ".").last, last.count == 2 else { return nil }
        let code = last.uppercased()
        // Domains sold worldwide as generic names say nothing about a country.
        // (`.ms` is Montserrat's, but `cat.ms`-style hosts use it for Microsoft, "ms", and more.)
        return ["IO", "AI", "CO", "ME", "TV", "CC", "LY", "GG", "SH", "TO", "FM", "DEV", "XYZ", "APP", "IM", "IS", "LA", "WS", "NU", "ST",
                "VC", "SO", "TK", "MS", "GL", "PW", "ML", "GA", "CF", "GQ", "CX", "LI", "BZ", "AC", "RS", "SU", "AM", "TECH"].contains(code) ? nil : code
    }
}

/// UTC offsets as regions: weak evidence, always given with the places they cover.
public enum UTCOffset {
    public static func text(_ minutes: Int) -> String {
        let sign = minutes < 0 ? "-" : "+"
        let m = abs(minutes)
        return "\(sign)\(m / 60 < 10 ? "0" : "")\(m / 60):\(m % 60 < 10 ? "0" : "")\(m % 60)"
    }

    public static func key(_ minutes: Int) -> String { "UTC" + text(minutes) }

    public static func regions(_ minutes: Int) -> String {
        switch minutes {
        case 480: "China, also Singapore, Malaysia, the Philippines, Taiwan, Hong Kong, Western Australia"
        case 540: "Japan, Korea"
        case 330: "India, Sri Lanka"
        case 420: "Vietnam, Thailand, Indonesia (west)"
        case 600: "Eastern Australia"
        case 180: "Moscow, Turkey, East Africa, Arabia (or Eastern Europe in summer)"
        case 120: "Eastern Europe (or Central Europe in summer), South Africa, Israel"
        case 60: "Central Europe (or the UK in summer), West Africa"
        case 0: "UK, Portugal, Iceland, West Africa — or a tool that wrote UTC and dropped the offset"
        case -180: "Brazil, Argentina"
        case -240, -300: "US/Canada East, parts of South America"
        case -360: "US/Canada Central, Mexico"
        case -420, -480: "US/Canada West"
        default: "UTC\(text(minutes))"
        }
    }
}
