/// `IOException` and the exceptions .NET derives from it, so that one `catch` can handle them all as C#'s
/// `catch (IOException)` does: `catch let e as IOExceptionFamily` (the way ``ArgumentExceptionFamily`` serves
/// `ArgumentException`). A plain `catch let e as IOException` catches `IOException` itself, not
/// ``EndOfStreamException``.
public protocol IOExceptionFamily: DotNetException {
    /// The corresponding .NET member is `Exception.InnerException`.
    var InnerException: (any Error)? { get }
}

extension IOException: IOExceptionFamily {}

/// A read past the end of a stream: what `BinaryReader` throws when the stream ends inside a value.
///
/// In .NET it derives from `IOException`; here both conform to ``IOExceptionFamily``.
///
/// The corresponding .NET type is `System.IO.EndOfStreamException`.
public struct EndOfStreamException: IOExceptionFamily {
    public static let dotNetTypeName = "System.IO.EndOfStreamException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String
    /// The corresponding .NET member is `Exception.InnerException`.
    public let InnerException: (any Error)?

    public init(_ message: String = "Unable to read beyond the end of the stream.", _ innerException: (any Error)? = nil) {
        Message = message
        InnerException = innerException
    }
}
