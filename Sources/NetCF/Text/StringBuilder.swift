/// A mutable string, counted in UTF-16 code units as .NET counts it: `Length`, indexes and counts are units,
/// so "é" is one and "😀" two.
///
/// The `Append` family and `AppendLine` return the builder (`@discardableResult`), so
/// `sb.Append(a).Append(b)` ports unchanged; they cannot fail and do not throw. Members that take an index or
/// a count (`Insert`, `Remove`, `ToString(int, int)`, the indexer) throw `ArgumentOutOfRangeException` for a
/// bad one, as in .NET, and need `try`.
///
/// Project decisions, where Swift cannot do what .NET does:
/// - `AppendLine` ends the line with "\r\n", `Environment.NewLine` on Windows CE.
/// - A Swift property setter cannot throw. `sb.Length = n` with `n` from 0 up truncates or pads with NUL
///   (U+0000) as .NET does; a negative `n`, for which .NET throws, leaves the builder unchanged. Use
///   `SetLength(n)`, which throws `ArgumentOutOfRangeException`, where the value may be negative. `Capacity`
///   set below `Length` is ignored in the same way (.NET throws).
/// - The indexer reads (`sb[i]`, `try`); writing a unit (`sb[i] = c` in C#) is `try sb.SetChar(i, c)`.
/// - A unit that is half of a surrogate pair reads as U+FFFD through the indexer (a Swift `Character` cannot
///   hold half a pair); `ToString()` keeps pairs whole.
///
/// The corresponding .NET type is `System.Text.StringBuilder`.
public final class StringBuilder: CustomStringConvertible {
    private var units: [UInt16] = []
    private var capacity: Int

    /// The corresponding .NET member is `StringBuilder()` (capacity 16).
    public init() {
        capacity = 16
    }

    /// - Throws: `ArgumentOutOfRangeException` for a negative capacity.
    ///
    /// The corresponding .NET member is `StringBuilder(Int32)`.
    public init(_ capacity: some BinaryInteger) throws {
        let capacity = try CSharpInteger.int(capacity, "capacity")
        guard capacity >= 0 else {
            throw ArgumentOutOfRangeException("capacity", "Capacity must be positive.")
        }
        self.capacity = capacity
    }

    /// A null string starts an empty builder, as in .NET.
    ///
    /// The corresponding .NET member is `StringBuilder(String)`.
    public init(_ value: String?) {
        units = Array((value ?? "").utf16)
        capacity = max(16, units.count)
    }

    // MARK: Size

    /// The number of UTF-16 code units. Setting it truncates, or pads with NUL; a negative value is ignored
    /// (see the type's notes; `SetLength` throws instead).
    ///
    /// The corresponding .NET member is `StringBuilder.Length`.
    public var Length: int {
        get { int(units.count) }
        set { try? SetLength(newValue) }
    }

    /// `Length = value` that reports a negative value.
    /// - Throws: `ArgumentOutOfRangeException` when `value` is negative.
    public func SetLength(_ value: some BinaryInteger) throws {
        let value = try CSharpInteger.int(value, "value")
        guard value >= 0 else {
            throw ArgumentOutOfRangeException("value", "Length cannot be less than zero.")
        }
        if value < units.count {
            units.removeSubrange(value...)
        } else {
            units.append(contentsOf: repeatElement(0, count: value - units.count))
        }
        grow()
    }

    /// The units the builder holds before it grows (doubling, as .NET's builder did before .NET 4). Setting
    /// a value below `Length` is ignored (.NET throws).
    ///
    /// The corresponding .NET member is `StringBuilder.Capacity`.
    public var Capacity: int {
        get { int(capacity) }
        set {
            if Int(newValue) >= units.count { capacity = Int(newValue) }
        }
    }

    /// The corresponding .NET member is `StringBuilder.MaxCapacity`.
    public var MaxCapacity: int { int.max }

    /// The corresponding .NET member is `StringBuilder.Clear()`.
    @discardableResult
    public func Clear() -> StringBuilder {
        units.removeAll(keepingCapacity: true)
        return self
    }

    private func grow() {
        while capacity < units.count { capacity = max(16, capacity * 2) }
    }

    // MARK: Appending

    /// A null string appends nothing.
    ///
    /// The corresponding .NET member is `StringBuilder.Append(String)`.
    @discardableResult
    public func Append(_ value: String?) -> StringBuilder {
        units.append(contentsOf: (value ?? "").utf16)
        grow()
        return self
    }

    /// The corresponding .NET member is `StringBuilder.Append(Char)`.
    @discardableResult
    public func Append(_ value: Character) -> StringBuilder { Append(String(value)) }

    /// `value` `repeatCount` times.
    /// - Throws: `ArgumentOutOfRangeException` for a negative count.
    ///
    /// The corresponding .NET member is `StringBuilder.Append(Char, Int32)`.
    @discardableResult
    public func Append(_ value: Character, _ repeatCount: some BinaryInteger) throws -> StringBuilder {
        let count = try CSharpInteger.int(repeatCount, "repeatCount")
        guard count >= 0 else {
            throw ArgumentOutOfRangeException("repeatCount", "Count cannot be less than zero.")
        }
        return Append(String(repeating: String(value), count: count))
    }

