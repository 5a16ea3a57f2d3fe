// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "WinsockSSL",
    products: [
        .library(name: "WinsockSSL", targets: ["WinsockSSL"]),
        .library(name: "NetCF", targets: ["NetCF"]),
        .library(name: "WinsockSSLTesting", targets: ["WinsockSSLTesting"]),
        .executable(name: "blog-example", targets: ["BlogExample"]),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "WinsockSSL", dependencies: ["COpenSSL"]),
        .target(name: "NetCF", dependencies: ["WinsockSSL"]),
        .target(name: "WinsockSSLTesting", dependencies: ["WinsockSSL", "COpenSSL"]),
        .executableTarget(
            name: "BlogExample",
            dependencies: ["NetCF", "WinsockSSL", "WinsockSSLTesting"],
            path: "Examples/BlogExample"
        ),
        .testTarget(name: "WinsockSSLTests", dependencies: ["WinsockSSL", "WinsockSSLTesting"]),
        .testTarget(name: "NetCFTests", dependencies: ["NetCF", "WinsockSSL", "WinsockSSLTesting"]),
        .testTarget(name: "WinsockSSLTestingTests", dependencies: ["WinsockSSLTesting", "WinsockSSL"]),
        .testTarget(name: "RobustnessTests", dependencies: ["NetCF", "WinsockSSL", "WinsockSSLTesting"]),
    ],
    swiftLanguageModes: [.v6]
)
