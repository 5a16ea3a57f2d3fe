#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The debugger, as ported code asks about it (`if (Debugger.IsAttached) Debugger.Break();`).
///
/// Project decision: on CE the debugger was Visual Studio's, attached over ActiveSync; here it is gdb or lldb.
/// ``IsAttached`` reports whether one traces the process, and ``Break()`` stops in it only then. Without a
/// debugger, `Break` does nothing: .NET would offer to launch a just-in-time debugger, and `SIGTRAP` with no
/// debugger to take it would kill the process, so a breakpoint a developer left in a ported program never
/// stops it in production. A tracer that is not a debugger (`strace`, `ltrace`) does not count: it would pass
/// the `SIGTRAP` on to the process.
///
/// The corresponding .NET type is `System.Diagnostics.Debugger`.
public enum Debugger {
    /// Whether gdb or lldb traces the process (Linux: the process named by a nonzero `TracerPid` in
    /// `/proc/self/status` has "gdb" or "lldb" in its name: `gdb`, `gdbserver`, `lldb-server`, `codelldb`).
    ///
    /// The corresponding .NET member is `Debugger.IsAttached`.
    public static var IsAttached: Bool {
        let tracer = tracerProcessID()
        guard tracer != 0 else { return false }
        return isDebuggerName(firstLine(of: "/proc/\(tracer)/comm") ?? "")
    }

    /// Whether a tracer's process name is a debugger's.
    static func isDebuggerName(_ name: String) -> Bool {
        name.contains("gdb") || name.contains("lldb")
    }

    /// Stops in the attached debugger (`SIGTRAP`); does nothing when none is attached.
    ///
    /// The corresponding .NET member is `Debugger.Break()`.
    public static func Break() {
        guard IsAttached else { return }
        raise(SIGTRAP)
    }

    /// The `TracerPid` of `/proc/self/status`, 0 when untraced or unreadable.
    static func tracerProcessID() -> Int {
        guard let file = fopen("/proc/self/status", "r") else { return 0 }
        defer { fclose(file) }
        while let line = readLine(file) {
            if line.hasPrefix("TracerPid:") {
                return Int(line.dropFirst("TracerPid:".count).filter { !$0.isWhitespace }) ?? 0
            }
        }
        return 0
    }

    private static func firstLine(of path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        return readLine(file)
    }

    /// One line without its newline, or nil at the end of the file.
    private static func readLine(_ file: UnsafeMutablePointer<FILE>) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
