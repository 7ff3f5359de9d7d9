// swift-tools-version:6.3
// Micro-benchmarks (ordo-one/benchmark) for kaiyuan's hot paths, in a package of their own
// so that the main package's `swift build` and `swift test` never build them.
//
//   cd Benchmarks && swift package benchmark
//   swift package benchmark baseline update main      # keep a baseline
//   swift package benchmark baseline compare main     # after a change: regressions show up
import PackageDescription

let package = Package(
    name: "kaiyuan-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "kaiyuan", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Ingest",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KaiyuanCore", package: "kaiyuan"),
                .product(name: "KaiyuanSources", package: "kaiyuan"),
                .product(name: "KaiyuanMetrics", package: "kaiyuan"),
            ],
            path: "Benchmarks/Ingest",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
