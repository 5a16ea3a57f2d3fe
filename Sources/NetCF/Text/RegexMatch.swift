// The results of a `Regex`: `Group`, `Match` (a group: the whole match), `GroupCollection`, `MatchCollection`.

/// One capturing group of a match: its text and where it is.
///
/// The corresponding .NET type is `System.Text.RegularExpressions.Group`.
public class Group: @unchecked Sendable {
    // Immutable after init.
    /// The text searched.
    let input: String
    /// The UTF-16 range of the captured text; nil when the group took no part in the match.
    let range: Range<Int>?

    init(_ input: String, _ range: Range<Int>?) {
        self.input = input
        self.range = range
    }

    /// Whether the group took part in the match.
    ///
    /// The corresponding .NET member is `Group.Success`.
    public var Success: Bool { range != nil }

    /// The captured text; "" when the group did not match.
    ///
    /// The corresponding .NET member is `Capture.Value`.
    public var Value: String {
        guard let range else { return "" }
        let units = input.utf16
        let start = units.index(units.startIndex, offsetBy: range.lowerBound)
        let end = units.index(start, offsetBy: range.count)
        return String(decoding: units[start..<end], as: UTF16.self)
    }

    /// Where the captured text starts, in UTF-16 code units; 0 when the group did not match.
    ///
    /// The corresponding .NET member is `Capture.Index`.
    public var Index: int { int(range?.lowerBound ?? 0) }

    /// The captured text's length in UTF-16 code units; 0 when the group did not match.
    ///
    /// The corresponding .NET member is `Capture.Length`.
    public var Length: int { int(range?.count ?? 0) }

    /// The corresponding .NET member is `Capture.ToString()` (the captured text).
    public func ToString() -> String { Value }
}

/// One match of a `Regex`: the whole match (a `Group`), its `Groups`, and `NextMatch()`.
///
/// A search that finds nothing gives a `Match` whose `Success` is false (`Value` "", `Index` and `Length` 0).
///
/// The corresponding .NET type is `System.Text.RegularExpressions.Match`.
public final class Match: Group, @unchecked Sendable {
    // Immutable after init.
    private let list: MatchList?
    private let position: Int
    private let groups: GroupCollection

    /// The match numbered `position` in `list`.
    init(_ list: MatchList, _ position: Int, _ match: SwiftRegex.Match) {
        self.list = list
        self.position = position
        let input = list.input
        func units(_ range: Range<String.Index>) -> Range<Int> {
            let start = input.utf16.distance(from: input.startIndex, to: range.lowerBound)
            return start..<(start + input.utf16.distance(from: range.lowerBound, to: range.upperBound))
        }
        // .NET numbers the unnamed groups first, then the named ones, each in order of appearance.
        var unnamed: [Group] = []
        var named: [(String, Group)] = []
        for index in match.output.indices.dropFirst() {
            let capture = match.output[index]
            let group = Group(input, capture.range.map(units))
            if let name = capture.name { named.append((name, group)) } else { unnamed.append(group) }
        }
        let whole = Group(input, units(match.range))
        self.groups = GroupCollection([whole] + unnamed + named.map(\.1), named)
        super.init(input, whole.range)
    }

    /// An unsuccessful match of `input`.
    init(failing input: String) {
        self.list = nil
        self.position = 0
        let whole = Group(input, nil)
        self.groups = GroupCollection([whole], [])
        super.init(input, nil)
    }

    /// The corresponding .NET member is `Match.Empty`: an unsuccessful match of "".
    public static var Empty: Match { Match(failing: "") }

    /// `Groups[0]` is the whole match, `Groups[1]`… the numbered groups, `Groups["name"]` a named one.
    ///
    /// The corresponding .NET member is `Match.Groups`.
    public var Groups: GroupCollection { groups }

    /// The next match in the same input, or an unsuccessful one after the last.
    ///
    /// The corresponding .NET member is `Match.NextMatch()`.
    public func NextMatch() throws -> Match {
        guard let list else { return Match(failing: input) }
        return try list.match(at: position + 1)
    }
}

