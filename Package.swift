// swift-tools-version: 6.0
import PackageDescription

/// Release builds keep exclusivity checks out of the decode loops; everything else is default.
let optimizedSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Sparrow",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sparrow", targets: ["SparrowCLI"]),
        .library(name: "Columnar", targets: ["Columnar"]),
        .library(name: "Parquet", targets: ["Parquet"]),
        .library(name: "CSV", targets: ["CSV"]),
        .library(name: "Query", targets: ["Query"]),
        .library(name: "Execution", targets: ["Execution"]),
        .library(name: "Sparrow", targets: ["Sparrow"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CBrotli", pkgConfig: "libbrotlienc", providers: [.apt(["libbrotli-dev"])]),
        // glibc's malloc.h (mallopt), which the Glibc module does not export.
        .systemLibrary(name: "CMalloc"),
        .target(name: "Columnar", swiftSettings: optimizedSettings),
        .target(
            name: "Parquet",
            dependencies: ["Columnar", "CZstd", "CSnappy", "CZlib", "CLZ4", "CBrotli"],
            exclude: ["Thrift/README.md"],
            swiftSettings: optimizedSettings
        ),
        .target(
            name: "CSV",
            dependencies: ["Columnar", "CZlib", "CZstd"],
            swiftSettings: optimizedSettings
        ),
        .target(name: "Query", dependencies: ["Columnar"], swiftSettings: optimizedSettings),
        .target(
            name: "Execution",
            dependencies: ["Columnar", "Parquet", "CSV", "Query"],
            swiftSettings: optimizedSettings
        ),
        .target(
            name: "Sparrow",
            dependencies: ["Columnar", "Parquet", "CSV", "Query", "Execution"],
            swiftSettings: optimizedSettings
        ),
        .executableTarget(
            name: "SparrowCLI",
            dependencies: [
                "Columnar", "Parquet", "CSV", "Query", "Execution", "Sparrow", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimizedSettings
        ),
        .testTarget(name: "ColumnarTests", dependencies: ["Columnar"]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "Columnar"]),
        .testTarget(name: "CSVTests", dependencies: ["CSV", "Columnar"]),
        .testTarget(name: "QueryTests", dependencies: ["Query", "Columnar"]),
        .testTarget(name: "ExecutionTests", dependencies: ["Execution", "Query", "Columnar", "Parquet"]),
        .testTarget(name: "SparrowTests", dependencies: ["Sparrow", "Execution", "Query", "Columnar", "Parquet"]),
        // Runs the built `sparrow` binary; depending on the target makes `swift test` build it.
        .testTarget(name: "SparrowCLITests", dependencies: ["SparrowCLI"]),
    ]
)
