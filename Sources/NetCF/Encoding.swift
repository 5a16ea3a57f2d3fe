/// A character encoding: ASCII, UTF-8, UTF-16 in either byte order, and the single-byte code pages CE
/// devices send text in (Windows-1252, Windows-1250, ISO-8859-1, OEM 437).
///
/// .NET strings are UTF-16, so "one character" below means one UTF-16 code unit, as in .NET.
///
/// A character a single-byte encoding cannot represent becomes `?` (0x3F), one per UTF-16 code unit.
/// .NET's code page encodings (and Windows' `WideCharToMultiByte`) use a "best fit" mapping first, so
/// .NET sends "Ā" in Windows-1252 as "A" and "∞" as "8"; that mapping is not reproduced here: both give `?`.
///
/// The corresponding .NET type is `System.Text.Encoding`.
public final class Encoding: Sendable {
    enum Kind: Sendable {
        case ascii
        case utf8
        case utf16(bigEndian: Bool)
        case singleByte(CodePageTable)
    }

    private let kind: Kind
    private let codePage: Int32
    private let webName: String
    private let encodingName: String
    private let preamble: [UInt8]

    private init(_ kind: Kind, _ codePage: Int32, _ webName: String, _ encodingName: String, preamble: [UInt8] = []) {
        self.kind = kind
        self.codePage = codePage
        self.webName = webName
        self.encodingName = encodingName
        self.preamble = preamble
    }

    /// UTF-8, with or without the byte order mark `GetPreamble` returns (`UTF8Encoding(Bool)`).
    convenience init(utf8EmittingByteOrderMark emitsByteOrderMark: Bool) {
        self.init(.utf8, 65001, "utf-8", "Unicode (UTF-8)", preamble: emitsByteOrderMark ? [0xEF, 0xBB, 0xBF] : [])
    }

    // MARK: The encodings

    /// Encodes 7-bit characters as themselves and every other UTF-16 code unit as `?` (0x3F), so "é" gives
    /// one `?` and "😀" (a surrogate pair) gives two. Decodes bytes above 0x7F as `?`. Code page 20127.
    ///
    /// The corresponding .NET member is `Encoding.ASCII`.
    public static let ASCII = Encoding(.ascii, 20127, "us-ascii", "US-ASCII")

    /// Decodes invalid sequences as U+FFFD. `GetBytes` writes no byte order mark; `GetPreamble` returns one
    /// (EF BB BF), as .NET's `Encoding.UTF8` does. Code page 65001.
    ///
    /// The corresponding .NET member is `Encoding.UTF8`.
    public static let UTF8 = Encoding(utf8EmittingByteOrderMark: true)

    /// UTF-16, little-endian: the encoding of strings in a CE program's memory. Code page 1200;
    /// `GetPreamble` returns FF FE. A lone surrogate decodes as U+FFFD, and so does an odd byte at the end.
    ///
    /// The corresponding .NET member is `Encoding.Unicode`.
    public static let Unicode = Encoding(.utf16(bigEndian: false), 1200, "utf-16", "Unicode", preamble: [0xFF, 0xFE])

    /// UTF-16, big-endian. Code page 1201; `GetPreamble` returns FE FF. `WebName` is "unicodeFFFE", as in
    /// the .NET Framework (later .NET says "utf-16BE").
    ///
    /// The corresponding .NET member is `Encoding.BigEndianUnicode`.
    public static let BigEndianUnicode = Encoding(
        .utf16(bigEndian: true), 1201, "unicodeFFFE", "Unicode (Big-Endian)", preamble: [0xFE, 0xFF])

    /// The device's ANSI code page. A CE device has the one its OS image was built with; here it is
    /// Windows-1252 (Western European), the code page of English, French, German, Spanish and other
    /// Western European CE devices. A port for a Central European device should name
    /// `Encoding.GetEncoding(1250)` instead.
    ///
    /// The corresponding .NET member is `Encoding.Default`.
    public static let Default = windows1252

