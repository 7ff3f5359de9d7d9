/// Whether code under one licence may be part of a project under another, by licence kind
/// and direction of use (the project includes or depends on the other). The rules are the
/// table in ARCHITECTURE.md ("Licence compatibility"); where none decides, the verdict is
/// `unknown`, never a guess.
public enum Compatibility: Equatable, Sendable {
    case compatible
    case conflict(String)
    case unknown(String)
}

public struct LicenceTraits: Sendable {
    public var id: String
    public var category: LicenceCategory?
    public var osiApproved: Bool

    public init(id: String, index: LicenceIndex) {
        self.id = id
        let bare = id.components(separatedBy: " WITH ")[0]
        let known = index.licence(spdx: bare)
        category = known?.category
        // ScanCode marks GPL-2.0-or-later and the like without the OSI flag of their -only form.
        let only = bare.hasSuffix("-or-later") ? index.licence(spdx: String(bare.dropLast(9)) + "-only") : nil
        osiApproved = (known?.osiApproved ?? false) || (only?.osiApproved ?? false)
    }

    public init(id: String, category: LicenceCategory?, osiApproved: Bool) {
        self.id = id; self.category = category; self.osiApproved = osiApproved
    }

    var lower: String { id.lowercased() }
    /// GPL-2.0 without "or later": the family Apache-2.0 and GPL-3.0 cannot join.
    var isGPL2Only: Bool {
        (lower.hasPrefix("gpl-2.0") || lower.hasPrefix("gpl-1.0")) && !lower.contains("or-later") && !lower.contains("+")
    }
    var isGPL3Family: Bool { lower.hasPrefix("gpl-3.0") || (lower.hasPrefix("gpl-2.0") && (lower.contains("or-later") || lower.contains("+"))) }
    var isAGPL3: Bool { lower.hasPrefix("agpl-3.0") }
    var isGPL3: Bool { lower.hasPrefix("gpl-3.0") }
    /// GPL and AGPL of any version.
    var isGPLFamily: Bool { lower.hasPrefix("gpl-") || lower.hasPrefix("agpl-") }
    /// File-level copyleft licences the FSF lists as GPL-incompatible.
    var isGPLIncompatibleWeakCopyleft: Bool {
        ["epl-1.0", "cddl-", "mpl-1.0", "mpl-1.1", "cpl-1.0", "ms-rl", "eupl-1.0", "eupl-1.1", "apsl-"].contains { lower.hasPrefix($0) }
    }
    /// Permissive licences with patent terms GPL-2.0 does not accept.
    var hasPatentTerms: Bool { ["apache-2.0", "mulanpsl-2.0", "mulanpsl-1.0", "upl-1.0", "ecl-2.0"].contains(where: { lower.hasPrefix($0) }) }
}

