#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// .NET's composite formatting: `String.Format("{0,-10}{1:X4}", name, code)`.
///
/// A format item is `{index[,alignment][:formatString]}`; `{{` and `}}` stand for braces. The alignment pads
/// with spaces to that many UTF-16 units, on the left when positive and on the right when negative.
///
/// Format strings for integers: `D`/`d` (at least n digits), `X`/`x` (hexadecimal of the value's bits at its
/// width, so `-1` as `Int32` is `FFFFFFFF`), `N`/`n` (thousands separators, n decimals, default 2), `F`/`f`
/// (n decimals, default 2), `G`/`g`, and custom patterns of zeros (`0000`: at least that many digits).
/// For `Double` and `Float`: `F`, `N`, `G` and the zeros pattern. Culture is the invariant one.
/// A malformed item, an index past the arguments or an unknown specifier throws `FormatException`, as in
/// .NET; a specifier .NET has but this package does not (`C`, `E`, `P`, `R`, other custom patterns) throws
/// `NotSupportedException` naming it, never a wrong string.
extension String {
    /// The corresponding .NET member is `String.Format(string, params object[])`.
    public static func Format(_ format: String, _ args: Any?...) throws -> String {
        try CompositeFormat.format(format, args)
    }
}

enum CompositeFormat {
    /// C# passes an `object[]` given as the only argument of a `params object[]` parameter as the arguments
    /// themselves (a method forwarding its own `params object[] args` to `String.Format(format, args)`); in
    /// Swift that array arrives as one variadic argument, so it is spread here. Only an array of `object`
    /// (`[Any]`, `[Any?]`) is: a `byte[]` or `string[]` stays one argument, as in C#.
    static func paramsArray(_ args: [Any?]) -> [Any?] {
        guard args.count == 1, let only = args[0] else { return args }
        if type(of: only) == [Any].self, let array = only as? [Any] { return array.map { $0 } }
        if type(of: only) == [Any?].self, let array = only as? [Any?] { return array }
        return args
    }

    private static let openBrace = UInt16(UInt8(ascii: "{"))
    private static let closeBrace = UInt16(UInt8(ascii: "}"))
    private static let comma = UInt16(UInt8(ascii: ","))
    private static let colon = UInt16(UInt8(ascii: ":"))
    private static let space = UInt16(UInt8(ascii: " "))
    private static let minus = UInt16(UInt8(ascii: "-"))

    static let badFormat = "Input string was not in a correct format."

    static func format(_ format: String, _ args: [Any?]) throws -> String {
        let args = paramsArray(args)
        let units = Array(format.utf16)
        var output: [UInt16] = []
        var i = 0

        func digit(_ unit: UInt16) -> Int? {
            unit >= 0x30 && unit <= 0x39 ? Int(unit - 0x30) : nil
        }
        func skipSpaces() {
            while i < units.count, units[i] == space { i += 1 }
        }

        while i < units.count {
            let unit = units[i]
            if unit == closeBrace {
                guard i + 1 < units.count, units[i + 1] == closeBrace else { throw FormatException(badFormat) }
                output.append(closeBrace)
                i += 2
                continue
            }
            guard unit == openBrace else {
                output.append(unit)
                i += 1
                continue
            }
            if i + 1 < units.count, units[i + 1] == openBrace {
                output.append(openBrace)
                i += 2
                continue
            }
            // A format item.
            i += 1
            guard i < units.count, var index = digit(units[i]) else { throw FormatException(badFormat) }
            i += 1
            while i < units.count, let d = digit(units[i]) {
                index = index * 10 + d
                guard index < 1_000_000 else { throw FormatException(badFormat) }
                i += 1
            }
            skipSpaces()
            var alignment = 0
            if i < units.count, units[i] == comma {
                i += 1
                skipSpaces()
                var negative = false
                if i < units.count, units[i] == minus {
                    negative = true
                    i += 1
                }
                guard i < units.count, var width = digit(units[i]) else { throw FormatException(badFormat) }
                i += 1
                while i < units.count, let d = digit(units[i]) {
                    width = width * 10 + d
                    guard width < 1_000_000 else { throw FormatException(badFormat) }
                    i += 1
                }
                alignment = negative ? -width : width
                skipSpaces()
            }
            var formatString: [UInt16]?
            if i < units.count, units[i] == colon {
                i += 1
                var spec: [UInt16] = []
                while i < units.count, units[i] != closeBrace {
                    guard units[i] != openBrace else { throw FormatException(badFormat) }
                    spec.append(units[i])
                    i += 1
                }
                formatString = spec
            }
            guard i < units.count, units[i] == closeBrace else { throw FormatException(badFormat) }
            i += 1
            guard index < args.count else {
                throw FormatException("Index (zero based) must be greater than or equal to zero and less than the size of the argument list.")
            }
            let text = Array(try render(args[index], formatString.map { String(decoding: $0, as: UTF16.self) }).utf16)
            let padding = [UInt16](repeating: space, count: max(0, abs(alignment) - text.count))
            output += alignment > 0 ? padding + text : text + padding
        }
        return String(decoding: output, as: UTF16.self)
    }

    // MARK: Values

