// swift-tools-version: 6.1
// Benchmarks for catalyze, kept out of the main package so that it (and CI) never builds the
// benchmark dependency. Run from this folder:
//   ../scripts/swiftpm package --allow-writing-to-package-directory benchmark --target PlacementBenchmark
import PackageDescription

let package = Package(
    name: "CatalyzeBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "catalyze", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PlacementBenchmark",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CatalyzeScheduler", package: "catalyze"),
            ],
            path: "Benchmarks/PlacementBenchmark",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "PlanBenchmark",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CatalyzePlanner", package: "catalyze"),
            ],
            path: "Benchmarks/PlanBenchmark",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "StateStoreBenchmark",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CatalyzePlanner", package: "catalyze"),
            ],
            path: "Benchmarks/StateStore",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ApplyThroughputBenchmark",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CatalyzeEngine", package: "catalyze"),
            ],
            path: "Benchmarks/ApplyThroughput",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
