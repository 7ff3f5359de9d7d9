import Foundation

/// Where a repository, an account or a model lives, named as OpenDigger's labels and kaiyuan's
/// export name them. The raw values are what the store and the export write.
public enum Platform: String, CaseIterable, Sendable, Codable, Comparable {
    case github, gitee, gitcode, atomgit, gitlab, huggingface, other

    /// The forge of a host name (`github.com`, `gitee.com`, `gitcode.com`, `atomgit.com`,
    /// `huggingface.co`, `gitlab.com` or any self-hosted `gitlab.*`).
    public init(host: String) {
        let h = host.lowercased()
        if h == "github.com" || h.hasSuffix(".github.com") { self = .github }
        else if h == "gitee.com" || h.hasSuffix(".gitee.com") { self = .gitee }
        else if h.hasSuffix("gitcode.com") || h.hasSuffix("gitcode.net") { self = .gitcode }
        else if h.hasSuffix("atomgit.com") { self = .atomgit }
        else if h == "huggingface.co" || h == "hf.co" { self = .huggingface }
        else if h.hasPrefix("gitlab.") || h.contains(".gitlab.") || h == "gitlab.com" { self = .gitlab }
        else { self = .other }
    }

    /// The platform name used in OpenDigger's label files (`GitHub`, `Gitee`, `AtomGit`).
    public init?(labelName: String) {
        switch labelName.lowercased() {
        case "github": self = .github
        case "gitee": self = .gitee
        case "atomgit": self = .atomgit
        case "gitcode": self = .gitcode
        case "gitlab": self = .gitlab
        case "huggingface": self = .huggingface
        default: return nil
        }
    }

    public init?(argument: String) {
        switch argument.lowercased() {
        case "hf": self = .huggingface
        default: self.init(rawValue: argument.lowercased())
        }
    }

    public static func < (a: Platform, b: Platform) -> Bool { a.code < b.code }
}

// MARK: - Platform-qualified keys

/// Every repository, account and issue key in the store carries its platform in its top byte:
/// `key = platform.code << 56 | id`. GitHub is code 0, so GitHub's ids are their own keys (a
/// store written before platforms needs no rewrite); no two forges' ids can meet; and a
/// cross-platform OpenRank graph is simply the union of the per-platform ones. Ids must be
/// below 2^56 (GitHub's and Gitee's are far below; a platform without numeric ids hashes its
/// names into that range).
extension Platform {
    /// The number stored for the platform. Never renumber a case, only add.
    public var code: Int64 {
        switch self {
        case .github: 0
        case .gitee: 1
        case .gitcode: 2
        case .atomgit: 3
        case .gitlab: 4
        case .huggingface: 5
        case .other: 6
        }
    }

    public init?(code: Int64) {
        guard let p = Platform.allCases.first(where: { $0.code == code }) else { return nil }
        self = p
    }

    public static let idBits: Int64 = 56
    public static let localIDMask: Int64 = (1 << idBits) - 1

    /// The store key of this platform's id `id`.
    @inline(__always)
    public func key(_ id: Int64) -> Int64 { (code << Platform.idBits) | (id & Platform.localIDMask) }

    /// Every key of this platform, for range scans.
    public var keys: ClosedRange<Int64> { key(0)...key(Platform.localIDMask) }

    /// The platform a store key belongs to (`.other` for a key no platform claims).
    @inline(__always)
    public static func of(key: Int64) -> Platform { Platform(code: key >> idBits) ?? .other }

    /// The forge's own id inside a store key.
    @inline(__always)
    public static func localID(of key: Int64) -> Int64 { key & localIDMask }

    /// A stable id below 2^56 for an entity the platform names but does not number (a Hugging
    /// Face model): FNV-1a over the lower-cased name.
    public static func hashedID(of name: String) -> Int64 {
        Int64(bitPattern: StableHash.fnv1a([name.lowercased()])) & localIDMask
    }
}

/// A hash that is the same in every process and on every machine (Swift's `Hasher` is
/// seeded per process): for ids derived from names.
public enum StableHash {
    /// FNV-1a over the parts' UTF-8 bytes, a 0xFF byte (never in UTF-8) between parts.
    public static func fnv1a(_ parts: [String]) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for (i, part) in parts.enumerated() {
            if i > 0 { h = (h ^ 0xFF) &* 0x100000001b3 }
            for b in part.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        }
        return h
    }
}

/// A set of platforms a computation spans: OpenRank is per platform unless a user asks for
/// a cross-platform graph (`--platforms github,gitee`).
public struct PlatformSet: Hashable, Sendable, CustomStringConvertible {
    public var platforms: [Platform]
    public init(_ platforms: [Platform]) { self.platforms = Array(Set(platforms)).sorted() }
    public static let github = PlatformSet([.github])

    /// `github,gitee`.
    public init?(argument: String) {
        var out: [Platform] = []
        for part in argument.split(separator: ",") {
            guard let p = Platform(argument: part.trimmingCharacters(in: .whitespaces)) else { return nil }
            out.append(p)
        }
        guard !out.isEmpty else { return nil }
        self.init(out)
    }

    public var description: String { platforms.map(\.rawValue).joined(separator: ",") }
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
