// How NetCF takes the integers of ported code.
//
// .NET members take `int` (ports, offsets, sizes, counts, timeouts) and C# passes them anything it widens
// implicitly to `int`: `byte`, `sbyte`, `short`, `ushort`, `char`. NetCF's parameters take any integer
// (`some BinaryInteger`), so a `ushort` constant, an `int` variable and Swift's `Int` all fit; a value the
// .NET parameter could not hold throws `ArgumentOutOfRangeException` naming the parameter. Return values
// have the exact .NET type.

enum CSharpInteger {
    /// `value` as an `Int`, when it fits the C# `int` that .NET's parameter `paramName` has.
    static func int(_ value: some BinaryInteger, _ paramName: String) throws -> Int {
        guard let exact = Int32(exactly: value) else {
            throw ArgumentOutOfRangeException(paramName, value, "Value was either too large or too small for an Int32.")
        }
        return Int(exact)
    }

    /// `value` as a C# `int` (`Int32`), with the same check.
    static func int32(_ value: some BinaryInteger, _ paramName: String) throws -> Int32 {
        Int32(try int(value, paramName))
    }

    /// The `Int` results of the core as the `int` .NET returns (clamped: no count here exceeds 2 GiB).
    static func result(_ value: Int) -> Int32 { Int32(clamping: value) }
}

/// A .NET enumeration over `int`, so that a C# cast from any integer, `(SocketOptionName)SO_SECURE`, is
/// `SocketOptionName(SO_SECURE)`. Like C#'s unchecked cast, the value keeps its low 32 bits.
public protocol CSharpEnum: RawRepresentable where RawValue == Int32 {
    init(rawValue: Int32)
}

extension CSharpEnum {
    /// The C# cast `(E)value`.
    public init(_ value: some BinaryInteger) {
        self.init(rawValue: Int32(truncatingIfNeeded: value))
    }

    /// The C# cast `(int)e`.
    public func ToInt32() -> Int32 { rawValue }
}

extension Int32 {
    /// The C# cast `(int)e` of an enumeration value.
    public init<E: CSharpEnum>(_ value: E) { self = value.rawValue }
}
