import KaiyuanCore
@testable import KaiyuanSources
import TestSupport
import XCTest

/// The gzip cases run once per library (`eachLibrary`): ISA-L and zlib must read the same
/// bytes and report the same damage the same way.
final class ReadingTests: XCTestCase {
    var dir: URL!
    /// The library the current pass reads gzip with.
    var inflater = GzipInflater.zlib

    override func setUpWithError() throws { dir = try makeTemporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Runs `body` with ISA-L, then with zlib. Without ISA-L only zlib runs, except under
    /// CI=true, which installs libisal-dev so that the fast path is the one tested.
    func eachLibrary(_ body: () throws -> Void) throws {
        if !GzipInflater.isalAvailable && ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("libisal.so.2 not found; CI=true requires ISA-L (apt install libisal-dev)")
        }
        for library in GzipInflater.allCases where library != .isal || GzipInflater.isalAvailable {
            inflater = library
            do { try body() } catch { throw SourceErrorWithLibrary(library: library, error: error) }
        }
    }

    func open(_ path: String) throws -> any ByteSource { try openEventFile(path: path, inflater: inflater) }

    func lines(of path: String, blockSize: Int = 4 << 20) throws -> [String] {
        var out: [String] = []
        var reader = LineReader(source: try open(path), path: path, blockSize: blockSize)
        try reader.forEachLine { line, _ in out.append(String(decoding: line, as: UTF8.self)) }
        return out
    }

    func testGzipAndPlainGiveTheSameLines() throws {
        try eachLibrary {
            let content = (0..<500).map { "{\"n\":\($0),\"pad\":\"\(String(repeating: "x", count: $0 % 97))\"}" }
            let gz = try writeEventFile(content, to: dir.appendingPathComponent("a.json.gz"))
            let plain = try writeEventFile(content, to: dir.appendingPathComponent("b.json"))
            XCTAssertEqual(try lines(of: gz.path), content)
            XCTAssertEqual(try lines(of: plain.path), content)
            // A tiny buffer forces lines across block boundaries and buffer growth.
            XCTAssertEqual(try lines(of: gz.path, blockSize: 16), content)
        }
    }

    func testPrefetchingGivesTheSameBytesAndErrors() throws {
        try eachLibrary {
            let content = (0..<3000).map { "{\"n\":\($0),\"id\":\"\(UUID().uuidString)\"}" }
            let gz = try writeEventFile(content, to: dir.appendingPathComponent("p.json.gz"))
            for block in [7, 4096, 1 << 20] {
                var out: [String] = []
                var reader = LineReader(source: PrefetchingSource(try open(gz.path), blockSize: block), path: gz.path, blockSize: 1000)
                try reader.forEachLine { line, _ in out.append(String(decoding: line, as: UTF8.self)) }
                XCTAssertEqual(out, content, "\(inflater), block \(block)")
            }
            // A damaged stream's error arrives through the second thread, in order.
            let data = try Data(contentsOf: gz)
            try data.prefix(data.count / 2).write(to: gz)
            var seen = 0
            var reader = LineReader(source: PrefetchingSource(try open(gz.path), blockSize: 4096), path: gz.path, blockSize: 1000)
            XCTAssertThrowsError(try reader.forEachLine { _, _ in seen += 1 }) { error in
                guard case SourceError.gzipTruncated = error else { return XCTFail("\(error)") }
            }
            XCTAssertGreaterThan(seen, 0)
            // Closing early, with the reader thread blocked on a full queue, returns.
            let plain = try writeEventFile(content, to: dir.appendingPathComponent("plain.json"))
            let early = PrefetchingSource(try open(plain.path), blockSize: 16)
            let small = UnsafeMutableRawBufferPointer.allocate(byteCount: 8, alignment: 8)
            defer { small.deallocate() }
            XCTAssertEqual(try early.read(into: small), 8)
            early.close()
        }
    }

    func testCRLFAndMissingFinalNewline() throws {
        let url = dir.appendingPathComponent("c.json")
        try Data("one\r\ntwo\n\nthree".utf8).write(to: url)
        XCTAssertEqual(try lines(of: url.path), ["one", "two", "three"])
    }

    func testMultiMemberGzip() throws {
        try eachLibrary {
            let a = try writeEventFile(["first"], to: dir.appendingPathComponent("a.json.gz"))
            let b = try writeEventFile(["second"], to: dir.appendingPathComponent("b.json.gz"))
            let both = dir.appendingPathComponent("both.json.gz")
            try (Data(contentsOf: a) + Data(contentsOf: b)).write(to: both)
            XCTAssertEqual(try lines(of: both.path), ["first", "second"])
        }
    }

