import Foundation
import XCTest

/// A fresh folder under the system's temporary directory, removed by the caller's tearDown.
public func makeTemporaryDirectory(_ name: String = #function) throws -> URL {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("kaiyuan-tests-\(safe)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes lines as a file, gzipped when the name ends in .gz (through the system's gzip, so
/// the bytes are what GH Archive's tools produce).
@discardableResult
public func writeEventFile(_ lines: [String], to url: URL) throws -> URL {
    let text = lines.joined(separator: "\n") + "\n"
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    if url.pathExtension == "gz" {
        let plain = url.deletingPathExtension()
        try Data(text.utf8).write(to: plain)
        try run("/bin/gzip", ["-f", "-n", plain.path])
    } else {
        try Data(text.utf8).write(to: url)
    }
    return url
}

public func run(_ tool: String, _ args: [String]) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = args
    try p.run()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw NSError(domain: "run", code: Int(p.terminationStatus), userInfo: [NSLocalizedDescriptionKey: "\(tool) \(args) failed"]) }
}

/// The project's root folder (for fixtures).
public let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `../shared` beside the project: real data nobody here wrote. Tests that need it skip with
/// a message when it is absent, except under CI=true, where its absence is a failure.
public func sharedData(_ relative: String, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
    let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent(relative)
    if FileManager.default.fileExists(atPath: url.path) { return url }
    if ProcessInfo.processInfo.environment["CI"] == "true" {
        XCTFail("\(url.path) is missing, and CI=true requires ../shared", file: file, line: line)
        throw XCTSkip("missing shared data")
    }
    throw XCTSkip("\(url.path) is absent: this test needs ../shared beside the project (real data); skipped")
}

/// A gzip file's bytes, through the system's gzip (nothing shared with kaiyuan's inflater).
public func gunzip(_ url: URL) throws -> Data { try systemGzip(["-dc", url.path]) }

/// A file's bytes gzipped by the system's gzip.
public func gzipped(_ url: URL) throws -> Data { try systemGzip(["-c", url.path]) }

private func systemGzip(_ arguments: [String]) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/gzip")
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return data
}

/// Every regular file under `dir`, by path relative to it, with its bytes: two exports are
/// byte-identical when these are equal.
public func treeContents(_ dir: URL) throws -> [String: Data] {
    var out: [String: Data] = [:]
    let base = dir.standardizedFileURL.path
    guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) else { return out }
    for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
        out[String(url.standardizedFileURL.path.dropFirst(base.count))] = try Data(contentsOf: url)
    }
    return out
}

/// The first few paths where two trees differ, for a readable failure.
public func treeDifferences(_ a: [String: Data], _ b: [String: Data], limit: Int = 10) -> [String] {
    var out: [String] = []
    for path in Set(a.keys).union(b.keys).sorted() where a[path] != b[path] {
        out.append(a[path] == nil ? "only in the second: \(path)" : b[path] == nil ? "only in the first: \(path)" : "differs: \(path)")
        if out.count == limit { break }
    }
    return out
}
