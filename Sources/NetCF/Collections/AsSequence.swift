// C#'s `foreach` over a value typed by a collection interface: `for o in AsSequence(e)`.

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
