/// Writes text to a stream; a `TextWriter`.
///
/// Text is encoded and kept in a buffer until `Flush`, until the buffer fills, or at once when
/// `AutoFlush` is true; `NewLine` is `"\r\n"`, the Windows default.
///
/// The corresponding .NET type is `System.IO.StreamWriter`.
public final class StreamWriter: TextWriter {
    private let stream: Stream
    private let encoding: Encoding
    private var pending: [UInt8] = []
    private var closed = false
    static let bufferSize = 4096

    /// Flush after every write. Setting it to true flushes what is pending.
    ///
    /// The corresponding .NET member is `StreamWriter.AutoFlush`.
    public var AutoFlush = false {
        didSet { if AutoFlush { try? Flush() } }
    }

    /// UTF-8 without a byte order mark, as .NET's default.
    ///
    /// The corresponding .NET member is `StreamWriter(Stream)`.
    public convenience init(_ stream: Stream) {
        self.init(stream, Encoding.UTF8)
    }

    /// Writes no byte order mark for any encoding. .NET writes the encoding's preamble first (EF BB BF for
    /// `Encoding.UTF8`, FF FE for `Encoding.Unicode`) unless the stream is seekable and not at its start, so
    /// over a socket it sends the mark before the first line; a protocol peer (an SMTP server, a scanner's
    /// PC) would read it as text, and ported code that wants one writes `encoding.GetPreamble()` itself.
    ///
    /// The corresponding .NET member is `StreamWriter(Stream, Encoding)`.
    public init(_ stream: Stream, _ encoding: Encoding) {
        self.stream = stream
        self.encoding = encoding
        super.init()
    }

    /// The corresponding .NET member is `StreamWriter.BaseStream`.
    public var BaseStream: Stream { stream }

    /// The corresponding .NET member is `StreamWriter.Write(string)`.
    override public func Write(_ value: String) throws {
        guard !closed else { throw ObjectDisposedException(nil, "Cannot write to a closed TextWriter.") }
        pending += encoding.GetBytes(value)
        if AutoFlush || pending.count >= Self.bufferSize { try Flush() }
    }

    /// The corresponding .NET member is `StreamWriter.Write(char)`.
    override public func Write(_ value: Character) throws {
        try Write(String(value))
    }

    /// Sends what is buffered to the stream.
    ///
    /// The corresponding .NET member is `StreamWriter.Flush()`.
    override public func Flush() throws {
        guard !closed else { throw ObjectDisposedException(nil, "Cannot write to a closed TextWriter.") }
        guard !pending.isEmpty else { return }
        let bytes = pending
        pending.removeAll(keepingCapacity: true)
        try stream.Write(bytes, 0, bytes.count)
        try stream.Flush()
    }

    /// Flushes, then closes the stream.
    ///
    /// The corresponding .NET member is `StreamWriter.Close()`.
    override public func Close() {
        guard !closed else { return }
        try? Flush()
        closed = true
        stream.Close()
    }
}