    static let windows1252 = Encoding(.singleByte(.windows1252), 1252, "windows-1252", "Western European (Windows)")
    static let windows1250 = Encoding(.singleByte(.windows1250), 1250, "windows-1250", "Central European (Windows)")
    static let latin1 = Encoding(.singleByte(.latin1), 28591, "iso-8859-1", "Western European (ISO)")
    static let oem437 = Encoding(.singleByte(.oem437), 437, "ibm437", "OEM United States")

    // MARK: Finding an encoding

    private static let byCodePage: [Int32: Encoding] = [
        437: oem437, 1200: Unicode, 1201: BigEndianUnicode, 1250: windows1250, 1252: windows1252,
        20127: ASCII, 28591: latin1, 65001: UTF8,
    ]

    /// The names .NET accepts for these code pages, lowercased (names are compared ignoring case).
    private static let byName: [String: Encoding] = {
        let names: [(Encoding, [String])] = [
            (windows1252, ["windows-1252", "x-ansi"]),
            (windows1250, ["windows-1250", "x-cp1250"]),
            (oem437, ["ibm437", "cp437", "437", "cspc8codepage437"]),
            (latin1, [
                "iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "iso-ir-100", "l1", "latin1", "cp819",
                "ibm819", "csisolatin1",
            ]),
            (ASCII, [
                "us-ascii", "ascii", "us", "ansi_x3.4-1968", "ansi_x3.4-1986", "cp367", "ibm367", "csascii",
                "iso-ir-6", "iso646-us", "iso_646.irv:1991", "646",
            ]),
            (UTF8, ["utf-8", "utf8", "unicode-1-1-utf-8", "unicode-2-0-utf-8", "x-unicode-1-1-utf-8", "x-unicode-2-0-utf-8"]),
            (Unicode, ["utf-16", "utf-16le", "unicode", "ucs-2", "iso-10646-ucs-2"]),
            (BigEndianUnicode, ["utf-16be", "unicodefffe"]),
        ]
        var byName: [String: Encoding] = [:]
        for (encoding, aliases) in names {
            for alias in aliases { byName[alias] = encoding }
        }
        return byName
    }()

    /// The encoding of a code page: 437, 1200, 1201, 1250, 1252, 20127, 28591 or 65001; 0 is `Default`.
    /// Asking twice gives the same instance, and 20127 and 65001 give `Encoding.ASCII` and `Encoding.UTF8`.
    ///
    /// The corresponding .NET member is `Encoding.GetEncoding(Int32)`. Throws `ArgumentOutOfRangeException`
    /// outside 0...65535 and `NotSupportedException` for another code page. .NET documents either
    /// `ArgumentException` or `NotSupportedException` for a code page the platform lacks, and names the
    /// latter in its example (932 on a US Windows 98); this throws the latter.
    public static func GetEncoding(_ codepage: some BinaryInteger) throws -> Encoding {
        guard let codepage = Int32(exactly: codepage), (0...65535).contains(codepage) else {
            throw ArgumentOutOfRangeException("codepage", "Valid values are between 0 and 65535, inclusive.")
        }
        if codepage == 0 { return Default }
        guard let encoding = byCodePage[codepage] else {
            throw NotSupportedException(
                "No data is available for encoding \(codepage). This package provides code pages 437, 1200, 1201, "
                    + "1250, 1252, 20127, 28591 and 65001.")
        }
        return encoding
    }

    /// The encoding with this name or alias, ignoring case: "windows-1252", "iso-8859-1" or "latin1",
    /// "us-ascii" or "ascii", "utf-8", "utf-16" or "unicode", "unicodeFFFE" or "utf-16BE", "ibm437" or
    /// "cp437", "windows-1250", and the other names .NET gives these code pages.
    ///
    /// The corresponding .NET member is `Encoding.GetEncoding(String)`. Throws `ArgumentException` (parameter
    /// `name`) for a name it does not know.
    public static func GetEncoding(_ name: String) throws -> Encoding {
        guard let encoding = byName[name.lowercased()] else {
            throw ArgumentException("'\(name)' is not a supported encoding name.", "name")
        }
        return encoding
    }

    // MARK: Names

