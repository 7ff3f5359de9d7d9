import Foundation
import KaiyuanCore

/// One person behind several names and emails (spec/metrics.md §9), with why they were joined.
public struct Identity: Sendable, Hashable {
    /// Index into `Identities.all`.
    public var number: Int
    /// The name used most often (or the one a `.mailmap` gives).
    public var name: String
    /// Case-folded emails, most used first.
    public var emails: [String]
    /// Every spelling of the name seen, most used first.
    public var names: [String]
    /// GitHub logins from `users.noreply.github.com` emails.
    public var githubLogins: [String] { accounts.filter { $0.platform == .github }.map(\.login) }
    /// Forge accounts from noreply emails (GitHub's `users.noreply.github.com`, Gitee's
    /// `user.noreply.gitee.com`): an account is its platform and its login.
    public var accounts: [ForgeAccount]
    /// Why these names and emails are one person: "email x", "GitHub noreply login y", ".mailmap".
    public var evidence: [String]
    public var isBot: Bool
    /// Why the identity counts as a bot, when it does.
    public var botReason: String?
}

/// A login on one forge: `gitee:kit101` and `github:kit101` may be two people.
public struct ForgeAccount: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var platform: Platform
    public var login: String
    public init(platform: Platform, login: String) { self.platform = platform; self.login = login }
    public var description: String { "\(platform.rawValue):\(login)" }
    public static func < (a: ForgeAccount, b: ForgeAccount) -> Bool { (a.platform, a.login) < (b.platform, b.login) }
}

/// Merges the name+email pairs of a history into people, following §9:
/// - pairs that share an email (case-folded) are one person;
/// - `ID+login@users.noreply.github.com` and `login@users.noreply.github.com` name GitHub user
///   `login`, `ID+login@user.noreply.gitee.com` Gitee user `login`: a forge account;
/// - a `.mailmap` joins the commit email it lists to the proper email;
/// - a distinctive name seen with two emails joins them ("name+email pairs seen together");
///   a common name (`root`, `Alex`, 张伟) joins nothing, and placeholder emails (`root@localhost`, `you@example.com`,
///   empty, not an address) join nothing either: such a pair stands for itself;
/// - two different accounts of one forge are never joined, whatever else links them; accounts
///   of two forges are, when an email or a distinctive name links them (one person on
///   GitHub and Gitee).
public struct Identities: Sendable {
    public private(set) var all: [Identity] = []
    /// For each person number of the history: the identity number.
    public private(set) var ofPerson: [Int] = []
    /// Joins refused because both sides were different accounts of one forge.
    public private(set) var refusedJoins: [String] = []

