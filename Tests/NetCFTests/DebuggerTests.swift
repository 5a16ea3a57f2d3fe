import Foundation
import NetCF
import Testing
import TestSupport

/// `Debugger` (MIGRATION 7.2's decision): `IsAttached` only under gdb or lldb, and `Break` stops only there.
@Suite struct DebuggerTests {
    @Test func noDebuggerIsAttachedToTheTestsAndBreakReturns() {
        #expect(!Debugger.IsAttached)
        if Debugger.IsAttached { Debugger.Break() }
        Debugger.Break()
    }

    /// Run by the tests below in a child process of this test bundle: prints what `Debugger` sees, then breaks.
    /// Does nothing in an ordinary test run.
    @Test func debuggerProbe() {
        guard ProcessInfo.processInfo.environment["NETCF_DEBUGGER_PROBE"] == "1" else { return }
        print("probe: IsAttached=\(Debugger.IsAttached)")
        Debugger.Break()
        print("probe: after Break")
    }

    /// The probe's output when the test bundle runs under `tracer` (nil when the tool is missing).
    func probe(under tracer: [String]) throws -> String? {
        guard let tool = ["/usr/bin/", "/bin/", "/opt/swift/usr/bin/"].map({ $0 + tracer[0] })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        var environment = ProcessInfo.processInfo.environment
        environment["NETCF_DEBUGGER_PROBE"] = "1"
        let bundle = CommandLine.arguments[0]
        let result = try runProcess(tool, Array(tracer.dropFirst()) + [bundle, "--testing-library", "swift-testing", "--filter", "debuggerProbe"],
                                    environment: environment, bound: .seconds(120))
        #expect(!result.timedOut)
        return result.combinedOutput
    }

    @Test func straceIsNotADebuggerSoBreakDoesNotStopTheProcess() throws {
        guard let output = try probe(under: ["strace", "-f", "-o", "/dev/null"]) else { return }
        #expect(output.contains("probe: IsAttached=false"), "\(output)")
        #expect(output.contains("probe: after Break"), "\(output)")
    }

    @Test func underGdbIsAttachedIsTrueAndBreakStopsInIt() throws {
        // gdb waits for SIGCHLD, which the test process may have blocked (a mask a child inherits): python3
        // clears the mask before it becomes gdb.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/gdb"),
              let output = try probe(under: ["python3", "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
                                             "/usr/bin/gdb", "-nx", "-batch", "-readnever", "-ex", "run", "-ex", "continue", "--args"]) else { return }
        #expect(output.contains("probe: IsAttached=true"), "\(output)")
        #expect(output.contains("SIGTRAP"), "\(output)")
        #expect(output.contains("probe: after Break"), "\(output)")
    }
}
