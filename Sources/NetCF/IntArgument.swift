/// A .NET `int` parameter given as any Swift integer (C# widens `byte`, `short`, `ushort` to `int`
/// implicitly; Swift code has `Int`): the value as an `Int`, or `ArgumentOutOfRangeException` naming the
/// parameter when .NET's `int` could not hold it.
func intArgument(_ value: some BinaryInteger, _ paramName: String) throws -> Int {
    guard let exact = Int32(exactly: value) else {
        throw ArgumentOutOfRangeException(paramName, value, "Value was either too large or too small for an Int32.")
    }
    return Int(exact)
}
