/// The package ecosystems kaiyuan reads manifests and lockfiles of.
public enum Ecosystem: String, Sendable, Codable, CaseIterable, Comparable {
    case npm, pypi, golang, cargo, maven, swift

    public static func < (a: Ecosystem, b: Ecosystem) -> Bool { a.rawValue < b.rawValue }
}

/// One dependency a manifest or lockfile names.
public struct Component: Sendable, Hashable, Codable {
    public var ecosystem: Ecosystem
    /// The group, scope or host path before the name (`@babel`, `org.apache`, `github.com/apple`).
    public var namespace: String?
    public var name: String
    /// An exact version (from a lockfile, `==`, or a pinned manifest entry); nil when only a range is known.
    public var version: String?
    /// The range a manifest asks for when no exact version is known (`^1.2`, `>=2.0`).
    public var constraint: String?
    /// The licence the manifest or lockfile declares for it (SPDX, as written), if any.
    public var licence: String?
    /// A development or test dependency (not shipped).
    public var development: Bool
    /// The manifest or lockfile it came from, relative to the scanned path.
    public var source: String
    /// A checksum the lockfile records (`sha512-…`, `h1:…`, a hex SHA-256).
    public var checksum: String?

    public init(ecosystem: Ecosystem, namespace: String? = nil, name: String, version: String? = nil, constraint: String? = nil,
                licence: String? = nil, development: Bool = false, source: String, checksum: String? = nil) {
        self.ecosystem = ecosystem; self.namespace = namespace; self.name = name; self.version = version
        self.constraint = constraint; self.licence = licence; self.development = development; self.source = source; self.checksum = checksum
    }

    /// The package URL (purl spec): `pkg:TYPE/NAMESPACE/NAME@VERSION`, each part percent-encoded.
    public var purl: String {
        var s = "pkg:" + ecosystem.rawValue + "/"
        if let namespace, !namespace.isEmpty {
            s += namespace.split(separator: "/").map { PackageURL.encode(String($0)) }.joined(separator: "/") + "/"
        }
        s += PackageURL.encode(name)
        if let version { s += "@" + PackageURL.encode(version) }
        return s
    }

    /// `namespace/name` as people write it (`@babel/core`, `org.apache:commons`, `github.com/x/y`).
    public var displayName: String {
        guard let namespace, !namespace.isEmpty else { return name }
        return ecosystem == .maven ? namespace + ":" + name : namespace + "/" + name
    }
}

public enum PackageURL {
    /// Percent-encodes all but the characters the purl spec leaves bare.
    public static func encode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || ".-_~+".contains(c) {
                out.append(c)
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
