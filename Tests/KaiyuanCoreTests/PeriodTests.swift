import KaiyuanCore
import Testing

@Suite("Months and periods")
struct PeriodTests {
    @Test("Months round-trip through their key and Unix time")
    func months() throws {
        let m = try #require(Month("2021-10"))
        #expect(m.year == 2021 && m.month == 10 && m.quarter == 4)
        #expect(m.key == "2021-10")
        #expect(Month(unixTime: 1_635_724_799) == m, "2021-10-31T23:59:59Z")
        #expect(Month(unixTime: 1_635_724_800) == m + 1, "2021-11-01T00:00:00Z")
        #expect(Month(unixTime: -1) == Month(year: 1969, month: 12))
        #expect(m.startUnixTime == 1_633_046_400)
        #expect((m + 3).key == "2022-01")
        #expect(Month("2021-13") == nil)
        #expect(Month("21-10") == nil)
    }

    @Test("OpenDigger's period keys", arguments: [
        ("2025", PeriodKind.year), ("2025Q1", .quarter), ("2025Q4", .quarter), ("2025-01", .month), ("2025-12", .month),
    ])
    func keys(text: String, kind: PeriodKind) throws {
        let p = try #require(Period(text))
        #expect(p.kind == kind)
        #expect(p.key == text)
    }

    @Test("Invalid period keys are refused", arguments: ["2025Q5", "2025Q0", "25", "2025-13", "Q1", ""])
    func invalid(text: String) {
        #expect(Period(text) == nil)
    }

    @Test("Buckets contain their months")
    func containment() {
        let aug = Month(year: 2021, month: 8)
        #expect(Period(.quarter, containing: aug).key == "2021Q3")
        #expect(Period(.year, containing: aug).key == "2021")
        let q3 = Period(kind: .quarter, year: 2021, number: 3)
        #expect(q3.firstMonth.key == "2021-07" && q3.lastMonth.key == "2021-09")
        #expect(q3.contains(aug) && !q3.contains(aug + 2))
        let sorted = ["2021-08", "2021Q3", "2021", "2020-12", "2021-07"].compactMap(Period.init).sorted().map(\.key)
        #expect(sorted == ["2020-12", "2021", "2021Q3", "2021-07", "2021-08"])
    }

    @Test("Civil dates agree with the proleptic Gregorian calendar")
    func civil() {
        #expect(CivilDate.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilDate.days(year: 2000, month: 3, day: 1) == 11_017)
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let (y, m, d) = CivilDate.fromDays(days)
            #expect(CivilDate.days(year: y, month: m, day: d) == days)
        }
    }
}
