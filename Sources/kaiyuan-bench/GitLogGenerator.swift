import ArgumentParser
import Foundation

/// Writes a large git history, deterministic for a seed: as an export in the form of
/// spec/git-log-format.md (gzip), or as a real repository through `git fast-import`.
/// Shapes taken from the shared real exports: about a quarter of commits are merges, most
/// authors use +08:00, a fifth of emails are GitHub noreply addresses, names mix Chinese and
/// Latin, authors follow a Zipf-like popularity, 1–8 files per commit, a few binary files.
struct GitLogBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gitlog",
        abstract: "Write a large generated git history (an export, or a repository with --repository).",
        discussion: """
            Examples:
              kaiyuan-bench gitlog --commits 100000 --seed 1 --out /tmp/big.gitlog.gz
              kaiyuan-bench gitlog --commits 100000 --seed 1 --repository /tmp/big-repo
            """
    )

    @Option(help: "How many commits.") var commits = 100_000
    @Option(help: "How many distinct authors.") var authors = 3000
    @Option(help: "Seed: the same seed writes the same history.") var seed: UInt64 = 1
    @Option(help: "Export file to write (gzip when it ends in .gz).") var out: String?
    @Option(help: "Folder for a real repository, written with git fast-import.") var repository: String?

    struct Author { var name: String; var email: String; var offset: Int }

    static let surnames = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Hu", "Zhu", "Gao", "Lin", "He", "Guo", "Ma", "Luo"]
    static let given = ["Wei", "Fang", "Na", "Xiuying", "Min", "Jing", "Lei", "Qiang", "Yang", "Jun", "Yong", "Yan", "Jie", "Tao", "Ming", "Chao", "Xiuzhen", "Hua", "Ping", "Gang"]
    static let hanzi = Array("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂")
    static let domains = ["gmail.com", "qq.com", "163.com", "alibaba-inc.com", "huawei.com", "outlook.com", "pingcap.com", "foxmail.com", "tencent.com", "126.com"]

    func makeAuthors(_ rng: inout SeededRandom) -> [Author] {
        (0..<authors).map { i in
            let latin = "\(Self.surnames[rng.int(0...19)]) \(Self.given[rng.int(0...19)])\(i)"
            let chinese = rng.unit() < 0.3
            let name = chinese ? String([Self.hanzi[rng.int(0...Self.hanzi.count - 1)], Self.hanzi[rng.int(0...Self.hanzi.count - 1)], Self.hanzi[rng.int(0...Self.hanzi.count - 1)]]) + "\(i)" : latin
            let login = latin.lowercased().replacingOccurrences(of: " ", with: "")
            let email = rng.unit() < 0.2 ? "\(100000 + i)+\(login)@users.noreply.github.com" : "\(login)@\(Self.domains[rng.zipf(Self.domains.count)])"
            let offset = rng.unit() < 0.8 ? 480 : [-420, -300, 0, 60, 120, 330, 540][rng.int(0...6)]
            return Author(name: name, email: email, offset: offset)
        }
    }

    static func iso(_ unix: Int64, _ offset: Int) -> String {
        let local = unix + Int64(offset * 60)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secs = local - days * 86_400
        let d = Date(timeIntervalSince1970: TimeInterval(days * 86_400))
        var cal = Calendar(identifier: .gregorian); cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day], from: d)
        let sign = offset < 0 ? "-" : "+"
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d", c.year!, c.month!, c.day!, Int(secs / 3600), Int(secs % 3600 / 60), Int(secs % 60),
                      sign, abs(offset) / 60, abs(offset) % 60)
    }

    func run() throws {
        guard out != nil || repository != nil else { throw ValidationError("give --out FILE or --repository DIR") }
        var rng = SeededRandom(state: seed)
        let people = makeAuthors(&rng)
        let start: Int64 = 1_420_070_400  // 2015-01-01
        let step = max(1, (1_735_689_600 - start) / Int64(commits))  // spread to 2025-01-01
        if let out { try writeExport(out, people, &rng, start, step) }
        if let repository { try writeRepository(repository, people, &rng, start, step) }
    }

    func writeExport(_ path: String, _ people: [Author], _ rng: inout SeededRandom, _ start: Int64, _ step: Int64) throws {
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        let writer = try GzipWriter(path: path)
        var shas = (0..<commits).map { i -> String in String(format: "%016llx%016llx%08x", UInt64(i) &* 0x9E3779B97F4A7C15, seed, UInt32(i)) }
        shas.reverse()
        var bytes = 0, merges = 0
        // git log order: newest first.
        for k in 0..<commits {
            let i = commits - 1 - k
            let a = people[rng.zipf(people.count)]
            let when = start + Int64(i) * step + Int64(rng.int(0...Int(step)))
            let isMerge = i > 0 && rng.unit() < 0.25
            let parents = i == 0 ? "" : isMerge ? "\(shas[k + 1]) \(shas[min(k + 2 + rng.int(0...5), commits - 1)])" : shas[k + 1]
            let partner = people[rng.int(0...people.count - 1)]
            let co = rng.unit() < 0.03 ? "\(partner.name) <\(partner.email)>" : ""
            let date = Self.iso(when, a.offset)
            var record = "\u{1E}" + [shas[k], parents, a.name, a.email, date, "GitHub", "noreply@github.com", date,
                                     isMerge ? "Merge pull request #\(i) from fork/branch" : "Change \(i): adjust module \(rng.int(0...400))", co]
                .map { $0 + "\u{0}" }.joined() + "\n"
            if isMerge {
                merges += 1
            } else {
                record += "\n"
                for f in 0..<rng.int(1...8) {
                    if rng.unit() < 0.03 { record += "-\t-\tassets/img\(f)-\(rng.int(0...999)).png\n" }
                    else { record += "\(rng.zipf(400))\t\(rng.zipf(200))\tsrc/module\(rng.int(0...400))/File\(f).java\n" }
                }
            }
            bytes += record.utf8.count
            writer.write(record)
        }
        writer.close()
        print("\(path): \(commits) commits (\(merges) merges) by up to \(people.count) authors, \(bytes / 1_000_000) MB of log")
    }

    func writeRepository(_ path: String, _ people: [Author], _ rng: inout SeededRandom, _ start: Int64, _ step: Int64) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let initRepo = Process()
        initRepo.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        initRepo.arguments = ["-C", path, "init", "-q", "-b", "main"]
        try initRepo.run(); initRepo.waitUntilExit()
        let importer = Process()
        importer.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        importer.arguments = ["-C", path, "fast-import", "--quiet"]
        let input = Pipe()
        importer.standardInput = input
        try importer.run()
        let handle = input.fileHandleForWriting
        var buffer = ""
        func emit(_ s: String) {
            buffer += s
            if buffer.utf8.count > 1 << 20 { handle.write(Data(buffer.utf8)); buffer = "" }
        }
        func data(_ s: String) { emit("data \(s.utf8.count)\n\(s)\n") }
        for i in 0..<commits {
            let a = people[rng.zipf(people.count)]
            let when = start + Int64(i) * step + Int64(rng.int(0...Int(step)))
            let tz = String(format: "%@%02d%02d", a.offset < 0 ? "-" : "+", abs(a.offset) / 60, abs(a.offset) % 60)
            let isMerge = i > 2 && rng.unit() < 0.25
            emit("commit refs/heads/main\nmark :\(i + 1)\nauthor \(a.name) <\(a.email)> \(when) \(tz)\ncommitter GitHub <noreply@github.com> \(when) \(tz)\n")
            data(isMerge ? "Merge pull request #\(i)" : "Change \(i)")
            if i > 0 { emit("from :\(i)\n") }
            if isMerge {
                emit("merge :\(max(1, i - 1 - rng.int(0...2)))\n")
            } else {
                for f in 0..<rng.int(1...4) {
                    let lines = (0..<(1 + rng.zipf(60))).map { "line \($0) of \(i)" }.joined(separator: "\n")
                    emit("M 644 inline src/module\(rng.int(0...200))/File\(f).java\n")
                    data(lines + "\n")
                }
            }
            emit("\n")
        }
        handle.write(Data(buffer.utf8))
        try handle.close()
        importer.waitUntilExit()
        print("\(path): \(commits) commits written with git fast-import")
    }
}