    func testZeroPaddingAfterTheStreamIsAccepted() throws {
        try eachLibrary {
            let gz = try writeEventFile(["first", "second"], to: dir.appendingPathComponent("p.json.gz"))
            let padded = dir.appendingPathComponent("padded.json.gz")
            // More zeros than one read of the file: the padding spans several reads.
            try (Data(contentsOf: gz) + Data(count: 3 << 20)).write(to: padded)
            XCTAssertEqual(try lines(of: padded.path), ["first", "second"])
            let garbage = dir.appendingPathComponent("garbage.json.gz")
            try (Data(contentsOf: gz) + Data(count: 3 << 20) + Data([1, 2, 3])).write(to: garbage)
            XCTAssertThrowsError(try lines(of: garbage.path)) { error in
                XCTAssertTrue("\(error)".contains("after the gzip stream"), "\(error)")
            }
        }
    }

    func testTruncatedGzipIsAnError() throws {
        try eachLibrary {
            let content = (0..<2000).map { "{\"line\":\($0),\"text\":\"\(UUID().uuidString)\"}" }
            let gz = try writeEventFile(content, to: dir.appendingPathComponent("t.json.gz"))
            let data = try Data(contentsOf: gz)
            try data.prefix(data.count / 2).write(to: gz)
            XCTAssertThrowsError(try lines(of: gz.path)) { error in
                guard case SourceError.gzipTruncated(let path, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(path, gz.path)
            }
        }
    }

    func testCorruptGzipIsAnError() throws {
        try eachLibrary {
            let content = (0..<2000).map { "{\"line\":\($0),\"text\":\"\(UUID().uuidString)\"}" }
            let gz = try writeEventFile(content, to: dir.appendingPathComponent("x.json.gz"))
            var data = try Data(contentsOf: gz)
            for i in stride(from: 100, to: data.count - 20, by: 7) { data[i] ^= 0x5A }
            try data.write(to: gz)
            XCTAssertThrowsError(try lines(of: gz.path)) { error in
                guard case SourceError.gzipCorrupt = error else { return XCTFail("\(error)") }
                XCTAssertTrue("\(error)".contains(gz.path))
            }
        }
    }

    /// A byte flipped in stored (incompressible) data inflates fine; only the member's CRC-32
    /// at its end catches it: the message says so, instead of naming the end as the damage.
    func testAFlippedByteIsReportedAsAFailedCheck() throws {
        try eachLibrary {
            var random = SystemRandomNumberGenerator()
            let raw = Data((0..<300_000).map { _ in UInt8.random(in: 0...255, using: &random) })
            let plain = dir.appendingPathComponent("random.bin")
            try raw.write(to: plain)
            var gz = try gzipped(plain)
            gz[gz.count / 3] ^= 0x01
            let url = dir.appendingPathComponent("flipped.json.gz")
            try gz.write(to: url)
            XCTAssertThrowsError(try lines(of: url.path)) { error in
                // zlib tells the CRC from the length; ISA-L checks both in one comparison.
                let expected = self.inflater == .zlib ? "the CRC-32 check failed" : "the CRC-32 or length check failed"
                XCTAssertTrue("\(error)".contains(expected + " at the end of a gzip member"), "\(error)")
                XCTAssertTrue("\(error)".contains("some byte before it is damaged"), "\(error)")
            }
        }
    }

    /// A line longer than the reader's limit is skipped whole, counted and named; the lines
    /// around it are read, whether it ends with a newline or with the file.
    func testAnOverlongLineCostsTheLineNotTheFile() throws {
        let text = "a\n" + String(repeating: "x", count: 100) + "\nb\n" + String(repeating: "y", count: 40) + "\nc\n" + String(repeating: "z", count: 200)
        let url = dir.appendingPathComponent("long.json")
        try Data(text.utf8).write(to: url)
        var reader = LineReader(source: try openEventFile(path: url.path), path: url.path, blockSize: 16, maxLineLength: 64)
        var out: [String] = []
        try reader.forEachLine { line, n in out.append("\(n):\(String(decoding: line, as: UTF8.self))") }
        XCTAssertEqual(out, ["1:a", "3:b", "4:" + String(repeating: "y", count: 40), "5:c"])
        XCTAssertEqual(reader.overlongLines.map { "\($0.line):\($0.bytes)" }, ["2:100", "6:200"])
        XCTAssertTrue(reader.endedMidLine)
        XCTAssertTrue(reader.endedInOverlongLine, "the text ended inside the over-long line: cut short")
    }

    func testNotGzipButNamedGz() throws {
        try eachLibrary {
            let url = dir.appendingPathComponent("fake.json.gz")
            try Data("{\"plain\":true}\n".utf8).write(to: url)
            XCTAssertThrowsError(try lines(of: url.path)) { error in
                XCTAssertEqual(error as? SourceError, .notGzip(path: url.path))
            }
        }
    }

    func testMissingFile() {
        XCTAssertThrowsError(try openEventFile(path: dir.appendingPathComponent("nope.json").path)) { error in
            guard case SourceError.cannotOpen = error else { return XCTFail("\(error)") }
        }
    }

    /// Members of every size, their boundaries (and their magic bytes) falling anywhere in a
    /// 16-byte input buffer: the library resumes each member exactly where the last one ended.
    func testManyMembersAcrossTinyInputReads() throws {
        try eachLibrary {
            var random = SystemRandomNumberGenerator()
            var expected: [String] = []
            var joined = Data()
            for m in 0..<40 {
                let count = Int.random(in: 1...60, using: &random)
                let member = (0..<count).map { "{\"member\":\(m),\"n\":\($0),\"r\":\"\(UInt64.random(in: 0...UInt64.max, using: &random))\"}" }
                expected += member
                joined += try Data(contentsOf: writeEventFile(member, to: dir.appendingPathComponent("m\(m).json.gz")))
            }
            let url = dir.appendingPathComponent("members.json.gz")
            try joined.write(to: url)
            for size in [16, 17, 331, 1 << 20] {
                let source = try GzipByteSource(file: FileByteSource(path: url.path), inflater: inflater, inputBufferSize: size)
                var reader = LineReader(source: source, path: url.path, blockSize: 1000)
                var out: [String] = []
                try reader.forEachLine { line, _ in out.append(String(decoding: line, as: UTF8.self)) }
                XCTAssertEqual(out, expected, "\(inflater), input buffer of \(size) bytes")
            }
        }
    }

    /// The ledger's digest is the same CRC-32 whichever library computes it, so a store
    /// written on a machine without ISA-L skips the same files on one with it.
    func testDigestIsTheSameCRC32WithEitherLibrary() throws {
        let check = Array("123456789".utf8)
        for library in GzipInflater.allCases where library != .isal || GzipInflater.isalAvailable {
            XCTAssertEqual(FileDigest.hex(check.withUnsafeBytes { FileDigest.crc32(0, $0.baseAddress, $0.count, library: library) }), "crc32:cbf43926", "\(library)")
        }
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<1_000_003).map { _ in UInt8.random(in: 0...255, using: &random) }
        var cuts = [0, bytes.count]
        for _ in 0..<20 { cuts.append(Int.random(in: 0...bytes.count, using: &random)) }
        cuts.sort()
        var byLibrary: [GzipInflater: UInt32] = [:]
        for library in GzipInflater.allCases where library != .isal || GzipInflater.isalAvailable {
            var crc: UInt32 = 0
            bytes.withUnsafeBytes { all in
                for (a, b) in zip(cuts, cuts.dropFirst()) { crc = FileDigest.crc32(crc, all.baseAddress! + a, b - a, library: library) }
            }
            byLibrary[library] = crc
        }
        if let isal = byLibrary[.isal] { XCTAssertEqual(isal, byLibrary[.zlib]) }
        XCTAssertEqual(FileDigest.of(bytes: bytes), FileDigest.hex(byLibrary[.zlib]!))
    }

