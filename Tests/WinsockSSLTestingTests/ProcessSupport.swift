import Foundation
import Testing

// Process and polling helpers shared by this target's tests.

struct CommandResult {
    var status: Int32
    var output: String
    var errorOutput: String
}

/// Runs a command found on `PATH`, feeding it `input`, and kills it after `timeout` so a test cannot hang.
func runCommand(_ arguments: [String], input: String = "", timeout: Duration = .seconds(30)) throws -> CommandResult {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scripted-client-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let outputURL = directory.appendingPathComponent("stdout")
    let errorURL = directory.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
    let outputHandle = try FileHandle(forWritingTo: outputURL)
    let errorHandle = try FileHandle(forWritingTo: errorURL)
    defer {
        try? outputHandle.close()
        try? errorHandle.close()
    }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let inputPipe = Pipe()
    process.standardInput = inputPipe
    process.standardOutput = outputHandle
    process.standardError = errorHandle
    try process.run()
    inputPipe.fileHandleForWriting.write(Data(input.utf8))
    try inputPipe.fileHandleForWriting.close()

    if !waitUntil(timeout, { !process.isRunning }) {
        process.terminate()
        Issue.record("\(arguments.prefix(2).joined(separator: " ")) did not finish within \(timeout); killed")
    }
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus,
                         output: (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "",
                         errorOutput: (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "")
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes; true when it held.
func waitUntil(_ timeout: Duration = .seconds(5), _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while !condition() {
        if ContinuousClock.now >= deadline { return false }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return true
}
