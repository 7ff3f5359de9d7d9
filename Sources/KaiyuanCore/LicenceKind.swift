/// How open a licence is, in the five kinds a report on open-weight models needs.
public enum LicenceKind: String, CaseIterable, Sendable, Comparable, Codable {
    /// OSI-approved (`osi` true), or an Open Definition licence for weights and data (CC0,
    /// CC-BY, CC-BY-SA, ODC, PDDL: `osi` false). Anyone may use it for anything.
    case open
    /// Weights anyone may download and use commercially, under an acceptable-use policy or a
    /// user cap (Llama, Gemma, the DeepSeek and Qwen licences, OpenRAIL).
    case openWeightRestricted = "open-weight-restricted"
    /// Research or non-commercial use only (CC-BY-NC-*, Qwen Research, FAIR NC…).
    case nonCommercial = "non-commercial"
    /// No licence given, or `unknown`.
    case unknown
    /// A licence named but not recognised (`license:other` without a known `license_name`).
    case other

    public static func < (a: LicenceKind, b: LicenceKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A model's licence as kaiyuan reads it from the Hub's `license:` tag and, behind
/// `license:other`, the card's `license_name`.
public struct HubLicence: Hashable, Sendable {
    /// The tag's value, or for `other` the card's `license_name` when it has one.
    public var id: String
    public var kind: LicenceKind
    /// Approved by the Open Source Initiative.
    public var osi: Bool
    /// Why it was classified so, in words (the evidence).
    public var evidence: String

    public init(id: String, kind: LicenceKind, osi: Bool, evidence: String) {
        self.id = id; self.kind = kind; self.osi = osi; self.evidence = evidence
    }

    /// Classifies a model's licence. Table lookups only; an id the tables lack is `other`.
    public static func classify(tag: String?, name: String?) -> HubLicence {
        guard let raw = tag?.lowercased(), !raw.isEmpty, raw != "unknown", raw != "???" else {
            if let name = name?.lowercased(), !name.isEmpty, let known = lookup(name) {
                return HubLicence(id: name, kind: known.kind, osi: known.osi, evidence: "card license_name \(name), no license tag")
            }
            return HubLicence(id: tag ?? "none", kind: .unknown, osi: false,
                              evidence: tag == nil ? "no license tag" : "license:\(tag!) says nothing")
        }
        if raw == "other" {
            guard let name = name?.lowercased(), !name.isEmpty else {
                return HubLicence(id: "other", kind: .other, osi: false, evidence: "license:other without a license_name")
            }
            if let known = lookup(name) {
                return HubLicence(id: name, kind: known.kind, osi: known.osi, evidence: "license:other, card license_name \(name)")
            }
            return HubLicence(id: name, kind: .other, osi: false, evidence: "license:other, card license_name \(name) (not a licence kaiyuan knows)")
        }
        if let known = lookup(raw) {
            return HubLicence(id: raw, kind: known.kind, osi: known.osi, evidence: "license:\(raw)")
        }
        return HubLicence(id: raw, kind: .other, osi: false, evidence: "license:\(raw) (not a licence kaiyuan knows)")
    }

    /// Whether kaiyuan's tables know a licence id (an unknown `license:` tag is reported).
    public static func isKnown(_ id: String) -> Bool {
        let l = id.lowercased()
        return l == "other" || l == "unknown" || l == "???" || lookup(l) != nil
    }

    private static func lookup(_ id: String) -> (kind: LicenceKind, osi: Bool)? {
        if osiApproved.contains(id) { return (.open, true) }
        if openDefinition.contains(id) { return (.open, false) }
        if restricted.contains(id) { return (.openWeightRestricted, false) }
        if nonCommercialIDs.contains(id) { return (.nonCommercial, false) }
        // Families by prefix: every CC BY-NC variant is non-commercial; the Hub's own
        // OpenRAIL variants and the Llama/Gemma community licences restrict use.
        if id.hasPrefix("cc-by-nc") { return (.nonCommercial, false) }
        if id.contains("openrail") || id.hasPrefix("llama") || id.hasPrefix("gemma") { return (.openWeightRestricted, false) }
        return nil
    }

    /// The Hub's licence identifiers for OSI-approved licences.
    static let osiApproved: Set<String> = [
        "apache-2.0", "apache-2", "mit", "bsd", "bsd-2-clause", "bsd-3-clause", "bsd-3", "bsd-3-clause-clear", "0bsd",
        "gpl", "gpl-2.0", "gpl-3.0", "lgpl", "lgpl-2.1", "lgpl-3.0", "agpl-3.0", "mpl-2.0", "epl-1.0", "epl-2.0",
        "afl-3.0", "academic free license v3.0", "artistic-2.0", "isc", "unlicense", "ecl-2.0", "eupl-1.1", "eupl-1.2", "osl-3.0", "ms-pl",
        "bsl-1.0", "zlib", "postgresql", "ncsa", "upl-1.0", "mulanpsl-2.0", "mulan-psl-2.0",
    ]
    /// Open Definition licences that are not software licences: for weights and data.
    static let openDefinition: Set<String> = [
        "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0", "cc-by-sa-3.0", "cc-by-sa-4.0",
        "odc-by", "odbl", "pddl", "cdla-permissive-1.0", "cdla-permissive-2.0", "cdla-sharing-1.0", "wtfpl", "etalab-2.0", "lgpl-lr",
    ]
    /// Open weights under use restrictions (acceptable-use policies, user caps, attribution
    /// terms beyond an open licence).
    static let restricted: Set<String> = [
        "llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "gemma",
        "creativeml-openrail-m", "bigscience-openrail-m", "bigscience-bloom-rail-1.0", "bigcode-openrail-m", "openrail", "openrail++",
        "deepseek", "deepseek-license", "deepseek-license-agreement", "tongyi-qianwen", "tongyi-qianwen-license-agreement", "qwen",
        "yi-license", "baichuan", "baichuan2-community", "internlm", "glm-4", "glm-4-license", "chatglm", "chatglm3-6b",
        "minimax", "minimax-model-license", "falcon-llm-license", "tii-falcon-license", "apple-ascl", "intel-research",
        "c-uda", "h-research", "cc-by-nd-4.0",
    ]
    static let nonCommercialIDs: Set<String> = [
        "qwen-research", "tongyi-qianwen-research", "fair-noncommercial-research-license", "deepfloyd-if-license",
        "apple-amlr", "mistral-research-license", "mrl", "nvidia-open-model-license-nc", "cc-by-nc-nd-4.0",
        "research-only", "academic",
    ]
}
