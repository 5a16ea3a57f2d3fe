// `Int32.Parse`, `int.Parse`, `Int64.Parse` … and the numeric `ToString()`s, on every integer type.

extension FixedWidthInteger {
    /// Parses a decimal integer as .NET's `NumberStyles.Integer` does: white space (tab, line feed, vertical tab,
    /// form feed, carriage return, space) around it, one leading `+` or `-`, then ASCII digits.
    ///
    /// - Throws: `ArgumentNullException` for `nil`; `FormatException` for any other text (including "");
    ///   `OverflowException` when the value does not fit the type (`int.Parse("2147483648")`).
    ///
    /// The corresponding .NET members are `Int32.Parse(String)`, `Int64.Parse(String)`, `UInt32.Parse(String)` …
    public static func Parse(_ s: String?) throws -> Self {
        guard let s else { throw ArgumentNullException("s") }
        let whiteSpace: Set<UInt8> = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20]
        var bytes = Array(s.utf8)[...]
        while let first = bytes.first, whiteSpace.contains(first) { bytes.removeFirst() }
        while let last = bytes.last, whiteSpace.contains(last) { bytes.removeLast() }
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw FormatException("Input string was not in a correct format.")
        }
        // Accumulated towards the sign, so the most negative value of a signed type parses.
        var value: Self = 0
        for digit in bytes {
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let d = Self(digit - UInt8(ascii: "0"))
            let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(d) : shifted.addingReportingOverflow(d)
            if overflow1 || overflow2 { throw OverflowException(overflowMessage) }
            value = next
        }
        return value
    }

    /// .NET's wording names the .NET type: "Value was either too large or too small for an Int32."
    static var overflowMessage: String {
        let name: String
        switch (Self.isSigned, Self.bitWidth) {
        case (false, 8): return "Value was either too large or too small for an unsigned byte."
        case (true, 8): return "Value was either too large or too small for a signed byte."
        case (true, let bits): name = "an Int\(bits)"
        case (false, let bits): name = "a UInt\(bits)"
        }
        return "Value was either too large or too small for \(name)."
    }

    /// The decimal text, with a leading `-` when negative (the invariant culture, as CE's en-US).
    ///
    /// The corresponding .NET members are `Int32.ToString()`, `Byte.ToString()` …
    public func ToString() -> String { String(self) }

    /// The standard numeric formats ported code uses: `"X"`/`"x"` (hexadecimal, upper or lower case; a negative
    /// value as its two's complement, as .NET does) and `"D"`/`"d"` (decimal), each with an optional minimum
    /// number of digits (`b.ToString("X2")` → "0A"). `nil` or "" is `ToString()`.
    ///
    /// - Throws: `FormatException` for any other format.
    ///
    /// The corresponding .NET members are `Int32.ToString(String)`, `Byte.ToString(String)` …
    public func ToString(_ format: String?) throws -> String {
        guard let format, let letter = format.first else { return ToString() }
        let precisionText = format.dropFirst()
        guard let precision = precisionText.isEmpty ? 0 : Int(precisionText), precision >= 0, precision <= 99 else {
            throw FormatException("Format specifier was invalid.")
        }
        let digits: String
        var sign = ""
        switch letter {
        case "X", "x":
            // The bit pattern of the value in its own width: (-1).ToString("X") on an int is "FFFFFFFF".
            let pattern = UInt64(truncatingIfNeeded: self) & (Self.bitWidth >= 64 ? UInt64.max : (1 << UInt64(Self.bitWidth)) - 1)
            digits = String(pattern, radix: 16, uppercase: letter == "X")
        case "D", "d":
            digits = String(self.magnitude)
            sign = self < 0 ? "-" : ""
        default:
            throw FormatException("Format specifier was invalid.")
        }
        return sign + String(repeating: "0", count: Swift.max(0, precision - digits.count)) + digits
    }
}
