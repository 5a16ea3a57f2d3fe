/// A key and its value, what `foreach` over a `Hashtable` gives.
///
/// The corresponding .NET type is `System.Collections.DictionaryEntry`.
public struct DictionaryEntry {
    /// The corresponding .NET member is `DictionaryEntry.Key`.
    public let Key: Any
    /// The corresponding .NET member is `DictionaryEntry.Value`.
    public let Value: Any?

    /// The corresponding .NET member is `DictionaryEntry(object, object)`.
    public init(_ key: Any, _ value: Any?) {
        Key = key
        Value = value
    }
}

/// The non-generic map from objects to objects, a reference type as in .NET.
///
/// ```swift
/// // Hashtable sessions = new Hashtable();
/// let sessions = Hashtable()
/// // sessions["host"] = s; Socket t = (Socket)sessions["host"];
/// sessions["host"] = s; let t = sessions["host"] as! Socket
/// // if (sessions["other"] == null) ...
/// if sessions["other"] == nil { ... }
/// ```
///
/// Unlike `Dictionary`, the indexer returns `nil` for a missing key (no `try`), as .NET's does. A key is any
/// `Hashable` value (strings, numbers, the package's enums); two keys are the same when they are equal values
/// of one type. Assigning `nil` stores a null value for the key, as C# does (`ContainsKey` is then true).
/// `foreach`, `Keys` and `Values` give the entries in the order they were added (.NET's order is unspecified).
///
/// The corresponding .NET type is `System.Collections.Hashtable`.
public final class Hashtable: Sequence {
    private var keys: [AnyHashable] = []
    private var values: [AnyHashable: Any?] = [:]

    /// The corresponding .NET member is `Hashtable()`.
    public init() {}

    /// The capacity is only a hint, as in .NET; a negative one is refused.
    ///
    /// The corresponding .NET member is `Hashtable(int)`.
    public init(_ capacity: some BinaryInteger) throws {
        let capacity = try CSharpInteger.int(capacity, "capacity")
        guard capacity >= 0 else { throw ArgumentOutOfRangeException("capacity", capacity, "Non-negative number required.") }
        keys.reserveCapacity(capacity)
    }

    /// The corresponding .NET member is `Hashtable.Count`.
    public var Count: int { int(keys.count) }

    /// The value for `key`, or nil when it is missing (or stored as null).
    ///
    /// The corresponding .NET member is `Hashtable[object]`.
    public subscript(key: AnyHashable) -> Any? {
        get { values[key] ?? nil }
        set {
            if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
        }
    }

    /// Adds an entry; throws `ArgumentException` when the key is already present.
    ///
    /// The corresponding .NET member is `Hashtable.Add(object, object)`.
    public func Add(_ key: AnyHashable, _ value: Any?) throws {
        guard values.index(forKey: key) == nil else {
            throw ArgumentException("Item has already been added. Key in dictionary: '\(key.base)'  Key being added: '\(key.base)'")
        }
        keys.append(key)
        values[key] = .some(value)
    }

    /// The corresponding .NET member is `Hashtable.ContainsKey(object)`.
    public func ContainsKey(_ key: AnyHashable) -> Bool {
        values.index(forKey: key) != nil
    }

    /// The same as `ContainsKey`.
    ///
    /// The corresponding .NET member is `Hashtable.Contains(object)`.
    public func Contains(_ key: AnyHashable) -> Bool {
        ContainsKey(key)
    }

    /// True when some entry's value equals `value` (equal values of one type, the same object, or both null).
    ///
    /// The corresponding .NET member is `Hashtable.ContainsValue(object)`.
    public func ContainsValue(_ value: Any?) -> Bool {
        values.values.contains { stored in
            switch (stored, value) {
            case (nil, nil): true
            case (let stored?, let value?): objectEquals(stored, value)
            default: false
            }
        }
    }

    /// Removes the entry for `key`; nothing when there is none.
    ///
    /// The corresponding .NET member is `Hashtable.Remove(object)`.
    public func Remove(_ key: AnyHashable) {
        guard values.removeValue(forKey: key) != nil else { return }
        keys.removeAll { $0 == key }
    }

    /// The corresponding .NET member is `Hashtable.Clear()`.
    public func Clear() {
        keys.removeAll()
        values.removeAll()
    }

    /// The keys in the order they were added: a snapshot.
    ///
    /// The corresponding .NET member is `Hashtable.Keys`.
    public var Keys: ArrayList { ArrayList(keys.map(\.base)) }

    /// The values in the order their keys were added: a snapshot (a null value is `nil` in it).
    ///
    /// The corresponding .NET member is `Hashtable.Values`.
    public var Values: ArrayList { ArrayList(keys.map { values[$0]! as Any }) }

    /// Iterates over a snapshot of the entries taken when iteration starts (C#'s `foreach`).
    public func makeIterator() -> IndexingIterator<[DictionaryEntry]> {
        keys.map { DictionaryEntry($0.base, values[$0] ?? nil) }.makeIterator()
    }
}
