import Foundation

// Child processes for the test targets (reference clients, Postfix's commands, the example programs):
// one way to run them, bounded, so a child that hangs fails its test instead of stalling the run.

/// What a finished child process left behind.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
    /// True when `run` killed the process because it outlived its bound.
    public var timedOut: Bool

    /// Both streams, for failure messages.
    public var combinedOutput: String { standardOutput + (standardError.isEmpty ? "" : "\n[stderr]\n" + standardError) }
}

public struct ExternalProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// Runs `executable` with `arguments`, feeding it `input`, and waits at most `bound` before killing it
/// (SIGKILL), so a reference client that hangs fails the test instead of stalling the run.
///
/// With `outputFile`, both output streams go to that file instead of pipes and the result's texts are
/// empty: a command that leaves a daemon behind (`postfix start`) would otherwise hold the pipes open.
public func runProcess(_ executable: String, _ arguments: [String], input: String = "",
                environment: [String: String]? = nil, bound: Duration = .seconds(30),
                outputFile: String? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let stdinPipe = Pipe(), stdoutPipe = Pipe(), stderrPipe = Pipe()
    process.standardInput = stdinPipe
    if let outputFile {
        _ = FileManager.default.createFile(atPath: outputFile, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: outputFile) else {
            throw ExternalProcessError(description: "cannot write \(outputFile)")
        }
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
    } else {
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
    }
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    do {
        try process.run()
    } catch {
        throw ExternalProcessError(description: "could not start \(executable): \(error)")
    }
    // Readers on their own threads: a child that fills a pipe would otherwise block before exiting.
    let output = outputFile == nil ? PipeCollector(stdoutPipe) : nil
    let errors = outputFile == nil ? PipeCollector(stderrPipe) : nil
    try? stdinPipe.fileHandleForWriting.write(contentsOf: Data(input.utf8))
    try? stdinPipe.fileHandleForWriting.close()
    let (seconds, attoseconds) = bound.components
    let timedOut = finished.wait(timeout: .now() + .milliseconds(Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))) == .timedOut
    if timedOut {
        kill(process.processIdentifier, SIGKILL)
        finished.wait()
    }
    return ProcessResult(status: process.terminationStatus, standardOutput: output?.text() ?? "", standardError: errors?.text() ?? "",
                         timedOut: timedOut)
}

/// Drains one pipe on a background thread until end of file.
private final class PipeCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    /// Waits for end of file (a killed child's pipes close with it) and returns what arrived.
    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

/// The first of `candidates` that exists and is executable.
public func findExecutable(_ candidates: [String]) -> String? {
    candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}