/// The groups of one match, by number or by name. A number or name the pattern does not have gives an
/// unsuccessful group, as in .NET.
///
/// The corresponding .NET type is `System.Text.RegularExpressions.GroupCollection`.
public struct GroupCollection: Sequence, @unchecked Sendable {
    private let groups: [Group]
    private let names: [(String, Group)]

    init(_ groups: [Group], _ names: [(String, Group)]) {
        self.groups = groups
        self.names = names
    }

    /// The corresponding .NET member is `GroupCollection.Count`.
    public var Count: int { int(groups.count) }

    /// The corresponding .NET member is `GroupCollection[Int32]`.
    public subscript(_ groupnum: some BinaryInteger) -> Group {
        guard let index = Int(exactly: groupnum), groups.indices.contains(index) else {
            return Group(groups[0].input, nil)
        }
        return groups[index]
    }

    /// The corresponding .NET member is `GroupCollection[String]`.
    public subscript(_ groupname: String) -> Group {
        // A duplicated name is one group in .NET: the last capture that took part wins.
        if let found = names.last(where: { $0.0 == groupname && $0.1.Success }) ?? names.first(where: { $0.0 == groupname }) {
            return found.1
        }
        if let number = Int(groupname) { return self[number] }
        return Group(groups[0].input, nil)
    }

    /// Whether the pattern has a group named `name`.
    func has(_ name: String) -> Bool { names.contains { $0.0 == name } }

    public func makeIterator() -> IndexingIterator<[Group]> { groups.makeIterator() }
}

/// Every match of a `Regex` in one input, for `foreach` (`for m in matches`), `Count` and the indexer.
///
/// The corresponding .NET type is `System.Text.RegularExpressions.MatchCollection`.
public struct MatchCollection: Sequence, @unchecked Sendable {
    private let matches: [Match]

    init(_ list: MatchList) throws {
        matches = try list.all()
    }

    /// The corresponding .NET member is `MatchCollection.Count`.
    public var Count: int { int(matches.count) }

    /// - Throws: `ArgumentOutOfRangeException` outside `0..<Count`.
    ///
    /// The corresponding .NET member is `MatchCollection[Int32]`.
    public subscript(_ i: some BinaryInteger) -> Match {
        get throws {
            guard let index = Int(exactly: i), matches.indices.contains(index) else {
                throw ArgumentOutOfRangeException("i", "Index was out of range. Must be non-negative and less than the size of the collection.")
            }
            return matches[index]
        }
    }

    public func makeIterator() -> IndexingIterator<[Match]> { matches.makeIterator() }
}

/// The matches of one regex in one input, found once and shared by the `Match` objects (`NextMatch`).
final class MatchList: @unchecked Sendable {
    let regex: Regex
    let input: String
    // Filled by `all()` under the lock.
    private let found = Locked<[Match]?>(nil)

    init(_ regex: Regex, _ input: String) {
        self.regex = regex
        self.input = input
    }

    /// Match number `position`, or an unsuccessful match past the last.
    func match(at position: Int) throws -> Match {
        if position == 0 {
            // The first match alone needs no search of the whole input.
            guard let first = try firstSwiftMatch() else { return Match(failing: input) }
            return Match(self, 0, first)
        }
        let all = try all()
        return position < all.count ? all[position] : Match(failing: input)
    }

    func all() throws -> [Match] {
        if let matches = found.withLock({ $0 }) { return matches }
        // `matches(of:)` cannot report an error, so a construct that fails when run is caught here first.
        guard try firstSwiftMatch() != nil else {
            found.withLock { $0 = [] }
            return []
        }
        var matches: [Match] = []
        for (position, match) in input.matches(of: regex.compiled).enumerated() {
            matches.append(Match(self, position, match))
        }
        found.withLock { $0 = matches }
        return matches
    }

    private func firstSwiftMatch() throws -> SwiftRegex.Match? {
        do {
            return try regex.compiled.firstMatch(in: input)
        } catch {
            throw NotSupportedException("The pattern \"\(regex.ToString())\" uses a construct Swift's Regex cannot run: \(error)")
        }
    }
}
