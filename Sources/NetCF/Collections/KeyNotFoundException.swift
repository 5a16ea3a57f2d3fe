/// A key read from a `Dictionary` with the indexer that the dictionary does not contain.
///
/// The corresponding .NET type is `System.Collections.Generic.KeyNotFoundException`.
public struct KeyNotFoundException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.Collections.Generic.KeyNotFoundException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String

    public init(_ message: String = "The given key was not present in the dictionary.") {
        self.Message = message
    }
}
