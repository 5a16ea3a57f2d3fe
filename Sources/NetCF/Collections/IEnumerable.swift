/// Something `foreach` can walk: it hands out an `IEnumerator`.
///
/// A program's own class keeps its C# shape:
///
/// ```swift
/// // public class XmlRpcServer : IEnumerable { public IEnumerator GetEnumerator() { return _handlers.GetEnumerator(); } }
/// final class XmlRpcServer: IEnumerable { func GetEnumerator() -> IEnumerator { return _handlers.GetEnumerator() } }
/// ```
///
/// A plain protocol (no associated types), so `IEnumerable`, `ICollection`, `IList` and `IDictionary` are written
/// bare as the types of fields and parameters, as in C#. The price: a value of an interface type is not a Swift
/// `Sequence`, so C#'s `foreach (object o in e)` over such a value is `for o in AsSequence(e)`. NetCF's
/// collections (`ArrayList`, `Hashtable`, …) are sequences themselves and keep `for o in list`.
///
/// The corresponding .NET type is `System.Collections.IEnumerable`.
public protocol IEnumerable {
    /// The corresponding .NET member is `IEnumerable.GetEnumerator()`.
    func GetEnumerator() -> IEnumerator
}

/// A position in a collection: `MoveNext()` advances, `Current` reads, `Reset()` starts again.
///
/// `Current` is `get throws`: before the first `MoveNext()` and after the last it throws
/// `InvalidOperationException`, as .NET's collection enumerators do (a program's own enumerator may implement it
/// with a plain getter). It is `Any?`, C#'s `object`, which may be null.
///
/// The corresponding .NET type is `System.Collections.IEnumerator`.
public protocol IEnumerator: AnyObject {
    /// Advances to the next element; false after the last one.
    ///
    /// The corresponding .NET member is `IEnumerator.MoveNext()`.
    func MoveNext() -> Bool

    /// The element at the current position.
    ///
    /// The corresponding .NET member is `IEnumerator.Current`.
    var Current: Any? { get throws }

    /// Goes back to before the first element.
    ///
    /// The corresponding .NET member is `IEnumerator.Reset()`.
    func Reset()
}
