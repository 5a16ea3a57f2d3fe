// The C# built-in type names, so a ported declaration keeps its type: `int port = 25;` is
// `var port: int = 25`, `private const long X = …;` is `private let X: long = …`.
//
// A C# `int` is always 32 bits and a `long` 64 (C# language specification, "Integral types"); Swift's `Int`
// is neither, so it has no alias here. NetCF members return exactly these types (`Receive` returns `int`)
// and take any integer where C# takes an `int` (see `CSharpConversion.swift`).
// swift-format-ignore-file: TypeNamesShouldBeCapitalized

/// C# `sbyte` (`System.SByte`).
public typealias sbyte = Int8
/// C# `byte` (`System.Byte`).
public typealias byte = UInt8
/// C# `short` (`System.Int16`).
public typealias short = Int16
/// C# `ushort` (`System.UInt16`).
public typealias ushort = UInt16
/// C# `int` (`System.Int32`).
public typealias int = Int32
/// C# `uint` (`System.UInt32`).
public typealias uint = UInt32
/// C# `long` (`System.Int64`).
public typealias long = Int64
/// C# `ulong` (`System.UInt64`).
public typealias ulong = UInt64
/// C# `bool` (`System.Boolean`).
public typealias bool = Bool
/// C# `string` (`System.String`); a C# string that may be `null` is `string?`.
public typealias string = String
/// C# `char` (`System.Char`). A C# char is one UTF-16 code unit; ported networking code uses it for ASCII,
/// where a `Character` is the same. `(byte)c` is `byte(c)`, `(int)c` is `int(c)`.
public typealias char = Character
/// C# `double` (`System.Double`).
public typealias double = Double
/// C# `float` (`System.Single`).
public typealias float = Float
/// The .NET name `System.Byte`, as C# code writes it (`Byte[] buf` → `var buf: [Byte]`). `Int16`, `Int32`,
/// `Int64`, `UInt16`, `UInt32`, `UInt64`, `Double` and `String` are the same names in Swift already.
public typealias Byte = UInt8
/// The .NET name `System.SByte`.
public typealias SByte = Int8
/// The .NET name `System.Boolean`.
public typealias Boolean = Bool
/// The .NET name `System.Char` (see `char`).
public typealias Char = Character
/// The .NET name `System.Single`.
public typealias Single = Float
/// C# `object`: any value, as a C# `object` holds a reference or a boxed value (an `ArrayList` element, a
/// `Hashtable` value, an APM `state`, an event's `sender`). `new object()` (a lock token) is `Object()`; `lock`
/// and `Monitor` take the object itself, so `lock(sync)` works on an `object` field holding one.
public typealias object = Any

/// A plain object, for C#'s `new object()` (a token to `lock` on).
///
/// The corresponding .NET type is `System.Object`.
open class Object: @unchecked Sendable {
    // No state: sharing it between threads is what a lock token is for.
    public init() {}

    /// The type's name, as .NET's default `ToString()` prints it (the module stands for the namespace); a
    /// ported class overrides it as C# does.
    ///
    /// The corresponding .NET member is `Object.ToString()`.
    open func ToString() -> String { String(reflecting: type(of: self)) }
}

/// The size in bytes of a C# built-in integer type: `sizeof(int)` is `sizeof(int.self)`, 4.
///
/// The corresponding C# operator is `sizeof`.
public func sizeof<T: FixedWidthInteger>(_ type: T.Type) -> int {
    int(T.bitWidth / 8)
}

/// `sizeof(bool)` is 1 in C#.
public func sizeof(_ type: Bool.Type) -> int { 1 }

/// `sizeof(char)` is 2 in C# (one UTF-16 code unit).
public func sizeof(_ type: Character.Type) -> int { 2 }

extension IntPtr {
    /// A zero pointer, what C# gives a field of type `IntPtr` that the constructor does not set.
    public init() { self = .Zero }
}

extension Array {
    /// C#'s `new byte[n]` with an `int` length: `[byte](repeating: 0, count: n)`. A negative length stops
    /// the program, as Swift's `Int` form does (C# throws `OverflowException`).
    public init(repeating repeatedValue: Element, count: int) {
        self.init(repeating: repeatedValue, count: Int(count))
    }

    /// The number of elements, as a C# `int`.
    ///
    /// The corresponding .NET member is `Array.Length`.
    public var Length: int { int(count) }

    /// C# indexes arrays with an `int`; an index outside the array stops the program as Swift's
    /// `Int` subscript does (C# throws `IndexOutOfRangeException`).
    public subscript(index: int) -> Element {
        get { self[Int(index)] }
        set { self[Int(index)] = newValue }
    }

    /// The elements in a range of `int`s, such as `buffer[0..<n]` with the count `Receive` returned.
    public subscript(range: Range<int>) -> ArraySlice<Element> {
        self[Int(range.lowerBound)..<Int(range.upperBound)]
    }

    /// The elements from `range.lowerBound` on, such as `buffer[n...]`.
    public subscript(range: PartialRangeFrom<int>) -> ArraySlice<Element> {
        self[Int(range.lowerBound)...]
    }

    /// The first `range.upperBound` elements, such as `buffer[..<n]`.
    public subscript(range: PartialRangeUpTo<int>) -> ArraySlice<Element> {
        self[..<Int(range.upperBound)]
    }
}

extension String {
    /// The UTF-16 code unit at `index`, as C#'s `s[i]` reads it (a lone surrogate becomes U+FFFD).
    /// Throws `IndexOutOfRangeException` outside the string.
    ///
    /// The corresponding .NET member is `String.Chars[Int32]`.
    public subscript(index: int) -> Character {
        get throws {
            let units = utf16
            guard index >= 0, Int(index) < units.count else {
                throw IndexOutOfRangeException()
            }
            let unit = units[units.index(units.startIndex, offsetBy: Int(index))]
            return Character(Unicode.Scalar(unit) ?? "\u{FFFD}")
        }
    }
}

extension Character {
    /// The UTF-16 code unit a C# `char` holds (the first one, for a character outside the BMP).
    var utf16CodeUnit: UInt16 { utf16.first ?? 0 }
}

extension UInt8 {
    /// C#'s `(byte)c`: the low byte of the UTF-16 code unit (an unchecked cast, as C# compiles it by default).
    public init(_ c: Character) { self = UInt8(truncatingIfNeeded: c.utf16CodeUnit) }
}

extension Int32 {
    /// C#'s `(int)c`: the UTF-16 code unit.
    public init(_ c: Character) { self = Int32(c.utf16CodeUnit) }
}

extension UInt16 {
    /// C#'s `(ushort)c`: the UTF-16 code unit.
    public init(_ c: Character) { self = c.utf16CodeUnit }
}
