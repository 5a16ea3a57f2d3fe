/// Something that says how numbers and dates are written: `CultureInfo` and `NumberFormatInfo`.
///
/// Every culture here writes integers the same way (digits, a leading `-`, no grouping), so the provider
/// passed to an integer's `ToString` changes nothing; it is accepted so that C# lines port unchanged.
///
/// The corresponding .NET type is `System.IFormatProvider`.
public protocol IFormatProvider: AnyObject, Sendable {}

extension CultureInfo: IFormatProvider {}

/// The number formats of a culture.
///
/// The corresponding .NET type is `System.Globalization.NumberFormatInfo`.
public final class NumberFormatInfo: IFormatProvider {
    private init() {}

    /// The corresponding .NET member is `NumberFormatInfo.InvariantInfo`.
    public static let InvariantInfo = NumberFormatInfo()

    /// The formats of `CultureInfo.CurrentCulture` (en-US, as CE devices mostly were), the same for integers.
    ///
    /// The corresponding .NET member is `NumberFormatInfo.CurrentInfo`.
    public static let CurrentInfo = NumberFormatInfo()
}

extension FixedWidthInteger {
    /// The decimal text (`port.ToString(NumberFormatInfo.InvariantInfo)`).
    ///
    /// The corresponding .NET members are `Int32.ToString(IFormatProvider)` …
    public func ToString(_ provider: IFormatProvider?) -> String { String(self) }

    /// `ToString(format)`; the provider changes nothing for integers.
    ///
    /// The corresponding .NET members are `Int32.ToString(String, IFormatProvider)` …
    public func ToString(_ format: String?, _ provider: IFormatProvider?) throws -> String {
        try ToString(format)
    }
}
