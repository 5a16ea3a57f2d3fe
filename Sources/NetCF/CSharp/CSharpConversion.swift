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

/// A C# enumeration: .NET's own (`SocketOptionName`, `SocketFlags`, over `int`) and the program's own, ported as
/// a struct over the C# underlying type so that, as in C#, any number of that type is a value of the enum:
///
/// ```swift
/// // enum MessageType : byte { CONNECT = 1, CONNACK = 2 }
/// struct MessageType: CSharpEnum {
///     let rawValue: byte
///     static let CONNECT = MessageType(1)
///     static let CONNACK = MessageType(2)
/// }
/// // (MessageType)(byte0 >> 4)
/// let type = MessageType(byte0 >> 4)
/// ```
///
/// A cast from any integer, `(E)x`, is `E(x)` and keeps the low bits, like C#'s unchecked cast; it never fails,
/// so a value read from the network that has no member reaches the `switch`'s `default:` as it did in C#
/// (a Swift `enum` cannot hold it). `(int)e` is `int(e)`.
public protocol CSharpEnum: RawRepresentable, Hashable, Sendable
where RawValue: FixedWidthInteger & Sendable {
    init(rawValue: RawValue)
}

extension CSharpEnum {
    /// The C# cast `(E)value`, from any integer type: the low bits of `value`, as C#'s unchecked cast.
    public init(_ value: some BinaryInteger) {
        self.init(rawValue: RawValue(truncatingIfNeeded: value))
    }

    /// The C# cast `(int)e`.
    public func ToInt32() -> Int32 { Int32(truncatingIfNeeded: rawValue) }
}

extension FixedWidthInteger {
    /// The C# cast `(int)e`, `(byte)e` … of an enumeration value (the low bits, as C#'s unchecked cast).
    public init<E: CSharpEnum>(_ value: E) { self.init(truncatingIfNeeded: value.rawValue) }
}

/// A program's own enum whose `ToString()` the program calls (tracing a message type, a state): it lists its
/// members' names, which Swift cannot find from the `static let`s.
///
/// ```swift
/// struct MessageType: CSharpEnum, CSharpEnumNames {
///     let rawValue: byte
///     static let CONNECT = MessageType(1)
///     static let CONNACK = MessageType(2)
///     static let Names: [byte: String] = [1: "CONNECT", 2: "CONNACK"]
/// }
/// ```
public protocol CSharpEnumNames: CSharpEnum where RawValue: Hashable {
    /// Each member's value and its C# name.
    static var Names: [RawValue: String] { get }
}

extension CSharpEnumNames {
    /// The member's name; for a value without a member, its number (as .NET prints it).
    ///
    /// The corresponding .NET member is `Enum.ToString()`.
    public func ToString() -> String { Self.Names[rawValue] ?? String(rawValue) }
}
