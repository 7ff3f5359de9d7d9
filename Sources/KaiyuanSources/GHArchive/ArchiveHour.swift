import KaiyuanCore

/// One hour of GH Archive, named as the archive names its files: `2025-01-01-0.json.gz`
/// (the hour has no leading zero).
public struct ArchiveHour: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Hours since 1970-01-01T00 UTC.
    public let index: Int64

    public init(index: Int64) { self.index = index }

    public init(year: Int, month: Int, day: Int, hour: Int) {
        index = CivilDate.days(year: year, month: month, day: day) * 24 + Int64(hour)
    }

    /// Parses `2025-01-01T05`, `2025-01-01-5` or `2025-01-01` (hour `defaultHour`).
    public init?(_ text: String, defaultHour: Int = 0) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let y = Int(String(decoding: bytes[0..<4], as: UTF8.self)),
              let m = Int(String(decoding: bytes[5..<7], as: UTF8.self)),
              let d = Int(String(decoding: bytes[8..<10], as: UTF8.self)),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        var hour = defaultHour
        if bytes.count > 10 {
            guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "-"),
                  let h = Int(String(decoding: bytes[11...], as: UTF8.self)), (0...23).contains(h) else { return nil }
            hour = h
        }
        // Reject days a month does not have (2025-02-30).
        let (yy, mm, dd) = CivilDate.fromDays(CivilDate.days(year: y, month: m, day: d))
        guard yy == y, mm == m, dd == d else { return nil }
        self.init(year: y, month: m, day: d, hour: hour)
    }

    public var parts: (year: Int, month: Int, day: Int, hour: Int) {
        let days = index >= 0 ? index / 24 : (index - 23) / 24
        let (y, m, d) = CivilDate.fromDays(days)
        return (y, m, d, Int(index - days * 24))
    }

    public var fileName: String {
        let (y, m, d, h) = parts
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d))-\(h).json.gz"
    }

    public var description: String {
        let (y, m, d, h) = parts
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(h))"
    }

    public static func < (a: ArchiveHour, b: ArchiveHour) -> Bool { a.index < b.index }

    /// Every hour from `from` to `to`, both included.
    public static func range(_ from: ArchiveHour, _ to: ArchiveHour) -> [ArchiveHour] {
        from.index <= to.index ? (from.index...to.index).map(ArchiveHour.init(index:)) : []
    }
}
