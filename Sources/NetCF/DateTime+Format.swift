// DateTime.ToString(format): .NET's custom format specifiers and the standard formats that are fixed
// patterns, in the two cultures NetCF has (en-US, the current culture, and the invariant culture). Both use
// English names, "AM"/"PM", ":" between time parts and "/" between date parts, so custom formats give the
// same text in either; the standard formats "d", "t", "g"... differ as .NET's do.

extension DateTime {
    /// The date in `format`, in the current culture (en-US).
    ///
    /// Custom specifiers: `yyyy` `yy` `y` (and more `y`s: zero-padded), `MMMM` `MMM` `MM` `M`, `dddd` `ddd` `dd`
    /// `d`, `HH` `H`, `hh` `h`, `mm` `m`, `ss` `s`, `f`…`fffffff` (fraction digits, truncated), `F`…`FFFFFFF` (the
    /// same without trailing zeros), `tt` `t` (AM/PM), `z` `zz` `zzz` (the local offset; `+00:00` for a `Utc`
    /// value), `K` (`Z`, the local offset or nothing, by `Kind`), `g` (`A.D.`), `:` and `/` (the separators),
    /// `'text'` or `"text"` (literal), `\c` (the character `c`), `%c` (one custom specifier alone); any other
    /// character is copied.
    ///
    /// Standard formats (a format of one character): `d`, `D`, `t`, `T`, `f`, `F`, `g`, `G` (the culture's
    /// patterns), `s` (`2009-09-14T16:44:33`), `u` (`2009-09-14 16:44:33Z`, not converted, as in .NET), `o`/`O`
    /// (round trip, `2009-09-14T16:44:33.0000000` plus `K`), `r`/`R` (`Mon, 14 Sep 2009 16:44:33 GMT`, not
    /// converted). `M`, `m`, `Y`, `y` and `U` throw `NotSupportedException`; any other single character, an
    /// unterminated quote, a trailing `\` or `%`, or more than seven `f`s throws `FormatException`. An empty
    /// format is `G`, as `ToString()`.
    ///
    /// The corresponding .NET member is `DateTime.ToString(String)`.
    public func ToString(_ format: String) throws -> String {
        try ToString(format, CultureInfo.CurrentCulture)
    }

    /// The date in `format` in `provider`'s culture; see ``ToString(_:)-(String)``.
    ///
    /// The corresponding .NET member is `DateTime.ToString(String, IFormatProvider)`.
    public func ToString(_ format: String, _ provider: CultureInfo) throws -> String {
        let characters = Array(format)
        guard characters.count == 1 else {
            return try formatCustom(characters.isEmpty ? Array(Self.standardPattern("G", provider.style)!) : characters)
        }
        let letter = characters[0]
        if "MmYyU".contains(letter) {
            throw NotSupportedException("The standard DateTime format \"\(letter)\" is not supported here.")
        }
        guard let pattern = Self.standardPattern(letter, provider.style) else {
            throw FormatException("Input string was not in a correct format.")
        }
        return try formatCustom(Array(pattern))
    }

    private static func standardPattern(_ letter: Character, _ style: CultureInfo.Style) -> String? {
        let us = style == .unitedStates
        let shortDate = us ? "M/d/yyyy" : "MM/dd/yyyy"
        let longDate = us ? "dddd, MMMM d, yyyy" : "dddd, dd MMMM yyyy"
        let shortTime = us ? "h:mm tt" : "HH:mm"
        let longTime = us ? "h:mm:ss tt" : "HH:mm:ss"
        return switch letter {
        case "d": shortDate
        case "D": longDate
        case "t": shortTime
        case "T": longTime
        case "f": longDate + " " + shortTime
        case "F": longDate + " " + longTime
        case "g": shortDate + " " + shortTime
        case "G": shortDate + " " + longTime
        case "s": "yyyy'-'MM'-'dd'T'HH':'mm':'ss"
        case "u": "yyyy'-'MM'-'dd HH':'mm':'ss'Z'"
        case "o", "O": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK"
        case "r", "R": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'"
        default: nil
        }
    }

