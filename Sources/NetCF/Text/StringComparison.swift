/// How `StartsWith`, `EndsWith`, `IndexOf` and `Equals` compare.
///
/// The culture-sensitive kinds compare as the ordinal ones here: CE networking code compares protocol text
/// ("220", "AUTH TLS", header names), where the results agree. The `IgnoreCase` kinds compare the strings'
/// upper-case forms, as .NET's ordinal case-insensitive comparison does.
///
/// The corresponding .NET type is `System.StringComparison`.
public enum StringComparison: Int32, Sendable {
    case CurrentCulture = 0
    case CurrentCultureIgnoreCase = 1
    case InvariantCulture = 2
    case InvariantCultureIgnoreCase = 3
    case Ordinal = 4
    case OrdinalIgnoreCase = 5

    var ignoresCase: Bool {
        self == .CurrentCultureIgnoreCase || self == .InvariantCultureIgnoreCase || self == .OrdinalIgnoreCase
    }

    /// The UTF-16 code units the comparison looks at.
    func units(_ s: String) -> [UInt16] {
        Array((ignoresCase ? s.uppercased() : s).utf16)
    }
}

extension String {
    /// The corresponding .NET member is `String.StartsWith(String, StringComparison)`.
    public func StartsWith(_ value: String, _ comparisonType: StringComparison) -> Bool {
        comparisonType.units(self).starts(with: comparisonType.units(value))
    }

    /// The corresponding .NET member is `String.EndsWith(String, StringComparison)`.
    public func EndsWith(_ value: String, _ comparisonType: StringComparison) -> Bool {
        comparisonType.units(self).reversed().starts(with: comparisonType.units(value).reversed())
    }

    /// The UTF-16 offset of the first occurrence of `value` (0 for ""), or -1.
    ///
    /// The corresponding .NET member is `String.IndexOf(String, StringComparison)`.
    public func IndexOf(_ value: String, _ comparisonType: StringComparison) -> Int32 {
        let haystack = comparisonType.units(self), needle = comparisonType.units(value)
        guard needle.count <= haystack.count else { return -1 }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return Int32(start)
        }
        return -1
    }

    /// The corresponding .NET member is `String.Equals(String, StringComparison)`.
    public func Equals(_ value: String?, _ comparisonType: StringComparison) -> Bool {
        guard let value else { return false }
        return comparisonType.units(self) == comparisonType.units(value)
    }

    /// The corresponding .NET member is `String.Equals(String, String, StringComparison)`.
    public static func Equals(_ a: String?, _ b: String?, _ comparisonType: StringComparison) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.Equals(b, comparisonType)
    }
}

extension Optional where Wrapped == String {
    /// Throws `NullReferenceException` on null, as C# does.
    ///
    /// The corresponding .NET member is `String.StartsWith(String, StringComparison)`.
    public func StartsWith(_ value: String, _ comparisonType: StringComparison) throws -> Bool {
        guard let self else { throw NullReferenceException() }
        return self.StartsWith(value, comparisonType)
    }

    /// Throws `NullReferenceException` on null, as C# does.
    ///
    /// The corresponding .NET member is `String.EndsWith(String, StringComparison)`.
    public func EndsWith(_ value: String, _ comparisonType: StringComparison) throws -> Bool {
        guard let self else { throw NullReferenceException() }
        return self.EndsWith(value, comparisonType)
    }
}
