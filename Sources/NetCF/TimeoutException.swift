/// An operation that did not finish in the time allowed (a program's own wait for a reply, as a messaging
/// framework's connector throws it).
///
/// The corresponding .NET type is `System.TimeoutException`.
public struct TimeoutException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.TimeoutException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String

    public init(_ message: String = "The operation has timed out.") {
        self.Message = message
    }
}