    /// "True" or "False", as .NET writes a `bool`.
    ///
    /// The corresponding .NET member is `StringBuilder.Append(Boolean)`.
    @discardableResult
    public func Append(_ value: Bool) -> StringBuilder { Append(value ? "True" : "False") }

    /// Any integer, in decimal.
    ///
    /// The corresponding .NET members are `StringBuilder.Append(Int32)`, `Append(Int64)`, `Append(Byte)`, ….
    @discardableResult
    public func Append<Integer: BinaryInteger>(_ value: Integer) -> StringBuilder { Append(String(value)) }

    /// As `String.Format("{0}", value)` writes it: "2" for 2.0, "0.5" for 0.5.
    ///
    /// The corresponding .NET member is `StringBuilder.Append(Double)`.
    @discardableResult
    public func Append(_ value: Double) -> StringBuilder { Append(Self.text(value)) }

    /// The corresponding .NET member is `StringBuilder.Append(Char[])`.
    @discardableResult
    public func Append(_ value: [Character]?) -> StringBuilder { Append(String(value ?? [])) }

    /// `count` characters of `value` from `startIndex` (in `Character`s, which are UTF-16 units for the
    /// characters of the Basic Multilingual Plane).
    /// - Throws: `ArgumentOutOfRangeException` when the range is not inside `value`.
    ///
    /// The corresponding .NET member is `StringBuilder.Append(Char[], Int32, Int32)`.
    @discardableResult
    public func Append(_ value: [Character], _ startIndex: some BinaryInteger, _ charCount: some BinaryInteger) throws -> StringBuilder {
        let range = try Self.range(startIndex, charCount, within: value.count, "startIndex", "charCount")
        return Append(String(value[range]))
    }

    /// `count` UTF-16 units of `value` from `startIndex`.
    /// - Throws: `ArgumentOutOfRangeException` when the range is not inside `value`.
    ///
    /// The corresponding .NET member is `StringBuilder.Append(String, Int32, Int32)`.
    @discardableResult
    public func Append(_ value: String, _ startIndex: some BinaryInteger, _ count: some BinaryInteger) throws -> StringBuilder {
        let source = Array(value.utf16)
        let range = try Self.range(startIndex, count, within: source.count, "startIndex", "count")
        units.append(contentsOf: source[range])
        grow()
        return self
    }

    /// Any other value, as its text (`ToString()` in .NET: here its `description`); null appends nothing.
    ///
    /// The corresponding .NET member is `StringBuilder.Append(Object)`.
    @discardableResult
    public func Append(_ value: Any?) -> StringBuilder { Append(Self.text(value)) }

    /// "\r\n", `Environment.NewLine` on Windows CE.
    ///
    /// The corresponding .NET member is `StringBuilder.AppendLine()`.
    @discardableResult
    public func AppendLine() -> StringBuilder { Append("\r\n") }

    /// `value`, then "\r\n".
    ///
    /// The corresponding .NET member is `StringBuilder.AppendLine(String)`.
    @discardableResult
    public func AppendLine(_ value: String?) -> StringBuilder { Append(value).Append("\r\n") }

    /// Composite formatting, as `String.Format`.
    /// - Throws: what `String.Format` throws (`FormatException`, `NotSupportedException`).
    ///
    /// The corresponding .NET member is `StringBuilder.AppendFormat(String, params Object[])`.
    @discardableResult
    public func AppendFormat(_ format: String, _ args: Any?...) throws -> StringBuilder {
        Append(try CompositeFormat.format(format, args))
    }

    // MARK: Editing

    /// - Throws: `ArgumentOutOfRangeException` when `index` is not between 0 and `Length`.
    ///
    /// The corresponding .NET member is `StringBuilder.Insert(Int32, String)`.
    @discardableResult
    public func Insert(_ index: some BinaryInteger, _ value: String?) throws -> StringBuilder {
        let index = try CSharpInteger.int(index, "index")
        guard (0...units.count).contains(index) else {
            throw ArgumentOutOfRangeException("index", "Index was out of range. Must be non-negative and less than or equal to the size of the collection.")
        }
        units.insert(contentsOf: (value ?? "").utf16, at: index)
        grow()
        return self
    }

    /// Any other value, as its text, as `Append` writes it.
    /// - Throws: `ArgumentOutOfRangeException` when `index` is not between 0 and `Length`.
    ///
    /// The corresponding .NET members are `StringBuilder.Insert(Int32, Char)`, `Insert(Int32, Int32)`, ….
    @discardableResult
    public func Insert(_ index: some BinaryInteger, _ value: Any?) throws -> StringBuilder {
        try Insert(index, Self.text(value))
    }

    /// - Throws: `ArgumentOutOfRangeException` when the range is not inside the builder.
    ///
    /// The corresponding .NET member is `StringBuilder.Remove(Int32, Int32)`.
    @discardableResult
    public func Remove(_ startIndex: some BinaryInteger, _ length: some BinaryInteger) throws -> StringBuilder {
        let range = try Self.range(startIndex, length, within: units.count, "startIndex", "length")
        units.removeSubrange(range)
        return self
    }

