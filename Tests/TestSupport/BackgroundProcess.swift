import Foundation

/// A child process that runs beside a test — a server such as `openssl s_server` — with its standard input
/// open for writing and its output collected as it arrives. Every wait is bounded; `stop()` kills the child
/// (SIGKILL) and reaps it, and so does `deinit`, so no test leaves a process behind.
public final class BackgroundProcess: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let exited = DispatchSemaphore(value: 0)
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var output: [UInt8] = []
    private var errors: [UInt8] = []
    private var outputClosed = false
    private var stopped = false

    /// Starts `executable` with `arguments`. Throws when it cannot be started.
    public init(_ executable: String, _ arguments: [String]) throws {
        // A write to the standard input of a child that has exited must fail, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let outputPipe = Pipe(), errorPipe = Pipe()
        process.standardInput = input
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        process.terminationHandler = { [exited] _ in exited.signal() }
        do {
            try process.run()
        } catch {
            throw ExternalProcessError(description: "could not start \(executable): \(error)")
        }
        collect(outputPipe.fileHandleForReading, isOutput: true)
        collect(errorPipe.fileHandleForReading, isOutput: false)
    }

    deinit { stop() }

    private func collect(_ handle: FileHandle, isOutput: Bool) {
        Thread { [self] in
            while true {
                let chunk = handle.availableData
                condition.lock()
                if chunk.isEmpty {
                    if isOutput { outputClosed = true }
                } else if isOutput {
                    output += chunk
                } else {
                    errors += chunk
                }
                condition.broadcast()
                condition.unlock()
                if chunk.isEmpty { return }
            }
        }.start()
    }

    /// Writes `bytes` to the child's standard input.
    public func write(_ bytes: [UInt8]) throws {
        do {
            try input.fileHandleForWriting.write(contentsOf: Data(bytes))
        } catch {
            throw ExternalProcessError(description: "could not write to \(process.executableURL?.path ?? "the child"): \(error)")
        }
    }

    /// Waits until `satisfied(output, outputClosed)` holds, at most `bound`; false when the bound passed first.
    /// The predicate runs again whenever output arrives or the output closes.
    public func wait(within bound: Duration, until satisfied: (_ output: [UInt8], _ closed: Bool) -> Bool) -> Bool {
        let (seconds, attoseconds) = bound.components
        let deadline = Date(timeIntervalSinceNow: Double(seconds) + Double(attoseconds) / 1e18)
        condition.lock()
        defer { condition.unlock() }
        while !satisfied(output, outputClosed) {
            if !condition.wait(until: deadline) { return satisfied(output, outputClosed) }
        }
        return true
    }

    /// Everything the child wrote to standard output so far.
    public var standardOutput: [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        return output
    }

    /// Everything the child wrote to standard error so far, as text.
    public var standardError: String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: errors, as: UTF8.self)
    }

    /// Kills the child if it still runs and waits for it to be reaped. Safe to call more than once.
    public func stop() {
        condition.lock()
        let first = !stopped
        stopped = true
        condition.unlock()
        guard first else { return }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        exited.wait()
        try? input.fileHandleForWriting.close()
    }
}
