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

/// C#'s `foreach (object o in e)` over a value typed by an interface (`IEnumerable`, `ICollection`, `IList`):
/// `for o in AsSequence(e)`. Each element is `Any?` (C#'s `object`).
///
/// Walks `e.GetEnumerator()` with `MoveNext()` and `Current`, as C#'s `foreach` does.
public func AsSequence(_ enumerable: IEnumerable) -> EnumeratorSequence<Any?> {
    EnumeratorSequence(enumerable.GetEnumerator()) { $0 }
}

/// C#'s `foreach (DictionaryEntry e in d)` over a value typed `IDictionary`: `for e in AsSequence(d)`, each
/// element a `DictionaryEntry` (`e.Key`, `e.Value`).
public func AsSequence(_ dictionary: IDictionary) -> EnumeratorSequence<DictionaryEntry> {
    EnumeratorSequence(dictionary.GetEnumerator() as IEnumerator) { element in
        guard let entry = element as? DictionaryEntry else {
            preconditionFailure("InvalidCastException: an IDictionary enumerator gave \(String(describing: element)), not a DictionaryEntry")
        }
        return entry
    }
}

/// C#'s `foreach (string s in e)` with an element type: `for s in AsSequence(e, String.self)`. Each element is
/// cast as C#'s `foreach` casts it; one that is not a `T` stops the program with `InvalidCastException`'s message
/// (C# throws it; a Swift `for` cannot).
public func AsSequence<T>(_ enumerable: IEnumerable, _ type: T.Type) -> EnumeratorSequence<T> {
    EnumeratorSequence(enumerable.GetEnumerator()) { element in
        guard let value = element as? T else {
            preconditionFailure("InvalidCastException: Specified cast is not valid (\(String(describing: element)) is not a \(T.self))")
        }
        return value
    }
}

/// The Swift `Sequence` over an `IEnumerator` that `AsSequence` returns.
public struct EnumeratorSequence<Element>: Sequence, IteratorProtocol {
    private let enumerator: IEnumerator
    private let convert: (Any?) -> Element

    init(_ enumerator: IEnumerator, _ convert: @escaping (Any?) -> Element) {
        self.enumerator = enumerator
        self.convert = convert
    }

    public mutating func next() -> Element? {
        guard enumerator.MoveNext() else { return nil }
        do {
            return convert(try enumerator.Current)
        } catch {
            preconditionFailure("IEnumerator.Current threw after MoveNext() returned true: \(error)")
        }
    }
}