    /// The corresponding .NET member is `Encoding.CodePage`.
    public var CodePage: int { codePage }

    /// The IANA name, lowercase, as .NET gives it: "us-ascii", "utf-8", "utf-16", "unicodeFFFE",
    /// "windows-1252", "windows-1250", "iso-8859-1", "ibm437".
    ///
    /// The corresponding .NET member is `Encoding.WebName`.
    public var WebName: String { webName }

    /// The English description: "Western European (Windows)", "Unicode (UTF-8)", "US-ASCII", …
    ///
    /// The corresponding .NET member is `Encoding.EncodingName`.
    public var EncodingName: String { encodingName }

    /// True for ASCII and the code pages, false for UTF-8 and UTF-16.
    ///
    /// The corresponding .NET member is `Encoding.IsSingleByte`.
    public var IsSingleByte: Bool {
        switch kind {
        case .ascii, .singleByte: true
        case .utf8, .utf16: false
        }
    }

    /// The byte order mark this encoding announces itself with: EF BB BF for `Encoding.UTF8` (but nothing
    /// for `UTF8Encoding()`), FF FE for `Encoding.Unicode`, FE FF for `Encoding.BigEndianUnicode`, and
    /// nothing for the single-byte encodings. `GetBytes` never writes it.
    ///
    /// The corresponding .NET member is `Encoding.GetPreamble()`.
    public func GetPreamble() -> [UInt8] { preamble }

    // MARK: Encoding

    /// The corresponding .NET member is `Encoding.GetBytes(String)`.
    public func GetBytes(_ s: String) -> [UInt8] {
        switch kind {
        case .ascii:
            return s.utf16.map { $0 < 0x80 ? UInt8($0) : Self.questionMark }
        case .utf8:
            return Array(s.utf8)
        case .utf16(let bigEndian):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(s.utf16.count * 2)
            for unit in s.utf16 {
                let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
                if bigEndian {
                    bytes.append(high)
                    bytes.append(low)
                } else {
                    bytes.append(low)
                    bytes.append(high)
                }
            }
            return bytes
        case .singleByte(let table):
            return s.utf16.map { table.byte($0) ?? Self.questionMark }
        }
    }

    /// The characters encoded as the string they form (`Encoding.ASCII.GetBytes(s.ToCharArray())`).
    ///
    /// The corresponding .NET member is `Encoding.GetBytes(Char[])`.
    public func GetBytes(_ chars: [Character]) -> [UInt8] {
        GetBytes(String(chars))
    }

    /// `count` of the characters from `index`, encoded.
    ///
    /// The corresponding .NET member is `Encoding.GetBytes(Char[], Int32, Int32)`.
    public func GetBytes(_ chars: [Character], _ index: some BinaryInteger, _ count: some BinaryInteger) throws -> [UInt8] {
        let index = try CSharpInteger.int(index, "index"), count = try CSharpInteger.int(count, "count")
        if index < 0 || count < 0 {
            throw ArgumentOutOfRangeException(index < 0 ? "index" : "count", "Non-negative number required.")
        }
        guard chars.count - index >= count else {
            throw ArgumentOutOfRangeException("chars", "Index and count must refer to a location within the buffer.")
        }
        return GetBytes(String(chars[index..<(index + count)]))
    }

