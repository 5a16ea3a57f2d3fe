// swift-tools-version: 6.0
// The benchmark harness: a package of its own, so the library package keeps no dependencies.
// Built and run by ./run, which also builds the C peers and runs the Python one.
import PackageDescription

let package = Package(
    name: "WinsockSSLBenchmarks",
    dependencies: [
        .package(name: "WinsockSSL", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
    ],
    targets: [
        // This package's two client surfaces: NetCF (Socket + SslHelper + StreamReader) and SecureConnection.
        // Timing, CPU and memory readings and the JSON output every Swift peer shares.
        .target(name: "BenchSupport"),
        .executableTarget(
            name: "BenchWinsockSSL",
            dependencies: [
                "BenchSupport",
                .product(name: "NetCF", package: "WinsockSSL"),
                .product(name: "WinsockSSL", package: "WinsockSSL"),
            ]
        ),
        // What one Swift String costs, for the line-reading figures in BENCHMARKS.md.
        .executableTarget(name: "BenchStringCost"),
        // The ecosystem's usual client: SwiftNIO with NIOSSLClientHandler (BoringSSL).
        .executableTarget(
            name: "BenchNIO",
            dependencies: [
                "BenchSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
