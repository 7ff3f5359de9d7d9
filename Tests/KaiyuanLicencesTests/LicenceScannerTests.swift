import Foundation
import KaiyuanSources
import TestSupport
import XCTest
@testable import KaiyuanLicences

/// Trees: what a project declares, manifests, conflicts, and bad input of every kind.
final class LicenceScannerTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try makeTemporaryDirectory() }

    func write(_ path: String, _ text: String) throws {
        let url = dir.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func testDeclaredDetectedAndConflicts() throws {
        try write("LICENSE", "MIT License\n\nCopyright (c) 2024 Kaiyuan\n\n" + Texts.mit + "\n")
        try write("package.json", #"{"name": "demo", "version": "1.0.0", "license": "MIT"}"#)
        try write("Cargo.toml", "[package]\nname = \"demo\"\nlicense = \"MIT OR Apache-2.0\"\n")
        try write("src/main.c", "/* SPDX-License-Identifier: GPL-2.0-only */\nint main(void) { return 0; }\n")
        try write("vendor/lib/util.js", "// SPDX-License-Identifier: BSD-3-Clause\n")
        try write("third_party/COPYING", "Redistribution\n" + Texts.bsd3)
        let report = LicenceScanner(index: try LicenceIndex.shared()).scan(path: dir.path)
        XCTAssertEqual(report.filesScanned, 6)
        XCTAssertEqual(Set(report.declared), ["MIT", "MIT OR Apache-2.0"])
        XCTAssertEqual(report.expression, "(MIT OR Apache-2.0) AND MIT", "in file order: Cargo.toml, LICENSE, package.json")
        XCTAssertTrue(report.detected.contains("GPL-2.0-only"))
        XCTAssertTrue(report.detected.contains("BSD-3-Clause"))
        XCTAssertEqual(report.files.first { $0.path == "Cargo.toml" }?.matches,
                       [LicenceMatch(id: "MIT OR Apache-2.0", score: 100, startLine: 3, endLine: 3, method: .manifest)])
        XCTAssertEqual(report.files.first { $0.path == "package.json" }?.matches.map(\.method), [.manifest])
        XCTAssertEqual(report.conflicts.map(\.b), ["GPL-2.0-only"], "\(report.conflicts)")
        XCTAssertEqual(report.conflicts.first?.files, ["src/main.c"])
    }

    func testBadInputIsSkippedOrDecodedAndNamed() throws {
        try write("LICENSE", Texts.mit)
        // Binary, empty, huge, a symlink loop, a malformed manifest, and GBK-encoded Chinese.
        var binary = [UInt8](Texts.mit.utf8); binary.insert(0, at: 10)
        try Data(binary).write(to: dir.appendingPathComponent("blob.bin"))
        try write("empty.txt", "")
        try write("huge.txt", String(repeating: "x", count: 2_000))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("loop"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("loop/again").path, withDestinationPath: dir.path)
        try write("broken/package.json", #"{"license": "Apache-2.0", "name": "#)
        let gbk = try gbkBytes("版权所有。本软件依照 MIT 许可证发布。\n" + Texts.mit)
        try gbk.write(to: dir.appendingPathComponent("README.zh.txt"))
        try write("latin1.txt", "")
        try Data([0x4c, 0x69, 0x63, 0x65, 0x6e, 0x73, 0xe9, 0x0a] + Array(Texts.mit.utf8)).write(to: dir.appendingPathComponent("latin1.txt"))
        var scanner = LicenceScanner(index: try LicenceIndex.shared())
        scanner.maxFileBytes = 1_500
        let report = scanner.scan(path: dir.path)
        let skipped = Dictionary(uniqueKeysWithValues: report.skipped.map { ($0.path.components(separatedBy: "/").suffix(2).joined(separator: "/"), $0.reason) })
        XCTAssertEqual(skipped["blob.bin"].map { $0 == "binary" }, true, "\(report.skipped)")
        XCTAssertNotNil(skipped["huge.txt"], "\(report.skipped)")
        XCTAssertEqual(skipped["loop/again"], "symbolic link (not followed)")
        XCTAssertEqual(report.files.first { $0.path == "broken/package.json" }?.matches.map(\.id), ["Apache-2.0"], "a malformed manifest still says what it can")
        // LICENSE and the GBK file are larger than 1,500 bytes: raise the bound for them.
        scanner.maxFileBytes = 20 << 20
        let full = scanner.scan(path: dir.path)
        XCTAssertEqual(full.decoded.first { $0.path == "README.zh.txt" }?.reason, "decoded as GB18030")
        XCTAssertTrue(full.files.first { $0.path == "README.zh.txt" }?.matches.contains { $0.id == "MIT" } ?? false, "\(full.files)")
        XCTAssertEqual(full.decoded.first { $0.path == "latin1.txt" }?.reason, "decoded as Latin-1")
        XCTAssertEqual(full.expression, "MIT")
        // The same tree gives the same report.
        XCTAssertEqual(scanner.scan(path: dir.path), full)
    }

    /// A file whose name is not UTF-8 (GBK, as old Windows tools write Chinese names) is read,
    /// in a folder and in a clone's work tree, and its name's reading is noted.
    func testAFileNameThatIsNotUTF8IsReadAndNamed() throws {
        let name = [UInt8](try gbkBytes("许可证.txt"))
        XCTAssertNil(String(validating: name, as: UTF8.self))
        let path = FileName.bytes(dir.path + "/") .dropLast().map { UInt8(bitPattern: $0) } + name
        let fd = open(path.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        let text = Array(Texts.mit.utf8)
        XCTAssertEqual(text.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }, text.count)
        close(fd)
        let scanner = LicenceScanner(index: try LicenceIndex.shared())
        for clone in [false, true] {
            if clone {
                for args in [["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]] {
                    try TestSupport.run("/usr/bin/git", ["-C", dir.path] + args)
                }
            }
            let report = scanner.scan(path: dir.path)
            let escaped = FileName.string(name)
            XCTAssertEqual(report.files.map(\.path), [escaped], "clone: \(clone), \(report.skipped)")
            XCTAssertEqual(report.files.first?.matches.map(\.id), ["MIT"])
            XCTAssertEqual(FileName.rawBytes(escaped), name)
            XCTAssertTrue(report.decoded.contains { $0.path == escaped && $0.reason.contains("许可证.txt") }, "\(report.decoded)")
        }
        // Names round-trip exactly, the escapes' own characters included.
        for raw: [UInt8] in [[0x61, 0xFF, 0x62], Array("\u{F7A0}x".utf8), Array("plain.txt".utf8), [0xC3], [0xE4, 0xBD]] {
            XCTAssertEqual(FileName.rawBytes(FileName.string(raw)), raw)
        }
    }

    /// UTF-16 text (Windows' "Unicode" files), with its byte-order mark or without one, is
    /// decoded, not skipped as binary; a binary file with many NULs still is skipped.
    func testUTF16TextIsDecoded() throws {
        let text = Texts.mit
        try Data([0xFF, 0xFE] + Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).write(to: dir.appendingPathComponent("LICENSE"))
        try Data(Array(text.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }).write(to: dir.appendingPathComponent("COPYING.be.txt"))
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7 % 5 == 0 ? 0 : $0) }).write(to: dir.appendingPathComponent("data.bin"))
        let scanner = LicenceScanner(index: try LicenceIndex.shared())
        let full = scanner.scan(path: dir.path)
        XCTAssertEqual(full.decoded.first { $0.path == "LICENSE" }?.reason, "decoded as UTF-16LE", "\(full.decoded)")
        XCTAssertEqual(full.decoded.first { $0.path == "COPYING.be.txt" }?.reason, "decoded as UTF-16BE", "\(full.decoded)")
        XCTAssertEqual(full.files.first { $0.path == "LICENSE" }?.matches.map(\.id), ["MIT"], "\(full.files)")
        XCTAssertEqual(full.files.first { $0.path == "COPYING.be.txt" }?.matches.map(\.id), ["MIT"], "\(full.files)")
        XCTAssertEqual(full.skipped.first { $0.path.hasSuffix("data.bin") }?.reason, "binary")
        XCTAssertEqual(scanner.scan(path: dir.path), full)
    }

    /// The Rust layout: one choice in Cargo.toml, a licence file for each side of it.
    func testADualLicenceIsOneChoice() throws {
        try write("Cargo.toml", "[package]\nname = \"x\"\nlicense = \"MIT OR Apache-2.0\"\n")
        try write("LICENSE-MIT", Texts.mit)
        try write("LICENSE-APACHE", "Licensed under the Apache License, Version 2.0 (the \"License\");\nyou may not use this file except in compliance with the License.\n"
                  + "You may obtain a copy of the License at\n\n    http://www.apache.org/licenses/LICENSE-2.0\n\nUnless required by applicable law or agreed to in writing, software\n"
                  + "distributed under the License is distributed on an \"AS IS\" BASIS,\nWITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.\n"
                  + "See the License for the specific language governing permissions and\nlimitations under the License.\n")
        try write("NOTES", "MIT licensed, see LICENSE-MIT.\n" + Texts.mit + "\nThe bundled font is GPL-3.0.\n")
        let report = LicenceScanner(index: try LicenceIndex.shared()).scan(path: dir.path)
        XCTAssertEqual(report.expression, "MIT OR Apache-2.0", "\(report.declared)")
        XCTAssertEqual(report.conflicts, [], "a mention of GPL-3.0 is not judged")
        // A FIFO is no file to read: skipped, never waited on.
        XCTAssertEqual(mkfifo(dir.appendingPathComponent("pipe").path, 0o644), 0)
        let again = LicenceScanner(index: try LicenceIndex.shared()).scan(path: dir.path)
        XCTAssertEqual(again.skipped.first { $0.path == "pipe" }?.reason, "not a regular file")
    }

    func testAMissingPathIsNamed() throws {
        let report = LicenceScanner(index: try LicenceIndex.shared()).scan(path: dir.appendingPathComponent("nope").path)
        XCTAssertEqual(report.skipped.first?.reason, "no such file or directory")
        XCTAssertNil(report.expression)
    }

    func gbkBytes(_ s: String) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", "UTF-8", "-t", "GBK"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(s.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertNil(String(data: data, encoding: .utf8), "GBK bytes are not UTF-8")
        return data
    }
}
