/// A map from objects to objects: `private IDictionary handlers = new Hashtable();` →
/// `private var handlers: IDictionary = Hashtable()`.
///
/// `Hashtable` conforms. `Dictionary<TKey, TValue>` is an `ICollection` but not an `IDictionary`: its `Keys` is
/// the typed `List<TKey>`, and a Swift property cannot also be the `ArrayList` this protocol's `Keys` is.
///
/// The corresponding .NET type is `System.Collections.IDictionary`.
public protocol IDictionary: ICollection, AnyObject {
    /// The value for `key`, nil when missing; assigning adds or replaces. Keys are `Any?` (C#'s `object`), so a
    /// `string!` field or parameter is passed as it is.
    ///
    /// The corresponding .NET member is `IDictionary[object]`.
    subscript(key: Any?) -> Any? { get set }

    /// Adds an entry: `ArgumentException` for a key already present, `ArgumentNullException` for a null key.
    ///
    /// The corresponding .NET member is `IDictionary.Add(object, object)`.
    func Add(_ key: Any?, _ value: Any?) throws

    /// The corresponding .NET member is `IDictionary.Contains(object)`.
    func Contains(_ key: Any?) -> Bool

    /// The corresponding .NET member is `IDictionary.Remove(object)`.
    func Remove(_ key: Any?)

    /// The corresponding .NET member is `IDictionary.Clear()`.
    func Clear()

    /// The keys, a snapshot (an `ArrayList`, so `for k in d.Keys` works).
    ///
    /// The corresponding .NET member is `IDictionary.Keys`.
    var Keys: ArrayList { get }

    /// The values, a snapshot.
    ///
    /// The corresponding .NET member is `IDictionary.Values`.
    var Values: ArrayList { get }

    /// `IDictionaryEnumerator en = d.GetEnumerator(); while (en.MoveNext()) { … en.Key … }` →
    /// `let en: IDictionaryEnumerator = d.GetEnumerator(); while en.MoveNext() { … try en.Key … }`.
    ///
    /// The corresponding .NET member is `IDictionary.GetEnumerator()`.
    func GetEnumerator() -> IDictionaryEnumerator
}

extension IDictionary {
    /// The entries as `DictionaryEntry` values: `IEnumerable.GetEnumerator()` of a dictionary.
    ///
    /// The corresponding .NET member is `IEnumerable.GetEnumerator()`.
    @_disfavoredOverload
    public func GetEnumerator() -> IEnumerator {
        let enumerator: IDictionaryEnumerator = GetEnumerator()
        return enumerator
    }
}

/// An enumerator over a dictionary's entries: `Current` is the `DictionaryEntry`, `Key`/`Value`/`Entry` read it.
/// Like `Current`, they throw `InvalidOperationException` before the first `MoveNext()` and after the last.
///
/// The corresponding .NET type is `System.Collections.IDictionaryEnumerator`.
public protocol IDictionaryEnumerator: IEnumerator {
    /// The corresponding .NET member is `IDictionaryEnumerator.Key`.
    var Key: Any { get throws }
    /// The corresponding .NET member is `IDictionaryEnumerator.Value`.
    var Value: Any? { get throws }
    /// The corresponding .NET member is `IDictionaryEnumerator.Entry`.
    var Entry: DictionaryEntry { get throws }
}
