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
/// Unlike `Dictionary`, the indexer returns `nil` for a missing key (no `try`), as .NET's does. A key is a
/// `Hashable` value (strings, numbers, enums), two keys being the same when they are equal values of one
/// type, or any class instance (a `Socket`), compared by identity as .NET's default `Equals` does. Assigning `nil` stores a null value for the key, as C# does (`ContainsKey` is then true).
/// `foreach`, `Keys` and `Values` give the entries in the order they were added (.NET's order is unspecified).
///
/// The corresponding .NET type is `System.Collections.Hashtable`.
public final class Hashtable: Sequence, IDictionary {
    /// Each entry's key as the program gave it, in the order added.
    private var keys: [AnyHashable] = []
    private var originals: [AnyHashable: Any] = [:]
    private var values: [AnyHashable: Any?] = [:]

    /// A class instance that is not `Hashable` is a key by its identity (the table keeps it alive, as .NET's does).
    private static func slot(_ key: AnyObject) -> AnyHashable {
        AnyHashable(ObjectIdentifier(key))
    }

    private func insert(_ slot: AnyHashable, _ original: Any, _ value: Any?) {
        if values.updateValue(value, forKey: slot) == nil {
            keys.append(slot)
            originals[slot] = original
        }
    }

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
        set { insert(key, key.base, newValue) }
    }

    /// The value for the object `key` (by identity), or nil when it is missing.
    ///
    /// The corresponding .NET member is `Hashtable[object]`.
    @_disfavoredOverload
    public subscript(key: AnyObject) -> Any? {
        get { values[Self.slot(key)] ?? nil }
        set { insert(Self.slot(key), key, newValue) }
    }

    /// Adds an entry; throws `ArgumentException` when the key is already present.
    ///
    /// The corresponding .NET member is `Hashtable.Add(object, object)`.
    public func Add(_ key: AnyHashable, _ value: Any?) throws {
        guard values.index(forKey: key) == nil else {
            throw ArgumentException("Item has already been added. Key in dictionary: '\(key.base)'  Key being added: '\(key.base)'")
        }
        insert(key, key.base, value)
    }

    /// Adds an entry for the object `key` (by identity); throws `ArgumentException` when it is already present.
    ///
    /// The corresponding .NET member is `Hashtable.Add(object, object)`.
    @_disfavoredOverload
    public func Add(_ key: AnyObject, _ value: Any?) throws {
        guard values.index(forKey: Self.slot(key)) == nil else {
            throw ArgumentException("Item has already been added. Key in dictionary: '\(key)'  Key being added: '\(key)'")
        }
        insert(Self.slot(key), key, value)
    }

    /// The corresponding .NET member is `Hashtable.ContainsKey(object)`.
    public func ContainsKey(_ key: AnyHashable) -> Bool {
        values.index(forKey: key) != nil
    }

    /// The corresponding .NET member is `Hashtable.ContainsKey(object)`.
    @_disfavoredOverload
    public func ContainsKey(_ key: AnyObject) -> Bool {
        ContainsKey(Self.slot(key))
    }

    /// The same as `ContainsKey`.
    ///
    /// The corresponding .NET member is `Hashtable.Contains(object)`.
    public func Contains(_ key: AnyHashable) -> Bool {
        ContainsKey(key)
    }

    /// The same as `ContainsKey`.
    ///
    /// The corresponding .NET member is `Hashtable.Contains(object)`.
    @_disfavoredOverload
    public func Contains(_ key: AnyObject) -> Bool {
        ContainsKey(Self.slot(key))
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
        guard values.index(forKey: key) != nil else { return }
        values.removeValue(forKey: key)
        originals.removeValue(forKey: key)
        keys.removeAll { $0 == key }
    }

    /// Removes the entry for the object `key` (by identity); nothing when there is none.
    ///
    /// The corresponding .NET member is `Hashtable.Remove(object)`.
    @_disfavoredOverload
    public func Remove(_ key: AnyObject) {
        Remove(Self.slot(key))
    }

    /// The corresponding .NET member is `Hashtable.Clear()`.
    public func Clear() {
        keys.removeAll()
        originals.removeAll()
        values.removeAll()
    }

    /// The keys in the order they were added: a snapshot.
    ///
    /// The corresponding .NET member is `Hashtable.Keys`.
    public var Keys: ArrayList { ArrayList(keys.map { originals[$0]! }) }

    /// The values in the order their keys were added: a snapshot (a null value is `nil` in it).
    ///
    /// The corresponding .NET member is `Hashtable.Values`.
    public var Values: ArrayList { ArrayList(keys.map { values[$0]! as Any }) }

    /// The object to `lock` for a sequence of calls that must not interleave with other threads' calls (the
    /// collection itself).
    ///
    /// The corresponding .NET member is `ICollection.SyncRoot`.
    public var SyncRoot: AnyObject { self }

    /// Iterates over a snapshot of the entries taken when iteration starts (C#'s `foreach`).
    public func makeIterator() -> IndexingIterator<[DictionaryEntry]> {
        entries.makeIterator()
    }

    private var entries: [DictionaryEntry] {
        keys.map { DictionaryEntry(originals[$0]!, values[$0] ?? nil) }
    }

    /// An enumerator over a snapshot of the entries: `while (en.MoveNext()) { … en.Key … en.Value … }`.
    ///
    /// The corresponding .NET member is `Hashtable.GetEnumerator()`.
    public func GetEnumerator() -> IDictionaryEnumerator {
        SnapshotEnumerator(entries.map { $0 as Any? })
    }

    // MARK: IDictionary, with keys of any type

    /// The slot of a key given as `Any` (through `IDictionary`): a `Hashable` value by value, a class instance by
    /// identity; nil for a value that is neither (it cannot be a key).
    private static func slot(any key: Any?) -> AnyHashable? {
        guard let key = key.flatMap(unwrappedObject) else { return nil }
        if let hashable = key as? AnyHashable { return hashable }
        if type(of: key) is AnyClass { return slot(key as AnyObject) }
        return nil
    }

    private static func invalidKey(_ key: Any?) -> ArgumentException {
        ArgumentException("A Hashtable key must be a Hashable value or a class instance, not \(type(of: key!)).", "key")
    }

    /// The value for `key` given as `Any` (a field typed `IDictionary`), or nil when it is missing.
    ///
    /// The corresponding .NET member is `IDictionary[object]`.
    @_disfavoredOverload
    public subscript(key: Any?) -> Any? {
        get { Self.slot(any: key).flatMap { values[$0] ?? nil } }
        set {
            guard let slot = Self.slot(any: key) else {
                preconditionFailure(key.flatMap(unwrappedObject) == nil ? "ArgumentNullException: Key cannot be null." : "\(Self.invalidKey(key).Message)")
            }
            insert(slot, key.flatMap(unwrappedObject)!, newValue)
        }
    }

    /// The corresponding .NET member is `IDictionary.Add(object, object)`.
    @_disfavoredOverload
    public func Add(_ key: Any?, _ value: Any?) throws {
        guard let key = key.flatMap(unwrappedObject) else { throw ArgumentNullException("key", "Key cannot be null.") }
        guard let slot = Self.slot(any: key) else { throw Self.invalidKey(key) }
        guard values.index(forKey: slot) == nil else {
            throw ArgumentException("Item has already been added. Key in dictionary: '\(slot.base)'  Key being added: '\(slot.base)'")
        }
        insert(slot, key, value)
    }

    /// The corresponding .NET member is `IDictionary.Contains(object)`.
    @_disfavoredOverload
    public func Contains(_ key: Any?) -> Bool {
        Self.slot(any: key).map { ContainsKey($0) } ?? false
    }

    /// The corresponding .NET member is `IDictionary.Remove(object)`.
    @_disfavoredOverload
    public func Remove(_ key: Any?) {
        if let slot = Self.slot(any: key) { Remove(slot) }
    }
}
