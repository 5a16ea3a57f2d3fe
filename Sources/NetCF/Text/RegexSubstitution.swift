/// A `Regex.Replace` replacement pattern, parsed once: literal text and .NET's `$` substitutions.
///
/// `$n` (all the digits that follow), `${n}`, `${name}`, `$0`, `$&`, `$` and a backquote, `$'`, `$+`, `$_`, `$$`; a `$`
/// reference to a group the match does not have, and a `$` followed by anything else, stay literal, as in .NET.
struct Substitution {
    private enum Piece {
        case literal(String)
        case number(Int, written: String)
        case name(String, written: String)
        case whole, before, after, lastGroup, input
    }

    private let pieces: [Piece]

    init(_ replacement: String) {
        let scalars = Array(replacement.unicodeScalars)
        var pieces: [Piece] = []
        var literal = String.UnicodeScalarView()
        func flush() {
            if !literal.isEmpty { pieces.append(.literal(String(literal))) }
            literal = String.UnicodeScalarView()
        }
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            guard c == "$", i + 1 < scalars.count else {
                literal.append(c)
                i += 1
                continue
            }
            let next = scalars[i + 1]
            var special: Piece?
            var consumed = 2
            switch next {
            case "$": literal.append("$")
            case "&": special = .whole
            case "`": special = .before
            case "'": special = .after
            case "+": special = .lastGroup
            case "_": special = .input
            case "0"..."9":
                var j = i + 1
                var digits = ""
                while j < scalars.count, ("0"..."9").contains(scalars[j]) {
                    digits.unicodeScalars.append(scalars[j])
                    j += 1
                }
                special = .number(Int(digits) ?? -1, written: "$" + digits)
                consumed = j - i
            case "{":
                if let close = scalars[(i + 2)...].firstIndex(of: "}"), close > i + 2 {
                    var name = String.UnicodeScalarView()
                    name.append(contentsOf: scalars[(i + 2)..<close])
                    let text = String(name)
                    let written = "${" + text + "}"
                    special = Int(text).map { .number($0, written: written) } ?? .name(text, written: written)
                    consumed = close - i + 1
                } else {
                    literal.append("$")
                    consumed = 1
                }
            default:
                literal.append("$")
                consumed = 1
            }
            if let special {
                flush()
                pieces.append(special)
            }
            i += consumed
        }
        flush()
        self.pieces = pieces
    }

    /// The replacement text for `match`.
    func apply(to match: Match) -> String {
        var result = ""
        let input = match.input
        let units = input.utf16
        for piece in pieces {
            switch piece {
            case .literal(let text): result += text
            case .whole: result += match.Value
            case .before:
                result += String(decoding: units.prefix(Int(match.Index)), as: UTF16.self)
            case .after:
                result += String(decoding: units.dropFirst(Int(match.Index + match.Length)), as: UTF16.self)
            case .input: result += input
            case .lastGroup:
                let groups = match.Groups
                result += groups[groups.Count - 1].Value
            case .number(let number, let written):
                result += number < Int(match.Groups.Count) ? match.Groups[number].Value : written
            case .name(let name, let written):
                result += match.Groups.has(name) ? match.Groups[name].Value : written
            }
        }
        return result
    }
}