    private static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                                     "September", "October", "November", "December"]

    private func formatCustom(_ format: [Character]) throws -> String {
        var result = ""
        var i = 0
        while i < format.count {
            let ch = format[i]
            var count = 1
            while i + count < format.count && format[i + count] == ch { count += 1 }
            switch ch {
            case "y":
                let year = Int(Year)
                result += count <= 2 ? Self.digits(year % 100, count) : Self.digits(year, count)
            case "M":
                let month = Int(Month)
                result += count <= 2 ? Self.digits(month, count) : Self.name(Self.monthNames[month - 1], count)
            case "d":
                result += count <= 2 ? Self.digits(Int(Day), count) : Self.name(Self.dayNames[DayOfWeek.rawValue], count)
            case "H":
                result += Self.digits(Int(Hour), min(count, 2))
            case "h":
                result += Self.digits(Int(Hour) % 12 == 0 ? 12 : Int(Hour) % 12, min(count, 2))
            case "m":
                result += Self.digits(Int(Minute), min(count, 2))
            case "s":
                result += Self.digits(Int(Second), min(count, 2))
            case "f", "F":
                guard count <= 7 else { throw FormatException("Input string was not in a correct format.") }
                var fraction = Self.digits(Int(Ticks % Self.ticksPerSecond), 7).prefix(count)
                if ch == "F" {
                    while fraction.last == "0" { fraction.removeLast() }
                    // .NET drops a "." the empty fraction would have followed.
                    if fraction.isEmpty && result.last == "." { result.removeLast() }
                }
                result += fraction
            case "t":
                let designator = Hour < 12 ? "AM" : "PM"
                result += count == 1 ? String(designator.prefix(1)) : designator
            case "z":
                result += Self.offsetText(utcOffsetMinutes, hoursOnly: count < 3, padded: count >= 2)
            case "K":
                switch Kind {
                case .Utc: result += "Z"
                case .Local: result += Self.offsetText(utcOffsetMinutes, hoursOnly: false, padded: true)
                case .Unspecified: break
                }
                count = 1
            case "g":
                result += "A.D."
            case ":", "/":
                result.append(ch)
                count = 1
            case "'", "\"":
                var j = i + 1
                while j < format.count && format[j] != ch {
                    if format[j] == "\\" && j + 1 < format.count { j += 1 }
                    result.append(format[j])
                    j += 1
                }
                guard j < format.count else {
                    throw FormatException("Cannot find a matching quote character for the character '\(ch)'.")
                }
                count = j - i + 1
            case "%":
                guard i + 1 < format.count, format[i + 1] != "%" else {
                    throw FormatException("Input string was not in a correct format.")
                }
                count = 1
            case "\\":
                guard i + 1 < format.count else { throw FormatException("Input string was not in a correct format.") }
                result.append(format[i + 1])
                count = 2
            default:
                result.append(ch)
                count = 1
            }
            i += count
        }
        return result
    }

    /// Minutes east of UTC: 0 for a `Utc` value, the process time zone's offset at this wall-clock time otherwise.
    private var utcOffsetMinutes: Int {
        Kind == .Utc ? 0 : Int((Ticks - Self.utcTicks(fromLocal: Ticks)) / Self.ticksPerMinute)
    }

    private static func offsetText(_ minutes: Int, hoursOnly: Bool, padded: Bool) -> String {
        let sign = minutes < 0 ? "-" : "+"
        let hours = abs(minutes) / 60
        if hoursOnly { return sign + digits(hours, padded ? 2 : 1) }
        return sign + digits(hours, 2) + ":" + digits(abs(minutes) % 60, 2)
    }

    private static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static func name(_ full: String, _ count: Int) -> String {
        count == 3 ? String(full.prefix(3)) : full
    }
}
