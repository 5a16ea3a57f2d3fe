extension Array: IEnumerable {
    /// An array is an `IEnumerable`, as C#'s arrays are: `string[] parts` passed where `IEnumerable` is taken.
    ///
    /// The corresponding .NET member is `Array.GetEnumerator()`.
    public func GetEnumerator() -> IEnumerator {
        SnapshotEnumerator(map { $0 as Any? })
    }
}