public enum LicenceCompatibility {
    /// The verdict for a project licensed `project` that includes or depends on `part`.
    public static func check(project: LicenceTraits, part: LicenceTraits) -> Compatibility {
        guard let pc = project.category else { return .unknown("kaiyuan does not know \(project.id)") }
        guard let c = part.category else { return .unknown("kaiyuan does not know \(part.id)") }
        if project.lower == part.lower { return .compatible }
        switch c {
        case .nonCommercial:
            return .conflict("\(part.id) forbids commercial use, which no open source licence may")
        case .proprietary:
            if !project.osiApproved { return .unknown("\(part.id) is proprietary and \(project.id) is not OSI open source: read both") }
            return .conflict("\(part.id) is proprietary: it cannot be shipped as part of \(project.id) code")
        case .useRestricted:
            if project.osiApproved { return .conflict("\(part.id) restricts use; the project claims OSI open source (\(project.id))") }
            return .unknown("\(part.id) restricts use: read its terms")
        case .publicDomain:
            return .compatible
        case .permissive:
            if project.isGPL2Only && part.hasPatentTerms { return .conflict("\(part.id)'s patent terms are incompatible with \(project.id)") }
            return pc == .other ? .unknown("no rule for \(project.id)") : .compatible
        case .weakCopyleft:
            // File-level copyleft the GPL does not accept: the files cannot join a GPL work.
            if (pc == .strongCopyleft || pc == .networkCopyleft) && (project.isGPLFamily) && part.isGPLIncompatibleWeakCopyleft {
                return .conflict("\(part.id) is incompatible with \(project.id)")
            }
            switch pc {
            case .permissive, .publicDomain, .weakCopyleft, .strongCopyleft, .networkCopyleft: return .compatible
            default: return .unknown("no rule for \(part.id) in \(project.id)")
            }
        case .strongCopyleft:
            switch pc {
            case .permissive, .publicDomain, .weakCopyleft:
                return .conflict("\(part.id) makes the whole work \(part.id); the project says \(project.id)")
            case .strongCopyleft:
                // Two strong copylefts join only in the GPL family: GPL-2.0-only and GPL-3.0
                // exclude each other; "or later" joins either.
                guard project.isGPLFamily && part.isGPLFamily else { return .unknown("two different strong copyleft licences (\(project.id), \(part.id)): read both") }
                if (project.isGPL2Only && part.isGPL3) || (project.isGPL3 && part.isGPL2Only) {
                    return .conflict("\(project.id) and \(part.id) cannot be combined (GPL-2.0-only excludes GPL-3.0)")
                }
                return .compatible
            case .networkCopyleft:
                guard part.isGPLFamily else { return .unknown("two different copyleft licences (\(project.id), \(part.id)): read both") }
                return part.isGPL3Family && project.isAGPL3 ? .compatible : .conflict("\(part.id) cannot be combined with \(project.id)")
            default: return .unknown("no rule for \(part.id) in \(project.id)")
            }
        case .networkCopyleft:
            switch pc {
            case .permissive, .publicDomain, .weakCopyleft:
                return .conflict("\(part.id) makes the whole work \(part.id), network use included; the project says \(project.id)")
            case .strongCopyleft:
                return project.isGPL3Family && part.isAGPL3 ? .compatible : .conflict("\(part.id) cannot be combined with \(project.id)")
            case .networkCopyleft: return project.lower.prefix(4) == part.lower.prefix(4) ? .compatible : .unknown("two network copyleft licences: read both")
            default: return .unknown("no rule for \(part.id) in \(project.id)")
            }
        case .other:
            return .unknown("no rule for \(part.id)")
        }
    }

    /// The choices an expression offers, each an AND of licences (its disjunctive normal form):
    /// `GPL-2.0-only AND (MIT OR BSD-3-Clause)` offers GPL-2.0-only with MIT, or with BSD-3-Clause.
    static func options(_ expression: String) -> [[String]] {
        var words = LicenceExpression.atomsAndOperators(expression)[...]
        // WITH binds its two sides into one licence; AND binds tighter than OR.
        func primary() -> [[String]] {
            guard let w = words.popFirst() else { return [[]] }
            if w == "(" {
                let inner = disjunction()
                if words.first == ")" { words.removeFirst() }
                return inner
            }
            if words.first == "WITH", words.count >= 2 {
                words.removeFirst()
                return [[w + " WITH " + words.removeFirst()]]
            }
            return [[w]]
        }
        func conjunction() -> [[String]] {
            var result = primary()
            while words.first == "AND" {
                words.removeFirst()
                let right = primary()
                result = result.flatMap { l in right.map { r in l + r } }
            }
            return result
        }
        func disjunction() -> [[String]] {
            var result = conjunction()
            while words.first == "OR" {
                words.removeFirst()
                result += conjunction()
            }
            return result
        }
        return disjunction().filter { !$0.isEmpty }
    }

    /// The verdict for a project expression and a part's expression: one choice on each side
    /// that works is enough; within a choice every licence must accept every other.
    public static func check(projectExpression: String, partExpression: String, index: LicenceIndex) -> Compatibility {
        var first: Compatibility?
        for option in options(projectExpression) {
            for partOption in options(partExpression) {
                var verdict = Compatibility.compatible
                for licence in option {
                    for part in partOption {
                        let v = check(project: LicenceTraits(id: licence, index: index), part: LicenceTraits(id: part, index: index))
                        if case .compatible = v { continue }
                        if case .conflict = verdict { continue }
                        verdict = v
                    }
                }
                if verdict == .compatible { return .compatible }
                // A choice no rule decides may still work: it outweighs a conflict.
                if first == nil { first = verdict } else if case .unknown = verdict, case .conflict = first! { first = verdict }
            }
        }
        return first ?? .unknown("no project licence")
    }
}
