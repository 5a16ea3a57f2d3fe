import Foundation
import TestSupport
import Testing

/// One of the package's example executables, run as a separate process the way a user runs it.
struct ExampleProgram {
    /// What a finished run left behind.
    struct Run {
        let status: Int32
        let output: String
        let errorOutput: String
        let elapsed: Duration
        /// False when the process had to be killed at the test's bound.
        let finished: Bool
    }

    let name: String

    static let blogExample = ExampleProgram(name: "blog-example")
    static let smtpStartTLS = ExampleProgram(name: "smtp-starttls")

    /// Where the built binary is. The test target depends on the executable targets, so `swift test` builds
    /// them into the same directory as the test bundle; `EXAMPLE_BINARIES_DIR` overrides the search.
    func executableURL() throws -> URL {
        var directories: [URL] = []
        if let override = ProcessInfo.processInfo.environment["EXAMPLE_BINARIES_DIR"] {
            directories.append(URL(fileURLWithPath: override))
        }
        // The test bundle is a plain executable on Linux; its directory is .build/<triple>/<configuration>.
        directories.append(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent())
        directories.append(Bundle.main.bundleURL)
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for directory in directories {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        let looked = directories.map(\.path).joined(separator: ", ")
        throw ExampleTestError("\(name) is not built (looked in \(looked)); run `swift build` first")
    }

    /// Runs the program with `arguments`, killing it if it is still running after `bound`.
    func run(_ arguments: [String], environment: [String: String] = [:], bound: Duration = .seconds(60)) throws -> Run {
        let started = ContinuousClock.now
        let result = try runProcess(try executableURL().path, arguments,
                                    environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new },
                                    bound: bound)
        let run = Run(status: result.status, output: result.standardOutput, errorOutput: result.standardError,
                      elapsed: ContinuousClock.now - started, finished: !result.timedOut)
        // EXAMPLE_TESTS_ECHO=1 shows every run, to read what users would see.
        if ProcessInfo.processInfo.environment["EXAMPLE_TESTS_ECHO"] != nil {
            print("=== \(name) \(arguments.joined(separator: " "))\n\(run)")
        }
        return run
    }
}

extension ExampleProgram.Run: CustomStringConvertible {
    /// Everything the program printed, for failure messages.
    var description: String {
        "exit \(status) after \(elapsed)\(finished ? "" : " (killed)")\n--- stdout ---\n\(output)--- stderr ---\n\(errorOutput)"
    }
}

struct ExampleTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A fresh directory under the system's temporary directory; `remove()` deletes it and its contents.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("example-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` in the directory and returns its path.
    func write(_ text: String, to name: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
