/// How addresses, control codes and flag words are written in messages: `0x` and eight upper-case hex
/// digits, the way Windows headers and debuggers print a `DWORD`.
public enum HexFormat {
    public static func dword(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// A native pointer: sixteen digits when it does not fit in a `DWORD`, eight when it does.
    public static func pointer(_ value: UInt64) -> String {
        if value <= UInt64(UInt32.max) { return dword(UInt32(value)) }
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }
}
