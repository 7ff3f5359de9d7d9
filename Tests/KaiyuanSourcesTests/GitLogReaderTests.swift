import Foundation
import KaiyuanCore
@testable import KaiyuanSources
import TestSupport
import XCTest

final class GitLogReaderTests: XCTestCase {
    static let sha1 = String(repeating: "a", count: 40), sha2 = String(repeating: "b", count: 40)
    static let sha3 = String(repeating: "c", count: 40), sha4 = String(repeating: "d", count: 40)

    /// One record in the exact form of spec/git-log-format.md.
    static func header(_ sha: String, parents: [String], author: String, email: String, date: String,
                       subject: String = "s", coAuthors: [String] = []) -> String {
        "\u{1E}" + [sha, parents.joined(separator: " "), author, email, date, "GitHub", "noreply@github.com", date, subject,
                    coAuthors.joined(separator: "\u{1F}")].map { $0 + "\u{0}" }.joined() + "\n"
    }

    func read(_ text: String, in dir: URL, name: String = "log") throws -> ([GitCommitRecord], GitLogStats) {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        var reader = GitLogReader(source: try openEventFile(path: url.path), path: url.path)
        var commits: [GitCommitRecord] = []
        try reader.forEachCommit { commits.append($0) }
        return (commits, reader.stats)
    }

