// .NET's regular expressions over the Swift standard library's `Regex` (no dependency beyond the toolchain).
//
// The class is named `Regex`, as in .NET, so in a program that imports NetCF the name means this class (the
// standard library's stays reachable as `_StringProcessing.Regex`).

/// The standard library's regular expression, named apart from this package's `Regex`.
typealias SwiftRegex = _StringProcessing.Regex<AnyRegexOutput>

/// A compiled regular expression with .NET's members.
///
/// .NET and Swift regular-expression syntax agree on the constructs CE code uses: character classes, `\d \w
/// \s`, greedy and lazy quantifiers, `^ $ \A \z \b`, alternation, numbered and named groups (`(?<name>…)`),
/// inline options (`(?i)`), lookahead. A pattern Swift cannot parse throws `ArgumentException` carrying Swift's
/// parse error.
///
/// Behaviour kept as in .NET, where Swift's default differs (the pattern is adjusted before Swift compiles it):
/// - matching is per Unicode scalar, so `"\r\n"` is two characters as in .NET (Swift's default is grapheme
///   clusters, where it is one);
/// - `.` matches anything but `\n` (Swift's also refuses `\r`) unless `Singleline`;
/// - `$` matches at the end or before a final `\n` (with `Multiline`: before any `\n`), as in .NET;
/// - group numbers: unnamed groups first, then named ones, each in order of appearance, as .NET numbers them;
/// - `Index` and `Length` count UTF-16 code units, like every .NET string offset.
///
/// Differences (documented in MIGRATION.md 7.2): with `Multiline`, `^` also matches after `\r` and other
/// Unicode line ends; `\d`, `\w`, `\s` and case folding follow Swift's Unicode tables; constructs Swift lacks
/// (lookbehind on older toolchains, balancing groups, `RegexOptions.RightToLeft`) are refused.
///
/// The corresponding .NET type is `System.Text.RegularExpressions.Regex`.
public final class Regex: @unchecked Sendable {
    // Immutable after init; SwiftRegex is a value whose matching methods do not mutate it.
    private let pattern: String
    let compiled: SwiftRegex

    /// The corresponding .NET member is `Regex.Options`.
    public let Options: RegexOptions

    /// The corresponding .NET member is `Regex(String)`.
    public convenience init(_ pattern: String?) throws {
        try self.init(pattern, RegexOptions.None)
    }

    /// - Throws: `ArgumentNullException` for a `nil` pattern, `ArgumentException` for one Swift cannot parse,
    ///   `NotSupportedException` for options other than `IgnoreCase`, `Multiline`, `Singleline`, `Compiled`,
    ///   `CultureInvariant`.
    ///
    /// The corresponding .NET member is `Regex(String, RegexOptions)`.
    public init(_ pattern: String?, _ options: RegexOptions) throws {
        guard let pattern else { throw ArgumentNullException("pattern") }
        let refused = options.subtracting(RegexOptions.supported)
        if !refused.isEmpty {
            throw NotSupportedException(
                "RegexOptions." + refused.names.joined(separator: ", RegexOptions.")
                    + " is not supported here; IgnoreCase, Multiline, Singleline, Compiled and CultureInvariant are.")
        }
        var regex: SwiftRegex
        do {
            regex = try SwiftRegex(Self.adjusted(pattern, options))
        } catch {
            throw ArgumentException("parsing \"\(pattern)\" - \(error)", "pattern")
        }
        regex = regex.matchingSemantics(.unicodeScalar)
        if options.contains(.IgnoreCase) { regex = regex.ignoresCase() }
        if options.contains(.Multiline) { regex = regex.anchorsMatchLineEndings() }
        if options.contains(.Singleline) { regex = regex.dotMatchesNewlines() }
        self.pattern = pattern
        self.Options = options
        self.compiled = regex
    }

    // MARK: Instance members

    /// The first match in `input`, or an unsuccessful `Match` (`Success` false).
    ///
    /// The corresponding .NET member is `Regex.Match(String)`.
    public func Match(_ input: String?) throws -> Match {
        let input = try Self.required(input)
        return try MatchList(self, input).match(at: 0)
    }

    /// The corresponding .NET member is `Regex.IsMatch(String)`.
    public func IsMatch(_ input: String?) throws -> Bool {
        try Match(input).Success
    }

    /// Every non-overlapping match, left to right.
    ///
    /// The corresponding .NET member is `Regex.Matches(String)`.
    public func Matches(_ input: String?) throws -> MatchCollection {
        let input = try Self.required(input)
        return try MatchCollection(MatchList(self, input))
    }

