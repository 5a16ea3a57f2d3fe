/// A key and its value, what `foreach` over a `Dictionary` gives.
///
/// The corresponding .NET type is `System.Collections.Generic.KeyValuePair<TKey, TValue>`.
public struct KeyValuePair<TKey, TValue> {
    /// The corresponding .NET member is `KeyValuePair<TKey, TValue>.Key`.
    public let Key: TKey
    /// The corresponding .NET member is `KeyValuePair<TKey, TValue>.Value`.
    public let Value: TValue

    /// The corresponding .NET member is `KeyValuePair<TKey, TValue>(TKey, TValue)`.
    public init(_ key: TKey, _ value: TValue) {
        Key = key
        Value = value
    }
}

/// A map from keys to values, a reference type as in .NET.
///
/// With `import NetCF`, `Dictionary` is this class (it shadows Swift's; `[K: V]` is still Swift's):
///
/// ```swift
/// // Dictionary<string, int> ids = new Dictionary<string, int>();
/// let ids = Dictionary<string, int>()
/// // ids.Add("a", 1); ids["b"] = 2; int a = ids["a"];
/// try ids.Add("a", 1); ids["b"] = 2; let a = try ids["a"]
/// // int n; if (ids.TryGetValue("c", out n)) ...
/// var n = int(); if ids.TryGetValue("c", &n) { ... }
/// // foreach (KeyValuePair<string, int> pair in ids) Console.WriteLine(pair.Key + pair.Value);
/// for pair in ids { print(pair.Key, pair.Value) }
/// ```
///
/// Reading with the indexer throws `KeyNotFoundException` for a missing key (`try`); assigning adds or
/// replaces. `d[k] += 1` does not compile (a Swift subscript cannot both throw and be assigned): write
/// `d[k] = try d[k] + 1`. Assigning `nil` stops the program unless the value type is optional
/// (`Dictionary<string, Socket?>`), the only way to store a C# `null` value.
///
/// `foreach`, `Keys` and `Values` give the entries in the order they were added (.NET's order is the same
/// until something is removed, and not documented). Like .NET's, a dictionary is not safe for use by several
/// threads at once: guard it with `lock`.
///
/// The corresponding .NET type is `System.Collections.Generic.Dictionary<TKey, TValue>`.
public final class Dictionary<TKey: Hashable, TValue>: Sequence {
    fileprivate var keys: [TKey] = []
    fileprivate var values: Swift.Dictionary<TKey, TValue> = [:]

    /// The corresponding .NET member is `Dictionary<TKey, TValue>()`.
    public init() {}

