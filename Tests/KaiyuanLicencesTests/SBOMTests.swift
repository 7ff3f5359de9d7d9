import Foundation
import TestSupport
import XCTest
@testable import KaiyuanLicences
@testable import KaiyuanSBOM

/// A project with a manifest and a lockfile of each ecosystem, and a malformed one.
enum SBOMFixture {
    static func write(in dir: URL) throws {
        func put(_ path: String, _ text: String) throws {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try put("LICENSE", "MIT License\n\n" + Texts.mit + "\n")
        try put("package.json", """
            {"name": "demo-app", "version": "2.1.0", "license": "MIT",
             "dependencies": {"@babel/core": "^7.24.0", "left-pad": "1.3.0"},
             "devDependencies": {"jest": "^29.0.0"}}
            """)
        try put("package-lock.json", """
            {"name": "demo-app", "version": "2.1.0", "lockfileVersion": 3, "packages": {
              "": {"name": "demo-app", "version": "2.1.0"},
              "node_modules/@babel/core": {"version": "7.24.4", "license": "MIT", "integrity": "sha512-MBVlMXP+kkl5394RBLSxxk/iLTeVGLIDesiwwCnMHd9uH3aUyNZNvhMJdJmP2hjgtGb0akvQB2rSVMwQvzRolw=="},
              "node_modules/jest": {"version": "29.7.0", "dev": true, "license": "MIT"},
              "node_modules/left-pad": {"version": "1.3.0", "license": "WTFPL"}}}
            """)
        try put("requirements.txt", "requests==2.31.0\nflask>=2.0 ; python_version > '3.8'\n-e .\n# a comment\n!!! not a requirement\nhttps://example.com/pkg.whl\n")
        try put("pyproject.toml", """
            [project]
            name = "demo-py"
            version = "0.4.0"
            dependencies = [
              "numpy>=1.24",  # arrays
              "Pandas_Stubs==2.2.0",
            ]
            """)
        try put("poetry.lock", "[[package]]\nname = \"numpy\"\nversion = \"1.26.4\"\n\n[[package]]\nname = \"pytest\"\nversion = \"8.1.1\"\ncategory = \"dev\"\n")
        try put("go.mod", "module github.com/kaiyuan/demo\n\ngo 1.22\n\nrequire (\n\tgithub.com/spf13/cobra v1.8.0\n\tgolang.org/x/sys v0.18.0 // indirect\n)\nrequire gopkg.in/yaml.v3 v3.0.1\n")
        try put("go.sum", "github.com/spf13/cobra v1.8.0 h1:7aJaZx1B85qltLMc546zn58BxxfZdR/W22ej9CFoEf0=\ngithub.com/spf13/cobra v1.8.0/go.mod h1:WXLWApfZ71AjXPya3WOlMsY9yMs7YeiHhFVlvLyhcho=\nbroken line\n")
        try put("Cargo.toml", "[package]\nname = \"demo-rs\"\nversion = \"0.1.0\"\nlicense = \"MIT OR Apache-2.0\"\n\n[dependencies]\nserde = { version = \"1.0\", features = [\"derive\"] }\nlog = \"=0.4.21\"\n\n[dev-dependencies]\ntempfile = \"3\"\n")
        try put("Cargo.lock", "version = 3\n\n[[package]]\nname = \"demo-rs\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.197\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"3fb1c873e1b9b056a4dc4c0c198b24c3ffa059243875552b2bd0933b1aee4ce2\"\n")
        try put("pom.xml", """
            <project>
              <groupId>dev.kaiyuan</groupId><artifactId>demo-java</artifactId><version>${revision}</version>
              <properties><revision>1.0.0</revision><guava.version>33.0.0-jre</guava.version></properties>
              <licenses><license><name>Apache License, Version 2.0</name></license></licenses>
              <dependencies>
                <dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>${guava.version}</version></dependency>
                <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version><scope>test</scope></dependency>
              </dependencies>
            </project>
            """)
        try put("Package.swift", """
            // swift-tools-version:5.9
            import PackageDescription
            let package = Package(name: "DemoSwift", dependencies: [
                .package(url: "https://github.com/apple/swift-nio.git", from: "2.60.0"),
                .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.3.0"),
            ])
            """)
        try put("Package.resolved", """
            {"pins": [{"identity": "swift-nio", "kind": "remoteSourceControl", "location": "https://github.com/apple/swift-nio.git",
                       "state": {"revision": "fc63f0cf4e55a4597407a9fc95b16a2bc44b4982", "version": "2.65.0"}}], "version": 2}
            """)
        try put("broken/package-lock.json", #"{"lockfileVersion": 3, "packages": {"node_modules/x": {"version": "1.0"#)
        try put("node_modules/ignored/package.json", #"{"name": "ignored", "dependencies": {"nope": "1.0.0"}}"#)
    }
}

final class SBOMTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory()
        try SBOMFixture.write(in: dir.appendingPathComponent("demo"))
    }

    func testEveryEcosystemIsRead() throws {
        let scan = DependencyScan.scan(path: dir.appendingPathComponent("demo").path)
        let purls = Set(scan.components.map(\.purl))
        for expected in [
            "pkg:npm/%40babel/core@7.24.4", "pkg:npm/left-pad@1.3.0", "pkg:npm/jest@29.7.0",
            "pkg:pypi/requests@2.31.0", "pkg:pypi/flask", "pkg:pypi/numpy@1.26.4", "pkg:pypi/pandas-stubs@2.2.0", "pkg:pypi/pytest@8.1.1",
            "pkg:golang/github.com/spf13/cobra@v1.8.0", "pkg:golang/golang.org/x/sys@v0.18.0", "pkg:golang/gopkg.in/yaml.v3@v3.0.1",
            "pkg:cargo/serde@1.0.197", "pkg:cargo/log@0.4.21", "pkg:cargo/tempfile",
            "pkg:maven/com.google.guava/guava@33.0.0-jre", "pkg:maven/junit/junit@4.13.2",
            "pkg:swift/github.com/apple/swift-nio@2.65.0", "pkg:swift/github.com/apple/swift-argument-parser@1.3.0",
        ] { XCTAssertTrue(purls.contains(expected), "\(expected) missing from \(purls.sorted())") }
        XCTAssertFalse(purls.contains("pkg:npm/%40babel/core"), "the lockfile's exact version replaces the manifest's range")
        XCTAssertFalse(purls.contains { $0.contains("nope") }, "node_modules is not the project")
        XCTAssertFalse(purls.contains { $0.contains("demo-rs") }, "the workspace's own crate is no dependency")
        let byName = Dictionary(scan.components.map { ($0.displayName, $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(byName["jest"]?.development, true)
        XCTAssertEqual(byName["junit:junit"]?.development, true)
        XCTAssertEqual(byName["pytest"]?.development, true)
        XCTAssertEqual(byName["requests"]?.development, false)
        XCTAssertEqual(byName["left-pad"]?.licence, "WTFPL")
        XCTAssertEqual(byName["flask"]?.constraint, ">=2.0")
        XCTAssertEqual(byName["github.com/apple/swift-nio"]?.checksum, "fc63f0cf4e55a4597407a9fc95b16a2bc44b4982")
        XCTAssertTrue(scan.problems.contains { $0.hasPrefix("broken/package-lock.json: malformed JSON") }, "\(scan.problems)")
        XCTAssertTrue(scan.problems.contains { $0.hasPrefix("requirements.txt:5:") }, "\(scan.problems)")
        XCTAssertTrue(scan.problems.contains { $0.hasPrefix("go.sum:3:") }, "\(scan.problems)")
        XCTAssertEqual(scan.rootName, "demo-rs", "the first top-level manifest that names its package, by file name")
    }

    /// A bare clone (no work tree) gives the same dependencies and the same files as its
    /// work tree: its manifests and files are HEAD's blobs.
    func testABareCloneIsReadFromItsBlobs() throws {
        let work = dir.appendingPathComponent("demo")
        // -f: every file, whatever a global ignore file says (Package.resolved is often in one).
        for args in [["init", "-q"], ["add", "-A", "-f"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]] {
            try TestSupport.run("/usr/bin/git", ["-C", work.path] + args)
        }
        let bare = dir.appendingPathComponent("demo.git")
        try TestSupport.run("/usr/bin/git", ["clone", "-q", "--bare", work.path, bare.path])
        let fromWork = DependencyScan.scan(path: work.path), fromBare = DependencyScan.scan(path: bare.path)
        XCTAssertGreaterThan(fromBare.components.count, 10)
        XCTAssertEqual(fromBare.components.map(\.purl), fromWork.components.map(\.purl))
        XCTAssertEqual(fromBare.manifests, fromWork.manifests)
        let index = try LicenceIndex.shared()
        let workFiles = SBOM.build(path: work.path, index: index, withFiles: true).files ?? []
        let bareFiles = SBOM.build(path: bare.path, index: index, withFiles: true).files ?? []
        XCTAssertGreaterThan(bareFiles.count, 10)
        XCTAssertEqual(bareFiles.map(\.path), workFiles.map(\.path))
        XCTAssertEqual(bareFiles.map(\.sha1), workFiles.map(\.sha1))
    }

    /// go.sum lists every version resolution looked at: only what go.mod requires is a
    /// component (with go.sum's hash); a go.sum alone gives each module's highest version.
    /// An unclosed TOML array is named with its file and line, not silently dropped.
    func testGoSumVersionsAndUnclosedTOML() throws {
        let root = dir.appendingPathComponent("go-demo")
        let sum = """
            github.com/spf13/cobra v1.7.0 h1:aaa=
            github.com/spf13/cobra v1.7.0/go.mod h1:bbb=
            github.com/spf13/cobra v1.8.0 h1:ccc=
            github.com/spf13/pflag v1.0.5 h1:ddd=
            github.com/spf13/pflag v1.0.10 h1:eee=
            github.com/spf13/pflag v1.0.6-0.20201009195203-85dd5c8bc61c h1:fff=

            """
        try FileManager.default.createDirectory(at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("module example.com/x\n\nrequire github.com/spf13/cobra v1.8.0\n".utf8).write(to: root.appendingPathComponent("go.mod"))
        try Data(sum.utf8).write(to: root.appendingPathComponent("go.sum"))
        try Data("[package]\nname = \"x\"\n\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"\n".utf8).write(to: root.appendingPathComponent("sub/Cargo.toml"))
        let scan = DependencyScan.scan(path: root.path)
        let purls = scan.components.map(\.purl).filter { $0.hasPrefix("pkg:golang") }.sorted()
        XCTAssertEqual(purls, ["pkg:golang/github.com/spf13/cobra@v1.8.0", "pkg:golang/github.com/spf13/pflag@v1.0.10"])
        XCTAssertEqual(scan.components.first { $0.name == "cobra" }?.checksum, "h1:ccc=")
        XCTAssertTrue(scan.problems.contains { $0.hasPrefix("sub/Cargo.toml:5:") && $0.contains("never closed") }, "\(scan.problems)")
        XCTAssertTrue(DependencyScan.goVersionLess("v1.0.6-0.20201009195203-85dd5c8bc61c", "v1.0.6"))
        XCTAssertTrue(DependencyScan.goVersionLess("v1.0.9", "v1.0.10"))
    }

    func testOnlyValidExpressionsReachTheDocuments() throws {
        let index = try LicenceIndex.shared()
        XCTAssertEqual(SBOM.validExpression("GPL-2.0-only WITH Classpath-exception-2.0", index: index), "GPL-2.0-only WITH Classpath-exception-2.0")
        XCTAssertNil(SBOM.validExpression("Classpath-exception-2.0", index: index), "an exception alone is no licence")
        XCTAssertNil(SBOM.validExpression("MIT WITH Apache-2.0", index: index), "a licence after WITH")
        XCTAssertNil(SBOM.validExpression("SEE LICENSE IN LICENSE.txt", index: index))
        XCTAssertEqual(SBOM.validExpression("(mit OR gpl-2.0+)", index: index), "(MIT OR GPL-2.0-or-later)")
        XCTAssertNil(DependencyReaders.exactSemver("1.x"))
        XCTAssertNil(DependencyReaders.exactSemver("1"))
        XCTAssertEqual(DependencyReaders.exactSemver("=1.2.3-rc.1"), "1.2.3-rc.1")
    }

    func testSHA1() {
        XCTAssertEqual(SHA1.hex(Array("abc".utf8)), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(SHA1.hex([UInt8]()), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(SHA1.hex(Array(String(repeating: "a", count: 1000).utf8)), "291e9a6c66994949b57ba5e650361e98fc36b1ba")
    }

    /// Both documents validate against the official tools' schemas, and are the same bytes twice.
    func testDocumentsValidateAndAreDeterministic() throws {
        let project = dir.appendingPathComponent("demo").path
        for (format, file) in [("spdx-json", "sbom.spdx.json"), ("cyclonedx-json", "bom.cdx.json")] {
            let out = dir.appendingPathComponent(file).path
            let first = try KaiyuanBinary.run(["sbom", project, "--format", format, "--files", "--out", out], in: dir)
            XCTAssertEqual(first.status, 0, first.err)
            XCTAssertTrue(first.err.contains("malformed JSON"), "problems are named: \(first.err)")
            let a = try Data(contentsOf: URL(fileURLWithPath: out))
            let again = try KaiyuanBinary.run(["sbom", project, "--format", format, "--files"], in: dir)
            XCTAssertEqual(Data(again.out.utf8), a, "the same input gives the same bytes")
            try validate(format: format, path: out)
        }
        let spdx = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("sbom.spdx.json"))) as! [String: Any]
        let packages = spdx["packages"] as! [[String: Any]]
        XCTAssertEqual(packages.first?["licenseDeclared"] as? String, "(MIT OR Apache-2.0) AND MIT AND Apache-2.0",
                       "from the manifests and the LICENSE file, in file order: Cargo.toml, LICENSE, package.json, pom.xml")
        XCTAssertEqual(packages.first { $0["name"] as? String == "left-pad" }?["licenseDeclared"] as? String, "WTFPL")
        let files = spdx["files"] as! [[String: Any]]
        XCTAssertEqual((files.first { $0["fileName"] as? String == "./LICENSE" }?["licenseInfoInFiles"] as? [String]), ["MIT"])
    }

    func validate(format: String, path: String) throws {
        let script = format == "spdx-json"
            ? "import sys, subprocess; sys.exit(subprocess.run(['pyspdxtools', '-i', sys.argv[1]]).returncode)"
            : """
              import sys
              from cyclonedx.validation.json import JsonStrictValidator
              from cyclonedx.schema import SchemaVersion
              e = JsonStrictValidator(SchemaVersion.V1_6).validate_str(open(sys.argv[1]).read())
              print(e or ''); sys.exit(1 if e else 0)
              """
        let module = format == "spdx-json" ? "spdx_tools" : "cyclonedx"
        let probe = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import \(module)"])
        if probe.status != 0 {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("python3 cannot import \(module); .ci/run installs it") }
            throw XCTSkip("python3 cannot import \(module) (pip install spdx-tools cyclonedx-python-lib): the \(format) schema check is skipped")
        }
        let r = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, path])
        XCTAssertEqual(r.status, 0, "\(format) does not validate: \(r.out) \(r.err)")
    }
}
