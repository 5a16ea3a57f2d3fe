/// A collection with a size, a lock object and a copy into an array.
///
/// `ArrayList`, `List<T>`, `Hashtable`, `Dictionary<TKey, TValue>`, `Queue` and `Stack` conform, as in .NET.
///
/// The corresponding .NET type is `System.Collections.ICollection`.
public protocol ICollection: IEnumerable {
    /// The corresponding .NET member is `ICollection.Count`.
    var Count: int { get }

    /// The object to `lock` for a sequence of calls that must not interleave with other threads' calls.
    ///
    /// The corresponding .NET member is `ICollection.SyncRoot`.
    var SyncRoot: AnyObject { get }

    /// The corresponding .NET member is `ICollection.IsSynchronized`.
    var IsSynchronized: Bool { get }

    /// Copies the elements, in enumeration order, into `array` from `index`: `coll.CopyTo(arr, 0)` →
    /// `try coll.CopyTo(&arr, 0)`. `Array.Copy`'s checks; an element that is not a `T` → `InvalidCastException`.
    ///
    /// The corresponding .NET member is `ICollection.CopyTo(Array, int)`.
    func CopyTo<T>(_ array: inout [T], _ index: some BinaryInteger) throws
}

extension ICollection {
    /// False: only the wrapper `Queue.Synchronized` returns is synchronized.
    ///
    /// The corresponding .NET member is `ICollection.IsSynchronized`.
    public var IsSynchronized: Bool { false }

    /// The corresponding .NET member is `ICollection.CopyTo(Array, int)`.
    public func CopyTo<T>(_ array: inout [T], _ index: some BinaryInteger) throws {
        var elements: [Any] = []
        let enumerator = GetEnumerator()
        while enumerator.MoveNext() { elements.append(try enumerator.Current as Any) }
        try elements.CopyTo(&array, index)
    }
}