    func testRecordsNumstatMergesAndCoAuthors() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let log = Self.header(Self.sha4, parents: [Self.sha2, Self.sha3], author: "梅林", email: "merlin@example.cn", date: "2025-09-02T16:45:13+08:00")
            + Self.header(Self.sha3, parents: [Self.sha1], author: "Jane", email: "Jane@Corp.com", date: "2025-09-01T23:30:00-05:30",
                          coAuthors: ["Bob <bob@x.org>", "Li Lei <12+lilei@users.noreply.github.com>"])
            + "\n10\t2\tsrc/a.swift\n-\t-\tlogo.png\n0\t7\t\"docs/\\346\\226\\207.md\"\n"
            + Self.header(Self.sha1, parents: [], author: "root", email: "root@localhost", date: "2025-08-31T00:00:00Z")
            + "\n5\t0\tLICENSE\n"
        let (commits, stats) = try read(log, in: dir)
        XCTAssertEqual(commits.map(\.sha), [Self.sha4, Self.sha3, Self.sha1])
        XCTAssertEqual(stats.commits, 3)
        XCTAssertEqual(stats.merges, 1)
        XCTAssertEqual(stats.problemTotal, 0, "\(stats.examples)")
        let merge = commits[0], jane = commits[1], root = commits[2]
        XCTAssertTrue(merge.isMerge)
        XCTAssertEqual(merge.files, 0)
        XCTAssertEqual(merge.author.name, "梅林")
        // 16:45:13 at +08:00 is 08:45:13 UTC.
        XCTAssertEqual(merge.authorTime, CivilDate.days(year: 2025, month: 9, day: 2) * 86_400 + 8 * 3600 + 45 * 60 + 13)
        XCTAssertEqual(merge.authorOffsetMinutes, 480)
        // 23:30 at −05:30 is 05:00 UTC the next day: a different UTC month would show here.
        XCTAssertEqual(jane.authorTime, CivilDate.days(year: 2025, month: 9, day: 2) * 86_400 + 5 * 3600)
        XCTAssertEqual(jane.authorOffsetMinutes, -330)
        XCTAssertEqual(jane.linesAdded, 10)
        XCTAssertEqual(jane.linesDeleted, 9)
        XCTAssertEqual(jane.files, 3)
        XCTAssertEqual(jane.binaryFiles, 1)
        XCTAssertEqual(jane.coAuthors, [GitPerson(name: "Bob", email: "bob@x.org"), GitPerson(name: "Li Lei", email: "12+lilei@users.noreply.github.com")])
        XCTAssertEqual(root.parentCount, 0)
        XCTAssertEqual(root.authorOffsetMinutes, 0)
        XCTAssertEqual(stats.licenceFiles, ["LICENSE"])
    }

    func testDamagedRecordsAreSkippedCountedAndNamed() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let log = "stray text before any commit\n"
            + Self.header(Self.sha1, parents: [], author: "A", email: "a@a.io", date: "yesterday")                  // line 2: bad date
            + "\u{1E}" + "not-a-sha\u{0}\u{0}B\u{0}b@b.io\u{0}2025-01-01T00:00:00Z\u{0}c\u{0}c@c\u{0}2025-01-01T00:00:00Z\u{0}s\u{0}\u{0}\n" // line 3
            + Self.header(Self.sha2, parents: [], author: "C", email: "c@c.io", date: "2025-01-02T00:00:00+01:00")   // line 4
            + "\nnot numstat\n"                                                                                     // line 6
            + "3\t1\tok.txt\n"
        let (commits, stats) = try read(log, in: dir, name: "damaged.gitlog")
        XCTAssertEqual(commits.map(\.sha), [Self.sha2], "only the sound commit is kept")
        XCTAssertEqual(commits[0].linesAdded, 3)
        XCTAssertEqual(stats.problems[.strayLine], 1)
        XCTAssertEqual(stats.problems[.badDate], 1)
        XCTAssertEqual(stats.problems[.malformedHeader], 1)
        XCTAssertEqual(stats.problems[.badNumstat], 1)
        XCTAssertEqual(stats.examples.map(\.line), [1, 2, 3, 6])
        XCTAssertTrue(stats.examples.allSatisfy { $0.description.hasPrefix(dir.appendingPathComponent("damaged.gitlog").path + ":") })
    }

    func testNonUTF8NamesAreKeptAndCounted() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = Data("\u{1E}\(Self.sha1)\u{0}\u{0}".utf8)
        bytes += Data([0x4A, 0xFC, 0x72, 0x67, 0x65, 0x6E])  // "Jürgen" in Latin-1
        bytes += Data("\u{0}j@x.de\u{0}2020-02-02T02:02:02+01:00\u{0}c\u{0}c@x.de\u{0}2020-02-02T02:02:02+01:00\u{0}s\u{0}\u{0}\n".utf8)
        let url = dir.appendingPathComponent("latin1.log")
        try bytes.write(to: url)
        var reader = GitLogReader(source: try openEventFile(path: url.path), path: url.path)
        var names: [String] = []
        try reader.forEachCommit { names.append($0.author.name) }
        XCTAssertEqual(names, ["J\u{FFFD}rgen"])
        XCTAssertEqual(reader.stats.problems[.invalidUTF8], 1)
    }

    func testDates() {
        func parse(_ s: String) -> (Int64, Int)? {
            Array(s.utf8).withUnsafeBufferPointer { GitLogReader.parseISODate($0).map { ($0.unix, $0.offsetMinutes) } }
        }
        XCTAssertEqual(parse("1970-01-01T08:00:00+08:00")?.0, 0)
        XCTAssertEqual(parse("1970-01-01T00:00:00Z")?.0, 0)
        XCTAssertEqual(parse("1969-12-31T19:00:00-05:00")?.0, 0)
        XCTAssertEqual(parse("2024-02-29T12:00:00+00:00")?.1, 0)
        XCTAssertNil(parse("2024-02-29 12:00"))
        XCTAssertNil(parse("2024-13-01T00:00:00Z"))
    }

    func testRemoteURLs() {
        XCTAssertEqual(ForgeRepo(remoteURL: "https://gitee.com/openharmony/docs.git"), ForgeRepo(platform: .gitee, name: "openharmony/docs"))
        XCTAssertEqual(ForgeRepo(remoteURL: "git@github.com:alibaba/nacos.git"), ForgeRepo(platform: .github, name: "alibaba/nacos"))
        XCTAssertEqual(ForgeRepo(remoteURL: "https://gitcode.com/openeuler/kernel"), ForgeRepo(platform: .gitcode, name: "openeuler/kernel"))
        XCTAssertEqual(ForgeRepo(remoteURL: "ssh://git@gitlab.example.cn:2222/infra/tools/deploy.git"), ForgeRepo(platform: .gitlab, name: "infra/tools/deploy"))
        XCTAssertNil(ForgeRepo(remoteURL: "/srv/git/local.git"))
        XCTAssertEqual(ForgeRepo("gitee:mindspore/mindspore"), ForgeRepo(platform: .gitee, name: "mindspore/mindspore"))
        XCTAssertEqual(ForgeRepo("gitcode:a/b")?.platform, .gitcode)
        XCTAssertEqual(ForgeRepo("atomgit:a/b")?.platform, .atomgit)
        XCTAssertEqual(ForgeRepo("alibaba/nacos")?.platform, .github)
        XCTAssertNil(ForgeRepo("github:../etc"))
        XCTAssertNil(ForgeRepo("nowhere:a/b"))
    }

    func testMailmapForms() {
        let entries = MailmapEntry.parse("""
            # comment
            Proper Name <commit@email.xx>
            <proper@email.xx> <commit2@email.xx>
            Other Name <other@email.xx> <commit3@email.xx>
            Full Name <full@email.xx> Commit Name <commit4@email.xx>
            not a mailmap line
            """)
        XCTAssertEqual(entries, [
            MailmapEntry(properName: "Proper Name", properEmail: nil, commitName: nil, commitEmail: "commit@email.xx"),
            MailmapEntry(properName: nil, properEmail: "proper@email.xx", commitName: nil, commitEmail: "commit2@email.xx"),
            MailmapEntry(properName: "Other Name", properEmail: "other@email.xx", commitName: nil, commitEmail: "commit3@email.xx"),
            MailmapEntry(properName: "Full Name", properEmail: "full@email.xx", commitName: "Commit Name", commitEmail: "commit4@email.xx"),
        ])
    }

    /// The shared exports, counted here by a plain scan of the bytes (records by 0x1E, merges by
    /// the parent field, lines by numstat) and compared with the reader, per year.
    func testSharedExportsAgreeWithAPlainScan() throws {
        for name in ["996icu__996.ICU", "alibaba__nacos", "deepseek-ai__DeepSeek-V3"] {
            let url = try sharedData("data/gitlog/\(name).gitlog.gz")
            let plain = try gunzip(url)
            var expected: [String: (commits: Int, merges: Int, added: Int, deleted: Int)] = [:]
            var year = ""
            var isMerge = false
            for record in plain.split(separator: 0x1E).dropFirst(0) where !record.isEmpty {
                let fields = record.split(separator: 0, omittingEmptySubsequences: false)
                let date = String(decoding: fields[4], as: UTF8.self)
                let unix = ISO8601DateFormatter().date(from: date)!.timeIntervalSince1970
                year = String(Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date(timeIntervalSince1970: unix)).year!)
                isMerge = fields[1].contains(0x20)
                if isMerge { expected[year, default: (0, 0, 0, 0)].merges += 1 } else { expected[year, default: (0, 0, 0, 0)].commits += 1 }
                for line in fields[10].split(separator: 0x0A) {
                    let cols = line.split(separator: 0x09, maxSplits: 2)
                    if cols.count == 3, let a = Int(String(decoding: cols[0], as: UTF8.self)), let d = Int(String(decoding: cols[1], as: UTF8.self)) {
                        expected[year]!.added += a
                        expected[year]!.deleted += d
                    }
                }
            }
            var reader = GitLogReader(source: try openEventFile(path: url.path), path: url.path)
            var got: [String: (commits: Int, merges: Int, added: Int, deleted: Int)] = [:]
            try reader.forEachCommit { c in
                let y = String(c.month.year)
                if c.isMerge { got[y, default: (0, 0, 0, 0)].merges += 1 } else { got[y, default: (0, 0, 0, 0)].commits += 1 }
                got[y]!.added += Int(c.linesAdded)
                got[y]!.deleted += Int(c.linesDeleted)
            }
            XCTAssertEqual(reader.stats.problemTotal, 0, "\(name): \(reader.stats.examples)")
            XCTAssertEqual(got.keys.sorted(), expected.keys.sorted(), name)
            for y in expected.keys {
                XCTAssertTrue(got[y]! == expected[y]!, "\(name) \(y): \(got[y]!) vs \(expected[y]!)")
            }
        }
    }


    func testANumstatCountPastInt64IsAProblemNotAWrappedSum() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let log = Self.header(Self.sha1, parents: [], author: "A", email: "a@a.io", date: "2025-01-02T00:00:00Z")
            + "\n99999999999999999999\t1\thuge.txt\n"   // 20 digits: more than Int64 holds
            + "2\t1\tok.txt\n"
        let (commits, stats) = try read(log, in: dir, name: "overflow.gitlog")
        XCTAssertEqual(commits.map(\.linesAdded), [2], "the damaged line adds nothing")
        XCTAssertEqual(stats.problems[.badNumstat], 1)
    }

    func testLicenceFileNames() {
        for name in ["LICENSE", "license.md", "LICENSE-MIT", "LICENCE.txt", "COPYING", "COPYING.LESSER", "UNLICENSE", "License_APACHE"] {
            XCTAssertTrue(GitLogReader.isLicenceFileName(name), name)
        }
        for name in ["licenseCheck.sh", "LICENSES_THIRD_PARTY_GENERATOR.py", "copyingTool", "README.md"] {
            XCTAssertFalse(GitLogReader.isLicenceFileName(name), name)
        }
    }
}
