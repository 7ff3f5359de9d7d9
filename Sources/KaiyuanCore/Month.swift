/// A calendar month in UTC, stored as `year * 12 + (month - 1)` so that it sorts, subtracts
/// and fits in a database integer column.
public struct Month: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let index: Int32

    public init(index: Int32) { self.index = index }

    public init(year: Int, month: Int) {
        precondition((1...12).contains(month), "month must be 1...12")
        index = Int32(year * 12 + month - 1)
    }

    public var year: Int { Int(index) / 12 }
    /// 1...12
    public var month: Int { Int(index) % 12 + 1 }
    /// 1...4
    public var quarter: Int { (month - 1) / 3 + 1 }

    /// "YYYY-MM", the key OpenDigger uses for months.
    public var key: String {
        let m = month
        return "\(year)-\(m < 10 ? "0" : "")\(m)"
    }

    public var description: String { key }

    /// Parses "YYYY-MM".
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) else { return nil }
        self.init(year: y, month: m)
    }

    /// The month containing a Unix time (seconds).
    public init(unixTime: Int64) {
        let (y, m, _) = CivilDate.fromDays(Int64((Double(unixTime) / 86_400).rounded(.down)))
        self.init(year: y, month: m)
    }

    /// The first second of this month, as Unix time.
    public var startUnixTime: Int64 { CivilDate.days(year: year, month: month, day: 1) * 86_400 }

    public static func < (a: Month, b: Month) -> Bool { a.index < b.index }
    public static func + (a: Month, n: Int) -> Month { Month(index: a.index + Int32(n)) }
    public static func - (a: Month, b: Month) -> Int { Int(a.index - b.index) }
}

/// Days since 1970-01-01 for proleptic Gregorian dates (H. Hinnant's algorithm), so no
/// Calendar or DateFormatter is needed on the per-event path.
public enum CivilDate {
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func fromDays(_ z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }
}
