// The LINQ member ported code calls on arrays (`using System.Linq;`, Compact Framework 3.5).

extension Array {
    /// A new array with the same elements (Swift arrays are values, so the copy is independent, as .NET's).
    ///
    /// The corresponding .NET member is `Enumerable.ToArray<TSource>(IEnumerable<TSource>)`.
    public func ToArray() -> [Element] { Array(self) }
}