    func testArchiveHourNames() {
        XCTAssertEqual(ArchiveHour("2025-01-01T00")?.fileName, "2025-01-01-0.json.gz")
        XCTAssertEqual(ArchiveHour("2025-01-01T23")?.fileName, "2025-01-01-23.json.gz")
        XCTAssertEqual(ArchiveHour("2025-01-01", defaultHour: 23), ArchiveHour("2025-01-01T23"))
        XCTAssertNil(ArchiveHour("2025-02-30T00"))
        XCTAssertNil(ArchiveHour("2025-01-01T24"))
        let range = ArchiveHour.range(ArchiveHour("2024-12-31T22")!, ArchiveHour("2025-01-01T01")!)
        XCTAssertEqual(range.map(\.fileName), ["2024-12-31-22.json.gz", "2024-12-31-23.json.gz", "2025-01-01-0.json.gz", "2025-01-01-1.json.gz"])
    }
}

/// The real sample, read through the fast path, against Foundation's JSON decoding of the
/// same lines: an independent reading of every field the metrics use.
final class RealSampleTests: XCTestCase {
    func testScannerAgreesWithJSONSerializationOnRealEvents() throws {
        let url = try sharedData("data/gharchive/2021-07-21-06_09.sample.json.gz")
        var scanned: [ScannedEvent] = []
        var decoded: [[String: Any]] = []
        var reader = LineReader(source: try openEventFile(path: url.path), path: url.path)
        try reader.forEachLine { line, _ in
            var e = ScannedEvent()
            try GHEventScanner.scan(line, into: &e)
            scanned.append(e)
            decoded.append(try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any])
        }
        XCTAssertEqual(scanned.count, 800)
        func int(_ any: Any?) -> Int64? {
            if let n = any as? NSNumber { return n.int64Value }
            if let s = any as? String { return Int64(s) }
            return nil
        }
        var types: [String: Int] = [:]
        for (e, d) in zip(scanned, decoded) {
            let type = d["type"] as! String
            types[type, default: 0] += 1
            XCTAssertEqual(e.type.name, type)
            XCTAssertEqual(e.id, int(d["id"]))
            XCTAssertEqual(e.actorID, int((d["actor"] as! [String: Any])["id"]))
            XCTAssertEqual(e.repoID, int((d["repo"] as! [String: Any])["id"]))
            let payload = d["payload"] as? [String: Any] ?? [:]
            if let action = payload["action"] as? String {
                let expected = GHAction.names.first { $0.1 == Array(action.utf8) }?.0 ?? .other
                XCTAssertEqual(e.action, expected)
            } else {
                XCTAssertEqual(e.action, GHAction.none)
            }
            let issue = payload["issue"] as? [String: Any]
            XCTAssertEqual(e.issue.id, int(issue?["id"]))
            XCTAssertEqual(e.issue.authorID, int((issue?["user"] as? [String: Any])?["id"]))
            let pr = payload["pull_request"] as? [String: Any]
            XCTAssertEqual(e.pullRequest.id, int(pr?["id"]))
            XCTAssertEqual(e.pullRequest.merged, pr?["merged"] as? Bool)
            XCTAssertEqual(e.pullRequest.additions, int(pr?["additions"]))
            XCTAssertEqual(e.pullRequest.deletions, int(pr?["deletions"]))
            XCTAssertEqual(e.commentID, int((payload["comment"] as? [String: Any])?["id"]))
            XCTAssertEqual(e.pushID, int(payload["push_id"]))
        }
        // The sample's own description (shared/README.md).
        XCTAssertEqual(types.count, 15)
        XCTAssertEqual(types["PushEvent"], 425)
        XCTAssertEqual(types["PullRequestEvent"], 64)
    }
}

