#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KaiyuanCore

/// Reads the fields of `spec/metrics.md` §1 from one GH Archive line, whatever order the keys
/// come in and whatever else the payload holds: the parts that are not needed are skipped by
/// bracket counting, never decoded.
public enum GHEventScanner {
    public static func scan(_ line: UnsafeBufferPointer<UInt8>, into event: inout ScannedEvent) throws(ScanError) {
        event = ScannedEvent()
        guard line.count > 0 else { throw .notAnObject }
        var c = JSONCursor(line)
        guard try c.peek() == UInt8(ascii: "{") else { throw .notAnObject }
        _ = try c.forEachMember { (c: inout JSONCursor, key: ByteSpan) throws(ScanError) in
            if c.spanEquals(key, "type") {
                if let span = try c.readStringValue() {
                    event.typeName = span
                    event.type = .unknown
                    for (type, name) in GHEventType.names where c.spanEquals(span, name) {
                        event.type = type
                        break
                    }
                }
            } else if c.spanEquals(key, "payload") {
                try scanPayload(&c, &event)
            } else if c.spanEquals(key, "actor") {
                try scanAccount(&c, id: &event.actorID, login: &event.actorLogin, loginKey: "login")
            } else if c.spanEquals(key, "repo") {
                try scanAccount(&c, id: &event.repoID, login: &event.repoName, loginKey: "name")
            } else if c.spanEquals(key, "created_at") {
                if let span = try c.readStringValue() {
                    event.createdAt = parseTimestamp(c.base + span.start, span.count)
                }
            } else if c.spanEquals(key, "id") {
                event.id = try c.readInteger()
            } else {
                try c.skipValue()
            }
        }
        c.skipWhitespace()
        if !c.atEnd { throw .trailingBytes(offset: c.i) }
    }

    private static func scanAccount(_ c: inout JSONCursor, id: inout Int64?, login: inout ByteSpan?, loginKey: StaticString) throws(ScanError) {
        _ = try c.forEachMember { (c: inout JSONCursor, key: ByteSpan) throws(ScanError) in
            if c.spanEquals(key, "id") {
                id = try c.readInteger()
            } else if c.spanEquals(key, loginKey) {
                login = try c.readStringValue()
            } else {
                try c.skipValue()
            }
        }
    }

    private static func scanPayload(_ c: inout JSONCursor, _ event: inout ScannedEvent) throws(ScanError) {
        _ = try c.forEachMember { (c: inout JSONCursor, key: ByteSpan) throws(ScanError) in
            if c.spanEquals(key, "action") {
                if let span = try c.readStringValue() {
                    event.action = .other
                    for (action, name) in GHAction.names where c.spanEquals(span, name) {
                        event.action = action
                        break
                    }
                }
            } else if c.spanEquals(key, "issue") {
                try scanIssue(&c, &event.issue)
            } else if c.spanEquals(key, "pull_request") {
                try scanIssue(&c, &event.pullRequest)
            } else if c.spanEquals(key, "comment") {
                _ = try c.forEachMember { (c: inout JSONCursor, key: ByteSpan) throws(ScanError) in
                    if c.spanEquals(key, "id") { event.commentID = try c.readInteger() } else { try c.skipValue() }
                }
            } else if c.spanEquals(key, "push_id") {
                event.pushID = try c.readInteger()
            } else {
                try c.skipValue()
            }
        }
    }

    private static func scanIssue(_ c: inout JSONCursor, _ issue: inout IssueFields) throws(ScanError) {
        _ = try c.forEachMember { (c: inout JSONCursor, key: ByteSpan) throws(ScanError) in
            if c.spanEquals(key, "id") {
                issue.id = try c.readInteger()
            } else if c.spanEquals(key, "number") {
                issue.number = try c.readInteger()
            } else if c.spanEquals(key, "pull_request") {
                issue.isPullRequest = try c.peek() == UInt8(ascii: "{")
                try c.skipValue()
            } else if c.spanEquals(key, "user") {
                try scanAccount(&c, id: &issue.authorID, login: &issue.authorLogin, loginKey: "login")
            } else if c.spanEquals(key, "title") {
                if let span = try c.readStringValue() { issue.titleIsSnyk = hasSnykPrefix(c.base + span.start, span.count) }
            } else if c.spanEquals(key, "merged") {
                issue.merged = try c.readBool()
            } else if c.spanEquals(key, "additions") {
                issue.additions = try c.readInteger()
            } else if c.spanEquals(key, "deletions") {
                issue.deletions = try c.readInteger()
            } else {
                try c.skipValue()
            }
        }
    }

    /// `[snyk]`, any case.
    static func hasSnykPrefix(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard n >= 6, p[0] == UInt8(ascii: "["), p[5] == UInt8(ascii: "]") else { return false }
        let word: [UInt8] = [0x73, 0x6E, 0x79, 0x6B] // "snyk"
        for k in 0..<4 where p[k + 1] | 0x20 != word[k] { return false }
        return true
    }

    /// `YYYY-MM-DDTHH:MM:SS` followed by `Z`, `+HH:MM`, `-HH:MM` or `+HHMM` (archives before 2015
    /// carry offsets; so do the forges' APIs), optionally with fractional seconds. Returns Unix
    /// seconds, or nil.
    public static func parseTimestamp(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        guard n >= 19 else { return nil }
        func num(_ at: Int, _ len: Int) -> Int? {
            var v = 0
            for k in at..<at + len {
                let d = Int(p[k]) - 0x30
                guard d >= 0 && d <= 9 else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-"), p[10] == UInt8(ascii: "T") || p[10] == 0x20,
              p[13] == UInt8(ascii: ":"), p[16] == UInt8(ascii: ":"),
              let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2),
              let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        // A day the month has (no 2021-02-31).
        let monthDays = mo == 2 ? (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) ? 29 : 28) : mo == 4 || mo == 6 || mo == 9 || mo == 11 ? 30 : 31
        guard d <= monthDays else { return nil }
        var k = 19
        if k < n && p[k] == UInt8(ascii: ".") {
            k += 1
            while k < n && p[k] >= 0x30 && p[k] <= 0x39 { k += 1 }
        }
        var offset = 0
        if k < n {
            if p[k] == UInt8(ascii: "Z") {
                k += 1
            } else if p[k] == UInt8(ascii: "+") || p[k] == UInt8(ascii: "-"), n - k >= 5, let oh = num(k + 1, 2), oh <= 14,
                      // `+08:00`, or `+0800` as some forges write it.
                      let om = p[k + 3] == UInt8(ascii: ":") ? (n - k >= 6 ? num(k + 4, 2) : nil) : num(k + 3, 2), om < 60 {
                offset = (oh * 3600 + om * 60) * (p[k] == UInt8(ascii: "-") ? -1 : 1)
                k += p[k + 3] == UInt8(ascii: ":") ? 6 : 5
            } else {
                return nil
            }
        }
        guard k == n else { return nil }
        let days = CivilDate.days(year: y, month: mo, day: d)
        return days * 86_400 + Int64(h * 3600 + mi * 60 + s - offset)
    }
}

