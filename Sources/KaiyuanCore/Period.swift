/// The three bucket sizes every metric is computed for (`spec/metrics.md` §2).
public enum PeriodKind: String, CaseIterable, Sendable, Codable {
    case month, quarter, year
}

/// One bucket: a month, a quarter or a year. Its `key` is OpenDigger's:
/// `"2021-07"`, `"2021Q3"`, `"2021"`.
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let kind: PeriodKind
    public let year: Int
    /// Month 1...12, quarter 1...4, or 0 for a year.
    public let number: Int

    public init(kind: PeriodKind, year: Int, number: Int) {
        self.kind = kind; self.year = year; self.number = number
    }

    /// The bucket of `kind` that contains `month`.
    public init(_ kind: PeriodKind, containing month: Month) {
        switch kind {
        case .month: self.init(kind: .month, year: month.year, number: month.month)
        case .quarter: self.init(kind: .quarter, year: month.year, number: month.quarter)
        case .year: self.init(kind: .year, year: month.year, number: 0)
        }
    }

    /// Parses `2025`, `2025Q1` or `2025-01`.
    public init?(_ text: String) {
        if let m = Month(text) { self.init(.month, containing: m); return }
        let parts = text.split(separator: "Q", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].count == 4, let y = Int(parts[0]), let q = Int(parts[1]), (1...4).contains(q) {
            self.init(kind: .quarter, year: y, number: q); return
        }
        if text.count == 4, let y = Int(text) { self.init(kind: .year, year: y, number: 0); return }
        return nil
    }

    public var key: String {
        switch kind {
        case .month: return Month(year: year, month: number).key
        case .quarter: return "\(year)Q\(number)"
        case .year: return "\(year)"
        }
    }

    public var description: String { key }

    public var firstMonth: Month {
        switch kind {
        case .month: return Month(year: year, month: number)
        case .quarter: return Month(year: year, month: (number - 1) * 3 + 1)
        case .year: return Month(year: year, month: 1)
        }
    }

    public var lastMonth: Month {
        switch kind {
        case .month: return firstMonth
        case .quarter: return firstMonth + 2
        case .year: return firstMonth + 11
        }
    }

    public func contains(_ month: Month) -> Bool { month >= firstMonth && month <= lastMonth }

    /// Chronological; at the same start a year sorts before its quarter before its month.
    public static func < (a: Period, b: Period) -> Bool {
        if a.firstMonth != b.firstMonth { return a.firstMonth < b.firstMonth }
        return a.rank < b.rank
    }

    private var rank: Int {
        switch kind { case .year: 0; case .quarter: 1; case .month: 2 }
    }
}