    /// The capacity is only a hint, as in .NET; a negative one is refused.
    ///
    /// The corresponding .NET member is `Dictionary<TKey, TValue>(int)`.
    public init(_ capacity: some BinaryInteger) throws {
        let capacity = try CSharpInteger.int(capacity, "capacity")
        guard capacity >= 0 else { throw ArgumentOutOfRangeException("capacity", capacity, "Non-negative number required.") }
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    /// A copy of `dictionary`'s entries.
    ///
    /// The corresponding .NET member is `Dictionary<TKey, TValue>(IDictionary<TKey, TValue>)`.
    public init(_ dictionary: Dictionary) {
        keys = dictionary.keys
        values = dictionary.values
    }

    /// The corresponding .NET member is `Dictionary<TKey, TValue>.Count`.
    public var Count: int { int(keys.count) }

    /// Adds an entry; throws `ArgumentException` when the key is already present.
    ///
    /// The corresponding .NET member is `Dictionary<TKey, TValue>.Add(TKey, TValue)`.
    public func Add(_ key: TKey, _ value: TValue) throws {
        guard values[key] == nil else {
            throw ArgumentException("An item with the same key has already been added.")
        }
        keys.append(key)
        values[key] = value
    }

    /// The value for `key`; throws `KeyNotFoundException` when it is missing.
    ///
    /// The corresponding .NET member is `Dictionary<TKey, TValue>[TKey]` (get).
    public subscript(key: TKey) -> TValue {
        get throws {
            guard let value = values[key] else { throw KeyNotFoundException() }
            return value
        }
    }

    /// Assigning: `d[key] = value` adds the entry or replaces its value (see the type for `nil`).
    ///
    /// The corresponding .NET member is `Dictionary<TKey, TValue>[TKey]` (set).
    @_disfavoredOverload
    public subscript(key: TKey) -> TValue? {
        get { values[key] }
        set {
            guard let value = newValue ?? NullValue.of(TValue.self) else {
                preconditionFailure("Dictionary: cannot store nil for key \(key); declare the value type optional to store a C# null")
            }
            if values.updateValue(value, forKey: key) == nil { keys.append(key) }
        }
    }

    /// Sets `value` to the value for `key` and returns true, or returns false (and sets it to nil) when missing.
    ///
    /// The corresponding .NET member is `Dictionary<TKey, TValue>.TryGetValue(TKey, out TValue)`.
    public func TryGetValue(_ key: TKey, _ value: inout TValue?) -> Bool {
        value = values[key]
        return value != nil
    }

    /// Sets `value` to the value for `key` and returns true, or returns false and leaves `value` as it was
    /// (.NET sets `default(TValue)`; a value declared `var n = int()` already holds it).
    ///
    /// The corresponding .NET member is `Dictionary<TKey, TValue>.TryGetValue(TKey, out TValue)`.
    public func TryGetValue(_ key: TKey, _ value: inout TValue) -> Bool {
        guard let found = values[key] else { return false }
        value = found
        return true
    }

    /// The corresponding .NET member is `Dictionary<TKey, TValue>.ContainsKey(TKey)`.
    public func ContainsKey(_ key: TKey) -> Bool {
        values[key] != nil
    }

    /// Removes the entry for `key`; false when there is none.
    ///
    /// The corresponding .NET member is `Dictionary<TKey, TValue>.Remove(TKey)`.
    @discardableResult
    public func Remove(_ key: TKey) -> Bool {
        guard values.removeValue(forKey: key) != nil else { return false }
        keys.removeAll { $0 == key }
        return true
    }

    /// The corresponding .NET member is `Dictionary<TKey, TValue>.Clear()`.
    public func Clear() {
        keys.removeAll()
        values.removeAll()
    }

    /// The keys, in the order the entries were added: a snapshot (`Keys.Count`, `foreach`, `ToArray()`).
    ///
    /// The corresponding .NET member is `Dictionary<TKey, TValue>.Keys`.
    public var Keys: List<TKey> { List(keys) }

    /// The values, in the order the entries were added: a snapshot.
    ///
    /// The corresponding .NET member is `Dictionary<TKey, TValue>.Values`.
    public var Values: List<TValue> { List(keys.map { values[$0]! }) }

    /// The object to `lock` for a sequence of calls that must not interleave with other threads' calls (the
    /// collection itself).
    ///
    /// The corresponding .NET member is `ICollection.SyncRoot`.
    public var SyncRoot: AnyObject { self }

    /// Iterates over a snapshot of the entries taken when iteration starts (C#'s `foreach`).
    public func makeIterator() -> IndexingIterator<[KeyValuePair<TKey, TValue>]> {
        keys.map { KeyValuePair($0, values[$0]!) }.makeIterator()
    }
}

extension Dictionary: ICollection {
    /// An enumerator over a snapshot of the entries; `Current` is a `KeyValuePair<TKey, TValue>`, as .NET's.
    ///
    /// The corresponding .NET member is `Dictionary<TKey, TValue>.GetEnumerator()` (as `IEnumerable`).
    public func GetEnumerator() -> IEnumerator {
        SnapshotEnumerator(keys.map { KeyValuePair($0, values[$0]!) as Any? })
    }
}

extension Dictionary where TValue: Equatable {
    /// The corresponding .NET member is `Dictionary<TKey, TValue>.ContainsValue(TValue)`.
    public func ContainsValue(_ value: TValue) -> Bool {
        values.values.contains(value)
    }
}
