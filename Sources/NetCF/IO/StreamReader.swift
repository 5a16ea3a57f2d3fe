internal import Glibc
import Synchronization

/// Reads text from a stream, line by line or character by character, with a buffer; a `TextReader`.
///
/// Lines end at `\n`, `\r` or `\r\n`; the last line is returned even without a terminator, and
/// `ReadLine` returns nil at the end of the stream, as in .NET. One difference is deliberate: when a
/// line ends in `\r` at the very end of the data received so far, .NET blocks to see whether `\n`
/// follows; this reader returns the line at once and skips a `\n` that arrives next, so a network
/// reader never waits for a byte the server may not send.
///
/// Over a `NetworkStream`, the reader tells the socket how many plain-text bytes it holds, so a deferred
/// TLS handshake refuses to start while unread plain text is buffered (see `BufferedPlaintextHolder`).
///
/// The corresponding .NET type is `System.IO.StreamReader`.
public final class StreamReader: TextReader {
    private let stream: Stream
    private var encoding: Encoding
    private var isUTF8: Bool
    /// The byte order when the encoding is UTF-16, whose lines are not split on single bytes.
    private var utf16BigEndian: Bool?
    private let detectByteOrderMark: Bool
    private let buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var skipLineFeed = false
    private var byteOrderMarkChecked = false
    private var pendingLowSurrogate: UInt16?
    private var closed = false
    /// Whether every byte in `start..<end` is below 0x80: checked once per fill, so `ReadLine` with
    /// `Encoding.ASCII` need not look at each line again.
    private var bufferedBytesAreASCII = true
    private let ledger: ReadAheadLedger?

    static let bufferSize = 16 * 1024

    /// The corresponding .NET member is `StreamReader(Stream, Encoding)`.
    public convenience init(_ stream: Stream, _ encoding: Encoding) {
        self.init(stream, encoding, true)
    }

    /// UTF-8, as .NET's default.
    ///
    /// The corresponding .NET member is `StreamReader(Stream)`.
    public convenience init(_ stream: Stream) {
        self.init(stream, Encoding.UTF8, true)
    }