    static func render(_ value: Any?, _ spec: String?) throws -> String {
        guard let value else { return "" }
        switch value {
        case let string as String: return string
        case let character as Character: return String(character)
        case let integer as any FixedWidthInteger: return try formatInteger(integer, spec ?? "")
        case let bool as Bool: return bool ? "True" : "False"
        case let double as Double: return try formatDouble(double, spec ?? "")
        case let float as Float: return spec == nil || spec == "" ? general(Double(float), significantDigits: 7) : try formatDouble(Double(float), spec ?? "")
        case let described as CustomStringConvertible: return described.description
        default: return String(describing: value)
        }
    }

    /// A standard specifier: one letter and an optional precision of up to two digits.
    private static func standard(_ spec: String) -> (letter: Character, precision: Int?)? {
        guard let letter = spec.first, letter.isASCII, letter.isLetter else { return nil }
        let rest = spec.dropFirst()
        guard rest.count <= 2, rest.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return (letter, rest.isEmpty ? nil : Int(rest)!)
    }

    /// `0000`: the only custom pattern provided (at least that many digits).
    private static func zeroPattern(_ spec: String) -> Int? {
        !spec.isEmpty && spec.allSatisfy({ $0 == "0" }) ? spec.count : nil
    }

    private static func notSupported(_ spec: String) -> NotSupportedException {
        NotSupportedException("The format string \"\(spec)\" is valid in .NET but not supported by String.Format here; use D, X, N, F, G or a pattern of zeros.")
    }

    private static func invalidSpecifier() -> FormatException {
        FormatException("Format specifier was invalid.")
    }

    static func formatInteger<Integer: FixedWidthInteger>(_ value: Integer, _ spec: String) throws -> String {
        let negative = value < 0
        let magnitude = String(value.magnitude)
        if spec.isEmpty { return (negative ? "-" : "") + magnitude }
        if let zeros = zeroPattern(spec) { return (negative ? "-" : "") + padded(magnitude, zeros) }
        guard let (letter, precision) = standard(spec) else { throw notSupported(spec) }
        switch letter {
        case "D", "d":
            return (negative ? "-" : "") + padded(magnitude, precision ?? 0)
        case "X", "x":
            let bits = UInt64(truncatingIfNeeded: value) & (Integer.bitWidth >= 64 ? UInt64.max : (UInt64(1) << Integer.bitWidth) - 1)
            let hex = String(bits, radix: 16, uppercase: letter == "X")
            return padded(hex, precision ?? 0)
        case "N", "n":
            return (negative ? "-" : "") + grouped(magnitude) + decimals("", precision ?? 2)
        case "F", "f":
            return (negative ? "-" : "") + magnitude + decimals("", precision ?? 2)
        case "G", "g":
            return (negative ? "-" : "") + magnitude
        case "C", "c", "E", "e", "P", "p", "R", "r":
            throw notSupported(spec)
        default:
            throw invalidSpecifier()
        }
    }

    static func formatDouble(_ value: Double, _ spec: String) throws -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if spec.isEmpty { return general(value) }
        let fixed: (Int) throws -> (negative: Bool, whole: String, fraction: String) = { places in
            var scale = 1.0
            for _ in 0..<places { scale *= 10 }
            let scaled = (abs(value) * scale).rounded()
            guard scaled < 9.2e18 else { throw notSupported(spec) }
            let digits = padded(String(UInt64(scaled)), places + 1)
            let split = digits.index(digits.endIndex, offsetBy: -places)
            return (value < 0 && scaled != 0, String(digits[..<split]), String(digits[split...]))
        }
        if let zeros = zeroPattern(spec) {
            let parts = try fixed(0)
            return (parts.negative ? "-" : "") + padded(parts.whole, zeros)
        }
        guard let (letter, precision) = standard(spec) else { throw notSupported(spec) }
        switch letter {
        case "F", "f", "N", "n":
            let parts = try fixed(precision ?? 2)
            let whole = letter == "N" || letter == "n" ? grouped(parts.whole) : parts.whole
            return (parts.negative ? "-" : "") + whole + decimals(parts.fraction, parts.fraction.count)
        case "G", "g":
            guard precision == nil else { throw notSupported(spec) }
            return general(value)
        case "C", "c", "E", "e", "P", "p", "R", "r":
            throw notSupported(spec)
        default:
            throw invalidSpecifier()
        }
    }

    /// The .NET Framework's (and so the Compact Framework's) `ToString()` of a `double`: "G" with 15
    /// significant digits, so `0.1 + 0.2` prints "0.3" and `1e20` "1E+20" (.NET Core 3.0 and later print the
    /// shortest round-trip form instead, "0.30000000000000004"). A `float` gets 7 digits.
    static func general(_ value: Double, significantDigits: Int32 = 15) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return value == 0 ? "0" : String(Int64(value)) }
        var buffer = [CChar](repeating: 0, count: 40)
        let length = withVaList([significantDigits, value]) { arguments in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, "%.*G", arguments) }
        }
        return String(decoding: buffer.prefix(Int(max(0, length))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func padded(_ digits: String, _ width: Int) -> String {
        String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func grouped(_ digits: String) -> String {
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return result
    }

    private static func decimals(_ fraction: String, _ places: Int) -> String {
        places == 0 ? "" : "." + fraction + String(repeating: "0", count: max(0, places - fraction.count))
    }
}
