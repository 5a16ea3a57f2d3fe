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
        // What several test targets share: running child processes with a bound.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "WinsockSSLTests", dependencies: ["WinsockSSL", "WinsockSSLTesting"]),
        .testTarget(name: "NetCFTests", dependencies: ["NetCF", "WinsockSSL", "WinsockSSLTesting", "TestSupport"]),
        .testTarget(name: "WinsockSSLTestingTests", dependencies: ["WinsockSSLTesting", "WinsockSSL", "TestSupport"]),
        // Runs the built example binaries as processes; depending on them makes `swift test` build them first.
        .testTarget(name: "ExampleTests", dependencies: ["WinsockSSLTesting", "WinsockSSL", "TestSupport", "BlogExample", "SmtpStartTLS"]),
        // Real peers: a private Postfix instance, `openssl s_client` and Python's smtplib (installed by .ci/run).
        .testTarget(name: "InteropTests", dependencies: ["NetCF", "WinsockSSL", "WinsockSSLTesting", "TestSupport", "SmtpStartTLS"]),
        .testTarget(name: "RobustnessTests", dependencies: ["NetCF", "WinsockSSL", "WinsockSSLTesting"]),
        // The port corpus: CE-style C# programs of our own (the .cs text, not compiled) beside their Swift
        // ports, which import NetCF alone; PortCorpusTests runs each port against openssl s_server and
        // Python's ssl on loopback (scripts/port-diff measures how mechanical each port is).
        .target(
            name: "PortCorpus",
            dependencies: ["NetCF"],
            path: "Tests/PortCorpus",
            exclude: ["FtpsClient.cs", "IrcClient.cs", "MailboxChecker.cs", "TelemetryLink.cs"]
        ),
        .testTarget(
            name: "PortCorpusTests",
            dependencies: ["PortCorpus", "NetCF", "WinsockSSL", "WinsockSSLTesting", "TestSupport"],
            exclude: ["Peers"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