    /// Replaces every match with `replacement`, in which `$1`, `${name}`, `$0`/`$&` (the match), `$` and a backquote
    /// (the text before it), `$'` (after it), `$+` (the last group), `$_` (the input) and `$$` (a `$`) are
    /// substituted as in .NET; a `$` reference to a group that does not exist stays as written.
    ///
    /// The corresponding .NET member is `Regex.Replace(String, String)`.
    public func Replace(_ input: String?, _ replacement: String?) throws -> String {
        guard let replacement else { throw ArgumentNullException("replacement") }
        let substitution = Substitution(replacement)
        return try Replace(input) { match in substitution.apply(to: match) }
    }

    /// Replaces every match with what `evaluator` returns for it.
    ///
    /// The corresponding .NET member is `Regex.Replace(String, MatchEvaluator)`.
    public func Replace(_ input: String?, _ evaluator: MatchEvaluator) throws -> String {
        let input = try Self.required(input)
        let units = Array(input.utf16)
        var result: [UInt16] = []
        var last = 0
        for match in try MatchList(self, input).all() {
            result += units[last..<Int(match.Index)]
            result += try evaluator(match).utf16
            last = Int(match.Index + match.Length)
        }
        result += units[last...]
        return String(decoding: result, as: UTF16.self)
    }

    /// The pieces of `input` between matches; the text of each capturing group that took part in a match is
    /// put between the pieces, as in .NET. No match: `[input]`.
    ///
    /// The corresponding .NET member is `Regex.Split(String)`.
    public func Split(_ input: String?) throws -> [String] {
        let input = try Self.required(input)
        let units = Array(input.utf16)
        var pieces: [String] = []
        var last = 0
        for match in try MatchList(self, input).all() {
            pieces.append(String(decoding: units[last..<Int(match.Index)], as: UTF16.self))
            let groups = match.Groups
            if groups.Count > 1 {
                for number in 1..<Int(groups.Count) where groups[number].Success {
                    pieces.append(groups[number].Value)
                }
            }
            last = Int(match.Index + match.Length)
        }
        pieces.append(String(decoding: units[last...], as: UTF16.self))
        return pieces
    }

    /// The pattern.
    ///
    /// The corresponding .NET member is `Regex.ToString()`.
    public func ToString() -> String { pattern }

    // MARK: Static members

    /// The corresponding .NET member is `Regex.Match(String, String)`.
    public static func Match(_ input: String?, _ pattern: String?) throws -> Match {
        try cached(pattern, .None).Match(input)
    }

    /// The corresponding .NET member is `Regex.Match(String, String, RegexOptions)`.
    public static func Match(_ input: String?, _ pattern: String?, _ options: RegexOptions) throws -> Match {
        try cached(pattern, options).Match(input)
    }

    /// The corresponding .NET member is `Regex.IsMatch(String, String)`.
    public static func IsMatch(_ input: String?, _ pattern: String?) throws -> Bool {
        try cached(pattern, .None).IsMatch(input)
    }

    /// The corresponding .NET member is `Regex.IsMatch(String, String, RegexOptions)`.
    public static func IsMatch(_ input: String?, _ pattern: String?, _ options: RegexOptions) throws -> Bool {
        try cached(pattern, options).IsMatch(input)
    }

    /// The corresponding .NET member is `Regex.Matches(String, String)`.
    public static func Matches(_ input: String?, _ pattern: String?) throws -> MatchCollection {
        try cached(pattern, .None).Matches(input)
    }

    /// The corresponding .NET member is `Regex.Matches(String, String, RegexOptions)`.
    public static func Matches(_ input: String?, _ pattern: String?, _ options: RegexOptions) throws -> MatchCollection {
        try cached(pattern, options).Matches(input)
    }

    /// The corresponding .NET member is `Regex.Replace(String, String, String)`.
    public static func Replace(_ input: String?, _ pattern: String?, _ replacement: String?) throws -> String {
        try cached(pattern, .None).Replace(input, replacement)
    }

    /// The corresponding .NET member is `Regex.Replace(String, String, String, RegexOptions)`.
    public static func Replace(
        _ input: String?, _ pattern: String?, _ replacement: String?, _ options: RegexOptions
    ) throws -> String {
        try cached(pattern, options).Replace(input, replacement)
    }

    /// The corresponding .NET member is `Regex.Replace(String, String, MatchEvaluator)`.
    public static func Replace(_ input: String?, _ pattern: String?, _ evaluator: MatchEvaluator) throws -> String {
        try cached(pattern, .None).Replace(input, evaluator)
    }

    /// The corresponding .NET member is `Regex.Split(String, String)`.
    public static func Split(_ input: String?, _ pattern: String?) throws -> [String] {
        try cached(pattern, .None).Split(input)
    }

