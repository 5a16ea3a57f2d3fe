/// A collection of objects by index: `IList items = new ArrayList();` → `var items: IList = ArrayList()`.
///
/// `ArrayList` conforms; an element is `Any` (C#'s `object`). A typed `List<T>` is an `ICollection` but not an
/// `IList` (.NET's is both): its members taking `object` would be overloads of the typed ones, and
/// `list[i] = 5` on a `List<byte>` could then pick the `object` one.
///
/// The corresponding .NET type is `System.Collections.IList`.
public protocol IList: ICollection, AnyObject {
    /// The element at `index`; `ArgumentOutOfRangeException` outside the list.
    ///
    /// The corresponding .NET member is `IList[int]` (get).
    subscript(index: some BinaryInteger) -> Any { get throws }

    /// Assigning an element: `list[i] = x` (see the type).
    ///
    /// The corresponding .NET member is `IList[int]` (set).
    @_disfavoredOverload
    subscript(index: some BinaryInteger) -> Any? { get set }

    /// Adds `value` at the end and returns its index.
    ///
    /// The corresponding .NET member is `IList.Add(object)`.
    @discardableResult
    func Add(_ value: Any) throws -> int

    /// The corresponding .NET member is `IList.Contains(object)`.
    func Contains(_ value: Any) -> Bool

    /// The corresponding .NET member is `IList.IndexOf(object)` (-1 when absent).
    func IndexOf(_ value: Any) -> int

    /// The corresponding .NET member is `IList.Insert(int, object)`.
    func Insert(_ index: some BinaryInteger, _ value: Any) throws

    /// The corresponding .NET member is `IList.Remove(object)`.
    func Remove(_ value: Any)

    /// The corresponding .NET member is `IList.RemoveAt(int)`.
    func RemoveAt(_ index: some BinaryInteger) throws

    /// The corresponding .NET member is `IList.Clear()`.
    func Clear()
}
