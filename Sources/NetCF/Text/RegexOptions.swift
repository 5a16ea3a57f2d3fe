/// The options of a `Regex`, combined with `|` as in C#:
/// `new Regex(p, RegexOptions.IgnoreCase | RegexOptions.Multiline)` → `try Regex(p, RegexOptions.IgnoreCase | RegexOptions.Multiline)`.
///
/// `IgnoreCase`, `Multiline` and `Singleline` change the match; `Compiled` and `CultureInvariant` are accepted
/// and change nothing (the first is a speed hint, the second the culture of case folding, which here is always
/// the invariant one). The others (`ExplicitCapture`, `IgnorePatternWhitespace`, `RightToLeft`, `ECMAScript`)
/// are refused by `Regex`'s initialiser with a `NotSupportedException` that names them.
///
/// The corresponding .NET type is `System.Text.RegularExpressions.RegexOptions`.
public struct RegexOptions: OptionSet, CSharpEnum, Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let None = RegexOptions([])
    public static let IgnoreCase = RegexOptions(rawValue: 0x1)
    public static let Multiline = RegexOptions(rawValue: 0x2)
    public static let ExplicitCapture = RegexOptions(rawValue: 0x4)
    public static let Compiled = RegexOptions(rawValue: 0x8)
    public static let Singleline = RegexOptions(rawValue: 0x10)
    public static let IgnorePatternWhitespace = RegexOptions(rawValue: 0x20)
    public static let RightToLeft = RegexOptions(rawValue: 0x40)
    public static let ECMAScript = RegexOptions(rawValue: 0x100)
    public static let CultureInvariant = RegexOptions(rawValue: 0x200)

    /// C#'s `|` on flags.
    public static func | (lhs: RegexOptions, rhs: RegexOptions) -> RegexOptions { lhs.union(rhs) }

    /// C#'s `&` on flags (`(options & RegexOptions.IgnoreCase) != 0` is `!(…).isEmpty` here).
    public static func & (lhs: RegexOptions, rhs: RegexOptions) -> RegexOptions { lhs.intersection(rhs) }

    /// The options this package applies; the rest are refused.
    static let supported: RegexOptions = [.IgnoreCase, .Multiline, .Singleline, .Compiled, .CultureInvariant]

    /// The .NET names of the options in `self`, for messages.
    var names: [String] {
        let all: [(RegexOptions, String)] = [
            (.IgnoreCase, "IgnoreCase"), (.Multiline, "Multiline"), (.ExplicitCapture, "ExplicitCapture"),
            (.Compiled, "Compiled"), (.Singleline, "Singleline"),
            (.IgnorePatternWhitespace, "IgnorePatternWhitespace"), (.RightToLeft, "RightToLeft"),
            (.ECMAScript, "ECMAScript"), (.CultureInvariant, "CultureInvariant"),
        ]
        var names = all.filter { contains($0.0) }.map(\.1)
        let unknown = rawValue & ~all.reduce(0) { $0 | $1.0.rawValue }
        if unknown != 0 { names.append("0x" + String(unknown, radix: 16)) }
        return names
    }
}
