/// A read past the end of a stream: what `BinaryReader` throws when the stream ends inside a value.
///
/// As in .NET it derives from `IOException`, so `catch let e as IOException` catches it too.
///
/// The corresponding .NET type is `System.IO.EndOfStreamException`.
public final class EndOfStreamException: IOException, @unchecked Sendable {
    public override class var dotNetTypeName: String { "System.IO.EndOfStreamException" }

    public override init(_ message: String = "Unable to read beyond the end of the stream.", _ innerException: (any Error)? = nil) {
        super.init(message, innerException)
    }
}
