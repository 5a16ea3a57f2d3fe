#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The debugger, as ported code asks about it (`if (Debugger.IsAttached) Debugger.Break();`).
///
/// Project decision: on CE the debugger was Visual Studio's, attached over ActiveSync; here it is whatever
/// traces the process (gdb, lldb). ``IsAttached`` reports whether one does, and ``Break()`` stops in it only
/// then. Without a debugger, `Break` does nothing: .NET would offer to launch a just-in-time debugger, and
/// raising `SIGTRAP` with no debugger would kill the process, so a breakpoint a developer left in a ported
/// program never stops it in production.
///
/// The corresponding .NET type is `System.Diagnostics.Debugger`.
public enum Debugger {
    /// Whether a debugger traces the process (Linux: a nonzero `TracerPid` in `/proc/self/status`).
    ///
    /// The corresponding .NET member is `Debugger.IsAttached`.
    public static var IsAttached: Bool { tracerProcessID() != 0 }

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
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("TracerPid:") {
                return Int(text.dropFirst("TracerPid:".count).trimmingCharacters(in: " \t\n")) ?? 0
            }
        }
        return 0
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
