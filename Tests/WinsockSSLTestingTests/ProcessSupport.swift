import Foundation
import TestSupport
import Testing

// Process and polling helpers shared by this target's tests.

struct CommandResult {
    var status: Int32
    var output: String
    var errorOutput: String
}

/// Runs a command found on `PATH`, feeding it `input`, and kills it after `timeout` so a test cannot hang.
func runCommand(_ arguments: [String], input: String = "", timeout: Duration = .seconds(30)) throws -> CommandResult {
    let result = try runProcess("/usr/bin/env", arguments, input: input, bound: timeout)
    if result.timedOut {
        Issue.record("\(arguments.prefix(2).joined(separator: " ")) did not finish within \(timeout); killed")
    }
    return CommandResult(status: result.status, output: result.standardOutput, errorOutput: result.standardError)
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