    /// The corresponding .NET member is `StreamReader(Stream, Encoding, bool detectEncodingFromByteOrderMarks)`.
    /// A UTF-8 byte order mark is skipped, and switches the reader to UTF-8 when detecting. With a UTF-16
    /// encoding, a leading FF FE or FE FF is skipped and sets the byte order; unlike .NET, a reader given
    /// another encoding does not switch to UTF-16 on those bytes (a Telnet stream starts with FF FE too).
    public init(_ stream: Stream, _ encoding: Encoding, _ detectEncodingFromByteOrderMarks: Bool) {
        self.stream = stream
        self.encoding = encoding
        self.isUTF8 = encoding.isUTF8
        self.utf16BigEndian = encoding.utf16BigEndian
        self.detectByteOrderMark = detectEncodingFromByteOrderMarks
        self.buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferSize, alignment: 16)
        if let socket = stream.underlyingSocket {
            let ledger = ReadAheadLedger()
            socket.core.registerBufferedReader(ledger)
            self.ledger = ledger
        } else {
            self.ledger = nil
        }
        super.init()
    }

    deinit {
        buffer.deallocate()
    }

    /// The corresponding .NET member is `StreamReader.CurrentEncoding`.
    public var CurrentEncoding: Encoding { encoding }

    /// The corresponding .NET member is `StreamReader.BaseStream`.
    public var BaseStream: Stream { stream }

    private var bytes: UnsafeMutablePointer<UInt8> { buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) }

    // MARK: Buffer

    /// Reads more bytes after those still buffered; returns how many arrived (0 at the end of the stream).
    private func fill() throws -> Int {
        dropDiscardedPlaintext()
        if start == end {
            start = 0
            end = 0
            bufferedBytesAreASCII = true
        } else if end == buffer.count {
            memmove(buffer.baseAddress!, buffer.baseAddress! + start, end - start)
            end -= start
            start = 0
        }
        let count = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
        if bufferedBytesAreASCII && !isUTF8 {
            bufferedBytesAreASCII = Self.isASCII(UnsafeBufferPointer(start: bytes + end, count: count))
        }
        end += count
        if !byteOrderMarkChecked && end - start >= (utf16BigEndian == nil ? 3 : 2) || count == 0 {
            checkByteOrderMark()
        }
        if skipLineFeed {
            skipLineFeedAfterFill()
        }
        publish()
        return count
    }

    /// Skips the `\n` of a `\r\n` whose `\r` ended the bytes buffered before the fill.
    private func skipLineFeedAfterFill() {
        if utf16BigEndian != nil {
            guard end - start >= 2 else { return }
            skipLineFeed = false
            if unit(at: start) == 0x0a { start += 2 }
        } else if start < end {
            skipLineFeed = false
            if bytes[start] == 0x0a { start += 1 }
        }
    }

    private func checkByteOrderMark() {
        guard !byteOrderMarkChecked else { return }
        byteOrderMarkChecked = true
        if utf16BigEndian != nil {
            if end - start >= 2, (bytes[start] == 0xff && bytes[start + 1] == 0xfe) || (bytes[start] == 0xfe && bytes[start + 1] == 0xff) {
                let bigEndian = bytes[start] == 0xfe
                utf16BigEndian = bigEndian
                encoding = bigEndian ? .BigEndianUnicode : .Unicode
                start += 2
            }
            return
        }
        // .NET skips the UTF-8 preamble when detecting, and always when UTF-8 is the given encoding.
        if (detectByteOrderMark || isUTF8) && end - start >= 3 && bytes[start] == 0xef && bytes[start + 1] == 0xbb && bytes[start + 2] == 0xbf {
            start += 3
            isUTF8 = true
            if !encoding.isUTF8 { encoding = .UTF8 }
        }
    }

    /// Tells the socket how many unread bytes are held.
    private func publish() {
        ledger?.buffered.store(end - start, ordering: .relaxed)
    }

    /// Also drops what the socket asked to discard, so every read, not only one that refills the buffer,
    /// fails instead of returning plain text that arrived before a refused handshake.
    private func throwIfClosed() throws {
        if closed { throw ObjectDisposedException(nil, "Cannot read from a closed TextReader.") }
        dropDiscardedPlaintext()
    }

    private func dropDiscardedPlaintext() {
        if ledger?.takeDiscardRequest() == true {
            start = end
            skipLineFeed = false
            pendingLowSurrogate = nil
            publish()
        }
    }

    /// `knownASCII`: the caller has already seen that every byte is below 0x80.
    @inline(__always)
    private func decode(_ text: UnsafeBufferPointer<UInt8>, knownASCII: Bool = false) -> String {
        // UTF-8 decoding replaces each invalid sequence with U+FFFD, as .NET's UTF8Encoding does.
        if isUTF8 || knownASCII { return String(decoding: text, as: UTF8.self) }
        if encoding.isASCII { return Self.decodeASCII(text) }
        return encoding.decode(text)
    }

    /// .NET's `ASCIIEncoding`: each byte above 0x7F becomes `?`.
    private static func decodeASCII(_ text: UnsafeBufferPointer<UInt8>) -> String {
        if isASCII(text) { return String(decoding: text, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: text.count) { characters in
            for index in 0..<text.count { characters[index] = text[index] < 0x80 ? text[index] : 0x3f }
            return text.count
        }
    }

    /// Whether every byte is below 0x80, looked at eight bytes at a time (a byte-by-byte loop cost more
    /// than the rest of `ReadLine` on 60-byte SMTP lines).
    private static func isASCII(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var combined: UInt64 = 0
        var index = 0
        while index + 32 <= text.count {
            combined |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
            index += 32
        }
        while index + 8 <= text.count {
            combined |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < text.count {
            combined |= UInt64(base[index])
            index += 1
        }
        return combined & 0x8080_8080_8080_8080 == 0
    }

    // MARK: Reading

    /// The next line without its terminator, or nil at the end of the stream. Blocks until a terminator
    /// or the end arrives (over a socket, bounded by its `ReceiveTimeout`).
    ///
    /// The corresponding .NET member is `StreamReader.ReadLine()`.
    override public func ReadLine() throws -> String? {
        try throwIfClosed()
        if utf16BigEndian != nil { return try readLineUTF16() }
        // Most lines are whole in the buffer: they need no fill and no partial-line array.
        if start < end, let terminator = Self.lineTerminator(bytes + start, end - start) {
            let line = decode(UnsafeBufferPointer(start: bytes + start, count: terminator), knownASCII: bufferedBytesAreASCII)
            consumeLine(through: terminator)
            return line
        }
        return try readLineAcrossFills()
    }

    /// `ReadLine` for a line that is not whole in the buffer: keeps what is buffered and fills until a
    /// terminator or the end of the stream arrives.
    private func readLineAcrossFills() throws -> String? {
        var partial: [UInt8] = []
        var sawBytes = false
        while true {
            if start == end {
                if try fill() == 0 {
                    return sawBytes ? partial.withUnsafeBufferPointer { decode($0) } : nil
                }
                if start == end { continue }
            }
            let region = bytes + start
            let length = end - start
            guard let terminator = Self.lineTerminator(region, length) else {
                partial.append(contentsOf: UnsafeBufferPointer(start: region, count: length))
                sawBytes = true
                start = end
                continue
            }
            let line: String
            if sawBytes {
                partial.append(contentsOf: UnsafeBufferPointer(start: region, count: terminator))
                line = partial.withUnsafeBufferPointer { decode($0) }
            } else {
                line = decode(UnsafeBufferPointer(start: region, count: terminator), knownASCII: bufferedBytesAreASCII)
            }
            consumeLine(through: terminator)
            return line
        }
    }

    /// `ReadLine` for UTF-16, one code unit at a time.
    private func readLineUTF16() throws -> String? {
        var units: [UInt16] = []
        var sawBytes = false
        while true {
            while end - start < 2 {
                if try fill() == 0 {
                    if start < end {
                        // An odd byte at the end of the stream decodes as U+FFFD, as in `Encoding.Unicode`.
                        start = end
                        publish()
                        units.append(0xfffd)
                        sawBytes = true
                    }
                    return sawBytes ? String(decoding: units, as: UTF16.self) : nil
                }
            }
            let next = unit(at: start)
            start += 2
            sawBytes = true
            if next == 0x0a || next == 0x0d {
                if next == 0x0d {
                    if end - start >= 2 {
                        if unit(at: start) == 0x0a { start += 2 }
                    } else {
                        skipLineFeed = true
                    }
                }
                publish()
                return String(decoding: units, as: UTF16.self)
            }
            units.append(next)
        }
    }

    /// The UTF-16 code unit at byte offset `offset` of the buffer, in the reader's byte order.
    @inline(__always)
    private func unit(at offset: Int) -> UInt16 {
        let first = UInt16(bytes[offset]), second = UInt16(bytes[offset + 1])
        return utf16BigEndian == true ? first << 8 | second : second << 8 | first
    }

    /// The offset of the first `\n` or `\r` in `length` bytes at `region`, or nil when there is none.
    @inline(__always)
    private static func lineTerminator(_ region: UnsafeMutablePointer<UInt8>, _ length: Int) -> Int? {
        var terminator = length
        if let lineFeed = memchr(region, 0x0a, length) {
            terminator = UnsafeMutableRawPointer(lineFeed) - UnsafeMutableRawPointer(region)
        }
        if let carriageReturn = memchr(region, 0x0d, terminator) {
            terminator = UnsafeMutableRawPointer(carriageReturn) - UnsafeMutableRawPointer(region)
        }
        return terminator < length ? terminator : nil
    }

    /// Moves past a line and its terminator at `start + terminator`; a `\r` that ends the buffered bytes
    /// leaves a `\n` at the start of the next fill to be skipped.
    @inline(__always)
    private func consumeLine(through terminator: Int) {
        let endsInCarriageReturn = bytes[start + terminator] == 0x0d
        start += terminator + 1
        if endsInCarriageReturn {
            if start < end {
                if bytes[start] == 0x0a { start += 1 }
            } else {
                skipLineFeed = true
            }
        }
        publish()
    }

    /// Everything up to the end of the stream.
    ///
    /// The corresponding .NET member is `StreamReader.ReadToEnd()`.
    override public func ReadToEnd() throws -> String {
        try throwIfClosed()
        var collected: [UInt8] = []
        var pending = ""
        if let low = pendingLowSurrogate {
            pendingLowSurrogate = nil
            pending = String(decoding: [low], as: UTF16.self)
        }
        while true {
            if start < end {
                collected.append(contentsOf: UnsafeBufferPointer(start: bytes + start, count: end - start))
                start = end
                publish()
            }
            if try fill() == 0 { break }
        }
        return pending + collected.withUnsafeBufferPointer { decode($0) }
    }

    /// The next UTF-16 code unit, consumed, or -1 at the end.
    ///
    /// The corresponding .NET member is `StreamReader.Read()`.
    override public func Read() throws -> int {
        try throwIfClosed()
        if let low = pendingLowSurrogate {
            pendingLowSurrogate = nil
            return int(low)
        }
        guard let (units, length) = try nextCharacter() else { return -1 }
        start += length
        publish()
        if units.count == 2 { pendingLowSurrogate = units[1] }
        return int(units[0])
    }

    /// The next UTF-16 code unit without consuming it, or -1 at the end. Blocks when nothing is buffered.
    ///
    /// The corresponding .NET member is `StreamReader.Peek()`.
    override public func Peek() throws -> int {
        try throwIfClosed()
        if let low = pendingLowSurrogate { return int(low) }
        guard let (units, _) = try nextCharacter() else { return -1 }
        return int(units[0])
    }

    /// True when no more data will come. Blocks when nothing is buffered, as .NET's does.
    ///
    /// The corresponding .NET member is `StreamReader.EndOfStream`.
    public var EndOfStream: Bool {
        get throws {
            try throwIfClosed()
            if pendingLowSurrogate != nil || start < end { return false }
            while start == end {
                if try fill() == 0 { return true }
            }
            return false
        }
    }

    /// Decodes the character at `start` without consuming it: its UTF-16 units and its length in bytes.
    private func nextCharacter() throws -> ([UInt16], Int)? {
        while start == end {
            if try fill() == 0 { return nil }
        }
        if utf16BigEndian != nil {
            while end - start < 2 {
                if try fill() == 0 {
                    return start < end ? ([0xfffd], end - start) : nil
                }
            }
            return ([unit(at: start)], 2)
        }
        let lead = bytes[start]
        if lead == 0x0d, start + 1 == end {
            // A lone CR at the end of the buffer: whether a LF follows does not matter for Read().
            return ([0x0d], 1)
        }
        guard isUTF8, lead >= 0x80 else {
            return ([lead < 0x80 ? UInt16(lead) : encoding.singleByteUnit(lead) ?? 0x3f], 1)
        }
        let expected = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
        while end - start < expected {
            if try fill() == 0 { break }
        }
        let available = min(expected, end - start)
        var decoder = UTF8()
        var iterator = UnsafeBufferPointer(start: bytes + start, count: available).makeIterator()
        switch decoder.decode(&iterator) {
        case .scalarValue(let scalar):
            return (Array(String(scalar).utf16), scalar.utf8.count)
        case .emptyInput, .error:
            return ([0xfffd], 1)
        }
    }

    // MARK: Closing

    /// Closes the reader and its stream (a `NetworkStream` that does not own its socket leaves the socket open).
    ///
    /// The corresponding .NET member is `StreamReader.Close()`.
    override public func Close() {
        guard !closed else { return }
        closed = true
        start = end
        publish()
        stream.Close()
    }
}

/// What a `StreamReader` over a socket reports to it: how many unread bytes it holds, and whether the
/// socket asked it to throw them away (after refusing a handshake because of them).
final class ReadAheadLedger: BufferedPlaintextHolder {
    let buffered = Atomic<Int>(0)
    private let discardRequested = Atomic<Bool>(false)

    func bufferedPlaintextByteCount() -> Int? {
        buffered.load(ordering: .relaxed)
    }

    func discardBufferedPlaintext() {
        discardRequested.store(true, ordering: .releasing)
    }

    /// Checked before every read: a plain load first, so the common case costs no atomic exchange.
    func takeDiscardRequest() -> Bool {
        discardRequested.load(ordering: .acquiring) && discardRequested.exchange(false, ordering: .acquiring)
    }
}
