import Foundation

/// One line of a `.mailmap` (gitmailmap(5)): the commit identity it matches and the proper
/// identity it names.
public struct MailmapEntry: Hashable, Sendable {
    public var properName: String?
    public var properEmail: String?
    public var commitName: String?
    public var commitEmail: String

    public init(properName: String?, properEmail: String?, commitName: String?, commitEmail: String) {
        self.properName = properName
        self.properEmail = properEmail
        self.commitName = commitName
        self.commitEmail = commitEmail
    }

    /// Parses a whole `.mailmap`; lines that fit none of its four forms are left out.
    ///
    ///     Proper Name <commit@email>
    ///     <proper@email> <commit@email>
    ///     Proper Name <proper@email> <commit@email>
    ///     Proper Name <proper@email> Commit Name <commit@email>
    public static func parse(_ text: String) -> [MailmapEntry] {
        var entries: [MailmapEntry] = []
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            // Split into alternating name text and <email> parts.
            var names: [String] = []
            var emails: [String] = []
            var rest = Substring(line)
            while let lt = rest.firstIndex(of: "<"), let gt = rest[lt...].firstIndex(of: ">") {
                names.append(rest[..<lt].trimmingCharacters(in: .whitespaces))
                emails.append(String(rest[rest.index(after: lt)..<gt]).trimmingCharacters(in: .whitespaces))
                rest = rest[rest.index(after: gt)...]
            }
            func name(_ i: Int) -> String? { i < names.count && !names[i].isEmpty ? names[i] : nil }
            switch emails.count {
            case 1:
                guard let proper = name(0) else { continue }
                entries.append(MailmapEntry(properName: proper, properEmail: nil, commitName: nil, commitEmail: emails[0]))
            case 2:
                entries.append(MailmapEntry(properName: name(0), properEmail: emails[0].isEmpty ? nil : emails[0],
                                            commitName: name(1), commitEmail: emails[1]))
            default:
                continue
            }
        }
        return entries
    }
}