    /// Encodes `charCount` UTF-16 code units of `s` from `charIndex` into `bytes` at `byteIndex` and returns
    /// how many bytes it wrote. C# passes the array by reference; Swift writes `&buffer`. A range that splits
    /// a surrogate pair encodes the half as U+FFFD would be.
    ///
    /// The corresponding .NET member is `Encoding.GetBytes(String, Int32, Int32, Byte[], Int32)`. Throws
    /// `ArgumentOutOfRangeException` for a range outside `s` or `bytes`, and `ArgumentException` (parameter
    /// `bytes`), writing nothing, when the bytes do not fit.
    public func GetBytes(
        _ s: String, _ charIndex: some BinaryInteger, _ charCount: some BinaryInteger, _ bytes: inout [UInt8],
        _ byteIndex: some BinaryInteger
    ) throws -> int {
        let charIndex = try CSharpInteger.int(charIndex, "charIndex"), charCount = try CSharpInteger.int(charCount, "charCount")
        let byteIndex = try CSharpInteger.int(byteIndex, "byteIndex")
        if charIndex < 0 || charCount < 0 {
            throw ArgumentOutOfRangeException(charIndex < 0 ? "charIndex" : "charCount", "Non-negative number required.")
        }
        let units = Array(s.utf16)
        guard units.count - charIndex >= charCount else {
            throw ArgumentOutOfRangeException("s", "Index and count must refer to a location within the string.")
        }
        guard byteIndex >= 0 && byteIndex <= bytes.count else {
            throw ArgumentOutOfRangeException(
                "byteIndex", "Index was out of range. Must be non-negative and less than or equal to the size of the collection.")
        }
        let encoded = GetBytes(String(decoding: units[charIndex..<(charIndex + charCount)], as: UTF16.self))
        guard bytes.count - byteIndex >= encoded.count else {
            throw ArgumentException(
                "The output byte buffer is too small to contain the encoded data, encoding '\(encodingName)'.", "bytes")
        }
        bytes.replaceSubrange(byteIndex..<(byteIndex + encoded.count), with: encoded)
        return int(encoded.count)
    }

    /// The most bytes `charCount` UTF-16 units can take (.NET counts one more unit, for a surrogate held
    /// over from an earlier call): a single-byte page `n + 1`, UTF-8 `(n + 1) * 3`, UTF-16 `(n + 1) * 2`.
    ///
    /// The corresponding .NET member is `Encoding.GetMaxByteCount(Int32)`.
    public func GetMaxByteCount(_ charCount: some BinaryInteger) throws -> int {
        let count = try CSharpInteger.int(charCount, "charCount")
        guard count >= 0 else { throw ArgumentOutOfRangeException("charCount", count, "Non-negative number required.") }
        let perUnit = switch kind {
        case .ascii, .singleByte: 1
        case .utf8: 3
        case .utf16: 2
        }
        let (bytes, overflow) = (count + 1).multipliedReportingOverflow(by: perUnit)
        guard !overflow, bytes <= Int(int.max) else {
            throw ArgumentOutOfRangeException("charCount", count, "Too many characters. The resulting number of bytes is larger than what can be returned as an int.")
        }
        return int(bytes)
    }

    /// The corresponding .NET member is `Encoding.GetByteCount(String)`.
    public func GetByteCount(_ s: String) -> int {
        switch kind {
        case .ascii, .singleByte: int(s.utf16.count)
        case .utf8: int(s.utf8.count)
        case .utf16: int(s.utf16.count * 2)
        }
    }

    // MARK: Decoding

    /// The corresponding .NET member is `Encoding.GetString(Byte[])`.
    public func GetString(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { decode($0) }
    }

