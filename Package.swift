// swift-tools-version: 6.1
// catalyze — provisions customer pods (see README.md, "Architecture").
import PackageDescription

let package = Package(
    name: "catalyze",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "catalyze", targets: ["catalyze"]),
        .library(name: "CatalyzeCLI", targets: ["CatalyzeCLI"]),
        // For the separate Benchmarks/ package.
        .library(name: "CatalyzeScheduler", targets: ["CatalyzeScheduler"]),
        .library(name: "CatalyzePlanner", targets: ["CatalyzePlanner"]),
        .library(name: "CatalyzeState", targets: ["CatalyzeState"]),
        .library(name: "CatalyzeEngine", targets: ["CatalyzeExecutor", "CatalyzeAWS"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
    ],
    targets: [
        // The lists of every type conforming to a protocol marked `// @registry` (every kind, every
        // cloud, each cloud's handlers, each kind's desire), generated before the target compiles,
        // so that a new kind or cloud is its own files and no hand-kept list (RegistryGenerator).
        .executableTarget(name: "RegistryGenerator"),
        .plugin(name: "Registry", capability: .buildTool(), dependencies: ["RegistryGenerator"], path: "Sources/RegistryPlugin"),
        // Shared vocabulary: diagnostics, positions, addresses, secrets, clocks.
        .target(name: "CatalyzeCore"),
        // The resource model every later target shares: Provider, ResourceKind, ResourceAddress,
        // ResourceSpec, the typed specs inside attributes (listeners, ingress rules, PEM bundles)
        // with their one canonical text, and the documented defaults. No I/O.
        .target(name: "CatalyzeModel", dependencies: ["CatalyzeCore"], plugins: ["Registry"]),
        // The pod manifest: model, YAML loading with marks, validation rules, profiles.
        .target(name: "CatalyzeManifest", dependencies: ["CatalyzeCore", "CatalyzeModel", "Yams"]),
        // Placement: feasibility checkers, bids, winner; pure, no I/O.
        .target(name: "CatalyzeScheduler", dependencies: ["CatalyzeCore", "CatalyzeModel"], exclude: ["PLACEMENT.md"]),
        // The lockfile: model, atomic file store, lock.
        .target(name: "CatalyzeState", dependencies: ["CatalyzeCore", "CatalyzeModel"]),
        // The network state stores: S3 (SigV4 through the AWS target's signer and credential chain)
        // and etcd (v3 JSON gateway), both compare-and-swap with leased locks; `StateBackends.store`.
        .target(
            name: "CatalyzeStateBackends",
            dependencies: ["CatalyzeCore", "CatalyzeState", "CatalyzeDrivers", "CatalyzeAWS"]),
        // The driver protocol, HTTP transport.
        .target(name: "CatalyzeDrivers", dependencies: ["CatalyzeCore", "CatalyzeModel", "CCatalyzeCurl"]),
        // One HTTP exchange through libcurl's easy interface (curl_easy_setopt is variadic: C only).
        // libcurl is what FoundationNetworking links too (scripts/setup.sh installs its headers).
        // Loaded with dlopen on the first request, not linked (see CCatalyzeCurl.c: start-up time);
        // the headers are needed to build, libcurl.so.4 to make requests.
        .target(name: "CCatalyzeCurl", linkerSettings: [.linkedLibrary("dl")]),
        // The commit a build was made from: `-Xcc -DCATALYZE_COMMIT=<hash>` (scripts/install.sh).
        .target(name: "CCatalyzeBuildInfo"),
        // desired × lockfile × live → plan; pure, no I/O.
        .target(
            name: "CatalyzePlanner",
            dependencies: ["CatalyzeCore", "CatalyzeModel", "CatalyzeManifest", "CatalyzeScheduler", "CatalyzeState", "CatalyzeDrivers"],
            plugins: ["Registry"]),
        // DAG walk, write-ahead journal, bounded parallelism.
        .target(
            name: "CatalyzeExecutor",
            dependencies: ["CatalyzeCore", "CatalyzeManifest", "CatalyzeScheduler", "CatalyzePlanner", "CatalyzeState",
                           "CatalyzeDrivers"]),
        // Use cases the CLI and the HTTP API share (exposure switching, the revocation push).
        .target(
            name: "CatalyzeOperations",
            dependencies: ["CatalyzeCore", "CatalyzeModel", "CatalyzeManifest", "CatalyzePlanner", "CatalyzeState",
                           "CatalyzeDrivers", "CatalyzeExecutor", "CatalyzeAccess"]),
        // AWS: SigV4, Query/JSON protocols, EC2/ELBv2/KMS/CloudWatch driver.
        .target(
            name: "CatalyzeAWS",
            dependencies: ["CatalyzeCore", "CatalyzeDrivers", .product(name: "Crypto", package: "swift-crypto")],
            plugins: ["Registry"]),
        // Rackspace: Identity v2, Nova, CLB, Cloud Monitoring, Cinder, Neutron driver.
        // CryptoExtras (swift-crypto 4's name; `_CryptoExtras` only re-exports it): RSA, to seal a
        // Cloud Backup passphrase to each agent's public key.
        .target(
            name: "CatalyzeRackspace",
            dependencies: ["CatalyzeCore", "CatalyzeDrivers", .product(name: "CryptoExtras", package: "swift-crypto")],
            exclude: ["PLACEMENT-RACKSPACE.md"], plugins: ["Registry"]),
        // Zero-trust access: OpenSSH certificates, KRL, grants, audit chain.
        .target(
            name: "CatalyzeAccess",
            dependencies: ["CatalyzeCore", .product(name: "Crypto", package: "swift-crypto")]),
        // Commands and views.
        .target(
            name: "CatalyzeCLI",
            dependencies: [
                "CatalyzeCore", "CatalyzeModel", "CatalyzeManifest", "CatalyzeScheduler", "CatalyzeState", "CatalyzeDrivers",
                "CatalyzePlanner", "CatalyzeExecutor", "CatalyzeOperations", "CatalyzeAWS", "CatalyzeRackspace", "CatalyzeAccess",
                "CatalyzeStateBackends", "CCatalyzeBuildInfo", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "catalyze", dependencies: ["CatalyzeCLI"]),

        // Test support: emulator endpoints, temporary folders, fixtures.
        .target(
            name: "CatalyzeTestSupport", dependencies: ["CatalyzeCore", "CatalyzeModel", "CatalyzeDrivers"],
            path: "Tests/CatalyzeTestSupport"),
        .testTarget(name: "CatalyzeCoreTests", dependencies: ["CatalyzeCore", "CatalyzeTestSupport"]),
        .testTarget(name: "CatalyzeModelTests", dependencies: ["CatalyzeCore", "CatalyzeModel"]),
        .testTarget(name: "CatalyzeManifestTests", dependencies: ["CatalyzeManifest", "CatalyzeTestSupport"]),
        .testTarget(name: "CatalyzeSchedulerTests", dependencies: ["CatalyzeScheduler", "CatalyzeTestSupport"]),
        .testTarget(
            name: "CatalyzeStateTests",
            dependencies: ["CatalyzeState", "CatalyzeModel", "CatalyzeTestSupport", "CatalyzeStateBackends", "CatalyzeAWS",
                           "CatalyzeDrivers"]),
        .testTarget(
            name: "CatalyzePlannerTests",
            dependencies: ["CatalyzePlanner", "CatalyzeTestSupport"]),
        .testTarget(
            name: "CatalyzeExecutorTests",
            dependencies: ["CatalyzeExecutor", "CatalyzePlanner", "CatalyzeState", "CatalyzeDrivers", "CatalyzeModel", "CatalyzeCore"]),
        .testTarget(
            name: "CatalyzeAWSTests",
            dependencies: ["CatalyzeAWS", "CatalyzeTestSupport"]),
        .testTarget(
            name: "CatalyzeRackspaceTests",
            dependencies: [
                "CatalyzeRackspace", "CatalyzeTestSupport", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]),
        .testTarget(name: "CatalyzeAccessTests", dependencies: ["CatalyzeAccess", "CatalyzeTestSupport"]),
        .testTarget(
            name: "CatalyzeCLITests",
            dependencies: ["CatalyzeCLI", "CatalyzeTestSupport", "CatalyzeStateBackends", .product(name: "Crypto", package: "swift-crypto")]),
    ],
    swiftLanguageModes: [.v6]
)
