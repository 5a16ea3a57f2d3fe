import Foundation
import Testing
import TestSupport

/// Type-checks a snippet of ported code against the NetCF module this test run was built with, for rules
/// that are compile-time errors (an output array without `&`, a hook with a `string` `pvArg`).
enum CompileCheck {
    /// The directory with the built `.swiftmodule`s: next to the test bundle (`.build/<triple>/debug/Modules`).
    static var modulesDirectory: String? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("Modules")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("NetCF.swiftmodule").path) { return candidate.path }
            directory.deleteLastPathComponent()
        }
        let fromSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../.build/debug/Modules").standardized
        return FileManager.default.fileExists(atPath: fromSource.appendingPathComponent("NetCF.swiftmodule").path) ? fromSource.path : nil
    }

    static var swiftc: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        return path.split(separator: ":").map { "\($0)/swiftc" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The compiler's diagnostics for `source` (Swift 6 mode), and whether it compiled.
    static func typecheck(_ source: String) throws -> (compiled: Bool, diagnostics: String) {
        let modules = try #require(modulesDirectory, "the built NetCF module was not found next to the test bundle")
        let compiler = try #require(swiftc, "swiftc is not on PATH")
        let openSSLModuleMap = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Sources/COpenSSL").standardized.path
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("netcf-compile-check-\(UUID().uuidString).swift")
        try source.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try runProcess(compiler, ["-typecheck", "-swift-version", "6", "-I", modules, "-I", openSSLModuleMap, file.path],
                                    bound: .seconds(120))
        #expect(!result.timedOut, "swiftc did not finish")
        return (result.status == 0, result.combinedOutput)
    }
}