    /// Decodes `count` bytes starting at `index`.
    ///
    /// The corresponding .NET member is `Encoding.GetString(Byte[], Int32, Int32)`.
    public func GetString(_ bytes: [UInt8], _ index: some BinaryInteger, _ count: some BinaryInteger) throws -> String {
        let range = try Self.checkedRange(bytes, index, count)
        return bytes.withUnsafeBufferPointer { decode(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// The decoded characters, one per Unicode scalar as `String.ToCharArray()` gives them (one per UTF-16
    /// code unit for text in the Basic Multilingual Plane).
    ///
    /// The corresponding .NET member is `Encoding.GetChars(Byte[])`.
    public func GetChars(_ bytes: [UInt8]) -> [Character] {
        GetString(bytes).ToCharArray()
    }

    /// The corresponding .NET member is `Encoding.GetChars(Byte[], Int32, Int32)`.
    public func GetChars(_ bytes: [UInt8], _ index: some BinaryInteger, _ count: some BinaryInteger) throws -> [Character] {
        try GetString(bytes, index, count).ToCharArray()
    }

    /// How many UTF-16 code units the bytes decode to (.NET's count of chars; `GetChars` gives one element
    /// fewer for each character outside the Basic Multilingual Plane).
    ///
    /// The corresponding .NET member is `Encoding.GetCharCount(Byte[])`.
    public func GetCharCount(_ bytes: [UInt8]) -> int {
        bytes.withUnsafeBufferPointer { charCount($0) }
    }

    /// The corresponding .NET member is `Encoding.GetCharCount(Byte[], Int32, Int32)`.
    public func GetCharCount(_ bytes: [UInt8], _ index: some BinaryInteger, _ count: some BinaryInteger) throws -> int {
        let range = try Self.checkedRange(bytes, index, count)
        return bytes.withUnsafeBufferPointer { charCount(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    private func charCount(_ bytes: UnsafeBufferPointer<UInt8>) -> int {
        switch kind {
        case .ascii, .singleByte: int(bytes.count)
        // Each unit, a lone surrogate's U+FFFD included, is one char; an odd last byte is one U+FFFD.
        case .utf16: int((bytes.count + 1) / 2)
        case .utf8: int(decode(bytes).utf16.count)
        }
    }

    private static func checkedRange(
        _ bytes: [UInt8], _ index: some BinaryInteger, _ count: some BinaryInteger
    ) throws -> Range<Int> {
        let index = try CSharpInteger.int(index, "index"), count = try CSharpInteger.int(count, "count")
        if index < 0 || count < 0 {
            throw ArgumentOutOfRangeException(index < 0 ? "index" : "count", "Non-negative number required.")
        }
        guard bytes.count - index >= count else {
            throw ArgumentOutOfRangeException("bytes", "Index and count must refer to a location within the buffer.")
        }
        return index..<(index + count)
    }

    private static let questionMark = UInt8(ascii: "?")

    // MARK: For the readers and writers

    /// Whether this is UTF-8 (`Encoding.UTF8` or a `UTF8Encoding()`).
    var isUTF8: Bool {
        if case .utf8 = kind { return true }
        return false
    }

    /// Whether this is `Encoding.ASCII`, which decodes bytes above 0x7F as `?`.
    var isASCII: Bool {
        if case .ascii = kind { return true }
        return false
    }

    /// The byte order for UTF-16, nil for every other encoding.
    var utf16BigEndian: Bool? {
        if case .utf16(let bigEndian) = kind { return bigEndian }
        return nil
    }

    /// The character one byte stands for in a single-byte encoding (ASCII: `?` above 0x7F); nil for UTF-8
    /// and UTF-16, where a character may take more bytes.
    func singleByteUnit(_ b: UInt8) -> UInt16? {
        switch kind {
        case .ascii: b < 0x80 ? UInt16(b) : UInt16(Self.questionMark)
        case .singleByte(let table): table.unit(b)
        case .utf8, .utf16: nil
        }
    }

    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        switch kind {
        case .ascii:
            // Pure ASCII, the usual case, takes the contiguous UTF-8 path (the same characters): the lazily
            // mapped one took about 20 K instructions for a 9-byte host name (`Marshal.PtrToStringAnsi`).
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: Swift.Unicode.UTF8.self) }
            return String(decoding: bytes.lazy.map { $0 < 0x80 ? $0 : Self.questionMark }, as: Swift.Unicode.ASCII.self)
        case .utf8:
            return String(decoding: bytes, as: Swift.Unicode.UTF8.self)
        case .utf16(let bigEndian):
            let pairs = bytes.count / 2
            var units: [UInt16] = []
            units.reserveCapacity(pairs + 1)
            for pair in 0..<pairs {
                let first = UInt16(bytes[2 * pair]), second = UInt16(bytes[2 * pair + 1])
                units.append(bigEndian ? first << 8 | second : second << 8 | first)
            }
            if bytes.count % 2 == 1 { units.append(0xFFFD) }
            // String's UTF-16 decoding replaces each lone surrogate with U+FFFD, as .NET's decoder does.
            return String(decoding: units, as: UTF16.self)
        case .singleByte(let table):
            if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: Swift.Unicode.UTF8.self) }
            return String(decoding: bytes.map { table.unit($0) }, as: UTF16.self)
        }
    }
}
