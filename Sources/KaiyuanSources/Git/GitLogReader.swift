import KaiyuanCore

/// Why a commit record was skipped; the reader counts each reason.
public enum GitLogProblemKind: String, Sendable, CaseIterable {
    case malformedHeader = "malformed commit header"
    case badDate = "unreadable date"
    case badNumstat = "unreadable numstat line"
    case strayLine = "line outside any commit"
    case invalidUTF8 = "non-UTF-8 text (kept, with U+FFFD)"
    case lineTooLong = "line too long (skipped)"
}

public struct GitLogProblem: Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var kind: GitLogProblemKind
    public var detail: String
    public var description: String { "\(path):\(line): \(kind.rawValue): \(detail)" }
}

/// What one read of a git log found.
public struct GitLogStats: Sendable {
    public var commits = 0
    public var merges = 0
    public var problems: [GitLogProblemKind: Int] = [:]
    /// The first problems, with file and line, for messages.
    public var examples: [GitLogProblem] = []
    public var lines = 0
    /// Licence files at the top of the tree that the history touched (LICENSE, COPYING, …).
    public var licenceFiles: Set<String> = []
    public static let examplesKept = 20

    public init() {}

    public var problemTotal: Int { problems.values.reduce(0, +) }

    mutating func note(_ kind: GitLogProblemKind, path: String, line: Int, _ detail: String) {
        problems[kind, default: 0] += 1
        if examples.count < Self.examplesKept { examples.append(GitLogProblem(path: path, line: line, kind: kind, detail: detail)) }
    }
}

/// Reads `git log` output in the one form of `spec/git-log-format.md`, streaming: a commit is
/// handed on as soon as its numstat ends, so memory stays at one commit whatever the history's
/// size. A damaged record is skipped, counted and described with its file and line; it never
/// stops the read.
public struct GitLogReader {
    /// The `--format` argument that produces what this reader reads.
    public static let format = "%x1e%H%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%s%x00%(trailers:key=Co-authored-by,valueonly,separator=%x1f)%x00"

    /// `git log` arguments (after `-C REPO`) for the whole history, or for what `since` lacks.
    public static func logArguments(since: String? = nil) -> [String] {
        ["log", "--no-color", "--no-renames", "--numstat", "--format=" + format, "HEAD"] + (since.map { ["^" + $0] } ?? [])
    }

    private let source: any ByteSource
    private let path: String
    public private(set) var stats = GitLogStats()

    public init(source: any ByteSource, path: String) {
        self.source = source
        self.path = path
    }

    /// Calls `body` with every commit, in the order of the log (newest first for `git log`).
    public mutating func forEachCommit(_ body: (GitCommitRecord) throws -> Void) throws {
        var reader = LineReader(source: source, path: path)
        var current: GitCommitRecord?
        // A header broken over lines (a trailer value with a newline) is joined up to here.
        var pending: [UInt8] = []
        var pendingLine = 0
        var stats = GitLogStats()
        let path = self.path

        func finish() throws {
            if let c = current {
                stats.commits += 1
                if c.isMerge { stats.merges += 1 }
                try body(c)
                current = nil
            }
        }

        func header(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Int) throws {
            switch Self.parseHeader(bytes) {
            case .success(let commit):
                if commit.invalidUTF8 { stats.note(.invalidUTF8, path: path, line: line, "commit \(commit.record.sha)") }
                current = commit.record
            case .failure(let problem):
                stats.note(problem.kind, path: path, line: line, problem.detail)
            }
        }

        // A skipped line may have been a commit's header: the lines after it belong to no
        // commit known here, so they are not credited to the one before.
        try reader.forEachLine(overlong: { number, bytes in
            stats.lines += 1
            stats.note(.lineTooLong, path: path, line: number, "\(bytes) bytes")
            try finish()
            pending.removeAll(keepingCapacity: true)
        }) { line, number in
            stats.lines += 1
            if line[0] == 0x1E || !pending.isEmpty {
                if line[0] == 0x1E {
                    try finish()
                    if !pending.isEmpty {
                        stats.note(.malformedHeader, path: path, line: pendingLine, "fewer than ten fields")
                        pending.removeAll(keepingCapacity: true)
                    }
                    if Self.fieldCount(line) >= 10 { try header(line, number); return }
                    pending.append(contentsOf: line)
                    pendingLine = number
                    return
                }
                pending.append(0x0A)
                pending.append(contentsOf: line)
                if Self.fieldCount(pending) >= 10 || number - pendingLine > 20 {
                    try pending.withUnsafeBufferPointer { try header($0, pendingLine) }
                    pending.removeAll(keepingCapacity: true)
                }
                return
            }
            guard current != nil else {
                stats.note(.strayLine, path: path, line: number, "expected a commit starting with byte 0x1E")
                return
            }
            if let name = Self.topLevelLicence(line) { stats.licenceFiles.insert(name) }
            if !Self.addNumstat(line, to: &current!) {
                stats.note(.badNumstat, path: path, line: number, String(decoding: line.prefix(80), as: UTF8.self))
            }
        }
        if !pending.isEmpty {
            stats.note(.malformedHeader, path: path, line: pendingLine, "fewer than ten fields at the end of the log")
        }
        try finish()
        self.stats = stats
    }

