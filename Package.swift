// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "WinsockSSL",
    products: [
        .library(name: "WinsockSSL", targets: ["WinsockSSL"]),
        .library(name: "NetCF", targets: ["NetCF"]),
        .library(name: "WinsockSSLTesting", targets: ["WinsockSSLTesting"]),
        // Windows CE C and C++ code: the CE headers (windows.h, winsock.h, sslsock.h, schnlsp.h...) and their
        // implementation. A C target depends on this product; `make`/`cc` builds use the shared library below.
        .library(name: "WinsockCE", targets: ["WinsockCE", "CWinsockCE"]),
        .library(name: "WinsockCEShared", type: .dynamic, targets: ["WinsockCE", "CWinsockCE"]),
        .executable(name: "blog-example", targets: ["BlogExample"]),
        .executable(name: "smtp-starttls", targets: ["SmtpStartTLS"]),
        .executable(name: "winsockssl-record", targets: ["WinsockSSLRecord"]),
        .executable(name: "ce-mail-example", targets: ["CEMailExample"]),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "WinsockSSL", dependencies: ["COpenSSL"]),
        // `Exception(message)` for C#'s `new Exception(message)`: a function that cannot share NetCF's module with
        // the type alias `Exception` (NetCF re-exports it; see Sources/NetCFException/Exception.swift).
        .target(name: "NetCFException"),
        .target(name: "NetCF", dependencies: ["WinsockSSL", "NetCFException"]),
        .target(name: "WinsockSSLTesting", dependencies: ["WinsockSSL", "COpenSSL"]),
        // The CE headers, and the parts of their implementation that are plain C (per-thread storage, time).
        .target(name: "CWinsockCE"),
        // The Winsock, SSL-provider and schannel calls of the CE headers, over WinsockSSL.
        .target(name: "WinsockCE", dependencies: ["CWinsockCE", "WinsockSSL", "COpenSSL"]),
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
        // Examples/CEMailClient/cemail.c, unchanged: a CE-style C mail client. Its `main` is renamed for the
        // in-process run by ce-mail-example; the Makefile beside it builds the same file with cc and pkg-config.
        .target(
            name: "CEMailClient",
            dependencies: ["WinsockCE"],
            path: "Examples/CEMailClient",
            exclude: ["Makefile"],
            sources: ["cemail.c"],
            cSettings: [.define("main", to: "CEMailClientMain")]
        ),
        .executableTarget(
            name: "CEMailExample",
            dependencies: ["CEMailClient", "WinsockCE", "WinsockSSL", "WinsockSSLTesting"],
            path: "Examples/CEMailExample"
        ),
        // What several test targets share: running child processes with a bound.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "WinsockSSLTests", dependencies: ["WinsockSSL", "WinsockSSLTesting"]),
        .testTarget(name: "NetCFTests", dependencies: ["NetCF", "WinsockSSL", "WinsockSSLTesting", "TestSupport"]),
        .testTarget(name: "WinsockSSLTestingTests", dependencies: ["WinsockSSLTesting", "WinsockSSL", "NetCF", "TestSupport", "WinsockSSLRecord"]),
        // Runs the built example binaries as processes; depending on them makes `swift test` build them first.
        .testTarget(name: "ExampleTests", dependencies: ["WinsockSSLTesting", "WinsockSSL", "TestSupport", "BlogExample", "SmtpStartTLS", "CEMailExample"]),
        // Real peers: a private Postfix instance, `openssl s_client` and Python's smtplib (installed by .ci/run).
        .testTarget(name: "InteropTests", dependencies: ["NetCF", "WinsockSSL", "WinsockSSLTesting", "TestSupport", "SmtpStartTLS", "CEMailExample"]),
        // The C interface through its exported C functions, against real TLS servers on loopback.
        .testTarget(name: "WinsockCETests", dependencies: ["CWinsockCE", "WinsockCE", "WinsockSSL", "WinsockSSLTesting"]),
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
