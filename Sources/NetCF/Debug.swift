import WinsockSSL

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Diagnostic output for ported code.
///
/// On CE, `Debug` output went to the debugger and its methods vanished from release builds
/// (`[Conditional("DEBUG")]`). Here they are always active and write to standard output, so a
/// program's `Debug.WriteLine("success")` is visible when it runs. ``setOutput(_:)`` redirects all
/// output (the role of `Debug.Listeners`); ``withOutput(_:_:)`` redirects only the output of one
/// task, which lets tests that run in parallel each capture their own.
///
/// The corresponding .NET type is `System.Diagnostics.Debug`.
public enum Debug {
    /// Receives text exactly as written: `WriteLine` passes its line with a trailing "\n".
    public typealias Output = @Sendable (String) -> Void

    private static let processOutput = Locked<Output?>(nil)
    @TaskLocal private static var taskOutput: Output?

    /// Sends all later output, from any thread, to `output` instead of standard output.
    public static func setOutput(_ output: @escaping Output) {
        processOutput.withLock { $0 = output }
    }

    /// Sends output to standard output again.
    public static func resetOutput() {
        processOutput.withLock { $0 = nil }
    }

    /// Sends the output written by `body`, and by child tasks it creates, to `output`. Output from other
    /// tasks and from threads not started by `body` is unaffected.
    public static func withOutput<Result>(_ output: @escaping Output, _ body: () throws -> Result) rethrows -> Result {
        try $taskOutput.withValue(output, operation: body)
    }

    // MARK: Writing

    /// The corresponding .NET member is `Debug.WriteLine(String)`.
    public static func WriteLine(_ message: String) {
        emit(message + "\n")
    }

    /// Writes `value`'s description, or an empty line for `nil` as .NET does for `null`.
    ///
    /// The corresponding .NET member is `Debug.WriteLine(Object)`.
    public static func WriteLine(_ value: Any?) {
        WriteLine(text(of: value))
    }

    /// Writes "category: message".
    ///
    /// The corresponding .NET member is `Debug.WriteLine(String, String)`.
    public static func WriteLine(_ message: String, _ category: String) {
        WriteLine(category + ": " + message)
    }

    /// The corresponding .NET member is `Debug.Write(String)`.
    public static func Write(_ message: String) {
        emit(message)
    }

    /// The corresponding .NET member is `Debug.Write(Object)`.
    public static func Write(_ value: Any?) {
        Write(text(of: value))
    }

    /// The corresponding .NET member is `Debug.WriteLineIf(Boolean, String)`.
    public static func WriteLineIf(_ condition: Bool, _ message: String) {
        if condition { WriteLine(message) }
    }

    /// The corresponding .NET member is `Debug.WriteIf(Boolean, String)`.
    public static func WriteIf(_ condition: Bool, _ message: String) {
        if condition { Write(message) }
    }

    // MARK: Assertions

    /// When `condition` is false, writes "Assertion failed: message" (or "Assertion failed" without a
    /// message) and carries on. On CE a failed assertion showed a dialog that the user could dismiss, so
    /// ported code may rely on continuing; this never stops the program.
    ///
    /// The corresponding .NET members are `Debug.Assert(Boolean)` and `Debug.Assert(Boolean, String)`.
    public static func Assert(_ condition: Bool, _ message: String = "") {
        if !condition { reportFailure(message, "") }
    }

    /// As ``Assert(_:_:)``, with the detail on the following line.
    ///
    /// The corresponding .NET member is `Debug.Assert(Boolean, String, String)`.
    public static func Assert(_ condition: Bool, _ message: String, _ detailMessage: String) {
        if !condition { reportFailure(message, detailMessage) }
    }

    /// Reports a failure as a failed ``Assert(_:_:)`` does, without stopping the program.
    ///
    /// The corresponding .NET member is `Debug.Fail(String)`.
    public static func Fail(_ message: String) {
        reportFailure(message, "")
    }

    // MARK: Internals

    private static func reportFailure(_ message: String, _ detailMessage: String) {
        var text = message.isEmpty ? "Assertion failed" : "Assertion failed: " + message
        if !detailMessage.isEmpty { text += "\n" + detailMessage }
        WriteLine(text)
    }

    private static func text(of value: Any?) -> String {
        guard let value else { return "" }
        return String(describing: value)
    }

    private static func emit(_ text: String) {
        if let output = taskOutput ?? processOutput.withLock({ $0 }) {
            output(text)
            return
        }
        print(text, terminator: "")
        // Debug output is for watching a program run: do not let it sit in a pipe's buffer.
        fflush(nil)
    }
}
