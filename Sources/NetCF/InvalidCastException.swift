/// A value that is not of the type a cast or a copy needs: copying an `object[]` (`[Any]`) holding a string
/// into an `int[]` with `CopyTo`.
///
/// The corresponding .NET type is `System.InvalidCastException`.
public struct InvalidCastException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.InvalidCastException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String

    public init(_ message: String = "Specified cast is not valid.") {
        self.Message = message
    }
}
