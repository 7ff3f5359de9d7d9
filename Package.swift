// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "kaiyuan",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kaiyuan", targets: ["kaiyuan"]),
        .library(name: "KaiyuanCore", targets: ["KaiyuanCore"]),
        // For the micro-benchmarks package in Benchmarks/.
        .library(name: "KaiyuanSources", targets: ["KaiyuanSources"]),
        .library(name: "KaiyuanMetrics", targets: ["KaiyuanMetrics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // zlib from the system (Debian: zlib1g-dev); streaming inflate of GH Archive hours.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // ISA-L's gzip inflate, loaded with dlopen when the machine has it (Debian: libisal-dev);
        // built and run without it, kaiyuan inflates with zlib.
        .target(name: "CISAL"),
        // Counts heap allocations by interposing malloc: linked into kaiyuan-bench alone, for
        // its allocation guard.
        .target(name: "CMallocCounter"),

        // Shared value types: months, periods, event kinds, facts.
        .target(name: "KaiyuanCore"),
        // Stage 1 — sources: GH Archive files, the byte-level scanner, downloads; git logs; label files.
        .target(name: "KaiyuanSources", dependencies: ["KaiyuanCore", "CZlib", "CISAL", .product(name: "Yams", package: "Yams")]),
        // Stage 2 — the store: the protocols every store implements, and where a store is.
        .target(name: "KaiyuanStore", dependencies: ["KaiyuanCore"]),
        // The default store: one SQLite file (GRDB).
        .target(name: "KaiyuanStoreSQLite", dependencies: [
            "KaiyuanCore", "KaiyuanStore", .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // A ClickHouse cluster over its HTTP interface: the same protocols, the same numbers.
        .target(name: "KaiyuanStoreClickHouse", dependencies: ["KaiyuanCore", "KaiyuanStore"]),
        // Opens whichever store a location names; the CLI and the server see only the protocols.
        .target(name: "KaiyuanStores", dependencies: ["KaiyuanCore", "KaiyuanStore", "KaiyuanStoreSQLite", "KaiyuanStoreClickHouse"]),
        // People behind the data: identities merged across emails, bots, labels, affiliations, regions.
        .target(name: "KaiyuanPeople", dependencies: ["KaiyuanCore"]),
        // Stage 3 — metrics: OpenDigger's definitions, computed from stored facts; git metrics.
        .target(name: "KaiyuanMetrics", dependencies: ["KaiyuanCore", "KaiyuanStore", "KaiyuanPeople"]),
        // Stage 4 — reports: what a report, a dashboard page or `analyze` says, as data (the
        // ecosystem report, a project's health, label totals), built from the metrics.
        .target(name: "KaiyuanReports", dependencies: ["KaiyuanCore", "KaiyuanStore", "KaiyuanPeople", "KaiyuanMetrics", "KaiyuanLicences"]),
        // Stage 5 — outputs: OpenDigger export, tables, JSON, CSV, HTML and Markdown pages.
        .target(name: "KaiyuanOutputs", dependencies: ["KaiyuanCore", "KaiyuanMetrics", "KaiyuanReports", "KaiyuanPeople", "KaiyuanLicences"]),
        // Licences found in the text of files and manifests, against the index built from
        // ScanCode's data (scripts/licence-index/build.py); compatibility verdicts.
        .target(name: "KaiyuanLicences", dependencies: ["KaiyuanCore", "KaiyuanSources"], resources: [.copy("Resources/licence-index.txt.gz")],
                // Optimised in debug builds too: loading the 37,000-rule index and matching are
                // hot loops that take seconds unoptimised, in every test and `swift run`.
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // SBOMs: dependencies from the manifests and lockfiles of six ecosystems, written as
        // SPDX 2.3 and CycloneDX 1.6 JSON with the licences detection finds.
        .target(name: "KaiyuanSBOM", dependencies: ["KaiyuanCore", "KaiyuanSources", "KaiyuanLicences"]),
        // Orchestration of an import: sources → fold → store, with reporting.
        .target(name: "KaiyuanIngest", dependencies: ["KaiyuanCore", "KaiyuanSources", "KaiyuanStore", "KaiyuanLicences"]),
        // The local dashboard: the report's pages live, OpenDigger's JSON layout, /api/v1 (Hummingbird).
        .target(name: "KaiyuanServer", dependencies: [
            "KaiyuanCore", "KaiyuanStore", "KaiyuanPeople", "KaiyuanMetrics", "KaiyuanReports", "KaiyuanOutputs", "KaiyuanLicences",
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdCore", package: "hummingbird"),
        ]),
        // The command-line tool: one small type per command, no logic.
        .executableTarget(name: "kaiyuan", dependencies: [
            "KaiyuanCore", "KaiyuanSources", "KaiyuanStore", "KaiyuanPeople", "KaiyuanMetrics", "KaiyuanReports",
            "KaiyuanOutputs", "KaiyuanIngest", "KaiyuanServer", "KaiyuanStores", "KaiyuanLicences", "KaiyuanSBOM",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmarks and the generator of full-size GH Archive hours (not part of the user CLI).
        .executableTarget(name: "kaiyuan-bench", dependencies: [
            "KaiyuanCore", "KaiyuanSources", "KaiyuanMetrics", "KaiyuanStore", "KaiyuanStores", "CZlib", "CMallocCounter",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .target(name: "TestSupport", dependencies: ["KaiyuanCore", "KaiyuanStore", "KaiyuanStores", "KaiyuanStoreSQLite", "KaiyuanIngest",
                                                   .product(name: "GRDB", package: "GRDB.swift")], path: "Tests/TestSupport"),
        .testTarget(name: "KaiyuanCoreTests", dependencies: ["KaiyuanCore"]),
        .testTarget(name: "KaiyuanSourcesTests", dependencies: ["KaiyuanSources", "TestSupport"]),
        .testTarget(name: "KaiyuanStoreTests", dependencies: ["KaiyuanStore", "KaiyuanStores", "KaiyuanStoreSQLite", "KaiyuanStoreClickHouse", "KaiyuanMetrics", "KaiyuanOutputs", "KaiyuanIngest", "TestSupport"]),
        .testTarget(name: "KaiyuanPeopleTests", dependencies: ["KaiyuanPeople", "KaiyuanSources", "TestSupport"]),
        .testTarget(name: "KaiyuanMetricsTests", dependencies: ["KaiyuanMetrics", "KaiyuanReports", "KaiyuanIngest", "TestSupport"]),
        .testTarget(name: "KaiyuanOutputsTests", dependencies: ["KaiyuanOutputs", "KaiyuanIngest", "TestSupport"]),
        .testTarget(name: "KaiyuanServerTests", dependencies: ["KaiyuanServer", "KaiyuanIngest", "KaiyuanOutputs", "TestSupport"]),
        .testTarget(name: "KaiyuanLicencesTests", dependencies: ["KaiyuanLicences", "KaiyuanSBOM", "KaiyuanIngest", "KaiyuanStoreSQLite", "KaiyuanReports", "KaiyuanOutputs", "KaiyuanPeople", "TestSupport"]),
        .testTarget(name: "KaiyuanIngestTests", dependencies: ["KaiyuanIngest", "KaiyuanSources", "KaiyuanStore", "KaiyuanMetrics", "TestSupport"]),
    ]
)
