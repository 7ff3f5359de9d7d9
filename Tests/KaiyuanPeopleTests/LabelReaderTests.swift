import Foundation
import KaiyuanCore
import KaiyuanPeople
import KaiyuanSources
import TestSupport
import XCTest

final class LabelReaderTests: XCTestCase {
    func testIDsChildrenAndMembers() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("companies/acme"), withIntermediateDirectories: true)
        try """
            name: Acme
            name_zh: 阿克米
            type: Company
            data:
              labels:
                - rocket
                - ':foundations/space'
            """.write(to: dir.appendingPathComponent("companies/acme/index.yml"), atomically: true, encoding: .utf8)
        try """
            name: Rocket
            type: Project
            data:
              platforms:
                - name: GitHub
                  type: Code Hosting
                  repos:
                    - id: 99
                      name: acme/rocket
                - name: Gitee
                  type: Code Hosting
                  orgs:
                    - id: 5
                      name: acme-cn
                - name: SomeOtherForge
                  orgs:
                    - name: ignored
            """.write(to: dir.appendingPathComponent("companies/acme/rocket.yml"), atomically: true, encoding: .utf8)
        try "name: [unclosed".write(to: dir.appendingPathComponent("companies/broken.yml"), atomically: true, encoding: .utf8)
        let (labels, problems) = try LabelReader.read(directory: dir.path)
        XCTAssertEqual(labels.map(\.id), [":companies/acme", ":companies/acme/rocket"])
        XCTAssertEqual(labels[0].nameZh, "阿克米")
        XCTAssertEqual(labels[0].children, [":companies/acme/rocket", ":foundations/space"])
        XCTAssertEqual(labels[1].members, [LabelMember(platform: .github, kind: .repo, id: 99, name: "acme/rocket"),
                                           LabelMember(platform: .gitee, kind: .org, id: 5, name: "acme-cn")])
        XCTAssertEqual(problems.count, 1)
        XCTAssertTrue(problems[0].path.hasSuffix("companies/broken.yml"))
    }

    /// OpenDigger's real labels: every file read, Alibaba's projects under Alibaba, Alibaba
    /// under Zhejiang, Zhejiang's country China.
    func testRealLabels() throws {
        let root = try sharedData("data/labels")
        let files = FileManager.default.enumerator(atPath: root.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".yml") }
        let (labels, problems) = try LabelReader.read(directory: root.path)
        XCTAssertEqual(labels.count + problems.count, files.count)
        XCTAssertLessThan(problems.count, 5, "\(problems.prefix(5))")
        let index = LabelIndex(labels)
        XCTAssertEqual(index.label(":companies/alibaba")?.type, "Company")
        XCTAssertTrue(index.coverage(of: ":companies/alibaba").contains(ForgeRepo(platform: .github, name: "alibaba/nacos")))
        let above = index.labels(ofRepo: ForgeRepo(platform: .github, name: "alibaba/nacos"))
        XCTAssertTrue(above.contains(":companies/alibaba"), "\(above)")
        XCTAssertTrue(above.contains(":divisions/CN/CN-ZJ"), "\(above)")
        XCTAssertEqual(index.countries(among: above).map(\.code), ["CN"])
        XCTAssertFalse(index.labels(ofType: "Bot").isEmpty)
        // Gitee and AtomGit entries are read too.
        XCTAssertTrue(labels.contains { $0.members.contains { $0.platform == .gitee } })
        XCTAssertTrue(labels.contains { $0.members.contains { $0.platform == .atomgit } })
    }
}

final class LabelBoundsTests: XCTestCase {
    /// A 500-byte file of nested aliases once grew to 10 GB: it is refused, named, and the
    /// other label files are still read.
    func testBillionLaughsIsRefusedAndTheRestRead() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var lol = "name: lol\ntype: Company\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        var previous = "a"
        for level in "bcdefghi" {
            lol += "\(level): &\(level) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            previous = String(level)
        }
        try lol.write(to: dir.appendingPathComponent("lol.yml"), atomically: true, encoding: .utf8)
        try "name: Fine\ntype: Company\n".write(to: dir.appendingPathComponent("fine.yml"), atomically: true, encoding: .utf8)
        try Data(count: LabelReader.maxFileBytes + 1).write(to: dir.appendingPathComponent("huge.yml"))
        let start = Date()
        let (labels, problems) = try LabelReader.read(directory: dir.path)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        XCTAssertEqual(labels.map(\.id), [":fine"])
        XCTAssertEqual(problems.count, 2)
        XCTAssertTrue(problems.contains { $0.path.hasSuffix("lol.yml") && $0.detail.contains("refused") }, "\(problems)")
        XCTAssertTrue(problems.contains { $0.path.hasSuffix("huge.yml") && $0.detail.contains("skipped") }, "\(problems)")
    }
}
