import Foundation

/// The GitHub accounts listed in an OpenDigger label file of type Bot (`labeled_data/bot/`):
///
///     data:
///       platforms:
///         - name: GitHub
///           users:
///             - id: 105309205
///               name: VSCodeTriageBot
///
/// Only this shape is read: ids and names under `users:` of the GitHub platform.
public struct BotLabels: Sendable, Equatable {
    public var ids: Set<Int64> = []
    public var logins: Set<String> = []

    public init() {}

    public init(contentsOf path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        self.init(yaml: text)
        if ids.isEmpty && logins.isEmpty {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path,
                NSLocalizedDescriptionKey: "\(path): no GitHub users found; expected OpenDigger's bot label format (data: platforms: - name: GitHub, users: - id:, name:)"])
        }
    }

    public init(yaml text: String) {
        var platform = ""
        var inUsers = false
        var usersIndent = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let indent = line.prefix { $0 == " " }.count
            var body = line.trimmingCharacters(in: .whitespaces)
            guard !body.isEmpty else { continue }
            if inUsers && indent <= usersIndent && !body.hasPrefix("-") { inUsers = false }
            if inUsers && indent < usersIndent { inUsers = false }
            let isItem = body.hasPrefix("- ")
            if isItem { body = String(body.dropFirst(2)).trimmingCharacters(in: .whitespaces) }
            guard let colon = body.firstIndex(of: ":") else { continue }
            let key = body[..<colon].trimmingCharacters(in: .whitespaces)
            let value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            if key == "users" { inUsers = true; usersIndent = indent; continue }
            if !inUsers && key == "name" && isItem { platform = value; continue }
            guard inUsers, platform == "GitHub" else { continue }
            if key == "id", let id = Int64(value) { ids.insert(id) }
            if key == "name", !value.isEmpty { logins.insert(value) }
        }
    }
}