    /// `namesLink[i]` says whether person i's name may join emails: true for commit authors,
    /// false for `Co-authored-by` trailers, which are typed by hand and often pair one
    /// person's name with another's address.
    public init(people: [GitPerson], weights: [Int]? = nil, namesLink: [Bool]? = nil, mailmap: [MailmapEntry] = [], bots: BotRules = BotRules()) {
        var uf = UnionFind()
        var nodeOf: [String: Int] = [:]
        var logins: [Set<ForgeAccount>] = []  // per node
        var evidence: [[String]] = []   // per node

        func node(_ key: String) -> Int {
            if let n = nodeOf[key] { return n }
            let n = uf.add()
            nodeOf[key] = n
            logins.append([])
            evidence.append([])
            return n
        }
        func join(_ a: Int, _ b: Int, _ why: String) {
            let ra = uf.find(a), rb = uf.find(b)
            guard ra != rb else { return }
            let la = logins[ra], lb = logins[rb]
            // Two logins of one forge are two people; a login on each of two forges may be one.
            let clash = Dictionary(grouping: la.union(lb), by: \.platform).sorted { $0.key < $1.key }.first { $0.value.count > 1 }
            if let clash {
                let users = clash.value.map(\.login).sorted()
                refusedJoins.append("\(why): would join \(clash.key == .github ? "GitHub" : clash.key.rawValue) users \(users.joined(separator: " and "))")
                return
            }
            let root = uf.union(ra, rb)
            let other = root == ra ? rb : ra
            logins[root].formUnion(logins[other])
            evidence[root] += evidence[other] + [why]
        }
        func key(_ p: GitPerson) -> String {
            let email = Self.fold(p.email)
            return Self.isPlaceholder(email) ? "p:\(p.name)\u{0}\(email)" : "e:\(email)"
        }

        var personNode: [Int] = []
        personNode.reserveCapacity(people.count)
        for p in people {
            let n = node(key(p))
            personNode.append(n)
            if let account = Self.account(fromEmail: p.email) {
                let g = node("g:\(account.description.lowercased())")
                logins[g].insert(ForgeAccount(platform: account.platform, login: account.login.lowercased()))
                join(g, n, "\(account.platform == .github ? "GitHub" : account.platform == .gitee ? "Gitee" : account.platform.rawValue) noreply address of \(account.login)")
            }
        }
        // A distinctive name seen with two emails is one person; a common one proves nothing.
        var nameNode: [String: Int] = [:]
        for (i, p) in people.enumerated() where namesLink?[i] ?? true {
            let folded = Self.foldName(p.name)
            guard !Self.isCommonName(folded) else { continue }
            if let first = nameNode[folded] {
                join(first, personNode[i], "name \(p.name) seen with several emails")
            } else {
                nameNode[folded] = personNode[i]
            }
        }
        // Shared emails are shared nodes already; say so once per email with several names.
        var namesPerNode: [Int: Set<String>] = [:]
        for (i, p) in people.enumerated() { namesPerNode[personNode[i], default: []].insert(p.name) }
        for (key, n) in nodeOf where key.hasPrefix("e:") {
            if let names = namesPerNode[n], names.count > 1 {
                evidence[uf.find(n)].append("email \(key.dropFirst(2)) used under \(names.count) names")
            }
        }
        var properNames: [Int: String] = [:]  // node → name from .mailmap
        for entry in mailmap {
            let commitEmail = Self.fold(entry.commitEmail)
            let commitNode: Int
            if Self.isPlaceholder(commitEmail), let commitName = entry.commitName {
                guard let n = nodeOf["p:\(commitName)\u{0}\(commitEmail)"] else { continue }
                commitNode = n
            } else {
                guard let n = nodeOf["e:\(commitEmail)"] else { continue }
                commitNode = n
            }
            if let proper = entry.properEmail.map(Self.fold), proper != commitEmail, !Self.isPlaceholder(proper) {
                join(node("e:\(proper)"), commitNode, ".mailmap maps <\(commitEmail)> to <\(proper)>")
            }
            if let name = entry.properName { properNames[commitNode] = name }
        }

        // Build identities from the roots, in order of first appearance.
        var identityOfRoot: [Int: Int] = [:]
        var nameCounts: [[String: Int]] = []
        var emailCounts: [[String: Int]] = []
        var proper: [String?] = []
        for (i, p) in people.enumerated() {
            let root = uf.find(personNode[i])
            let number: Int
            if let n = identityOfRoot[root] { number = n } else {
                number = all.count
                identityOfRoot[root] = number
                all.append(Identity(number: number, name: p.name, emails: [], names: [],
                                    accounts: logins[root].sorted(), evidence: Array(Set(evidence[root])).sorted(),
                                    isBot: false, botReason: nil))
                nameCounts.append([:])
                emailCounts.append([:])
                proper.append(nil)
            }
            let w = weights?[i] ?? 1
            nameCounts[number][p.name, default: 0] += w
            let email = Self.fold(p.email)
            if !email.isEmpty { emailCounts[number][email, default: 0] += w }
            if let name = properNames[personNode[i]] { proper[number] = name }
            ofPerson.append(number)
        }
        func ranked(_ counts: [String: Int]) -> [String] {
            counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        }
        for n in all.indices {
            all[n].names = ranked(nameCounts[n])
            all[n].emails = ranked(emailCounts[n])
            all[n].name = proper[n] ?? all[n].names.first ?? all[n].name
            if let reason = bots.reason(names: all[n].names, emails: all[n].emails, logins: all[n].githubLogins) {
                all[n].isBot = true
                all[n].botReason = reason
            }
        }
    }

    public func identity(ofPerson person: Int32) -> Identity { all[ofPerson[Int(person)]] }

    // MARK: Email forms

