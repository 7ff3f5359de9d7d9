import Foundation

/// A code forge, named as OpenDigger's labels and kaiyuan's export name them.
public enum Platform: String, CaseIterable, Sendable, Codable {
    case github, gitee, atomgit, gitlab, other

    /// The forge of a host name (`github.com`, `gitee.com`, `gitcode.com`/`atomgit.com`,
    /// `gitlab.com` or any self-hosted `gitlab.*`).
    public init(host: String) {
        let h = host.lowercased()
        if h == "github.com" || h.hasSuffix(".github.com") { self = .github }
        else if h == "gitee.com" || h.hasSuffix(".gitee.com") { self = .gitee }
        else if h.hasSuffix("gitcode.com") || h.hasSuffix("gitcode.net") || h.hasSuffix("atomgit.com") { self = .atomgit }
        else if h.hasPrefix("gitlab.") || h.contains(".gitlab.") || h == "gitlab.com" { self = .gitlab }
        else { self = .other }
    }

    /// The platform name used in OpenDigger's label files (`GitHub`, `Gitee`, `AtomGit`).
    public init?(labelName: String) {
        switch labelName.lowercased() {
        case "github": self = .github
        case "gitee": self = .gitee
        case "atomgit", "gitcode": self = .atomgit
        case "gitlab": self = .gitlab
        default: return nil
        }
    }

    public init?(argument: String) {
        switch argument.lowercased() {
        case "gitcode": self = .atomgit
        default: self.init(rawValue: argument.lowercased())
        }
    }
}

/// A repository on some forge: `gitee:owner/name`, `github:alibaba/nacos`. A repository with
/// no owner (a bare local path) is `other:NAME`.
public struct ForgeRepo: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var platform: Platform
    /// `OWNER/NAME` as the forge spells it.
    public var name: String

    public init(platform: Platform, name: String) {
        self.platform = platform
        self.name = name
    }

    /// Parses `PLATFORM:OWNER/NAME` (`gitcode` is read as `atomgit`) or a bare `OWNER/NAME`
    /// (GitHub).
    public init?(_ text: String) {
        var rest = Substring(text)
        var platform = Platform.github
        if let colon = text.firstIndex(of: ":") {
            guard let p = Platform(argument: String(text[..<colon])) else { return nil }
            platform = p
            rest = text[text.index(after: colon)...]
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }),
              parts.count == 2 || platform == .other || (platform == .gitlab && parts.count > 2)
        else { return nil }
        self.init(platform: platform, name: String(rest))
    }

    public var owner: String { name.split(separator: "/").first.map(String.init) ?? name }

    public var description: String { "\(platform.rawValue):\(name)" }

    public static func < (a: ForgeRepo, b: ForgeRepo) -> Bool {
        (a.platform.rawValue, a.name.lowercased()) < (b.platform.rawValue, b.name.lowercased())
    }

    /// The repository a clone's remote URL names: `https://gitee.com/o/n.git`,
    /// `git@github.com:o/n.git`, `ssh://git@host:22/group/sub/n`.
    public init?(remoteURL: String) {
        var url = remoteURL.trimmingCharacters(in: .whitespacesAndNewlines)
        var host = ""
        var path = ""
        if let scheme = url.range(of: "://") {
            url = String(url[scheme.upperBound...])
            let slash = url.firstIndex(of: "/") ?? url.endIndex
            host = String(url[..<slash])
            path = String(url[slash...])
            if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
            if let colon = host.firstIndex(of: ":") { host = String(host[..<colon]) }
        } else if let colon = url.firstIndex(of: ":"), !url.hasPrefix("/") {
            // scp-like: user@host:path
            host = String(url[..<colon])
            if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
            path = String(url[url.index(after: colon)...])
        } else {
            return nil
        }
        var trimmed = path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if trimmed.hasSuffix(".git") { trimmed.removeLast(4) }
        guard !host.isEmpty, trimmed.split(separator: "/").count >= 2 else { return nil }
        let platform = Platform(host: host)
        let parts = trimmed.split(separator: "/")
        // GitLab groups nest; every other forge is OWNER/NAME.
        let name = platform == .gitlab || platform == .other ? trimmed : parts.suffix(2).joined(separator: "/")
        self.init(platform: platform, name: platform == .other ? "\(host)/\(name)" : name)
    }
}
