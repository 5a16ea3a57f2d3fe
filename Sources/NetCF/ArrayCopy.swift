/// .NET's `System.Array` static members on Swift's `Array`, so a port writes `try Array.Copy(a, &b, 4)`
/// (the element type is inferred). The destination is `inout` because a C# array is a reference and
/// `Array.Copy` writes into the caller's array.
extension Array {
    /// Copies the first `length` elements of `source` to the start of `destination`.
    ///
    /// The corresponding .NET member is `Array.Copy(Array, Array, Int32)`.
    public static func Copy(_ source: [Element], _ destination: inout [Element], _ length: some BinaryInteger) throws {
        try Copy(source, 0, &destination, 0, length)
    }

    /// Copies `length` elements of `source` starting at `sourceIndex` to `destination` starting at
    /// `destinationIndex`. Copying within one array (`Array.Copy(a, 0, &a, 1, 3)`) behaves as if through a
    /// temporary, as in .NET, because `source` is passed by value. On error nothing is copied.
    ///
    /// The corresponding .NET member is `Array.Copy(Array, Int32, Array, Int32, Int32)`.
    public static func Copy(_ source: [Element], _ sourceIndex: some BinaryInteger,
                            _ destination: inout [Element], _ destinationIndex: some BinaryInteger,
                            _ length: some BinaryInteger) throws {
        let sourceIndex = try CSharpInteger.int(sourceIndex, "srcIndex")
        let destinationIndex = try CSharpInteger.int(destinationIndex, "dstIndex")
        let length = try CSharpInteger.int(length, "length")
        // The .NET Framework's checks, in its order and with its parameter names and wording.
        if length < 0 {
            throw ArgumentOutOfRangeException("length", "Non-negative number required.")
        }
        if sourceIndex < 0 {
            throw ArgumentOutOfRangeException("srcIndex", "Number was less than the array's lower bound in the first dimension.")
        }
        if destinationIndex < 0 {
            throw ArgumentOutOfRangeException("dstIndex", "Number was less than the array's lower bound in the first dimension.")
        }
        if source.count - sourceIndex < length {
            throw ArgumentException("Source array was not long enough. Check srcIndex and length, and the array's lower bounds.")
        }
        if destination.count - destinationIndex < length {
            throw ArgumentException("Destination array was not long enough. Check destIndex and length, and the array's lower bounds.")
        }
        destination.replaceSubrange(destinationIndex..<(destinationIndex + length),
                                    with: source[sourceIndex..<(sourceIndex + length)])
    }

    /// Copies every element of this array to `array`, starting at `index`: C#'s `a.CopyTo(b, i)` is
    /// `try a.CopyTo(&b, i)`. The checks and exceptions are `Array.Copy`'s.
    ///
    /// The corresponding .NET member is `Array.CopyTo(Array, Int32)`.
    public func CopyTo(_ array: inout [Element], _ index: some BinaryInteger) throws {
        try Array.Copy(self, 0, &array, index, count)
    }

    /// Copies every element of this array to an array of another element type, each cast as .NET casts it:
    /// a non-generic collection's `ToArray()` (`object[]`, here `[Any]`) into an array of the program's enum,
    /// `stack.ToArray().CopyTo(&encodings, 0)`. An element that is not a `Target` throws
    /// `InvalidCastException` and nothing is copied; the range checks are `Array.Copy`'s, made first.
    ///
    /// The corresponding .NET member is `Array.CopyTo(Array, Int32)`.
    @_disfavoredOverload
    public func CopyTo<Target>(_ array: inout [Target], _ index: some BinaryInteger) throws {
        let index = try CSharpInteger.int(index, "index")
        if index < 0 {
            throw ArgumentOutOfRangeException("dstIndex", "Number was less than the array's lower bound in the first dimension.")
        }
        if array.count - index < count {
            throw ArgumentException("Destination array was not long enough. Check destIndex and length, and the array's lower bounds.")
        }
        var converted: [Target] = []
        converted.reserveCapacity(count)
        for element in self {
            guard let value = element as? Target else {
                throw InvalidCastException("At least one element in the source array could not be cast down to the destination array type.")
            }
            converted.append(value)
        }
        array.replaceSubrange(index..<(index + count), with: converted)
    }

    /// A non-`inout` destination would lose the elements copied into it.
    @available(*, unavailable, message: "CopyTo writes into the array: pass it with &, as in a.CopyTo(&b, 0)")
    public func CopyTo(_ array: [Element], _ index: some BinaryInteger) throws {
        fatalError("unavailable")
    }
}