    public static func fold(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespaces).lowercased()
    }

    static let placeholderDomains: Set<String> = ["example.com", "example.org", "email.com", "domain.com", "none.com", "test.com", "xxx.com"]
    static let placeholderLocals: Set<String> = ["noreply", "no-reply", "none", "root", "nobody", "you", "your.email", "your_email",
                                                 "youremail", "user", "admin", "test"]

    /// Emails that many unrelated people share, or that are not addresses at all.
    public static func isPlaceholder(_ folded: String) -> Bool {
        guard let at = folded.lastIndex(of: "@"), at != folded.startIndex else { return true }
        let local = folded[..<at], domain = folded[folded.index(after: at)...]
        if !domain.contains(".") { return true }  // root@localhost, user@MacBook-Pro
        if placeholderDomains.contains(String(domain)) { return true }
        if placeholderLocals.contains(String(local)) && !domain.hasSuffix("users.noreply.github.com") { return true }
        if domain.hasSuffix(".local") || domain.hasSuffix(".localdomain") || domain.hasSuffix(".lan") || domain.hasSuffix(".(none)") { return true }
        return false
    }

    public static func foldName(_ name: String) -> String {
        name.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    static let genericNames: Set<String> = [
        "root", "admin", "administrator", "user", "ubuntu", "unknown", "your name", "yourname", "name", "git", "github",
        "gitee", "gitlab", "localhost", "default", "test", "dev", "developer", "john doe", "jane doe", "me", "author",
        "anonymous", "nobody", "system", "server", "build", "jenkins", "ci", "bot", "pi", "vagrant", "centos", "debian",
        "mac", "macbook", "owner", "coder", "programmer", "dependabot[bot]", "github action", "github actions",
    ]

    /// Names too common to say two emails are one person: generic names, very short Latin
    /// names and Chinese names of up to three characters (张伟 is shared by many).
    public static func isCommonName(_ folded: String) -> Bool {
        if folded.isEmpty || genericNames.contains(folded) { return true }
        let scalars = folded.unicodeScalars
        let cjk = scalars.filter { (0x3400...0x9FFF).contains($0.value) }.count
        if cjk == scalars.count { return cjk <= 3 }
        if folded.count < 4 { return true }
        // Short romanised names ("li lei", "zhang wei", "alex chen") are shared by many people.
        let tokens = folded.split(separator: " ")
        if tokens.count <= 2 && folded.filter({ $0 != " " }).count <= 8 { return true }
        // A single Latin word that is a given name or a family name alone ("wei", "zhang", "alex").
        if !folded.contains(" ") && folded.count <= 5 && folded.allSatisfy({ $0.isLetter }) { return true }
        return false
    }

    /// The GitHub login a `users.noreply.github.com` address names.
    public static func githubLogin(fromEmail email: String) -> String? {
        account(fromEmail: email).flatMap { $0.platform == .github ? $0.login : nil }
    }

    /// The forge account a noreply address names: GitHub's `[ID+]login@users.noreply.github.com`,
    /// Gitee's `[ID+]login@user.noreply.gitee.com` (and `users.`).
    public static func account(fromEmail email: String) -> ForgeAccount? {
        let folded = fold(email)
        for (suffix, platform) in [("@users.noreply.github.com", Platform.github), ("@user.noreply.gitee.com", .gitee), ("@users.noreply.gitee.com", .gitee)]
        where folded.hasSuffix(suffix) {
            var local = folded.dropLast(suffix.count)
            if let plus = local.firstIndex(of: "+"), local[..<plus].allSatisfy(\.isNumber) {
                local = local[local.index(after: plus)...]
            }
            return local.isEmpty ? nil : ForgeAccount(platform: platform, login: String(local))
        }
        return nil
    }
}

/// Disjoint sets with path halving and union by size.
struct UnionFind {
    private var parent: [Int] = []
    private var size: [Int] = []

    mutating func add() -> Int {
        parent.append(parent.count)
        size.append(1)
        return parent.count - 1
    }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    /// Joins two roots; returns the new root.
    mutating func union(_ a: Int, _ b: Int) -> Int {
        let (big, small) = size[a] >= size[b] ? (a, b) : (b, a)
        parent[small] = big
        size[big] += size[small]
        return big
    }
}