    // MARK: Fields

    private static func fieldCount(_ bytes: some Collection<UInt8>) -> Int {
        bytes.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
    }

    struct ParsedHeader {
        var record: GitCommitRecord
        var invalidUTF8: Bool
    }

    struct HeaderProblem: Error {
        var kind: GitLogProblemKind
        var detail: String
    }

    static func parseHeader(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<ParsedHeader, HeaderProblem> {
        var fields: [UnsafeBufferPointer<UInt8>] = []
        fields.reserveCapacity(11)
        var start = 1  // after 0x1E
        for i in 1..<bytes.count where bytes[i] == 0 {
            fields.append(UnsafeBufferPointer(rebasing: bytes[start..<i]))
            start = i + 1
            if fields.count == 10 { break }
        }
        guard fields.count == 10 else {
            return .failure(HeaderProblem(kind: .malformedHeader, detail: "\(fields.count) fields, expected 10"))
        }
        var invalid = false
        func text(_ b: UnsafeBufferPointer<UInt8>) -> String {
            if let s = String(validating: b, as: UTF8.self) { return s }
            invalid = true
            return String(decoding: b, as: UTF8.self)
        }
        let sha = text(fields[0])
        guard sha.utf8.count == 40 || sha.utf8.count == 64, sha.utf8.allSatisfy({ isHex($0) }) else {
            return .failure(HeaderProblem(kind: .malformedHeader, detail: "not a commit id: \(sha.prefix(70))"))
        }
        let parents = fields[1].isEmpty ? 0 : fields[1].reduce(1) { $0 + ($1 == 0x20 ? 1 : 0) }
        guard let authored = parseISODate(fields[4]) else {
            return .failure(HeaderProblem(kind: .badDate, detail: "author date \(text(fields[4])) of \(sha)"))
        }
        let committed = parseISODate(fields[7])?.unix ?? authored.unix
        var coAuthors: [GitPerson] = []
        if !fields[9].isEmpty {
            for value in text(fields[9]).split(whereSeparator: { $0 == "\u{1F}" || $0 == "\n" }) {
                if let p = parsePerson(String(value)) { coAuthors.append(p) }
            }
        }
        let record = GitCommitRecord(
            sha: sha.lowercased(), parentCount: parents,
            author: GitPerson(name: text(fields[2]), email: text(fields[3])),
            authorTime: authored.unix, authorOffsetMinutes: authored.offsetMinutes,
            committer: GitPerson(name: text(fields[5]), email: text(fields[6])),
            commitTime: committed, subject: text(fields[8]), coAuthors: coAuthors)
        return .success(ParsedHeader(record: record, invalidUTF8: invalid))
    }

    @inline(__always) static func isHex(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
    }

    /// `Name <email>`, as a `Co-authored-by` trailer writes it.
    public static func parsePerson(_ value: String) -> GitPerson? {
        let v = value.trimmingSpaces
        guard let lt = v.lastIndex(of: "<"), let gt = v.lastIndex(of: ">"), lt < gt else {
            return v.isEmpty ? nil : GitPerson(name: v, email: "")
        }
        let name = String(v[..<lt]).trimmingSpaces
        let email = String(v[v.index(after: lt)..<gt]).trimmingSpaces
        return GitPerson(name: name, email: email)
    }

    /// Strict ISO 8601 (`2025-09-02T16:45:13+08:00`, or `Z`) → Unix seconds and offset minutes.
    static func parseISODate(_ b: UnsafeBufferPointer<UInt8>) -> (unix: Int64, offsetMinutes: Int)? {
        guard b.count >= 20 else { return nil }
        func num(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for i in from..<(from + count) {
                let d = Int(b[i]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let y = num(0, 4), b[4] == 0x2D, let mo = num(5, 2), b[7] == 0x2D, let d = num(8, 2),
              b[10] == 0x54 || b[10] == 0x20, let h = num(11, 2), b[13] == 0x3A, let mi = num(14, 2), b[16] == 0x3A,
              let s = num(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        var i = 19
        if i < b.count && b[i] == 0x2E { i += 1; while i < b.count && b[i] >= 0x30 && b[i] <= 0x39 { i += 1 } }
        var offset = 0
        if i < b.count && (b[i] == 0x5A || b[i] == 0x7A) {
            i += 1
        } else if i + 6 <= b.count && (b[i] == 0x2B || b[i] == 0x2D), let oh = num(i + 1, 2), b[i + 3] == 0x3A, let om = num(i + 4, 2) {
            offset = (oh * 60 + om) * (b[i] == 0x2D ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let local = CivilDate.days(year: y, month: mo, day: d) * 86_400 + Int64(h * 3600 + mi * 60 + s)
        return (local - Int64(offset * 60), offset)
    }

    /// The path of a numstat line when it is a licence file at the top of the tree.
    static func topLevelLicence(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        guard let tab = b.lastIndex(of: 0x09), tab + 1 < b.count else { return nil }
        let path = UnsafeBufferPointer(rebasing: b[(tab + 1)...])
        guard path.count < 64, !path.contains(0x2F), let first = path.first, "LlCcUu".utf8.contains(first) else { return nil }
        let name = String(decoding: path, as: UTF8.self)
        return isLicenceFileName(name) ? name : nil
    }

    /// LICENSE, LICENCE, COPYING, UNLICENSE, with any extension or suffix (LICENSE-MIT.txt).
    /// `LICENSE`, `LICENCE`, `COPYING`, `UNLICENSE`, alone or followed by a separator and more
    /// (`LICENSE.md`, `LICENSE-MIT`, `COPYING.LESSER`), not by letters (`licenseCheck.sh`).
    public static func isLicenceFileName(_ name: String) -> Bool {
        let upper = name.uppercased()
        return ["LICENSE", "LICENCE", "COPYING", "UNLICENSE"].contains { stem in
            guard upper.hasPrefix(stem) else { return false }
            guard let next = upper.dropFirst(stem.count).first else { return true }
            return next == "." || next == "-" || next == "_" || next == " "
        }
    }

    /// `ADDED<TAB>DELETED<TAB>PATH`, with `-` for binary files.
    static func addNumstat(_ b: UnsafeBufferPointer<UInt8>, to commit: inout GitCommitRecord) -> Bool {
        var i = 0
        func count() -> Int64?? {
            if i < b.count && b[i] == 0x2D { i += 1; return .some(nil) }
            var v: Int64 = 0, digits = 0, overflow = false
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
                // A count past Int64 (20 digits) is damage, not a number to wrap.
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(b[i] - 48))
                overflow = overflow || o1 || o2
                v = a; i += 1; digits += 1
            }
            return digits > 0 && !overflow ? .some(v) : nil
        }
        guard let added = count(), i < b.count, b[i] == 0x09 else { return false }
        i += 1
        guard let deleted = count(), i < b.count, b[i] == 0x09, i + 1 < b.count else { return false }
        commit.files += 1
        if let added, let deleted {
            commit.linesAdded += added
            commit.linesDeleted += deleted
        } else {
            commit.binaryFiles += 1
        }
        return true
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
