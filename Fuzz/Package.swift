// swift-tools-version: 6.0
// libFuzzer targets for the package one directory up. Build and run them with `Fuzz/run`: they must be
// built with `-sanitize=fuzzer,address`, which the main package's tests cannot be.
import Foundation
import PackageDescription

// A path dependency is named after its directory, whatever the checkout is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "WinsockSSLFuzz",
    dependencies: [.package(path: root.path)],
    targets: [
        .executableTarget(
            name: "FuzzSSLControlRequest",
            dependencies: ["FuzzerEntry", .product(name: "WinsockSSL", package: root.lastPathComponent)]
        ),
        .executableTarget(
            name: "FuzzStreamReader",
            dependencies: ["FuzzerEntry", .product(name: "NetCF", package: root.lastPathComponent)]
        ),
        .target(name: "FuzzerEntry"),
    ],
    swiftLanguageModes: [.v6]
)
