// `MaxValue` and `MinValue` on the C# numeric types: `ushort.MaxValue`, `int.MinValue`, `Int32.MaxValue`,
// `byte.MaxValue`, `double.MaxValue`. Each has the type it is read on, as in C#.

extension Int8 {
    /// The corresponding .NET member is `SByte.MaxValue` (127).
    public static var MaxValue: Int8 { .max }
    /// The corresponding .NET member is `SByte.MinValue` (-128).
    public static var MinValue: Int8 { .min }
}

extension UInt8 {
    /// The corresponding .NET member is `Byte.MaxValue` (255).
    public static var MaxValue: UInt8 { .max }
    /// The corresponding .NET member is `Byte.MinValue` (0).
    public static var MinValue: UInt8 { .min }
}

extension Int16 {
    /// The corresponding .NET member is `Int16.MaxValue` (32767).
    public static var MaxValue: Int16 { .max }
    /// The corresponding .NET member is `Int16.MinValue` (-32768).
    public static var MinValue: Int16 { .min }
}

extension UInt16 {
    /// The corresponding .NET member is `UInt16.MaxValue` (65535).
    public static var MaxValue: UInt16 { .max }
    /// The corresponding .NET member is `UInt16.MinValue` (0).
    public static var MinValue: UInt16 { .min }
}

extension Int32 {
    /// The corresponding .NET member is `Int32.MaxValue` (2147483647).
    public static var MaxValue: Int32 { .max }
    /// The corresponding .NET member is `Int32.MinValue` (-2147483648).
    public static var MinValue: Int32 { .min }
}

extension UInt32 {
    /// The corresponding .NET member is `UInt32.MaxValue` (4294967295).
    public static var MaxValue: UInt32 { .max }
    /// The corresponding .NET member is `UInt32.MinValue` (0).
    public static var MinValue: UInt32 { .min }
}

extension Int64 {
    /// The corresponding .NET member is `Int64.MaxValue`.
    public static var MaxValue: Int64 { .max }
    /// The corresponding .NET member is `Int64.MinValue`.
    public static var MinValue: Int64 { .min }
}

extension UInt64 {
    /// The corresponding .NET member is `UInt64.MaxValue`.
    public static var MaxValue: UInt64 { .max }
    /// The corresponding .NET member is `UInt64.MinValue` (0).
    public static var MinValue: UInt64 { .min }
}

extension Double {
    /// The largest finite value. The corresponding .NET member is `Double.MaxValue`.
    public static var MaxValue: Double { .greatestFiniteMagnitude }
    /// The most negative finite value (not the smallest positive one). The corresponding .NET member is
    /// `Double.MinValue`.
    public static var MinValue: Double { -.greatestFiniteMagnitude }
}

extension Float {
    /// The largest finite value. The corresponding .NET member is `Single.MaxValue`.
    public static var MaxValue: Float { .greatestFiniteMagnitude }
    /// The most negative finite value. The corresponding .NET member is `Single.MinValue`.
    public static var MinValue: Float { -.greatestFiniteMagnitude }
}