/// ISA-L and zlib on the same files give the same facts: the real sample as GH Archive wrote
/// it, and the same events re-packed as members at gzip's fastest and best levels (which
/// write different deflate blocks).
final class InflaterParityTests: XCTestCase {
    func testBothLibrariesGiveIdenticalFacts() throws {
        guard GzipInflater.isalAvailable else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("libisal.so.2 not found; CI=true requires ISA-L (apt install libisal-dev)") }
            throw XCTSkip("ISA-L (libisal.so.2) is not installed: nothing to compare zlib with")
        }
        let sample = try sharedData("data/gharchive/2021-07-21-06_09.sample.json.gz")
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = String(decoding: try gunzip(sample), as: UTF8.self).split(separator: "\n").map(String.init)
        var repacked = Data()
        for (i, chunk) in stride(from: 0, to: lines.count, by: 113).enumerated() {
            let plain = dir.appendingPathComponent("part\(i).json")
            try Data((lines[chunk..<min(chunk + 113, lines.count)].joined(separator: "\n") + "\n").utf8).write(to: plain)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/gzip")
            p.arguments = [i % 2 == 0 ? "-1" : "-9", "-n", "-f", plain.path]
            try p.run(); p.waitUntilExit()
            repacked += try Data(contentsOf: plain.appendingPathExtension("gz"))
        }
        let members = dir.appendingPathComponent("2021-07-21-6.json.gz")
        try repacked.write(to: members)

        for url in [sample, members] {
            let (isal, isalStats) = try GHArchiveFileReader.read(path: url.path, inflater: .isal)
            let (zlib, zlibStats) = try GHArchiveFileReader.read(path: url.path, inflater: .zlib)
            XCTAssertEqual(isalStats.events, 800, url.lastPathComponent)
            XCTAssertEqual(isalStats.events, zlibStats.events)
            XCTAssertEqual(isalStats.bytesRead, zlibStats.bytesRead)
            XCTAssertFalse(isal.facts.isEmpty)
            XCTAssertEqual(isal.facts, zlib.facts, url.lastPathComponent)
            XCTAssertEqual(isal.pullRequestLines, zlib.pullRequestLines)
            XCTAssertEqual(isal.itemEvents, zlib.itemEvents)
            XCTAssertEqual(isal.openRankExclusions, zlib.openRankExclusions)
            XCTAssertEqual(Set(isal.repoNames.all), Set(zlib.repoNames.all))
            XCTAssertEqual(Set(isal.actorLogins.all), Set(zlib.actorLogins.all))
        }
    }
}

/// An error from one library's pass, saying which library it was.
struct SourceErrorWithLibrary: Error, CustomStringConvertible {
    var library: GzipInflater
    var error: any Error
    var description: String { "with \(library.rawValue): \(error)" }
}
