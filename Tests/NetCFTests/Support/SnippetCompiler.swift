import Foundation

/// Type-checks a snippet of ported code in Swift 6 mode against the NetCF module this test run was built
/// with: for what must compile without annotations, and for what must be a compile-time error.
enum SnippetCompiler {
    struct Outcome {
        var compiled: Bool
        var diagnostics: String
    }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// The directory with the built `.swiftmodule`s, next to the test bundle (`.build/<triple>/debug/Modules`).
    static var modulesDirectory: String? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("Modules")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("NetCF.swiftmodule").path) { return candidate.path }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    static var swiftc: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        return path.split(separator: ":").map { "\($0)/swiftc" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `swiftc -typecheck -swift-version 6` on `source`, waiting at most two minutes.
    static func typecheck(_ source: String) throws -> Outcome {
        guard let modules = modulesDirectory else { throw Unavailable(description: "the built NetCF module was not found next to the test bundle") }
        guard let compiler = swiftc else { throw Unavailable(description: "swiftc is not on PATH") }
        let openSSLModuleMap = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Sources/COpenSSL").standardized.path
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("netcf-snippet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("snippet.swift")
        let log = scratch.appendingPathComponent("diagnostics.txt")
        try source.write(to: file, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: compiler)
        process.arguments = ["-typecheck", "-swift-version", "6", "-I", modules, "-I", openSSLModuleMap, file.path]
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline { Foundation.Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw Unavailable(description: "swiftc did not finish within two minutes")
        }
        let diagnostics = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return Outcome(compiled: process.terminationStatus == 0, diagnostics: diagnostics)
    }
}