    /// The corresponding .NET member is `Regex.Split(String, String, RegexOptions)`.
    public static func Split(_ input: String?, _ pattern: String?, _ options: RegexOptions) throws -> [String] {
        try cached(pattern, options).Split(input)
    }

    /// `str` with every regular-expression metacharacter escaped (`\ * + ? | { [ ( ) ^ $ . #` and white space).
    ///
    /// The corresponding .NET member is `Regex.Escape(String)`.
    public static func Escape(_ str: String?) throws -> String {
        guard let str else { throw ArgumentNullException("str") }
        var result = ""
        for scalar in str.unicodeScalars {
            switch scalar {
            case "\\", "*", "+", "?", "|", "{", "[", "(", ")", "^", "$", ".", "#", " ": result += "\\" + String(scalar)
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\u{0C}": result += "\\f"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    // MARK: Helpers

    /// The static methods' compiled regexes, as .NET's `Regex.CacheSize` (15) most recent patterns.
    private static let cache = Locked<[CacheKey: Regex]>([:])
    private static let cacheSize = 15

    private struct CacheKey: Hashable {
        let pattern: String
        let options: Int32
    }

    private static func cached(_ pattern: String?, _ options: RegexOptions) throws -> Regex {
        guard let pattern else { throw ArgumentNullException("pattern") }
        let key = CacheKey(pattern: pattern, options: options.rawValue)
        if let regex = cache.withLock({ $0[key] }) { return regex }
        let regex = try Regex(pattern, options)
        cache.withLock { table in
            if table.count >= cacheSize { table.removeAll() }
            table[key] = regex
        }
        return regex
    }

    private static func required(_ input: String?) throws -> String {
        guard let input else { throw ArgumentNullException("input") }
        return input
    }

    /// The pattern with `.` and `$` given .NET's meaning (see the type's documentation). Escapes and
    /// character classes are copied unchanged; an inline `(?s)` or `(?m)` leaves the construct it governs to
    /// Swift's meaning, since the rewrite cannot follow its scope.
    static func adjusted(_ pattern: String, _ options: RegexOptions) -> String {
        let scalars = Array(pattern.unicodeScalars)
        let inlineFlags = Self.inlineOptionLetters(scalars)
        let rewriteDot = !options.contains(.Singleline) && !inlineFlags.contains("s")
        let rewriteDollar = !inlineFlags.contains("m")
        let multiline = options.contains(.Multiline)
        var out = String.UnicodeScalarView()
        var i = 0
        var inClass = false
        while i < scalars.count {
            let c = scalars[i]
            if c == "\\" {
                out.append(c)
                if i + 1 < scalars.count { out.append(scalars[i + 1]) }
                i += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
                out.append(c)
            } else if c == "[" {
                inClass = true
                out.append(c)
                // A `]` first in the class (after an optional `^`) is a literal one.
                if i + 1 < scalars.count, scalars[i + 1] == "^" {
                    out.append("^")
                    i += 1
                }
                if i + 1 < scalars.count, scalars[i + 1] == "]" {
                    out.append(contentsOf: "\\]".unicodeScalars)
                    i += 1
                }
            } else if c == ".", rewriteDot {
                out.append(contentsOf: "[^\\n]".unicodeScalars)
            } else if c == "$", rewriteDollar {
                out.append(contentsOf: (multiline ? "(?=\\n|\\z)" : "(?=\\n?\\z)").unicodeScalars)
            } else {
                out.append(c)
            }
            i += 1
        }
        return String(out)
    }

    /// The letters of inline option groups such as `(?i)`, `(?s:…)`, `(?im-s)`.
    private static func inlineOptionLetters(_ scalars: [Unicode.Scalar]) -> Set<Character> {
        var letters = Set<Character>()
        var i = 0
        while i + 2 < scalars.count {
            if scalars[i] == "\\" {
                i += 2
                continue
            }
            if scalars[i] == "(", scalars[i + 1] == "?" {
                var j = i + 2
                var found: [Character] = []
                while j < scalars.count, "imnsx-".unicodeScalars.contains(scalars[j]) {
                    found.append(Character(scalars[j]))
                    j += 1
                }
                if j < scalars.count, scalars[j] == ")" || scalars[j] == ":" { letters.formUnion(found) }
            }
            i += 1
        }
        return letters
    }
}

/// The corresponding .NET type is `System.Text.RegularExpressions.MatchEvaluator`: C#'s
/// `Regex.Replace(s, p, delegate (Match m) { … })` or `m => …` is a closure here.
public typealias MatchEvaluator = (Match) throws -> String
