/// A character encoding: the two that CE networking code uses, ASCII and UTF-8.
///
/// .NET strings are UTF-16, so "one character" below means one UTF-16 code unit, as in .NET.
///
/// The corresponding .NET type is `System.Text.Encoding`.
public final class Encoding: Sendable {
    enum Kind { case ascii, utf8 }
    private let kind: Kind

    init(_ kind: Kind) { self.kind = kind }

    /// Encodes 7-bit characters as themselves and every other UTF-16 code unit as `?` (0x3F), so "é" gives
    /// one `?` and "😀" (a surrogate pair) gives two. Decodes bytes above 0x7F as `?`.
    ///
    /// The corresponding .NET member is `Encoding.ASCII`.
    public static let ASCII = Encoding(.ascii)

    /// Encodes without a byte order mark; decodes invalid sequences as U+FFFD.
    ///
    /// The corresponding .NET member is `Encoding.UTF8`.
    public static let UTF8 = Encoding(.utf8)

    /// The IANA name: "us-ascii" or "utf-8".
    ///
    /// The corresponding .NET member is `Encoding.WebName`.
    public var WebName: String {
        switch kind {
        case .ascii: "us-ascii"
        case .utf8: "utf-8"
        }
    }

    /// The corresponding .NET member is `Encoding.GetBytes(String)`.
    public func GetBytes(_ s: String) -> [UInt8] {
        switch kind {
        case .ascii: s.utf16.map { $0 < 0x80 ? UInt8($0) : Self.questionMark }
        case .utf8: Array(s.utf8)
        }
    }

    /// The characters encoded as the string they form (`Encoding.ASCII.GetBytes(s.ToCharArray())`).
    ///
    /// The corresponding .NET member is `Encoding.GetBytes(Char[])`.
    public func GetBytes(_ chars: [Character]) -> [UInt8] {
        GetBytes(String(chars))
    }

    /// The corresponding .NET member is `Encoding.GetByteCount(String)`.
    public func GetByteCount(_ s: String) -> int {
        switch kind {
        case .ascii: int(s.utf16.count)
        case .utf8: int(s.utf8.count)
        }
    }

    /// The corresponding .NET member is `Encoding.GetString(Byte[])`.
    public func GetString(_ bytes: [UInt8]) -> String {
        decode(bytes[...])
    }

    /// Decodes `count` bytes starting at `index`.
    ///
    /// The corresponding .NET member is `Encoding.GetString(Byte[], Int32, Int32)`.
    public func GetString(_ bytes: [UInt8], _ index: some BinaryInteger, _ count: some BinaryInteger) throws -> String {
        let index = try CSharpInteger.int(index, "index"), count = try CSharpInteger.int(count, "count")
        if index < 0 || count < 0 {
            throw ArgumentOutOfRangeException(index < 0 ? "index" : "count", "Non-negative number required.")
        }
        guard bytes.count - index >= count else {
            throw ArgumentOutOfRangeException("bytes", "Index and count must refer to a location within the buffer.")
        }
        return decode(bytes[index..<(index + count)])
    }

    private static let questionMark = UInt8(ascii: "?")

    private func decode(_ bytes: ArraySlice<UInt8>) -> String {
        switch kind {
        case .ascii:
            // Pure ASCII, the usual case, takes the contiguous UTF-8 path (the same characters): the lazily
            // mapped one took about 20 K instructions for a 9-byte host name (`Marshal.PtrToStringAnsi`).
            bytes.allSatisfy { $0 < 0x80 } ? String(decoding: bytes, as: Unicode.UTF8.self)
                : String(decoding: bytes.lazy.map { $0 < 0x80 ? $0 : Self.questionMark }, as: Unicode.ASCII.self)
        case .utf8:
            String(decoding: bytes, as: Unicode.UTF8.self)
        }
    }
}
