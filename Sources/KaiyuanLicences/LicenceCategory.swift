/// What a licence lets people do, in the kinds a compliance check reasons with.
public enum LicenceCategory: String, CaseIterable, Sendable, Codable, Comparable {
    /// MIT, BSD, Apache-2.0, MulanPSL-2.0: use, change and ship, keep the notices.
    case permissive
    /// LGPL, MPL, EPL, MulanPubL: changes to the licensed files stay open; the rest may not.
    case weakCopyleft = "weak-copyleft"
    /// GPL: whatever is shipped with it as one work is under the GPL.
    case strongCopyleft = "strong-copyleft"
    /// AGPL, SSPL, OSL, RPL, CPAL (when ScanCode files them as copyleft): as strong copyleft,
    /// and serving it over a network counts as shipping.
    case networkCopyleft = "network-copyleft"
    /// CC-BY-NC-*, research licences: no commercial use.
    case nonCommercial = "non-commercial"
    /// Most model licences (Llama, Gemma, DeepSeek, Qwen, OpenRAIL), source-available and
    /// protest licences (BUSL, Anti-996): use allowed under conditions that are not open source.
    case useRestricted = "use-restricted"
    /// Proprietary or commercial terms.
    case proprietary
    /// Public domain dedications (CC0, Unlicense, WTFPL-like).
    case publicDomain = "public-domain"
    /// A contributor agreement, a patent grant, or a licence whose terms say nothing of use.
    case other

    public static func < (a: LicenceCategory, b: LicenceCategory) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Copyleft licences that treat network use as distribution (by ScanCode key prefix).
    static let networkCopyleftKeys = ["agpl-", "sspl-", "osl-", "rpl-", "cpal-"]
    /// Model and other use-restricted licences ScanCode files as "Proprietary Free".
    static let modelKeyMarks = ["llama", "rail", "gemma", "deepseek", "qwen", "tongyi", "yi-license", "bloom", "falcon", "openrail"]

    /// The category of a licence from ScanCode's own category and its key.
    public init(scancode category: String, key: String) {
        let k = key.lowercased()
        let nonCommercial = k.contains("-nc-") || k.hasSuffix("-nc") || k.contains("noncommercial") || k.contains("non-commercial")
        switch category {
        case "Permissive": self = nonCommercial ? .nonCommercial : .permissive
        case "Public Domain": self = .publicDomain
        case "Copyleft Limited": self = .weakCopyleft
        case "Copyleft":
            self = LicenceCategory.networkCopyleftKeys.contains(where: { k.hasPrefix($0) }) ? .networkCopyleft : .strongCopyleft
        case "Non-Commercial": self = .nonCommercial
        case "Free Restricted", "Source-available": self = nonCommercial ? .nonCommercial : .useRestricted
        case "Proprietary Free":
            if nonCommercial { self = .nonCommercial }
            else if LicenceCategory.modelKeyMarks.contains(where: { k.contains($0) }) { self = .useRestricted }
            else { self = .proprietary }
        case "Commercial": self = .proprietary
        default: self = nonCommercial ? .nonCommercial : .other
        }
    }
}