    /// Every occurrence of `oldValue`, left to right, without overlaps.
    /// - Throws: `ArgumentNullException` for a null `oldValue`, `ArgumentException` for an empty one.
    ///
    /// The corresponding .NET member is `StringBuilder.Replace(String, String)`.
    @discardableResult
    public func Replace(_ oldValue: String?, _ newValue: String?) throws -> StringBuilder {
        guard let oldValue else { throw ArgumentNullException("oldValue") }
        let old = Array(oldValue.utf16), new = Array((newValue ?? "").utf16)
        guard !old.isEmpty else { throw ArgumentException("String cannot be of zero length.", "oldValue") }
        var result: [UInt16] = []
        result.reserveCapacity(units.count)
        var i = 0
        while i < units.count {
            if i + old.count <= units.count, units[i..<(i + old.count)].elementsEqual(old) {
                result.append(contentsOf: new)
                i += old.count
            } else {
                result.append(units[i])
                i += 1
            }
        }
        units = result
        grow()
        return self
    }

    /// Every UTF-16 unit `oldChar` becomes `newChar`. Both must be one unit (a character of the Basic
    /// Multilingual Plane), as a C# `char` is.
    /// - Throws: `ArgumentException` for a character of more than one unit.
    ///
    /// The corresponding .NET member is `StringBuilder.Replace(Char, Char)`.
    @discardableResult
    public func Replace(_ oldChar: Character, _ newChar: Character) throws -> StringBuilder {
        let old = Array(oldChar.utf16), new = Array(newChar.utf16)
        guard old.count == 1 else { throw ArgumentException("A char is one UTF-16 code unit; '\(oldChar)' is \(old.count).", "oldChar") }
        guard new.count == 1 else { throw ArgumentException("A char is one UTF-16 code unit; '\(newChar)' is \(new.count).", "newChar") }
        for i in units.indices where units[i] == old[0] { units[i] = new[0] }
        return self
    }

    // MARK: Reading

    /// The UTF-16 unit at `index`, as a C# `char` (U+FFFD for half of a surrogate pair).
    /// - Throws: `ArgumentOutOfRangeException` for a bad index, as .NET's indexer throws.
    ///
    /// The corresponding .NET member is `StringBuilder.Chars[Int32]` (the indexer).
    public subscript(index: some BinaryInteger) -> Character {
        get throws {
            let index = try CSharpInteger.int(index, "index")
            guard units.indices.contains(index) else {
                throw ArgumentOutOfRangeException("index", "Index was out of range. Must be non-negative and less than the size of the collection.")
            }
            return Character(units[index])
        }
    }

    /// C#'s `sb[index] = value`, which Swift cannot write with a throwing indexer.
    /// - Throws: `ArgumentOutOfRangeException` for a bad index, `ArgumentException` for a character of more
    ///   than one UTF-16 unit.
    public func SetChar(_ index: some BinaryInteger, _ value: Character) throws {
        let index = try CSharpInteger.int(index, "index")
        guard units.indices.contains(index) else {
            throw ArgumentOutOfRangeException("index", "Index was out of range. Must be non-negative and less than the size of the collection.")
        }
        let unit = Array(value.utf16)
        guard unit.count == 1 else { throw ArgumentException("A char is one UTF-16 code unit; '\(value)' is \(unit.count).", "value") }
        units[index] = unit[0]
    }

    /// The corresponding .NET member is `StringBuilder.ToString()`.
    public func ToString() -> String { String(decoding: units, as: UTF16.self) }

    /// `length` UTF-16 units from `startIndex`.
    /// - Throws: `ArgumentOutOfRangeException` when the range is not inside the builder.
    ///
    /// The corresponding .NET member is `StringBuilder.ToString(Int32, Int32)`.
    public func ToString(_ startIndex: some BinaryInteger, _ length: some BinaryInteger) throws -> String {
        let range = try Self.range(startIndex, length, within: units.count, "startIndex", "length")
        return String(decoding: units[range], as: UTF16.self)
    }

    public var description: String { ToString() }

    // MARK: Helpers

    private static func text(_ value: Any?) -> String {
        (try? CompositeFormat.render(value, nil)) ?? value.map { String(describing: $0) } ?? ""
    }

    private static func range(_ start: some BinaryInteger, _ count: some BinaryInteger, within size: Int,
                              _ startName: String, _ countName: String) throws -> Range<Int> {
        let start = try CSharpInteger.int(start, startName), count = try CSharpInteger.int(count, countName)
        guard start >= 0 else {
            throw ArgumentOutOfRangeException(startName, "StartIndex cannot be less than zero.")
        }
        guard count >= 0 else {
            throw ArgumentOutOfRangeException(countName, "Length cannot be less than zero.")
        }
        guard start <= size - count else {
            throw ArgumentOutOfRangeException(countName, "Index and length must refer to a location within the string.")
        }
        return start..<(start + count)
    }
}
