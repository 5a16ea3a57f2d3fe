// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "WinsockSSL",
    products: [
        .library(name: "WinsockSSL", targets: ["WinsockSSL"]),
        .library(name: "NetCF", targets: ["NetCF"]),
        .library(name: "WinsockSSLTesting", targets: ["WinsockSSLTesting"]),
        .executable(name: "blog-example", targets: ["BlogExample"]),
        .executable(name: "smtp-starttls", targets: ["SmtpStartTLS"]),
        .executable(name: "winsockssl-record", targets: ["WinsockSSLRecord"]),
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
        .executableTarget(
            name: "SmtpStartTLS",
            dependencies: ["NetCF", "WinsockSSL"],
            path: "Examples/SmtpStartTLS"
        ),
        // Records a client and its server into a transcript file, or replays one (README: "Record the original").
        .executableTarget(
            name: "WinsockSSLRecord",
            dependencies: ["WinsockSSL", "WinsockSSLTesting"],
            path: "Tools/Record"
        ),
        // What several test targets share: running child processes with a bound.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "WinsockSSLTests", dependencies: ["WinsockSSL", "WinsockSSLTesting"]),
        .testTarget(name: "NetCFTests", dependencies: ["NetCF", "WinsockSSL", "WinsockSSLTesting", "TestSupport"]),
        .testTarget(name: "WinsockSSLTestingTests", dependencies: ["WinsockSSLTesting", "WinsockSSL", "NetCF", "TestSupport", "WinsockSSLRecord"]),
        // Runs the built example binaries as processes; depending on them makes `swift test` build them first.
        .testTarget(name: "ExampleTests", dependencies: ["WinsockSSLTesting", "WinsockSSL", "TestSupport", "BlogExample", "SmtpStartTLS"]),
        // Real peers: a private Postfix instance, `openssl s_client` and Python's smtplib (installed by .ci/run).
        .testTarget(name: "InteropTests", dependencies: ["NetCF", "WinsockSSL", "WinsockSSLTesting", "TestSupport", "SmtpStartTLS"]),
        .testTarget(name: "RobustnessTests", dependencies: ["NetCF", "WinsockSSL", "WinsockSSLTesting"]),
    ],
    swiftLanguageModes: [.v6]
)
