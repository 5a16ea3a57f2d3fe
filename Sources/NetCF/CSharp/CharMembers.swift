// `System.Char`'s static members and C#'s `(char)n` cast, on Swift's `Character` (C#'s `char`).
//
// A C# `char` is one UTF-16 code unit; a Swift `Character` may hold more. These members look at the
// character's first UTF-16 code unit, as .NET would see the `char`: a character outside the Basic Multilingual
// Plane is a surrogate there, which is no letter, digit, white space or punctuation.

extension Character {
    /// C#'s cast `(char)n` from any integer (`(char)b` of a `byte` read from a stream): the UTF-16 code unit
    /// `n` (its low 16 bits, as C#'s unchecked cast). A lone surrogate (0xD800–0xDFFF), which a Swift
    /// `Character` cannot hold, becomes U+FFFD (project decision).
    ///
    /// ```swift
    /// // if ((char)temp_buffer[0] != '\n')
    /// if char(temp_buffer[0]) != "\n"
    /// ```
    public init(_ codeUnit: some BinaryInteger) {
        let unit = UInt16(truncatingIfNeeded: codeUnit)
        self.init(Unicode.Scalar(unit) ?? "\u{FFFD}")
    }

    /// The Unicode scalar of the `char`, or nil for a surrogate half.
    private var charScalar: Unicode.Scalar? { Unicode.Scalar(utf16CodeUnit) }

    private func isCategory(_ categories: Set<Unicode.GeneralCategory>) -> Bool {
        guard let scalar = charScalar else { return false }
        return categories.contains(scalar.properties.generalCategory)
    }

    private static let letters: Set<Unicode.GeneralCategory> = [
        .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
    ]
    private static let punctuation: Set<Unicode.GeneralCategory> = [
        .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
        .finalPunctuation, .otherPunctuation,
    ]

    /// A decimal digit (Unicode category Nd), not only 0–9.
    ///
    /// The corresponding .NET member is `Char.IsDigit(Char)`.
    public static func IsDigit(_ c: Character) -> Bool { c.isCategory([.decimalNumber]) }

    /// A letter (Unicode categories Lu, Ll, Lt, Lm, Lo).
    ///
    /// The corresponding .NET member is `Char.IsLetter(Char)`.
    public static func IsLetter(_ c: Character) -> Bool { c.isCategory(letters) }

    /// The corresponding .NET member is `Char.IsLetterOrDigit(Char)`.
    public static func IsLetterOrDigit(_ c: Character) -> Bool { IsLetter(c) || IsDigit(c) }

    /// White space: Unicode's `White_Space` property (space, tab, CR, LF, VT, FF, U+0085, U+00A0, the Zs, Zl
    /// and Zp characters), the set .NET uses.
    ///
    /// The corresponding .NET member is `Char.IsWhiteSpace(Char)`.
    public static func IsWhiteSpace(_ c: Character) -> Bool { c.charScalar?.properties.isWhitespace ?? false }

    /// An upper-case letter (category Lu).
    ///
    /// The corresponding .NET member is `Char.IsUpper(Char)`.
    public static func IsUpper(_ c: Character) -> Bool { c.isCategory([.uppercaseLetter]) }

    /// A lower-case letter (category Ll).
    ///
    /// The corresponding .NET member is `Char.IsLower(Char)`.
    public static func IsLower(_ c: Character) -> Bool { c.isCategory([.lowercaseLetter]) }

    /// Punctuation (categories Pc, Pd, Ps, Pe, Pi, Pf, Po).
    ///
    /// The corresponding .NET member is `Char.IsPunctuation(Char)`.
    public static func IsPunctuation(_ c: Character) -> Bool { c.isCategory(punctuation) }

    /// The upper-case form when it is one character (Unicode's mapping, culture-independent); otherwise `c`.
    ///
    /// The corresponding .NET member is `Char.ToUpper(Char)`.
    public static func ToUpper(_ c: Character) -> Character {
        guard let scalar = c.charScalar, c.unicodeScalars.count == 1 else { return c }
        let upper = scalar.properties.uppercaseMapping
        return upper.unicodeScalars.count == 1 ? Character(upper) : c
    }

    /// The lower-case form when it is one character (Unicode's mapping, culture-independent); otherwise `c`.
    ///
    /// The corresponding .NET member is `Char.ToLower(Char)`.
    public static func ToLower(_ c: Character) -> Character {
        guard let scalar = c.charScalar, c.unicodeScalars.count == 1 else { return c }
        let lower = scalar.properties.lowercaseMapping
        return lower.unicodeScalars.count == 1 ? Character(lower) : c
    }

    /// The `char` at UTF-16 offset `index` of `s`.
    private static func char(_ s: String?, _ index: some BinaryInteger) throws -> Character {
        guard let s else { throw ArgumentNullException("s") }
        let units = s.utf16
        guard let offset = Int(exactly: index), offset >= 0, offset < units.count else {
            throw ArgumentOutOfRangeException("index", "Index was out of range. Must be non-negative and less than the size of the collection.")
        }
        return Character(units[units.index(units.startIndex, offsetBy: offset)])
    }

    /// The corresponding .NET member is `Char.IsDigit(String, Int32)`.
    public static func IsDigit(_ s: String?, _ index: some BinaryInteger) throws -> Bool { IsDigit(try char(s, index)) }

    /// The corresponding .NET member is `Char.IsLetter(String, Int32)`.
    public static func IsLetter(_ s: String?, _ index: some BinaryInteger) throws -> Bool { IsLetter(try char(s, index)) }

    /// The corresponding .NET member is `Char.IsLetterOrDigit(String, Int32)`.
    public static func IsLetterOrDigit(_ s: String?, _ index: some BinaryInteger) throws -> Bool {
        IsLetterOrDigit(try char(s, index))
    }

    /// The corresponding .NET member is `Char.IsWhiteSpace(String, Int32)`.
    public static func IsWhiteSpace(_ s: String?, _ index: some BinaryInteger) throws -> Bool {
        IsWhiteSpace(try char(s, index))
    }

    /// The corresponding .NET member is `Char.IsUpper(String, Int32)`.
    public static func IsUpper(_ s: String?, _ index: some BinaryInteger) throws -> Bool { IsUpper(try char(s, index)) }

    /// The corresponding .NET member is `Char.IsLower(String, Int32)`.
    public static func IsLower(_ s: String?, _ index: some BinaryInteger) throws -> Bool { IsLower(try char(s, index)) }

    /// The corresponding .NET member is `Char.IsPunctuation(String, Int32)`.
    public static func IsPunctuation(_ s: String?, _ index: some BinaryInteger) throws -> Bool {
        IsPunctuation(try char(s, index))
    }
}
